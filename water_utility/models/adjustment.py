# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql import Literal
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Exclude, ModelSQL, ModelView, Workflow,
    fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from ..exceptions import AdjustmentError
from .account import apply_credits
from .cash import _in_group
from .mixins import (
    CompanyDayMixin, NumberedMixin, Sealed, rec_name_domain)


class AdjustmentReason(DeactivableMixin, ModelSQL, ModelView):
    """Why an account is adjusted, and the ledger account the adjustment
    posts to (a leak adjustment to its own contra-revenue, a write-off to
    the allowance for uncollectible accounts)"""
    __name__ = 'water.adjustment.reason'

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One(
        'company.company', "Company", required=True)
    account = fields.Many2One(
        'account.account', "Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ('party_required', '=', False),
            ],
        help="The ledger account the adjustment posts to.")
    allow_charge = fields.Boolean(
        "Allow Charges",
        help="Whether the reason can add to what the customer owes "
        "(a billing correction can), not only reduce it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Exclude(t, (t.company, Equal), (t.code, Equal),
                    where=t.active == Literal(True)),
                'water_utility.msg_adjustment_reason_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_allow_charge(cls):
        return False

    def get_rec_name(self, name):
        return f'{self.code} - {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'code', 'name')


class Adjustment(
        CompanyDayMixin, NumberedMixin, Sealed, Workflow, ModelSQL,
        ModelView):
    """A credit or a charge on a customer account for a reason: posted as
    a credit note (or invoice) of its own on the reason's ledger account;
    a credit pays the account's open bills.  Above the configured limit
    finance approves it first."""
    __name__ = 'water.account.adjustment'
    _number_sequence = 'adjustment_sequence'
    # Asked for, the adjustment is what finance signs; posted, what the
    # ledger holds.
    _sealed_states = frozenset({'waiting', 'approved', 'posted'})
    _sealed_message = 'water_utility.msg_adjustment_delete'
    _workflow_fields = frozenset({
            'state', 'requested_by', 'approved_by', 'approved_at',
            'invoice'})
    _rec_name = 'number'

    _draft = {'readonly': Eval('state') != 'draft'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    account = fields.Many2One(
        'water.account', "Account", required=True, states=_draft,
        domain=[('company', '=', Eval('company', -1))],
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date("Date", required=True, states=_draft)
    reason = fields.Many2One(
        'water.adjustment.reason', "Reason", required=True, states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection([
            ('credit', "Credit"),
            ('charge', "Charge"),
            ], "Kind", required=True, states=_draft,
        help="A credit reduces what the customer owes; a charge adds "
        "to it.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_draft)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    bill = fields.Many2One(
        'account.invoice', "Bill", states=_draft,
        domain=[
            If(Bool(Eval('account')),
                ('water_account', '=', Eval('account', -1)),
                ()),
            ('type', '=', 'out'),
            ('state', 'in', ['posted', 'paid']),
            ],
        help="The bill the adjustment is about, if one.")
    description = fields.Text(
        "Description", required=True, states=_draft,
        help="What happened and why the account is adjusted: printed "
        "on the customer's statement.")
    needs_approval = fields.Function(
        fields.Boolean("Needs Approval"), 'on_change_with_needs_approval')
    requested_by = fields.Many2One(
        'res.user', "Requested By", readonly=True, ondelete='RESTRICT')
    approved_by = fields.Many2One(
        'res.user', "Approved By", readonly=True, ondelete='RESTRICT')
    approved_at = fields.Timestamp("Approved At", readonly=True)
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT',
        help="The credit note (or invoice) the adjustment posted.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('waiting', "Waiting Approval"),
            ('approved', "Approved"),
            ('posted', "Posted"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'waiting'),
            ('draft', 'posted'),
            ('waiting', 'approved'),
            ('approved', 'posted'),
            ('draft', 'cancelled'),
            ('waiting', 'cancelled'),
            ('approved', 'cancelled'),
            ('waiting', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'request_approval': {
                    'invisible': ((Eval('state') != 'draft')
                        | ~Eval('needs_approval', False)),
                    'depends': ['state', 'needs_approval'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'waiting',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': ~((Eval('state') == 'approved')
                        | ((Eval('state') == 'draft')
                            & ~Eval('needs_approval', False))),
                    'depends': ['state', 'needs_approval'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'waiting', 'approved']),
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['waiting', 'cancelled']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_kind(cls):
        return 'credit'

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_requested_by(cls):
        return Transaction().user

    @fields.depends('amount')
    def on_change_with_needs_approval(self, name=None):
        limit = Pool().get('water.configuration')(1).adjustment_limit
        return bool(limit is not None and self.amount is not None
            and self.amount > limit)

    @classmethod
    def validate_fields(cls, adjustments, field_names):
        super().validate_fields(adjustments, field_names)
        if field_names & {'amount', 'kind', 'reason', 'account'}:
            for adjustment in adjustments:
                adjustment.check_amount()

    def check_amount(self):
        if self.amount is None or self.amount <= 0:
            raise AdjustmentError(gettext(
                    'water_utility.msg_adjustment_amount_positive',
                    adjustment=self.rec_name))
        if (self.kind == 'charge' and self.reason
                and not self.reason.allow_charge):
            raise AdjustmentError(gettext(
                    'water_utility.msg_adjustment_charge_reason',
                    adjustment=self.rec_name, reason=self.reason.rec_name))

    def get_rec_name(self, name):
        return f'{self.number} {self.account.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'number', 'account.rec_name')

    @property
    def signed_amount(self):
        "What the adjustment adds to the customer's balance"
        return self.amount if self.kind == 'charge' else -self.amount

    @classmethod
    def copy(cls, adjustments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        return super().copy(adjustments, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def request_approval(cls, adjustments):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, adjustments):
        "Finance's signature on an adjustment above the limit"
        if not _in_group('group_finance'):
            raise AdjustmentError(gettext(
                    'water_utility.msg_adjustment_approve_group'))
        user = Transaction().user
        for adjustment in adjustments:
            if user and adjustment.requested_by.id == user:
                raise AdjustmentError(gettext(
                        'water_utility.msg_adjustment_approve_self',
                        adjustment=adjustment.rec_name))
        cls.write(adjustments, {
                'approved_by': user,
                'approved_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, adjustments):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, adjustments):
        cls.write(adjustments, {'approved_by': None, 'approved_at': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, adjustments):
        """Post each adjustment as an invoice of its own (a credit note for
        a credit) on its reason's account, then apply the accounts'
        credits to their open bills"""
        for adjustment in adjustments:
            if adjustment.needs_approval and not adjustment.approved_by:
                raise AdjustmentError(gettext(
                        'water_utility.msg_adjustment_needs_approval',
                        adjustment=adjustment.rec_name))
        invoices = _post_invoices([a.get_invoice() for a in adjustments])
        for adjustment, invoice in zip(adjustments, invoices):
            adjustment.invoice = invoice
        cls.save(adjustments)
        apply_credits(list({a.account for a in adjustments}))

    def get_invoice(self):
        "The unsaved invoice that posts the adjustment"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        Configuration = pool.get('water.configuration')
        # The receivable line carries it: the customer's statement
        # prints why the account was adjusted.
        description = ' '.join(
            f'{self.number} {self.reason.name}: {self.description}'.split())
        invoice = self.account.customer_invoice(
            self.company, self.date, description,
            Configuration(1).payment_term if self.kind == 'charge'
            else None)
        invoice.lines = [InvoiceLine(
                type='line', company=self.company,
                currency=self.company.currency,
                account=self.reason.account,
                quantity=1, unit_price=self.signed_amount,
                description=description,
                taxes=[], origin=self)]
        return invoice


@without_check_access
def _post_invoices(invoices):
    "Save and post `invoices` as finance would: the adjustment guards them"
    Invoice = Pool().get('account.invoice')
    Invoice.save(invoices)
    Invoice.post(invoices)
    return invoices
