"""Meter register arithmetic: plain functions, no database.

A register counts up to ``10 ** dials - 1`` and then starts again at zero
(the "rollover").  Values are register readings in the meter's own unit,
before the meter multiplier is applied.
"""
from decimal import Decimal


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
