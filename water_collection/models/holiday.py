# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's holiday calendar: the days the office is closed besides
weekends.  Business days (the seven of a disconnect notice, the five of a
final notice) skip them, and no service is shut off on them (Gov. Code
60373)."""
from trytond.cache import Cache
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from ..shutoff_rules import calendar_gap


class Holiday(ModelSQL, ModelView):
    "A day the district's office is closed"
    __name__ = 'water.collection.holiday'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    name = fields.Char("Name", required=True)
    # The guard asks for them once an account: kept until one changes
    _dates_cache = Cache('water.collection.holiday.dates', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints = [
            ('date_unique', Unique(t, t.company, t.date),
                'water_collection.msg_holiday_date_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def dates(cls, company_id=None):
        "The closed days of the company (of the context by default)"
        company_id = company_id or Transaction().context.get('company')
        dates = cls._dates_cache.get(company_id)
        if dates is None:
            dates = [h.date for h in cls.search(
                    [('company', '=', company_id)])]
            cls._dates_cache.set(company_id, dates)
        return set(dates)

    @classmethod
    def on_modification(cls, mode, holidays, field_names=None):
        super().on_modification(mode, holidays, field_names=field_names)
        cls._dates_cache.clear()

    @classmethod
    def years(cls, company_id=None):
        "The years the calendar has a day of"
        return {d.year for d in cls.dates(company_id)}

    @classmethod
    def lacking_year(cls, company_id=None):
        """The year the shut-off guard needs and the calendar has no day
        of (shutoff_rules.calendar_gap), or None"""
        today = Pool().get('ir.date').today()
        return calendar_gap(today, cls.years(company_id))
