# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's default holidays against the published calendars (OPM's
federal holidays for 2026 and 2027)."""
import datetime as dt

from water_collection.calendar_rules import (
    district_holidays, nth_weekday, observed)

D = dt.date


def test_federal_holidays_2026():
    "OPM's 2026 list, with the day after Thanksgiving"
    assert [d for d, _ in district_holidays(2026)] == [
        D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 5, 25),
        D(2026, 6, 19), D(2026, 7, 3), D(2026, 9, 7), D(2026, 11, 11),
        D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 25)]


def test_federal_holidays_2027():
    "2027: Juneteenth and Christmas fall on a Saturday, observed Friday"
    days = dict(district_holidays(2027))
    assert D(2027, 6, 18) in days
    assert D(2027, 12, 24) in days
    assert D(2027, 7, 5) in days  # Independence Day, a Sunday
    assert D(2027, 11, 25) in days  # Thanksgiving


def test_nth_and_last_weekday():
    assert nth_weekday(2026, 5, 0, -1) == D(2026, 5, 25)
    assert nth_weekday(2026, 9, 0, 1) == D(2026, 9, 7)
    assert nth_weekday(2026, 12, 3, -1) == D(2026, 12, 31)


def test_observed_weekend_days():
    assert observed(D(2026, 7, 4)) == D(2026, 7, 3)
    assert observed(D(2027, 7, 4)) == D(2027, 7, 5)
    assert observed(D(2026, 12, 25)) == D(2026, 12, 25)
