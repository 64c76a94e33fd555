# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's purchasing authorities: who approves requisitions, up to
what amount.  A department's manager approves the department's
requisitions up to the department's limit; the General Manager any
department's up to the General Manager's limit; above that the Board of
Directors, whose action (meeting date and minute order) the General
Manager records.  Finance keeps the table; everyone who asks or approves
reads it."""

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pyson import Eval
from trytond.transaction import Transaction

from ..approval_rules import LEVEL_NAMES
from ..exceptions import AuthorityError


class Authority(ModelSQL, ModelView):
    "Who approves purchase requisitions, and up to what total"
    __name__ = 'water.purchase.authority'
    company = fields.Many2One('company.company', "Company", required=True)
    # the levels an employee holds: the Board is no employee
    level = fields.Selection(
        [(l, LEVEL_NAMES[l]) for l in ['department', 'general_manager']],
        "Level", required=True)
    department = fields.Many2One('payroll.department', "Department",
        states={
            'required': Eval('level') == 'department',
            'invisible': Eval('level') != 'department',
            },
        help="The department whose requisitions its manager approves.")
    approver = fields.Many2One('company.employee', "Approver", required=True,
        domain=[('company', '=', Eval('company', -1))])
    limit = Monetary("Limit", currency='currency', digits='currency',
        required=True,
        help="The largest requisition total this approver may approve "
        "(inclusive); above it the next level approves.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('level', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_level(cls):
        return 'department'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    def get_rec_name(self, name):
        level = LEVEL_NAMES[self.level]
        if self.department:
            level = f'{level}, {self.department.rec_name}'
        return f'{self.approver.rec_name} ({level})'

    @classmethod
    def validate_fields(cls, authorities, field_names):
        super().validate_fields(authorities, field_names)
        for authority in authorities:
            if authority.limit is not None and authority.limit < 0:
                raise AuthorityError(gettext(
                        'water_finance.msg_authority_limit_negative',
                        authority=authority.rec_name))
            if (authority.level == 'general_manager'
                    and authority.department):
                raise AuthorityError(gettext(
                        'water_finance.msg_authority_general_department',
                        authority=authority.rec_name))
            if cls.search([
                        ('id', '!=', authority.id),
                        ('company', '=', authority.company.id),
                        ('level', '=', authority.level),
                        ('department', '=', authority.department.id
                            if authority.department else None),
                        ], limit=1):
                raise AuthorityError(gettext(
                        'water_finance.msg_authority_unique',
                        authority=authority.rec_name))

    @classmethod
    def limits(cls, company, department):
        """The (department limit, general manager limit) of `department`
        of `company`: None where the table has no such authority"""
        department_limit = general_limit = None
        for authority in cls.search([
                    ('company', '=', company.id),
                    ['OR',
                        ('level', '=', 'general_manager'),
                        ('department', '=',
                            department.id if department else None),
                        ],
                    ]):
            if authority.level == 'department':
                department_limit = authority.limit
            else:
                general_limit = authority.limit
        return department_limit, general_limit

    @classmethod
    def held(cls, employee, company, department):
        "The levels `employee` holds over `department`'s requisitions"
        levels = set()
        for authority in cls.search([
                    ('company', '=', company.id),
                    ('approver', '=', employee.id),
                    ]):
            if (authority.level == 'general_manager'
                    or authority.department == department):
                levels.add(authority.level)
        return levels

