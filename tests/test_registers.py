# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the meter register arithmetic (no database)."
from decimal import Decimal

import pytest

from water_utility.registers import advance, fits_dials, register_limit


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
