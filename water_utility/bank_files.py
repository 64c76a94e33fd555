# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bank statements as CSV, the export every bank's web site offers.

A row per transaction: its date, its amount (signed, or in separate
debit and credit columns), a description, the check number of a check
that cleared, the bank's own reference for it and, often, the running
balance.  Columns are found by their header, in any order and case.
(OFX statements are read by Tryton's `account_statement_ofx`.)"""
from dataclasses import dataclass
from decimal import Decimal

from .amounts import AmountError, parse_money
from .payment_files import PaymentFileError, parse_date, read_csv

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


def parse(data):
    """The transactions of a bank statement CSV (bytes or text), in file
    order.  Raises BankFileError naming the line of the first row that
    cannot be read: a statement is taken whole or not at all."""
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
    return rows
