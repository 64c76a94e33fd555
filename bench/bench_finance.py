#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A month of BILLS supplier bills paid in one run, then the month's
warrant list and trial balance, over the demo district.

    .venv/bin/python bench/bench_finance.py [--bills 600]
        [--premises 300] [--history-months 12] [--db-uri postgresql:///]
        [--reuse]

Builds the demo district (PREMISES premises, HISTORY_MONTHS months of
reads, bills and payments: its ledger), adds 40 vendors (every fifth paid
by ACH) and BILLS posted supplier bills of the month approved for payment
by finance (outside the timing), then times, as the buttons do and as
the users who press them:

1. the payment run: Pay Bills (the clerk: a payment a bill, submitted),
   Approve (finance), Process (finance: a batch a journal, the ACH file
   written); target under 20 s together;
2. marking the batches paid (finance: each payment's clearing entry
   posted), shown apart;
3. the month's warrant list computed (the clerk); target under 5 s;
4. the trial balance of the month and of the fiscal year to date (the
   figures by fund), and the month's PDF; target under 5 s each.

Each step is committed: the next one works on it."""
import argparse
import datetime as dt
import random
import time
from decimal import Decimal

from district import attempt as district_attempt
from district import district_options, started_pool
from district import district as built_district

DATABASE = 'water_bench_finance'
VENDORS = 40
TARGETS = {'payment run': 20, 'warrant list': 5, 'trial balance': 5}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bills', type=int, default=600)
    parser.add_argument('--premises', type=int, default=300)
    parser.add_argument('--history-months', type=int, default=12)
    district_options(parser)
    args = parser.parse_args()
    with built_district(DATABASE, args.premises, args.db_uri, args.reuse,
            history_months=args.history_months):
        run(args)


def attempt(pool, func, user=1):
    "district.attempt on this benchmark's database, committed"
    return district_attempt(DATABASE, pool, func, commit=True, user=user)


def login(pool, name):
    "The id of the demo's user `name`"
    def find():
        user, = pool.get('res.user').search([('login', '=', name)])
        return user.id
    return attempt(pool, find)


def vendors(pool):
    "The benchmark's vendors, created once"
    Party = pool.get('party.party')
    found = Party.search([('name', 'like', 'Bench Vendor %')])
    if found:
        return found
    values = []
    for i in range(VENDORS):
        value = {'name': f"Bench Vendor {i:02d}", 'vendor_pay_by': 'check',
            'addresses': [('create', [{
                            'street': f"{100 + i} Industrial Way",
                            'postal_code': '95999', 'city': "Cedar Creek"}])]}
        if i % 5 == 4:
            value.update(vendor_pay_by='ach', ach_routing='121000358',
                ach_account=f'88{i:06d}')
        values.append(value)
    return Party.create(values)


def enter_bills(pool, count, today):
    """Enter and post `count` supplier bills of the month, a few lines
    each; return them"""
    Invoice = pool.get('account.invoice')
    Line = pool.get('account.invoice.line')
    Account = pool.get('account.account')
    Company = pool.get('company.company')
    company, = Company.search([])
    accounts = Account.search([('code', 'in', ['5040', '5050', '5090'])])
    parties = vendors(pool)
    rng = random.Random(count)
    start = today.replace(day=1)
    batch = Invoice.search_count([('reference', 'like', 'BENCH-%')])
    invoices = []
    for i in range(count):
        party = parties[i % len(parties)]
        invoice = Invoice(company=company, type='in', party=party,
            invoice_date=start + dt.timedelta(days=i % max(today.day, 1)),
            reference=f'BENCH-{batch + i:06d}')
        invoice.on_change_type()
        invoice.on_change_party()
        lines = []
        for k in range(1 + i % 3):
            line = Line(invoice=invoice, type='line', quantity=1,
                account=accounts[(i + k) % len(accounts)],
                description=f"Supplies {k + 1}",
                unit_price=Decimal(rng.randint(2000, 250000)) / 100)
            line.on_change_invoice()
            lines.append(line)
        invoice.lines = lines
        invoices.append(invoice)
    Invoice.save(invoices)
    Invoice.post(invoices)
    return invoices


def timed(label, func, *args, **kwargs):
    started = time.monotonic()
    result = func(*args, **kwargs)
    seconds = time.monotonic() - started
    target = TARGETS.get(label)
    verdict = ''
    if target:
        verdict = (f" (target {target} s: "
            f"{'met' if seconds < target else 'MISSED'})")
    print(f"{label}: {seconds:.2f} s{verdict}", flush=True)
    return result, seconds


def run(args):
    pool = started_pool(DATABASE)
    clerk, finance = login(pool, 'clerk'), login(pool, 'finance')
    today = attempt(pool, lambda: pool.get('ir.date').today())

    def setup():
        bills = enter_bills(pool, args.bills, today)
        return [b.id for b in bills]
    started = time.monotonic()
    bill_ids = attempt(pool, setup)
    attempt(pool, lambda: pool.get('account.invoice').approve_payment(
            pool.get('account.invoice').browse(bill_ids)), user=finance)
    print(f"{len(bill_ids)} bills entered, posted and approved for payment "
        f"in {time.monotonic() - started:.0f} s (outside the timing)",
        flush=True)

    seconds = {}
    payment_ids, seconds['pay'] = attempt(
        pool, lambda: timed("Pay Bills", pay, pool, today), user=clerk)
    _, seconds['approve'] = attempt(pool, lambda: timed(
            "Approve", approve, pool, payment_ids), user=finance)
    _, seconds['process'] = attempt(pool, lambda: timed(
            "Process", process, pool, payment_ids), user=finance)
    total = sum(seconds.values())
    print(f"payment run: {total:.2f} s for {len(payment_ids)} payments "
        f"(target {TARGETS['payment run']} s: "
        f"{'met' if total < TARGETS['payment run'] else 'MISSED'})",
        flush=True)
    attempt(pool, lambda: timed("Mark paid (clearing entries posted)",
            succeed, pool, payment_ids), user=finance)
    attempt(pool, lambda: timed("warrant list", warrant_list, pool, today),
        user=clerk)
    attempt(pool, lambda: timed("trial balance", trial_balance, pool, today,
            'month'), user=finance)
    attempt(pool, lambda: timed("trial balance", trial_balance, pool, today,
            'year'), user=finance)
    attempt(pool, lambda: timed("trial balance PDF", trial_balance_pdf, pool,
            today), user=finance)


def pay(pool, today):
    "Pay Bills as the wizard does: every approved bill due by month end"
    from water_finance.models.pay_bills import pay_bills
    Journal = pool.get('account.payment.journal')
    Company = pool.get('company.company')
    company, = Company.search([])
    check, = Journal.search([('process_method', '=', 'check')], limit=1)
    ach, = Journal.search([('process_method', '=', 'ach')], limit=1)
    payments = pay_bills(company, today + dt.timedelta(days=31), today,
        check, ach)
    return [p.id for p in payments]


def approve(pool, payment_ids):
    Payment = pool.get('account.payment')
    Payment.approve(Payment.browse(payment_ids))


def process(pool, payment_ids):
    "The Process Payments wizard, on the approved payments"
    from trytond.transaction import Transaction
    Wizard = pool.get('account.payment.process', type='wizard')
    session_id, _, _ = Wizard.create()
    with Transaction().set_context(active_model='account.payment',
            active_ids=payment_ids, active_id=payment_ids[0]):
        Wizard.execute(session_id, {}, 'process')
    Wizard.delete(session_id)


def succeed(pool, payment_ids):
    Payment = pool.get('account.payment')
    Payment.succeed(Payment.browse(payment_ids))


def warrant_list(pool, today):
    WarrantList = pool.get('water.warrant.list')
    warrants = WarrantList(name="Bench warrant list",
        start_date=today.replace(day=1), end_date=today)
    warrants.save()
    WarrantList.compute([warrants])
    print(f"  {len(warrants.lines)} warrants, "
        f"total {warrants.total:,.2f}", flush=True)


def periods(pool, today, span):
    Period = pool.get('account.period')
    period, = Period.search([('start_date', '<=', today),
            ('end_date', '>=', today), ('type', '=', 'standard')])
    if span == 'month':
        return period.fiscalyear, period, period
    first, = Period.search([('fiscalyear', '=', period.fiscalyear.id),
            ('type', '=', 'standard')], order=[('start_date', 'ASC')],
        limit=1)
    return period.fiscalyear, first, period


def trial_balance(pool, today, span):
    from water_finance.models.trial_balance import figures
    Company = pool.get('company.company')
    company, = Company.search([])
    fiscalyear, first, last = periods(pool, today, span)
    funds = figures(company, fiscalyear, first, last)
    print(f"  {span}: {first.name} to {last.name}, "
        f"{sum(len(f.rows) for f in funds)} accounts, "
        f"{'in balance' if all(f.balanced for f in funds) else 'OUT'}",
        flush=True)


def trial_balance_pdf(pool, today):
    Company = pool.get('company.company')
    Report = pool.get('water.trial_balance.report', type='report')
    company, = Company.search([])
    fiscalyear, first, last = periods(pool, today, 'month')
    ext, content, _, _ = Report.execute([], {
            'company': company.id, 'fiscalyear': fiscalyear.id,
            'start_period': first.id, 'end_period': last.id,
            'fund': None, 'posted': True})
    assert bytes(content[:4]) == b'%PDF', ext


if __name__ == '__main__':
    main()
