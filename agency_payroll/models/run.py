# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sql.aggregate import Count, Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .. import leave, nacha, paycheck
from ..exceptions import PayrollError, PayrollWarning, PaySlipError
from .employee import SCHEDULES, approving_employee
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
RUN_STATES = ['draft', 'computed', 'approved', 'posted', 'paid']
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


class Run(PayrollSealed, Workflow, ModelSQL, ModelView):
    "A pay run: the slips of one pay date, from hours to posted entry"
    __name__ = 'payroll.run'
    # Approved, the run is the register the finance manager signed: it
    # changes only by voiding a slip (which opens a correction run).
    _sealed_states = frozenset({'approved', 'posted', 'paid'})
    _workflow_fields = frozenset({
            'state', 'computed_by', 'approved_by', 'posted_by', 'move',
            'payment_move', 'ach_file', 'ach_filename'})
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    name = fields.Char("Name", required=True, states=_states)
    kind = fields.Selection([
            ('regular', "Regular"),
            ('correction', "Correction"),
            ], "Kind", required=True, states=_states,
        help="A correction run reissues voided slips.")
    schedule = fields.Selection(
        SCHEDULES, "Pay Schedule", required=True, states=_states)
    period_start = fields.Date("Period Start", required=True, states=_states)
    period_end = fields.Date(
        "Period End", required=True, states=_states,
        domain=[('period_end', '>=', Eval('period_start', None))])
    pay_date = fields.Date("Pay Date", required=True, states=_states)
    employees = fields.Many2Many(
        'payroll.run-company.employee', 'run', 'employee',
        "Only Employees", states=_states,
        help="Empty for every employee on the pay schedule.")
    slips = fields.One2Many('payroll.slip', 'run', "Slips", readonly=True)
    move = fields.Many2One('account.move', "Journal Entry", readonly=True)
    payment_move = fields.Many2One(
        'account.move', "Payment Entry", readonly=True)
    ach_file = fields.Binary(
        "Direct-Deposit File", filename='ach_filename', readonly=True)
    ach_filename = fields.Char("File Name", readonly=True)
    computed_by = employee_field("Computed By", states=RUN_STATES)
    approved_by = employee_field("Approved By", states=RUN_STATES)
    posted_by = employee_field("Posted By", states=RUN_STATES)
    gross = fields.Function(fields.Numeric("Gross", **MONEY), 'get_totals')
    net = fields.Function(fields.Numeric("Net", **MONEY), 'get_totals')
    employer_cost = fields.Function(
        fields.Numeric("Employer Costs", **MONEY), 'get_totals')
    slip_count = fields.Function(fields.Integer("Slips"), 'get_totals')
    state = fields.Selection([
            ('draft', "Draft"),
            ('computed', "Computed"),
            ('approved', "Approved"),
            ('posted', "Posted"),
            ('paid', "Paid"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('pay_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'computed'),
            ('computed', 'computed'),
            ('computed', 'draft'),
            ('computed', 'approved'),
            ('approved', 'computed'),
            ('approved', 'posted'),
            ('posted', 'paid'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'compute': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'pay': {
                    'invisible': Eval('state') != 'posted',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'regular'

    @classmethod
    def default_schedule(cls):
        return 'biweekly'

    @classmethod
    def get_totals(cls, runs, names):
        pool = Pool()
        Slip = pool.get('payroll.slip')
        slip = Slip.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {r.id: None if n != 'slip_count' else 0 for r in runs}
            for n in names}
        for sub in grouped_slice(runs):
            cursor.execute(*slip.select(
                    slip.run, Sum(slip.gross), Sum(slip.net),
                    Sum(slip.employer_cost), Count(slip.id),
                    where=reduce_ids(slip.run, [r.id for r in sub])
                    & (slip.state == 'done'),
                    group_by=[slip.run]))
            for run_id, gross, net, employer, count in cursor:
                values = {
                    'gross': gross, 'net': net, 'employer_cost': employer,
                    'slip_count': count}
                for name in names:
                    value = values[name]
                    if name != 'slip_count' and value is not None:
                        value = Decimal(str(value)).quantize(
                            Decimal('0.01'))
                    result[name][run_id] = value
        return result

    @classmethod
    def delete(cls, runs):
        Slip = Pool().get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])
        super().delete(runs)

    @staticmethod
    def _employee():
        User = Pool().get('res.user')
        employee = User(Transaction().user).employee
        return employee.id if employee else None

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        Slip = Pool().get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def compute(cls, runs):
        "Compute every slip of the runs again from hours, rates and elections"
        pool = Pool()
        Slip = pool.get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])
        for run in runs:
            Slip.compute_run(run)
        cls.write(runs, {'computed_by': cls._employee()})

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, runs):
        for run in runs:
            if not run.slips:
                raise PayrollError(gettext(
                        'agency_payroll.msg_run_empty', run=run.rec_name))
        # The approval is the control over the run: it is signed, and
        # not by whoever computed it.
        approver = approving_employee()
        for run in runs:
            if run.computed_by == approver:
                raise PayrollError(gettext(
                        'agency_payroll.msg_approve_own_run',
                        run=run.rec_name, employee=approver.rec_name))
        cls.write(runs, {'approved_by': approver.id})

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def reject(cls, runs):
        cls.write(runs, {'approved_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, runs):
        "Post one journal entry per run"
        pool = Pool()
        Move = pool.get('account.move')
        Slip = pool.get('payroll.slip')
        moves = []
        for run in runs:
            slips = [s for s in run.slips if s.state == 'done']
            moves.append(run.get_move(
                    Slip.posting(slips), run.pay_date,
                    gettext('agency_payroll.msg_move_description',
                        run=run.rec_name)))
        Move.save(moves)
        Move.post(moves)
        for run, move in zip(runs, moves):
            run.move = move
            run.posted_by = cls._employee()
        cls.save(runs)

    def get_move(self, postings, date, description, origin=None):
        "Return an unsaved move of `postings` {(account, party, text): amount}"
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        Configuration = pool.get('payroll.configuration')
        config = Configuration(1)
        journal = config.require('journal')
        lines = []
        for (account, party, text), amount in sorted(
                postings.items(),
                key=lambda i: (-(i[1] > 0), i[0][0].code or '', i[0][2])):
            if not amount:
                continue
            line = MoveLine(
                account=account, description=text,
                debit=amount if amount > 0 else ZERO,
                credit=-amount if amount < 0 else ZERO)
            if account.party_required:
                line.party = party
            lines.append(line)
        balance = sum(l.debit - l.credit for l in lines)
        if balance:
            raise PayrollError(gettext(
                    'agency_payroll.msg_move_unbalanced',
                    run=self.rec_name, balance=balance))
        return Move(
            company=self.company, journal=journal,
            period=Period.find(self.company, date=date), date=date,
            description=description, origin=origin or self, lines=lines)

    @classmethod
    @ModelView.button
    @Workflow.transition('paid')
    def pay(cls, runs):
        """Pay the runs: one entry moving net pay to the bank, the
        direct-deposit file for the bank and check numbers for the rest"""
        pool = Pool()
        Configuration = pool.get('payroll.configuration')
        Move = pool.get('account.move')
        Slip = pool.get('payroll.slip')
        config = Configuration(1)
        for name in ['net_pay_account', 'bank_account']:
            config.require(name)
        moves = []
        for run in runs:
            slips = [s for s in run.slips if s.state == 'done']
            net = sum((s.net for s in slips), ZERO)
            text = gettext('agency_payroll.msg_payment_description',
                run=run.rec_name)
            moves.append(run.get_move({
                        (config.net_pay_account, None, text): net,
                        (config.bank_account, None, text): -net,
                        }, run.pay_date, text))
            deposits = []
            for slip in slips:
                if slip.deposits:
                    for deposit in slip.deposits:
                        deposits.append(nacha.Deposit(
                                routing=deposit.routing,
                                account=deposit.number,
                                amount=deposit.amount,
                                name=slip.employee.party.name,
                                identification=str(slip.employee.id),
                                savings=deposit.kind == 'savings'))
                elif slip.net:
                    slip.check_number = str(config.next_check_number)
                    config.next_check_number += 1
            if deposits:
                run.ach_file = run.ach_text(config, deposits).encode('ascii')
                run.ach_filename = f'payroll-{run.pay_date:%Y%m%d}.ach'
            Slip.save(slips)
        config.save()
        Move.save(moves)
        Move.post(moves)
        for run, move in zip(runs, moves):
            run.payment_move = move
        cls.save(runs)

    def ach_text(self, config, deposits):
        for name in ['ach_destination', 'ach_origin', 'ach_company_id',
                'ach_odfi']:
            config.require(name)
        try:
            return nacha.ppd_file(
                deposits,
                destination_routing=config.ach_destination,
                destination_name=config.ach_destination_name or '',
                origin_id=config.ach_origin,
                origin_name=config.ach_origin_name
                or self.company.party.name,
                company_name=self.company.party.name,
                company_id=config.ach_company_id,
                odfi_routing=config.ach_odfi,
                effective_date=self.pay_date,
                created=dt.datetime.combine(
                    Pool().get('ir.date').today(), dt.time(0, 0)))
        except nacha.NachaError as exception:
            raise PayrollError(gettext(
                    'agency_payroll.msg_ach_refused',
                    run=self.rec_name, reason=str(exception)))


class RunEmployee(ModelSQL):
    "Employee of a pay run"
    __name__ = 'payroll.run-company.employee'
    run = fields.Many2One(
        'payroll.run', "Run", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['payroll.run', 'payroll.slip']


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
        try:
            earnings = paycheck.earnings(
                pay_type=employee.pay_type, flsa=employee.flsa_status,
                rate=rate.rate, schedule=run.schedule, hours=hours,
                types=types, period_start=workweek)
            if not earnings:
                # no hours, no pay: no slip (and no deductions)
                return
            retirement = None
            plan = employee.retirement_plan
            if plan:
                limit = None
                if plan.formula == 'pepra':
                    limit = plan.compensation_limit or tables['limits'].get(
                        'pepra_compensation_limit'
                        if config.section_218 else
                        'pepra_compensation_limit_no_social_security')
                    if limit is None:
                        raise PaySlipError(gettext(
                                'agency_payroll.msg_pepra_limit_missing',
                                plan=plan.rec_name, year=run.pay_date.year,
                                employee=name))
                retirement = paycheck.Retirement(
                    plan.code, plan.name, plan.member_rate,
                    plan.employer_rate, limit)
            enrollments = []
            for enrollment in employee.enrollments:
                if not enrollment.active_on(run.pay_date):
                    continue
                type_ = enrollment.type
                limit = type_.annual_limit
                if limit is None and type_.kind == 'deferred_457b':
                    limit = tables['limits']['deferred_compensation_457b']
                balance = enrollment.balance
                if balance is not None:
                    balance -= ytd.get(f'posttax:{type_.code}', ZERO)
                enrollments.append(paycheck.Enrollment(
                        code=type_.code, name=type_.name, kind=type_.kind,
                        amount=enrollment.amount,
                        percent=enrollment.percent or ZERO,
                        employer_amount=enrollment.employer_amount or ZERO,
                        annual_limit=limit,
                        garnishment_percent=enrollment.garnishment_percent,
                        balance=balance))
            slip = paycheck.gross_to_net(
                earnings=earnings, tables=tables, schedule=run.schedule,
                w4={
                    'filing_status': employee.w4_filing_status,
                    'step2': bool(employee.w4_step2),
                    'step3': employee.w4_step3 or ZERO,
                    'step4a': employee.w4_step4a or ZERO,
                    'step4b': employee.w4_step4b or ZERO,
                    'step4c': employee.w4_step4c or ZERO,
                    },
                de4={
                    'filing_status': employee.de4_filing_status,
                    'allowances': employee.de4_allowances or 0,
                    'additional_allowances': (
                        employee.de4_additional_allowances or 0),
                    },
                retirement=retirement, enrollments=enrollments,
                section_218=bool(config.section_218),
                sdi_elected=bool(config.sdi_elected), ytd=ytd)
        except paycheck.PaycheckError as error:
            raise PaySlipError(gettext(
                    'agency_payroll.msg_paycheck_%s' % error.reason,
                    employee=name, run=run.rec_name,
                    **{k: str(v) for k, v in error.values.items()}))

        deduction_types = {e.type.code: e.type for e in employee.enrollments}
        lines = []
        for sequence, line in enumerate(slip.lines):
            values = {
                'sequence': sequence,
                'category': line.category, 'code': line.code,
                'name': line.name, 'kind': line.kind,
                'amount': line.amount, 'base': line.base,
                'hours': line.hours, 'rate': line.rate,
                }
            if line.category == 'earning':
                values['earning_type'] = by_code[line.code].id
            elif line.kind == 'retirement':
                values['retirement_plan'] = employee.retirement_plan.id
            elif line.code in deduction_types:
                values['deduction_type'] = deduction_types[line.code].id
            lines.append(values)

        deposits = []
        accounts = [(a, a.amount) for a in employee.deposit_accounts]
        for account, amount in paycheck.split_deposits(slip.net, accounts):
            deposits.append({
                    'routing': account.routing, 'number': account.number,
                    'kind': account.kind, 'amount': amount,
                    })

        worked = sum((e.hours for e in earnings
                if e.kind in {'regular', 'overtime', 'callback'}), ZERO)
        entries = []
        new_year = not ytd.get('slips')
        service = 0
        if employee.start_date:
            service = (run.period_end - employee.start_date).days // 365
        plan_types = {p.earning_type.code for p in employee.leave_plans}
        for earning in earnings:
            if earning.kind == 'leave' and earning.code not in plan_types:
                raise PaySlipError(gettext(
                        'agency_payroll.msg_leave_plan_missing',
                        employee=name, leave=earning.name))
        for plan in employee.leave_plans:
            balance = balances.get((employee.id, plan.id), ZERO)
            taken = sum((e.hours for e in earnings
                    if e.code == plan.earning_type.code), ZERO)
            changes = [('taken', -taken)] if taken else []
            changes += leave.accrue(
                plan.plain(), balance=balance - taken, worked_hours=worked,
                years_of_service=service, new_year=new_year)
            for kind, change in changes:
                entries.append({
                        'employee': employee.id, 'plan': plan.id,
                        'date': run.period_end, 'kind': kind,
                        'hours': change})

        wages = slip.wages
        return {
            'slip': {
                'run': run.id, 'employee': employee.id,
                'department': employee.department.id,
                'rate': rate.rate, 'gross': slip.gross,
                'pretax': slip.total('pretax'), 'taxes': slip.total('tax'),
                'posttax': slip.total('posttax'), 'net': slip.net,
                'employer_cost': slip.total('employer'),
                'income_tax_wages': wages.get('income_tax', ZERO),
                'medicare_wages': wages.get('medicare', ZERO),
                'social_security_wages': wages.get(
                    'social_security', ZERO),
                'sdi_wages': wages.get('sdi', ZERO),
                'pensionable_wages': wages.get('pensionable', ZERO),
                'worked_hours': worked,
                },
            'lines': lines, 'deposits': deposits, 'entries': entries,
            }

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
