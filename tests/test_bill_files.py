# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The reading of supplier bill files (water_finance.bill_files)"
import datetime as dt
from decimal import Decimal

import pytest

from water_finance.bill_files import BillFileError, bills, parse

FILE = (
    "Vendor,Invoice,Date,Amount,Account,Description\n"
    "Pacific Gas & Electric,PGE-0415,11/30/2026,\"1,204.17\",5030,"
    "Well 3 power\n"
    "Pacific Gas & Electric,PGE-0415,11/30/2026,88.40,5030,Office power\n"
    "Valley Office Products,VOP 90311,2026-11-28,$64.00,5060,Toner\n")


def test_rows_and_bills():
    rows = parse(FILE)
    assert [(r.line, r.amount) for r in rows] == [
        (2, Decimal('1204.17')), (3, Decimal('88.40')), (4, Decimal('64.00'))]
    grouped = bills(rows)
    assert [[r.line for r in lines] for lines in grouped.values()] == [
        [2, 3], [4]]
    assert rows[0].date == dt.date(2026, 11, 30)
    assert rows[2].description == "Toner"


def test_headers_in_any_order_and_case_and_a_bom():
    text = ("\ufeffAMOUNT,gl account,Bill Date,Invoice Number,Supplier\r\n"
        "12.50,5060,2026-11-01,A-1,Valley Office Products\r\n\r\n")
    row, = parse(text.encode('utf-8'))
    assert (row.vendor, row.invoice, row.amount, row.account) == (
        "Valley Office Products", "A-1", Decimal('12.50'), '5060')


def test_one_number_spelled_twice_is_one_bill():
    rows = parse("vendor,invoice,date,amount,account\n"
        "Acme,INV-1,2026-11-01,10.00,5060\n"
        "ACME,inv 1,2026-11-01,5.00,5060\n")
    assert len(bills(rows)) == 1


@pytest.mark.parametrize('text,line,words', [
    ("vendor,invoice,date,amount,account\nAcme,1,2026-11-01,12,34,5060\n",
        2, "fields where the header has"),
    ("vendor,invoice,date,amount,account\nAcme,1,2026-11-01,12.345,5060\n",
        2, "fractions of a cent"),
    ("vendor,invoice,date,amount,account\nAcme,1,2026-11-01,1e3,5060\n",
        2, "exponents"),
    ("vendor,invoice,date,amount,account\nAcme,1,31/11/2026,10.00,5060\n",
        2, "is not a date"),
    ("vendor,invoice,date,amount,account\n,1,2026-11-01,10.00,5060\n",
        2, "no vendor"),
    ("vendor,invoice,date,amount,account\nAcme,--,2026-11-01,10.00,5060\n",
        2, "has no letter or digit"),
    ("vendor,invoice,date,amount,account\nAcme,1,2026-11-01,10.00,\n",
        2, "no account and no product"),
    ("vendor,invoice,date,account\nAcme,1,2026-11-01,5060\n",
        1, "no amount column"),
    ("vendor,invoice,date,amount\nAcme,1,2026-11-01,10.00\n",
        1, "no account or product column"),
    ("vendor,invoice,date,amount,account\n", 0, "no bills"),
    ])
def test_refused_naming_the_line(text, line, words):
    with pytest.raises(BillFileError) as info:
        parse(text)
    assert info.value.line == line
    assert words in str(info.value)


def test_a_bill_has_one_date_and_a_positive_total():
    with pytest.raises(BillFileError, match="one bill has one date") as info:
        bills(parse("vendor,invoice,date,amount,account\n"
                "Acme,1,2026-11-01,10.00,5060\n"
                "Acme,1,2026-11-02,10.00,5060\n"))
    assert info.value.line == 3
    with pytest.raises(BillFileError, match="enter a credit by hand"):
        bills(parse("vendor,invoice,date,amount,account\n"
                "Acme,1,2026-11-01,10.00,5060\n"
                "Acme,1,2026-11-01,(12.00),5060\n"))
