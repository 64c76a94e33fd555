# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo district's past year: what a new user expects to find.

Every metered service is read each month; each cycle is billed each month
through the product's own bill runs (calculated, posted to the ledger);
the customers pay through the bank's lockbox file, as the product imports
it, most in full, a few in part and a few not at all (the late payers
collections starts from).  The last reads are left for the clerk's first
bill run.  Services that opened before the history began come over from
the old system billed through its first read; those that opened since are
billed from their move-in read."""
import contextlib
import datetime as dt
import random
import time
from unittest import mock
from decimal import Decimal

from . import usage as usage_arithmetic

# Days between a cycle's reads, and the reads' age at the newest
READ_EVERY = 30
NEWEST_READ_AGE = 5
# HCF a month by service type, before the season
MONTHLY_HCF = {
    'residential': 9, 'multi_family': 28, 'commercial': 32,
    'irrigation': 40, 'fire': 0, 'sewer': 0,
    }
# Month: how much more (or less) water than the average it sees
SEASON = {1: 0.7, 2: 0.7, 3: 0.8, 4: 0.9, 5: 1.1, 6: 1.4, 7: 1.6, 8: 1.6,
    9: 1.4, 10: 1.1, 11: 0.8, 12: 0.7}
IRRIGATION_SEASON = {1: 0.1, 2: 0.1, 3: 0.3, 4: 0.8, 5: 1.4, 6: 2.0,
    7: 2.4, 8: 2.4, 9: 1.8, 10: 1.0, 11: 0.4, 12: 0.1}
# Of the accounts: who does not pay (the late payers) and who pays part
LATE_SHARE = 0.06
PARTIAL_SHARE = 0.05


def read_dates(today, months, earliest):
    """The history's read dates, oldest first: the conversion read (the
    old system's last), one a month for `months` bills, and the newest,
    not billed yet; never before `earliest` (the books' first day)"""
    count = months + 2
    dates = [today - dt.timedelta(days=NEWEST_READ_AGE + READ_EVERY * k)
        for k in reversed(range(count))]
    return [d for d in dates if d >= earliest]


def monthly_usage(service_type, month, rng):
    "HCF a service of `service_type` uses in `month`, give or take"
    season = IRRIGATION_SEASON if service_type == 'irrigation' else SEASON
    base = MONTHLY_HCF.get(service_type, 0) * season[month]
    return Decimal(str(round(base * rng.uniform(0.6, 1.4))))


def payer_kind(account_id):
    "'late', 'partial' or 'full': the same for an account every month"
    draw = random.Random(account_id * 7919).random()
    if draw < LATE_SHARE:
        return 'late'
    if draw < LATE_SHARE + PARTIAL_SHARE:
        return 'partial'
    return 'full'


def payment(kind, owed, months_ago):
    """What an account of `kind` pays on a bill of `owed`: late payers
    stopped paying three months ago; partial payers pay half"""
    if owed <= 0:
        return None
    if kind == 'late' and months_ago <= 3:
        return None
    if kind == 'partial':
        return (owed / 2).quantize(Decimal('0.01'))
    return owed


def build_history(database, company_id, months, log, cycles=None,
        after_month=None):
    """Read, bill and pay the district's past `months`, once; with
    `cycles`, bill only that many cycles (the tests' district); then
    `after_month(read_date, today)` each month (the collections' work)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    context = {'company': company_id}
    with Transaction().start(database, 1, context=context) as transaction:
        pool = Pool()
        if pool.get('water.bill.run').search([], limit=1):
            return
        FiscalYear = pool.get('account.fiscalyear')
        today = pool.get('ir.date').today()
        first, = FiscalYear.search([], order=[('start_date', 'ASC')],
            limit=1)
        dates = read_dates(today, months, first.start_date)
        if len(dates) < 3:
            return
        log(f"history: reads of {len(dates)} months from {dates[0]}")
        add_reads(pool, dates)
        transaction.commit()
    for months_ago, read_date in zip(
            reversed(range(1, len(dates) - 1)), dates[1:-1]):
        started = time.monotonic()
        bills = committed(database, context,
            lambda: bill_month(Pool(), read_date, cycles))
        billed = time.monotonic()
        paid = committed(database, context,
            lambda: pay_month(Pool(), read_date, months_ago, today))
        log(f"history: {read_date} billed {bills} accounts "
            f"({billed - started:.0f} s), {paid} paid by lockbox "
            f"({time.monotonic() - billed:.0f} s)")
        if after_month:
            after_month(read_date, today)


def committed(database, context, func, user=1):
    """Return func() run and committed in a transaction as trytond's
    dispatcher runs a call: when posting needs records locked first (the
    strict invoice sequence), start again with them locked; then run the
    tasks it queued (invoices paid by a payment file marked paid)"""
    from trytond.transaction import Transaction, TransactionError
    from trytond.worker import run_task
    extras = {}
    while True:
        with Transaction().start(
                database, user, context=context, **extras) as transaction:
            try:
                result = func()
            except TransactionError as error:
                transaction.rollback()
                transaction.tasks.clear()
                error.fix(extras)
                continue
            transaction.commit()
            tasks = list(transaction.tasks)
            transaction.tasks.clear()
        for task_id in tasks:
            run_task(database, task_id)
        return result


def add_reads(pool, dates):
    """Read every active metered service on each of `dates` and bill the
    ones older than the first date through it"""
    from trytond.transaction import Transaction

    from .models.bulk import insert_rows
    Service = pool.get('water.service')
    Reading = pool.get('water.meter.reading')
    services = Service.search([('state', '=', 'active')])
    types = {s.meter.id: s.service_type for s in services if s.meter}
    meters = {s.meter for s in services if s.meter}
    chains = Reading.register_chains(
        {(m.id, r) for m in meters for r in m.registers})
    rng = random.Random(20261206)
    rows = []
    for meter in sorted(meters, key=lambda m: m.id):
        for register in meter.registers:
            rows.extend(_register_reads(rng, meter, register,
                    chains.get((meter.id, register)), dates, types))
    insert_rows(Reading, rows)
    table = Service.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.update(
            [table.billed_through], [dates[0]],
            where=(table.state == 'active')
            & (table.start_date <= dates[0])))


def _register_reads(rng, meter, register, chain, dates, types):
    "The rows of one register's reads on `dates`, after its `chain`"
    last = chain[-1] if chain else None
    previous_date = last.read_date if last else None
    value = last.value if last else Decimal(0)
    limit = Decimal(10) ** meter.dials
    rows = []
    for date in dates:
        if previous_date and date <= previous_date:
            continue
        hcf = monthly_usage(types[meter.id], date.month, rng)
        if register == 'high':
            hcf *= 3
        advance = usage_arithmetic.convert(hcf, 'hcf', meter.unit, 0)
        value += advance
        rows.append({
                'meter': meter.id, 'register': register, 'read_date': date,
                'value': value % limit, 'rollover': value >= limit,
                'kind': 'regular', 'source': 'ami', 'leak': False,
                'tamper': False,
                'usage': advance * meter.multiplier if previous_date
                else None,
                'usage_days': ((date - previous_date).days
                    if previous_date else None),
                })
        value %= limit
        previous_date = date
    return rows


@contextlib.contextmanager
def as_of(pool, day):
    """Let the district's date be `day`: the past month's work is done on
    its own day, as the clerk did it then (posted on the bill date, paid
    on the day the bank deposited)"""
    Date = pool.get('ir.date')
    with mock.patch.object(Date, 'today', lambda timezone=None: day):
        yield


def bill_month(pool, read_date, cycles=None):
    """Run, calculate and post each cycle's bills of `read_date` (of the
    first `cycles` cycles only, if given)"""
    from trytond.transaction import Transaction
    BillRun = pool.get('water.bill.run')
    Cycle = pool.get('water.cycle')
    bill_date = read_date + dt.timedelta(days=2)
    with as_of(pool, bill_date):
        runs = BillRun.create([{
                    'cycle': c.id, 'read_date': read_date,
                    'bill_date': bill_date}
                for c in Cycle.search(
                    [], order=[('code', 'ASC')], limit=cycles)])
        BillRun.calculate(runs)
        runs = BillRun.browse(runs)
        with Transaction().set_context(water_now=True,
                _skip_warnings=True):
            BillRun.post([r for r in runs if r.bills])
    return sum(len(r.bills) for r in runs)


def pay_month(pool, read_date, months_ago, today):
    """Pay the bills of `read_date` by the bank's lockbox file, two weeks
    after they were mailed; return how many were paid"""
    Bill = pool.get('water.bill')
    Import = pool.get('water.payment.import')
    Invoice = pool.get('account.invoice')
    paid_on = read_date + dt.timedelta(days=16)
    if paid_on >= today:
        return 0
    bills = Bill.search([
            ('run.read_date', '=', read_date),
            ('state', '=', 'posted'),
            ], order=[('id', 'ASC')])
    # The bill's current charges are its invoice's total (one read of the
    # stored totals, not the bills' lines computed one by one)
    totals = {i['id']: i['total_amount'] for i in Invoice.read(
            [b.invoice.id for b in bills], ['total_amount'])}
    lines = ["Account Number,Amount,Check Number,Remitter,Payment Date"]
    for bill in bills:
        amount = payment(payer_kind(bill.account.id),
            totals[bill.invoice.id], months_ago)
        if amount is None:
            continue
        number = bill.account.number
        name = bill.account.party.name.replace('"', '')
        lines.append(f'{number},{amount},{bill.id},"{name}",'
            f'{paid_on:%m/%d/%Y}')
    if len(lines) == 1:
        return 0
    data = ('\n'.join(lines) + '\n').encode()
    with as_of(pool, paid_on):
        Import.import_file(
            f'lockbox-{paid_on:%Y%m%d}.csv', data, date=paid_on)
    return len(lines) - 1
