# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A pay slip's values built from an employee's records, in plain steps:
the inputs of the gross-to-net (retirement plan, enrollments, W-4 and
DE 4), the slip's lines, its bank deposits, its leave entries and its own
row.  No database: the records are read as plain attributes, so each step
is tested with plain objects (tests/test_slip_builder.py); the arithmetic
itself is in paycheck.py and leave.py.

A step that finds the employee's records incomplete raises `Missing`,
with the name of the message the pay run shows and its values."""
from decimal import Decimal

from . import leave, paycheck

ZERO = Decimal(0)
WORKED_KINDS = {'regular', 'overtime', 'callback'}


class Missing(Exception):
    "The employee's records lack what the slip needs"

    def __init__(self, message, **values):
        super().__init__(message)
        self.message = message
        self.values = values


def retirement(plan, limits, section_218):
    """The paycheck.Retirement of the employee's `plan` (None without
    one); a PEPRA plan's compensation limit is the plan's own, else the
    year's (`limits`) for an agency with or without Social Security"""
    if not plan:
        return None
    limit = None
    if plan.formula == 'pepra':
        limit = plan.compensation_limit or limits.get(
            'pepra_compensation_limit' if section_218
            else 'pepra_compensation_limit_no_social_security')
        if limit is None:
            raise Missing('msg_pepra_limit_missing', plan=plan.rec_name)
    return paycheck.Retirement(
        plan.code, plan.name, plan.member_rate, plan.employer_rate, limit)


def enrollments(records, pay_date, limits, ytd):
    """The paycheck.Enrollment of each of the employee's enrollments
    active on `pay_date`: a 457(b) plan's annual limit is the year's
    unless its type sets one, and a balance owed (a loan, a garnishment's
    total) is less what was deducted this year"""
    result = []
    for enrollment in records:
        if not enrollment.active_on(pay_date):
            continue
        type_ = enrollment.type
        limit = type_.annual_limit
        if limit is None and type_.kind == 'deferred_457b':
            limit = limits['deferred_compensation_457b']
        balance = enrollment.balance
        if balance is not None:
            balance -= ytd.get(f'posttax:{type_.code}', ZERO)
        result.append(paycheck.Enrollment(
                code=type_.code, name=type_.name, kind=type_.kind,
                amount=enrollment.amount,
                percent=enrollment.percent or ZERO,
                employer_amount=enrollment.employer_amount or ZERO,
                annual_limit=limit,
                garnishment_percent=enrollment.garnishment_percent,
                balance=balance))
    return result


def w4(employee):
    "The employee's federal W-4 as paycheck.gross_to_net reads it"
    return {
        'filing_status': employee.w4_filing_status,
        'step2': bool(employee.w4_step2),
        'step3': employee.w4_step3 or ZERO,
        'step4a': employee.w4_step4a or ZERO,
        'step4b': employee.w4_step4b or ZERO,
        'step4c': employee.w4_step4c or ZERO,
        }


def de4(employee):
    "The employee's California DE 4 as paycheck.gross_to_net reads it"
    return {
        'filing_status': employee.de4_filing_status,
        'allowances': employee.de4_allowances or 0,
        'additional_allowances': employee.de4_additional_allowances or 0,
        }


def lines(slip, employee, earning_types):
    """The rows of the slip's lines, each linked to what it pays: its
    earning type (`earning_types` by code), the retirement plan or the
    deduction type"""
    deduction_types = {e.type.code: e.type for e in employee.enrollments}
    result = []
    for sequence, line in enumerate(slip.lines):
        values = {
            'sequence': sequence,
            'category': line.category, 'code': line.code,
            'name': line.name, 'kind': line.kind,
            'amount': line.amount, 'base': line.base,
            'hours': line.hours, 'rate': line.rate,
            }
        if line.category == 'earning':
            values['earning_type'] = earning_types[line.code].id
        elif line.kind == 'retirement':
            values['retirement_plan'] = employee.retirement_plan.id
        elif line.code in deduction_types:
            values['deduction_type'] = deduction_types[line.code].id
        result.append(values)
    return result


def deposits(net, accounts):
    "The rows of the net pay's split over the employee's deposit accounts"
    return [{
            'routing': account.routing, 'number': account.number,
            'kind': account.kind, 'amount': amount,
            } for account, amount in paycheck.split_deposits(
            net, [(a, a.amount) for a in accounts])]


def worked_hours(earnings):
    "The hours worked (leave and pay without work aside)"
    return sum((e.hours for e in earnings if e.kind in WORKED_KINDS), ZERO)


def leave_entries(employee, earnings, balances, period_end, new_year):
    """The rows of the leave taken in `earnings` and accrued for the
    period, per leave plan of the employee; `balances` are the hours
    {(employee id, plan id): hours} before the run"""
    plan_types = {p.earning_type.code for p in employee.leave_plans}
    for earning in earnings:
        if earning.kind == 'leave' and earning.code not in plan_types:
            raise Missing('msg_leave_plan_missing', leave=earning.name)
    worked = worked_hours(earnings)
    service = 0
    if employee.start_date:
        service = (period_end - employee.start_date).days // 365
    entries = []
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
                    'date': period_end, 'kind': kind, 'hours': change})
    return entries


def slip_row(run, employee, rate, slip, worked):
    "The slip's own row: its totals and the wages each tax is on"
    wages = slip.wages
    return {
        'run': run.id, 'employee': employee.id,
        'department': employee.department.id,
        'rate': rate, 'gross': slip.gross,
        'pretax': slip.total('pretax'), 'taxes': slip.total('tax'),
        'posttax': slip.total('posttax'), 'net': slip.net,
        'employer_cost': slip.total('employer'),
        'income_tax_wages': wages.get('income_tax', ZERO),
        'medicare_wages': wages.get('medicare', ZERO),
        'social_security_wages': wages.get('social_security', ZERO),
        'sdi_wages': wages.get('sdi', ZERO),
        'pensionable_wages': wages.get('pensionable', ZERO),
        'worked_hours': worked,
        }
