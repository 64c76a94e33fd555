# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from genshi.core import Markup

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .. import paycheck
from .slip import WAGES

ZERO = Decimal(0)
# The CSS the payroll reports share
STYLESHEET = Markup(
    (Path(__file__).parent.parent / 'reports' / 'payroll.css').read_text())
CATEGORIES = ['earning', 'pretax', 'tax', 'posttax', 'employer']


def rate_digits(rate):
    "The decimals `rate` needs, from 2 to 4: 32.50, but 28.125 an hour"
    return min(4, max(2, -rate.normalize().as_tuple().exponent))


class PayrollReport(Report):
    """A payroll report: the agency's name and address (in the format of
    its country, party.address.format) and money formatted"""

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        context['company'] = company = (
            Company(company_id) if company_id else None)
        address = company.party.address_get() if company else None
        context['employer_address'] = (
            address.full_address.splitlines() if address else [])
        context['stylesheet'] = STYLESHEET
        context['money'] = lambda value: cls.format_number(
            value or ZERO, None, 2)
        context['hours'] = lambda value: (
            cls.format_number(value, None, 2) if value else '')
        return context


class PayStub(PayrollReport):
    """Pay stubs, one page per slip: from slips or from whole runs.  Every
    section shows its amounts in the same columns: hours and rate (for
    earnings), this period's amount and the year's to date."""
    __name__ = 'payroll.slip.stub'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        slips = []
        for record in records:
            if record.__name__ == 'payroll.run':
                slips.extend(record.slips)
            else:
                slips.append(record)
        context['slips'] = slips
        context['year_to_date'] = cls.year_to_date
        context['rows'] = cls.rows
        context['rate'] = lambda value: cls.format_number(
            value, None, rate_digits(value))
        context['leave'] = cls.leave
        return context

    @classmethod
    def year_to_date(cls, slip):
        """{key: amount} of the calendar year through `slip` (by the slips
        of posted and paid runs, and `slip` unless void): by (category,
        code), by category, 'net', and the taxable wages by WAGES name"""
        Slip = Pool().get('payroll.slip')
        employee = slip.employee.id
        earlier = Slip.year_to_date(slip.run, [employee]).get(employee, {})
        result = defaultdict(Decimal)
        for key, amount in earlier.items():
            if ':' in key:
                category, code = key.split(':', 1)
                result[category, code] += amount
                result[category] += amount
            elif key in WAGES:
                result[key] += amount
        if slip.state == 'done':
            for line in slip.lines:
                result[line.category, line.code] += line.amount
                result[line.category] += line.amount
            for name in WAGES:
                result[name] += getattr(slip, f'{name}_wages') or ZERO
        result['net'] = result['earning'] - sum(
            result[c] for c in ['pretax', 'tax', 'posttax'])
        return result

    @classmethod
    def rows(cls, slip, ytd, category):
        """[(name, hours, rate, current, year to date)] of `category`: the
        slip's lines, then what was paid earlier in the year only (with
        no current amount); the year's amount once per code"""
        SlipLine = Pool().get('payroll.slip.line')
        rows, codes = [], set()
        for line in slip.lines:
            if line.category != category:
                continue
            rows.append((line.name, line.hours, line.rate, line.amount,
                    ytd[category, line.code]
                    if line.code not in codes else None))
            codes.add(line.code)
        earlier = sorted(key[1] for key, amount in ytd.items()
            if isinstance(key, tuple) and key[0] == category
            and key[1] not in codes and amount)
        for code in earlier:
            last = SlipLine.search([
                    ('slip.employee', '=', slip.employee.id),
                    ('category', '=', category),
                    ('code', '=', code),
                    ], order=[('id', 'DESC')], limit=1)
            rows.append((last[0].name if last else code, None, None, None,
                    ytd[category, code]))
        return rows

    @classmethod
    def leave(cls, slip):
        """[(plan, accrued, taken, balance)] of the employee's leave plans:
        the hours the slip accrued and took, and the balance after it"""
        changes = defaultdict(lambda: [ZERO, ZERO])
        if slip.state == 'done':
            for entry in slip.leave_entries:
                if entry.kind in {'accrual', 'front_load'}:
                    changes[entry.plan.id][0] += entry.hours
                elif entry.kind == 'taken':
                    changes[entry.plan.id][1] -= entry.hours
        return [(plan, *changes[plan.id], balance)
            for plan, balance in slip.leave_balances()]


class RunPayStub(PayStub):
    "The pay stubs of whole runs"
    __name__ = 'payroll.run.stub'


class CheckReport(PayrollReport):
    "The paychecks of a paid run, for the slips without direct deposit"
    __name__ = 'payroll.run.check'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['checks'] = [s for r in records for s in r.slips
            if s.state == 'done' and s.check_number]
        context['words'] = paycheck.amount_in_words
        return context


class PayrollRegister(PayrollReport):
    "The register of a run, one line per slip with the run's totals"
    __name__ = 'payroll.run.register'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)

        def totals(run):
            result = defaultdict(Decimal)
            for slip in run.slips:
                if slip.state != 'done':
                    continue
                for line in slip.lines:
                    result[(line.category, line.name)] += line.amount
            return [(c, n, a) for (c, n), a in sorted(result.items(),
                    key=lambda i: (CATEGORIES.index(i[0][0]), i[0][1]))]
        context['totals'] = totals
        return context


class LiabilityReport(PayrollReport):
    "What a run owes, by payee: the remittances to CalPERS, IRS, EDD..."
    __name__ = 'payroll.run.liability'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['liabilities'] = cls.liabilities
        return context

    @classmethod
    def liabilities(cls, run):
        "[(payee name, [(account, item, amount)], total)] of `run`"
        pool = Pool()
        Slip = pool.get('payroll.slip')
        Configuration = pool.get('payroll.configuration')
        net_account = Configuration(1).net_pay_account
        payees = defaultdict(list)
        postings = Slip.posting([s for s in run.slips if s.state == 'done'])
        for (account, party, text), amount in postings.items():
            if amount >= 0 or account == net_account:
                continue
            payees[party.rec_name if party else ''].append(
                (account.rec_name, text, -amount))
        return [(name, sorted(items, key=lambda i: i[:2]),
                sum(i[2] for i in items))
            for name, items in sorted(payees.items())]


class QuarterlyWagesStart(ModelView):
    "Quarterly wage totals"
    __name__ = 'payroll.quarterly_wages.start'
    year = fields.Integer("Year", required=True)
    quarter = fields.Selection([
            ('1', "First (Jan-Mar)"),
            ('2', "Second (Apr-Jun)"),
            ('3', "Third (Jul-Sep)"),
            ('4', "Fourth (Oct-Dec)"),
            ], "Quarter", required=True, sort=False)

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year

    @classmethod
    def default_quarter(cls):
        return str((Pool().get('ir.date').today().month - 1) // 3 + 1)


class QuarterlyWages(Wizard):
    "Print the quarter's wage totals per employee (DE 9C, 941)"
    __name__ = 'payroll.quarterly_wages'
    start = StateView(
        'payroll.quarterly_wages.start',
        'agency_payroll.quarterly_wages_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('payroll.quarterly_wages.report')

    def do_print_(self, action):
        return action, {
            'year': self.start.year, 'quarter': int(self.start.quarter)}


class QuarterlyWagesReport(PayrollReport):
    "Wages and withholding per employee for a quarter, by pay date"
    __name__ = 'payroll.quarterly_wages.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        year, quarter = data['year'], data['quarter']
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            - dt.timedelta(days=1))
        context['year'], context['quarter'] = year, quarter
        context['start'], context['end'] = start, end
        context['rows'], context['total'] = cls.quarter_rows(start, end)
        return context

    @classmethod
    def quarter_rows(cls, start, end):
        Slip = Pool().get('payroll.slip')
        slips = Slip.search([
                ('state', '=', 'done'),
                ('run.state', 'in', ['posted', 'paid']),
                ('run.pay_date', '>=', start),
                ('run.pay_date', '<=', end),
                ], order=[('employee', 'ASC')])
        rows = {}
        total = defaultdict(Decimal)
        for slip in slips:
            row = rows.setdefault(slip.employee.id, {
                    'employee': slip.employee,
                    'values': defaultdict(Decimal)})
            values = row['values']
            values['gross'] += slip.gross
            values['income_tax_wages'] += slip.income_tax_wages or ZERO
            values['medicare_wages'] += slip.medicare_wages or ZERO
            values['social_security_wages'] += (
                slip.social_security_wages or ZERO)
            values['sdi_wages'] += slip.sdi_wages or ZERO
            for line in slip.lines:
                if line.category == 'tax':
                    values[line.kind] += line.amount
            values['net'] += slip.net
        for row in rows.values():
            for key, value in row['values'].items():
                total[key] += value
        return (sorted(rows.values(),
                key=lambda r: r['employee'].rec_name), total)
