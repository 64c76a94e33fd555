# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Late charges and reconnection fees to the cent
(water_collection/penalty_rules.py)."""
import datetime as dt
from decimal import Decimal

from water_collection.penalty_rules import (
    PenaltyRule, add_months, capped, interest_waiver_due, penalty,
    percent_text, reconnect_cap, reconnect_fee)

D = Decimal
# Gov. Code 61115: 10% of the current bill plus 1% a month past due
CSD = PenaltyRule(current_percent=D(10), monthly_percent=D(1))
FLAT = PenaltyRule(flat_fee=D('5.00'), grace_days=15)


def test_ten_percent_plus_one_percent_a_month():
    result = penalty(CSD, D('84.37'), D('212.55'), days_late=1)
    assert result.late_charge == D('8.44')     # 8.437
    assert result.interest == D('2.13')        # 2.1255
    assert result.flat_fee == D('0.00')
    assert result.total == D('10.57')


def test_flat_fee_after_grace_days():
    assert penalty(FLAT, D('40.00'), D(0), days_late=15).total == D('0.00')
    assert penalty(FLAT, D('40.00'), D(0), days_late=16).total == D('5.00')


def test_nothing_below_the_minimum_balance_or_on_a_credit():
    rule = PenaltyRule(flat_fee=D('5.00'), minimum_balance=D('10.00'))
    assert penalty(rule, D('6.00'), D('4.00'), 30).total == D('0.00')
    assert penalty(rule, D('6.00'), D('4.01'), 30).total == D('5.00')
    assert penalty(CSD, D('-20.00'), D(0), 30).total == D('0.00')


def test_maximum_trims_the_fee_then_the_interest():
    rule = PenaltyRule(current_percent=D(10), monthly_percent=D('1.5'),
        flat_fee=D('5.00'), maximum=D('25.00'))
    result = penalty(rule, D('180.00'), D('600.00'), 40)
    # 18.00 + 9.00 + 5.00 = 32.00, trimmed to 25.00
    assert (result.late_charge, result.interest, result.flat_fee) == (
        D('18.00'), D('7.00'), D('0.00'))
    assert result.total == D('25.00')
    assert capped([D(3), D(4)], D(2)) == [D(2), D('0.00')]


def test_low_income_interest_waived_once_in_twelve_months():
    result = penalty(CSD, D('84.37'), D('212.55'), 1, waive_interest=True)
    assert result.interest == D('0.00')
    assert result.waived_interest == D('2.13')
    assert result.total == D('8.44')
    assert interest_waiver_due(None, dt.date(2026, 12, 1))
    assert not interest_waiver_due(
        dt.date(2026, 1, 15), dt.date(2027, 1, 14))
    assert interest_waiver_due(dt.date(2026, 1, 15), dt.date(2027, 1, 15))
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 14) == dt.date(2028, 1, 30)


def test_reconnect_fee_capped_for_low_income():
    assert reconnect_fee(D('85.00')) == D('85.00')
    assert reconnect_fee(D('85.00'), low_income=True) == D('50.00')
    assert reconnect_fee(D('185.00'), after_hours=True,
        low_income=True) == D('150.00')
    # the CPI up 17.3% since 2021
    assert reconnect_fee(D('85.00'), low_income=True,
        cpi_factor=D('1.173')) == D('58.65')
    assert reconnect_fee(D('40.00'), low_income=True) == D('40.00')


def test_reconnect_cap():
    "The caps the written policy prints: the demo's CPI, 2024 over 2021"
    factor = D('313.689') / D('270.970')
    assert reconnect_cap(cpi_factor=factor) == D('57.88')
    assert reconnect_cap(after_hours=True, cpi_factor=factor) == D('173.65')
    assert reconnect_cap() == D('50.00')


def test_percent_text():
    assert percent_text(Decimal('10.0000')) == '10'
    assert percent_text(Decimal('1.5000')) == '1.5'
    assert percent_text(Decimal('0.25')) == '0.25'
    assert percent_text(Decimal('100')) == '100'
