# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Supplier bill files: the bills a district gets as a spreadsheet (the
electric utility's, the phone company's, a card statement's, a
contractor's monthly billing), one row a line.

Columns are found by their header, in any order and case: the vendor (its
name or code), the vendor's invoice number, the invoice date, the amount,
and the expense account's code or the product's code; a description is
optional.  Rows of the same vendor and invoice number (as compared for
duplicates, `match_rules.reference_key`) are the lines of one bill, in
the file's order, and must share its date.

Amounts are read by the project's one strict parser (`water_utility.
amounts`); a bill's total must be positive (credits are entered by hand).
The first row that cannot be read is refused, naming its line: a file is
taken whole or not at all."""
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
import datetime as dt

from water_utility.amounts import AmountError, parse_money
from water_utility.payment_files import (
    PaymentFileError, normalize, parse_date, read_csv)

from .match_rules import reference_key

COLUMNS = {
    'vendor': {'vendor', 'supplier', 'payee', 'vendor name', 'vendor code'},
    'invoice': {'invoice', 'invoice number', 'invoice no', 'reference',
        'bill', 'bill number'},
    'date': {'date', 'invoice date', 'bill date'},
    'amount': {'amount', 'line amount', 'total'},
    'account': {'account', 'gl account', 'expense account',
        'account code'},
    'product': {'product', 'product code', 'item'},
    'description': {'description', 'memo', 'line description'},
    }
REQUIRED = ['vendor', 'invoice', 'date', 'amount']


class BillFileError(PaymentFileError):
    "A bill file that cannot be read: `line` is the file's line number"


@dataclass
class BillRow:
    line: int
    vendor: str
    invoice: str
    date: dt.date
    amount: Decimal
    account: str = ''
    product: str = ''
    description: str = ''


def _column(header):
    key = ' '.join(header.strip().lower().replace('_', ' ').split())
    for column, names in COLUMNS.items():
        if key in names:
            return column


def _row(number, record):
    for column in REQUIRED:
        if not record.get(column):
            raise BillFileError(number, f"no {column}")
    if not (record.get('account') or record.get('product')):
        raise BillFileError(number,
            "no account and no product: the line's expense is unknown")
    if not reference_key(record['invoice']):
        raise BillFileError(number,
            f"the invoice number {record['invoice']!r} has no letter or "
            "digit")
    try:
        amount = parse_money(record['amount'], number)
    except AmountError as error:
        raise BillFileError(number, error.message)
    date = parse_date(record['date'], number)
    return BillRow(line=number, vendor=record['vendor'],
        invoice=record['invoice'], date=date, amount=amount,
        account=record.get('account', ''),
        product=record.get('product', ''),
        description=record.get('description', ''))


def parse(data):
    """The rows of a bill file (bytes or text), in file order; raises
    BillFileError naming the line of the first that cannot be read"""
    try:
        columns, records = read_csv(data, _column, error=BillFileError)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise BillFileError(1, "no " + ", ".join(missing) + " column: "
                "the header must name the vendor, invoice, date and amount")
        if 'account' not in columns and 'product' not in columns:
            raise BillFileError(1,
                "no account or product column: the lines' expense is "
                "unknown")
        rows = [_row(number, record) for number, record in records]
    except PaymentFileError as error:
        if isinstance(error, BillFileError):
            raise
        raise BillFileError(error.line, error.message) from error
    if not rows:
        raise BillFileError(0, "the file has a header and no bills")
    return rows


def bill_key(row):
    "One bill's identity: the vendor as written and its number's key"
    return normalize(row.vendor), reference_key(row.invoice)


def bills(rows):
    """{bill key: its rows}, in the file's order; a bill's rows share one
    date and total more than zero, else BillFileError names the line"""
    grouped = OrderedDict()
    for row in rows:
        grouped.setdefault(bill_key(row), []).append(row)
    for lines in grouped.values():
        first = lines[0]
        for row in lines[1:]:
            if row.date != first.date:
                raise BillFileError(row.line,
                    f"invoice {row.invoice} of {row.vendor} is dated "
                    f"{first.date.isoformat()} on line {first.line}: one "
                    "bill has one date")
        if bill_total(lines) <= 0:
            raise BillFileError(first.line,
                f"invoice {first.invoice} of {first.vendor} totals "
                f"{bill_total(lines)}: only bills are imported; enter "
                "a credit by hand")
    return grouped


def bill_total(lines):
    return sum((r.amount for r in lines), Decimal(0))
