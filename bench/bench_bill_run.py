#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A full bill run of a district of N services, against stock Tryton.

    .venv/bin/python bench/bench_bill_run.py [--services 10000]
        [--sample 1000] [--db-uri postgresql:///] [--render N]

Builds the demo district with N premises (outside the timing), gives every
metered service two reads 30 days apart and bills it up to the first, then
times:

1. the product's bill run of the whole district: calculate (the billing
   register) and post (one posted customer invoice per account), rolled
   back; then the same run again, committed;
2. stock Tryton doing the posting the plain way: the same invoices of a
   sample of the run's bills through `Invoice.save` + `Invoice.post` in
   batches of 100, rolled back;
3. rendering the run's print file (the first RENDER bills, 0 for all):
   the product's `render_bills` on two processes, one per core, joined.

and prints bills per second for each and the ratio of 1 to 2.  The runs
of 1 and 2 are rolled back; the run rendered in 3 is committed."""
import argparse
import time

from district import attempt as district_attempt
from district import district, district_options, started_pool

DATABASE = 'water_bench_bills'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--services', type=int, default=10000)
    parser.add_argument('--sample', type=int, default=1000)
    parser.add_argument('--render', type=int, default=0,
        help="bills to render to PDF (0: all of the run)")
    parser.add_argument('--profile', action='store_true',
        help="profile the posting")
    district_options(parser)
    args = parser.parse_args()
    with district(DATABASE, args.services, args.db_uri, args.reuse) as state:
        run(args, state)


def attempt(pool, func, commit=False):
    "district.attempt on this benchmark's database, as the administrator"
    return district_attempt(DATABASE, pool, func, commit=commit)


def run(args, state):
    pool = started_pool(DATABASE)
    cycles = [c.id for c in attempt(pool, lambda: prepare(pool), commit=True)]

    def posting_way():
        from water_utility.models.ledger import stock_reason
        return stock_reason()
    reason = attempt(pool, posting_way)
    way = f"stock ({reason})" if reason else (
        "bulk, each table's rows checked as the ORM checks them")
    print(f"posting: {way}", flush=True)

    # 1. The product's bill run
    def product_run():
        started = time.monotonic()
        runs = calculate(pool, cycles)
        calculated = time.monotonic() - started
        bills = sum(len(r.bills) for r in runs)
        print(f"calculated {bills} bills in {calculated:.1f} s", flush=True)
        started = time.monotonic()
        if args.profile:
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.runcall(post, pool, runs)
            pstats.Stats(profile).sort_stats('cumulative').print_stats(45)
        else:
            post(pool, runs)
        posted = time.monotonic() - started
        print(f"posted in {posted:.1f} s", flush=True)
        return bills, calculated, posted
    bills, calculated, posted = attempt(pool, product_run)
    product = bills / (calculated + posted)

    # 2. The same run posted and kept, to render below
    def posted_run():
        runs = calculate(pool, cycles)
        post(pool, runs)
        ids = [b.id for r in runs for b in r.bills]
        print(f"posted {len(ids)} bills to render", flush=True)
        return ids
    bill_ids = attempt(pool, posted_run, commit=True)

    # 3. Stock Tryton posting the invoices of a sample of the run's bills
    # again, the plain way (rolled back)
    def stock_run():
        Invoice = pool.get('account.invoice')
        Bill = pool.get('water.bill')
        sample = Bill.browse(bill_ids[:args.sample])
        started = time.monotonic()
        for i in range(0, len(sample), 100):
            invoices = Bill.get_invoices(sample[i:i + 100])
            Invoice.save(invoices)
            Invoice.post(invoices)
        return len(sample), time.monotonic() - started
    sample, stock_time = attempt(pool, stock_run)
    stock = sample / stock_time
    print(f"stock: {sample} bills in {stock_time:.1f} s", flush=True)

    # 4. Render the run's print file, one process per core
    if args.render:
        bill_ids = bill_ids[:args.render]

    def render_run():
        from water_utility.models.printing import render_bills
        started = time.monotonic()
        pdf = render_bills(bill_ids, workers=2)
        return time.monotonic() - started, len(pdf)
    rendered, size = attempt(pool, render_run)
    print(f"print file: {size / 1e6:.1f} MB", flush=True)

    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"\nbackend: {backend}; services: {args.services}; "
        f"bills: {bills}")
    print(f"posting: {way}")
    print(f"bill run (calculate {calculated:.1f} s + post {posted:.1f} s): "
        f"{product:.1f} bills/s")
    print(f"stock Invoice.save + Invoice.post, {sample} bills: "
        f"{stock_time:.1f} s = {stock:.1f} bills/s")
    print(f"ratio: {product / stock:.1f}x stock")
    from water_utility.models.printing import PARALLEL_MIN
    processes = 2 if len(bill_ids) >= PARALLEL_MIN else 1
    print(f"PDF of {len(bill_ids)} bills on {processes} processes: "
        f"{rendered:.1f} s "
        f"= {len(bill_ids) / rendered:.1f} bills/s "
        f"({rendered * 10000 / len(bill_ids) / 60:.1f} min per 10,000)")


def prepare(pool):
    from water_utility.demo import add_billing_reads
    add_billing_reads(pool)
    return pool.get('water.cycle').search([])


def calculate(pool, cycles):
    BillRun = pool.get('water.bill.run')
    today = pool.get('ir.date').today()
    runs = BillRun.create([{
                'cycle': c, 'read_date': today, 'bill_date': today}
            for c in cycles])
    BillRun.calculate(runs)
    return BillRun.browse(runs)


def post(pool, runs):
    "Post as the queue would, batch after batch, in this transaction"
    from trytond.transaction import Transaction
    BillRun = pool.get('water.bill.run')
    with Transaction().set_context(water_now=True):
        BillRun.post(runs)


if __name__ == '__main__':
    main()
