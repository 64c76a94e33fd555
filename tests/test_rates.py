# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Plain tests of the rate arithmetic, against worked examples published by
utilities on their bill explanations (cited on each test), and against
examples computed by hand from published schedules."""
import datetime as dt
from decimal import Decimal as D

import pytest

from water_utility.rates import (
    Component, Period, Running, Schedule, Tier, charges, money, segments,
    share, total)


def monthly(start, days, usage, **kwargs):
    return Period(start=start, end=start + dt.timedelta(days=days),
        usage=D(usage), **kwargs)


JAN = dt.date(2026, 1, 1)

# Hi-Desert Water District, "Water Rates", https://www.hdwd.com/314/Water-Rates
# Residential: Tier 1 the first 4 units at $3.65, Tier 2 at $6.17, 5/8"
# fixed charge $20.75 a month.  Its example: "Tier 1: 4 units x $3.65 =
# $14.60; Tier 2: 4 units x $6.17 = $24.68; 5/8 inch fix charge = $20.75;
# Charges = $60.03" (the text says 6 units; the lines add up to 8).  For
# multi-residential "include a multiplier of the number of dwelling
# units": "2 Dwelling Units; Tier 1: (4 units x $3.65) x 2 Dwelling Units
# = $29.20".
HDWD_FIXED = Component('fixed', "Fixed charge", 'fixed', basis='month',
    prices={'5/8': D('20.75')})
HDWD_TIERS = (Tier(D(4), D('3.65')), Tier(None, D('6.17')))
HDWD = Schedule(JAN, (HDWD_FIXED, Component(
            'water', "Water usage", 'volumetric', tiers=HDWD_TIERS)))
HDWD_MULTI = Schedule(JAN, (HDWD_FIXED, Component(
            'water', "Water usage", 'volumetric', tiers=HDWD_TIERS,
            tier_scale='units')))


def test_hdwd_residential_example():
    lines = charges(monthly(JAN, 31, 8, meter_size='5/8'), [HDWD])
    assert [(l.code, l.tier, l.quantity, l.amount) for l in lines] == [
        ('fixed', None, D(1), D('20.75')),
        ('water', 1, D(4), D('14.60')),
        ('water', 2, D(4), D('24.68')),
        ]
    assert total(lines) == D('60.03')


def test_hdwd_multi_residential_example():
    lines = charges(monthly(JAN, 31, 8, meter_size='5/8',
            dwelling_units=2), [HDWD_MULTI])
    tier1, = [l for l in lines if l.tier == 1]
    assert (tier1.quantity, tier1.amount) == (D(8), D('29.20'))
    assert total(lines) == D('20.75') + D('29.20')


# Glendale Water & Power, "Standard Water Service Rate" (effective July 1,
# 2018), https://www.glendaleca.gov/.../standard-water-service-rate
# Multi Family: Tier 1 "# of units X 6 hcf" at $3.78, Tier 2 all
# additional hcf at $3.91.  Computed here: 4 units using 30 hcf.
def test_glendale_multi_family_tiers_scale_with_units():
    schedule = Schedule(JAN, (Component('water', "Water", 'volumetric',
                tiers=(Tier(D(6), D('3.78')), Tier(None, D('3.91'))),
                tier_scale='units'),))
    lines = charges(monthly(JAN, 30, 30, dwelling_units=4), [schedule])
    assert [(l.tier, l.quantity, l.amount) for l in lines] == [
        (1, D(24), D('90.72')), (2, D(6), D('23.46'))]
    assert total(lines) == D('114.18')


# Longview, Texas, "How Monthly Sewer Charge is Calculated",
# https://longviewtexas.gov/3151/How-Monthly-Sewer-Charge-is-Calculated
# Winter average 6,900 gallons: "$12.40 (Charge for Monthly Minimum 2,000
# gallons) + $19.36 (Charge per Thousand: 4.900 x 3.95 = 19.36) = $31.76";
# "New residential sewer customers ... are set with a monthly sewer charge
# based on 6,000 gallons."
LONGVIEW = Schedule(JAN, (
        Component('sewer_base', "Sewer", 'fixed', basis='month',
            price=D('12.40')),
        Component('sewer', "Sewer volume", 'winter_average',
            tiers=(Tier(D(2), D(0)), Tier(None, D('3.95'))),
            default_quantity=D(6)),
        ))


def test_longview_winter_average_sewer_example():
    # Usage in thousand gallons; the summer's usage doesn't matter.
    lines = charges(monthly(JAN, 31, 25, winter_average=D('6.9')),
        [LONGVIEW])
    assert [(l.code, l.tier, l.quantity, l.amount) for l in lines] == [
        ('sewer_base', None, D(1), D('12.40')),
        ('sewer', 1, D(2), D('0.00')),
        ('sewer', 2, D('4.9'), D('19.36')),
        ]
    assert total(lines) == D('31.76')


def test_longview_new_customer_default():
    lines = charges(monthly(JAN, 31, 3), [LONGVIEW])
    assert total(lines) == D('12.40') + D('15.80')


def test_winter_average_capped_at_usage():
    schedule = Schedule(JAN, (Component('sewer', "Sewer", 'winter_average',
                tiers=(Tier(None, D('5.00')),), cap_at_usage=True),))
    lines = charges(monthly(JAN, 30, 4, winter_average=D(7)), [schedule])
    assert total(lines) == D('20.00')


# Prorated first bill, the method of "Why is my bill prorated?"
# (https://current.helpscoutdocs.com/article/145): "Billable days: Apr
# 12-Apr 30 = 19 days.  A $30 monthly base charge becomes $30 x (19/30) =
# $19.00".
def test_first_bill_prorated_by_days():
    schedule = Schedule(JAN, (Component('base', "Base", 'fixed',
                basis='month', price=D(30)),))
    period = Period(dt.date(2026, 4, 12), dt.date(2026, 5, 1), D(0),
        full=False, nominal_days=30)
    assert period.days == 19
    assert total(charges(period, [schedule])) == D('19.00')


def test_first_bill_prorates_tiers_too():
    "A short first bill doesn't push the customer into a higher tier"
    schedule = Schedule(JAN, (Component('water', "Water", 'volumetric',
                tiers=(Tier(D(10), D(2)), Tier(None, D(4)))),))
    period = Period(dt.date(2026, 4, 16), dt.date(2026, 5, 1), D(6),
        full=False, nominal_days=30)
    lines = charges(period, [schedule])
    assert [(l.tier, l.quantity, l.amount) for l in lines] == [
        (1, D(5), D('10.00')), (2, D(1), D('4.00'))]


def test_regular_period_charges_a_full_month_whatever_its_days():
    schedule = Schedule(JAN, (Component('base', "Base", 'fixed',
                basis='month', price=D(30)),))
    for days in (28, 30, 33):
        assert total(charges(monthly(JAN, days, 0), [schedule])) == D(30)
    # A bi-monthly cycle bills two months.
    assert total(charges(monthly(JAN, 61, 0, months=2, nominal_days=60),
            [schedule])) == D(60)



def test_period_outside_the_window_is_charged_by_its_days():
    """A regular bill of 45 days (a route read late) is not one month: it
    is charged by its days over 30, the proration shown in the quantity"""
    schedule = Schedule(JAN, (Component('base', "Base", 'fixed',
                basis='month', price=D(30)),
            Component('water', "Water", 'volumetric',
                tiers=(Tier(D(10), D(2)), Tier(None, D(4)))),))
    lines = charges(monthly(JAN, 45, 20), [schedule])
    assert [(l.code, l.tier, l.quantity, l.amount) for l in lines] == [
        ('base', None, D('1.5000'), D('45.00')),
        ('water', 1, D(15), D('30.00')),
        ('water', 2, D(5), D('20.00')),
        ]
    # 27 days is short of 28: 27/30 of a month.
    assert total(charges(monthly(JAN, 27, 0), [schedule])) == D('27.00')
    # The window is the district's: 25 to 35 days keeps 27 one month.
    assert total(charges(monthly(JAN, 27, 0, regular_days=(25, 35)),
            [schedule])) == D(30)
    # A bi-monthly cycle's window is two months': 56 to 66 days.
    assert total(charges(monthly(JAN, 66, 0, months=2, nominal_days=60),
            [schedule])) == D(60)
    assert total(charges(monthly(JAN, 70, 0, months=2, nominal_days=60),
            [schedule])) == D(70)


# Los Angeles DWP, "How will the new water tiers be determined?"
# (http://ladwp.nationbuilder.com/how_will_the_tiers_be_determined): "Tier
# 1 allows using up to 8 HCF per month (16 HCF for a bi-monthly bill)".  A
# limit per month, scaled by the days the bill covers, stated as published.
def test_tier_limit_per_month_is_scaled_by_days():
    schedule = Schedule(JAN, (Component('water', "Water", 'volumetric',
                tiers=(Tier(D(8), D('5.00')), Tier(None, D('6.00'))),
                tier_scale='month'),))
    lines = charges(monthly(JAN, 60, 20, months=2, nominal_days=60),
        [schedule])
    assert [(l.tier, l.floor, l.limit, l.quantity) for l in lines] == [
        (1, D(0), D(16), D(16)), (2, D(16), None, D(4))]
    # A 45-day monthly bill: 8 x 45/30 = 12 HCF in tier 1.
    lines = charges(monthly(JAN, 45, 20), [schedule])
    assert [(l.tier, l.limit, l.quantity, l.amount) for l in lines] == [
        (1, D(12), D(12), D('60.00')), (2, None, D(8), D('48.00'))]


def test_scaled_limit_is_exact_where_a_daily_one_was_not():
    """29 units per 30 days typed per day had to be 0.97 a day: on a
    45-day bill of 50 units that put 43.65 units in tier 1, not 43.50, 84
    cents short at $5.60 between the tiers.  Given per month it is
    exact."""
    def bill(tier_scale, upto):
        schedule = Schedule(JAN, (Component('water', "Water", 'volumetric',
                    tiers=(Tier(upto, D('3.00')), Tier(None, D('8.60'))),
                    tier_scale=tier_scale),))
        return charges(monthly(JAN, 45, 50), [schedule])
    exact = bill('month', D(29))
    assert [(l.limit, l.quantity, l.amount) for l in exact] == [
        (D('43.50'), D('43.50'), D('130.50')),
        (None, D('6.50'), D('55.90'))]
    assert total(exact) == D('186.40')
    assert total(bill('days', D('0.97'))) == D('186.40') - D('0.84')
    # Per dwelling unit and month: 4 units in a duplex over 45 days.
    schedule = Schedule(JAN, (Component('water', "Water", 'volumetric',
                tiers=(Tier(D(4), D(1)), Tier(None, D(2))),
                tier_scale='unit_month'),))
    first, _ = charges(monthly(JAN, 45, 20, dwelling_units=2), [schedule])
    assert first.limit == D(12)


@pytest.mark.parametrize('tiers', [
        (Tier(None, D('2.3456')),),
        (Tier(D(7), D('1.987')), Tier(D('15.5'), D('3.1415')),
            Tier(None, D('4.4449'))),
        ])
def test_split_period_bills_as_the_unsplit_one(tiers):
    """A period cut where the water rate does not change (a surcharge
    switched on from the 11th) bills the water as the same usage priced
    once, to the cent, and its segments' units add up to the usage"""
    water = Component('water', "Water", 'volumetric', tiers=tiers)
    alone = Schedule(JAN, (water,))
    cut = Schedule(JAN, (water, Component('drought', "Drought", 'fixed',
                basis='day', price=D(0), start=dt.date(2026, 1, 11))))
    for hundredths in range(1, 3001, 7):
        usage = D(hundredths) / 100
        once = charges(monthly(JAN, 30, usage), [alone])
        split = [l for l in charges(monthly(JAN, 30, usage), [cut])
            if l.code == 'water']
        assert {l.start.day for l in split} == {1, 11}
        assert sum(l.quantity for l in split) == usage
        assert total(split) == total(once), usage
        for number, _ in enumerate(tiers, 1):
            assert (sum(l.quantity for l in split if l.tier == number)
                == sum(l.quantity for l in once if l.tier == number)), usage


def test_running_rounding_adds_up_to_the_sum_rounded_once():
    running = Running(D('0.01'))
    parts = [running.part('a', D('0.004')) for _ in range(3)]
    assert parts == [D(0), D('0.01'), D(0)]
    assert sum(parts) == money(D('0.012'))
    assert running.part('b', D('1.005')) == D('1.01')

# Per-day fixed charge over an irregular period (computed): $0.7500 a day
# for a 5/8" meter, a 33-day period.
def test_fixed_charge_per_day():
    schedule = Schedule(JAN, (Component('service', "Service", 'fixed',
                basis='day', prices={'5/8': D('0.75'), '1': D('1.875')}),))
    lines = charges(monthly(JAN, 33, 0, meter_size='5/8'), [schedule])
    assert [(l.quantity, l.unit, l.amount) for l in lines] == [
        (D(33), 'day', D('24.75'))]
    lines = charges(monthly(JAN, 33, 0, meter_size='1'), [schedule])
    assert total(lines) == D('61.88')


# A rate change inside a period, the method of AGL's "What is pro-rata
# billing?": "if the new rate begins on day 20 of a 30 day billing cycle,
# there are 10 pro-rated days on the new rates and 20 pro-rated days on
# the old rates ... we calculate your daily average ... use".  Computed:
# 15 HCF over 30 days, the increase from the 21st day.
def test_rate_change_inside_period_is_prorated_by_days():
    old = Schedule(JAN, (
            Component('base', "Base", 'fixed', basis='month', price=D(20)),
            Component('water', "Water", 'volumetric',
                tiers=(Tier(None, D(3)),))))
    new = Schedule(dt.date(2026, 1, 21), (
            Component('base', "Base", 'fixed', basis='month', price=D(22)),
            Component('water', "Water", 'volumetric',
                tiers=(Tier(None, D('3.30')),))))
    lines = charges(monthly(JAN, 30, 15), [new, old])
    assert [(l.code, l.start.day, l.quantity, l.amount) for l in lines] == [
        ('base', 1, D('0.6667'), D('13.33')),
        ('water', 1, D(10), D('30.00')),
        ('base', 21, D('0.3333'), D('7.34')),
        ('water', 21, D(5), D('16.50')),
        ]
    # The base charge's two lines add up to its exact amount rounded once:
    # 20 x 20/30 + 22 x 10/30 = 20.6667 -> 20.67 (13.33 + 7.34)
    assert total(lines) == D('67.17')


def test_drought_surcharge_switched_on_for_a_date_range():
    "Stage 2 surcharge of $0.50/HCF from the 11th: a third of the use"
    schedule = Schedule(JAN, (
            Component('water', "Water", 'volumetric',
                tiers=(Tier(None, D(3)),)),
            Component('drought', "Drought surcharge", 'volumetric',
                tiers=(Tier(None, D('0.50')),),
                start=dt.date(2026, 1, 11), end=dt.date(2026, 3, 1))))
    lines = charges(monthly(JAN, 30, 12), [schedule])
    assert [(l.code, l.start.day, l.quantity, l.amount) for l in lines] == [
        ('water', 1, D(4), D('12.00')),
        ('water', 11, D(8), D('24.00')),
        ('drought', 11, D(8), D('4.00')),
        ]
    # Switched off: the same period costs the water only.
    off = Schedule(JAN, schedule.components[:1])
    assert total(charges(monthly(JAN, 30, 12), [off])) == D('36.00')


def test_private_fire_service_by_line_size():
    schedule = Schedule(JAN, (Component('fire', "Private fire service",
                'fixed', basis='month', size_of='fire_line',
                prices={'4': D('18.20'), '6': D('35.10')}),))
    assert total(charges(monthly(JAN, 30, 0, fire_line_size='6'),
            [schedule])) == D('35.10')
    # No fire line, no charge.
    assert charges(monthly(JAN, 30, 0), [schedule]) == []


def test_sewer_flat_per_dwelling_unit():
    schedule = Schedule(JAN, (Component('sewer', "Sewer", 'fixed',
                basis='month', price=D('41.50'), per_dwelling_unit=True),))
    assert total(charges(monthly(JAN, 30, 0, dwelling_units=3),
            [schedule])) == D('124.50')


def test_minimum_charge_tops_up():
    schedule = Schedule(JAN, (
            Component('water', "Water", 'volumetric',
                tiers=(Tier(None, D('2.50')),)),
            Component('minimum', "Minimum charge", 'minimum',
                basis='month', price=D(15))))
    lines = charges(monthly(JAN, 30, 2), [schedule])
    assert [(l.code, l.amount) for l in lines] == [
        ('water', D('5.00')), ('minimum', D('10.00'))]
    assert total(charges(monthly(JAN, 30, 10), [schedule])) == D('25.00')


def test_segments_cut_at_changes_only_inside_the_period():
    a = Schedule(dt.date(2025, 7, 1), ())
    b = Schedule(dt.date(2026, 1, 15), ())
    c = Schedule(dt.date(2026, 3, 1), ())
    cut = segments(monthly(JAN, 30, 0), [c, b, a])
    assert [(s.day, e.day, sch) for s, e, sch in cut] == [
        (1, 15, a), (15, 31, b)]


def test_no_schedule_in_force():
    with pytest.raises(ValueError, match="no rate schedule"):
        charges(monthly(JAN, 30, 1), [Schedule(dt.date(2026, 2, 1), ())])


def test_share_adds_up():
    assert share(D(10), [1, 1, 1]) == [D('3.33'), D('3.33'), D('3.34')]
    assert sum(share(D('7.77'), [3, 17, 11])) == D('7.77')


def test_money_rounds_half_up():
    assert money(D('19.355')) == D('19.36')
    assert money(D('16.425')) == D('16.43')


@pytest.mark.parametrize('tiers', [
        (Tier(None, D(1)), Tier(None, D(2))),
        (Tier(D(10), D(1)), Tier(D(5), D(2))),
        ])
def test_tiers_must_rise(tiers):
    with pytest.raises(ValueError, match="tier limits"):
        Component('water', "Water", 'volumetric', tiers=tiers)


def test_negative_usage_refused():
    with pytest.raises(ValueError, match="negative"):
        charges(monthly(JAN, 30, -1), [HDWD])
