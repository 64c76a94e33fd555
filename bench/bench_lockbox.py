#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Import a lockbox file of ROWS payments against a district of N services.

    .venv/bin/python bench/bench_lockbox.py [--services 10000]
        [--rows 5000] [--db-uri postgresql:///] [--reuse]

Builds the demo district with N premises and posts a bill run of every
metered service (outside the timing; with --reuse on PostgreSQL, the
district the bill run benchmark left with --reuse, and its posted bills),
writes a lockbox file of ROWS payments of accounts with open bills (most
paying the bill, some part of it, some more; a few with no account number
or an unknown one), then times its import through the same code as the
wizard (parse, match, the statements posted in bulk, one transaction),
rolled back, and prints payments per second."""
import argparse
import random
import time
from decimal import Decimal

from bench_bill_run import DATABASE, attempt, calculate, post, prepare
from district import district, district_options, started_pool


def lockbox_file(bills, rows):
    "A lockbox CSV paying the open bills `bills` [(number, name, owed)]"
    rng = random.Random(5000)
    lines = ["Account Number,Amount,Check Number,Remitter,Payment Date"]
    picked = rng.sample(bills, min(rows, len(bills)))
    while len(picked) < rows:
        picked.append(rng.choice(bills))
    for i, (number, name, owed) in enumerate(picked, start=1):
        kind = rng.random()
        if kind < 0.80:
            amount = owed
        elif kind < 0.90:
            amount = (owed / 2).quantize(owed)
        elif kind < 0.95:
            amount = owed + 20
        elif kind < 0.98:
            number = ''
            amount = owed
        else:
            number = str(900000 + i)
            amount = owed
        amount = max(amount, Decimal('0.01'))
        lines.append(f'{number},{amount},{10000 + i},"{name}",11/25/2026')
    return ('\n'.join(lines) + '\n').encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--services', type=int, default=10000)
    parser.add_argument('--rows', type=int, default=5000)
    district_options(parser)
    args = parser.parse_args()
    with district(DATABASE, args.services, args.db_uri, args.reuse):
        run(args)


def run(args):
    pool = started_pool(DATABASE)

    def open_bills():
        Invoice = pool.get('account.invoice')
        invoices = Invoice.search([
                ('water_account', '!=', None), ('state', '=', 'posted')])
        return [(i.water_account.number, i.party.name, i.amount_to_pay)
            for i in invoices]
    bills = attempt(pool, open_bills)
    if len(bills) < args.rows:
        print("posting a bill run to pay ...", flush=True)

        def bill_run():
            cycles = prepare(pool)
            post(pool, calculate(pool, [c.id for c in cycles]))
        attempt(pool, bill_run, commit=True)
        bills = attempt(pool, open_bills)
    print(f"{len(bills)} open bills", flush=True)
    data = lockbox_file(bills, args.rows)

    def import_():
        Import = pool.get('water.payment.import')
        started = time.monotonic()
        record, _ = Import.import_file('lockbox-bench.csv', data)
        elapsed = time.monotonic() - started
        return elapsed, record.rows, record.matched
    elapsed, rows, matched = attempt(pool, import_)
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"\nbackend: {backend}; services: {args.services}; "
        f"open bills: {len(bills)}")
    print(f"lockbox file of {rows} payments ({matched} matched): "
        f"{elapsed:.1f} s = {rows / elapsed:.0f} payments/s")


if __name__ == '__main__':
    main()
