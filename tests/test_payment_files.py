# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of reading lockbox and bill-pay files."
import datetime as dt
from decimal import Decimal as D

import pytest

from water_utility.payment_files import PaymentFileError, normalize, parse

LOCKBOX = b"""\xef\xbb\xbfAccount Number,Amount,Check Number,Remitter,Payment Date
100001,45.67,1042,ROSA DELGADO,11/25/2026
100002,"$1,080.00",2210,Ben Okafor,2026-11-25

100003,64.35,,Cora Lind,
"""


def test_lockbox_rows_in_file_order():
    rows = parse(LOCKBOX)
    assert [(r.line, r.account, r.amount, r.check_number) for r in rows] == [
        (2, '100001', D('45.67'), '1042'),
        (3, '100002', D('1080.00'), '2210'),
        (5, '100003', D('64.35'), ''),
        ]
    assert rows[0].name == 'ROSA DELGADO'
    assert rows[0].date == rows[1].date == dt.date(2026, 11, 25)
    assert rows[2].date is None


def test_bill_pay_without_account_numbers():
    rows = parse("payer,service address,amount\n"
        "Dev Patel,9 Creek Lane,30.00\n")
    assert (rows[0].account, rows[0].name, rows[0].address) == (
        '', 'Dev Patel', '9 Creek Lane')


@pytest.mark.parametrize('text, line, message', [
        ("account,amount\n100001,-5.00\n", 2, "not positive"),
        ("account,amount\n100001,0\n", 2, "not positive"),
        ("account,amount\n100001,abc\n", 2, "not a number"),
        ("account,amount\n100001,\n", 2, "empty"),
        ("account,amount\n100001,1.005\n", 2, "fractions of a cent"),
        ("account,amount\n100001,NaN\n", 2, "not a number"),
        ("account,amount,date\n100001,5,31/31/2026\n", 2, "not a date"),
        ("account,amount\n100001,5,extra\n", 2, "3 fields"),
        ("account,amount,name\n,5,\n", 2, "cannot be matched"),
        ("account,check\n100001,12\n", 1, "no amount column"),
        ("check,amount\n12,5\n", 1, "no account number or name"),
        ("account,amount\n", 0, "no payments"),
        ("", 0, "empty"),
        ])
def test_bad_rows_name_their_line(text, line, message):
    with pytest.raises(PaymentFileError) as error:
        parse(text)
    assert error.value.line == line
    assert message in str(error.value)


def test_normalize():
    assert normalize("  O'Brien,  Pat ") == 'o brien pat'
    assert normalize("120 OAK ST.") == '120 oak st'


@pytest.mark.parametrize('amount, message', [
        ('"12,34"', "groups of three"),
        ('"1,2,3"', "groups of three"),
        ('1e9', "exponents"),
        ('1_000', "underscores"),
        ('\u0661\u0662', "other than 0-9"),
        ('45.670', "fractions of a cent"),
        ('inf', "not a number"),
        ])
def test_loose_amounts_are_refused_naming_line_and_value(amount, message):
    with pytest.raises(PaymentFileError) as error:
        parse(f"account,amount\n100001,5.00\n100002,{amount}\n")
    assert error.value.line == 3
    assert message in error.value.message
    assert amount.strip('"') in error.value.message
