# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of reading lockbox and bill-pay files."
import datetime as dt
from decimal import Decimal as D

import pytest

from water_utility.payment_files import (
    PaymentFileError, content_hash, normalize, parse, row_keys)

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


ROWS = ("Account Number,Amount,Check Number,Remitter,Payment Date\n"
    "100001,97.77,1042,ROSA DELGADO,11/25/2026\n"
    "100002,50.00,2210,Ben Okafor,11/25/2026\n"
    ",30.00,3301,Dev Patel,11/25/2026\n")


@pytest.mark.parametrize('variant', [
        ROWS.encode(),
        ROWS,
        ROWS.replace('\n', '\r\n').encode(),
        ROWS.encode() + b'\n',
        ROWS.encode() + b'\r\n\r\n  \r\n',
        b'\xef\xbb\xbf' + ROWS.encode(),
        '\ufeff' + ROWS,
        ROWS.replace('100002,50.00', ' 100002 ,"50.00"  ').encode(),
        ROWS.replace('Account Number', 'ACCOUNT NUMBER').encode(),
        ('\n'.join([ROWS.splitlines()[0]] + ROWS.splitlines()[:0:-1])
            + '\n').encode(),
        ('\n\n' + ROWS).encode(),
        ])
def test_content_hash_ignores_encoding_and_order(variant):
    assert content_hash(variant) == content_hash(ROWS.encode())


@pytest.mark.parametrize('other', [
        ROWS.replace('97.77', '97.78'),
        ROWS.replace('1042', '1043'),
        ROWS + "100004,1.00,9,X,11/25/2026\n",
        ROWS.replace(",30.00,3301,Dev Patel,11/25/2026\n", ''),
        ])
def test_content_hash_tells_other_payments(other):
    assert content_hash(other) != content_hash(ROWS)


def test_row_keys_are_the_payments_identity():
    date = dt.date(2026, 11, 26)
    keys = row_keys(parse(ROWS), date, 1)
    assert len(set(keys)) == 3
    # Re-ordered, re-encoded, padded: the same payments, the same keys.
    again = row_keys(parse(
            ROWS.replace('\n', '\r\n').replace('97.77', '$97.77')
            + '\r\n'), date, 1)
    assert again == keys
    reordered = ("Remitter,Amount,Account Number,Payment Date,Check Number\n"
        "Dev Patel,30.00,,2026-11-25,3301\n"
        "ROSA DELGADO,97.77,100001,2026-11-25,01042\n")
    assert set(row_keys(parse(reordered), date, 1)) == {keys[0], keys[2]}
    # Another company, amount, check or day is another payment.
    assert not set(row_keys(parse(ROWS), date, 2)) & set(keys)
    other = parse(ROWS.replace('97.77', '97.76').replace('2210', '2211')
        .replace('Dev Patel,11/25', 'Dev Patel,11/24'))
    assert not set(row_keys(other, date, 1)) & set(keys)


def test_row_keys_count_identical_payments():
    "Two payments alike in one file are two payments, not one seen twice"
    date = dt.date(2026, 11, 26)
    twice = parse("account,amount\n100001,20.00\n100001,20.00\n")
    first, second = row_keys(twice, date, 1)
    assert first != second
    once = parse("account,amount\n100001,20.00\n")
    assert row_keys(once, date, 1) == [first]
    # Without a date in the file, the deposit date tells the days apart.
    assert row_keys(once, date + dt.timedelta(1), 1) != [first]
