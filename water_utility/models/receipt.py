# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A counter receipt: numbered without gaps, its lines paying the
account's bills oldest first, posted through the counter journal; voided
(never deleted) through a reversal, with the printed receipt and letter."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .. import cash
from ..counter_turn import counter_turn
from ..exceptions import CashError
from .cash import (
    TENDERS, _configuration, _in_group, open_bills, payment_lines,
    post_statements)
from .mixins import Sealed, SealedLine
from .report import CustomerReport

class Receipt(Sealed, Workflow, ModelSQL, ModelView):
    "A payment taken at the counter, numbered and posted"
    __name__ = 'water.cash.receipt'
    # Posted, a receipt is what the customer holds: voided only through
    # the Void wizard, which reverses its entries.
    _sealed_states = frozenset({'posted', 'voided'})
    _sealed_message = 'water_utility.msg_receipt_delete'
    _workflow_fields = frozenset({
            'state', 'number', 'statement', 'posted_at', 'void_reason',
            'voided_by', 'voided_at'})
    _rec_name = 'number'

    _draft = {'readonly': Eval('state') != 'draft'}
    _voided = {'invisible': Eval('state') != 'voided'}

    number = fields.Char("Number", readonly=True)
    drawer = fields.Many2One(
        'water.cash.drawer', "Drawer", required=True, ondelete='RESTRICT',
        domain=[('state', '=', 'open')], states=_draft)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    date = fields.Function(fields.Date("Date"), 'on_change_with_date')
    customer_account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        states=_draft,
        help="Found by account number, customer name, service street or "
        "phone.")
    party = fields.Function(
        fields.Many2One('party.party', "Customer",
            context={'company': Eval('company', -1)}, depends=['company']),
        'on_change_with_party')
    balance = fields.Function(Monetary(
            "Balance", currency='currency', digits='currency',
            help="The account's balance in the ledger."),
        'on_change_with_balance')
    open_invoices = fields.Function(fields.Many2Many(
            'account.invoice', None, None, "Open Bills"),
        'on_change_with_open_invoices')
    tender = fields.Selection(TENDERS, "Tender", required=True, states=_draft)
    check_number = fields.Char(
        "Check Number", states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('tender') == 'check',
            'invisible': Eval('tender') != 'check',
            })
    check_bank = fields.Char(
        "Bank", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('tender') != 'check',
            })
    card_reference = fields.Char(
        "Card Authorization", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('tender') != 'card',
            },
        help="The terminal's authorization code (never the card number).")
    amount = Monetary(
        "Payment", currency='currency', digits='currency', required=True,
        states=_draft,
        help="What the account is paid.")
    tendered = Monetary(
        "Tendered", currency='currency', digits='currency', states=_draft,
        help="What the customer handed over.")
    change = fields.Function(Monetary(
            "Change", currency='currency', digits='currency'),
        'on_change_with_change')
    lines = fields.One2Many(
        'water.cash.receipt.line', 'receipt', "Applied To", states=_draft,
        help="The bills the payment pays, oldest first unless changed.")
    unapplied = fields.Function(Monetary(
            "Credit", currency='currency', digits='currency',
            help="What the payment leaves on the account as a credit for "
            "the next bill."),
        'on_change_with_unapplied')
    statement = fields.Many2One(
        'account.statement', "Statement", readonly=True,
        ondelete='RESTRICT')
    posted_at = fields.Timestamp("Posted At", readonly=True)
    void_reason = fields.Text(
        "Void Reason", readonly=True, states=_voided)
    voided_by = fields.Many2One(
        'res.user', "Voided By", readonly=True, ondelete='RESTRICT',
        states=_voided)
    voided_at = fields.Timestamp(
        "Voided At", readonly=True, states=_voided)
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ('voided', "Voided"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft, _voided

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.number),
                'water_utility.msg_receipt_number_unique'),
            ]
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('posted', 'voided'),
            }
        cls._buttons.update({
                'apply_oldest_first': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'void': {
                    'invisible': Eval('state') != 'posted',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_tender(cls):
        return 'cash'

    @classmethod
    def default_drawer(cls):
        "The clerk's open drawer of the day"
        pool = Pool()
        Drawer = pool.get('water.cash.drawer')
        drawers = Drawer.search([
                ('clerk', '=', Transaction().user),
                ('date', '=', pool.get('ir.date').today()),
                ('state', '=', 'open'),
                ], limit=1)
        if drawers:
            return drawers[0].id

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        "Known from the start, so that amounts show their cents"
        Company = Pool().get('company.company')
        company = cls.default_company()
        if company is not None and company >= 0:
            return Company(company).currency.id

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('drawer', '_parent_drawer.date')
    def on_change_with_date(self, name=None):
        return self.drawer.date if self.drawer else None

    @fields.depends('customer_account')
    def on_change_with_party(self, name=None):
        return self.customer_account.party if self.customer_account else None

    @fields.depends('customer_account')
    def on_change_with_balance(self, name=None):
        if self.customer_account and self.customer_account.id >= 0:
            return self.customer_account.balance

    @fields.depends('customer_account')
    def on_change_with_open_invoices(self, name=None):
        if self.customer_account and self.customer_account.id >= 0:
            return [i.id for i in open_bills(
                        [self.customer_account])[self.customer_account.id]]
        return []

    @fields.depends('tender', 'amount', 'tendered')
    def on_change_with_change(self, name=None):
        if self.amount is not None:
            return cash.change_due(self.tender, self.amount,
                self.tendered if self.tendered is not None else self.amount)

    @fields.depends('amount', 'lines')
    def on_change_with_unapplied(self, name=None):
        if self.amount is None:
            return None
        return self.amount - sum(
            (l.amount or 0 for l in self.lines), Decimal(0))

    @fields.depends('tender', 'amount', 'tendered')
    def on_change_tender(self):
        if self.tender != 'cash':
            self.tendered = self.amount

    @fields.depends(methods=['_allocate', 'on_change_tender'])
    def on_change_amount(self):
        self._allocate()
        self.on_change_tender()

    @fields.depends(methods=['_allocate'])
    def on_change_customer_account(self):
        self._allocate()

    @fields.depends('customer_account', 'amount', 'lines', 'state')
    def _allocate(self):
        "Apply the payment to the account's open bills, oldest first"
        pool = Pool()
        Line = pool.get('water.cash.receipt.line')
        if self.state not in {None, 'draft'}:
            return
        if (not self.customer_account or self.customer_account.id < 0
                or not self.amount or self.amount < 0):
            self.lines = []
            return
        invoices = open_bills(
            [self.customer_account])[self.customer_account.id]
        applied, _ = cash.allocate(
            self.amount, [(i, i.amount_to_pay) for i in invoices])
        self.lines = [Line(invoice=i, amount=a, amount_to_pay=i.amount_to_pay,
                invoice_date=i.invoice_date) for i, a in applied]

    @classmethod
    @ModelView.button
    def apply_oldest_first(cls, receipts):
        for receipt in receipts:
            receipt._allocate()
        cls.save(receipts)

    @classmethod
    def validate_fields(cls, receipts, field_names):
        super().validate_fields(receipts, field_names)
        for receipt in receipts:
            if receipt.amount is not None and receipt.amount <= 0:
                raise CashError(gettext(
                        'water_utility.msg_receipt_amount_positive',
                        receipt=receipt.rec_name))

    def check_postable(self):
        "Raise CashError, naming the receipt, when it cannot post as it is"
        user = Transaction().user
        name = self.rec_name
        if self.drawer.state != 'open':
            raise CashError(gettext('water_utility.msg_receipt_drawer_closed',
                    receipt=name, drawer=self.drawer.rec_name))
        if user and self.drawer.clerk.id != user:
            raise CashError(gettext('water_utility.msg_drawer_not_yours',
                    drawer=self.drawer.rec_name))
        if not self.customer_account.active:
            raise CashError(gettext('water_utility.msg_receipt_account_closed',
                    receipt=name, account=self.customer_account.rec_name))
        if self.tender == 'check' and not (self.check_number or '').strip():
            raise CashError(gettext('water_utility.msg_receipt_check_number',
                    receipt=name))
        tendered = self.tendered if self.tendered is not None else self.amount
        if cash.change_due(self.tender, self.amount, tendered) is None:
            raise CashError(gettext('water_utility.msg_receipt_tendered',
                    receipt=name, tender=self.tender,
                    amount=self.amount, tendered=tendered))
        applied = Decimal(0)
        for line in self.lines:
            invoice = line.invoice
            if line.amount is None or line.amount <= 0:
                raise CashError(gettext(
                        'water_utility.msg_receipt_line_amount',
                        receipt=name, invoice=invoice.rec_name))
            if (invoice.water_account != self.customer_account
                    or invoice.state != 'posted'):
                raise CashError(gettext(
                        'water_utility.msg_receipt_line_invoice',
                        receipt=name, invoice=invoice.rec_name))
            if line.amount > invoice.amount_to_pay:
                raise CashError(gettext(
                        'water_utility.msg_receipt_line_too_much',
                        receipt=name, invoice=invoice.rec_name,
                        amount=line.amount, to_pay=invoice.amount_to_pay))
            applied += line.amount
        if applied > self.amount:
            raise CashError(gettext('water_utility.msg_receipt_over_applied',
                    receipt=name, applied=applied, amount=self.amount))
        invoices = [l.invoice for l in self.lines]
        if len(set(invoices)) != len(invoices):
            raise CashError(gettext('water_utility.msg_receipt_line_twice',
                    receipt=name))

    def get_statement(self, config):
        "The counter statement that posts the receipt"
        Statement = Pool().get('account.statement')
        account = self.customer_account
        credit = self.amount - sum((l.amount for l in self.lines), Decimal(0))
        lines = payment_lines(
            [(l.invoice, l.invoice.account, l.amount) for l in self.lines],
            credit, account.party, number=self.number, date=self.date,
            water_account=account, description=self.description)
        return Statement(
            name=self.number, company=self.company,
            journal=config.counter_journal, date=self.date,
            total_amount=self.amount, lines=lines)

    @property
    def description(self):
        tender = dict(TENDERS)[self.tender]
        if self.tender == 'check':
            return f"{tender} {self.check_number}"
        return tender

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, receipts):
        config = _configuration()
        for receipt in receipts:
            receipt.check_postable()
        if not receipts:
            return
        # Cashiers posting at once wait for each other's strict numbers.
        with counter_turn(receipts[0].company):
            for receipt in receipts:
                receipt.number = config.receipt_sequence.get()
                if receipt.tendered is None:
                    receipt.tendered = receipt.amount
            with without_check_access():
                statements = [r.get_statement(config) for r in receipts]
            post_statements(statements)
            now = dt.datetime.now()
            for receipt, statement in zip(receipts, statements):
                receipt.statement = statement
                receipt.posted_at = now
            cls.save(receipts)

    @classmethod
    @ModelView.button_action('water_utility.wizard_receipt_void')
    def void(cls, receipts):
        pass

    @classmethod
    def do_void(cls, receipts, reason):
        """Undo what the receipts posted: their payments are taken off the
        bills they paid and their moves cancelled, each reconciled with its
        cancellation; the receipts stay, voided, with the reason."""
        if not _in_group('group_finance'):
            raise CashError(gettext('water_utility.msg_receipt_void_group'))
        if not (reason or '').strip():
            raise CashError(gettext('water_utility.msg_receipt_void_reason'))
        for receipt in receipts:
            if receipt.state != 'posted':
                raise CashError(gettext(
                        'water_utility.msg_receipt_void_state',
                        receipt=receipt.rec_name))
            if receipt.drawer.state != 'open':
                raise CashError(gettext(
                        'water_utility.msg_receipt_void_drawer_closed',
                        receipt=receipt.rec_name,
                        drawer=receipt.drawer.rec_name))
        with counter_turn(receipts[0].company), without_check_access():
            cls._reverse(receipts)
        cls.write(receipts, {
                'state': 'voided',
                'void_reason': reason.strip(),
                'voided_by': Transaction().user,
                'voided_at': dt.datetime.now(),
                })

    @classmethod
    def _reverse(cls, receipts):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Reconciliation = pool.get('account.move.reconciliation')
        moves = list({l.move for r in receipts for l in r.statement.lines})
        lines = [l for m in moves for l in m.lines]
        Reconciliation.delete(list({l.reconciliation for l in lines
                    if l.reconciliation}))
        invoices = list({l.invoice for r in receipts for l in r.lines})
        Invoice.process(invoices)
        Invoice.remove_payment_lines(lines)
        cancels = [m.cancel() for m in moves]
        Move.post(cancels)
        to_reconcile = []
        for move, cancel in zip(moves, cancels):
            counterpart = defaultdict(list)
            for line in cancel.lines:
                counterpart[(line.account, line.party, line.water_account,
                        -line.debit, -line.credit)].append(line)
            for line in move.lines:
                if not line.account.reconcile:
                    continue
                key = (line.account, line.party, line.water_account,
                    line.debit, line.credit)
                to_reconcile.append([line, counterpart[key].pop()])
        if to_reconcile:
            MoveLine.reconcile(*to_reconcile)



class ReceiptLine(SealedLine, ModelSQL, ModelView):
    "What a receipt pays of one bill"
    __name__ = 'water.cash.receipt.line'
    _sealed_parent = 'receipt'
    receipt = fields.Many2One(
        'water.cash.receipt', "Receipt", required=True, ondelete='CASCADE')
    invoice = fields.Many2One(
        'account.invoice', "Bill", required=True, ondelete='RESTRICT',
        domain=[
            ('water_account', '=',
                Eval('_parent_receipt', {}).get('customer_account', -1)),
            ('type', '=', 'out'),
            ('state', '=', 'posted'),
            ])
    invoice_date = fields.Function(
        fields.Date("Bill Date"), 'on_change_with_invoice_date')
    amount_to_pay = fields.Function(Monetary(
            "Owed", currency='currency', digits='currency'),
        'on_change_with_amount_to_pay')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('receipt', 'ASC'), ('id', 'ASC')]

    @fields.depends('invoice')
    def on_change_with_invoice_date(self, name=None):
        return self.invoice.invoice_date if self.invoice else None

    @fields.depends('invoice')
    def on_change_with_amount_to_pay(self, name=None):
        if self.invoice and self.invoice.id >= 0:
            return self.invoice.amount_to_pay

    @fields.depends('invoice')
    def on_change_with_currency(self, name=None):
        return self.invoice.currency if self.invoice else None


class VoidReceiptStart(ModelView):
    "Why the receipt is voided"
    __name__ = 'water.cash.receipt.void.start'
    reason = fields.Text("Reason", required=True)


class VoidReceipt(Wizard):
    "Void a posted receipt"
    __name__ = 'water.cash.receipt.void'
    start = StateView('water.cash.receipt.void.start',
        'water_utility.receipt_void_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Void", 'void', 'tryton-ok', default=True),
            ])
    void = StateTransition()

    def transition_void(self):
        Receipt = Pool().get('water.cash.receipt')
        Receipt.do_void(self.records, self.start.reason)
        return 'end'


class ReceiptReport(CustomerReport):
    "A counter receipt for the receipt printer (80 mm roll)"
    __name__ = 'water.cash.receipt.report'
    _paper = 'roll'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['paper'] = cls._paper
        return context


class ReceiptLetterReport(ReceiptReport):
    "A counter receipt on letter paper"
    __name__ = 'water.cash.receipt.letter'
    _paper = 'letter'
