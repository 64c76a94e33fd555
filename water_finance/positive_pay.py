# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Positive pay: the list of checks issued (and voided) the district sends
its bank, which pays only a check on the list, for the amount listed.

Banks differ in the columns they want and their order, in the date format,
and in whether an amount is written in dollars or in cents: the layout is
configured on the check journal as a list of column names (`COLUMNS`)."""
import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

COLUMNS = {
    'account': "Account Number",
    'number': "Check Number",
    'date': "Issue Date",
    'amount': "Amount",
    'payee': "Payee",
    'status': "Issue or Void",
    }
DEFAULT_LAYOUT = 'account,number,date,amount,payee,status'
AMOUNT_STYLES = {'dollars', 'cents'}


class PositivePayError(ValueError):
    "A layout the file cannot be written with"


@dataclass
class IssuedCheck:
    "A check as the bank is told of it"
    account: str
    number: str
    date: dt.date
    amount: Decimal
    payee: str
    void: bool = False


def layout_columns(layout):
    """The column names of `layout` ("account, number, ..."), in order;
    an unknown or repeated name is refused"""
    names = [n.strip().lower() for n in (layout or '').split(',')]
    names = [n for n in names if n]
    if not names:
        raise PositivePayError("the layout names no column")
    for name in names:
        if name not in COLUMNS:
            raise PositivePayError(f"unknown column {name!r}: the columns "
                f"are {', '.join(COLUMNS)}")
    if len(set(names)) != len(names):
        raise PositivePayError("a column is named twice")
    return names


def amount_text(amount, style='dollars'):
    "The amount as the bank reads it: 1234.50 in dollars, 123450 in cents"
    if style not in AMOUNT_STYLES:
        raise PositivePayError(f"unknown amount style {style!r}")
    amount = Decimal(amount).quantize(Decimal('0.01'))
    if amount <= 0:
        raise PositivePayError(f"a check of {amount} cannot be issued")
    if style == 'cents':
        return str(int(amount * 100))
    return str(amount)


def positive_pay_csv(checks, layout=DEFAULT_LAYOUT, date_format='%m/%d/%Y',
        amount_style='dollars', header=True, issue_code='I', void_code='V'):
    "The CSV text of `checks` (IssuedCheck) in the bank's layout"
    columns = layout_columns(layout)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    if header:
        writer.writerow([COLUMNS[c] for c in columns])
    for check in checks:
        values = {
            'account': check.account,
            'number': check.number,
            'date': check.date.strftime(date_format),
            'amount': amount_text(check.amount, amount_style),
            'payee': check.payee,
            'status': void_code if check.void else issue_code,
            }
        writer.writerow([values[c] for c in columns])
    return out.getvalue()
