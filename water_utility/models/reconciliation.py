# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The office's reconciliations, each a report of both sides, the
difference and the items explaining it: cash drawers, utility billing
(the billing registers, payments and adjustments against the receivable
control account, and the customer balances against the ledger) and
postage (the meter's funds against the pieces mailed)."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from sql import Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Coalesce
from sql.functions import Position

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from ..exceptions import ReconciliationError
from ..postage import mailing_postage
from .bulk import as_cents
from .mixins import CompanyDayMixin
from .report import DistrictReport


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


class PostageEntry(CompanyDayMixin, ModelSQL, ModelView):
    """An entry of the postage meter's log: a refill of its funds, a
    reading of the funds left on it, or pieces mailed outside the bill
    runs (letters, notices)"""
    __name__ = 'water.postage.entry'

    company = fields.Many2One(
        'company.company', "Company", required=True)
    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('reading', "Meter Reading"),
            ('refill', "Refill"),
            ('pieces', "Pieces Mailed"),
            ], "Kind", required=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency',
        states={
            'required': Eval('kind').in_(['reading', 'refill']),
            'invisible': Eval('kind') == 'pieces',
            },
        help="A refill: the funds added.  A reading: the funds left on "
        "the meter (its descending register).")
    pieces = fields.Integer(
        "Pieces",
        states={
            'required': Eval('kind') == 'pieces',
            'invisible': Eval('kind') != 'pieces',
            },
        help="Pieces mailed that no bill run counted: letters, notices.")
    description = fields.Char("Description")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_kind(cls):
        return 'reading'

    @classmethod
    def validate_fields(cls, entries, field_names):
        super().validate_fields(entries, field_names)
        if field_names & {'amount', 'pieces', 'kind'}:
            for entry in entries:
                entry.check_values()

    def check_values(self):
        if (self.kind in {'reading', 'refill'}
                and (self.amount is None or self.amount < 0
                    or (self.kind == 'refill' and not self.amount))):
            raise ReconciliationError(gettext(
                    'water_utility.msg_postage_amount',
                    date=self.date))
        if self.kind == 'pieces' and (not self.pieces or self.pieces < 0):
            raise ReconciliationError(gettext(
                    'water_utility.msg_postage_pieces', date=self.date))

    def get_rec_name(self, name):
        return f'{self.date} {self.kind}'


class PrintReconciliationStart(ModelView):
    "Which reconciliation, over which days"
    __name__ = 'water.reconciliation.print.start'

    kind = fields.Selection([
            ('billing', "Utility Billing"),
            ('cash', "Cash Drawers"),
            ('postage', "Postage"),
            ], "Reconciliation", required=True)
    from_date = fields.Date(
        "From Date", required=True,
        domain=[('from_date', '<=', Eval('to_date'))])
    to_date = fields.Date("To Date", required=True)

    @classmethod
    def default_kind(cls):
        return 'billing'

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class PrintReconciliation(Wizard):
    "Print a reconciliation"
    __name__ = 'water.reconciliation.print'

    start = StateView('water.reconciliation.print.start',
        'water_utility.reconciliation_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.reconciliation.report')

    def do_print_(self, action):
        data = {
            'kind': self.start.kind,
            'from_date': self.start.from_date,
            'to_date': self.start.to_date,
            }
        return action, data


class ReconciliationReport(DistrictReport):
    """Each reconciliation prints from its own template part, a working
    paper with its print time and sign-off lines"""
    __name__ = 'water.reconciliation.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        from_date, to_date = data['from_date'], data['to_date']
        if isinstance(from_date, str):
            from_date = dt.date.fromisoformat(from_date)
            to_date = dt.date.fromisoformat(to_date)
        company = context['company']
        context['kind'] = data['kind']
        context['from_date'] = from_date
        context['to_date'] = to_date
        context['printed_at'] = district_now(company)
        reconcile = {
            'billing': billing_reconciliation,
            'cash': cash_reconciliation,
            'postage': postage_reconciliation,
            }[data['kind']]
        # Report.check_access let only the report's groups this far; the
        # figures read the ledger and the documents of the counter and of
        # billing, which none of them reads in full.
        with without_check_access():
            context['rec'] = reconcile(
                reconciled_company(company), from_date, to_date)
        return context


def district_now(company):
    "The time where the district is (its company's timezone)"
    now = dt.datetime.now(dt.timezone.utc)
    if company and company.timezone:
        now = now.astimezone(ZoneInfo(company.timezone))
    return now


def reconciled_company(company):
    """`company`, which the user must be of: the reconciliations read
    without the companies' rules"""
    pool = Pool()
    User = pool.get('res.user')
    user_id = Transaction().user
    if not company or (
            user_id and company not in User(user_id).companies):
        raise ReconciliationError(gettext(
                'water_utility.msg_reconciliation_company'))
    return company


def control_accounts(company):
    "The receivable accounts the customer accounts' lines post on"
    pool = Pool()
    Line = pool.get('account.move.line')
    Account = pool.get('account.account')
    Configuration = pool.get('account.configuration')
    cursor = Transaction().connection.cursor()
    line = Line.__table__()
    cursor.execute(*line.select(line.account, where=line.water_account != Null,
            group_by=line.account))
    ids = {a for a, in cursor}
    default = Configuration(1).get_multivalue(
        'default_account_receivable', company=company.id)
    if default:
        ids.add(default.id)
    return Account.browse(sorted(ids))


def ledger_lines(company, accounts, from_date, to_date):
    """The posted lines of `accounts` from `from_date` to `to_date`, each
    as (date, source, amount, move, line): source is 'bill', 'adjustment',
    'payment', 'reversal', 'split' (a credit split to pay a bill) or
    'other'"""
    if not accounts:
        # A company without its chart yet (SQL has no empty IN on
        # PostgreSQL)
        return
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Invoice = pool.get('account.invoice')
    Bill = pool.get('water.bill')
    Adjustment = pool.get('water.account.adjustment')
    cursor = Transaction().connection.cursor()
    line = Line.__table__()
    move = Move.__table__()
    invoice = Invoice.__table__()
    bill = Bill.__table__()
    adjustment = Adjustment.__table__()
    origin = Coalesce(move.origin, '')
    query = (line
        .join(move, condition=line.move == move.id)
        .join(invoice, 'LEFT', condition=invoice.move == move.id)
        .join(bill, 'LEFT', condition=bill.invoice == invoice.id)
        .join(adjustment, 'LEFT', condition=adjustment.invoice == invoice.id)
        .select(move.date, bill.id, adjustment.id, invoice.id,
            Position('account.statement,', origin),
            Position('account.move,', origin),
            Position('account.invoice,', origin),
            line.debit - line.credit, move.id, line.id,
            where=(move.company == company.id)
            & line.account.in_([a.id for a in accounts])
            & (move.state == 'posted')
            & (move.date >= from_date) & (move.date <= to_date),
            order_by=[move.date.asc, line.id.asc]))
    cursor.execute(*query)
    for (date, bill_id, adjustment_id, invoice_id, statement, reversal,
            split, amount, move_id, line_id) in cursor:
        if bill_id:
            source = 'bill'
        elif adjustment_id:
            source = 'adjustment'
        elif statement == 1:
            source = 'payment'
        elif reversal == 1:
            source = 'reversal'
        elif split == 1 and not invoice_id:
            source = 'split'
        else:
            source = 'other'
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        yield date, source, as_cents(amount), move_id, line_id


def ledger_balance(company, accounts, before):
    "The posted balance of `accounts` before the day `before`"
    if not accounts:
        return as_cents(0)
    pool = Pool()
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    cursor = Transaction().connection.cursor()
    line = Line.__table__()
    move = Move.__table__()
    cursor.execute(*line.join(move, condition=line.move == move.id).select(
            Sum(line.debit - line.credit),
            where=(move.company == company.id)
            & line.account.in_([a.id for a in accounts])
            & (move.state == 'posted') & (move.date < before)))
    return as_cents(cursor.fetchone()[0])


def billing_reconciliation(company, from_date, to_date):
    """The receivable control account day by day: the ledger's opening
    balance, what the billing registers, the adjustments and the payments
    say moved it, the ledger's closing balance, and the ledger entries of
    none of them; then the customer accounts' balances summed against the
    ledger at the end, with the control account's lines no customer
    account carries"""
    MoveLine = Pool().get('account.move.line')
    accounts = control_accounts(company)
    registers = registered(company, from_date, to_date)
    adjustments = adjusted(company, from_date, to_date)
    payments = paid(company, from_date, to_date)
    voided_moves = voided_receipt_moves(company, from_date, to_date)
    voided = defaultdict(Decimal)
    for receipt in set(voided_moves.values()):
        voided[receipt.date] += receipt.amount

    ledger = defaultdict(Decimal)
    unexplained = []
    for date, source, amount, move_id, line_id in ledger_lines(
            company, accounts, from_date, to_date):
        ledger[date] += amount
        if source in {'other', 'reversal'} or move_id in voided_moves:
            unexplained.append((date, amount, move_id, line_id))
    items = unexplained_entries(unexplained, voided_moves)

    days = []
    balance = ledger_balance(company, accounts, from_date)
    opening = balance
    for day in _days(from_date, to_date):
        expected = (balance + registers[day] + adjustments[day]
            - payments[day])
        closing = balance + ledger[day]
        if (registers[day] or adjustments[day] or payments[day]
                or ledger[day] or voided[day]):
            days.append({
                    'date': day,
                    'opening': balance,
                    'bills': registers[day],
                    'adjustments': adjustments[day],
                    'payments': payments[day],
                    'expected': expected,
                    'ledger': closing,
                    'difference': closing - expected,
                    })
        balance = closing

    customers = customer_balances(company, to_date)
    unassigned = MoveLine.search([
            ('account', 'in', [a.id for a in accounts]),
            ('water_account', '=', None),
            ('move.state', '=', 'posted'),
            ('move.date', '<=', to_date),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    return {
        'accounts': accounts,
        'opening': opening,
        'days': days,
        'totals': {
            'bills': sum(registers.values(), Decimal('0.00')),
            'adjustments': sum(adjustments.values(), Decimal('0.00')),
            'payments': sum(payments.values(), Decimal('0.00')),
            'difference': sum((d['difference'] for d in days),
                Decimal('0.00')),
            },
        'closing': balance,
        'items': items,
        'items_total': sum((i['amount'] for i in items), Decimal('0.00')),
        'customers': customers,
        'customers_difference': balance - customers,
        'unassigned': unassigned,
        'unassigned_total': sum((l.debit - l.credit for l in unassigned),
            Decimal('0.00')),
        }


def unexplained_entries(lines, voided_moves):
    """The ledger entries of `lines` [(date, amount, move id, line id)]
    that no register, adjustment or payment explains, as dictionaries
    with their party and description: a voided receipt's payment (the
    payments leave it out) is followed by its reversal, so the entries
    add up to the difference.  `voided_moves` is {move id: voided
    receipt}, as voided_receipt_moves gives it."""
    pool = Pool()
    Move = pool.get('account.move')
    MoveLine = pool.get('account.move.line')
    items = []
    for date, amount, move_id, line_id in lines:
        move, line = Move(move_id), MoveLine(line_id)
        origin = move.origin
        original = origin if isinstance(origin, Move) else None
        receipt = voided_moves.get(move_id) or (
            voided_moves.get(original.id) if original else None)
        party = line.party or (
            line.water_account.party if line.water_account else None)
        items.append({
                'date': date,
                'move': move,
                'line': line,
                'party': party,
                'receipt': receipt,
                'original': original,
                'description': (line.description or move.description
                    or (origin.rec_name if origin else '')
                    or move.journal.rec_name),
                'amount': amount,
                })
    # A reversal after what it reverses
    items.sort(key=lambda i: (i['date'],
            i['original'].id if i['original'] else i['move'].id,
            i['line'].id))
    return items


def registered(company, from_date, to_date):
    "{bill date: what the posted bills of the runs of that date charged}"
    pool = Pool()
    Bill = pool.get('water.bill')
    BillLine = pool.get('water.bill.line')
    Period = pool.get('water.bill.period')
    Run = pool.get('water.bill.run')
    CustomerAccount = pool.get('water.account')
    cursor = Transaction().connection.cursor()
    registers = defaultdict(Decimal)
    bill, line, period, run = (Bill.__table__(), BillLine.__table__(),
        Period.__table__(), Run.__table__())
    customer = CustomerAccount.__table__()
    cursor.execute(*line
        .join(period, condition=line.period == period.id)
        .join(bill, condition=period.bill == bill.id)
        .join(run, condition=bill.run == run.id)
        .join(customer, condition=bill.account == customer.id)
        .select(run.bill_date, Sum(line.amount),
            where=(bill.state == 'posted')
            & (customer.company == company.id)
            & (run.bill_date >= from_date) & (run.bill_date <= to_date),
            group_by=run.bill_date))
    for date, amount in cursor:
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        registers[date] += as_cents(amount)
    return registers


def adjusted(company, from_date, to_date):
    "{date: the posted adjustments' signed amounts}"
    Adjustment = Pool().get('water.account.adjustment')
    adjustments = defaultdict(Decimal)
    for adjustment in Adjustment.search([
                ('company', '=', company.id),
                ('state', '=', 'posted'),
                ('date', '>=', from_date), ('date', '<=', to_date),
                ]):
        adjustments[adjustment.date] += adjustment.signed_amount
    return adjustments


def paid(company, from_date, to_date):
    """{date: the payments taken}: posted counter receipts, applied
    payment-file lines, and waiting ones matched since"""
    pool = Pool()
    Receipt = pool.get('water.cash.receipt')
    ImportLine = pool.get('water.payment.import.line')
    payments = defaultdict(Decimal)
    for receipt in Receipt.search([
                ('company', '=', company.id),
                ('state', '=', 'posted'),
                ('drawer.date', '>=', from_date),
                ('drawer.date', '<=', to_date),
                ]):
        payments[receipt.date] += receipt.amount
    for import_line in ImportLine.search([
                ('payment_import.company', '=', company.id),
                ('state', '=', 'applied'),
                ('payment_import.date', '>=', from_date),
                ('payment_import.date', '<=', to_date),
                ]):
        payments[import_line.payment_import.date] += import_line.amount
    for import_line in ImportLine.search([
                ('payment_import.company', '=', company.id),
                ('state', '=', 'resolved'),
                ('statement.date', '>=', from_date),
                ('statement.date', '<=', to_date),
                ]):
        payments[import_line.statement.date] += import_line.amount
    return payments


def voided_receipt_moves(company, from_date, to_date):
    """{move id: its receipt} of the moves of the receipts taken and
    voided: a voided receipt posted and was reversed, so the payments
    leave it out and the ledger entries list its payment and reversal"""
    Receipt = Pool().get('water.cash.receipt')
    moves = {}
    for receipt in Receipt.search([
                ('company', '=', company.id),
                ('state', '=', 'voided'),
                ('drawer.date', '>=', from_date),
                ('drawer.date', '<=', to_date),
                ]):
        for line in (receipt.statement.lines if receipt.statement else []):
            if line.move:
                moves[line.move.id] = receipt
    return moves


def customer_balances(company, date):
    """The customer accounts' balances summed at `date`: their receivable
    lines, whatever the account"""
    pool = Pool()
    Move = pool.get('account.move')
    MoveLine = pool.get('account.move.line')
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    cursor = Transaction().connection.cursor()
    line = MoveLine.__table__()
    move = Move.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    cursor.execute(*line
        .join(move, condition=line.move == move.id)
        .join(account, condition=line.account == account.id)
        .join(type_, condition=account.type == type_.id)
        .select(Sum(line.debit - line.credit),
            where=(line.water_account != Null)
            & (type_.receivable == Literal(True))
            & (move.company == company.id)
            & (move.state == 'posted') & (move.date <= date)))
    return as_cents(cursor.fetchone()[0])


def cash_reconciliation(company, from_date, to_date):
    """Each drawer's counted against expected by tender, by clerk, and
    the over and short the drawers posted against Cash Over and Short"""
    pool = Pool()
    Drawer = pool.get('water.cash.drawer')
    Configuration = pool.get('water.configuration')
    drawers = Drawer.search([
            ('company', '=', company.id),
            ('date', '>=', from_date), ('date', '<=', to_date),
            ], order=[('date', 'ASC'), ('clerk', 'ASC'), ('id', 'ASC')])
    rows, open_drawers = [], []
    clerks = defaultdict(lambda: defaultdict(Decimal))
    totals = defaultdict(Decimal)
    for drawer in drawers:
        if drawer.state == 'open':
            open_drawers.append(drawer)
            continue
        row = {
            'drawer': drawer,
            'cash': (drawer.expected_cash, drawer.counted_cash),
            'checks': (drawer.expected_checks, drawer.checks_counted or 0),
            'cards': (drawer.expected_cards, drawer.cards_counted or 0),
            'over_short': drawer.over_short,
            }
        rows.append(row)
        clerk = clerks[drawer.clerk.rec_name]
        for tender in ['cash', 'checks', 'cards']:
            expected, counted = row[tender]
            clerk[f'{tender}_expected'] += expected
            clerk[f'{tender}_counted'] += counted
            totals[f'{tender}_expected'] += expected
            totals[f'{tender}_counted'] += counted
        clerk['over_short'] += drawer.over_short
        totals['over_short'] += drawer.over_short
    over_short_account = Configuration(1).over_short_account
    ledger = Decimal('0.00')
    if over_short_account:
        # The ledger carries a short as an expense (a debit): its credit
        # balance is the drawers' net over.
        ledger = -(ledger_balance(company, [over_short_account],
                to_date + dt.timedelta(days=1))
            - ledger_balance(company, [over_short_account], from_date))
    return {
        'rows': rows,
        'open': open_drawers,
        'clerks': sorted(clerks.items()),
        'totals': totals,
        'ledger': ledger,
        'difference': ledger - totals['over_short'],
        'account': over_short_account,
        }


def postage_reconciliation(company, from_date, to_date):
    """The meter's funds used (the reading before the period, the
    refills, the reading at its end) against the pieces mailed in the
    period (the bill runs' and the log's) at the rate a piece"""
    pool = Pool()
    Entry = pool.get('water.postage.entry')
    Run = pool.get('water.bill.run')
    Configuration = pool.get('water.configuration')
    rate = Configuration(1).postage_rate or Decimal(0)

    def reading(date):
        found = Entry.search([
                ('company', '=', company.id),
                ('kind', '=', 'reading'),
                ('date', '<=', date),
                ], order=[('date', 'DESC'), ('id', 'DESC')], limit=1)
        return found[0] if found else None
    start = reading(from_date - dt.timedelta(days=1))
    end = reading(to_date)
    refills = Entry.search([
            ('company', '=', company.id),
            ('kind', '=', 'refill'),
            ('date', '>=', from_date), ('date', '<=', to_date),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    pieces = []
    # Cycles and their runs are the district's own (no company).
    for run in Run.search([
                ('delivered_on', '>=', from_date),
                ('delivered_on', '<=', to_date),
                ('pieces_mailed', '>', 0),
                ], order=[('delivered_on', 'ASC'), ('id', 'ASC')]):
        pieces.append((run.delivered_on, run.rec_name, run.pieces_mailed))
    for entry in Entry.search([
                ('company', '=', company.id),
                ('kind', '=', 'pieces'),
                ('date', '>=', from_date), ('date', '<=', to_date),
                ], order=[('date', 'ASC'), ('id', 'ASC')]):
        pieces.append((entry.date, entry.description or '', entry.pieces))
    pieces.sort(key=lambda p: p[0])
    count = sum(p[2] for p in pieces)
    postage, expected = mailing_postage([p[2] for p in pieces], rate)
    refilled = sum((r.amount for r in refills), Decimal('0.00'))
    used = None
    if start and end:
        used = start.amount + refilled - end.amount
    return {
        'rate': rate,
        'start': start,
        'end': end,
        'refills': refills,
        'refilled': refilled,
        'used': used,
        'pieces': [(d, n, c, a) for (d, n, c), a in zip(pieces, postage)],
        'count': count,
        'expected': expected,
        'difference': used - expected if used is not None else None,
        }
