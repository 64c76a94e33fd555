# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A pay slip: one employee's pay in a run, computed from approved hours,
the pay tables and year-to-date, as lines (earnings, taxes, deductions,
employer costs), bank deposits and leave entries; and its posting lines."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sql.aggregate import Count, Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .. import paycheck, slip_builder
from ..exceptions import PayrollError, PayrollWarning, PaySlipError
from .sealed import PayrollComputed, PayrollLineSealed, PayrollSealed

ZERO = Decimal(0)
MONEY = dict(digits=(16, 2))
TAX_ACCOUNTS = {
    'federal_income_tax': 'federal_tax_account',
    'state_income_tax': 'state_tax_account',
    'medicare': 'medicare_account',
    'social_security': 'social_security_account',
    'sdi': 'sdi_account',
    }
WAGES = ['income_tax', 'medicare', 'social_security', 'sdi', 'pensionable']


@dataclass
class PostingLine:
    "Slip lines of a department and item, summed for the journal entry"
    department: object
    category: str
    kind: str
    name: str
    earning_type: object
    deduction_type: object
    retirement_plan: object
    amount: Decimal


def _hours(value):
    "A timesheet duration as Decimal hours (an interval or seconds)"
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    return (Decimal(str(value)) / 3600).quantize(Decimal('0.01'))


class Slip(
        PayrollComputed, PayrollSealed, Workflow, ModelSQL, ModelView):
    "One employee's pay for a run: earnings, deductions, taxes, net"
    __name__ = 'payroll.slip'
    # sealed with its run once approved, and once void
    _workflow_fields = frozenset({'state', 'check_number', 'void_move'})
    run = fields.Many2One(
        'payroll.run', "Run", required=True, readonly=True,
        ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True)
    department = fields.Many2One(
        'payroll.department', "Department", required=True, readonly=True)
    pay_date = fields.Function(fields.Date("Pay Date"), 'get_run_field',
        searcher='search_run_field')
    rate = fields.Numeric("Rate", digits=(16, 4), readonly=True)
    gross = fields.Numeric("Gross", readonly=True, **MONEY)
    pretax = fields.Numeric("Pre-Tax Deductions", readonly=True, **MONEY)
    taxes = fields.Numeric("Taxes", readonly=True, **MONEY)
    posttax = fields.Numeric("After-Tax Deductions", readonly=True, **MONEY)
    net = fields.Numeric("Net Pay", readonly=True, **MONEY)
    employer_cost = fields.Numeric(
        "Employer Costs", readonly=True, **MONEY)
    income_tax_wages = fields.Numeric(
        "Income Tax Wages", readonly=True, **MONEY)
    medicare_wages = fields.Numeric("Medicare Wages", readonly=True, **MONEY)
    social_security_wages = fields.Numeric(
        "Social Security Wages", readonly=True, **MONEY)
    sdi_wages = fields.Numeric("SDI Wages", readonly=True, **MONEY)
    pensionable_wages = fields.Numeric(
        "CalPERS Reportable Wages", readonly=True, **MONEY)
    worked_hours = fields.Numeric(
        "Hours Worked", digits=(8, 2), readonly=True)
    lines = fields.One2Many('payroll.slip.line', 'slip', "Lines",
        readonly=True)
    deposits = fields.One2Many('payroll.slip.deposit', 'slip', "Deposits",
        readonly=True)
    leave_entries = fields.One2Many(
        'payroll.leave.entry', 'slip', "Leave", readonly=True)
    check_number = fields.Char("Check Number", readonly=True)
    void_move = fields.Many2One(
        'account.move', "Void Entry", readonly=True)
    state = fields.Selection([
            ('done', "Done"),
            ('void', "Void"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('run', 'DESC'), ('employee', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {('done', 'void')}
        cls._buttons.update({
                'void': {
                    'invisible': ((Eval('state') != 'done')
                        | ~Eval('run_state').in_(['posted', 'paid'])),
                    'depends': ['state', 'run_state'],
                    },
                })

    run_state = fields.Function(
        fields.Selection('get_run_states', "Run State"), 'get_run_field')

    @classmethod
    def get_run_states(cls):
        Run = Pool().get('payroll.run')
        return Run.fields_get(['state'])['state']['selection']

    def get_run_field(self, name):
        return getattr(self.run, {'run_state': 'state'}.get(name, name))

    @classmethod
    def search_run_field(cls, name, clause):
        return [('run.' + clause[0],) + tuple(clause[1:])]

    @classmethod
    def default_state(cls):
        return 'done'

    def get_rec_name(self, name):
        return f'{self.employee.rec_name} ({self.run.rec_name})'

    def is_sealed(self):
        return self.state == 'void' or self.run.is_sealed()

    # -- computing -----------------------------------------------------

    @classmethod
    def compute_run(cls, run):
        pool = Pool()
        Employee = pool.get('company.employee')
        Configuration = pool.get('payroll.configuration')
        TaxTable = pool.get('payroll.tax.table')
        EarningType = pool.get('payroll.earning.type')
        Line = pool.get('payroll.slip.line')
        Deposit = pool.get('payroll.slip.deposit')
        Entry = pool.get('payroll.leave.entry')
        config = Configuration(1)
        tables = TaxTable.tables_for(run.pay_date)

        if run.employees:
            employees = list(run.employees)
        else:
            employees = Employee.search([
                    ('company', '=', run.company.id),
                    ('pay_schedule', '=', run.schedule),
                    ('pay_type', '!=', None),
                    ['OR', ('start_date', '=', None),
                        ('start_date', '<=', run.period_end)],
                    ['OR', ('end_date', '=', None),
                        ('end_date', '>=', run.period_start)],
                    ], order=[('id', 'ASC')])
        if not employees:
            raise PayrollError(gettext(
                    'agency_payroll.msg_run_no_employee', run=run.rec_name))
        ids = [e.id for e in employees]
        cls.check_paid_twice(run, ids)

        types = {t.id: t for t in EarningType.search([])}
        plain_types = {
            t.code: paycheck.EarningType(
                code=t.code, name=t.name, kind=t.kind,
                multiplier=t.multiplier,
                flat_rate=t.flat_rate,
                minimum_hours=t.minimum_hours or ZERO,
                pensionable=t.pensionable)
            for t in types.values()}
        by_code = {t.code: t for t in types.values()}
        regular = [t for t in types.values() if t.kind == 'regular']
        if not regular:
            raise PayrollError(gettext(
                    'agency_payroll.msg_earning_type_missing',
                    kind='regular'))
        hours = cls.approved_hours(run, ids, types, regular[0])
        ytd = cls.year_to_date(run, ids)
        balances = Entry.balances(ids, exclude_run=run.id)
        workweek = run.period_start - dt.timedelta(
            days=(run.period_start.weekday()
                - int(config.workweek_start or 6)) % 7)

        slips, lines, deposits, entries = [], [], [], []
        for employee in employees:
            values = cls.compute_employee(
                run, employee, config, tables, plain_types, by_code,
                hours.get(employee.id, []), ytd.get(employee.id, {}),
                balances, workweek)
            if values is None:
                continue
            slips.append(values['slip'])
            lines.append(values['lines'])
            deposits.append(values['deposits'])
            entries.append(values['entries'])
        records = cls.create(slips)
        for Model, children in [
                (Line, lines), (Deposit, deposits), (Entry, entries)]:
            to_create = []
            for slip, values in zip(records, children):
                for value in values:
                    value['slip'] = slip.id
                    to_create.append(value)
            Model.create(to_create)

    @classmethod
    def check_paid_twice(cls, run, employee_ids):
        """Refuse a run paying a period another approved or posted run
        paid: a correction run reissues a slip only once it is void"""
        slips = cls.search([
                ('employee', 'in', employee_ids),
                ('state', '=', 'done'),
                ('run', '!=', run.id),
                ('run.state', 'in', ['approved', 'posted', 'paid']),
                ('run.period_start', '<=', run.period_end),
                ('run.period_end', '>=', run.period_start),
                ], limit=1)
        if slips:
            raise PayrollError(gettext(
                    'agency_payroll.msg_period_paid_twice',
                    employee=slips[0].employee.rec_name,
                    run=slips[0].run.rec_name))

    @classmethod
    def approved_hours(cls, run, employee_ids, types, regular):
        """Return {employee id: [paycheck.Hours]} of the approved timesheet
        lines of the period; warn of lines still waiting for approval"""
        pool = Pool()
        TimesheetLine = pool.get('timesheet.line')
        Warning = pool.get('res.user.warning')
        line = TimesheetLine.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(list)
        waiting = 0
        for sub in grouped_slice(employee_ids):
            cursor.execute(*line.select(
                    line.employee, line.date, line.earning_type,
                    line.duration, line.approved_by,
                    where=reduce_ids(line.employee, sub)
                    & (line.date >= run.period_start)
                    & (line.date <= run.period_end),
                    order_by=[line.employee, line.date, line.id]))
            for employee, date, type_id, duration, approved in cursor:
                if approved is None:
                    waiting += 1
                    continue
                if isinstance(date, str):
                    date = dt.date.fromisoformat(date)
                type_ = types[type_id] if type_id else regular
                result[employee].append(paycheck.Hours(
                        date, type_.code, _hours(duration)))
        if waiting:
            key = Warning.format('payroll_hours_waiting', [run])
            if Warning.check(key):
                raise PayrollWarning(key, gettext(
                        'agency_payroll.msg_hours_waiting',
                        run=run.rec_name, count=waiting))
        return result

    @classmethod
    def year_to_date(cls, run, employee_ids):
        """Return {employee id: {name: amount}}: wages and each code's
        amount paid this calendar year before the run's pay date, by the
        slips of posted and paid runs"""
        pool = Pool()
        Run = pool.get('payroll.run')
        SlipLine = pool.get('payroll.slip.line')
        slip = cls.__table__()
        run_ = Run.__table__()
        line = SlipLine.__table__()
        cursor = Transaction().connection.cursor()
        result = defaultdict(lambda: defaultdict(Decimal))
        start = dt.date(run.pay_date.year, 1, 1)
        for sub in grouped_slice(employee_ids):
            where = (reduce_ids(slip.employee, sub)
                & (slip.state == 'done')
                & run_.state.in_(['posted', 'paid'])
                & (run_.pay_date >= start)
                & (run_.pay_date <= run.pay_date)
                & (run_.id != run.id))
            query = slip.join(run_, condition=slip.run == run_.id)
            columns = [getattr(slip, f'{w}_wages') for w in WAGES]
            cursor.execute(*query.select(
                    slip.employee, Count(slip.id),
                    *[Sum(Coalesce(c, 0)) for c in columns],
                    where=where, group_by=[slip.employee]))
            for employee, count, *wages in cursor:
                values = result[employee]
                values['slips'] = count
                for name, value in zip(WAGES, wages):
                    values[name] = Decimal(str(value or 0))
            query = query.join(line, condition=line.slip == slip.id)
            cursor.execute(*query.select(
                    slip.employee, line.category, line.code,
                    Sum(line.amount),
                    where=where,
                    group_by=[slip.employee, line.category, line.code]))
            for employee, category, code, amount in cursor:
                amount = Decimal(str(amount or 0))
                result[employee][f'{category}:{code}'] = amount
                if category in {'pretax', 'posttax'}:
                    result[employee][code] += amount
        return result

    @classmethod
    def compute_employee(cls, run, employee, config, tables, types,
            by_code, hours, ytd, balances, workweek):
        """Return the values of the employee's slip, lines, deposits and
        leave, or None when the employee earned nothing in the period"""
        name = employee.rec_name
        rate = cls.employee_rate(run, employee)
        try:
            earnings = paycheck.earnings(
                pay_type=employee.pay_type, flsa=employee.flsa_status,
                rate=rate.rate, schedule=run.schedule, hours=hours,
                types=types, period_start=workweek)
            if not earnings:
                # no hours, no pay: no slip (and no deductions)
                return
            slip = paycheck.gross_to_net(
                earnings=earnings, tables=tables, schedule=run.schedule,
                w4=slip_builder.w4(employee), de4=slip_builder.de4(employee),
                retirement=slip_builder.retirement(
                    employee.retirement_plan, tables['limits'],
                    config.section_218),
                enrollments=slip_builder.enrollments(
                    employee.enrollments, run.pay_date, tables['limits'],
                    ytd),
                section_218=bool(config.section_218),
                sdi_elected=bool(config.sdi_elected), ytd=ytd)
            entries = slip_builder.leave_entries(
                employee, earnings, balances, run.period_end,
                new_year=not ytd.get('slips'))
        except paycheck.PaycheckError as error:
            raise PaySlipError(gettext(
                    'agency_payroll.msg_paycheck_%s' % error.reason,
                    employee=name, run=run.rec_name,
                    **{k: str(v) for k, v in error.values.items()}))
        except slip_builder.Missing as missing:
            raise PaySlipError(gettext(
                    f'agency_payroll.{missing.message}', employee=name,
                    year=run.pay_date.year, **missing.values))
        return {
            'slip': slip_builder.slip_row(run, employee, rate.rate, slip,
                slip_builder.worked_hours(earnings)),
            'lines': slip_builder.lines(slip, employee, by_code),
            'deposits': slip_builder.deposits(
                slip.net, employee.deposit_accounts),
            'entries': entries,
            }

    @classmethod
    def employee_rate(cls, run, employee):
        """The employee's pay rate at the end of the run's period, refusing
        an employee whose payroll fields are not filled in"""
        name = employee.rec_name
        rate = employee.rate_on(run.period_end)
        if rate is None:
            raise PaySlipError(gettext(
                    'agency_payroll.msg_employee_no_rate',
                    employee=name, date=run.period_end))
        for field in ['department', 'pay_type', 'flsa_status',
                'w4_filing_status', 'de4_filing_status']:
            if not getattr(employee, field):
                raise PaySlipError(gettext(
                        'agency_payroll.msg_employee_field_missing',
                        employee=name,
                        field=employee.fields_get([field])[field]['string']))
        return rate

    # -- posting -------------------------------------------------------

    @classmethod
    def posting(cls, slips):
        """Return {(account, party, description): signed amount} of the
        slips' journal entry: wages by department and earning type,
        employer costs by department, liabilities by tax, deduction and
        plan, net pay payable"""
        pool = Pool()
        Configuration = pool.get('payroll.configuration')
        config = Configuration(1)
        result = defaultdict(Decimal)
        for line in cls.posting_lines(slips):
            department = line.department
            if line.category == 'earning':
                account = department.wage_account_for(line.earning_type)
                result[(account, None,
                        f'{department.code} {line.name}')] += line.amount
                continue
            if line.category == 'net':
                result[(config.require('net_pay_account'), None,
                        gettext('agency_payroll.msg_net_pay'))] -= (
                    line.amount)
                continue
            if line.kind == 'retirement':
                plan = line.retirement_plan
                liability = (plan.account, plan.payee, plan.name)
            elif line.deduction_type:
                type_ = line.deduction_type
                liability = (type_.account, type_.payee, type_.name)
            else:
                liability = (config.require(TAX_ACCOUNTS[line.kind]),
                    config.edd if line.kind in {
                        'state_income_tax', 'sdi'} else config.irs,
                    line.name)
            result[liability] -= line.amount
            if line.category == 'employer':
                result[(department.benefit_account, None,
                        f'{department.code} {line.name} '
                        '(employer)')] += line.amount
        return result

    @classmethod
    def posting_lines(cls, slips):
        """Return the slips' lines summed by department and item, and
        their net pay by department (category 'net'), read set-wise: a
        run of hundreds of slips has a few dozen"""
        pool = Pool()
        SlipLine = pool.get('payroll.slip.line')
        Department = pool.get('payroll.department')
        EarningType = pool.get('payroll.earning.type')
        DeductionType = pool.get('payroll.deduction.type')
        Plan = pool.get('payroll.retirement.plan')
        slip = cls.__table__()
        line = SlipLine.__table__()
        cursor = Transaction().connection.cursor()
        rows = defaultdict(Decimal)
        columns = [slip.department, line.category, line.kind, line.name,
            line.earning_type, line.deduction_type, line.retirement_plan]
        for sub in grouped_slice([s.id for s in slips]):
            sub = list(sub)
            cursor.execute(*line.join(slip,
                    condition=line.slip == slip.id).select(
                    *columns, Sum(line.amount),
                    where=reduce_ids(slip.id, sub),
                    group_by=columns))
            for *key, amount in cursor:
                rows[tuple(key)] += Decimal(str(amount))
            cursor.execute(*slip.select(
                    slip.department, Sum(slip.net),
                    where=reduce_ids(slip.id, sub),
                    group_by=[slip.department]))
            for department, amount in cursor:
                rows[(department, 'net', '', '', None, None, None)] += (
                    Decimal(str(amount)))
        records = {}
        for Model, index in [(Department, 0), (EarningType, 4),
                (DeductionType, 5), (Plan, 6)]:
            ids = {k[index] for k in rows if k[index] is not None}
            records[index] = {r.id: r for r in Model.browse(list(ids))}
        return [PostingLine(
                department=records[0][department], category=category,
                kind=kind, name=name,
                earning_type=records[4].get(earning_type),
                deduction_type=records[5].get(deduction_type),
                retirement_plan=records[6].get(plan),
                amount=amount.quantize(Decimal('0.01')))
            for (department, category, kind, name, earning_type,
                deduction_type, plan), amount in sorted(
                rows.items(), key=lambda r: [str(v) for v in r[0]])]

    @classmethod
    @ModelView.button
    @Workflow.transition('void')
    def void(cls, slips):
        """Void the slips: reverse their part of the run's entry (and of
        its payment when paid) and open a correction run to reissue them"""
        pool = Pool()
        Move = pool.get('account.move')
        Run = pool.get('payroll.run')
        Date = pool.get('ir.date')
        Configuration = pool.get('payroll.configuration')
        config = Configuration(1)
        today = Date.today()
        moves, runs = [], []
        for slip in slips:
            text = gettext('agency_payroll.msg_void_description',
                slip=slip.rec_name)
            postings = {k: -v for k, v in cls.posting([slip]).items()}
            if slip.run.state == 'paid':
                # the deposit or check is taken back too
                postings[(config.net_pay_account, None, text)] = -slip.net
                postings[(config.bank_account, None, text)] = slip.net
            # never before the entry it reverses
            date = max(today, slip.run.pay_date)
            move = slip.run.get_move(postings, date, text, origin=slip)
            moves.append(move)
            slip.void_move = move
            runs.append(Run(
                    company=slip.run.company,
                    name=gettext('agency_payroll.msg_reissue_name',
                        slip=slip.rec_name),
                    kind='correction', schedule=slip.run.schedule,
                    period_start=slip.run.period_start,
                    period_end=slip.run.period_end,
                    pay_date=max(today, slip.run.pay_date),
                    employees=[slip.employee]))
        Move.save(moves)
        Move.post(moves)
        cls.save(slips)
        Run.save(runs)

    # -- reports -------------------------------------------------------

    def leave_balances(self):
        "[(plan, balance)] after this slip"
        Entry = Pool().get('payroll.leave.entry')
        balances = Entry.balances([self.employee.id], date=self.run.period_end)
        return [(p, balances.get((self.employee.id, p.id), ZERO))
            for p in self.employee.leave_plans]

    def year_to_date_lines(self):
        "{(category, code): amount} of the year through this slip"
        ytd = self.year_to_date(self.run, [self.employee.id]).get(
            self.employee.id, {})
        result = defaultdict(Decimal)
        for key, amount in ytd.items():
            if ':' in key:
                result[tuple(key.split(':', 1))] += amount
        if self.state == 'done':
            for line in self.lines:
                result[(line.category, line.code)] += line.amount
        return result


class SlipLine(PayrollLineSealed, ModelSQL, ModelView):
    "An earning, deduction, tax or employer cost of a pay slip"
    __name__ = 'payroll.slip.line'
    slip = fields.Many2One(
        'payroll.slip', "Slip", required=True, ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    category = fields.Selection([
            ('earning', "Earning"),
            ('pretax', "Pre-Tax Deduction"),
            ('tax', "Tax"),
            ('posttax', "After-Tax Deduction"),
            ('employer', "Employer Cost"),
            ], "Category", required=True)
    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True)
    kind = fields.Char("Kind")
    hours = fields.Numeric("Hours", digits=(8, 2))
    rate = fields.Numeric("Rate", digits=(16, 5))
    base = fields.Numeric("Base", **MONEY)
    amount = fields.Numeric("Amount", required=True, **MONEY)
    earning_type = fields.Many2One('payroll.earning.type', "Earning Type")
    deduction_type = fields.Many2One(
        'payroll.deduction.type', "Deduction Type")
    retirement_plan = fields.Many2One(
        'payroll.retirement.plan', "CalPERS Plan")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('slip', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]


class SlipDeposit(PayrollLineSealed, ModelSQL, ModelView):
    "The part of a slip's net pay deposited to one account"
    __name__ = 'payroll.slip.deposit'
    slip = fields.Many2One(
        'payroll.slip', "Slip", required=True, ondelete='CASCADE')
    routing = fields.Char("Routing Number", required=True)
    number = fields.Char("Account Number", required=True)
    kind = fields.Selection([
            ('checking', "Checking"),
            ('savings', "Savings"),
            ], "Type", required=True)
    amount = fields.Numeric("Amount", required=True, **MONEY)
