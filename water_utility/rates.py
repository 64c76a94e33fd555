# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rate arithmetic: from a billing period and the rate schedules in force
to charge lines, to the cent.  Plain functions, no database.

A bill covers the days [start, end) of a service.  The period is cut into
segments wherever a rate schedule takes effect or a component (a drought
surcharge, say) is switched on or off; each segment is charged with the
components in force on it:

* fixed charges per day are charged for the segment's days; per month or
  per billing period they are charged in full on a regular period whose
  days are inside the district's window (28 to 33 days a month by
  default: the cycle's months, whatever its exact days), and by days over
  the cycle's nominal days on a first or final bill or a period outside
  the window; a period cut by a rate change gives each segment its share
  of days;
* usage is shared between segments by days, as is the width of tiers
  (tiers are given per period, per dwelling unit, per month of 30 days
  (scaled by the days), per dwelling unit and month, or per day);
* a minimum charge tops the schedule's other charges up to the minimum.

Rounding: usage and tier limits are shared between segments to the
hundredth of a unit so the shares add up to the whole; each line's amount
is rounded to the cent (half up) so that the lines of one charge (a
component, and its tier) add up to that charge's exact amount rounded
once: a period cut where nothing changes bills what it would uncut.  The
bill is the sum of its lines, so the printed lines add up to the total.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')
UNITS = Decimal('0.01')
KINDS = ('fixed', 'volumetric', 'winter_average', 'minimum')
BASES = ('day', 'month', 'period')
TIER_SCALES = ('fixed', 'units', 'month', 'unit_month', 'days')
# Days of a month for limits given per month (tier scale 'month')
MONTH_DAYS = 30
# The days a month of a regular period may have and be charged one month
REGULAR_DAYS = (28, 33)


def money(value):
    "Round to the cent, half up, as bills are"
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    """A block of usage: up to `upto` billing units in all (cumulative;
    None for no limit) at `price` per unit."""
    upto: Decimal | None
    price: Decimal


@dataclass(frozen=True)
class Component:
    """One charge of a rate schedule.

    kind:
      fixed           `price` (or `prices` by meter or fire line size) per
                      `basis` (day, month or period), times the dwelling
                      units when `per_dwelling_unit`
      volumetric      usage through `tiers` (a uniform rate is one tier
                      without limit); a per-unit surcharge is one too
      winter_average  the service's winter-average use (or
                      `default_quantity` without one) through `tiers`, per
                      period; capped by the period's actual use when
                      `cap_at_usage`
      minimum         tops the schedule's other charges up to `price` per
                      `basis`
    `start` and `end` switch a component on for [start, end) only."""
    code: str
    name: str
    kind: str
    basis: str = 'period'
    price: Decimal | None = None
    prices: dict = field(default_factory=dict)
    size_of: str = 'meter'
    per_dwelling_unit: bool = False
    tiers: tuple = ()
    tier_scale: str = 'fixed'
    default_quantity: Decimal | None = None
    cap_at_usage: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.code}: unknown kind {self.kind!r}")
        if self.basis not in BASES:
            raise ValueError(f"{self.code}: unknown basis {self.basis!r}")
        if self.tier_scale not in TIER_SCALES:
            raise ValueError(
                f"{self.code}: unknown tier scale {self.tier_scale!r}")
        if self.kind in {'volumetric', 'winter_average'}:
            if not self.tiers:
                raise ValueError(f"{self.code}: a {self.kind} charge "
                    "needs at least one tier")
            limits = [t.upto for t in self.tiers]
            if None in limits[:-1] or any(
                    a >= b for a, b in zip(limits, limits[1:])
                    if b is not None):
                raise ValueError(f"{self.code}: tier limits must rise and "
                    "only the last may be open")

    def active(self, day):
        return ((self.start is None or self.start <= day)
            and (self.end is None or day < self.end))


@dataclass(frozen=True)
class Schedule:
    "The components in force from `effective` until the next schedule"
    effective: datetime.date
    components: tuple


@dataclass(frozen=True)
class Period:
    """What a service's bill is computed from.

    `usage` is in billing units for the whole period; `months` and
    `nominal_days` describe a full period of the cycle (1 and 30 for a
    monthly cycle); `full` is False for a first or final bill;
    `regular_days` are the days a month of a regular period may have and
    still be charged as one month (fixed charges per month or period,
    tiers per period): outside, the period is charged by its days over
    `nominal_days` as a first or final bill is."""
    start: datetime.date
    end: datetime.date
    usage: Decimal
    months: int = 1
    nominal_days: int = 30
    full: bool = True
    meter_size: str | None = None
    fire_line_size: str | None = None
    dwelling_units: int = 1
    winter_average: Decimal | None = None
    regular_days: tuple = REGULAR_DAYS

    @property
    def days(self):
        return (self.end - self.start).days

    @property
    def regular(self):
        "Charged as the cycle's months, whatever its exact days"
        low, high = self.regular_days
        return self.full and (
            low * self.months <= self.days <= high * self.months)


@dataclass(frozen=True)
class Charge:
    """One line of a bill: a component (and tier) on a segment.

    `quantity` is in `unit` ('unit' for billing units, 'day', 'period');
    `amount` is rounded to the cent; a tier's `floor` and `limit` are its
    limits on the segment, in billing units (`limit` None for the last)."""
    component: Component
    start: datetime.date
    end: datetime.date
    tier: int | None
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    floor: Decimal | None = None
    limit: Decimal | None = None

    @property
    def code(self):
        return self.component.code


def segments(period, schedules):
    """Cut the period where a schedule takes effect or a component starts
    or ends: return [(start, end, schedule)] covering [start, end)."""
    schedules = sorted(schedules, key=lambda s: s.effective)
    first = [s for s in schedules if s.effective <= period.start]
    if not first:
        raise ValueError(
            f"no rate schedule in force on {period.start.isoformat()}")
    cuts = {period.start, period.end}
    for schedule in schedules:
        if period.start < schedule.effective < period.end:
            cuts.add(schedule.effective)
        for component in schedule.components:
            for day in (component.start, component.end):
                if day and period.start < day < period.end:
                    cuts.add(day)
    cuts = sorted(cuts)
    result = []
    for start, end in zip(cuts, cuts[1:]):
        schedule = [s for s in schedules if s.effective <= start][-1]
        result.append((start, end, schedule))
    return result


def share(total, weights, quantum=UNITS):
    """Split `total` in proportion to `weights`, rounded to `quantum`, the
    rounding remainder going to the last share so the shares add up."""
    weights = list(weights)
    whole = sum(weights)
    shares = []
    for weight in weights[:-1]:
        shares.append((Decimal(total) * weight / whole).quantize(
                quantum, rounding=ROUND_HALF_UP))
    shares.append(Decimal(total) - sum(shares))
    return shares


class Running:
    """Rounds the parts of a sum so that they add up to the sum rounded
    once: each part is the rounded running total less the parts before.
    `part(key, exact)` gives the next part of the sum named `key`."""

    def __init__(self, quantum):
        self.quantum = quantum
        self.exact = defaultdict(Decimal)
        self.rounded = defaultdict(Decimal)

    def part(self, key, exact):
        self.exact[key] += Decimal(exact)
        total = self.exact[key].quantize(
            self.quantum, rounding=ROUND_HALF_UP)
        result = total - self.rounded[key]
        self.rounded[key] = total
        return result


def charges(period, schedules):
    "Return the Charge lines of `period` under `schedules`"
    if period.days <= 0:
        raise ValueError("a billing period needs at least one day")
    if period.usage < 0:
        raise ValueError("usage cannot be negative")
    cut = segments(period, schedules)
    days = [(end - start).days for start, end, _ in cut]
    usages = share(period.usage, days)
    winter = period.winter_average
    winters = share(winter, days) if winter is not None else [None] * len(cut)
    amounts, limits = Running(CENT), Running(UNITS)
    result = []
    for (start, end, schedule), seg_days, usage, seg_winter in zip(
            cut, days, usages, winters):
        # The segment's share of a full period's fixed charges and tiers
        if period.regular:
            fraction = Decimal(seg_days) / period.days
        else:
            fraction = Decimal(seg_days) / period.nominal_days
        segment = []
        for component in schedule.components:
            if not component.active(start):
                continue
            if component.kind == 'fixed':
                segment.extend(_fixed(component, period, start, end,
                        seg_days, fraction, amounts))
            elif component.kind == 'volumetric':
                segment.extend(_tiered(component, period, start, end,
                        seg_days, fraction, usage, amounts, limits))
            elif component.kind == 'winter_average':
                segment.extend(_tiered(component, period, start, end,
                        seg_days, fraction, _winter_quantity(
                            component, period, seg_winter, fraction,
                            usage), amounts, limits))
            elif component.kind == 'minimum':
                floor = money(_per_basis(
                        component.price, component.basis, period, seg_days,
                        fraction))
                subtotal = sum(c.amount for c in segment)
                if subtotal < floor:
                    segment.append(Charge(component, start, end, None,
                            Decimal(1), 'period', floor - subtotal,
                            floor - subtotal))
        result.extend(segment)
    return result


def _winter_quantity(component, period, seg_winter, fraction, usage):
    """The winter-average use charged on a segment: its share of the
    service's average (per full period), else the component's default"""
    if seg_winter is not None and period.regular:
        quantity = seg_winter
    else:
        base = (period.winter_average if period.winter_average is not None
            else component.default_quantity)
        if base is None:
            raise ValueError(f"{component.code}: no winter average and no "
                "default quantity")
        quantity = (Decimal(base) * fraction).quantize(
            UNITS, rounding=ROUND_HALF_UP)
    if component.cap_at_usage:
        quantity = min(quantity, usage)
    return quantity


def _per_basis(price, basis, period, seg_days, fraction):
    "A price per day, month or period, for the segment"
    if basis == 'day':
        return Decimal(price) * seg_days
    months = period.months if basis == 'month' else 1
    return Decimal(price) * months * fraction


def _fixed(component, period, start, end, seg_days, fraction, amounts):
    if component.prices:
        size = (period.fire_line_size if component.size_of == 'fire_line'
            else period.meter_size)
        if size is None:
            return []
        if size not in component.prices:
            raise ValueError(
                f"{component.code}: no price for size {size}")
        price = component.prices[size]
    else:
        price = component.price
    count = period.dwelling_units if component.per_dwelling_unit else 1
    price = Decimal(price) * count
    if component.basis == 'day':
        quantity, unit = Decimal(seg_days), 'day'
    else:
        months = period.months if component.basis == 'month' else 1
        quantity, unit = (months * fraction), 'period'
    amount = amounts.part((component.code, None), price * quantity)
    return [Charge(component, start, end, None,
            quantity.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP),
            unit, price, amount)]


def tier_limit(component, upto, period, seg_days, fraction):
    """The exact limit of a tier given as `upto` on a segment of `seg_days`
    days, the segment being `fraction` of the period's tiers"""
    upto = Decimal(upto)
    units = period.dwelling_units
    scale = component.tier_scale
    if scale == 'days':
        return upto * seg_days
    elif scale == 'month':
        return upto * seg_days / MONTH_DAYS
    elif scale == 'unit_month':
        return upto * units * seg_days / MONTH_DAYS
    elif scale == 'units':
        return upto * units * fraction
    return upto * fraction


def _tiered(component, period, start, end, seg_days, fraction, usage,
        amounts, limits):
    result = []
    below = Decimal(0)
    for number, tier in enumerate(component.tiers, 1):
        if tier.upto is None:
            limit = None
        else:
            # Shared between segments so the parts add up to the whole
            limit = limits.part((component.code, number), tier_limit(
                    component, tier.upto, period, seg_days, fraction))
        top = usage if limit is None else min(usage, limit)
        quantity = max(top - below, Decimal(0))
        if quantity or number == 1:
            price = Decimal(tier.price)
            result.append(Charge(component, start, end, number,
                    quantity, 'unit', price,
                    amounts.part((component.code, number), quantity * price),
                    floor=below, limit=limit))
        if limit is None or usage <= limit:
            break
        below = limit
    return result


def total(lines):
    return sum((c.amount for c in lines), Decimal(0))
