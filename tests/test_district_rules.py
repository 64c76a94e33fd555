# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The district's own shut-off rules, which Finance may override"
import datetime as dt
from decimal import Decimal

from water_collection.district_rules import Rules, holds, overridden
from water_collection.shutoff_rules import Hold, earliest_shutoff

MONDAY = dt.date(2026, 3, 2)
HOLIDAYS = {dt.date(2026, 3, 4)}
RULES = Rules(minimum_balance=Decimal('50.00'),
    weather_holds=((dt.date(2026, 3, 10), dt.date(2026, 3, 12)),),
    nonresidential_days=30, nonresidential_notice_days=3)


def codes(found):
    return [(h.code, h.opens) for h in found]


def test_minimum_balance_holds_without_end():
    assert codes(holds(RULES, MONDAY, HOLIDAYS, Decimal('50.00'), True)) == [
        ('minimum_balance', None)]
    assert holds(RULES, MONDAY, HOLIDAYS, Decimal('50.01'), True) == []


def test_weather_hold_opens_the_day_after_it_ends():
    assert codes(holds(RULES, dt.date(2026, 3, 11), HOLIDAYS,
            Decimal(100), True)) == [
        ('weather_hold', dt.date(2026, 3, 13))]
    assert holds(RULES, dt.date(2026, 3, 13), HOLIDAYS, Decimal(100),
        True) == []


def test_nonresidential_days_notice_and_office_days():
    "A commercial account: 30 days delinquent, 3 business days' notice"
    due = dt.date(2026, 1, 31)
    found = holds(RULES, MONDAY, HOLIDAYS, Decimal(100), False,
        due_date=due, notice_date=None)
    assert codes(found) == [
        ('nonresidential_delinquent', dt.date(2026, 3, 3)),
        ('nonresidential_no_notice', None)]
    # Notice on Monday: Tuesday, Thursday (the 4th is a holiday), Friday
    found = holds(RULES, dt.date(2026, 3, 5), HOLIDAYS, Decimal(100),
        False, due_date=due, notice_date=MONDAY)
    assert codes(found) == [('nonresidential_notice', dt.date(2026, 3, 6))]
    found = holds(RULES, dt.date(2026, 3, 7), HOLIDAYS, Decimal(100),
        False, due_date=due, notice_date=MONDAY)
    assert codes(found) == [
        ('nonresidential_office_closed', dt.date(2026, 3, 9))]


def test_residential_ignores_the_nonresidential_terms():
    assert holds(RULES, dt.date(2026, 3, 7), HOLIDAYS, Decimal(100), True,
        due_date=dt.date(2026, 3, 1)) == []


def test_override_leaves_the_statute():
    found = [Hold('minimum_balance', None), Hold('appeal_pending', None),
        Hold('weather_hold', dt.date(2026, 3, 13))]
    assert codes(overridden(found, "Board order 2026-4")) == [
        ('appeal_pending', None)]
    assert overridden(found, None) == found


def test_earliest_shutoff_with_the_district_holds():
    "The first day no rule holds: past the weather hold"
    def holds_of(day):
        return holds(RULES, day, HOLIDAYS, Decimal(100), True)
    day, first = earliest_shutoff(None, dt.date(2026, 3, 10), HOLIDAYS,
        holds_of=holds_of)
    assert day == dt.date(2026, 3, 13)
    assert codes(first) == [('weather_hold', dt.date(2026, 3, 13))]
