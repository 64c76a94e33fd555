# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the meter register arithmetic (no database)."
from decimal import Decimal

import pytest

from water_utility.registers import (
    advance, fits_dials, in_expected_range, looks_like_rollover,
    register_limit)


def test_limit_is_ten_to_the_dials():
    assert register_limit(7) == Decimal(10_000_000)
    assert register_limit(4) == Decimal(10_000)


def test_limit_needs_a_dial():
    with pytest.raises(ValueError):
        register_limit(0)


@pytest.mark.parametrize('value,dials,fits', [
        (Decimal('0'), 4, True),
        (Decimal('9999'), 4, True),
        (Decimal('9999.99'), 4, True),
        (Decimal('10000'), 4, False),
        (Decimal('-1'), 4, False),
        ])
def test_fits_dials(value, dials, fits):
    assert fits_dials(value, dials) is fits


def test_plain_advance():
    assert advance(Decimal('1234'), Decimal('1250'), 7) == Decimal(16)


def test_no_advance():
    assert advance(Decimal('500'), Decimal('500'), 6) == Decimal(0)


def test_rollover_on_seven_dials():
    # The example of the meter-read issue: 9,999,950 -> 120 on 7 dials.
    assert advance(
        Decimal('9999950'), Decimal('120'), 7, rollover=True) == Decimal(170)


def test_lower_read_without_rollover_is_refused():
    assert advance(Decimal('9999950'), Decimal('120'), 7) is None


def test_rollover_claimed_on_a_higher_read_is_refused():
    # A full turn of the register in one period is not believable.
    assert advance(Decimal('100'), Decimal('150'), 7, rollover=True) is None


@pytest.mark.parametrize('previous,current,dials,rollover', [
        # The example: 9,999,950 -> 120 on 7 dials.
        (Decimal('9999950'), Decimal('120'), 7, True),
        (Decimal('9500'), Decimal('30'), 4, True),
        # A lower read from the middle of the register is a misread.
        (Decimal('5000'), Decimal('30'), 4, False),
        (Decimal('9500'), Decimal('2000'), 4, False),
        # Not lower at all.
        (Decimal('9500'), Decimal('9600'), 4, False),
        ])
def test_looks_like_rollover(previous, current, dials, rollover):
    assert looks_like_rollover(previous, current, dials) is rollover


@pytest.mark.parametrize('last,value,rollover,low,high,in_range', [
        (37000, 43400, False, 40000, 46000, True),
        (37000, 60000, False, 40000, 46000, False),
        (37000, 38000, False, 40000, 46000, False),
        # A range running past 9,999 on 4 dials: 9,950 to 50.
        (9900, 5, True, 9950, 50, True),
        (9900, 9960, False, 9950, 50, True),
        (9900, 80, True, 9950, 50, False),
        (9900, 9920, False, 9950, 50, False),
        # No history, no range.
        (100, 5000, False, None, None, True),
        ])
def test_in_expected_range(last, value, rollover, low, high, in_range):
    assert in_expected_range(
        last, value, rollover, low, high, 4 if last == 9900 else 7
        ) is in_range
