# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Water usage arithmetic: units, gallons per day, the high/low/zero read
checks and estimates.  Plain functions, no database.

Units are converted through their exact volume in cubic metres (the foot is
0.3048 m and the US gallon 231 cubic inches, both exact), so HCF is
748.0519... gallons, not the rounded 748 printed on some bills."""
from dataclasses import dataclass
from decimal import Decimal

# The units of volume, defined once: code, name on forms, name in printed
# sentences, symbol after a quantity, exact volume in cubic metres.
UNITS = [
    ('hcf', "Hundred Cubic Feet (HCF)", "HCF (hundred cubic feet)", "HCF",
        Decimal('2.8316846592')),
    ('gal', "Gallons", "gallons", "gal", Decimal('0.003785411784')),
    ('kgal', "Thousand Gallons", "thousand gallons", "kgal",
        Decimal('3.785411784')),
    ('cf', "Cubic Feet", "cubic feet", "cf", Decimal('0.028316846592')),
    ('m3', "Cubic Metres", "cubic metres", "m³", Decimal(1)),
    ('af', "Acre-Feet", "acre-feet", "AF", Decimal('1233.48183754752')),
    ]
UNIT_SELECTION = [(code, label) for code, label, _, _, _ in UNITS]
# A meter's register counts gallons, cubic feet, HCF, cubic metres or
# acre-feet (a register in thousands of gallons has a multiplier).
METER_UNIT_SELECTION = [u for u in UNIT_SELECTION if u[0] != 'kgal']
UNIT_NAMES = {code: name for code, _, name, _, _ in UNITS}
UNIT_SYMBOLS = {code: symbol for code, _, _, symbol, _ in UNITS}
CUBIC_METRES = {code: volume for code, _, _, _, volume in UNITS}


def convert(quantity, from_unit, to_unit, digits=4):
    "Return `quantity` of `from_unit` in `to_unit`, rounded to `digits`"
    value = (Decimal(quantity) * CUBIC_METRES[from_unit]
        / CUBIC_METRES[to_unit])
    return value.quantize(Decimal(1).scaleb(-digits))


def gallons_per_day(quantity, unit, days):
    "Average use per day over `days`, in gallons (None for no days)"
    if not days:
        return None
    return (convert(quantity, unit, 'gal', 6) / days).quantize(
        Decimal('0.1'))


@dataclass(frozen=True)
class Rules:
    """The district's read checks for one service type.

    high_percent and low_percent are the allowed distance from the
    expected usage (average daily use over the last `periods` reads times
    the days of this period)."""
    high_percent: Decimal = Decimal(50)
    low_percent: Decimal = Decimal(50)
    periods: int = 6
    zero_usage: bool = True


def expected_usage(history, days, periods=6):
    """Usage expected over `days` from the last `periods` (usage, days)
    pairs of `history` (oldest first); None without usable history."""
    recent = [(u, d) for u, d in history if d][-periods:]
    total_days = sum(d for _, d in recent)
    if not total_days:
        return None
    return sum(Decimal(u) for u, _ in recent) / total_days * days


def usage_checks(usage, days, history, rules):
    """Return the checks a period's usage fails: 'zero', 'high', 'low'.

    Zero usage is only a finding on its own; high and low need history."""
    usage = Decimal(usage)
    if usage == 0:
        return ['zero'] if rules.zero_usage else []
    expected = expected_usage(history, days, rules.periods)
    if expected is None or expected == 0:
        return []
    if usage > expected * (1 + rules.high_percent / 100):
        return ['high']
    if usage < expected * (1 - rules.low_percent / 100):
        return ['low']
    return []


def estimate(history, days, periods=6, digits=2):
    """Estimated usage for `days`: average daily use over the last
    `periods` times the days; zero without history."""
    expected = expected_usage(history, days, periods)
    if expected is None:
        return Decimal(0).quantize(Decimal(1).scaleb(-digits))
    return expected.quantize(Decimal(1).scaleb(-digits))
