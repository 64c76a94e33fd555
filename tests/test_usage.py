# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the usage arithmetic."
from decimal import Decimal

import pytest

from water_utility.usage import (
    Rules, convert, estimate, expected_usage, gallons_per_day, usage_checks)


@pytest.mark.parametrize('quantity,from_unit,to_unit,expected', [
        # 1 HCF = 100 cubic feet = 748.05 gallons (bills often say 748).
        (1, 'hcf', 'gal', Decimal('748.0519')),
        (748, 'gal', 'hcf', Decimal('0.9999')),
        (100, 'cf', 'hcf', Decimal('1.0000')),
        # An acre-foot is 43,560 cubic feet, 325,851 gallons.
        (1, 'af', 'cf', Decimal('43560.0000')),
        (1, 'af', 'gal', Decimal('325851.4286')),
        (1, 'm3', 'gal', Decimal('264.1721')),
        (12, 'hcf', 'hcf', Decimal('12.0000')),
        ])
def test_convert(quantity, from_unit, to_unit, expected):
    assert convert(quantity, from_unit, to_unit) == expected


def test_gallons_per_day():
    # 12 HCF over 30 days is 299.2 gallons a day.
    assert gallons_per_day(12, 'hcf', 30) == Decimal('299.2')
    assert gallons_per_day(12, 'hcf', 0) is None


HISTORY = [(Decimal(10), 30)] * 5 + [(Decimal(14), 31)]


def test_expected_usage_uses_the_last_periods():
    assert expected_usage(HISTORY, 30, periods=1) == Decimal(14) / 31 * 30
    assert expected_usage([], 30) is None


@pytest.mark.parametrize('usage,found', [
        (Decimal(11), []),
        (Decimal(16), []),
        (Decimal(17), ['high']),
        (Decimal(5), ['low']),
        (Decimal(6), []),
        (Decimal(0), ['zero']),
        ])
def test_usage_checks(usage, found):
    # Expected over 30 days: 64 units / 181 days * 30 = 10.61 units;
    # high above 10.61 * 1.6 = 16.97, low under 10.61 * 0.5 = 5.30.
    rules = Rules(high_percent=Decimal(60), low_percent=Decimal(50))
    assert usage_checks(usage, 30, HISTORY, rules) == found


def test_no_history_no_high_or_low():
    assert usage_checks(Decimal(500), 30, [], Rules()) == []


def test_zero_check_can_be_off():
    assert usage_checks(0, 30, HISTORY, Rules(zero_usage=False)) == []


def test_estimate_is_average_daily_use_times_days():
    assert estimate([(Decimal(30), 30), (Decimal(60), 30)], 20) == \
        Decimal('30.00')
    assert estimate([], 20) == Decimal('0.00')
