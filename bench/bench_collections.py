#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Collections over a district of N accounts, D of them delinquent.

    .venv/bin/python bench/bench_collections.py [--premises 10000]
        [--delinquent 2000] [--db-uri postgresql:///] [--reuse]

Builds the demo district with N premises (outside the timing) and gives
each account one posted bill: D of them billed 100 days ago and unpaid
(due 79 days ago), the others billed 5 days ago (not yet due).  Then
times, each committed as the office would do it:

1. the ladder run twice (Tryton's Create Dunnings and Process Dunnings):
   the late notices, then the disconnect notices, each logged with what
   its letter says (the amount delinquent, the day to pay or arrange by);
2. the month's penalty run: calculated, then posted;
3. the mailing of the disconnect notices: every copy rendered (one process
   a core, as a bill run's print file), paperless accounts emailed to a
   local mail sink.

and prints the seconds of each, accounts per second, and letters per
second against the bill print rate's target (10,000 bills in 10 minutes).
Target (issue 14): penalties and ladder under 60 s on PostgreSQL."""
import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from district import attempt, district, district_options, started_pool

DATABASE = 'water_bench_collections'
TARGET_SECONDS = 60
# The bill print rate's target: 10,000 bills in 10 minutes
BILLS_PER_SECOND = 10000 / 600


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--premises', type=int, default=10000)
    parser.add_argument('--delinquent', type=int, default=2000)
    parser.add_argument('--profile', action='store_true',
        help="profile each timed step (slower: not for the figures)")
    district_options(parser)
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile
    with district(DATABASE, args.premises, args.db_uri, args.reuse):
        run(args)


def in_transaction(pool, func, commit=True, user=1):
    "func() run and committed (by default) as `user`: district.attempt"
    return attempt(DATABASE, pool, func, commit=commit, user=user)


PROFILE = False


def timed(label, func):
    started = time.monotonic()
    if PROFILE:
        import cProfile
        import pstats
        profile = cProfile.Profile()
        result = profile.runcall(func)
        pstats.Stats(profile).sort_stats('tottime').print_stats(25)
    else:
        result = func()
    seconds = time.monotonic() - started
    print(f"{label}: {seconds:.1f} s", flush=True)
    return result, seconds


def run(args):
    from trytond import config
    pool = started_pool(DATABASE)
    users = in_transaction(pool, lambda: {
            u.login: u.id for u in pool.get('res.user').search([])},
        commit=False)
    started = time.monotonic()
    delinquent = in_transaction(pool, lambda: bill(pool, args.delinquent))
    print(f"bills posted in {time.monotonic() - started:.0f} s "
        f"({delinquent} delinquent)", flush=True)

    # 1. The ladder, twice: the late notices, the disconnect notices
    notices = []
    seconds = {}
    for step in ['late notices', 'disconnect notices']:
        given, seconds[step] = timed(f"ladder run ({step})",
            lambda: in_transaction(pool, lambda: ladder(pool)))
        notices.append(given)

    # 2. The penalty run, calculated by billing, posted by finance
    run_id, seconds['calculate'] = timed("penalty run calculated",
        lambda: in_transaction(pool, lambda: calculate(pool),
            user=users['billing']))
    charged, seconds['post'] = timed("penalty run posted",
        lambda: in_transaction(pool, lambda: post(pool, run_id),
            user=users['finance']))

    # 3. The disconnect notices mailed, paperless ones to a local sink
    with tempfile.TemporaryDirectory() as folder, \
            mail_sink(os.path.join(folder, 'mail')) as uri:
        config.set('email', 'uri', uri)
        mailed, seconds['mailing'] = timed("disconnect notices mailed",
            lambda: in_transaction(pool, lambda: mail(pool),
                user=users['clerk']))

    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    ladder_penalties = (seconds['late notices']
        + seconds['disconnect notices'] + seconds['calculate']
        + seconds['post'])
    letters, pieces, emailed = mailed
    print(f"\nbackend: {backend}; accounts billed: {args.premises}; "
        f"delinquent: {delinquent}; cores: {os.cpu_count()}")
    print(f"ladder: {notices[0]} late notices in "
        f"{seconds['late notices']:.1f} s, {notices[1]} disconnect notices "
        f"in {seconds['disconnect notices']:.1f} s")
    print(f"penalty run: {charged} accounts charged, calculated in "
        f"{seconds['calculate']:.1f} s, posted in {seconds['post']:.1f} s")
    print(f"ladder and penalties: {ladder_penalties:.1f} s "
        f"(target {TARGET_SECONDS} s: "
        f"{'met' if ladder_penalties < TARGET_SECONDS else 'NOT met'})")
    rate = (pieces + emailed) / seconds['mailing']
    print(f"mailing: {letters} letters, {pieces} paper copies, {emailed} "
        f"emailed in {seconds['mailing']:.1f} s = {rate:.1f} copies/s "
        f"(bill print target {BILLS_PER_SECOND:.1f} bills/s: "
        f"{'met' if rate >= BILLS_PER_SECOND else 'NOT met'})")


def bill(pool, delinquent):
    """One posted bill per account with a service: `delinquent` of them 100
    days old (unpaid, due 79 days ago), the rest 5 days old; return how
    many are delinquent"""
    from trytond.transaction import Transaction
    from water_utility.models.ledger import post_invoices
    Account = pool.get('water.account')
    Configuration = pool.get('water.configuration')
    InvoiceLine = pool.get('account.invoice.line')
    Product = pool.get('product.product')
    today = pool.get('ir.date').today()
    product, = Product.search([('code', '=', 'water_usage')])
    term = Configuration(1).payment_term
    accounts = Account.search([('services', '!=', None)],
        order=[('id', 'ASC')])
    invoices = []
    for index, account in enumerate(accounts):
        old = index % max(len(accounts) // delinquent, 1) == 0 and (
            index // max(len(accounts) // delinquent, 1) < delinquent)
        day = today - dt.timedelta(days=100 if old else 5)
        invoice = account.customer_invoice(account.company, day,
            "Water bill", term)
        amount = Decimal(40 + index % 90) + Decimal('0.35')
        invoice.lines = [InvoiceLine(
                type='line', company=account.company,
                currency=account.company.currency, product=product,
                unit=product.default_uom,
                account=product.account_revenue_used, quantity=1,
                unit_price=amount, description="Water usage", taxes=[])]
        invoices.append((old, invoice))
    # The strict invoice sequence numbers them in the order of their dates
    invoices.sort(key=lambda i: (i[1].invoice_date, i[0]))
    # In slices: Tryton's posting of one large batch is quadratic in it
    with Transaction().set_context(_skip_warnings=True):
        for start in range(0, len(invoices), 500):
            post_invoices([i for _, i in invoices[start:start + 500]])
    return sum(1 for old, _ in invoices if old)


def ladder(pool):
    "Create and process the dunnings of today: the notices given"
    Dunning = pool.get('account.dunning')
    Notice = pool.get('water.collection.notice')
    before = Notice.search_count([])
    Dunning.generate_dunnings()
    Dunning.process(Dunning.search([('state', '=', 'draft')]))
    return Notice.search_count([]) - before


def calculate(pool):
    Run = pool.get('water.collection.penalty.run')
    run, = Run.create([{'date': pool.get('ir.date').today()}])
    Run.calculate([run])
    return run.id


def post(pool, run_id):
    from trytond.transaction import Transaction
    Run = pool.get('water.collection.penalty.run')
    with Transaction().set_context(_skip_warnings=True):
        run = Run(run_id)
        Run.post([run])
        return run.charged


def mail(pool):
    "Mail today's disconnect notices: (letters, paper copies, emailed)"
    Mailing = pool.get('water.collection.mailing')
    mailing, = Mailing.create([{
                'date': pool.get('ir.date').today(),
                'step': 'disconnect_notice'}])
    Mailing.mail([mailing])
    mailing = Mailing(mailing.id)
    return mailing.letters, mailing.pieces_mailed, mailing.emailed


class mail_sink:
    "The demo's mail server on a free port, keeping what it gets in a folder"

    def __init__(self, maildir):
        import socket
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
        self.maildir = maildir

    def __enter__(self):
        import socket
        self.process = subprocess.Popen([sys.executable, '-m',
                'water_utility.mail_sink', '--port', str(self.port),
                '--maildir', self.maildir])
        while True:
            try:
                socket.create_connection(('127.0.0.1', self.port), 5).close()
                break
            except ConnectionRefusedError:
                assert self.process.poll() is None, "the mail sink exited"
                time.sleep(0.1)
        return f'smtp://127.0.0.1:{self.port}?timeout=30'

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


if __name__ == '__main__':
    main()
