# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements as CSV, the export every bank's web site offers.

A row per transaction: its date, its amount (signed, or in separate
debit and credit columns), a description, the check number of a check
that cleared, the bank's own reference for it and, often, the running
balance.  Columns are found by their header, in any order and case.
(OFX statements are read by Tryton's `account_statement_ofx`.)"""
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from .amounts import AmountError, parse_money
from .payment_files import PaymentFileError, decode, parse_date, read_csv

COLUMNS = {
    'date': {'date', 'posting date', 'posted date', 'transaction date',
        'post date'},
    'amount': {'amount', 'transaction amount'},
    'debit': {'debit', 'withdrawal', 'withdrawals', 'debits'},
    'credit': {'credit', 'deposit', 'deposits', 'credits'},
    'description': {'description', 'memo', 'payee', 'details'},
    'check_number': {'check', 'check number', 'check no', 'serial'},
    'reference': {'reference', 'id', 'fitid', 'transaction id',
        'bank reference'},
    'balance': {'balance', 'running balance', 'ledger balance'},
    }


class BankFileError(PaymentFileError):
    "A bank statement that cannot be read: `line` is the file's line"


class BankBalanceError(BankFileError):
    """A statement without the balance its journal checks: `column` is
    the balance column's header, None when there is none"""

    def __init__(self, line, message, column=None):
        super().__init__(line, message)
        self.column = column


@dataclass
class BankRow:
    line: int
    date: object
    amount: Decimal
    description: str = ''
    check_number: str = ''
    reference: str = ''
    balance: Decimal = None


def _column(header):
    key = ' '.join(header.strip().lower().replace('_', ' ').split())
    for column, names in COLUMNS.items():
        if key in names:
            return column


def _money(text, line, what):
    "A signed amount of the statement (see `amounts`), None when empty"
    if not (text or '').strip():
        return None
    try:
        return parse_money(text, line, what)
    except AmountError as error:
        raise BankFileError(line, error.message)


def closing_row(rows):
    """The row whose balance is the statement's end balance: banks list
    newest first or oldest first, so the row of its last day at the end
    of that day's rows in the file's own order"""
    return rows[0] if rows[0].date > rows[-1].date else rows[-1]


def parse(data, balance=False):
    """The transactions of a bank statement CSV (bytes or text), in file
    order.  Raises BankFileError naming the line of the first row that
    cannot be read: a statement is taken whole or not at all.  With
    `balance`, a statement whose closing row has no balance (or that has
    no balance column) raises BankBalanceError naming its line."""
    columns, records = read_csv(data, _column, BankFileError)
    if 'date' not in columns:
        raise BankFileError(1, "no date column: the header must name one "
            f"({', '.join(sorted(COLUMNS['date']))})")
    if 'amount' not in columns and not (
            'debit' in columns or 'credit' in columns):
        raise BankFileError(1, "no amount column, nor debit and credit "
            "columns")
    rows = []
    for number, record in records:
        try:
            date = parse_date(record.get('date'), number)
        except PaymentFileError as error:
            raise BankFileError(number, error.message)
        if not date:
            raise BankFileError(number, "the date is empty")
        if 'amount' in columns:
            amount = _money(record.get('amount'), number, 'amount')
        else:
            debit = _money(record.get('debit'), number, 'debit') or 0
            credit = _money(record.get('credit'), number, 'credit') or 0
            if debit and credit:
                raise BankFileError(number,
                    "both a debit and a credit: one of them must be empty")
            amount = Decimal(credit) - abs(Decimal(debit)) if (
                debit or credit) else None
        if not amount:
            raise BankFileError(number, "the amount is empty or zero")
        rows.append(BankRow(
                line=number, date=date, amount=amount,
                description=record.get('description', ''),
                check_number=record.get('check_number', ''),
                reference=record.get('reference', ''),
                balance=_money(record.get('balance'), number, 'balance')))
    if not rows:
        raise BankFileError(0, "the file has a header and no transactions")
    if balance:
        header = read_csv(data, lambda h: h.strip())[0]
        names = [h for h, c in zip(header, columns) if c == 'balance']
        if not names:
            raise BankBalanceError(1, "no balance column: the header must "
                f"name one ({', '.join(sorted(COLUMNS['balance']))})")
        closing = closing_row(rows)
        if closing.balance is None:
            raise BankBalanceError(closing.line, f"the {names[0]} of the "
                "statement's last transaction is empty", names[0])
    return rows


def _line_of(text, position):
    return text.count('\n', 0, position) + 1


def read_ofx(data):
    """The transactions of an OFX statement as `ofxparse` reads them
    (the statement as Tryton's `account_statement_ofx` gets it), checked
    against the file's text: a file cut short, or a transaction block
    (STMTTRN) the parser skipped or could not read, raises BankFileError
    naming the line; a statement is taken whole or not at all."""
    import ofxparse
    text = decode(data)
    lines = text.count('\n') + 1
    if not re.search(r'<OFX\b', text, re.IGNORECASE):
        raise BankFileError(1, "this is not an OFX file (no <OFX> tag)")
    if not re.search(r'</OFX>\s*$', text, re.IGNORECASE):
        raise BankFileError(len(text.rstrip().splitlines()) or 1,
            "the file ends before </OFX>: it was cut short")
    openings = [m.start() for m in re.finditer(
            r'<\s*STMTTRN\b', text, re.IGNORECASE)]
    closings = [m.start() for m in re.finditer(
            r'</\s*STMTTRN\s*>', text, re.IGNORECASE)]
    try:
        ofx = ofxparse.OfxParser.parse(io.BytesIO(
                data if isinstance(data, bytes) else data.encode()))
    except Exception as error:
        # ofxparse raises whatever it met: the block it failed in is
        # the first that the file's own text cannot account for.
        message = ' '.join(str(error).split()) or type(error).__name__
        line = lines
        quoted = re.search(r"'([^']+)", message)
        if quoted and quoted.group(1).strip() in text:
            line = _line_of(text, text.index(quoted.group(1).strip()))
        elif openings:
            line = _line_of(text, openings[0])
        raise BankFileError(line, f"OFX that cannot be read ({message})")
    read = [t for a in ofx.accounts
        for t in getattr(a.statement, 'transactions', [])]
    blocks = max(len(openings), len(closings))
    if len(openings) != len(closings) or blocks != len(read):
        ids = {t.id for t in read}
        line = None
        for match in re.finditer(
                r'<FITID>\s*([^<\r\n]*)', text, re.IGNORECASE):
            if match.group(1).strip() not in ids:
                line = _line_of(text, match.start())
                break
        if line is None:
            starts = sorted(openings + closings)
            line = _line_of(text, starts[0]) if starts else lines
        raise BankFileError(line,
            f"{blocks} transactions (STMTTRN) in the file and "
            f"{len(openings)} opening, {len(closings)} closing tags, "
            f"but {len(read)} could be read: a transaction is malformed "
            "near this line")
    return ofx, read
