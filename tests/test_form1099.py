# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal as D

from water_finance.form1099 import reportable, vendor_totals


def test_a_vendors_payments_add_up():
    assert vendor_totals([('Sierra', D('1450.00')), ('Pipe', D('930.00')),
            ('Sierra', D('550.00'))]) == {
        'Sierra': D('2000.00'), 'Pipe': D('930.00')}


def test_the_threshold_is_reported_at_or_above():
    # 2026: "$2,000 or more"
    totals = {'Sierra': D('2000.00'), 'Valley': D('1999.99'),
        'Delta': D('2900.00')}
    assert reportable(totals, D('2000')) == [
        ('Delta', D('2900.00')), ('Sierra', D('2000.00'))]


def test_2025_reports_from_600():
    assert reportable({'Valley': D('600.00'), 'Oak': D('599.99')},
        D('600')) == [('Valley', D('600.00'))]
