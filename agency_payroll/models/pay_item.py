# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval

_liability = [('type', '!=', None), ('closed', '!=', True)]
DEDUCTION_KINDS = [
    ('deferred_457b', "457(b) Deferred Compensation (pre-tax)"),
    ('section_125', "Section 125 Premium (pre-tax)"),
    ('after_tax', "After-Tax Deduction"),
    ('garnishment', "Garnishment"),
    ]


class EarningType(ModelSQL, ModelView):
    "A kind of pay: regular, overtime, holiday, standby, call-back, leave"
    __name__ = 'payroll.earning.type'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    kind = fields.Selection([
            ('regular', "Regular (hours worked)"),
            ('overtime', "Overtime (computed)"),
            ('holiday', "Holiday"),
            ('standby', "Standby / On-Call"),
            ('callback', "Call-Back (hours worked)"),
            ('leave', "Leave Taken"),
            ], "Kind", required=True,
        help="Regular and call-back hours are hours worked for FLSA "
        "overtime; overtime is computed by the pay run, never entered.")
    multiplier = fields.Numeric(
        "Multiplier", digits=(4, 2), required=True,
        help="Of the employee's base rate.")
    flat_rate = fields.Numeric(
        "Flat Rate", digits=(16, 4),
        help="Per hour instead of the base rate (standby pay).")
    minimum_hours = fields.Numeric(
        "Minimum Hours", digits=(4, 2),
        help="Paid at least this many hours per entry (call-back).")
    pensionable = fields.Boolean(
        "CalPERS Reportable",
        help="Counts as compensation earnable for CalPERS.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'agency_payroll.msg_earning_type_code_unique'),
            ]

    @classmethod
    def default_multiplier(cls):
        return 1

    @classmethod
    def default_pensionable(cls):
        return True


class RetirementPlan(ModelSQL, ModelView):
    "A CalPERS plan: its formula and contribution rates"
    __name__ = 'payroll.retirement.plan'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    formula = fields.Selection([
            ('classic', "Classic"),
            ('pepra', "PEPRA"),
            ], "Member Type", required=True,
        help="PEPRA members' pensionable pay is capped by the year's "
        "compensation limit.")
    member_rate = fields.Numeric(
        "Member Rate", digits=(6, 5), required=True,
        help="Employee contribution, picked up under 414(h)(2): before "
        "income taxes, subject to Medicare.")
    employer_rate = fields.Numeric(
        "Employer Rate", digits=(6, 5), required=True)
    compensation_limit = fields.Numeric(
        "Compensation Limit", digits=(16, 2),
        states={'invisible': Eval('formula') != 'pepra'},
        help="The year's PEPRA pensionable compensation limit from the "
        "CalPERS circular letter, when the year's tax tables lack it.")
    account = fields.Many2One(
        'account.account', "Payable Account", required=True,
        domain=_liability)
    payee = fields.Many2One('party.party', "Payee", required=True)


class DeductionType(ModelSQL, ModelView):
    "A benefit or deduction an employee can be enrolled in"
    __name__ = 'payroll.deduction.type'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    kind = fields.Selection(DEDUCTION_KINDS, "Kind", required=True)
    annual_limit = fields.Numeric(
        "Annual Limit", digits=(16, 2),
        help="Withheld no further in a calendar year (the 457(b) elective "
        "deferral limit); empty for none.")
    account = fields.Many2One(
        'account.account', "Payable Account", required=True,
        domain=_liability)
    payee = fields.Many2One('party.party', "Payee", required=True,
        help="Who the withheld amounts are remitted to.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'agency_payroll.msg_deduction_type_code_unique'),
            ]


class Enrollment(ModelSQL, ModelView):
    "An employee's benefit or deduction election"
    __name__ = 'payroll.enrollment'
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
    type = fields.Many2One('payroll.deduction.type', "Type", required=True)
    kind = fields.Function(fields.Selection(
            DEDUCTION_KINDS, "Kind"), 'on_change_with_kind')
    amount = fields.Numeric(
        "Amount per Period", digits=(16, 2), required=True,
        domain=[('amount', '>=', 0)])
    percent = fields.Numeric(
        "Percent of Gross", digits=(6, 4),
        domain=['OR', ('percent', '=', None), ('percent', '>=', 0)])
    employer_amount = fields.Numeric(
        "Employer Contribution", digits=(16, 2),
        domain=['OR', ('employer_amount', '=', None),
            ('employer_amount', '>=', 0)],
        help="Per period, paid by the agency (health contribution).")
    garnishment_percent = fields.Numeric(
        "Limit (Share of Disposable Earnings)", digits=(6, 4),
        states={'invisible': Eval('kind') != 'garnishment'},
        help="California limits most earnings withholding orders to 20% "
        "of disposable earnings (CCP 706.050).")
    balance = fields.Numeric(
        "Balance Owed", digits=(16, 2),
        states={'invisible': Eval('kind') != 'garnishment'},
        help="Withholding stops when the order's balance is paid.")
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        domain=['OR', ('end_date', '=', None),
            ('end_date', '>=', Eval('start_date', None))])

    @fields.depends('type')
    def on_change_with_kind(self, name=None):
        return self.type.kind if self.type else None

    @classmethod
    def default_amount(cls):
        return 0

    def active_on(self, date):
        return self.start_date <= date and (
            not self.end_date or self.end_date >= date)
