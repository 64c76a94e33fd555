# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Weather holds: days of extreme heat or cold on which the district
shuts nobody off for nonpayment (a district rule: Finance may override
it on an order, with its reason)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.transaction import Transaction

from ..exceptions import WeatherHoldError


class WeatherHold(ModelSQL, ModelView):
    "Days the district holds every shut-off for nonpayment"
    __name__ = 'water.collection.weather_hold'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    start_date = fields.Date("First Day", required=True)
    end_date = fields.Date("Last Day", required=True)
    reason = fields.Char("Reason", required=True,
        help="The forecast or order behind the hold.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def validate_fields(cls, holds, field_names):
        super().validate_fields(holds, field_names)
        for hold in holds:
            if hold.end_date < hold.start_date:
                raise WeatherHoldError(gettext(
                        'water_collection.msg_weather_hold_dates',
                        hold=hold.reason))

    @classmethod
    def spans(cls, company):
        "The (first day, last day) of the company's holds"
        return tuple((h.start_date, h.end_date) for h in cls.search([
                    ('company', '=', company.id if company else None)]))
