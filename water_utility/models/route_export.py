# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The route book for the handhelds: each meter in walk order, with its
last read and the range the next read is expected in."""
import csv
import io
from decimal import Decimal

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .. import registers, usage as usage_arithmetic
from .reading import usage_history
from .service import METER_PURPOSE

COLUMNS = [
    'route', 'read_sequence', 'location_id', 'service_address', 'meter',
    'register', 'unit', 'dials', 'last_read_date', 'last_read',
    'expected_low', 'expected_high']


class RouteRow:
    "One register to read on a route: where, which, and what to expect"
    __slots__ = ('premise', 'meter', 'register', 'last', 'low', 'high')

    def __init__(self, premise, meter, register, last, low, high):
        self.premise = premise
        self.meter = meter
        self.register = register
        # The register's last read (a ChainRead), or None
        self.last = last
        self.low = low
        self.high = high

    def csv_row(self):
        last = self.last
        return [
            self.premise.route.code, self.premise.read_sequence,
            self.premise.code, self.premise.street, self.meter.serial,
            self.register, self.meter.unit, self.meter.dials,
            last.read_date.isoformat() if last else '',
            last.value if last else '',
            self.low if self.low is not None else '',
            self.high if self.high is not None else '']


def route_rows(routes, read_date):
    """Return the RouteRow of `routes` for reads on `read_date`: installed
    meters in walk order with their last read and the expected range
    (last read plus expected usage, within the service type's high and
    low limits).  A range that passes the top of the dials goes on from
    zero, so `high` may be lower than `low`."""
    pool = Pool()
    Premise = pool.get('water.premise')
    Reading = pool.get('water.meter.reading')
    Rule = pool.get('water.read.rule')
    rules = Rule.rules()
    premises = Premise.search(
        [('route', 'in', [r.id for r in routes])],
        order=[('route.code', 'ASC'), ('read_sequence', 'ASC'),
            ('id', 'ASC')])
    types = {}
    for premise in premises:
        for service in premise.services:
            if service.state == 'active':
                types[premise.id, METER_PURPOSE[service.service_type]] = (
                    service.service_type)
    plan = [(premise, installation)
        for premise in premises
        for installation in premise.installations
        if installation.removal_date is None]
    chains = Reading.register_chains({
            (i.meter.id, register) for _, i in plan
            for register in i.meter.registers})
    rows = []
    for premise, installation in plan:
        meter = installation.meter
        rule = rules[types.get((premise.id, installation.purpose),
                'residential')]
        for register in meter.registers:
            chain = chains.get((meter.id, register), [])
            last = chain[-1] if chain else None
            low = high = None
            if last is not None:
                days = (read_date - last.read_date).days
                expected = usage_arithmetic.expected_usage(
                    usage_history(chain), days, rule.periods)
                if expected is not None:
                    # As the dials will show them: past the top of the
                    # register the range goes on from zero.
                    limit = registers.register_limit(meter.dials)
                    units = expected / meter.multiplier
                    low = (last.value + units * (
                            1 - rule.low_percent / 100)).quantize(
                        Decimal(1)) % limit
                    high = (last.value + units * (
                            1 + rule.high_percent / 100)).quantize(
                        Decimal(1)) % limit
            rows.append(RouteRow(premise, meter, register, last, low, high))
    return rows


class ExportRouteStart(ModelView):
    "Export Route Book"
    __name__ = 'water.route.export.start'

    read_date = fields.Date("Read Date", required=True,
        help="The day the route will be read: the expected ranges are "
        "for that day.")

    @classmethod
    def default_read_date(cls):
        return Pool().get('ir.date').today()


class ExportRouteResult(ModelView):
    "Export Route Book"
    __name__ = 'water.route.export.result'

    file = fields.Binary("File", readonly=True, filename='file_name')
    file_name = fields.Char("File Name", readonly=True)


class ExportRoute(Wizard):
    "Export Route Book"
    __name__ = 'water.route.export'

    start = StateView(
        'water.route.export.start',
        'water_utility.route_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView(
        'water.route.export.result',
        'water_utility.route_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        output = io.StringIO()
        writer = csv.writer(output, lineterminator='\r\n')
        writer.writerow(COLUMNS)
        writer.writerows(r.csv_row()
            for r in route_rows(self.records, self.start.read_date))
        self.result.file = output.getvalue().encode('utf-8')
        self.result.file_name = '-'.join(
            r.code for r in self.records) + f'-{self.start.read_date}.csv'
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'file_name': self.result.file_name,
            }
