# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The guard on a turn-off for nonpayment: it cannot be scheduled or done
on a day any rule of shutoff_rules holds it back, for a residential
service (HSC 116908, 116910; Gov. Code 60373).  The clerk is told every
rule, its section and the day it opens.  Nobody can override the
statute's rules."""
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from ..exceptions import CalendarEndingWarning, ShutoffRefused
from .customer import RESIDENTIAL, describe
from .reconnection import charge_reconnections

# The fields whose change asks the guard again
GUARDED = {'state', 'type', 'nonpayment', 'service', 'scheduled_date',
    'done_date', 'override_reason'}
# The groups that may override the district's own rules (not the statute)
OVERRIDING_GROUPS = [('water_utility', 'group_finance'),
    ('water_utility', 'group_water_admin')]


class ServiceOrder(metaclass=PoolMeta):
    __name__ = 'water.service.order'

    nonpayment = fields.Boolean(
        "For Nonpayment",
        states={
            'invisible': ~Eval('type').in_(['turn_off', 'turn_on']),
            'readonly': Eval('state') != 'requested',
            },
        help="A turn-off: a shut-off for an unpaid bill, the law decides "
        "the day.  A turn-on: the reconnection after one, charged the "
        "reconnection fee when done.")
    after_hours = fields.Boolean(
        "After Hours",
        states={
            'invisible': ~((Eval('type') == 'turn_on')
                & Eval('nonpayment', False)),
            'readonly': ~Eval('state').in_(['requested', 'scheduled']),
            },
        help="Reconnected outside business hours, at the after-hours fee.")
    override_reason = fields.Text(
        "District Rules Overridden",
        states={
            'invisible': ~((Eval('type') == 'turn_off')
                & Eval('nonpayment', False)),
            'readonly': ~Eval('state').in_(['requested', 'scheduled']),
            },
        help="Finance only: why the district's own rules (minimum balance, "
        "weather holds, non-residential terms) do not hold this shut-off "
        "back.  The statute's rules cannot be overridden.")
    override_by = fields.Many2One(
        'res.user', "Overridden By", readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('override_by')})
    reconnect_invoice = fields.Many2One(
        'account.invoice', "Reconnection Fee", readonly=True,
        ondelete='RESTRICT',
        states={
            'invisible': ~Eval('reconnect_invoice'),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.service.states = dict(cls.service.states)
        cls.service.states['required'] = (
            cls.service.states.get('required', False)
            | Eval('nonpayment', False))

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        """The reconnection fee is the order's Done button's: never written
        from outside, and what it was charged on stays once done"""
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'create':
            for order in orders:
                if order.override_by and not order.override_reason:
                    cls._raise_override_forged(order)
                if order.override_reason:
                    cls.check_override(order)
        if mode != 'write':
            return
        names = set(values)
        if names & {'override_reason', 'override_by'}:
            # preprocess_values stamps override_by with the reason
            if 'override_reason' not in names:
                cls._raise_override_forged(orders[0])
            for order in orders:
                cls.check_override(order)
        if external and 'reconnect_invoice' in names:
            raise AccessError(gettext(
                    'water_collection.msg_reconnect_invoice_forged',
                    order=orders[0].rec_name))
        if names & {'nonpayment', 'after_hours', 'type', 'service'}:
            for order in orders:
                if order.reconnect_invoice:
                    raise AccessError(gettext(
                            'water_collection.msg_reconnect_charged',
                            order=order.rec_name))

    @classmethod
    def _raise_override_forged(cls, order):
        raise AccessError(gettext(
                'water_collection.msg_override_by_forged',
                order=order.rec_name or ''))

    @classmethod
    def check_override(cls, order):
        """Only Finance (and the administrator) override the district's
        rules, and not on an order done or cancelled"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        allowed = {ModelData.get_id(*g) for g in OVERRIDING_GROUPS}
        if Transaction().user and not (set(User.get_groups()) & allowed):
            raise AccessError(gettext(
                    'water_collection.msg_override_not_finance',
                    order=order.rec_name or ''))
        if order.id is not None and order.state in {'done', 'cancelled'}:
            raise AccessError(gettext(
                    'water_collection.msg_override_closed',
                    order=order.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        "Whoever writes the override's reason is stamped as its author"
        values = super().preprocess_values(mode, values)
        if 'override_reason' in values:
            values['override_by'] = (Transaction().user
                if values['override_reason'] else None)
        return values

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, orders):
        "Done: a reconnection after nonpayment is charged its fee"
        super().do(orders)
        # the fee's invoice is the button's doing, whoever reconnects
        with without_check_access():
            charge_reconnections([o for o in cls.browse(orders)
                    if o.type == 'turn_on' and o.nonpayment
                    and o.service and not o.reconnect_invoice])

    @classmethod
    @ModelView.button
    @Workflow.transition('scheduled')
    def schedule(cls, orders):
        cls.warn_calendar([o for o in orders if o.nonpayment])
        super().schedule(orders)

    @classmethod
    def warn_calendar(cls, orders):
        """Warn, before the year runs out, that next year's holidays are
        not on file: the guard will refuse to count business days in it"""
        pool = Pool()
        Holiday = pool.get('water.collection.holiday')
        Warning = pool.get('res.user.warning')
        year = Holiday.lacking_year() if orders else None
        if year is None or year == Pool().get('ir.date').today().year:
            # This year's lack is refused by the guard itself
            return
        key = Warning.format('water_collection.calendar', [year])
        if Warning.check(key):
            raise CalendarEndingWarning(key, gettext(
                    'water_collection.msg_calendar_ending', year=year))

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        if field_names is None or field_names & GUARDED:
            cls.check_shutoff(orders)

    @classmethod
    def check_shutoff(cls, orders):
        """Refuse a turn-off for nonpayment scheduled or done on a day the
        law does not allow it"""
        for order in orders:
            day = order.shutoff_day()
            if day is None:
                continue
            account = order.service.account
            terms = dict(
                residential=order.service.service_type in RESIDENTIAL,
                override=order.override_reason)
            # the rules holding the day, and the first day none holds
            first, holds = account.earliest_shutoff(day, **terms)
            if holds:
                first = first.strftime('%m/%d/%Y') if first else ''
                key = ('msg_shutoff_refused_until' if first
                    else 'msg_shutoff_refused')
                raise ShutoffRefused(gettext(
                        f'water_collection.{key}',
                        order=order.rec_name,
                        account=account.rec_name,
                        date=day.strftime('%m/%d/%Y'),
                        opens=first),
                    '\n'.join(describe(h) for h in holds))

    def shutoff_day(self):
        """The day the guard checks: the scheduled or done day of a
        turn-off for nonpayment (the statute's rules for a residential
        service, the district's for any); None for any other order"""
        if (self.type != 'turn_off' or not self.nonpayment
                or not self.service):
            return None
        if self.state == 'scheduled':
            return self.scheduled_date
        if self.state == 'done':
            return self.done_date
        return None

    @classmethod
    def pending_turn_offs(cls, accounts):
        "The requested and scheduled turn-offs for nonpayment of `accounts`"
        if not accounts:
            return []
        return cls.search([
                ('type', '=', 'turn_off'),
                ('nonpayment', '=', True),
                ('state', 'in', ['requested', 'scheduled']),
                ('service.account', 'in', [a.id for a in accounts]),
                ])

    @classmethod
    def cancel_paid_turn_offs(cls, accounts):
        """Cancel the pending turn-offs for nonpayment of the `accounts`
        no bill of which is delinquent any more"""
        today = Pool().get('ir.date').today()
        # Only the accounts with a pending turn-off are asked (a lockbox
        # file marks thousands of bills paid), each once
        orders = cls.pending_turn_offs(accounts)
        cleared = {a for a in {o.service.account for o in orders}
            if a.shutoff_facts(today) is None}
        return cls.cancel_noting(
            [o for o in orders if o.service.account in cleared], 'paid')

    @classmethod
    def cancel_turn_offs(cls, accounts, why):
        """Cancel the requested and scheduled turn-offs for nonpayment of
        `accounts`, noting `why` (paid, arrangement) on each"""
        return cls.cancel_noting(cls.pending_turn_offs(accounts), why)

    @classmethod
    def cancel_noting(cls, orders, why):
        "Cancel `orders`, noting on each the day and `why`"
        if not orders:
            return []
        today = Pool().get('ir.date').today()
        note = gettext(f'water_collection.msg_turn_off_{why}',
            date=today.strftime('%m/%d/%Y'))
        for order in orders:
            order.notes = '\n'.join(filter(None, [order.notes, note]))
        cls.save(orders)
        cls.cancel(orders)
        return orders

    @classmethod
    def request_turn_offs(cls, accounts, day):
        """Request a turn-off for nonpayment of each service of `accounts`
        with water on and none pending: the ladder's disconnect order
        step, for the crew once the guard allows a day"""
        pending = {o.service for o in cls.pending_turn_offs(accounts)}
        orders = [cls(type='turn_off', nonpayment=True,
                premise=s.premise, service=s, requested_date=day,
                notes=gettext('water_collection.msg_turn_off_requested',
                    date=day.strftime('%m/%d/%Y')))
            for a in accounts for s in a.services
            if s.state == 'active' and s.premise.water_on
            and s not in pending]
        cls.save(orders)
        return orders

    @classmethod
    def request_reconnections(cls, accounts):
        """Request the reconnection of each service of `accounts` shut off
        for nonpayment, once nothing is delinquent: a turn-on for
        nonpayment, unless one is pending"""
        today = Pool().get('ir.date').today()
        shut = cls.shut_off_for_nonpayment(accounts)
        cleared = {a for a in {s.account for s in shut}
            if a.shutoff_facts(today) is None}
        orders = [cls(type='turn_on', nonpayment=True, premise=s.premise,
                service=s, requested_date=today,
                notes=gettext('water_collection.msg_turn_on_requested',
                    date=today.strftime('%m/%d/%Y')))
            for s in shut if s.account in cleared]
        cls.save(orders)
        return orders

    @classmethod
    def shut_off_for_nonpayment(cls, accounts):
        """The services of `accounts` whose water was last turned off for
        nonpayment, with no turn-on pending or done since"""
        if not accounts:
            return []
        orders = cls.search([
                ('type', 'in', ['turn_off', 'turn_on']),
                ('state', 'in', ['requested', 'scheduled', 'done']),
                ('service.account', 'in', [a.id for a in accounts]),
                ], order=[('id', 'ASC')])
        last = {}
        for order in orders:
            if order.type == 'turn_on' or order.state == 'done':
                last[order.service] = order
        return [s for s, o in last.items()
            if o.type == 'turn_off' and o.nonpayment
            and not s.premise.water_on]
