# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payment arrangements (HSC 116910(a)(3)): the household's unpaid balance
paid by installments (amortization, an alternative schedule, a reduced
payment, a deferral).  Signed, an arrangement protects the account from
penalties and from a shut-off while it is in good standing; an
installment or the current charges unpaid 60 days put it in default
(HSC 116910(b)), after which a shut-off needs 60 more days and a final
notice posted at the premise 5 business days before.

Payments made since the arrangement was signed pay its installments
first, oldest first (arrangement_rules).  The installments are kept as
signed; the arrangement is never deleted once signed."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedLineMixin, SealedMixin

from .. import arrangement_rules
from ..exceptions import ArrangementInvalid

KINDS = [
    ('amortization', "Amortization"),
    ('alternative', "Alternative Schedule"),
    ('reduced', "Reduced Payment"),
    ('deferral', "Temporary Deferral"),
    ]
_draft = {'readonly': Eval('state') != 'draft'}


class Arrangement(SealedMixin, Workflow, ModelSQL, ModelView):
    "A payment arrangement of an account's unpaid balance"
    __name__ = 'water.collection.arrangement'
    _sealed_states = frozenset({'active', 'completed', 'defaulted'})
    _sealed_writable = frozenset({'notes'})
    _sealed_message = 'water_collection.msg_arrangement_sealed'
    _workflow_message = 'water_collection.msg_arrangement_workflow'
    _workflow_fields = frozenset({'state', 'default_date', 'created_by'})

    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        states=_draft)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        states=_draft)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, states=_draft,
        domain=[('amount', '>', 0)],
        help="The unpaid balance the arrangement pays.")
    start_date = fields.Date(
        "First Installment", required=True, states=_draft)
    months = fields.Integer(
        "Months", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') == 'reduced',
            })
    payment = fields.Numeric(
        "Monthly Payment", digits=(16, 2), states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'reduced',
            })
    signed_date = fields.Date(
        "Signed", states=_draft,
        help="The day the customer signed the agreement: it is in force "
        "from then.")
    installments = fields.One2Many(
        'water.collection.arrangement.installment', 'arrangement',
        "Installments", readonly=True)
    paid = fields.Function(fields.Numeric(
            "Paid Since Signed", digits=(16, 2)), 'get_paid')
    default_date = fields.Date("Defaulted On", readonly=True)
    created_by = fields.Many2One(
        'res.user', "Set Up By", readonly=True, ondelete='RESTRICT')
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('active', "Active"),
            ('completed', "Completed"),
            ('defaulted', "Defaulted"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'),
            ('draft', 'cancelled'),
            ('active', 'completed'),
            ('active', 'defaulted'),
            }
        cls._buttons.update({
                'activate': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'amortization'

    @staticmethod
    def default_months():
        return arrangement_rules.MAX_MONTHS

    def get_rec_name(self, name):
        kind = dict(KINDS).get(self.kind, '')
        return f'{kind} {self.account.rec_name if self.account else ""}'

    def schedule(self):
        "[(due date, amount)] of the installments, as the rules give them"
        try:
            return arrangement_rules.installments(
                self.kind, self.amount, self.months, self.start_date,
                payment=self.payment)
        except arrangement_rules.ArrangementError as error:
            raise ArrangementInvalid(gettext(
                    f'water_collection.msg_arrangement_{error.code}',
                    account=self.account.rec_name if self.account else '',
                    **error.values)) from error

    @classmethod
    def get_paid(cls, arrangements, name):
        return {a.id: a.paid_on(Pool().get('ir.date').today())
            for a in arrangements}

    def paid_on(self, day):
        """The payments (and credits) on the account from the day it was
        signed to `day`"""
        MoveLine = Pool().get('account.move.line')
        if not self.signed_date:
            return Decimal('0.00')
        lines = MoveLine.search([
                ('water_account', '=', self.account.id),
                ('account.type.receivable', '=', True),
                ('credit', '>', 0),
                ('move.date', '>=', self.signed_date),
                ('move.date', '<=', day),
                ('move.state', '=', 'posted'),
                ])
        return sum((l.credit - l.debit for l in lines), Decimal('0.00'))

    def defaulted_on(self, day, paid=None):
        """The day it fell into default, seen on `day` with `paid` since
        it was signed (asked of the ledger when not given), or None"""
        MoveLine = Pool().get('account.move.line')
        charges = MoveLine.search([
                ('water_account', '=', self.account.id),
                ('account.type.receivable', '=', True),
                ('reconciliation', '=', None),
                ('debit', '>', 0),
                ('maturity_date', '!=', None),
                ('move.date', '>=', self.signed_date),
                ], order=[('maturity_date', 'ASC')], limit=1)
        schedule = [(i.due_date, i.amount) for i in self.installments]
        if paid is None:
            paid = self.paid_on(day)
        return arrangement_rules.default_date(schedule, paid,
            charges[0].maturity_date if charges else None, day)

    def in_good_standing(self, day):
        "Whether it protects the account on `day`"
        return (self.state == 'active' and self.signed_date <= day
            and self.defaulted_on(day) is None)

    @classmethod
    def validate_fields(cls, arrangements, field_names):
        super().validate_fields(arrangements, field_names)
        for arrangement in arrangements:
            if arrangement.state == 'draft':
                arrangement.schedule()
                arrangement.check_balance()

    def check_balance(self):
        "Refuse an arrangement of more than the account owes"
        balance = self.account.balance or Decimal(0)
        if self.amount > balance:
            raise ArrangementInvalid(gettext(
                    'water_collection.msg_arrangement_balance',
                    account=self.account.rec_name, amount=self.amount,
                    balance=balance))

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, arrangements):
        """Sign it: the installments are kept, and pending turn-offs for
        nonpayment of the account are cancelled"""
        pool = Pool()
        Installment = pool.get('water.collection.arrangement.installment')
        ServiceOrder = pool.get('water.service.order')
        for arrangement in arrangements:
            if not arrangement.signed_date:
                raise ArrangementInvalid(gettext(
                        'water_collection.msg_arrangement_unsigned',
                        arrangement=arrangement.rec_name))
        Installment.create([{
                    'arrangement': a.id, 'due_date': due, 'amount': amount,
                    } for a in arrangements for due, amount in a.schedule()])
        cls.write(arrangements, {'created_by': Transaction().user})
        ServiceOrder.cancel_turn_offs(
            [a.account for a in arrangements], 'arrangement')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, arrangements):
        pass

    @classmethod
    def protected_accounts(cls, day):
        "The ids of the accounts an arrangement in good standing protects"
        return {a.account.id for a in cls.search([
                    ('state', '=', 'active'),
                    ('signed_date', '<=', day),
                    ])
            if a.in_good_standing(day)}

    @classmethod
    def check_defaults(cls, date=None):
        """Mark the active arrangements in default or paid off (the daily
        task); return those defaulted"""
        date = date or Pool().get('ir.date').today()
        active = cls.search([('state', '=', 'active')])
        defaulted, completed = [], []
        for arrangement in active:
            paid = arrangement.paid_on(date)
            day = arrangement.defaulted_on(date, paid)
            if day:
                arrangement.default_date = day
                defaulted.append(arrangement)
            elif paid >= sum(
                    (i.amount for i in arrangement.installments),
                    Decimal(0)):
                completed.append(arrangement)
        cls.save(defaulted)
        cls.mark_defaulted(defaulted)
        cls.mark_completed(completed)
        return defaulted

    @classmethod
    @Workflow.transition('defaulted')
    def mark_defaulted(cls, arrangements):
        pass

    @classmethod
    @Workflow.transition('completed')
    def mark_completed(cls, arrangements):
        pass


class Installment(SealedLineMixin, ModelSQL, ModelView):
    "An installment of a payment arrangement"
    __name__ = 'water.collection.arrangement.installment'
    _sealed_parent = 'arrangement'
    _sealed_message = 'water_collection.msg_arrangement_sealed'

    arrangement = fields.Many2One(
        'water.collection.arrangement', "Arrangement", required=True,
        ondelete='CASCADE', readonly=True)
    due_date = fields.Date("Due Date", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
