# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The yearly report of residential discontinuations for nonpayment (HSC
116918), for the district's website and the State Water Board: the count
of each month and of the year, and the shut-offs behind them (the order,
the account, the service address, the day reconnected)."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from .. import disconnection_counts
from .customer import RESIDENTIAL


class DisconnectionPrintStart(ModelView):
    "The year of the discontinuations report"
    __name__ = 'water.collection.disconnection.print.start'

    year = fields.Integer("Year", required=True)

    @classmethod
    def default_year(cls):
        "Last year: the report is made once the year is over"
        return Pool().get('ir.date').today().year - 1


class DisconnectionPrint(Wizard):
    "Print the yearly report of discontinuations for nonpayment"
    __name__ = 'water.collection.disconnection.print'

    start = StateView('water.collection.disconnection.print.start',
        'water_collection.disconnection_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.collection.disconnection.report')

    def do_print_(self, action):
        return action, {'year': self.start.year}


class DisconnectionReport(DistrictReport):
    "The year's residential discontinuations for nonpayment"
    __name__ = 'water.collection.disconnection.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        year = int(data['year'])
        # The report's groups got this far; the orders, accounts and
        # premises behind the count are read in full for it
        with without_check_access():
            shutoffs = year_shutoffs(year)
            context['shutoffs'] = shutoffs
            context['months'] = disconnection_counts.monthly_counts(
                [s['date'] for s in shutoffs], year)
        context['year'] = year
        context['today'] = Pool().get('ir.date').today()
        return context


def year_shutoffs(year):
    """The residential turn-offs for nonpayment done in `year`, each as
    {date, order, account, address, service type, reconnected}"""
    Order = Pool().get('water.service.order')
    first, last = disconnection_counts.year_span(year)
    orders = Order.search([
            ('type', '=', 'turn_off'),
            ('nonpayment', '=', True),
            ('state', '=', 'done'),
            ('done_date', '>=', first),
            ('done_date', '<=', last),
            ('service.service_type', 'in', list(RESIDENTIAL)),
            ], order=[('done_date', 'ASC'), ('id', 'ASC')])
    turn_ons = Order.search([
            ('type', '=', 'turn_on'),
            ('state', '=', 'done'),
            ('service', 'in', [o.service.id for o in orders]),
            ('done_date', '>=', first),
            ])
    reconnections = {}
    for turn_on in turn_ons:
        reconnections.setdefault(turn_on.service, []).append(
            turn_on.done_date)
    return [{
            'date': o.done_date,
            'order': o.rec_name,
            'account': o.service.account.rec_name,
            'address': f'{o.premise.street}, {o.premise.city}',
            'service_type': o.service.service_type_string,
            'reconnected': disconnection_counts.reconnected_on(
                o.done_date, reconnections.get(o.service, [])),
            } for o in orders]
