# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Leave accrual with no database: what a pay slip adds to a balance.

California paid sick leave (Labor Code 245-249, as amended from 2024): at
least 40 hours or five days a year, accrued at one hour per 30 worked or
front-loaded at the start of the year, an accrual cap of at least 80 hours
or ten days; unused accrued leave carries over (up to the cap)."""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HOUR = Decimal('0.0001')
SICK_MINIMUM_HOURS = Decimal(40)
SICK_MINIMUM_CAP = Decimal(80)
SICK_MINIMUM_RATE = Decimal(1) / Decimal(30)


@dataclass
class Plan:
    method: str  # per_hour per_period front_load
    rate_per_hour: Decimal = Decimal(0)
    tiers: list = field(default_factory=list)  # [(years from, hours)]
    front_load_hours: Decimal = Decimal(0)
    cap: Decimal | None = None
    carry_over: Decimal | None = None
    california_sick: bool = False


def hours_per_period(plan, years_of_service):
    "The tier's hours for a service of `years_of_service` (whole years)"
    hours = Decimal(0)
    for years, tier_hours in sorted(plan.tiers):
        if years_of_service >= years:
            hours = Decimal(tier_hours)
    return hours


def accrue(plan, *, balance, worked_hours, years_of_service, new_year):
    """Return the entries [(kind, hours)] a pay slip adds to `balance`.

    On the first pay slip of a year (`new_year`) the balance over the
    carry-over is forfeited, and a front-loaded plan is topped up to its
    yearly grant; then the period's accrual, never past the cap."""
    entries = []
    if new_year:
        if plan.method == 'front_load':
            grant = plan.front_load_hours - balance
            if plan.cap is not None:
                grant = min(grant, plan.cap - balance)
            if grant > 0:
                entries.append(('front_load', grant))
                balance += grant
        elif plan.carry_over is not None and balance > plan.carry_over:
            entries.append(('forfeit', plan.carry_over - balance))
            balance = plan.carry_over
    if plan.method == 'per_hour':
        hours = (Decimal(worked_hours) * plan.rate_per_hour).quantize(
            HOUR, ROUND_HALF_UP)
    elif plan.method == 'per_period':
        hours = hours_per_period(plan, years_of_service)
    else:
        hours = Decimal(0)
    if plan.cap is not None:
        hours = min(hours, max(plan.cap - balance, 0))
    if hours > 0:
        entries.append(('accrual', hours))
    return entries


def sick_leave_shortfall(plan, periods):
    """Return why `plan` falls short of California paid sick leave, or None.
    `periods` is the number of pay periods in a year."""
    if plan.cap is not None and plan.cap < SICK_MINIMUM_CAP:
        return 'cap'
    if plan.method == 'front_load':
        if plan.front_load_hours < SICK_MINIMUM_HOURS:
            return 'front_load'
    elif plan.method == 'per_hour':
        if plan.rate_per_hour < SICK_MINIMUM_RATE.quantize(HOUR):
            return 'rate'
    elif plan.method == 'per_period':
        if hours_per_period(plan, 0) * periods < SICK_MINIMUM_HOURS:
            return 'rate'
    if plan.method != 'front_load' and plan.carry_over is not None \
            and plan.carry_over < min(plan.cap or SICK_MINIMUM_CAP,
                SICK_MINIMUM_CAP):
        return 'carry_over'
    return None
