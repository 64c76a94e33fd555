# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Complaints by category and age, a month at a time, for the Board
packet: received, resolved and how long they took, and what is still
open at the month's end by age (complaint_rules.monthly)."""
import datetime as dt

from dateutil.relativedelta import relativedelta

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from .. import complaint_rules
from .complaint import CATEGORIES


class ComplaintReportStart(ModelView):
    "Complaints by Category and Age"
    __name__ = 'water.desk.complaint_report.print.start'

    company = fields.Many2One('company.company', "Company", required=True)
    month = fields.Date("Month", required=True,
        help="Any day of the month to report.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_month(cls):
        "Last month: the Board packet reports the month just ended"
        today = Pool().get('ir.date').today()
        return today.replace(day=1) - relativedelta(months=1)


class ComplaintReportPrint(Wizard):
    "Complaints by Category and Age"
    __name__ = 'water.desk.complaint_report.print'

    start = StateView('water.desk.complaint_report.print.start',
        'water_desk.complaint_report_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.desk.complaint_report')

    def do_print_(self, action):
        return action, {'company': self.start.company.id,
            'month': self.start.month.isoformat()}


def month_figures(company, month):
    """(first day, last day, rows, open complaints at the month's end
    oldest first) of the month of `month` for `company`"""
    Complaint = Pool().get('water.desk.complaint')
    start = month.replace(day=1)
    end = start + relativedelta(months=1, days=-1)
    zone = company.timezone
    # stamps are UTC: a day either side, the district's days kept
    complaints = [c for c in Complaint.search([
                ('company', '=', company.id),
                ('received_at', '<', dt.datetime.combine(
                        end + dt.timedelta(days=2), dt.time())),
                ['OR', ('resolved_at', '=', None),
                    ('resolved_at', '>=', dt.datetime.combine(
                            start - dt.timedelta(days=1), dt.time()))],
                ], order=[('received_at', 'ASC'), ('id', 'ASC')])]
    facts = [(c, complaint_rules.local_date(c.received_at, zone),
            complaint_rules.local_date(c.resolved_at, zone))
        for c in complaints]
    labels = dict(Complaint.fields_get(['category'])['category'][
            'selection'])
    # a month not ended ages its open complaints to today
    as_of = min(end, Pool().get('ir.date').today())
    rows = complaint_rules.monthly([(c.category, r, s) for c, r, s in facts],
        start, end, [(code, labels[code]) for code, _ in CATEGORIES], as_of)
    still_open = [(c, complaint_rules.age(r, as_of)) for c, r, s in facts
        if r <= end and (s is None or s > end)]
    return start, end, rows, still_open


class ComplaintReport(DistrictReport):
    "Complaints by category and age, for the Board packet"
    __name__ = 'water.desk.complaint_report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        context = super().get_context(records, header, data)
        company = Company(data['company'])
        start, end, rows, still_open = month_figures(
            company, dt.date.fromisoformat(data['month']))
        context.update(start=start, end=end, rows=rows,
            still_open=still_open, bands=[l for _, l in
                complaint_rules.BANDS],
            today=pool.get('ir.date').today())
        return context
