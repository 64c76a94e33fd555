# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Budget against actual: the plain arithmetic"
from decimal import Decimal

from water_finance.budget_vs_actual import csv_text, row, totals

D = Decimal


def test_expense_line_turned_positive():
    # Pumping: $120,000.00 a year, $10,000.00 a month; November's power
    # bills $11,250.00, $61,000.00 to date against $50,000.00 budgeted
    pumping = row('Operations', '5020 - Pumping', D('-10000.00'),
        D('-11250.00'), D('-50000.00'), D('-61000.00'), D('-120000.00'))
    assert (pumping.month_budget, pumping.month_actual) == (
        D('10000.00'), D('11250.00'))
    assert pumping.remaining == D('59000.00')
    assert pumping.used == D('50.8')
    assert pumping.over


def test_revenue_line_kept():
    sales = row('Revenue', '4010 - Water Sales', D('150000.00'),
        D('142500.50'), D('750000.00'), D('731000.00'), D('1800000.00'))
    assert sales.remaining == D('1069000.00')
    assert sales.used == D('40.6')
    assert not sales.over


def test_no_budget():
    line = row('Administration', 'Legal', None, D('-500.00'), None,
        D('-500.00'), None)
    assert line.used is None
    assert line.ytd_actual == D('-500.00')


def test_totals_and_csv():
    rows = [row('Operations', '5020', D('-10'), D('-11'), D('-50'),
            D('-61'), D('-120')),
        row('Operations', '5040', D('-5'), D('-4'), D('-25'), D('-20'),
            D('-60'))]
    total = totals(rows)
    assert (total.ytd_budget, total.ytd_actual, total.year_budget) == (
        D('75'), D('81'), D('180'))
    assert csv_text(rows).split('\r\n')[1] == (
        'Operations,5020,10.00,11.00,50.00,61.00,120.00,59.00,50.80')
