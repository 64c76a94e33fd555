# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The counter: a cash drawer per clerk per day, its numbered receipts, and
the close-out count.

Every receipt posts through Tryton's account statement: a statement of the
counter journal (its account is Undeposited Funds) whose lines pay the
bills, so the receivable falls, undeposited funds rise, and each bill's
receivable line is reconciled against its payment by Tryton itself.  A
drawer's over or short posts the same way, to its own account."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .. import cash
from ..counter_turn import counter_turn
from ..exceptions import CashError
from .mixins import (
    CompanyDayMixin, NumberedMixin, Sealed, SealedLine, rec_name_domain)
from .report import DistrictReport

TENDERS = [
    ('cash', "Cash"),
    ('check', "Check"),
    ('card', "Card"),
    ]


def _configuration(*names):
    """The water configuration, with the counter's settings and the
    settings `names` checked"""
    Configuration = Pool().get('water.configuration')
    config = Configuration(1)
    for name in ['counter_journal', 'over_short_account',
            'receipt_sequence', *names]:
        if not getattr(config, name):
            raise CashError(gettext('water_utility.msg_cash_not_configured',
                    field=Configuration.fields_get([name])[name]['string']))
    return config


@without_check_access
def post_statements(statements):
    """Save, validate and post the statements as Tryton does, at once.

    The ledger's own access rules are finance's: the cashier posts through
    the counter's documents, which the groups on their buttons guard."""
    Statement = Pool().get('account.statement')
    if statements:
        # the fiscal year's move numbers: one poster at a time
        with counter_turn(statements[0].company):
            Statement.save(statements)
            Statement.validate_statement(statements)
            Statement.post(statements)


@without_check_access
def open_bills(accounts):
    "{account id: [its posted bills still owed, oldest first]}"
    Invoice = Pool().get('account.invoice')
    bills = defaultdict(list)
    for invoice in Invoice.search([
                ('water_account', 'in', [a.id for a in accounts]),
                ('type', '=', 'out'),
                ('state', '=', 'posted'),
                ('total_amount', '>', 0),
                ], order=[('invoice_date', 'ASC'), ('id', 'ASC')]):
        bills[invoice.water_account.id].append(invoice)
    return bills


def _in_group(xml_id):
    """Whether the user (root aside) belongs to the water group `xml_id`
    or administers the water utility"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    transaction = Transaction()
    if transaction.user == 0 or not transaction.check_access:
        return True
    groups = User.get_groups()
    return any(ModelData.get_id('water_utility', g) in groups
        for g in [xml_id, 'group_water_admin'])


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    water_account = fields.Many2One(
        'water.account', "Water Account", ondelete='RESTRICT',
        states={'readonly': Eval('statement_state') != 'draft'},
        help="The customer account the payment is for: its receivable "
        "line counts in the account's balance.")

    def get_move_line(self):
        line = super().get_move_line()
        if line:
            line.water_account = self.water_account
        return line

    @classmethod
    def post_move(cls, lines):
        """Post the lines' moves in the order of their ids: Tryton posts
        them as a set, whose order (and so the moves' numbers) follows
        the hashes of the model's name"""
        Move = Pool().get('account.move')
        Move.post(sorted({l.move for l in lines
                    if l.move and l.move.state != 'posted'},
                key=lambda m: m.id))


class Drawer(
        CompanyDayMixin, NumberedMixin, Sealed, Workflow, ModelSQL,
        ModelView):
    "A clerk's cash drawer for one day: its float, receipts and count"
    __name__ = 'water.cash.drawer'
    _number_sequence = 'drawer_sequence'
    # Closed, the count is what the clerk signed for; it only goes to a
    # deposit.
    _sealed_states = frozenset({'closed', 'verified'})
    _sealed_writable = frozenset({'deposit'})
    _workflow_fields = frozenset({
            'state', 'closed_at', 'supervisor', 'verified_at',
            'over_short_statement'})
    _rec_name = 'number'

    _open = {'readonly': Eval('state') != 'open'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    clerk = fields.Many2One(
        'res.user', "Clerk", required=True, readonly=True,
        ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    opening_float = Monetary(
        "Opening Float", currency='currency', digits='currency',
        required=True, states=_open,
        help="The change fund the drawer starts the day with.")
    receipts = fields.One2Many(
        'water.cash.receipt', 'drawer', "Receipts", readonly=True)
    counts = fields.One2Many(
        'water.cash.drawer.count', 'drawer', "Cash Count", states=_open,
        help="Pieces of each denomination in the drawer at close, float "
        "included.")
    checks_counted = Monetary(
        "Checks Counted", currency='currency', digits='currency',
        states=_open, help="The total of the checks in the drawer.")
    cards_counted = Monetary(
        "Card Settlement", currency='currency', digits='currency',
        states=_open,
        help="The total of the card terminal's settlement report.")
    expected_cash = fields.Function(Monetary(
            "Expected Cash", currency='currency', digits='currency',
            help="Float plus cash receipts."), 'get_totals')
    expected_checks = fields.Function(Monetary(
            "Expected Checks", currency='currency', digits='currency'),
        'get_totals')
    expected_cards = fields.Function(Monetary(
            "Expected Cards", currency='currency', digits='currency'),
        'get_totals')
    counted_cash = fields.Function(Monetary(
            "Counted Cash", currency='currency', digits='currency'),
        'get_totals')
    over_short = fields.Function(Monetary(
            "Over (Short)", currency='currency', digits='currency',
            help="Counted less expected, all tenders."), 'get_totals')
    receipt_count = fields.Function(
        fields.Integer("Receipts Taken"), 'get_totals')
    closed_at = fields.Timestamp("Closed At", readonly=True)
    supervisor = fields.Many2One(
        'res.user', "Supervisor", readonly=True, ondelete='RESTRICT')
    verified_at = fields.Timestamp("Verified At", readonly=True)
    over_short_statement = fields.Many2One(
        'account.statement', "Over/Short Statement", readonly=True,
        ondelete='RESTRICT')
    deposit = fields.Many2One(
        'water.cash.deposit', "Deposit", readonly=True, ondelete='RESTRICT',
        help="The bank deposit the drawer's takings went in.")
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ('verified', "Verified"),
            ], "State", readonly=True, required=True, sort=False)

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('clerk_date_unique', Unique(t, t.company, t.clerk, t.date),
                'water_utility.msg_drawer_clerk_date_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'closed'),
            ('closed', 'verified'),
            }
        cls._buttons.update({
                'fill_count': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'verify': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_clerk(cls):
        return Transaction().user

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_opening_float(cls):
        config = Pool().get('water.configuration')(1)
        return config.drawer_float

    def get_rec_name(self, name):
        return f'{self.number} {self.clerk.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'number', 'clerk.rec_name')

    def tender_totals(self):
        "{tender: amount} of the drawer's receipts that stand"
        totals = defaultdict(Decimal)
        for receipt in self.receipts:
            if receipt.state == 'posted':
                totals[receipt.tender] += receipt.amount
        return totals

    def takings(self):
        """What the drawer sends to the bank, {'currency', 'coin', 'checks',
        'cards'}: the cash counted less the float, which stays, taken from
        the bills first; the checks; the card settlement"""
        counts = {c.denomination: c.pieces for c in self.counts}
        coin = cash.count_total(
            {d: n for d, n in counts.items() if d in cash.COIN})
        currency = cash.count_total(counts) - coin - self.opening_float
        if currency < 0:
            coin += currency
            currency = Decimal('0.00')
        return {
            'currency': currency,
            'coin': coin,
            'checks': self.checks_counted or Decimal('0.00'),
            'cards': self.cards_counted or Decimal('0.00'),
            }

    @classmethod
    def get_totals(cls, drawers, names):
        result = {n: {} for n in names}
        for drawer in drawers:
            totals = drawer.tender_totals()
            counted = cash.count_total(
                {c.denomination: c.pieces for c in drawer.counts})
            values = {
                'expected_cash': drawer.opening_float + totals['cash'],
                'expected_checks': totals['check'],
                'expected_cards': totals['card'],
                'counted_cash': counted,
                'receipt_count': sum(
                    1 for r in drawer.receipts if r.state != 'draft'),
                }
            if drawer.state == 'open' and not drawer.counts:
                values['over_short'] = None
            else:
                values['over_short'] = (
                    counted - values['expected_cash']
                    + (drawer.checks_counted or 0) - totals['check']
                    + (drawer.cards_counted or 0) - totals['card'])
            for name in names:
                result[name][drawer.id] = values[name]
        return result

    @classmethod
    def check_modification(cls, mode, drawers, values=None, external=False):
        super().check_modification(
            mode, drawers, values=values, external=external)
        if mode == 'delete':
            for drawer in drawers:
                if drawer.state != 'open' or drawer.receipts:
                    raise AccessError(gettext(
                            'water_utility.msg_drawer_delete',
                            drawer=drawer.rec_name))
        if mode == 'write' and 'deposit' in values:
            Deposit = Pool().get('water.cash.deposit')
            new = values['deposit'] and Deposit(values['deposit'])
            for drawer in drawers:
                for deposit in [drawer.deposit, new]:
                    if deposit and deposit.state == 'posted':
                        raise AccessError(gettext(
                                'water_utility.msg_drawer_deposited',
                                drawer=drawer.rec_name,
                                deposit=deposit.rec_name))

    @classmethod
    @ModelView.button
    def fill_count(cls, drawers):
        "List every denomination to count, keeping what was typed"
        pool = Pool()
        Count = pool.get('water.cash.drawer.count')
        to_save = []
        for drawer in drawers:
            typed = {c.denomination for c in drawer.counts}
            to_save.extend(Count(drawer=drawer, denomination=d, pieces=0)
                for d, _ in cash.DENOMINATIONS if d not in typed)
        Count.save(to_save)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, drawers):
        """Close the count: the over or short posts to its own account and
        the drawer takes no more receipts"""
        pool = Pool()
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        config = _configuration()
        for drawer in drawers:
            if drawer.clerk.id != Transaction().user and not _in_group(
                    'group_finance'):
                raise CashError(gettext('water_utility.msg_drawer_not_yours',
                        drawer=drawer.rec_name))
            drafts = [r for r in drawer.receipts if r.state == 'draft']
            if drafts:
                raise CashError(gettext('water_utility.msg_drawer_drafts',
                        drawer=drawer.rec_name,
                        receipts=len(drafts)))
            if (not drawer.counts or drawer.checks_counted is None
                    or drawer.cards_counted is None):
                raise CashError(gettext('water_utility.msg_drawer_not_counted',
                        drawer=drawer.rec_name))
        statements = []
        for drawer in drawers:
            if not drawer.over_short:
                continue
            statement = Statement(
                name=f"{drawer.number} over/short",
                company=drawer.company, journal=config.counter_journal,
                date=drawer.date, total_amount=drawer.over_short)
            statement.lines = [StatementLine(
                    number=drawer.number, date=drawer.date,
                    amount=drawer.over_short,
                    account=config.over_short_account,
                    description=gettext(
                        'water_utility.msg_drawer_over_short_description',
                        drawer=drawer.rec_name))]
            statements.append((drawer, statement))
        post_statements([s for _, s in statements])
        for drawer, statement in statements:
            drawer.over_short_statement = statement
        now = dt.datetime.now()
        for drawer in drawers:
            drawer.closed_at = now
        cls.save(drawers)

    @classmethod
    @ModelView.button
    @Workflow.transition('verified')
    def verify(cls, drawers):
        "The supervisor's signature on the drawer report"
        if not _in_group('group_finance'):
            raise CashError(gettext('water_utility.msg_drawer_verify_group'))
        user = Transaction().user
        for drawer in drawers:
            if drawer.clerk.id == user and user:
                raise CashError(gettext(
                        'water_utility.msg_drawer_verify_self',
                        drawer=drawer.rec_name))
        cls.write(drawers, {
                'supervisor': user,
                'verified_at': dt.datetime.now(),
                })


class Deposit(
        CompanyDayMixin, NumberedMixin, Sealed, Workflow,
        ModelSQL, ModelView):
    """A bank deposit of closed drawers' takings: cash and checks on the
    deposit slip, and the day's card settlement, out of Undeposited Funds
    into the bank"""
    __name__ = 'water.cash.deposit'
    _number_sequence = 'deposit_sequence'
    _sealed_message = 'water_utility.msg_deposit_delete'
    _workflow_fields = frozenset({'state', 'statement', 'posted_by'})
    _rec_name = 'number'

    _draft = {'readonly': Eval('state') != 'draft'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    date = fields.Date("Date", required=True, states=_draft)
    drawers = fields.One2Many(
        'water.cash.drawer', 'deposit', "Drawers", add_remove=[
            ('state', 'in', ['closed', 'verified']),
            ('deposit', '=', None),
            ('company', '=', Eval('company', -1)),
            ],
        states=_draft,
        help="Closed drawers whose takings go to the bank.")
    currency_amount = fields.Function(Monetary(
            "Currency", currency='currency', digits='currency'),
        'get_amounts')
    coin_amount = fields.Function(Monetary(
            "Coin", currency='currency', digits='currency'), 'get_amounts')
    check_amount = fields.Function(Monetary(
            "Checks", currency='currency', digits='currency'),
        'get_amounts')
    check_count = fields.Function(
        fields.Integer("Number of Checks"), 'get_amounts')
    card_amount = fields.Function(Monetary(
            "Card Settlement", currency='currency', digits='currency',
            help="Deposited by the card processor, not on the slip."),
        'get_amounts')
    slip_total = fields.Function(Monetary(
            "Deposit Slip Total", currency='currency', digits='currency'),
        'get_amounts')
    total = fields.Function(Monetary(
            "Total", currency='currency', digits='currency'), 'get_amounts')
    statement = fields.Many2One(
        'account.statement', "Statement", readonly=True,
        ondelete='RESTRICT')
    posted_by = fields.Many2One(
        'res.user', "Posted By", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'posted')}
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    def checks(self):
        "The check receipts of the deposit's drawers, in receipt order"
        return sorted((r for d in self.drawers for r in d.receipts
                if r.tender == 'check' and r.state == 'posted'),
            key=lambda r: r.number)

    @classmethod
    def get_amounts(cls, deposits, names):
        result = {n: {} for n in names}
        for deposit in deposits:
            takings = defaultdict(lambda: Decimal('0.00'))
            for drawer in deposit.drawers:
                for key, value in drawer.takings().items():
                    takings[key] += value
            values = {
                'currency_amount': takings['currency'],
                'coin_amount': takings['coin'],
                'check_amount': takings['checks'],
                'check_count': len(deposit.checks()),
                'card_amount': takings['cards'],
                'slip_total': (takings['currency'] + takings['coin']
                    + takings['checks']),
                'total': sum(takings.values(), Decimal('0.00')),
                }
            for name in names:
                result[name][deposit.id] = values[name]
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, deposits):
        """Move the takings out of Undeposited Funds into the bank, through
        a statement of the deposit journal"""
        pool = Pool()
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        config = _configuration('deposit_journal')
        undeposited = config.counter_journal.account
        statements = []
        for deposit in deposits:
            if not deposit.drawers:
                raise CashError(gettext('water_utility.msg_deposit_empty',
                        deposit=deposit.rec_name))
            for drawer in deposit.drawers:
                if drawer.state not in {'closed', 'verified'}:
                    raise CashError(gettext(
                            'water_utility.msg_deposit_drawer_open',
                            deposit=deposit.rec_name,
                            drawer=drawer.rec_name))
            # The slip and the card settlement reach the bank apart: each
            # its own number, so its own move and line on the bank account
            # for the bank statement to clear.
            lines = []
            for key, amount, number in [
                    ('msg_deposit_line_slip', deposit.slip_total,
                        deposit.number),
                    ('msg_deposit_line_cards', deposit.card_amount,
                        f'{deposit.number}/C')]:
                if amount:
                    lines.append(StatementLine(
                            number=number, date=deposit.date,
                            amount=amount, account=undeposited,
                            description=gettext(f'water_utility.{key}',
                                deposit=deposit.number)))
            statements.append(Statement(
                    name=deposit.number, company=deposit.company,
                    journal=config.deposit_journal, date=deposit.date,
                    total_amount=deposit.total, lines=lines))
        post_statements(statements)
        for deposit, statement in zip(deposits, statements):
            deposit.statement = statement
            deposit.posted_by = Transaction().user
        cls.save(deposits)


class DrawerCount(SealedLine, ModelSQL, ModelView):
    "Pieces of one denomination counted in a drawer"
    __name__ = 'water.cash.drawer.count'
    _sealed_parent = 'drawer'
    drawer = fields.Many2One(
        'water.cash.drawer', "Drawer", required=True, ondelete='CASCADE')
    denomination = fields.Selection(
        cash.DENOMINATIONS, "Denomination", required=True, sort=False)
    pieces = fields.Integer(
        "Pieces", required=True, domain=[('pieces', '>=', 0)])
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'on_change_with_amount')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('drawer_denomination_unique',
                Unique(t, t.drawer, t.denomination),
                'water_utility.msg_drawer_count_unique'),
            ]
        cls._order = [('drawer', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_pieces(cls):
        return 0

    @fields.depends('drawer', '_parent_drawer.company')
    def on_change_with_currency(self, name=None):
        if self.drawer and self.drawer.company:
            return self.drawer.company.currency

    @fields.depends('denomination', 'pieces')
    def on_change_with_amount(self, name=None):
        if self.denomination:
            return cash.count_total({self.denomination: self.pieces})


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
        pool = Pool()
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        account = self.customer_account
        lines = []
        for line in self.lines:
            lines.append(StatementLine(
                    number=self.number, date=self.date, amount=line.amount,
                    party=account.party, account=line.invoice.account,
                    related_to=line.invoice, water_account=account,
                    description=self.description))
        credit = self.amount - sum((l.amount for l in self.lines), Decimal(0))
        if credit:
            lines.append(StatementLine(
                    number=self.number, date=self.date, amount=credit,
                    party=account.party,
                    account=account.party.account_receivable_used,
                    water_account=account, description=self.description))
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


class ReceiptReport(DistrictReport):
    "A counter receipt for the receipt printer (80 mm roll)"
    __name__ = 'water.cash.receipt.report'
    _paper = 'roll'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['paper'] = cls._paper
        context['tenders'] = dict(TENDERS)
        return context


class ReceiptLetterReport(ReceiptReport):
    "A counter receipt on letter paper"
    __name__ = 'water.cash.receipt.letter'
    _paper = 'letter'


class DepositSlip(DistrictReport):
    "The bank's deposit slip: currency, coin and the list of checks"
    __name__ = 'water.cash.deposit.slip'


class DrawerReport(DistrictReport):
    "The drawer's close-out: expected and counted by tender, signed"
    __name__ = 'water.cash.drawer.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['denominations'] = dict(cash.DENOMINATIONS)
        context['tenders'] = dict(TENDERS)
        return context
