# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the shut-off guard knows of an account, shown on the account: the
protections on file, the notices given, the earliest day a shut-off for
nonpayment would be lawful and every rule that holds it back until then
(shutoff_rules)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .. import district_rules, penalty_rules, shutoff_rules
from ..exceptions import CalendarMissing

# The services the statute protects: residential, single or multi-family
# (HSC 116902(d), 116916).  The others follow the district's own rules.
RESIDENTIAL = {'residential', 'multi_family'}


class CustomerAccount(metaclass=PoolMeta):
    __name__ = 'water.account'

    protections = fields.One2Many(
        'water.collection.protection', 'account', "Protections")
    notices = fields.One2Many(
        'water.collection.notice', 'account', "Notices", readonly=True)
    arrangements = fields.One2Many(
        'water.collection.arrangement', 'account', "Payment Arrangements",
        readonly=True)
    penalty_exempt = fields.Boolean(
        "Exempt from Penalties",
        help="The district's own exemption: penalty runs skip the "
        "account, saying so in their register.")
    shutoff_date = fields.Function(fields.Date(
            "Earliest Shut-off",
            help="The first day a shut-off for nonpayment would be lawful; "
            "empty while a rule holds it back without a date."),
        'get_shutoff')
    shutoff_holds = fields.Function(fields.Text(
            "Shut-off Holds",
            help="Each rule that holds a shut-off back today, its section "
            "and the day it opens."),
        'get_shutoff')

    @classmethod
    def get_shutoff(cls, accounts, names):
        today = Pool().get('ir.date').today()
        result = {n: {} for n in names}
        for account in accounts:
            try:
                day, holds = account.earliest_shutoff(today)
                text = '\n'.join(describe(h) for h in holds)
            except CalendarMissing as error:
                day, text = None, error.message
            if 'shutoff_date' in result:
                result['shutoff_date'][account.id] = day
            if 'shutoff_holds' in result:
                result['shutoff_holds'][account.id] = text
        return result

    def interest_waiver_due(self, date):
        """Whether the interest of a penalty on `date` is waived: a
        household under 200% of the poverty line, not waived in the 12
        months before (HSC 116914(a)(2))"""
        Line = Pool().get('water.collection.penalty.line')
        if not any(p.kind == 'low_income' and p.active_on(date)
                for p in self.protections):
            return False
        waived = Line.search([
                ('account', '=', self.id),
                ('charge_key', '!=', None),
                ('waived_interest', '>', 0),
                ], order=[('run.date', 'DESC')], limit=1)
        return penalty_rules.interest_waiver_due(
            waived[0].run.date if waived else None, date)

    def notice_premises(self):
        """The premises a collections notice or an agreement is about:
        those of the account's active services, else of its latest"""
        services = [s for s in self.services if s.state == 'active']
        services = services or list(self.services[:1])
        premises = []
        for service in services:
            if service.premise not in premises:
                premises.append(service.premise)
        return premises

    def past_due(self, day):
        """What the account owes past due on `day`: its unpaid bills due
        before it, less the credits not yet applied, never below zero"""
        MoveLine = Pool().get('account.move.line')
        lines = MoveLine.search([
                ('water_account', '=', self.id),
                ('account.type.receivable', '=', True),
                ('reconciliation', '=', None),
                ('move.state', '=', 'posted'),
                ])
        due = sum((l.debit - l.credit for l in lines
                if l.debit > l.credit and l.maturity_date
                and l.maturity_date < day), Decimal('0.00'))
        credits = sum((l.credit - l.debit for l in lines
                if l.credit > l.debit), Decimal('0.00'))
        return max(due - credits, Decimal('0.00'))

    def shutoff_facts(self, day):
        """The shutoff_rules.Account of what is on file on `day`, or None
        when no bill is delinquent"""
        pool = Pool()
        Contact = pool.get('water.collection.contact')
        MoveLine = pool.get('account.move.line')
        Notice = pool.get('water.collection.notice')
        unpaid = MoveLine.search([
                ('water_account', '=', self.id),
                ('account.type.receivable', '=', True),
                ('reconciliation', '=', None),
                ('debit', '>', 0),
                ('maturity_date', '<', day),
                ('move.state', '=', 'posted'),
                ], order=[('maturity_date', 'ASC')], limit=1)
        if not unpaid:
            return None
        due_date = unpaid[0].maturity_date
        active = {p.kind: p for p in self.protections if p.active_on(day)}
        current, defaulted = self.arrangements_on(day)
        return shutoff_rules.Account(
            due_date=due_date,
            notice_date=Notice.last(self, 'disconnect_notice', due_date),
            appeal_pending=bool(active.keys() & {'appeal', 'bill_review'}),
            medical_certified=_received(active, 'medical'),
            financial_inability=_received(active, 'financial'),
            willing_to_arrange=_received(active, 'willing'),
            arrangement_current=current,
            arrangement_default_date=defaulted,
            final_notice_date=(Contact.last_posted(self, defaulted)
                if defaulted else None),
            )

    def arrangements_on(self, day):
        """(whether an arrangement is in good standing on `day`, the first
        day of the latest default of one, or None)"""
        Arrangement = Pool().get('water.collection.arrangement')
        arrangements = Arrangement.search([
                ('account', '=', self.id),
                ('state', 'in', ['active', 'defaulted']),
                ('signed_date', '<=', day),
                ])
        if any(a.in_good_standing(day) for a in arrangements):
            return True, None
        defaults = [a.default_date or a.defaulted_on(day)
            for a in arrangements]
        defaults = [d for d in defaults if d]
        return False, max(defaults) if defaults else None

    def residential(self):
        "Whether a service of the account is one the statute protects"
        return any(s.service_type in RESIDENTIAL for s in self.services
            if s.state == 'active') or not any(
            s.state == 'active' for s in self.services)

    def shutoff_holds_on(self, day, residential=None, override=None):
        """The rules that forbid shutting the account off on `day`: the
        statute's for a residential service, the district's for any (but
        those `override` overrides)"""
        facts = self.shutoff_facts(day)
        if facts is None:
            return [shutoff_rules.Hold('not_delinquent', None)]
        holds_of = self._holds_of(facts, day, residential, override)
        return holds_of(day)

    def earliest_shutoff(self, today, residential=None, override=None):
        """The first lawful day from `today` (None while a rule holds
        without a date) and the rules holding it back today"""
        facts = self.shutoff_facts(today)
        if facts is None:
            return None, [shutoff_rules.Hold('not_delinquent', None)]
        holds_of = self._holds_of(facts, today, residential, override)
        return shutoff_rules.earliest_shutoff(
            facts, today, holiday_dates(today), holds_of=holds_of)

    def _holds_of(self, facts, today, residential, override):
        "The function giving the holds of a day, from what is on file today"
        Configuration = Pool().get('water.configuration')
        holidays = holiday_dates(today)
        if residential is None:
            residential = self.residential()
        rules = Configuration(1).collection_rules(self.company)
        past_due = self.past_due(today)

        def holds_of(day):
            found = (shutoff_rules.holds(facts, day, holidays)
                if residential else [])
            found += district_rules.holds(rules, day, holidays, past_due,
                residential, facts.due_date, facts.notice_date)
            return district_rules.overridden(found, override)
        return holds_of


def _received(active, kind):
    return active[kind].received_date if kind in active else None


def holiday_dates(day):
    """The district's closed days; refused when the calendar has no day of
    `day`'s year: the guard cannot count business days in it"""
    Holiday = Pool().get('water.collection.holiday')
    dates = Holiday.dates()
    if day.year not in {d.year for d in dates}:
        raise CalendarMissing(gettext(
                'water_collection.msg_calendar_missing', year=day.year))
    return dates


def describe(hold):
    "The hold as the clerk reads it: the rule, its section, when it opens"
    opens = hold.opens.strftime('%m/%d/%Y') if hold.opens else ''
    return gettext(f'water_collection.msg_hold_{hold.code}',
        section=hold.section, opens=opens)
