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


def test_balance_needed_names_the_header_line():
    data = "Date,Description,Amount\n2026-11-02,DEPOSIT,10.00\n"
    assert [r.balance for r in bank_files.parse(data)] == [None]
    with pytest.raises(bank_files.BankBalanceError) as info:
        bank_files.parse(data, balance=True)
    assert info.value.line == 1
    assert "no balance column" in info.value.message


@pytest.mark.parametrize('data, line', [
    # oldest first: the last row closes the statement
    ("Date,Amount,Running Balance\n2026-11-02,10.00,110.00\n"
        "2026-11-03,-5.00,\n", 3),
    # newest first: the first row closes it
    ("Date,Amount,Running Balance\n2026-11-03,-5.00,\n"
        "2026-11-02,10.00,110.00\n", 2),
    ])
def test_balance_missing_on_the_closing_row_names_it(data, line):
    with pytest.raises(bank_files.BankBalanceError) as info:
        bank_files.parse(data, balance=True)
    assert info.value.line == line
    assert info.value.column == 'Running Balance'
    assert "Running Balance of the statement's last" in info.value.message


def test_balance_given():
    rows = bank_files.parse("Date,Amount,Balance\n2026-11-03,-5.00,95.00\n"
        "2026-11-02,10.00,100.00\n", balance=True)
    assert bank_files.closing_row(rows).balance == Decimal('95.00')


OFX = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE
<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20261130<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000358<ACCTID>000123456789<ACCTTYPE>CHECKING
</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>20261102
<TRNAMT>1172.77
<FITID>B-0001
<NAME>DEPOSIT
</STMTTRN>
<STMTTRN>
<TRNTYPE>CHECK
<DTPOSTED>20261103
<TRNAMT>-250.00
<FITID>B-0002
<CHECKNUM>5012
<NAME>CHECK 5012
</STMTTRN>
<STMTTRN>
<TRNTYPE>DEBIT
<DTPOSTED>20261104
<TRNAMT>-12.50
<FITID>B-0003
<NAME>SERVICE FEE
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>1910.27<DTASOF>20261130</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


def test_ofx_read_whole():
    _, read = bank_files.read_ofx(OFX.encode())
    assert [(t.id, t.amount) for t in read] == [
        ('B-0001', Decimal('1172.77')), ('B-0002', Decimal('-250.00')),
        ('B-0003', Decimal('-12.50'))]


@pytest.mark.parametrize('data, line, message', [
    # A misspelled tag: ofxparse silently drops the check.
    (OFX.replace("<STMTTRN>\n<TRNTYPE>CHECK", "<STMTRN>\n<TRNTYPE>CHECK"),
        29, "3 transactions (STMTTRN) in the file"),
    (OFX.replace("<STMTTRN>\n<TRNTYPE>CHECK", "<STMTTRN>\n<TRNTYPE>CHECK"
            ).replace("</STMTTRN>\n<STMTTRN>\n<TRNTYPE>DEBIT",
            "</STMTTRN>\n<STMTTRX>\n<TRNTYPE>DEBIT"),
        37, "but 2 could be read"),
    (OFX.replace("<TRNAMT>-250.00", "<TRNAMT>-25O.00"), 28,
        "Invalid Transaction Amount"),
    # Where ofxparse does not say which, the first transaction's line.
    (OFX.replace("<TRNAMT>-250.00\n", ""), 18, "Missing Transaction Amount"),
    (OFX.replace("<DTPOSTED>20261103", "<DTPOSTED>2026110X"), 18,
        "cannot be read"),
    (OFX[:OFX.index("<STMTTRN>\n<TRNTYPE>CHECK") + 30], 27,
        "cut short"),
    (OFX[:OFX.index("</STMTRS>")], 41, "cut short"),
    ("", 1, "not an OFX file"),
    ("Date,Amount\n2026-11-02,1.00\n", 1, "not an OFX file"),
    ])
def test_ofx_malformed_or_cut_short_names_the_line(data, line, message):
    with pytest.raises(BankFileError) as info:
        bank_files.read_ofx(data.encode())
    assert message in info.value.message
    assert info.value.line == line
