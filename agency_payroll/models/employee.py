# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields, sequence_ordered
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from ..exceptions import (
    DepositSplitError, PayRateError, PayrollError, RoutingNumberError)
from ..nacha import valid_routing

SCHEDULES = [
    ('weekly', "Weekly"),
    ('biweekly', "Biweekly"),
    ('semi_monthly', "Semi-Monthly"),
    ('monthly', "Monthly"),
    ]
W4_STATUSES = [
    ('single', "Single or Married filing separately"),
    ('married_jointly', "Married filing jointly"),
    ('head_of_household', "Head of household"),
    ]
DE4_STATUSES = [
    ('single', "Single or Married (with two or more incomes)"),
    ('married', "Married (one income)"),
    ('head_of_household', "Head of household"),
    ]


def approving_employee():
    "The employee of the user approving, or refuse: approvals are signed"
    User = Pool().get('res.user')
    employee = User(Transaction().user).employee
    if not employee:
        raise PayrollError(gettext('agency_payroll.msg_approver_no_employee'))
    return employee


class Department(ModelSQL, ModelView):
    "A department or fund the agency's wages are charged to"
    __name__ = 'payroll.department'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    wage_account = fields.Many2One(
        'account.account', "Wage Expense", required=True,
        domain=[('type.expense', '=', True), ('closed', '!=', True)],
        help="Charged with the department's wages unless an earning type "
        "has its own account below.")
    benefit_account = fields.Many2One(
        'account.account', "Benefit Expense", required=True,
        domain=[('type.expense', '=', True), ('closed', '!=', True)],
        help="Charged with the employer's costs: pension, Medicare, "
        "Social Security, health contributions.")
    accounts = fields.One2Many(
        'payroll.department.account', 'department', "Accounts by Earning")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'agency_payroll.msg_department_code_unique'),
            ]

    def get_rec_name(self, name):
        return f'{self.code} - {self.name}'

    def wage_account_for(self, earning_type):
        for line in self.accounts:
            if line.earning_type == earning_type:
                return line.account
        return self.wage_account


class DepartmentAccount(ModelSQL, ModelView):
    "The account an earning type is charged to in a department"
    __name__ = 'payroll.department.account'
    department = fields.Many2One(
        'payroll.department', "Department", required=True,
        ondelete='CASCADE')
    earning_type = fields.Many2One(
        'payroll.earning.type', "Earning Type", required=True)
    account = fields.Many2One(
        'account.account', "Account", required=True,
        domain=[('type.expense', '=', True), ('closed', '!=', True)])


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    number = fields.Char(
        "Employee Number", readonly=True,
        help="The agency's number for the employee, printed on pay stubs; "
        "given on creation by the sequence of the payroll configuration.")
    position = fields.Char("Position")
    department = fields.Many2One('payroll.department', "Department")
    pay_type = fields.Selection([
            (None, ""),
            ('hourly', "Hourly"),
            ('salaried', "Salaried"),
            ], "Pay Type")
    pay_schedule = fields.Selection(
        [(None, "")] + SCHEDULES, "Pay Schedule")
    flsa_status = fields.Selection([
            (None, ""),
            ('non_exempt', "Non-Exempt"),
            ('exempt', "Exempt"),
            ], "FLSA Status",
        help="Non-exempt staff are paid overtime on hours worked over 40 "
        "in a workweek.")
    pay_rates = fields.One2Many(
        'payroll.pay.rate', 'employee', "Pay Rates",
        help="Hourly rate or annual salary, by effective date.")
    w4_filing_status = fields.Selection(
        [(None, "")] + W4_STATUSES, "W-4 Filing Status")
    w4_step2 = fields.Boolean(
        "W-4 Step 2 Checked",
        help="Multiple jobs or spouse works: the higher withholding "
        "schedules apply.")
    w4_step3 = fields.Numeric(
        "W-4 Step 3 Credits", digits=(16, 2),
        domain=['OR', ('w4_step3', '=', None), ('w4_step3', '>=', 0)],
        help="Annual dependent credits.")
    w4_step4a = fields.Numeric(
        "W-4 Step 4(a) Other Income", digits=(16, 2),
        domain=['OR', ('w4_step4a', '=', None), ('w4_step4a', '>=', 0)])
    w4_step4b = fields.Numeric(
        "W-4 Step 4(b) Deductions", digits=(16, 2),
        domain=['OR', ('w4_step4b', '=', None), ('w4_step4b', '>=', 0)])
    w4_step4c = fields.Numeric(
        "W-4 Step 4(c) Extra Withholding", digits=(16, 2),
        domain=['OR', ('w4_step4c', '=', None), ('w4_step4c', '>=', 0)],
        help="Per pay period.")
    de4_filing_status = fields.Selection(
        [(None, "")] + DE4_STATUSES, "DE 4 Filing Status")
    de4_allowances = fields.Integer(
        "DE 4 Allowances",
        domain=['OR', ('de4_allowances', '=', None),
            ('de4_allowances', '>=', 0)])
    de4_additional_allowances = fields.Integer(
        "DE 4 Estimated Deduction Allowances",
        domain=['OR', ('de4_additional_allowances', '=', None),
            ('de4_additional_allowances', '>=', 0)])
    retirement_plan = fields.Many2One(
        'payroll.retirement.plan', "CalPERS Plan")
    enrollments = fields.One2Many(
        'payroll.enrollment', 'employee', "Benefits and Deductions")
    deposit_accounts = fields.One2Many(
        'payroll.deposit.account', 'employee', "Direct Deposit")
    leave_plans = fields.Many2Many(
        'payroll.employee-leave.plan', 'employee', 'plan', "Leave Plans")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'agency_payroll.msg_employee_number_unique'),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('payroll.configuration')
        values = super().preprocess_values(mode, values)
        # a number typed by hand (or copied) would break the sequence
        if mode == 'create' and (
                not values.get('number') or Transaction().check_access):
            with without_check_access():
                sequence = Configuration(1).employee_sequence
            values['number'] = sequence.get() if sequence else None
        return values

    @classmethod
    def copy(cls, employees, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        return super().copy(employees, default=default)

    def rate_on(self, date):
        "Return the pay rate effective on `date`, or None"
        rates = [r for r in self.pay_rates if r.effective_date <= date]
        if rates:
            return max(rates, key=lambda r: r.effective_date)


class EmployeeLeavePlan(ModelSQL):
    "Leave plan of an employee"
    __name__ = 'payroll.employee-leave.plan'
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    plan = fields.Many2One(
        'payroll.leave.plan', "Plan", required=True, ondelete='CASCADE')


class PayRate(ModelSQL, ModelView):
    "An employee's hourly rate or annual salary from a date"
    __name__ = 'payroll.pay.rate'
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    effective_date = fields.Date("Effective Date", required=True)
    rate = fields.Numeric(
        "Rate", digits=(16, 4), required=True,
        help="Per hour for hourly staff, per year for salaried staff.")
    reason = fields.Char("Reason", help="Step increase, COLA, promotion...")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('effective_date', 'DESC'))
        t = cls.__table__()
        cls._sql_constraints = [
            ('employee_date_unique',
                Unique(t, t.employee, t.effective_date),
                'agency_payroll.msg_pay_rate_date_unique'),
            ]

    @classmethod
    def validate_fields(cls, rates, field_names):
        super().validate_fields(rates, field_names)
        for rate in rates:
            if rate.rate is not None and rate.rate <= 0:
                raise PayRateError(gettext(
                        'agency_payroll.msg_pay_rate_positive',
                        employee=rate.employee.rec_name,
                        date=rate.effective_date))


class DepositAccount(sequence_ordered(), ModelSQL, ModelView):
    "A bank account an employee's net pay is deposited to"
    __name__ = 'payroll.deposit.account'
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    routing = fields.Char(
        "Routing Number", size=9, required=True, strip=True)
    number = fields.Char("Account Number", size=17, required=True,
        strip=True)
    kind = fields.Selection([
            ('checking', "Checking"),
            ('savings', "Savings"),
            ], "Type", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2),
        domain=['OR', ('amount', '=', None), ('amount', '>', 0)],
        help="A fixed amount each payday; empty for the rest of net pay.")

    @classmethod
    def default_kind(cls):
        return 'checking'

    @classmethod
    def validate_fields(cls, accounts, field_names):
        super().validate_fields(accounts, field_names)
        for account in accounts:
            if not valid_routing(account.routing):
                raise RoutingNumberError(gettext(
                        'agency_payroll.msg_routing_check_digit',
                        routing=account.routing,
                        employee=account.employee.rec_name))

    @classmethod
    def validate(cls, accounts):
        super().validate(accounts)
        for employee in {a.employee for a in accounts}:
            rest = [a for a in employee.deposit_accounts if a.amount is None]
            if len(rest) > 1:
                raise DepositSplitError(gettext(
                        'agency_payroll.msg_deposit_one_remainder',
                        employee=employee.rec_name))

    def get_rec_name(self, name):
        return f'{self.routing} ****{self.number[-4:]}'
