# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The penalty run, as a bill run: calculated (its lines are the register:
every account charged, and every one skipped with the reason), reviewed,
then posted by someone else, each charge an invoice on the penalty
product's revenue account, on the account's balance and so on its next
bill.

An account is charged at most once a month (a unique key set when a run
posts), and a bill's late charge at most once; a run calculated again
starts over.  Skipped: an appeal or bill review pending, the account
exempt, a charge already posted this month.  A household under 200% of
the federal poverty line has its interest waived once every 12 months
(HSC 116914(a)(2))."""
from collections import defaultdict
from decimal import Decimal

from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    Exclude, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedLineMixin, SealedMixin
from trytond.tools import grouped_slice
from sql.operators import Equal
from water_utility.models.ledger import post_invoices

from .. import penalty_rules
from ..exceptions import PenaltyRunError
from .dunning import SLICE

_draft = {'readonly': Eval('state') != 'draft'}


class PenaltyRun(SealedMixin, Workflow, ModelSQL, ModelView):
    "A month's penalties (late charges) on the bills left unpaid"
    __name__ = 'water.collection.penalty.run'
    _sealed_states = frozenset({'calculated', 'posted'})
    _sealed_message = 'water_collection.msg_penalty_run_sealed'
    _workflow_message = 'water_collection.msg_penalty_run_workflow'
    _workflow_fields = frozenset({
            'state', 'rule', 'calculated_by', 'posted_by'})

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_draft)
    date = fields.Date(
        "Date", required=True, states=_draft,
        help="The day the penalties are charged: bills due before it, "
        "and their grace days, are penalized.")
    rule = fields.Many2One(
        'water.collection.penalty.rule', "Rule", readonly=True,
        ondelete='RESTRICT', help="The rule in force on the run's date.")
    lines = fields.One2Many(
        'water.collection.penalty.line', 'run', "Register", readonly=True)
    charged = fields.Function(fields.Integer("Accounts Charged"),
        'get_totals')
    skipped = fields.Function(fields.Integer("Accounts Skipped"),
        'get_totals')
    total = fields.Function(fields.Numeric(
            "Total", digits=(16, 2)), 'get_totals')
    calculated_by = fields.Many2One(
        'res.user', "Calculated By", readonly=True, ondelete='RESTRICT')
    posted_by = fields.Many2One(
        'res.user', "Posted By", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('calculated', "Calculated"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'calculated'),
            ('calculated', 'draft'),
            ('calculated', 'posted'),
            }
        cls._buttons.update({
                'calculate': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'calculated',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'calculated',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return gettext('water_collection.msg_penalty_run_name',
            date=self.date.strftime('%m/%d/%Y') if self.date else '')

    @classmethod
    def get_totals(cls, runs, names):
        result = {n: {r.id: 0 for r in runs} for n in names}
        for run in runs:
            charged = [l for l in run.lines if not l.skip_reason]
            values = {
                'charged': len(charged),
                'skipped': len(run.lines) - len(charged),
                'total': sum((l.amount for l in charged), Decimal('0.00')),
                }
            for name in names:
                result[name][run.id] = values[name]
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('calculated')
    def calculate(cls, runs):
        pool = Pool()
        Line = pool.get('water.collection.penalty.line')
        Rule = pool.get('water.collection.penalty.rule')
        Line.delete([l for r in runs for l in r.lines])
        lines = []
        for run in runs:
            rule = Rule.in_force(run.date, run.company.id)
            if not rule:
                raise PenaltyRunError(gettext(
                        'water_collection.msg_penalty_run_no_rule',
                        run=run.rec_name))
            run.rule = rule
            run.calculated_by = Transaction().user
            lines.extend(Line(run=run, **values)
                for values in penalty_lines(run.date, rule))
        cls.save(runs)
        Line.save(lines)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        Line = Pool().get('water.collection.penalty.line')
        Line.delete([l for r in runs for l in r.lines])
        cls.write(runs, {'rule': None, 'calculated_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, runs):
        "Invoice and post every charge; the register was reviewed"
        pool = Pool()
        Line = pool.get('water.collection.penalty.line')
        user = Transaction().user
        for run in runs:
            if run.calculated_by and run.calculated_by.id == user:
                raise PenaltyRunError(gettext(
                        'water_collection.msg_penalty_run_own',
                        run=run.rec_name))
        Line.lock()
        ids = [l.id for r in runs for l in r.lines if not l.skip_reason]
        # In slices: Tryton's ORM is quadratic in the length of the list
        # records are browsed from, and its posting in the batch
        for chunk in grouped_slice(ids, SLICE):
            Line.post_charges(Line.browse(list(chunk)))
        cls.write(runs, {'posted_by': user})


class PenaltyLine(SealedLineMixin, ModelSQL, ModelView):
    "An account's penalty in a run, or why it was skipped"
    __name__ = 'water.collection.penalty.line'
    _sealed_parent = 'run'
    _sealed_message = 'water_collection.msg_penalty_line_sealed'
    _workflow_fields = frozenset({'invoice', 'charge_key'})

    run = fields.Many2One(
        'water.collection.penalty.run', "Run", required=True,
        ondelete='CASCADE', readonly=True)
    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        readonly=True)
    bill = fields.Many2One(
        'account.invoice', "Bill", readonly=True, ondelete='RESTRICT',
        help="The bill (its invoice) late-charged; empty when only "
        "interest is due.")
    days_late = fields.Integer("Days Late", readonly=True)
    current_unpaid = fields.Numeric(
        "Current Unpaid", digits=(16, 2), readonly=True)
    past_due = fields.Numeric("Past Due", digits=(16, 2), readonly=True)
    late_charge = fields.Numeric(
        "Late Charge", digits=(16, 2), readonly=True)
    interest = fields.Numeric("Interest", digits=(16, 2), readonly=True)
    flat_fee = fields.Numeric("Flat Fee", digits=(16, 2), readonly=True)
    waived_interest = fields.Numeric(
        "Interest Waived", digits=(16, 2), readonly=True,
        help="A low-income household's yearly waiver (HSC 116914(a)(2)).")
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    skip_reason = fields.Char("Skipped Because", readonly=True)
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')
    # 'YYYY-MM' once posted: an account is charged once a month
    charge_key = fields.Char("Month Charged", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('run', 'DESC'), ('account', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints = [
            ('account_month_exclude', Exclude(t,
                    (t.account, Equal), (t.charge_key, Equal),
                    where=t.charge_key != Null),
                'water_collection.msg_penalty_twice'),
            ]

    def is_sealed(self):
        "A line goes with its run's register until the run is posted"
        return self.run.state == 'posted'

    @classmethod
    def post_charges(cls, lines):
        "Invoice the charges of `lines` and post them in bulk"
        Invoice = Pool().get('account.invoice')
        invoices = [line.get_invoice() for line in lines]
        ids = post_invoices(invoices)
        for line, invoice_id in zip(lines, ids):
            line.invoice = invoice_id
            line.charge_key = line.run.date.strftime('%Y-%m')
        cls.save(lines)
        return Invoice.browse(ids)

    def get_invoice(self):
        "The unsaved invoice of the charge, one line a part"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        Configuration = pool.get('water.configuration')
        account, run = self.account, self.run
        company = account.company
        invoice = account.customer_invoice(company, run.date, run.rec_name,
            Configuration(1).payment_term)
        product = run.rule.product
        invoice.lines = [InvoiceLine(
                type='line', company=company, currency=company.currency,
                product=product, unit=product.default_uom,
                account=product.account_revenue_used, quantity=1,
                unit_price=amount, description=text, taxes=[],
                origin=self)
            for amount, text in self.parts() if amount]
        return invoice

    def parts(self):
        "The charge's parts: (amount, description) each"
        return [
            (self.late_charge, gettext(
                    'water_collection.msg_penalty_late_charge',
                    percent=penalty_rules.percent_text(
                        self.run.rule.current_percent),
                    amount=self.current_unpaid)),
            (self.interest, gettext(
                    'water_collection.msg_penalty_interest',
                    percent=penalty_rules.percent_text(
                        self.run.rule.monthly_percent),
                    amount=self.past_due)),
            (self.flat_fee, gettext('water_collection.msg_penalty_flat')),
            ]


def penalty_lines(date, rule):
    """The register of a run on `date` under `rule`: a dict of line values
    per account with a penalty or a reason to skip it"""
    pool = Pool()
    Line = pool.get('water.collection.penalty.line')
    month = date.strftime('%Y-%m')
    charged = {l['account'] for l in Line.search_read(
            [('charge_key', '=', month)], fields_names=['account'])}
    late_charged = {l['bill'] for l in Line.search_read([
                ('charge_key', '!=', None), ('bill', '!=', None),
                ('late_charge', '>', 0)], fields_names=['bill'])}
    result = []
    for account, bills in unpaid_bills(date).items():
        facts = penalty_facts(date, rule, bills, late_charged)
        if facts is None:
            continue
        reason = skip_reason(account, date, charged)
        waive = (not reason) and account.interest_waiver_due(date)
        computed = penalty_rules.penalty(
            rule.plain(), facts['current_unpaid'], facts['past_due'],
            facts['days_late'], waive_interest=waive)
        if not reason and not computed.total:
            continue
        result.append(dict(facts, account=account,
                skip_reason=reason,
                late_charge=computed.late_charge,
                interest=computed.interest, flat_fee=computed.flat_fee,
                waived_interest=computed.waived_interest,
                amount=Decimal('0.00') if reason else computed.total))
    return result


def unpaid_bills(date):
    """{account: [(bill, due date, unpaid)]} of the account's invoices due
    before `date` with something left to pay, oldest first: the bills and
    the adjustments that charge, not the penalties themselves"""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Line = pool.get('water.collection.penalty.line')
    penalties = {l['invoice'] for l in Line.search_read(
            [('invoice', '!=', None)], fields_names=['invoice'])}
    ids = [i.id for i in Invoice.search([
                ('water_account', '!=', None),
                ('type', '=', 'out'),
                ('state', '=', 'posted'),
                ('move.lines.maturity_date', '<', date),
                ], order=[('water_account', 'ASC'), ('id', 'ASC')])
        if i.id not in penalties]
    result = defaultdict(list)
    for chunk in grouped_slice(ids, SLICE):
        for invoice in Invoice.browse(list(chunk)):
            _add_unpaid(result, invoice, date)
    for items in result.values():
        items.sort(key=lambda i: (i[1], i[0].id))
    return result


def _add_unpaid(result, invoice, date):
    "Add `invoice` to `result` if it is due before `date`, unpaid"
    dues = [l.maturity_date for l in invoice.lines_to_pay
        if l.maturity_date]
    due = min(dues) if dues else None
    unpaid = invoice.amount_to_pay
    if due and due < date and unpaid > 0:
        result[invoice.water_account].append((invoice, due, unpaid))


def penalty_facts(date, rule, bills, late_charged):
    """What the penalty of an account is computed on: the newest bill past
    its grace days, unless late-charged already (its current charges),
    and the rest unpaid (past due); None when no bill is past its grace
    days"""
    late = [b for b in bills if (date - b[1]).days > rule.grace_days]
    if not late:
        return None
    # Only the newest late bill draws a late charge, once: the older ones
    # were past due on an earlier run (or before penalties began)
    current = late[-1] if late[-1][0].id not in late_charged else None
    past_due = sum((b[2] for b in late if b is not current),
        Decimal('0.00'))
    oldest = current or late[0]
    return {
        'bill': current[0] if current else None,
        'days_late': (date - oldest[1]).days,
        'current_unpaid': current[2] if current else Decimal('0.00'),
        'past_due': past_due,
        }


def skip_reason(account, date, charged):
    "Why `account` is not charged on `date`, or None"
    if account.id in charged:
        return gettext('water_collection.msg_penalty_skip_charged')
    if account.penalty_exempt:
        return gettext('water_collection.msg_penalty_skip_exempt')
    active = {p.kind for p in account.protections if p.active_on(date)}
    if active & {'appeal', 'bill_review'}:
        return gettext('water_collection.msg_penalty_skip_appeal')
    if account.arrangements_on(date)[0]:
        return gettext('water_collection.msg_penalty_skip_arrangement')
    return None
