# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The warrant list's plain arithmetic"
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from water_finance.warrants import csv_text, share, totals

D = Decimal


def test_share_keeps_every_cent():
    # $100.00 over three equal lines: 33.33, 33.34, 33.33
    parts = share(D('100.00'), [('5010', 1), ('5020', 1), ('5030', 1)])
    assert parts == [
        ('5010', D('33.33')), ('5020', D('33.34')), ('5030', D('33.33'))]
    assert sum(p for _, p in parts) == D('100.00')


def test_share_in_proportion_of_a_partly_paid_bill():
    # a bill of $1,200.00 (900 meters, 300 freight) paid $400.00
    parts = share(D('400.00'), [('1400', D('900.00')), ('5090', D('300.00'))])
    assert parts == [('1400', D('300.00')), ('5090', D('100.00'))]


def test_share_with_a_credit_line():
    # a bill of 1,000.00 less a 50.00 credit, paid in full (950.00)
    parts = share(D('950.00'), [('5040', D('1000.00')), ('5040', D('-50.00'))])
    assert parts == [('5040', D('1000.00')), ('5040', D('-50.00'))]


def test_share_without_weights():
    assert share(D('12.00'), []) == []
    assert share(D('12.00'), [('a', 0), ('b', 0)]) == [
        ('a', D('12.00')), ('b', D('0'))]


def test_totals_by_key_sorted_without_none():
    rows = [SimpleNamespace(amount=D(a), fund=f) for a, f in [
            ('10.00', 'Water'), ('5.25', 'Sewer'), ('1.00', None),
            ('-2.00', 'Water')]]
    assert totals(rows, lambda r: r.fund) == [
        ('Sewer', D('5.25')), ('Water', D('8.00'))]


def test_csv_text():
    text = csv_text([
            ('Check', '10040', dt.date(2026, 11, 30), 'Pacific Pipe, Inc.',
                'INV-20388: 2" meters', '1400 Materials', 'Water Fund',
                D('1234.5')),
            ('Payroll', '', dt.date(2026, 11, 27), None, 'Net pay', None,
                None, D('-3.00')),
            ])
    assert text.split('\r\n') == [
        'Type,Number,Date,Payee,Purpose,Account,Fund,Amount',
        'Check,10040,2026-11-30,"Pacific Pipe, Inc.","INV-20388: 2"" '
        'meters",1400 Materials,Water Fund,1234.50',
        'Payroll,,2026-11-27,,Net pay,,,-3.00',
        '']

