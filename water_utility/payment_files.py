# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payment files from the bank: lockbox and bill-pay CSV.

A lockbox file has a row per payment the bank's lockbox opened: the
account number read from the returned stub, the amount, the check number,
the remitter and the date.  A bill-pay file (checks the customer's own bank
mails without a stub) has the same columns, often without the account
number or with one mistyped: those rows are matched by name and service
address instead.

Columns are found by their header, in any order and case; the names below
and their aliases are accepted.  Only `amount` is required; a row needs an
account number or a name to be matched."""
import csv
import datetime as dt
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from .amounts import AmountError, parse_money

COLUMNS = {
    'account': {'account', 'account number', 'account_number', 'acct',
        'acct no', 'customer account'},
    'amount': {'amount', 'payment amount', 'amount paid', 'paid'},
    'check_number': {'check', 'check number', 'check_number', 'check no',
        'serial', 'item'},
    'name': {'name', 'remitter', 'payer', 'payer name', 'customer name'},
    'address': {'address', 'service address', 'payer address', 'street'},
    'date': {'date', 'payment date', 'deposit date', 'process date'},
    }
DATE_FORMATS = ['%Y-%m-%d', '%m/%d/%Y', '%m/%d/%y', '%Y%m%d']


class PaymentFileError(ValueError):
    "A payment file that cannot be read: `line` is the file's line number"

    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass
class PaymentRow:
    line: int
    amount: Decimal
    account: str = ''
    check_number: str = ''
    name: str = ''
    address: str = ''
    date: dt.date = None


def _column(header):
    key = ' '.join(header.strip().lower().replace('_', ' ').split())
    for column, names in COLUMNS.items():
        if key in {' '.join(n.replace('_', ' ').split()) for n in names}:
            return column


def parse_amount(text, line):
    "The amount of a payment row: positive, in cents (see `amounts`)"
    try:
        amount = parse_money(text, line)
    except AmountError as error:
        raise PaymentFileError(line, error.message)
    if amount <= 0:
        raise PaymentFileError(line,
            f"the amount {(text or '').strip()} is not positive: a payment file "
            "carries payments only; reversals are entered as adjustments")
    return amount


def parse_date(text, line):
    text = (text or '').strip()
    if not text:
        return None
    for format_ in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, format_).date()
        except ValueError:
            continue
    raise PaymentFileError(line,
        f"the date {text!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


def read_csv(data, column_of, error=PaymentFileError):
    """The columns of a CSV file's header (as `column_of` names them) and
    its rows, as (line number, {column: text}); blank lines are skipped,
    and a row with more fields than the header raises `error`"""
    reader = csv.reader(io.StringIO(decode(data), newline=''))
    try:
        header = next(reader)
    except StopIteration:
        raise error(0, "the file is empty")
    columns = [column_of(h) for h in header]

    def rows():
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                raise error(number,
                    f"{len(values)} fields where the header has "
                    f"{len(columns)}")
            yield number, {c: v.strip() for c, v in zip(columns, values) if c}
    return columns, rows()


def parse(data):
    """The rows of a payment file (bytes or text), in file order.

    Raises PaymentFileError naming the line for the first row that cannot
    be read: a file is taken whole or not at all."""
    columns, records = read_csv(data, _column)
    if 'amount' not in columns:
        raise PaymentFileError(1,
            "no amount column: the header must name one "
            f"({', '.join(sorted(COLUMNS['amount']))})")
    if 'account' not in columns and 'name' not in columns:
        raise PaymentFileError(1,
            "no account number or name column: rows could not be matched")
    rows = []
    for number, record in records:
        row = PaymentRow(
            line=number,
            amount=parse_amount(record.get('amount'), number),
            account=record.get('account', ''),
            check_number=record.get('check_number', ''),
            name=record.get('name', ''),
            address=record.get('address', ''),
            date=parse_date(record.get('date'), number))
        if not row.account and not row.name:
            raise PaymentFileError(number,
                "no account number and no name: the payment cannot be "
                "matched to anyone")
        rows.append(row)
    if not rows:
        raise PaymentFileError(0, "the file has a header and no payments")
    return rows


def normalize(text):
    "Names and streets compared without case, punctuation or extra spaces"
    kept = ''.join(c if c.isalnum() else ' ' for c in (text or '').lower())
    return ' '.join(kept.split())


def decode(data):
    "The text of a file: UTF-8 (its BOM dropped) or else Latin-1"
    if isinstance(data, bytes):
        try:
            return data.decode('utf-8-sig')
        except UnicodeDecodeError:
            return data.decode('latin-1')
    return data.lstrip('\ufeff')


def content_hash(data):
    """The SHA-256 of what a payment file says, not of its bytes: the same
    payments with another encoding, a BOM, CRLF line endings, blank or
    trailing lines, spaces around the values, other quoting or the rows in
    another order have the same hash"""
    reader = csv.reader(io.StringIO(decode(data), newline=''))
    records = [[v.strip() for v in values] for values in reader]
    records = [r for r in records if any(r)]
    if records:
        records[0] = [h.lower() for h in records[0]]
    content = [records[:1], sorted(records[1:])]
    return hashlib.sha256(
        json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def row_keys(rows, date, company=None):
    """The identity of each payment of `rows`, as a key kept on its import
    line (unique in the database): who paid (the account number, or else
    the name and street), the check number, the amount and the date
    (the row's, or the deposit `date`), and which of the file's payments
    with all of these the same it is (1 for the first).  A payment seen in
    an earlier file has the same key and is not paid twice."""
    seen = Counter()
    keys = []
    for row in rows:
        if row.account:
            who = ['account', row.account.strip()]
        else:
            who = ['name', normalize(row.name), normalize(row.address)]
        identity = [company, *who, row.check_number.strip().lstrip('0'),
            str(row.amount), (row.date or date).isoformat()]
        text = json.dumps(identity)
        seen[text] += 1
        keys.append(hashlib.sha256(
                f'{text}#{seen[text]}'.encode()).hexdigest())
    return keys
