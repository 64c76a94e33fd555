# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .. import leave, withholding
from ..exceptions import PayrollError, PayrollWarning, SickLeavePlanError
from .employee import approving_employee
from .sealed import PayrollSealed, SealedWithSlip


class LeavePlan(ModelSQL, ModelView):
    "How a kind of leave accrues: per hour worked, per period or up front"
    __name__ = 'payroll.leave.plan'
    name = fields.Char("Name", required=True)
    earning_type = fields.Many2One(
        'payroll.earning.type', "Earning Type", required=True,
        domain=[('kind', '=', 'leave')],
        help="How hours of this leave are entered and paid.")
    method = fields.Selection([
            ('per_hour', "Per Hour Worked"),
            ('per_period', "Per Pay Period by Years of Service"),
            ('front_load', "Front-Loaded Each Year"),
            ], "Accrual", required=True)
    rate_per_hour = fields.Numeric(
        "Hours per Hour Worked", digits=(6, 4),
        states={'invisible': Eval('method') != 'per_hour',
            'required': Eval('method') == 'per_hour'},
        help="1/30 = 0.0333 is California's paid sick leave minimum.")
    tiers = fields.One2Many(
        'payroll.leave.plan.tier', 'plan', "Tiers",
        states={'invisible': Eval('method') != 'per_period'})
    front_load_hours = fields.Numeric(
        "Hours Each Year", digits=(6, 2),
        states={'invisible': Eval('method') != 'front_load',
            'required': Eval('method') == 'front_load'})
    cap = fields.Numeric(
        "Cap", digits=(6, 2),
        help="The balance accrues no further above this; empty for none.")
    carry_over = fields.Numeric(
        "Carry-Over", digits=(6, 2),
        states={'invisible': Eval('method') == 'front_load'},
        help="Hours kept into a new year; empty for all.")
    california_sick = fields.Boolean(
        "California Paid Sick Leave",
        help="Checked against the minimums of Labor Code 246.")
    schedule = fields.Selection([
            ('weekly', "Weekly"),
            ('biweekly', "Biweekly"),
            ('semi_monthly', "Semi-Monthly"),
            ('monthly', "Monthly"),
            ], "Pay Schedule", required=True,
        help="Used to check a per-period accrual against the yearly "
        "minimum.")

    @classmethod
    def default_method(cls):
        return 'per_hour'

    @classmethod
    def default_schedule(cls):
        return 'biweekly'

    def plain(self):
        return leave.Plan(
            method=self.method,
            rate_per_hour=self.rate_per_hour or Decimal(0),
            tiers=[(t.years, t.hours) for t in self.tiers],
            front_load_hours=self.front_load_hours or Decimal(0),
            cap=self.cap, carry_over=self.carry_over,
            california_sick=self.california_sick)

    @classmethod
    def validate(cls, plans):
        super().validate(plans)
        for plan in plans:
            if not plan.california_sick:
                continue
            reason = leave.sick_leave_shortfall(
                plan.plain(), withholding.PERIODS[plan.schedule])
            if reason:
                raise SickLeavePlanError(gettext(
                        'agency_payroll.msg_sick_leave_%s' % reason,
                        plan=plan.rec_name))


class LeavePlanTier(ModelSQL, ModelView):
    "Hours accrued per pay period from a number of years of service"
    __name__ = 'payroll.leave.plan.tier'
    plan = fields.Many2One(
        'payroll.leave.plan', "Plan", required=True, ondelete='CASCADE')
    years = fields.Integer("From Years of Service", required=True,
        domain=[('years', '>=', 0)])
    hours = fields.Numeric("Hours per Period", digits=(6, 4), required=True,
        domain=[('hours', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('years', 'ASC'))


class LeaveEntry(SealedWithSlip, ModelSQL, ModelView):
    "A change to an employee's leave balance"
    __name__ = 'payroll.leave.entry'
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    plan = fields.Many2One('payroll.leave.plan', "Plan", required=True)
    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('opening', "Opening Balance"),
            ('accrual', "Accrual"),
            ('front_load', "Front-Load"),
            ('taken', "Taken"),
            ('forfeit', "Over Carry-Over"),
            ('adjustment', "Adjustment"),
            ], "Kind", required=True)
    hours = fields.Numeric("Hours", digits=(8, 4), required=True)
    slip = fields.Many2One(
        'payroll.slip', "Pay Slip", readonly=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))

    @classmethod
    def balances(cls, employee_ids, date=None, exclude_run=None):
        """Return {(employee id, plan id): hours} counting entries of
        manual adjustments and of slips that are not void or in a draft
        run, up to `date`"""
        pool = Pool()
        Slip = pool.get('payroll.slip')
        Run = pool.get('payroll.run')
        entry = cls.__table__()
        slip = Slip.__table__()
        run = Run.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        query = entry.join(slip, 'LEFT', condition=entry.slip == slip.id
            ).join(run, 'LEFT', condition=slip.run == run.id)
        for sub in grouped_slice(employee_ids):
            where = (reduce_ids(entry.employee, sub)
                & ((entry.slip == None)
                    | ((slip.state != 'void')
                        & (run.state != 'draft'))))
            if date:
                where &= entry.date <= date
            if exclude_run:
                where &= (run.id == None) | (run.id != exclude_run)
            cursor.execute(*query.select(
                    entry.employee, entry.plan, Sum(entry.hours),
                    where=where, group_by=[entry.employee, entry.plan]))
            for employee, plan, hours in cursor:
                # SQLite sums as a float: back to the entries' 4 decimals
                result[(employee, plan)] = Decimal(str(hours or 0)).quantize(
                    leave.HOUR)
        return result


class LeaveRequest(PayrollSealed, Workflow, ModelSQL, ModelView):
    "An employee's request for leave, approved by a supervisor"
    __name__ = 'payroll.leave.request'
    # Requested, it is what the supervisor decides on.
    _sealed_states = frozenset({'requested', 'approved', 'refused'})
    _workflow_fields = frozenset({'state', 'approved_by'})
    _states = {'readonly': Eval('state') != 'draft'}
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, states=_states)
    plan = fields.Many2One(
        'payroll.leave.plan', "Leave", required=True, states=_states)
    start_date = fields.Date("From", required=True, states=_states)
    end_date = fields.Date(
        "To", required=True, states=_states,
        domain=[('end_date', '>=', Eval('start_date', None))])
    hours_per_day = fields.Numeric(
        "Hours per Day", digits=(4, 2), required=True, states=_states,
        domain=[('hours_per_day', '>', 0), ('hours_per_day', '<=', 24)])
    hours = fields.Function(
        fields.Numeric("Hours", digits=(6, 2)), 'on_change_with_hours')
    reason = fields.Char("Reason", states=_states)
    approved_by = fields.Many2One(
        'company.employee', "Approved By", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'refused'),
            ('requested', 'draft'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_hours_per_day(cls):
        return Decimal(8)

    @fields.depends('start_date', 'end_date', 'hours_per_day')
    def on_change_with_hours(self, name=None):
        return (Decimal(len(self.days())) * (self.hours_per_day or 0)
            ).quantize(Decimal('0.01'))

    def days(self):
        "The working days (Monday to Friday) of the request"
        if not self.start_date or not self.end_date:
            return []
        days = []
        day = self.start_date
        while day <= self.end_date:
            if day.weekday() < 5:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, requests):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, requests):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, requests):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, requests):
        """Approve the requests: their hours become approved timesheet
        lines of the leave's earning type, paid and taken from the balance
        by the pay run of their dates"""
        pool = Pool()
        Line = pool.get('timesheet.line')
        Entry = pool.get('payroll.leave.entry')
        Configuration = pool.get('payroll.configuration')
        Warning = pool.get('res.user.warning')
        config = Configuration(1)
        if not config.timesheet_work:
            raise PayrollError(gettext(
                    'agency_payroll.msg_leave_work_missing'))
        balances = Entry.balances([r.employee.id for r in requests])
        approver = approving_employee()
        lines = []
        for request in requests:
            if request.employee == approver:
                raise PayrollError(gettext(
                        'agency_payroll.msg_approve_own_leave',
                        employee=approver.rec_name))
            balance = balances.get((request.employee.id, request.plan.id),
                Decimal(0))
            if request.hours > balance:
                key = Warning.format('leave_over_balance', [request])
                if Warning.check(key):
                    raise PayrollWarning(key, gettext(
                            'agency_payroll.msg_leave_over_balance',
                            employee=request.employee.rec_name,
                            plan=request.plan.rec_name,
                            hours=request.hours, balance=balance))
            for day in request.days():
                lines.append(Line(
                        company=request.employee.company,
                        employee=request.employee,
                        date=day,
                        duration=dt.timedelta(
                            hours=float(request.hours_per_day)),
                        work=config.timesheet_work,
                        earning_type=request.plan.earning_type,
                        description=request.reason or request.plan.name,
                        approved_by=approver))
        Line.save(lines)
        cls.write(requests, {'approved_by': approver.id})
