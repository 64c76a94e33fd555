# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The trial balance's plain arithmetic"
from decimal import Decimal

from water_finance.trial_balance import Row, csv_text, sections

D = Decimal


def test_trial_balance_sections():
    rows = [
        Row('Water', '1010', 'Cash', D('100.00'), D('50.00'), D('80.00'),
            D('70.00')),
        Row('Water', '4010', 'Sales', D('-100.00'), D('0.00'), D('50.00'),
            D('-150.00')),
        Row('Water', '5040', 'T&D', D('0.00'), D('80.00'), D('0.00'),
            D('80.00')),
        Row('Water', '1020', 'Idle', D('0'), D('0'), D('0'), D('0')),
        Row('Sewer', '1010', 'Cash', D('5.00'), D('1.00'), D('0'), D('6.00')),
        ]
    sewer, water = sections(rows)
    assert [r.code for r in water.rows] == ['1010', '4010', '5040']
    assert water.total('debit') == water.total('credit') == D('130.00')
    assert water.balanced
    # an entry with its other side in another fund puts both out
    assert sewer.out_of_balance == (D('1.00'), D('6.00'))
    assert not sewer.balanced
    assert csv_text([water]).split('\r\n')[:2] == [
        'Fund,Account,Name,Beginning Balance,Debits,Credits,Ending Balance',
        'Water,1010,Cash,100.00,50.00,80.00,70.00']
