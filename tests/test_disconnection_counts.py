# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The yearly count of discontinuations (HSC 116918): disconnection_counts"
import datetime as dt

from water_collection.disconnection_counts import (
    monthly_counts, reconnected_on, year_span)


def test_year_span():
    assert year_span(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_monthly_counts_leave_other_years_out():
    days = [dt.date(2026, 1, 31), dt.date(2026, 1, 2), dt.date(2026, 12, 31),
        dt.date(2025, 12, 31), dt.date(2027, 1, 1)]
    assert monthly_counts(days, 2026) == [2] + [0] * 10 + [1]
    assert sum(monthly_counts([], 2026)) == 0


def test_reconnected_on_first_day_after_the_shutoff():
    shutoff = dt.date(2026, 3, 10)
    assert reconnected_on(shutoff, [
            dt.date(2026, 1, 5), dt.date(2026, 3, 12),
            dt.date(2026, 3, 10)]) == dt.date(2026, 3, 10)
    assert reconnected_on(shutoff, [dt.date(2026, 3, 9)]) is None
