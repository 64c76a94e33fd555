# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements and the bank reconciliation.

A statement from the bank is imported by Tryton's own statement import:
OFX through `account_statement_ofx`, CSV through the format added here.
Its transactions are the statement's origins; they are not posted (the
district's books already carry its deposits and checks) but matched to the
ledger lines of the bank account they clear: a deposit, a lockbox file, a
check.  What the bank shows and the books do not, and the reverse, is the
bank reconciliation."""
import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.account_statement.exceptions import ImportStatementError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .. import bank_files
from ..exceptions import BankError
from ..payment_files import PaymentFileError
from .reconciliation import district_now, ledger_balance
from .report import DistrictReport

# A deposit reaches the bank within these days of its date in the books.
DEPOSIT_DAYS = 10


class StatementImportStart(metaclass=PoolMeta):
    __name__ = 'account.statement.import.start'

    journal = fields.Many2One(
        'account.statement.journal', "Journal",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'required': Eval('file_format') == 'csv',
            'invisible': Eval('file_format') != 'csv',
            },
        help="The bank account's statement journal: a CSV statement does "
        "not name its account.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.file_format.selection.append(('csv', "CSV"))


class StatementImport(metaclass=PoolMeta):
    __name__ = 'account.statement.import'

    def parse_ofx(self):
        # ofxparse drops a transaction it cannot make out and fails on a
        # file cut short with whatever Python error it met.
        try:
            bank_files.read_ofx(self.start.file_)
        except PaymentFileError as error:
            raise ImportStatementError(gettext(
                    'water_utility.msg_bank_ofx_invalid',
                    line=error.line, message=error.message))
        statements = list(super().parse_ofx())
        self.check_bank_duplicates(statements)
        yield from statements

    def parse_csv(self):
        pool = Pool()
        Statement = pool.get('account.statement')
        Origin = pool.get('account.statement.origin')
        journal = self.start.journal
        try:
            rows = bank_files.parse(self.start.file_,
                balance=journal.validation == 'balance')
        except bank_files.BankBalanceError as error:
            # The bank's balance is what the reconciliation starts from: it
            # is not made up from the books.
            raise ImportStatementError(gettext(
                    'water_utility.msg_bank_csv_balance',
                    line=error.line, message=error.message,
                    journal=journal.rec_name))
        except PaymentFileError as error:
            raise ImportStatementError(gettext(
                    'water_utility.msg_bank_file_invalid',
                    line=error.line, message=error.message))
        first, last = min(r.date for r in rows), max(r.date for r in rows)
        statement = Statement(
            name=f'{journal.name} {first.isoformat()} {last.isoformat()}',
            company=self.start.company, journal=journal, date=last,
            number_of_lines=len(rows))
        total = sum(r.amount for r in rows)
        statement.total_amount = total
        # Banks list newest first or oldest first: the balance after the
        # statement is the one on the row of its last day, at the end of
        # that day's rows in the file's own order.
        closing = bank_files.closing_row(rows)
        if closing.balance is not None:
            statement.end_balance = closing.balance
            statement.start_balance = closing.balance - total
        origins = []
        for row in rows:
            origin = Origin(
                date=row.date, amount=row.amount,
                description=row.description,
                number=row.reference or row_key(row))
            origin.information = {
                'ofx_checknum': row.check_number} if row.check_number else {}
            origins.append(origin)
        statement.origins = origins
        self.check_bank_duplicates([statement])
        yield statement

    def check_bank_duplicates(self, statements):
        """Refuse a transaction the journal already has: a statement
        imported twice creates nothing"""
        pool = Pool()
        Origin = pool.get('account.statement.origin')
        for statement in statements:
            numbers = {o.number: o for o in statement.origins if o.number}
            if not numbers:
                continue
            for existing in Origin.search([
                        ('statement.journal', '=', statement.journal.id),
                        ('number', 'in', list(numbers)),
                        ], limit=1):
                origin = numbers[existing.number]
                raise ImportStatementError(gettext(
                        'water_utility.msg_bank_duplicate',
                        date=origin.date, amount=origin.amount,
                        description=origin.description or '',
                        statement=existing.statement.rec_name))


def row_key(row):
    "A transaction's own key when the bank gives it no reference"
    text = '|'.join([row.date.isoformat(), str(row.amount),
            row.check_number, row.description])
    return 'csv:' + hashlib.sha256(text.encode()).hexdigest()[:20]


def check_number(origin):
    information = origin.information or {}
    return str(information.get('ofx_checknum') or '').strip()


class Origin(metaclass=PoolMeta):
    __name__ = 'account.statement.origin'

    cleared_lines = fields.One2Many(
        'account.move.line', 'bank_origin', "Cleared in the Books",
        add_remove=[
            ('bank_origin', '=', None),
            ('move.state', '=', 'posted'),
            ],
        domain=[('account', '=', Eval('bank_account', -1))],
        help="The ledger lines of the bank account this transaction of "
        "the bank clears: a deposit, a lockbox file's lines, a check.")
    bank_account = fields.Function(
        fields.Many2One('account.account', "Bank Account"),
        'on_change_with_bank_account')
    cleared = fields.Function(
        fields.Boolean("Cleared"), 'get_cleared', searcher='search_cleared')

    @fields.depends('statement', '_parent_statement.journal')
    def on_change_with_bank_account(self, name=None):
        if self.statement and self.statement.journal:
            return self.statement.journal.account

    def get_cleared(self, name):
        return bool(self.cleared_lines)

    @classmethod
    def search_cleared(cls, name, clause):
        _, operator, value = clause
        cleared = (operator == '=') == bool(value)
        return [('cleared_lines', '!=' if cleared else '=', None)]

    @classmethod
    def validate(cls, origins):
        super().validate(origins)
        for origin in origins:
            if origin.cleared_lines:
                amount = sum(l.debit - l.credit for l in origin.cleared_lines)
                if amount != origin.amount:
                    raise BankError(gettext(
                            'water_utility.msg_bank_cleared_amount',
                            origin=origin.rec_name, amount=origin.amount,
                            cleared=amount))


class Statement(metaclass=PoolMeta):
    __name__ = 'account.statement'

    water_payment_import = fields.Many2One(
        'water.payment.import', "Payment File", readonly=True,
        ondelete='RESTRICT',
        help="The lockbox or bill-pay file the statement posted part of.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'match_bank': {
                    'invisible': ~Eval('origins', []),
                    'depends': ['origins'],
                    },
                })

    @classmethod
    @ModelView.button
    def match_bank(cls, statements):
        "Clear the bank's transactions against the books, where they agree"
        match_bank(statements)


def bank_items(account, until):
    """The ledger lines of the bank `account` not cleared yet, up to the
    day `until`, as items the bank shows as one transaction: a lockbox
    file's lines together (the bank credits the file's total), every other
    line alone.  Each item is (date, amount, text, lines)."""
    pool = Pool()
    Line = pool.get('account.move.line')
    Statement = pool.get('account.statement')
    groups = defaultdict(list)
    for line in Line.search([
                ('account', '=', account.id),
                ('bank_origin', '=', None),
                ('move.state', '=', 'posted'),
                ('date', '<=', until),
                ], order=[('date', 'ASC'), ('id', 'ASC')]):
        origin = line.move.origin
        if isinstance(origin, Statement) and origin.water_payment_import:
            groups[('file', origin.water_payment_import.id)].append(line)
        else:
            groups[('line', line.id)].append(line)
    items = []
    for lines in groups.values():
        text = ' '.join(filter(None, [
                    lines[0].move.number, lines[0].move.description,
                    lines[0].description]))
        items.append((max(l.date for l in lines),
                sum(l.debit - l.credit for l in lines), text, lines))
    items.sort(key=lambda i: (i[0], i[3][0].id))
    return items


def match_bank(statements):
    """Clear each of the statements' transactions against the one item
    of the books of the same amount: a deposit dated up to DEPOSIT_DAYS
    before it, a check issued before it (by its number when the bank gives
    one).  Returns the origins left unmatched."""
    pool = Pool()
    Line = pool.get('account.move.line')
    unmatched = []
    for statement in statements:
        account = statement.journal.account
        origins = [o for o in statement.origins if not o.cleared_lines]
        if not origins:
            continue
        items = bank_items(account, max(o.date for o in origins))
        used = set()
        for origin in sorted(origins, key=lambda o: (o.date, o.id)):
            number = check_number(origin)
            candidates = [i for n, i in enumerate(items)
                if n not in used and i[1] == origin.amount
                and i[0] <= origin.date
                and (origin.amount < 0
                    or i[0] >= origin.date - dt.timedelta(DEPOSIT_DAYS))]
            if number:
                numbered = [i for i in candidates
                    if number in i[2].replace('#', ' ').split()]
                candidates = numbered or candidates
            if not candidates:
                unmatched.append(origin)
                continue
            # The latest item before it: the bank clears in order.
            item = candidates[-1] if origin.amount > 0 else candidates[0]
            used.add(items.index(item))
            Line.write(item[3], {'bank_origin': origin.id})
    return unmatched


def bank_reconciliation(statement):
    """The bank's balance after `statement` against the books: deposits
    in transit and outstanding checks (in the books, not yet cleared by
    the bank by the statement's date), the bank's transactions not in the
    books, and the difference"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Origin = pool.get('account.statement.origin')
    account = statement.journal.account
    as_of = statement.date
    in_transit, outstanding = [], []
    for line in Line.search([
                ('account', '=', account.id),
                ('move.state', '=', 'posted'),
                ('date', '<=', as_of),
                ['OR',
                    ('bank_origin', '=', None),
                    ('bank_origin.date', '>', as_of),
                    ],
                ], order=[('date', 'ASC'), ('id', 'ASC')]):
        (in_transit if line.debit > line.credit else outstanding).append(line)
    bank_only = Origin.search([
            ('statement.journal', '=', statement.journal.id),
            ('date', '<=', as_of),
            ('cleared', '=', False),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    book = ledger_balance(
        statement.company, [account], as_of + dt.timedelta(days=1))
    total_transit = sum((l.debit - l.credit for l in in_transit), Decimal(0))
    total_outstanding = sum(
        (l.credit - l.debit for l in outstanding), Decimal(0))
    total_bank_only = sum((o.amount for o in bank_only), Decimal(0))
    bank = statement.end_balance
    adjusted_bank = (bank + total_transit - total_outstanding
        if bank is not None else None)
    adjusted_book = book + total_bank_only
    return {
        'account': account,
        'as_of': as_of,
        'bank': bank,
        'in_transit': in_transit,
        'total_transit': total_transit,
        'outstanding': outstanding,
        'total_outstanding': total_outstanding,
        'adjusted_bank': adjusted_bank,
        'book': book,
        'bank_only': bank_only,
        'total_bank_only': total_bank_only,
        'adjusted_book': adjusted_book,
        'difference': (adjusted_bank - adjusted_book
            if adjusted_bank is not None else None),
        }


class BankReconciliationReport(DistrictReport):
    "The bank reconciliation as of a bank statement"
    __name__ = 'water.bank.reconciliation.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['reconciliations'] = {
            s.id: bank_reconciliation(s) for s in records}
        context['check_number'] = check_number
        context['printed_at'] = district_now(context['company'])
        return context
