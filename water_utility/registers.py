"""Meter register arithmetic: plain functions, no database.

A register counts up to ``10 ** dials - 1`` and then starts again at zero
(the "rollover").  Values are register readings in the meter's own unit,
before the meter multiplier is applied.
"""
from decimal import Decimal

# A lower read is taken as a rollover when the register was in its last
# tenth and now reads in its first tenth.
ROLLOVER_BAND = Decimal('0.1')


def register_limit(dials):
    "Return the value at which a register with `dials` dials rolls over."
    if dials is None or dials < 1:
        raise ValueError(f"a register needs at least one dial, not {dials}")
    return Decimal(10) ** dials


def fits_dials(value, dials):
    "Tell whether `value` can be shown on a register with `dials` dials."
    return Decimal(0) <= Decimal(value) < register_limit(dials)


def advance(previous, current, dials, rollover=False):
    """Return how far the register moved from `previous` to `current`.

    A lower `current` is only an advance when the register rolled over,
    e.g. 9,999,950 -> 120 on 7 dials advanced by 170.  Without `rollover`
    a lower read is negative usage and ``None`` is returned so the caller
    can refuse it.
    """
    previous, current = Decimal(previous), Decimal(current)
    if rollover:
        if current >= previous:
            # A full turn of the register is not believable as one period.
            return None
        return current + register_limit(dials) - previous
    if current < previous:
        return None
    return current - previous


def looks_like_rollover(previous, current, dials):
    """Tell whether a `current` read lower than `previous` is the register
    passing zero: it was in its last tenth and now reads in its first
    tenth (9,999,950 -> 120 on 7 dials), not a misread."""
    limit = register_limit(dials)
    previous, current = Decimal(previous), Decimal(current)
    return (current < previous
        and previous >= limit * (1 - ROLLOVER_BAND)
        and current < limit * ROLLOVER_BAND)


def in_expected_range(last, value, rollover, low, high, dials):
    """Tell whether `value`, read after `last`, lies in the expected range
    from `low` to `high`, all as the dials show them: a range or a read
    past the top of the register is counted on from there.  Without a
    range (no history) any read is in range."""
    if low is None or high is None:
        return True
    limit = register_limit(dials)
    last, value = Decimal(last), Decimal(value)
    low, high = Decimal(low), Decimal(high)
    if rollover:
        value += limit
    if low < last:
        low += limit
    if high < last:
        high += limit
    return low <= value <= high
