# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Calculating a bill run: what it loads (open exceptions, meters, reads,
rate schedules) and what one service is billed for (its period, reads,
usage and charges), or why it is held back.  The arithmetic is in
water_utility/rates.py."""
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .. import rates, usage as usage_arithmetic
from .bulk import as_decimal
from .service import METER_PURPOSE


class RunData:
    """What calculating a run needs, loaded with a few queries: open read
    exceptions, meters at the premises and their reads, rate schedules."""

    def __init__(self, run, services):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        Exception_ = pool.get('water.meter.reading.exception')
        Installation = pool.get('water.meter.installation')
        Meter = pool.get('water.meter')
        Reading = pool.get('water.meter.reading')
        cursor = Transaction().connection.cursor()
        in_ = fields.SQL_OPERATORS['in']
        self.run = run
        configuration = Configuration(1)
        self.billing_unit = configuration.billing_unit
        self.regular_days = configuration.regular_days
        service_ids = [s.id for s in services]
        premise_ids = sorted({s.premise.id for s in services})

        exception = Exception_.__table__()
        self.held = set()
        for sub in map(list, grouped_slice(service_ids, 1000)):
            cursor.execute(*exception.select(exception.service,
                    where=in_(exception.service, sub)
                    & (exception.state == 'open')))
            self.held.update(r for r, in cursor)

        installation = Installation.__table__()
        meter = Meter.__table__()
        self.meters = defaultdict(list)
        self.meter_info = {}
        for sub in map(list, grouped_slice(premise_ids, 1000)):
            cursor.execute(*installation.join(meter,
                    condition=installation.meter == meter.id).select(
                    installation.premise, installation.purpose, meter.id,
                    meter.unit, meter.size,
                    where=in_(installation.premise, sub)))
            for premise, purpose, meter_id, unit, size in cursor:
                self.meters[premise, purpose].append(meter_id)
                self.meter_info[meter_id] = (unit, size)

        Period = pool.get('water.bill.period')
        Bill = pool.get('water.bill')
        BillRun = pool.get('water.bill.run')
        period = Period.__table__()
        bill = Bill.__table__()
        bill_run = BillRun.__table__()
        self.other_runs = {}
        if backend.name == 'postgresql':
            # Runs calculated again and again leave dead rows the planner
            # does not know of; fresh statistics keep the lookups below on
            # their indexes (minutes otherwise, at 10,000 services).
            cursor.execute('ANALYZE "%s", "%s"' % (
                    Period._table, Bill._table))
        for sub in map(list, grouped_slice(service_ids, 1000)):
            cursor.execute(*period.join(bill,
                    condition=period.bill == bill.id).join(bill_run,
                    condition=bill.run == bill_run.id).select(
                    period.service, period.start_date, bill_run.number,
                    where=in_(period.service, sub)
                    & (bill.run != run.id)
                    & bill_run.state.in_(['draft', 'calculated', 'posting'])))
            for service, start, number in cursor:
                self.other_runs[service, start] = number

        reading = Reading.__table__()
        self.reads = defaultdict(list)
        for sub in map(list, grouped_slice(sorted(self.meter_info), 1000)):
            cursor.execute(*reading.select(
                    reading.id, reading.meter, reading.register,
                    reading.read_date, reading.value, reading.usage,
                    reading.source, reading.kind, reading.service,
                    where=in_(reading.meter, sub)
                    & (reading.read_date <= run.read_date),
                    order_by=[reading.meter, reading.read_date,
                        reading.id]))
            for row in cursor:
                self.reads[row[1]].append(BillRead(*row))
        self._schedules = {}

    def schedules(self, service_type, start, end):
        "The rate schedules for [start, end), as records and plain"
        pool = Pool()
        Schedule = pool.get('water.rate.schedule')
        key = (service_type, start, end)
        if key not in self._schedules:
            records = Schedule.in_force(service_type, start, end)
            self._schedules[key] = (
                [(r.effective_date, {c.code: c.id for c in r.components})
                    for r in records],
                [r.plain() for r in records])
        return self._schedules[key]


class BillRead:
    "A read as a bill run sees it"
    __slots__ = ('id', 'meter', 'register', 'read_date', 'value', 'usage',
        'source', 'kind', 'service')

    def __init__(self, id, meter, register, read_date, value, usage,
            source, kind, service):
        self.id = id
        self.meter = meter
        self.register = register
        self.read_date = read_date
        self.value = as_decimal(value)
        self.usage = as_decimal(usage)
        self.source = source
        self.kind = kind
        self.service = service


class HoldBack(Exception):
    "A service that cannot be billed in this run, and why"

    def __init__(self, reason, details=None):
        super().__init__(reason)
        self.reason = reason
        self.details = details


class ServicePeriod:
    "What one service is billed for in a run: its days, reads and usage"

    def __init__(self, service, start, end, reads, previous, usage,
            estimated, full):
        self.service = service
        self.start = start
        self.end = end
        self.reads = reads
        self.previous = previous
        self.usage = usage
        self.estimated = estimated
        self.full = full
        self.charges = []
        self.schedules = []

    @classmethod
    def of(cls, service, data):
        """Return the service's period in the run of `data`, None when
        there is nothing new to bill, or raise HoldBack"""
        if service.id in data.held:
            raise HoldBack('exception')
        start = service.billed_through or service.start_date
        if (service.id, start) in data.other_runs:
            raise HoldBack('other_run', data.other_runs[service.id, start])
        first = service.billed_through is None
        stopped = service.state == 'stopped'
        purpose = METER_PURPOSE[service.service_type]
        meters = data.meters.get((service.premise.id, purpose), []) if (
            purpose) else []
        end = service.end_date if stopped else None
        if stopped and meters and not any(
                r.kind == 'closing' and r.service == service.id
                for m in meters for r in data.reads[m]):
            raise HoldBack('no_final_read')
        limit = end or data.run.read_date
        reads, previous = [], None
        for meter in meters:
            for read in data.reads[meter]:
                if start < read.read_date <= limit:
                    reads.append(read)
                elif read.read_date <= start and read.register != 'high':
                    if previous is None or (read.read_date, read.id) > (
                            previous.read_date, previous.id):
                        previous = read
        reads.sort(key=lambda r: (r.read_date, r.id))
        if meters and not reads and end is None:
            raise HoldBack('no_read')
        if end is None:
            end = reads[-1].read_date if reads else data.run.read_date
        if end <= start:
            return None
        unit = data.billing_unit
        usage = sum((usage_arithmetic.convert(
                    r.usage or 0, data.meter_info[r.meter][0], unit,
                    digits=4)
                for r in reads), Decimal(0)).quantize(rates.UNITS)
        estimated = any(r.source == 'estimate' for r in reads)
        full = not first and not stopped
        period = cls(service, start, end, reads, previous, usage, estimated,
            full)
        records, plain = data.schedules(service.service_type, start, end)
        if not records or records[0][0] > start:
            raise HoldBack('no_rate', str(start))
        size = data.meter_info[max(meters)][1] if meters else None
        months = service.premise.route.cycle.period_months or 1
        try:
            period.charges = rates.charges(rates.Period(
                    start=start, end=end, usage=usage, months=months,
                    nominal_days=30 * months, full=full, meter_size=size,
                    fire_line_size=service.fire_line_size,
                    dwelling_units=service.dwelling_units or 1,
                    winter_average=service.winter_average,
                    regular_days=data.regular_days), plain)
        except ValueError as exception:
            raise HoldBack('rate_error', str(exception)) from exception
        period.schedules = records
        return period

    def values(self, bill_id):
        "The bill period's row"
        last = [r for r in self.reads if r.register != 'high']
        last = last[-1] if last else None
        previous = self.previous
        return {
            'bill': bill_id, 'service': self.service.id,
            'start_date': self.start, 'end_date': self.end,
            'usage': self.usage,
            'previous_read_date': previous.read_date if previous else None,
            'previous_read': previous.value if previous else None,
            'current_read_date': last.read_date if last else None,
            'current_read': last.value if last else None,
            'current_reading': last.id if last else None,
            'estimated': self.estimated,
            'first': self.service.billed_through is None,
            'final': self.service.state == 'stopped',
            }

    def lines(self, period_id):
        "The rows of the period's charge lines"
        lines = []
        for sequence, charge in enumerate(self.charges, 1):
            components = [c for effective, c in self.schedules
                if effective <= charge.start][-1]
            lines.append({
                    'period': period_id, 'service': self.service.id,
                    'sequence': sequence,
                    'component': components[charge.code],
                    'tier': charge.tier, 'start_date': charge.start,
                    'end_date': charge.end, 'quantity': charge.quantity,
                    'unit': charge.unit, 'unit_price': charge.unit_price,
                    'amount': charge.amount, 'tier_floor': charge.floor,
                    'tier_limit': charge.limit,
                    })
        return lines
