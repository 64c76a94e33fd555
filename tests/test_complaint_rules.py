# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A complaint's age, its follow-up, and the Board's monthly figures"""
import datetime as dt

from water_desk import complaint_rules as rules

D = dt.date
CATEGORIES = [('high_bill', "High Bill"), ('leak', "Leak"),
    ('pressure', "Pressure")]


def test_age_and_bands():
    assert rules.age(D(2026, 11, 1), D(2026, 11, 3)) == 2
    assert rules.age(D(2026, 11, 3), D(2026, 11, 1)) == 0
    assert [rules.band(d) for d in [0, 2, 3, 7, 8, 30, 31]] == [
        "0-2 days", "0-2 days", "3-7 days", "3-7 days", "8-30 days",
        "8-30 days", "over 30 days"]


def test_overdue():
    today = D(2026, 11, 10)
    assert rules.overdue(D(2026, 11, 9), True, today)
    assert not rules.overdue(D(2026, 11, 10), True, today)
    assert not rules.overdue(D(2026, 11, 9), False, today)
    assert not rules.overdue(None, True, today)


def test_local_date_in_the_districts_zone():
    late = dt.datetime(2026, 12, 7, 3, 30)  # 7:30 pm on the 6th in PST
    assert rules.local_date(late, 'America/Los_Angeles') == D(2026, 12, 6)
    assert rules.local_date(late, None) == D(2026, 12, 7)
    assert rules.local_date(None, 'America/Los_Angeles') is None


def test_monthly_by_category_and_age():
    start, end = D(2026, 11, 1), D(2026, 11, 30)
    complaints = [
        # received and resolved in the month: 2 and 5 days
        ('high_bill', D(2026, 11, 2), D(2026, 11, 4)),
        ('high_bill', D(2026, 11, 10), D(2026, 11, 15)),
        # received before, resolved in the month: counts as resolved
        ('leak', D(2026, 10, 20), D(2026, 11, 3)),
        # open at the month's end: 1, 20 and 45 days old
        ('leak', D(2026, 11, 29), None),
        ('high_bill', D(2026, 11, 10), D(2026, 12, 2)),
        ('leak', D(2026, 10, 16), None),
        # resolved before the month, or received after: not counted
        ('pressure', D(2026, 10, 1), D(2026, 10, 2)),
        ('pressure', D(2026, 12, 1), None),
        ]
    high_bill, leak, total = rules.monthly(
        complaints, start, end, CATEGORIES)
    assert (high_bill['label'], high_bill['received'],
        high_bill['resolved'], high_bill['average_days'],
        high_bill['open']) == ("High Bill", 3, 2, 3.5, 1)
    assert high_bill['bands'] == {"0-2 days": 0, "3-7 days": 0,
        "8-30 days": 1, "over 30 days": 0}
    assert (leak['received'], leak['resolved'], leak['average_days'],
        leak['open']) == (1, 1, 14.0, 2)
    assert leak['bands'] == {"0-2 days": 1, "3-7 days": 0,
        "8-30 days": 0, "over 30 days": 1}
    assert (total['label'], total['received'], total['resolved'],
        total['average_days'], total['open']) == (None, 4, 3, 7.0, 3)
    assert sum(total['bands'].values()) == total['open']


def test_monthly_not_ended_ages_to_today():
    start, end = D(2026, 12, 1), D(2026, 12, 31)
    complaints = [('leak', D(2026, 12, 6), None)]
    leak, total = rules.monthly(complaints, start, end, CATEGORIES,
        as_of=D(2026, 12, 7))
    assert leak['bands']["0-2 days"] == 1
    leak, total = rules.monthly(complaints, start, end, CATEGORIES)
    assert leak['bands']["8-30 days"] == 1


def test_monthly_of_nothing():
    total, = rules.monthly([], D(2026, 11, 1), D(2026, 11, 30), CATEGORIES)
    assert (total['received'], total['average_days']) == (0, None)
