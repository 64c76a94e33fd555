# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Plain tests of the reconciliations' arithmetic and printing: columns
that foot to their totals, negatives in parentheses."""
from decimal import Decimal as D

from water_utility.models.report import accounting
from water_utility.postage import mailing_postage


def test_mailings_foot_to_their_total():
    "Each mailing rounded once; the total is theirs, not the rate's"
    amounts, total = mailing_postage([109, 3, 2], D('0.5730'))
    assert amounts == [D('62.46'), D('1.72'), D('1.15')]
    assert total == sum(amounts) == D('65.33')
    # The pieces' total at the rate, rounded, does not foot.
    assert (D('0.5730') * 114).quantize(D('0.01')) == D('65.32')


def test_one_mailing_is_its_total():
    amounts, total = mailing_postage([120], D('0.5730'))
    assert amounts == [D('68.76')]
    assert total == D('68.76')


def test_no_mailings_no_postage():
    assert mailing_postage([], D('0.5730')) == ([], D('0.00'))
    assert str(mailing_postage([], D('0.5730'))[1]) == '0.00'


def money(value):
    return f'{value:,.2f}'


def test_short_in_parentheses():
    assert accounting(D('-5.00'), money) == '(5.00)'
    assert accounting(D('-1234.50'), money) == '(1,234.50)'


def test_over_and_zero_as_they_are():
    assert accounting(D('5.00'), money) == '5.00'
    assert accounting(D('0.00'), money) == '0.00'
    assert accounting(D('-0.00'), money) == '0.00'
