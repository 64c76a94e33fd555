# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Kill a server half-way through posting a run, resume it, count.

    python tests/resume_run.py STATE [--db-uri postgresql:///]

Builds a small district (as tests/ledger_compare.py) and calculates a run
per cycle.  A first process posts them as trytond's queue does, a batch
of 3 bills a run a transaction, and is killed (SIGKILL) inside its third
task: a hook on `Bill.post` says when that task's first batch is written
and then waits, uncommitted, for the kill.  A second process finds the runs
still posting, part of their bills posted, clicks Resume and lets the
queue finish, then Resume and Post once more on the posted runs.  Prints
a JSON report of what it found after the kill and at the end."""
import json
import os
import signal
import subprocess
import sys

import ledger_compare
from ledger_compare import SOURCE

BATCH = 3
KILL_IN = 3  # the queued task (a batch of each run) the poster dies in


def main():
    args, state = ledger_compare.arguments()
    if args.step:
        {'post': post, 'resume': resume}[args.step](state)
        return
    ledger_compare.build(state, args)
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    poster = subprocess.Popen(
        [sys.executable, __file__, str(state), '--step', 'post'],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in poster.stdout:
        if line.startswith(f'inside {KILL_IN}'):
            break
    else:
        raise AssertionError("the poster ended before the kill")
    poster.send_signal(signal.SIGKILL)
    poster.wait()
    subprocess.run([sys.executable, __file__, str(state), '--step', 'resume'],
        env=env, check=True, stdout=sys.stderr)
    print((state / 'resume.json').read_text())
    if args.db_uri:
        ledger_compare.drop(args.db_uri, SOURCE)


def tasks_run(pool):
    "Run the queued tasks as trytond's dispatcher does after a request"
    from trytond.transaction import Transaction
    from trytond.worker import run_task
    done = 0
    while Transaction().tasks:
        run_task(pool, Transaction().tasks.pop())
        done += 1
    return done


def start():
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(SOURCE)
    pool.init()
    return pool


def post(state):
    """Click Post, then run the queue a task at a time, saying so; in the
    KILL_IN-th task, once its first batch is posted, wait for the kill"""
    from trytond.transaction import Transaction
    from trytond.worker import run_task
    import water_utility.models.bill_run as bill_run
    bill_run.POST_BATCH = BATCH
    pool = start()
    committed = []
    hook_bill_post(pool, committed)
    with Transaction().start(SOURCE, 1) as transaction:
        BillRun = pool.get('water.bill.run')
        User = pool.get('res.user')
        with transaction.set_context(User.get_preferences(context_only=True)):
            BillRun.post(BillRun.search([('state', '=', 'calculated')]))
        transaction.commit()
    while Transaction().tasks:
        run_task(pool, Transaction().tasks.pop())
        committed.append(True)
        print(f'committed {len(committed)}', flush=True)


def hook_bill_post(pool, committed):
    """Make `Bill.post`, in the KILL_IN-th task (`committed` lists the
    tasks done), say so once it has posted a batch and block on stdin
    (which the parent never writes) before the task commits"""
    Bill = pool.get('water.bill')
    original = Bill.post

    def post(cls, bills):
        result = original(bills)
        if len(committed) == KILL_IN - 1:
            print(f'inside {KILL_IN}', flush=True)
            sys.stdin.readline()
        return result
    Bill.post = classmethod(post)


def counts(pool):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()

    def one(query):
        cursor.execute(query)
        return cursor.fetchone()[0]
    return {
        'runs_posting': one(
            "SELECT COUNT(*) FROM water_bill_run WHERE state = 'posting'"),
        'runs_posted': one(
            "SELECT COUNT(*) FROM water_bill_run WHERE state = 'posted'"),
        'bills': one("SELECT COUNT(*) FROM water_bill"),
        'bills_posted': one(
            "SELECT COUNT(*) FROM water_bill WHERE state = 'posted'"),
        'bills_with_invoice': one(
            "SELECT COUNT(*) FROM water_bill WHERE invoice IS NOT NULL"),
        'invoices': one("SELECT COUNT(*) FROM account_invoice"),
        'posted_invoices': one(
            "SELECT COUNT(*) FROM account_invoice WHERE state IN "
            "('posted', 'paid')"),
        'moves': one("SELECT COUNT(*) FROM account_move"),
        'distinct_invoice_numbers': one(
            "SELECT COUNT(DISTINCT number) FROM account_invoice"),
        'invoices_of_two_bills': one(
            "SELECT COUNT(*) FROM (SELECT invoice FROM water_bill "
            "WHERE invoice IS NOT NULL GROUP BY invoice "
            "HAVING COUNT(*) > 1) AS t"),
        'services_behind': one(
            "SELECT COUNT(*) FROM water_bill_period AS p "
            "JOIN water_bill AS b ON p.bill = b.id "
            "JOIN water_service AS s ON p.service = s.id "
            "WHERE b.state = 'posted' AND s.billed_through <> p.end_date"),
        }


def resume(state):
    "What the kill left; then Resume, and Resume and Post again"
    from trytond.transaction import Transaction
    pool = start()
    report = {}
    with Transaction().start(SOURCE, 1) as transaction:
        report['after_kill'] = counts(pool)
        BillRun = pool.get('water.bill.run')
        User = pool.get('res.user')
        with transaction.set_context(User.get_preferences(context_only=True)):
            BillRun.resume(BillRun.search([('state', '=', 'posting')]))
        transaction.commit()
    report['tasks_resumed'] = tasks_run(pool)
    with Transaction().start(SOURCE, 1) as transaction:
        report['after_resume'] = counts(pool)
        BillRun = pool.get('water.bill.run')
        with transaction.set_context(User.get_preferences(context_only=True)):
            runs = BillRun.search([])
            BillRun.resume(runs)
            BillRun.post(runs)
        transaction.commit()
    report['tasks_again'] = tasks_run(pool)
    with Transaction().start(SOURCE, 1, readonly=True):
        report['after_again'] = counts(pool)
    (state / 'resume.json').write_text(json.dumps(report))


if __name__ == '__main__':
    main()
