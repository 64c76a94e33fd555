# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rate arithmetic: from a billing period and the rate schedules in force
to charge lines, to the cent.  Plain functions, no database.

A bill covers the days [start, end) of a service.  The period is cut into
segments wherever a rate schedule takes effect or a component (a drought
surcharge, say) is switched on or off; each segment is charged with the
components in force on it:

* fixed charges per day are charged for the segment's days; per month or
  per billing period they are charged in full on a regular period (the
  cycle's months, whatever its exact days) and by days over the cycle's
  nominal days on a first or final bill; a period cut by a rate change
  gives each segment its share of days;
* usage is shared between segments by days, as is the width of fixed
  tiers (tiers scaled by days are given per day; tiers per dwelling unit
  are multiplied by the units);
* a minimum charge tops the schedule's other charges up to the minimum.

Each line is rounded to the cent (half up) and the bill is the sum of its
lines, so the printed lines always add up to the total.
"""
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')
UNITS = Decimal('0.01')
KINDS = ('fixed', 'volumetric', 'winter_average', 'minimum')
BASES = ('day', 'month', 'period')
TIER_SCALES = ('fixed', 'units', 'days')


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
    monthly cycle); `full` is False for a first or final bill."""
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

    @property
    def days(self):
        return (self.end - self.start).days


@dataclass(frozen=True)
class Charge:
    """One line of a bill: a component (and tier) on a segment.

    `quantity` is in `unit` ('unit' for billing units, 'day', 'period');
    `amount` is rounded to the cent."""
    component: Component
    start: datetime.date
    end: datetime.date
    tier: int | None
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal

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
    result = []
    for (start, end, schedule), seg_days, usage, seg_winter in zip(
            cut, days, usages, winters):
        # The segment's share of a full period's fixed charges and tiers
        if period.full:
            fraction = Decimal(seg_days) / period.days
        else:
            fraction = Decimal(seg_days) / period.nominal_days
        segment = []
        for component in schedule.components:
            if not component.active(start):
                continue
            if component.kind == 'fixed':
                segment.extend(_fixed(component, period, start, end,
                        seg_days, fraction))
            elif component.kind == 'volumetric':
                segment.extend(_tiered(component, period, start, end,
                        seg_days, fraction, usage))
            elif component.kind == 'winter_average':
                segment.extend(_tiered(component, period, start, end,
                        seg_days, fraction, _winter_quantity(
                            component, period, seg_winter, fraction,
                            usage)))
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
    if seg_winter is not None and period.full:
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


def _fixed(component, period, start, end, seg_days, fraction):
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
    amount = money(price * quantity)
    return [Charge(component, start, end, None,
            quantity.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP),
            unit, price, amount)]


def _tiered(component, period, start, end, seg_days, fraction, usage):
    result = []
    below = Decimal(0)
    for number, tier in enumerate(component.tiers, 1):
        if tier.upto is None:
            limit = None
        elif component.tier_scale == 'days':
            limit = Decimal(tier.upto) * seg_days
        elif component.tier_scale == 'units':
            limit = Decimal(tier.upto) * period.dwelling_units * fraction
        else:
            limit = Decimal(tier.upto) * fraction
        if limit is not None:
            limit = limit.quantize(UNITS, rounding=ROUND_HALF_UP)
        top = usage if limit is None else min(usage, limit)
        quantity = max(top - below, Decimal(0))
        if quantity or number == 1:
            result.append(Charge(component, start, end, number,
                    quantity, 'unit', Decimal(tier.price),
                    money(quantity * Decimal(tier.price))))
        if limit is None or usage <= limit:
            break
        below = limit
    return result


def total(lines):
    return sum((c.amount for c in lines), Decimal(0))
