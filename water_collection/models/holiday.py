# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's holiday calendar: the days the office is closed besides
weekends.  Business days (the seven of a disconnect notice, the five of a
final notice) skip them, and no service is shut off on them (Gov. Code
60373)."""
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
        return {h.date for h in cls.search(
                [('company', '=', company_id)])}

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
