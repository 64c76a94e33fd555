# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The holidays a California district's office usually closes on, as
plain dates: the federal holidays a public agency observes, and the day
after Thanksgiving.  A holiday on a Saturday is observed the Friday
before, on a Sunday the Monday after (5 U.S.C. 6103(b)).  A district
edits its own calendar; this is what the demo and a new district start
from."""
import datetime as dt


def nth_weekday(year, month, weekday, n):
    "The `n`th `weekday` (0 Monday) of the month; n = -1 for the last"
    if n > 0:
        first = dt.date(year, month, 1)
        shift = (weekday - first.weekday()) % 7
        return first + dt.timedelta(days=shift + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def observed(day):
    "The day a fixed-date holiday is observed"
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def district_holidays(year):
    "[(date, name)] of the office's holidays of `year`, in date order"
    thanksgiving = nth_weekday(year, 11, 3, 4)
    days = [
        (observed(dt.date(year, 1, 1)), "New Year's Day"),
        (nth_weekday(year, 1, 0, 3), "Martin Luther King Jr. Day"),
        (nth_weekday(year, 2, 0, 3), "Presidents' Day"),
        (nth_weekday(year, 5, 0, -1), "Memorial Day"),
        (observed(dt.date(year, 6, 19)), "Juneteenth"),
        (observed(dt.date(year, 7, 4)), "Independence Day"),
        (nth_weekday(year, 9, 0, 1), "Labor Day"),
        (observed(dt.date(year, 11, 11)), "Veterans Day"),
        (thanksgiving, "Thanksgiving Day"),
        (thanksgiving + dt.timedelta(days=1), "Day after Thanksgiving"),
        (observed(dt.date(year, 12, 25)), "Christmas Day"),
        ]
    return sorted(days)
