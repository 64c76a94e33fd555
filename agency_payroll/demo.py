# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo agency's payroll: its set-up, a dozen employees with a pay
period of approved hours, and the period's pay run computed and waiting
for the finance manager's approval.  Built through the client (proteus)
into a database where the company and its fiscal years exist."""
import datetime as dt
import random
from decimal import Decimal

from proteus import Model
from trytond.tests.tools import set_user

from .agency import setup_agency

# The first biweekly period of the agency's calendar starts on this Sunday.
FIRST_PERIOD = dt.date(2026, 1, 4)
PAY_LAG = dt.timedelta(days=6)
# (name, position, department, pay type, FLSA, rate, CalPERS plan)
STAFF = [
    ("Maria Lopez", "Water Operator II", 'OPS', 'hourly', 'non_exempt',
        '32.50', 'PERS-C'),
    ("Daniel Kim", "Water Operator I", 'OPS', 'hourly', 'non_exempt',
        '28.75', 'PERS-P'),
    ("Rosa Alvarez", "Utility Worker", 'OPS', 'hourly', 'non_exempt',
        '24.10', 'PERS-P'),
    ("Tom Becker", "Distribution Lead", 'OPS', 'hourly', 'non_exempt',
        '38.20', 'PERS-C'),
    ("Priya Natarajan", "Meter Reader", 'OPS', 'hourly', 'non_exempt',
        '23.40', 'PERS-P'),
    ("Sam O'Neill", "Mechanic", 'OPS', 'hourly', 'non_exempt', '34.00',
        'PERS-C'),
    ("James Chen", "Account Clerk", 'ADM', 'salaried', 'exempt', '58500',
        'PERS-P'),
    ("Helen Ward", "Customer Service Specialist", 'ADM', 'salaried',
        'exempt', '61200', 'PERS-C'),
    ("Frank Moreno", "Finance Manager", 'ADM', 'salaried', 'exempt',
        '112000', 'PERS-C'),
    ("Diane Walsh", "General Manager", 'ADM', 'salaried', 'exempt', '168000',
        'PERS-C'),
    ("Omar Haddad", "Engineering Technician", 'OPS', 'salaried', 'exempt',
        '79500', 'PERS-P'),
    ("Lena Fischer", "Office Assistant", 'ADM', 'hourly', 'non_exempt',
        '22.80', 'PERS-P'),
    ]
# The employee (index in STAFF) each of the district's users signs as:
# the finance manager and the general manager, every one's supervisor
SIGNS_AS = {'finance': 8, 'manager': 9}
DEMO_PEPRA_LIMIT = Decimal('191675.00')
ROUTINGS = ['121000358', '322271627', '121042882', '011000015']
# Tryton's groups the demo's payroll clerk and finance manager need
PAYROLL_GROUPS = {
    'payroll': [('agency_payroll', 'group_payroll'),
        ('agency_payroll', 'group_payroll_admin'),
        ('company', 'group_employee_admin'), ('party', 'group_party_admin'),
        ('account', 'group_account'), ('timesheet', 'group_timesheet_admin')],
    'finance': [('agency_payroll', 'group_payroll_approval')],
    'manager': [('agency_payroll', 'group_time_approval'),
        ('timesheet', 'group_timesheet_admin')],
    }


def last_period(today):
    "The last biweekly period ended before `today`: (start, end, pay date)"
    periods = (today - FIRST_PERIOD).days // 14
    start = FIRST_PERIOD + dt.timedelta(days=14 * (periods - 1))
    end = start + dt.timedelta(days=13)
    return start, end, end + PAY_LAG


def build_payroll(company, today, log=print, config=None):
    "Set the demo agency's payroll up and compute its last period's run"
    log("payroll: accounts, earning types, CalPERS plans, leave plans")
    agency = setup_agency(company, config=config)
    # A demo figure: a district enters the year's limit from CalPERS'
    # circular letter (the shipped tax tables do not hold it).
    pepra = agency['plans']['PERS-P']
    pepra.compensation_limit = DEMO_PEPRA_LIMIT
    pepra.save()
    start, end, pay_date = last_period(today)
    log(f"payroll: {len(STAFF)} employees and their hours of "
        f"{start:%m/%d} to {end:%m/%d}")
    employees = create_employees(company, agency, start, config=config)
    set_up_users(employees, config=config)
    enter_hours(employees, agency, start, config=config)
    Run = Model.get('payroll.run', config=config)
    TaxTable = Model.get('payroll.tax.table', config=config)
    run = Run(
        name=f"{pay_date.year}-{(start - FIRST_PERIOD).days // 14 + 1:02d} "
        "Biweekly", schedule='biweekly', period_start=start,
        period_end=end, pay_date=pay_date)
    run.save()
    if TaxTable.find([('year', '=', pay_date.year)]):
        run.click('compute')
        log(f"payroll: run {run.name!r} computed, waiting for approval")
    else:
        log(f"payroll: no tax tables for {pay_date.year}: run "
            f"{run.name!r} left in draft")
    return run


def set_up_users(employees, config=None):
    """Give the district's users their payroll groups, and link those who
    approve to their employee records: their approvals are signed by them"""
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Employee = Model.get('company.employee', config=config)
    for login, refs in PAYROLL_GROUPS.items():
        for user in User.find([('login', '=', login)]):
            for module, xml_id in refs:
                user.groups.append(Group(ModelData.get_id(module, xml_id,
                            config.context if config else {})))
            if login in SIGNS_AS:
                employee = Employee(employees[SIGNS_AS[login]].id)
                user.employees.append(employee)
                user.employee = employee
            user.save()


def create_employees(company, agency, start, config=None):
    Employee = Model.get('company.employee', config=config)
    Party = Model.get('party.party', config=config)
    LeavePlan = Model.get('payroll.leave.plan', config=config)
    rng = random.Random(2026)
    sick, vacation = (agency['leave_plans'][k] for k in ['sick', 'vacation'])
    employees = []
    for i, (name, position, department, pay_type, flsa, rate, plan) in \
            enumerate(STAFF):
        party = Party(name=name)
        party.save()
        hired = dt.date(2008 + i, 1 + (i * 5) % 12, 6)
        employee = Employee(party=party, company=company, start_date=hired)
        employee.position = position
        employee.department = agency['departments'][department]
        employee.pay_type = pay_type
        employee.pay_schedule = 'biweekly'
        employee.flsa_status = flsa
        employee.pay_rates.new(
            effective_date=dt.date(2025, 7, 1), rate=Decimal(rate))
        employee.w4_filing_status = rng.choice(
            ['single', 'married_jointly', 'head_of_household'])
        employee.de4_filing_status = {
            'married_jointly': 'married'}.get(
            employee.w4_filing_status, employee.w4_filing_status)
        employee.de4_allowances = rng.randint(0, 3)
        employee.retirement_plan = agency['plans'][plan]
        deductions = agency['deductions']
        if i % 3 != 2:
            employee.enrollments.new(
                type=deductions['MED'], amount=Decimal('145.00'),
                employer_amount=Decimal('850.00'),
                start_date=dt.date(2024, 1, 1))
        if i % 2 == 0:
            employee.enrollments.new(
                type=deductions['457'], amount=Decimal(50 + 25 * i),
                start_date=dt.date(2024, 1, 1))
        if department == 'OPS':
            employee.enrollments.new(
                type=deductions['DUES'], amount=Decimal('24.00'),
                start_date=dt.date(2024, 1, 1))
        if i != 1:  # one of them is paid by check
            employee.deposit_accounts.new(
                routing=ROUTINGS[i % len(ROUTINGS)],
                number=f'{rng.randrange(10**7, 10**10)}', kind='checking')
        employee.leave_plans.extend([
                LeavePlan(sick.id), LeavePlan(vacation.id)])
        employee.save()
        employees.append(employee)
        Entry = Model.get('payroll.leave.entry', config=config)
        for plan, hours in [(sick, 40 + 4 * i), (vacation, 60 + 6 * i)]:
            Entry(employee=employee, plan=LeavePlan(plan.id),
                date=start - dt.timedelta(days=1), kind='opening',
                hours=Decimal(hours)).save()
    return employees


def enter_hours(employees, agency, start, config=None):
    "Enter and approve the period's hours of the hourly staff"
    Line = Model.get('timesheet.line', config=config)
    types = agency['earning_types']
    lines = []
    for i, employee in enumerate(employees):
        if employee.pay_type != 'hourly':
            continue
        for offset in range(14):
            day = start + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            hours = 9 if (i + offset) % 5 == 0 else 8
            lines.append(Line(employee=employee, date=day,
                    work=agency['work'],
                    duration=dt.timedelta(hours=hours)))
        if i % 2 == 0:
            lines.append(Line(employee=employee, date=start, work=agency['work'],
                    duration=dt.timedelta(hours=16),
                    earning_type=types['STBY']))
    Line.save(lines)
    # The general manager, every employee's supervisor, approves them.
    User = Model.get('res.user', config=config)
    manager, = User.find([('login', '=', 'manager')])
    set_user(manager, config=config)
    try:
        Line.click([Line(l.id) for l in lines], 'approve_time')
    finally:
        set_user(1, config=config)
