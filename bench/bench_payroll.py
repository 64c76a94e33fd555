#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Compute and post a biweekly pay run of EMPLOYEES more employees.

    .venv/bin/python bench/bench_payroll.py [--employees 500]
        [--db-uri postgresql:///] [--reuse]

Builds the small demo district (its payroll set up, a dozen employees),
adds EMPLOYEES employees like them (hourly operators with standby and
overtime, salaried clerks; CalPERS classic and PEPRA; 457(b), medical,
dues; direct deposit) and their approved hours of the next pay period
(outside the timing), then times, as the buttons do: Compute (every slip
from hours to net, leave accruals, deposits), Approve and Post (the one
journal entry), rolled back; and prints slips per second."""
import argparse
import datetime as dt
import random
import time
from decimal import Decimal

from district import district, district_options

DATABASE = 'water_bench_payroll'
TARGET_SECONDS = 30


def prepare(pool, employees):
    """Add `employees` employees and their approved hours of the period
    after the demo's run; return that period"""
    from agency_payroll.demo import ROUTINGS
    from trytond.transaction import Transaction

    Employee = pool.get('company.employee')
    Party = pool.get('party.party')
    Run = pool.get('payroll.run')
    Department = pool.get('payroll.department')
    Plan = pool.get('payroll.retirement.plan')
    DeductionType = pool.get('payroll.deduction.type')
    LeavePlan = pool.get('payroll.leave.plan')
    EarningType = pool.get('payroll.earning.type')
    Line = pool.get('timesheet.line')
    Configuration = pool.get('payroll.configuration')

    demo_run, = Run.search([], limit=1, order=[('pay_date', 'DESC')])
    start = demo_run.period_end + dt.timedelta(days=1)
    end = start + dt.timedelta(days=13)
    company = demo_run.company
    departments = {d.code: d for d in Department.search([])}
    plans = {p.code: p for p in Plan.search([])}
    deductions = {d.code: d for d in DeductionType.search([])}
    leave_plans = [p.id for p in LeavePlan.search([])]
    standby, = EarningType.search([('code', '=', 'STBY')])
    work = Configuration(1).timesheet_work
    approver, = Employee.search([('position', '=', "General Manager")])
    rng = random.Random(500)
    if Party.search([('name', 'like', 'Bench Employee %')], limit=1):
        # --reuse: the employees and hours of an earlier run are there
        return company, start, end

    parties = Party.create([{'name': f"Bench Employee {i:04d}"}
            for i in range(employees)])
    values = []
    for i, party in enumerate(parties):
        hourly = i % 4 != 3
        enrollments = [('create', [{
                        'type': deductions['MED'].id,
                        'amount': Decimal('145.00'),
                        'employer_amount': Decimal('850.00'),
                        'start_date': dt.date(2024, 1, 1)}])]
        if i % 2 == 0:
            enrollments.append(('create', [{
                            'type': deductions['457'].id,
                            'amount': Decimal(100),
                            'start_date': dt.date(2024, 1, 1)}]))
        if hourly:
            enrollments.append(('create', [{
                            'type': deductions['DUES'].id,
                            'amount': Decimal('24.00'),
                            'start_date': dt.date(2024, 1, 1)}]))
        values.append({
                'party': party.id, 'company': company.id,
                'start_date': dt.date(2000 + i % 25, 1 + i % 12, 1),
                'position': "Water Operator" if hourly else "Clerk",
                'department': departments['OPS' if hourly else 'ADM'].id,
                'pay_type': 'hourly' if hourly else 'salaried',
                'pay_schedule': 'biweekly',
                'flsa_status': 'non_exempt' if hourly else 'exempt',
                'pay_rates': [('create', [{
                                'effective_date': dt.date(2025, 7, 1),
                                'rate': (Decimal(rng.randrange(2200, 4200))
                                    / 100 if hourly
                                    else Decimal(rng.randrange(55, 130))
                                    * 1000)}])],
                'w4_filing_status': rng.choice(
                    ['single', 'married_jointly', 'head_of_household']),
                'de4_filing_status': rng.choice(
                    ['single', 'married', 'head_of_household']),
                'de4_allowances': rng.randint(0, 3),
                'retirement_plan': plans[
                    'PERS-C' if i % 3 else 'PERS-P'].id,
                'enrollments': enrollments,
                'deposit_accounts': [('create', [{
                                'routing': ROUTINGS[i % len(ROUTINGS)],
                                'number': str(10**8 + i),
                                'kind': 'checking'}])],
                'leave_plans': [('add', leave_plans)],
                })
    created = Employee.create(values)
    lines = []
    for i, employee in enumerate(created):
        if i % 4 == 3:
            continue
        for offset in range(14):
            day = start + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            lines.append({
                    'company': company.id, 'employee': employee.id,
                    'date': day, 'work': work.id,
                    'duration': dt.timedelta(
                        hours=10 if offset in {1, 2} and i % 2 else 8),
                    'approved_by': approver.id})
        if i % 2:
            lines.append({
                    'company': company.id, 'employee': employee.id,
                    'date': start + dt.timedelta(days=6), 'work': work.id,
                    'duration': dt.timedelta(hours=16),
                    'earning_type': standby.id,
                    'approved_by': approver.id})
    Line.create(lines)
    Transaction().commit()
    return company, start, end


def run_payroll(pool, company, start, end):
    from trytond.transaction import Transaction

    Run = pool.get('payroll.run')
    run, = Run.create([{
                'company': company.id, 'name': "Bench Biweekly",
                'schedule': 'biweekly', 'period_start': start,
                'period_end': end,
                'pay_date': end + dt.timedelta(days=6)}])
    started = time.monotonic()
    Run.compute([run])
    computed = time.monotonic()
    # The approval is signed: by the demo's finance manager
    finance, = pool.get('res.user').search([('login', '=', 'finance')])
    with Transaction().set_user(finance.id):
        Run.approve([run])
    Run.post([run])
    posted = time.monotonic()
    run = Run(run.id)
    return run, computed - started, posted - computed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--employees', type=int, default=500)
    district_options(parser)
    args = parser.parse_args()
    with district(DATABASE, 10, args.db_uri, args.reuse):
        from trytond.pool import Pool
        from trytond.transaction import Transaction, TransactionError
        pool = Pool(DATABASE)
        pool.init()
        with Transaction().start(DATABASE, 1) as transaction:
            company = pool.get('company.company').search([])[0]
            with transaction.set_context(
                    company=company.id, companies=[company.id],
                    _skip_warnings=True):
                print(f"adding {args.employees} employees and their hours "
                    "...", flush=True)
                started = time.monotonic()
                company, start, end = prepare(pool, args.employees)
                print(f"added in {time.monotonic() - started:.0f} s",
                    flush=True)
        # As trytond's dispatcher does: the posting asks for a table lock
        # the first time, and the transaction starts again holding it.
        extras = {}
        while True:
            try:
                with Transaction().start(DATABASE, 1, **extras) as transaction:
                    with transaction.set_context(
                            company=company.id, companies=[company.id],
                            _skip_warnings=True):
                        run, compute, post = run_payroll(
                            pool, company, start, end)
                        slips = run.slip_count
                        lines = len(run.move.lines)
                        gross, net = run.gross, run.net
                    transaction.rollback()
                break
            except TransactionError as error:
                error.fix(extras)
    total = compute + post
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"pay run of {slips} employees on {backend}: "
        f"compute {compute:.1f} s, approve and post {post:.1f} s, "
        f"total {total:.1f} s ({slips / total:.0f} slips/s; "
        f"target {TARGET_SECONDS} s)")
    print(f"gross {gross}, net {net}, journal entry of {lines} lines")


if __name__ == '__main__':
    main()
