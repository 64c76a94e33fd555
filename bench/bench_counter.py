#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""CASHIERS cashiers posting RECEIPTS counter receipts each, all at once.

    .venv/bin/python bench/bench_counter.py [--cashiers 8]
        [--receipts 100] [--premises 200] [--db-uri postgresql:///]
        [--reuse] [--retry N]

Builds the demo district with PREMISES premises (outside the timing), gives
it CASHIERS cashier users (the Cash group, as the demo's cashier), starts a
real `trytond` server on it, and runs one process per cashier that does what
the web client does over JSON-RPC: log in, open the day's drawer, then for
each receipt create it (a cash payment on a customer account) and click
Post.  A Post that fails is a failure surfaced to the cashier: counted, and
the receipt is left as it is.

Prints the receipts posted, the failures surfaced (by message), receipts per
second, and checks that the posted receipts' numbers are unique and
gapless.  With --retry, the server runs with that `[database] retry`
instead of trytond's default (5)."""
import argparse
import json
import multiprocessing
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path

from district import district, district_options, started_pool

DATABASE = 'water_bench_counter'
PASSWORD = 'counter-bench-2026'


class Session:
    "A JSON-RPC session on the trytond server, as the web client holds one"

    def __init__(self, url, login):
        self.url = f'{url}/{DATABASE}'
        self.cookie = None
        self.post('session/login', [login, {'password': PASSWORD}, 'en'])
        self.context = self('model.res.user.get_preferences', True)

    def post(self, path, params, method=None):
        headers = {'Content-Type': 'application/json'}
        if self.cookie:
            headers['Cookie'] = self.cookie
        body = {'params': params, 'id': 1}
        if method:
            body['method'] = method
        request = urllib.request.Request(
            f'{self.url}/{path}', json.dumps(body).encode(), headers)
        with urllib.request.urlopen(request, timeout=300) as response:
            # The session cookie is Secure: send it by hand over plain HTTP.
            if cookie := response.headers.get('Set-Cookie'):
                self.cookie = cookie.split(';')[0]
            answer = json.loads(response.read())
        if not method:
            return answer
        if 'error' in answer:
            raise RuntimeError(answer['error'])
        return answer['result']

    def __call__(self, method, *params):
        context = getattr(self, 'context', None) or {}
        return self.post('rpc/', [*params, context], method=method)


def cashier(url, login, accounts, receipts, start):
    """Open the day's drawer and post `receipts` cash payments on random
    accounts of `accounts`, as the client does; return (posted, failures
    {message: count}, seconds)"""
    rng = random.Random(login)
    try:
        session = Session(url, login)
        drawer, = session('model.water.cash.drawer.create', [{}])
    except Exception:
        start.abort()
        raise
    start.wait()
    posted, failures = 0, Counter()
    started = time.monotonic()
    for _ in range(receipts):
        amount = str(Decimal(rng.randint(1000, 20000)) / 100)
        receipt, = session('model.water.cash.receipt.create', [{
                    'drawer': drawer,
                    'customer_account': rng.choice(accounts),
                    'tender': 'cash',
                    'amount': amount,
                    'tendered': amount,
                    }])
        try:
            session('model.water.cash.receipt.post', [receipt])
            posted += 1
        except urllib.error.HTTPError as error:
            # 503: trytond's answer to a DatabaseOperationalError
            body = error.read().decode(errors='replace')
            failures[f'{error.code} {lock_message(body)}'] += 1
        except RuntimeError as error:
            failures[str(error)[:160]] += 1
    return posted, failures, time.monotonic() - started


def lock_message(body):
    "The database's words in trytond's error page, or its start"
    for line in body.splitlines():
        if 'lock' in line or 'serialize' in line:
            return line.strip()[:160]
    return body[:160]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cashiers', type=int, default=8)
    parser.add_argument('--receipts', type=int, default=100)
    parser.add_argument('--premises', type=int, default=200)
    district_options(parser)
    parser.add_argument('--retry', type=int,
        help="the server's [database] retry (trytond's default: 5)")
    args = parser.parse_args()
    with district(DATABASE, args.premises, args.db_uri, args.reuse) as state:
        run(args, Path(state))


def prepare(count):
    """Give the district `count` new cashiers (new logins each run, so each
    opens the day's drawer anew); return their logins, the active customer
    accounts' ids and the last receipt id"""
    from trytond.transaction import Transaction
    pool = started_pool(DATABASE)
    with Transaction().start(DATABASE, 0) as transaction:
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        Company = pool.get('company.company')
        Account = pool.get('water.account')
        Receipt = pool.get('water.cash.receipt')
        company, = Company.search([])
        group = Group(ModelData.get_id('water_utility', 'group_cash'))
        run = time.strftime('%H%M%S')
        logins = [f'bench{run}_cashier{i}' for i in range(1, count + 1)]
        User.save([User(login=l, name=f"Bench Cashier {l}",
                    password=PASSWORD, groups=[group], companies=[company],
                    company=company)
                for l in logins])
        accounts = [a.id for a in Account.search([('active', '=', True)])]
        last = max((r.id for r in Receipt.search([])), default=0)
        transaction.commit()
    return logins, accounts, last


def check(last):
    """The receipts posted since receipt `last`: (count, duplicated numbers,
    numbers missing between the first and the last)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(DATABASE)
    with Transaction().start(DATABASE, 0, readonly=True):
        Receipt = pool.get('water.cash.receipt')
        receipts = Receipt.search([
                ('id', '>', last), ('state', '=', 'posted')])
        numbers = [int(''.join(c for c in r.number if c.isdigit()))
            for r in receipts]
    duplicated = [n for n, c in Counter(numbers).items() if c > 1]
    missing = (sorted(set(range(min(numbers), max(numbers) + 1))
            - set(numbers)) if numbers else [])
    return len(receipts), duplicated, missing


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def run(args, state):
    logins, accounts, last = prepare(args.cashiers)
    port = free_port()
    conf = state / 'counter.conf'
    text = (state / 'trytond.conf').read_text()
    text = '\n'.join(f'listen = 127.0.0.1:{port}'
        if l.startswith('listen') else l for l in text.splitlines())
    if args.retry is not None:
        text = text.replace('[database]\n',
            f'[database]\nretry = {args.retry}\n')
    conf.write_text(text + '\n')
    trytond = Path(sys.executable).parent / 'trytond'
    log = (state / 'server.log').open('w')
    server = subprocess.Popen(
        [str(trytond), '-c', str(conf), '-d', DATABASE],
        stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url + '/', timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "trytond exited"
                time.sleep(0.25)
        context = multiprocessing.get_context('spawn')
        with context.Manager() as manager:
            start = manager.Barrier(args.cashiers + 1)
            with context.Pool(args.cashiers) as workers:
                results = [workers.apply_async(cashier,
                        (url, login, accounts, args.receipts, start))
                    for login in logins]
                start.wait()
                started = time.monotonic()
                results = [r.get() for r in results]
                elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    posted = sum(r[0] for r in results)
    failures = sum((r[1] for r in results), Counter())
    count, duplicated, missing = check(last)
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    retry = args.retry if args.retry is not None else '5 (default)'
    print(f"\nbackend: {backend}; [database] retry: {retry}; "
        f"{args.cashiers} cashiers x {args.receipts} receipts")
    print(f"posted: {posted} of {args.cashiers * args.receipts}; "
        f"failures surfaced to a cashier: {sum(failures.values())}")
    for message, times in failures.most_common(5):
        print(f"  {times} x {message}")
    print(f"{elapsed:.1f} s = {posted / elapsed:.1f} receipts/s "
        f"(slowest cashier {max(r[2] for r in results):.1f} s)")
    print(f"numbers: {count} posted receipts, {len(duplicated)} duplicated, "
        f"{len(missing)} missing between the first and the last")


if __name__ == '__main__':
    main()
