# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo agency's payroll: its set-up, a dozen employees with the
approved hours of the year's pay periods, the year's earlier pay runs
approved, posted and paid (so that stubs show a year to date), and the
last period's run computed and waiting for the finance manager's
approval.  Built through the client (proteus) into a database where the
company, its fiscal years and the office's users exist."""
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


def year_periods(today):
    """The biweekly periods paid in the year of the last period's pay
    date, up to that last period: [(start, end, pay date)], oldest first"""
    periods = [last_period(today)]
    while True:
        start, _, pay_date = periods[0]
        start -= dt.timedelta(days=14)
        end = start + dt.timedelta(days=13)
        if start < FIRST_PERIOD or (end + PAY_LAG).year != pay_date.year:
            return periods
        periods.insert(0, (start, end, end + PAY_LAG))


def build_payroll(company, today, log=print, config=None, earlier=None):
    """Set the demo agency's payroll up, pay the year's earlier periods
    (the last `earlier` of them, if given) and compute its last period's
    run"""
    log("payroll: accounts, earning types, CalPERS plans, leave plans")
    agency = setup_agency(company, config=config)
    # A demo figure: a district enters the year's limit from CalPERS'
    # circular letter (the shipped tax tables do not hold it).
    pepra = agency['plans']['PERS-P']
    pepra.compensation_limit = DEMO_PEPRA_LIMIT
    pepra.save()
    periods = year_periods(today)
    if earlier is not None:
        periods = periods[-(earlier + 1):]
    first, last = periods[0][0], periods[-1][1]
    log(f"payroll: {len(STAFF)} employees and their hours of "
        f"{first:%m/%d} to {last:%m/%d}")
    employees = create_employees(company, agency, first, config=config)
    set_up_users(employees, config=config)
    enter_hours(employees, agency, periods, config=config)
    Run = Model.get('payroll.run', config=config)
    TaxTable = Model.get('payroll.tax.table', config=config)
    User = Model.get('res.user', config=config)
    runs = [Run(
            name=f"{pay_date.year}-"
            f"{(start - FIRST_PERIOD).days // 14 + 1:02d} Biweekly",
            schedule='biweekly', period_start=start, period_end=end,
            pay_date=pay_date)
        for start, end, pay_date in periods]
    *earlier, run = runs
    year = run.pay_date.year
    if not TaxTable.find([('year', '=', year)]):
        run.save()
        log(f"payroll: no tax tables for {year}: run {run.name!r} "
            "left in draft")
        return run
    Run.save(runs)
    # One run after the other: each one's withholding and limits count
    # the year's wages paid before it.  The finance manager approves.
    finance, = User.find([('login', '=', 'finance')])
    for past in earlier:
        past.click('compute')
        set_user(finance, config=config)
        try:
            Run(past.id).click('approve')
        finally:
            set_user(1, config=config)
        Run(past.id).click('post')
    if earlier:
        Run.click([Run(r.id) for r in earlier], 'pay')
        log(f"payroll: {len(earlier)} earlier runs of {year} "
            "approved, posted and paid")
    run.click('compute')
    log(f"payroll: run {run.name!r} computed, waiting for approval")
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


def enter_hours(employees, agency, periods, config=None):
    """Enter and approve the hourly staff's hours of `periods`: eight
    hours a weekday, some nine, and a weekend of standby for some"""
    Line = Model.get('timesheet.line', config=config)
    standby = agency['earning_types']['STBY'].id
    work = agency['work'].id
    lines = []
    # k = 0: the last period, the run waiting for approval
    for k, (start, _, _) in enumerate(reversed(periods)):
        for i, employee in enumerate(employees):
            if employee.pay_type != 'hourly':
                continue
            for offset in range(14):
                day = start + dt.timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                hours = 9 if (i + offset + k) % 5 == 0 else 8
                lines.append({'employee': employee.id, 'date': day,
                        'work': work, 'duration': dt.timedelta(hours=hours)})
            if (i + k) % 2 == 0:
                lines.append({'employee': employee.id, 'date': start,
                        'work': work, 'duration': dt.timedelta(hours=16),
                        'earning_type': standby})
    # Created as the import of a time clock file would, without the form's
    # on-changes of each line, a hundred at a time: trytond's checks on a
    # list of records grow with the square of its length.
    chunks = [Line._proxy.create(lines[i:i + 100], Line._config.context)
        for i in range(0, len(lines), 100)]
    # The general manager, every employee's supervisor, approves them.
    User = Model.get('res.user', config=config)
    manager, = User.find([('login', '=', 'manager')])
    set_user(manager, config=config)
    try:
        for ids in chunks:
            Line._proxy.approve_time(ids, Line._config.context)
    finally:
        set_user(1, config=config)
