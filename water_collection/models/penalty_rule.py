# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's penalty rule, effective-dated as its rate schedules are:
the parts of penalty_rules.PenaltyRule, and the product (with its revenue
account) the penalties are invoiced through.  One rule is in force a day;
a rule a posted penalty run used keeps its terms (a new rule takes over
from a date instead)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .. import penalty_rules
from ..exceptions import PenaltyRuleError

# What may change on a rule a posted run used: its name and its end
USED_WRITABLE = {'name', 'end_date'}


class PenaltyRule(ModelSQL, ModelView):
    "A penalty (late charge) rule of the district, in force between dates"
    __name__ = 'water.collection.penalty.rule'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    current_percent = fields.Numeric(
        "Percent of Current Charges", digits=(16, 4), required=True,
        domain=[('current_percent', '>=', 0)],
        help="Charged once on the current charges of a bill still unpaid "
        "after its due date and the grace days.")
    monthly_percent = fields.Numeric(
        "Monthly Percent of Past Due", digits=(16, 4), required=True,
        domain=[('monthly_percent', '>=', 0)],
        help="Charged each month on the balance carried from earlier "
        "bills.")
    flat_fee = fields.Numeric(
        "Flat Fee", digits=(16, 2), required=True,
        domain=[('flat_fee', '>=', 0)])
    grace_days = fields.Integer(
        "Grace Days", required=True, domain=[('grace_days', '>=', 0)],
        help="Days after the due date before a bill is penalized.")
    minimum_balance = fields.Numeric(
        "Minimum Balance", digits=(16, 2), required=True,
        domain=[('minimum_balance', '>=', 0)],
        help="An unpaid balance up to this is not penalized.")
    maximum = fields.Numeric(
        "Maximum", digits=(16, 2),
        domain=[If(Bool(Eval('maximum')), ('maximum', '>=', 0), ())],
        help="The most one penalty may be; empty for no maximum.")
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends=['company'],
        help="The service product the penalties are invoiced through: "
        "its revenue account is the penalty revenue.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_current_percent():
        return Decimal(0)

    @staticmethod
    def default_monthly_percent():
        return Decimal(0)

    @staticmethod
    def default_flat_fee():
        return Decimal(0)

    @staticmethod
    def default_grace_days():
        return 0

    @staticmethod
    def default_minimum_balance():
        return Decimal(0)

    def plain(self):
        "The rule as penalty_rules computes with it"
        return penalty_rules.PenaltyRule(
            current_percent=self.current_percent,
            monthly_percent=self.monthly_percent,
            flat_fee=self.flat_fee, grace_days=self.grace_days,
            minimum_balance=self.minimum_balance, maximum=self.maximum)

    @classmethod
    def in_force(cls, date, company_id=None):
        "The rule in force on `date`, or None"
        company_id = company_id or Transaction().context.get('company')
        rules = cls.search([
                ('company', '=', company_id),
                ('start_date', '<=', date),
                ['OR', ('end_date', '=', None), ('end_date', '>=', date)],
                ], limit=1)
        return rules[0] if rules else None

    @classmethod
    def validate_fields(cls, rules, field_names):
        super().validate_fields(rules, field_names)
        if field_names is None or field_names & {
                'start_date', 'end_date', 'company'}:
            cls.check_overlap(rules)

    @classmethod
    def check_overlap(cls, rules):
        "Refuse a rule in force on a day another rule is"
        for rule in rules:
            domain = [
                ('company', '=', rule.company.id),
                ('id', '!=', rule.id),
                ['OR', ('end_date', '=', None),
                    ('end_date', '>=', rule.start_date)],
                ]
            if rule.end_date:
                domain.append(('start_date', '<=', rule.end_date))
            others = cls.search(domain, limit=1)
            if others:
                raise PenaltyRuleError(gettext(
                        'water_collection.msg_penalty_rule_overlap',
                        rule=rule.rec_name, other=others[0].rec_name))

    @classmethod
    def check_modification(cls, mode, rules, values=None, external=False):
        super().check_modification(
            mode, rules, values=values, external=external)
        if mode == 'write' and not (set(values) - USED_WRITABLE):
            return
        if mode in {'write', 'delete'}:
            Line = Pool().get('water.collection.penalty.line')
            used = Line.search([
                    ('run.rule', 'in', [r.id for r in rules]),
                    ('run.state', '=', 'posted'),
                    ], limit=1)
            if used:
                raise AccessError(gettext(
                        'water_collection.msg_penalty_rule_used',
                        rule=used[0].run.rule.rec_name))
