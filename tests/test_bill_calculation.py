# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Plain tests of what a bill run bills one service for (its period, reads
and usage, or why it is held back: `ServicePeriod.of`), with plain objects
standing for the service and the run's loaded data."""
import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace as Record

import pytest

from water_utility import rates
from water_utility.models.bill_calculation import (
    BillRead, HoldBack, ServicePeriod)

DAY = dt.date(2026, 10, 1)
METER = 11
SCHEDULE = rates.Schedule(dt.date(2026, 1, 1), (
        rates.Component('service', "Service charge", 'fixed',
            basis='month', price=D(30)),
        rates.Component('water', "Water", 'volumetric',
            tiers=(rates.Tier(D(10), D(2)), rates.Tier(None, D(4)))),
        ))


def day(n):
    return DAY + dt.timedelta(days=n)


def read(id_, n, value, usage, kind='regular', source='ami', service=None):
    return BillRead(id_, METER, 'single', day(n), value, usage, source,
        kind, service)


def service(**values):
    defaults = dict(id=1, billed_through=day(0), start_date=day(-100),
        state='active', end_date=None, service_type='residential',
        premise=Record(id=5, route=Record(cycle=Record(period_months=1))),
        fire_line_size=None, dwelling_units=1, winter_average=None)
    return Record(**{**defaults, **values})


def data(reads, read_date=day(30), held=(), other_runs=None,
        schedules=((SCHEDULE.effective, {'service': 1, 'water': 2}),)):
    return Record(held=set(held), other_runs=other_runs or {},
        meters={(5, 'domestic'): [METER]}, reads={METER: reads},
        run=Record(read_date=read_date), meter_info={METER: ('hcf', '5/8')},
        billing_unit='hcf', regular_days=rates.REGULAR_DAYS,
        schedules=lambda *args: (list(schedules),
            [SCHEDULE] if schedules else []))


HISTORY = [read(1, -30, 100, None), read(2, 0, 110, 10)]


def test_a_regular_month():
    period = ServicePeriod.of(service(), data(HISTORY + [
                read(3, 30, 124, 14)]))
    assert (period.start, period.end, period.usage) == (day(0), day(30), 14)
    assert period.previous.id == 2 and [r.id for r in period.reads] == [3]
    assert [(c.code, c.tier, c.quantity, c.amount)
        for c in period.charges] == [
        ('service', None, D(1), D(30)),
        ('water', 1, D(10), D(20)),
        ('water', 2, D(4), D(16)),
        ]
    assert not period.estimated and period.full


def test_a_late_read_is_prorated_by_its_days():
    period = ServicePeriod.of(service(), data(HISTORY + [
                read(3, 45, 130, 20)], read_date=day(45)))
    assert (period.end - period.start).days == 45
    assert [(c.code, c.quantity, c.amount) for c in period.charges] == [
        ('service', D('1.5000'), D(45)),
        ('water', D(15), D(30)),
        ('water', D(5), D(20)),
        ]


def test_first_bill_from_the_start_date_prorated():
    first = service(billed_through=None, start_date=day(15))
    period = ServicePeriod.of(first, data([
                read(1, 15, 100, None, kind='opening'),
                read(2, 30, 106, 6, source='estimate')]))
    assert (period.start, period.end, period.full) == (day(15), day(30),
        False)
    assert period.estimated
    assert [(c.code, c.quantity, c.amount) for c in period.charges] == [
        ('service', D('0.5000'), D(15)),
        ('water', D(5), D(10)),
        ('water', D(1), D(4)),
        ]


def test_an_unmetered_service_is_billed_to_the_run_date():
    sewer = service(service_type='sewer')
    period = ServicePeriod.of(sewer, data([], read_date=day(30)))
    assert (period.start, period.end, period.usage) == (day(0), day(30), 0)
    # Billed through the run's date already: nothing new to bill
    assert ServicePeriod.of(sewer, data([], read_date=day(0))) is None


@pytest.mark.parametrize('the_service, the_data, reason', [
        (service(), data(HISTORY + [read(3, 30, 124, 14)], held=[1]),
            'exception'),
        (service(), data(HISTORY + [read(3, 30, 124, 14)],
                other_runs={(1, day(0)): 'BR-7'}), 'other_run'),
        (service(state='stopped', end_date=day(20)),
            data(HISTORY + [read(3, 20, 124, 14)]), 'no_final_read'),
        (service(), data(HISTORY), 'no_read'),
        (service(), data(HISTORY + [read(3, 30, 124, 14)], schedules=()),
            'no_rate'),
        ])
def test_held_back(the_service, the_data, reason):
    with pytest.raises(HoldBack) as held:
        ServicePeriod.of(the_service, the_data)
    assert held.value.reason == reason


def test_final_bill_up_to_the_closing_read():
    stopped = service(state='stopped', end_date=day(20))
    period = ServicePeriod.of(stopped, data(HISTORY + [
                read(3, 20, 120, 10, kind='closing', service=1)]))
    assert (period.end, period.usage, period.full) == (day(20), 10, False)
