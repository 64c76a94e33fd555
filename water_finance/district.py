# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A district's purchasing set-up, through proteus as an administrator
would enter it: each office user an employee of a department (so a
requisition knows who asks and approvals are signed), the purchasing
authorities of the district's policy, and Tryton's requisition groups for
those who ask and those who approve.  Used by the demo and the
scenarios; the departments are payroll's (agency_payroll)."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

# login -> (department code, position) of the employee the user signs as
SIGNERS = {
    'clerk': ('ADM', "Customer Service/Accounts Specialist"),
    'billing': ('ADM', "Billing Clerk"),
    'finance': ('ADM', "Finance Manager"),
    'approver': ('OPS', "Operations Superintendent"),
    'field': ('OPS', "Field Crew Lead"),
    'manager': ('ADM', "General Manager"),
    }
# The purchasing policy: (level, department code or None, login, limit)
AUTHORITIES = [
    ('department', 'OPS', 'approver', Decimal('5000.00')),
    ('department', 'ADM', 'finance', Decimal('2500.00')),
    ('general_manager', None, 'manager', Decimal('25000.00')),
    ]
# Tryton's groups: who asks for purchases, who approves them
ASK = ['clerk', 'billing', 'finance', 'approver', 'field', 'manager']
APPROVE = ['finance', 'approver', 'manager']


def setup_purchasing(company, departments, config=None):
    """Set the district's purchasing up, once: `departments` are payroll's
    by code; return the users by login"""
    config = config or get_config()
    users = sign_as_employees(company, departments, config=config)
    create_authorities(company, departments, users, config=config)
    grant_groups(users, config=config)
    return users


def sign_as_employees(company, departments, config=None):
    """Give each office user of SIGNERS an employee (a new one if the user
    has none) in the user's department"""
    User = Model.get('res.user', config=config)
    Employee = Model.get('company.employee', config=config)
    Party = Model.get('party.party', config=config)
    Department = Model.get('payroll.department', config=config)
    users = {}
    for login, (code, position) in SIGNERS.items():
        user, = User.find([('login', '=', login)])
        employee = user.employee
        if not employee:
            party = Party(name=user.name)
            party.save()
            employee = Employee(party=party, company=company,
                start_date=dt.date(2015, 1, 5))
        if not employee.department:
            employee.department = Department(departments[code].id)
        if not employee.position:
            employee.position = position
        employee.save()
        if not user.employee:
            user.employees.append(Employee(employee.id))
            user.employee = Employee(employee.id)
            user.save()
        users[login] = user
    return users


def create_authorities(company, departments, users, config=None):
    Authority = Model.get('water.purchase.authority', config=config)
    Department = Model.get('payroll.department', config=config)
    Employee = Model.get('company.employee', config=config)
    Authority.save([Authority(
                company=company, level=level,
                department=Department(departments[code].id) if code else None,
                approver=Employee(users[login].employee.id), limit=limit)
            for level, code, login, limit in AUTHORITIES])


def grant_groups(users, config=None):
    config = config or get_config()
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    ask = Group(ModelData.get_id('purchase_requisition',
            'group_purchase_requisition', config.context))
    approve = Group(ModelData.get_id('purchase_requisition',
            'group_purchase_requisition_approval', config.context))
    for login, user in users.items():
        if login in ASK:
            user.groups.append(Group(ask.id))
        if login in APPROVE:
            user.groups.append(Group(approve.id))
        user.save()
