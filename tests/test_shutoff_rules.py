# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The day a residential service may first be shut off for nonpayment
(water_collection/shutoff_rules.py), to the day, across weekends and the
district's holidays."""
import datetime as dt

import pytest

from water_collection.shutoff_rules import (
    Account, add_business_days, business_days_after, earliest_shutoff, holds,
    calendar_gap, is_business_day, next_business_day)

D = dt.date
# Thanksgiving and the day after, 2026 (a Thursday and a Friday)
HOLIDAYS = {D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 25)}


def codes(found):
    return sorted(h.code for h in found)


def test_business_days_skip_weekends_and_holidays():
    assert is_business_day(D(2026, 11, 25), HOLIDAYS)
    assert not is_business_day(D(2026, 11, 26), HOLIDAYS)   # Thanksgiving
    assert not is_business_day(D(2026, 11, 28), HOLIDAYS)   # Saturday
    # Thursday the 19th: 20, 23, 24, 25, (26, 27, 28, 29), 30, 1, 2
    assert add_business_days(D(2026, 11, 19), 7, HOLIDAYS) == D(2026, 12, 2)
    assert add_business_days(D(2026, 11, 19), 7, set()) == D(2026, 11, 30)
    assert add_business_days(D(2026, 11, 19), 0, HOLIDAYS) == D(2026, 11, 19)
    assert business_days_after(D(2026, 11, 19), D(2026, 12, 2), HOLIDAYS) == 7
    assert business_days_after(D(2026, 11, 19), D(2026, 12, 1), HOLIDAYS) == 6
    assert next_business_day(D(2026, 11, 26), HOLIDAYS) == D(2026, 11, 30)
    assert next_business_day(D(2026, 11, 30), HOLIDAYS) == D(2026, 11, 30)
    with pytest.raises(ValueError):
        add_business_days(D(2026, 11, 19), -1, HOLIDAYS)


def test_sixty_days_delinquent():
    "Due September 30: delinquent from October 1, 60 days on November 30"
    account = Account(due_date=D(2026, 9, 30), notice_date=D(2026, 11, 2))
    hold, = holds(account, D(2026, 11, 27), set())
    assert hold.code == 'delinquent_60_days'
    assert hold.opens == D(2026, 11, 30)
    assert hold.section == "HSC 116908(a)(1)(A)"
    assert holds(account, D(2026, 11, 30), set()) == []
    assert earliest_shutoff(account, D(2026, 11, 2), set()) == (
        D(2026, 11, 30), holds(account, D(2026, 11, 2), set()))


def test_seven_business_days_after_the_notice():
    "A notice on the Thursday before Thanksgiving: not before December 2"
    account = Account(due_date=D(2026, 8, 31), notice_date=D(2026, 11, 19))
    day, first = earliest_shutoff(account, D(2026, 11, 19), HOLIDAYS)
    assert day == D(2026, 12, 2)
    assert codes(first) == ['notice_7_business_days']
    assert codes(holds(account, D(2026, 12, 1), HOLIDAYS)) == [
        'notice_7_business_days']


def test_never_on_a_weekend_or_holiday():
    "Lawful from a Saturday by the dates: the office opens on Monday"
    account = Account(due_date=D(2026, 9, 28), notice_date=D(2026, 11, 2))
    # delinquent from September 29: 60 days on Saturday November 28
    assert codes(holds(account, D(2026, 11, 28), HOLIDAYS)) == [
        'office_closed']
    day, _ = earliest_shutoff(account, D(2026, 11, 2), HOLIDAYS)
    assert day == D(2026, 11, 30)
    assert codes(holds(account, D(2026, 12, 25), HOLIDAYS)) == [
        'office_closed']


def test_no_notice_no_date():
    account = Account(due_date=D(2026, 8, 31))
    day, first = earliest_shutoff(account, D(2026, 12, 1), HOLIDAYS)
    assert day is None
    assert codes(first) == ['no_notice']


@pytest.mark.parametrize('protection, code', [
        ({'appeal_pending': True}, 'appeal_pending'),
        ({'medical_certified': D(2026, 11, 3),
                'financial_inability': D(2026, 11, 3),
                'willing_to_arrange': D(2026, 11, 4)}, 'medical_protection'),
        ({'arrangement_current': True}, 'arrangement_current'),
        ])
def test_each_protection_alone_blocks(protection, code):
    "Lawful by every date, but for one protection on file"
    account = Account(
        due_date=D(2026, 8, 31), notice_date=D(2026, 11, 2), **protection)
    day, first = earliest_shutoff(account, D(2026, 12, 1), HOLIDAYS)
    assert day is None
    assert codes(first) == [code]


def test_two_of_the_three_medical_conditions_do_not_protect():
    account = Account(due_date=D(2026, 8, 31), notice_date=D(2026, 11, 2),
        medical_certified=D(2026, 11, 3), financial_inability=D(2026, 11, 3))
    assert holds(account, D(2026, 12, 1), HOLIDAYS) == []


def test_arrangement_default():
    """Defaulted October 1, final notice posted the day before Thanksgiving:
    60 days run to November 30, five business days to December 4"""
    account = Account(due_date=D(2026, 6, 30), notice_date=D(2026, 7, 20),
        arrangement_default_date=D(2026, 10, 1))
    day, first = earliest_shutoff(account, D(2026, 11, 2), HOLIDAYS)
    assert day is None
    assert codes(first) == ['arrangement_default_60_days', 'no_final_notice']
    posted = Account(**{**account.__dict__,
            'final_notice_date': D(2026, 11, 25)})
    day, first = earliest_shutoff(posted, D(2026, 11, 25), HOLIDAYS)
    assert day == D(2026, 12, 4)
    assert codes(first) == [
        'arrangement_default_60_days', 'final_notice_5_business_days']
    assert codes(holds(posted, D(2026, 12, 3), HOLIDAYS)) == [
        'final_notice_5_business_days']


def test_calendar_gap_this_year_missing():
    "Without this year's holidays the guard cannot count at all"
    assert calendar_gap(dt.date(2027, 3, 1), {2026}) == 2027


def test_calendar_gap_warns_sixty_days_before_the_year():
    "Next year's holidays are asked for from 60 days before it starts"
    have = {2026}
    assert calendar_gap(dt.date(2026, 11, 1), have) is None
    assert calendar_gap(dt.date(2026, 11, 2), have) == 2027
    assert calendar_gap(dt.date(2026, 12, 31), have) == 2027
    assert calendar_gap(dt.date(2026, 12, 31), {2026, 2027}) is None
