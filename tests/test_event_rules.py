# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A shut-off's arithmetic: the call order, the people out of water, the
hours out and the deadlines"""
import datetime as dt
from decimal import Decimal

import pytest

from water_desk import event_rules as rules


@pytest.mark.parametrize('size, inches', [
        (None, 0), ('5/8', Decimal('0.625')), ('3/4', Decimal('0.75')),
        ('1.5', Decimal('1.5')), ('2', 2), ('10', 10)])
def test_meter_inches(size, inches):
    assert rules.meter_inches(size) == inches


def test_reasons_most_urgent_first():
    assert rules.reasons('school', True, 'fire', '4') == [
        'medical', 'school', 'fire', 'large_meter']
    assert rules.reasons('life_support', True) == ['life_support', 'medical']
    assert rules.reasons(None, False, 'residential', '5/8') == []
    assert rules.reasons(None, False, 'commercial', '2') == ['large_meter']


def test_rank():
    assert rules.rank(['medical', 'school']) == 0
    assert rules.rank(['hospital']) == 1
    assert rules.rank(['school']) == 2
    assert rules.rank(['fire']) == 3
    assert rules.rank(['large_meter']) == 4
    assert rules.rank([]) == rules.EVERYONE


@pytest.mark.parametrize('type_, units, occupants, people', [
        ('residential', 1, None, 3),
        ('multi_family', 4, None, 11),
        ('multi_family', 0, None, 3),
        ('commercial', 1, 320, 320),
        ('commercial', 1, None, 0),
        ('fire', 1, None, 0),
        ('residential', 1, 5, 5),
        ])
def test_people(type_, units, occupants, people):
    assert rules.people(type_, units, occupants, Decimal('2.8')) == people


def test_people_rounds_half_up():
    assert rules.people('multi_family', 5, None, Decimal('2.5')) == 13


def test_call_order_critical_then_walk():
    lines = [(5, 'R02', 1, 'Eve'), (5, 'R01', 2, 'Apts'),
        (0, 'R01', 9, 'Alma'), (2, None, None, 'School')]
    assert [l[3] for l in sorted(lines, key=lambda l: rules.call_key(*l))
        ] == ['Alma', 'School', 'Apts', 'Eve']


def test_hours_out():
    start = dt.datetime(2026, 12, 1, 10, 5)
    assert rules.hours_out(start, start + dt.timedelta(
            hours=3, minutes=30)) == Decimal('3.5')
    assert rules.hours_out(start, start + dt.timedelta(minutes=20)) == (
        Decimal('0.3'))
    assert rules.hours_out(start, None) == 0
    assert rules.hours_out(start, start - dt.timedelta(hours=1)) == 0


def test_due_and_overdue():
    start = dt.datetime(2026, 12, 1, 10, 0)
    due = rules.due(start, Decimal('1'))
    assert due == dt.datetime(2026, 12, 1, 11, 0)
    assert rules.overdue(due, None, dt.datetime(2026, 12, 1, 11, 1))
    assert not rules.overdue(due, None, dt.datetime(2026, 12, 1, 10, 59))
    assert not rules.overdue(due, due, dt.datetime(2026, 12, 2))
    assert rules.due(None, 1) is None


def test_planned_notice_late():
    start = dt.datetime(2026, 12, 10, 8, 0)
    assert not rules.notice_late(start, 3, dt.datetime(2026, 12, 7, 8, 0))
    assert rules.notice_late(start, 3, dt.datetime(2026, 12, 7, 8, 1))
    assert not rules.notice_late(start, 0, dt.datetime(2026, 12, 10, 9))


def test_people_counted_once_a_premise():
    from water_desk.models.event_select import one_count_a_premise
    lines = [{'premise': 1, 'people': 3}, {'premise': 1, 'people': 0},
        {'premise': 2, 'people': 0}, {'premise': 2, 'people': 410},
        {'premise': 3, 'people': 3}]
    one_count_a_premise(lines, {3})
    assert [l['people'] for l in lines] == [3, 0, 410, 0, 0]
