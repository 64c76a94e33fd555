# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The purchasing policy's arithmetic: who approves a requisition's total"
from decimal import Decimal

import pytest

from water_finance.approval_rules import covers, required_level

DEPARTMENT, GENERAL = Decimal('5000.00'), Decimal('25000.00')


@pytest.mark.parametrize('total, level', [
        ('0.00', 'department'),
        ('444.50', 'department'),
        # a limit is inclusive
        ('5000.00', 'department'),
        ('5000.01', 'general_manager'),
        ('25000.00', 'general_manager'),
        ('25000.01', 'board'),
        ('38500.00', 'board'),
        ])
def test_required_level(total, level):
    assert required_level(Decimal(total), DEPARTMENT, GENERAL) == level


def test_unset_limit_is_no_authority():
    "A department without a manager's limit goes to the General Manager"
    assert required_level(Decimal('10.00'), None, GENERAL) == (
        'general_manager')
    assert required_level(Decimal('10.00'), None, None) == 'board'


def test_higher_authority_covers_lower():
    assert covers('general_manager', 'department')
    assert covers('board', 'general_manager')
    assert covers('department', 'department')
    assert not covers('department', 'general_manager')
    assert not covers('general_manager', 'board')
