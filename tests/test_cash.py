# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the counter's arithmetic: allocation, change, counts."
from decimal import Decimal as D

import pytest

from water_utility.cash import (
    DENOMINATIONS, allocate, change_due, count_total, denomination_value)


def test_allocate_oldest_first_exactly():
    applied, left = allocate(D('97.77'), [('a', D('45.67')), ('b', D('52.10'))])
    assert applied == [('a', D('45.67')), ('b', D('52.10'))]
    assert left == D('0.00')


def test_allocate_partial_stops_at_the_payment():
    applied, left = allocate(D('50.00'), [('a', D('45.67')), ('b', D('52.10'))])
    assert applied == [('a', D('45.67')), ('b', D('4.33'))]
    assert left == 0


def test_allocate_overpayment_leaves_a_credit():
    applied, left = allocate(D('100.00'), [('a', D('64.35'))])
    assert applied == [('a', D('64.35'))]
    assert left == D('35.65')


def test_allocate_skips_items_owing_nothing():
    applied, left = allocate(D('10'), [('a', D('0')), ('b', D('-3')),
            ('c', D('4'))])
    assert applied == [('c', D('4'))]
    assert left == D('6')


def test_allocate_refuses_a_negative_payment():
    with pytest.raises(ValueError):
        allocate(D('-1'), [('a', D('4'))])


@pytest.mark.parametrize('tender, amount, tendered, change', [
        ('cash', D('97.77'), D('100.00'), D('2.23')),
        ('cash', D('30.00'), D('30.00'), D('0.00')),
        ('cash', D('30.00'), D('29.99'), None),
        ('cash', D('30.00'), None, None),
        ('check', D('50.00'), D('50.00'), D('0')),
        ('check', D('50.00'), None, D('0')),
        ('check', D('30.00'), D('35.00'), None),
        ('card', D('100.00'), D('100.00'), D('0')),
        ])
def test_change_due(tender, amount, tendered, change):
    assert change_due(tender, amount, tendered) == change


def test_count_total_and_values():
    assert denomination_value('1c') == D('1')
    assert denomination_value('0.25') == D('0.25')
    assert count_total({'100': 1, '50': 1, '20': 3, '5': 2, '1': 2,
            '0.25': 3, '0.01': 2}) == D('222.77')
    assert count_total({d: 0 for d, _ in DENOMINATIONS}) == D('0.00')
    assert count_total({'0.10': None}) == D('0.00')
