# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The yearly 1099-NEC totals: what each vendor flagged for 1099 was paid
in the calendar year (payments marked paid, dated in the year; a voided
check is not a payment), against the year's threshold kept as data."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from ..exceptions import Form1099Error
from ..form1099 import reportable, vendor_totals


class Form1099Threshold(ModelSQL, ModelView):
    "1099-NEC Threshold"
    __name__ = 'water.form1099.threshold'

    year = fields.Integer("Year", required=True)
    amount = fields.Numeric("Threshold", digits=(16, 2), required=True,
        help="A vendor paid this much or more in the year gets a 1099-NEC.")
    authority = fields.Char("Authority",
        help="Where the figure comes from: the statute, the IRS notice.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(('year_unique', Unique(t, t.year),
                'water_finance.msg_form1099_threshold_unique'))
        cls._order.insert(0, ('year', 'DESC'))

    def get_rec_name(self, name):
        return str(self.year)

    @classmethod
    def of_year(cls, year):
        "The threshold of `year`; refused naming the year when not entered"
        thresholds = cls.search([('year', '=', year)], limit=1)
        if not thresholds:
            raise Form1099Error(gettext(
                    'water_finance.msg_form1099_threshold_missing',
                    year=year))
        return thresholds[0].amount


def year_payments(company, year):
    """(vendor, amount) of the payments to 1099 vendors marked paid and
    dated in `year`"""
    Payment = Pool().get('account.payment')
    payments = Payment.search([
            ('company', '=', company.id),
            ('kind', '=', 'payable'),
            ('state', '=', 'succeeded'),
            ('date', '>=', dt.date(year, 1, 1)),
            ('date', '<=', dt.date(year, 12, 31)),
            ('party.vendor_1099', '=', True),
            ])
    return [(p.party, p.amount) for p in payments]


class Form1099PrintStart(ModelView):
    "The year of the 1099-NEC totals"
    __name__ = 'water.form1099.print.start'

    year = fields.Integer("Year", required=True)

    @classmethod
    def default_year(cls):
        "Last year in January, when the forms are due; this year after"
        today = Pool().get('ir.date').today()
        return today.year - 1 if today.month == 1 else today.year


class Form1099Print(Wizard):
    "Print the year's 1099-NEC totals"
    __name__ = 'water.form1099.print'

    start = StateView('water.form1099.print.start',
        'water_finance.form1099_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.form1099.report')

    def do_print_(self, action):
        return action, {'year': self.start.year}


class Form1099Report(DistrictReport):
    "The year's 1099-NEC totals, by vendor"
    __name__ = 'water.form1099.report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        Threshold = pool.get('water.form1099.threshold')
        context = super().get_context(records, header, data)
        year = int(data['year'])
        threshold = Threshold.of_year(year)
        company = context['company'] or Company.search([], limit=1)[0]
        # the report's groups got this far: the vendors' tax ids are read
        with without_check_access():
            totals = vendor_totals(year_payments(company, year))
            rows = [(vendor, total, vendor.tax_identifier)
                for vendor, total in reportable(totals, threshold)]
            below = sorted(((v, t) for v, t in totals.items()
                    if t < threshold), key=lambda item: item[0].rec_name)
        context.update(year=year, threshold=threshold, rows=rows,
            below=below, today=pool.get('ir.date').today())
        return context
