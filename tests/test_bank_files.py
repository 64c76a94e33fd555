# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

import pytest

from water_utility import bank_files
from water_utility.bank_files import BankFileError


def test_signed_amounts_and_balance():
    rows = bank_files.parse(
        "Posting Date,Description,Check Number,Amount,Balance\n"
        "11/02/2026,DEPOSIT,,\"1,172.77\",2172.77\n"
        "11/03/2026,CHECK,5012,-250.00,1922.77\n")
    assert [(r.line, r.date, r.amount, r.check_number, r.balance)
        for r in rows] == [
        (2, dt.date(2026, 11, 2), Decimal('1172.77'), '', Decimal('2172.77')),
        (3, dt.date(2026, 11, 3), Decimal('-250.00'), '5012',
            Decimal('1922.77')),
        ]


def test_debit_and_credit_columns():
    rows = bank_files.parse(
        "Date,Memo,Debit,Credit\n"
        "2026-11-02,FEE,12.50,\n"
        "2026-11-02,INTEREST,,1.25\n")
    assert [r.amount for r in rows] == [Decimal('-12.50'), Decimal('1.25')]


def test_parenthesized_amount_is_negative():
    rows = bank_files.parse("Date,Amount\n2026-11-02,(40.00)\n")
    assert rows[0].amount == Decimal('-40.00')


@pytest.mark.parametrize('data, line, message', [
    ("", 0, "empty"),
    ("Description,Amount\nx,1.00\n", 1, "no date column"),
    ("Date,Memo\n2026-11-02,x\n", 1, "no amount column"),
    ("Date,Amount\n2026-11-02,12.3x\n", 2, "not a number"),
    ("Date,Amount\n2026-11-02,1.005\n", 2, "fractions of a cent"),
    ("Date,Amount\n2026-13-02,1.00\n", 2, "is not a date"),
    ("Date,Amount\n,1.00\n", 2, "date is empty"),
    ("Date,Amount\n2026-11-02,0\n", 2, "empty or zero"),
    ("Date,Debit,Credit\n2026-11-02,1.00,2.00\n", 2, "both a debit"),
    ("Date,Amount\n2026-11-02,1.00,extra\n", 2, "fields where"),
    ("Date,Amount\n", 0, "no transactions"),
    ])
def test_bad_rows_name_their_line(data, line, message):
    with pytest.raises(BankFileError) as info:
        bank_files.parse(data)
    assert info.value.line == line
    assert message in info.value.message


@pytest.mark.parametrize('column, value, message', [
    ('Amount', '"12,34"', "groups of three"),
    ('Amount', '1e9', "exponents"),
    ('Amount', '1_000', "underscores"),
    ('Amount', '\uff11\uff10', "other than 0-9"),
    ('Debit', '"1,2,3"', "groups of three"),
    ('Balance', '"1,0000.00"', "groups of three"),
    ])
def test_loose_amounts_are_refused_naming_line_and_value(
        column, value, message):
    header = ['Date', 'Amount', 'Debit', 'Balance']
    row = ['2026-11-02', '5.00', '', '100.00']
    row[header.index(column)] = value
    if column == 'Debit':
        row[1] = ''
        header[1] = 'Credit'
    with pytest.raises(BankFileError) as info:
        bank_files.parse(
            "Date,Amount,Debit,Balance\n2026-11-01,1.00,,95.00\n".replace(
                'Amount', header[1])
            + ','.join(row) + '\n')
    assert info.value.line == 3
    assert message in info.value.message
    assert value.strip('"') in info.value.message
