# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Post the same bill runs the stock way and the bulk way; print what differs.

    python tests/ledger_compare.py STATE [--db-uri postgresql:///]
        [--premises 80]

Builds a small demo district in the folder STATE (SQLite, or PostgreSQL
with --db-uri), gives it a month of reads and calculates a run per cycle.
The database is then cloned; in one copy the runs post through stock
`Invoice.save` + `Invoice.post` (context `water_stock_posting`), in the
other through the bill run's bulk ledger writer.  Every row both wrote or
changed in the ledger's tables (invoices, their lines, moves, move lines,
reconciliations, journal periods, sequences) and in the bills and services
is compared column by column, ids included; only the timestamps' values
are left out.  Prints a JSON report: the rows compared per table and the
differences."""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE, STOCK, BULK = 'water_ledger_src', 'water_ledger_stock', 'water_ledger_bulk'
TABLES = [
    'account_invoice', 'account_invoice_line', 'account_move',
    'account_move_line', 'account_move_reconciliation',
    'account_journal_period', 'ir_sequence', 'ir_sequence_strict',
    'water_bill', 'water_service', 'water_bill_run']
TIMESTAMPS = {'create_date', 'write_date'}


def arguments():
    """The state folder, backend and size; a step names what a child
    process does, with trytond configured for the state folder"""
    parser = argparse.ArgumentParser()
    parser.add_argument('state')
    parser.add_argument('--db-uri')
    parser.add_argument('--premises', type=int, default=80)
    parser.add_argument('--step', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        os.environ['TRYTOND_CONFIG'] = str(
            Path(args.state) / 'trytond.conf')
    return args, Path(args.state)


def main():
    args, state = arguments()
    if args.step:
        step(args.step)
        return
    build(state, args)
    clone(state, args.db_uri)
    for database in [STOCK, BULK]:
        run(state, 'post-' + database)
    stock = json.loads((state / f'{STOCK}.json').read_text())
    bulk = json.loads((state / f'{BULK}.json').read_text())
    report = {'compared': {}, 'differences': []}
    for table in TABLES:
        before = stock['before'][table]
        after_stock, after_bulk = stock['after'][table], bulk['after'][table]
        report['compared'][table] = sum(
            1 for k in after_stock if before.get(k) != after_stock[k])
        for key in sorted(set(after_stock) | set(after_bulk), key=int):
            if after_stock.get(key) != after_bulk.get(key):
                report['differences'].append({
                        'table': table, 'id': key,
                        'stock': after_stock.get(key),
                        'bulk': after_bulk.get(key)})
    if args.db_uri:
        for database in [SOURCE, STOCK, BULK]:
            drop(args.db_uri, database)
    print(json.dumps(report, indent=1))


def run(state, step):
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    subprocess.run([sys.executable, __file__, str(state), '--step', step],
        env=env, check=True, stdout=sys.stderr)


def build(state, args):
    cmd = [sys.executable, '-m', 'water_utility.demo', '--state-dir',
        str(state), '--database', SOURCE, '--premises', str(args.premises)]
    if args.db_uri:
        cmd += ['--db-type', 'postgresql', '--db-uri', args.db_uri]
        for database in [SOURCE, STOCK, BULK]:
            drop(args.db_uri, database)
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    subprocess.run(cmd, env=env, check=True, stdout=sys.stderr)
    run(state, 'prepare')


def clone(state, db_uri):
    if db_uri:
        import psycopg
        with psycopg.connect(maintenance(db_uri), autocommit=True) as conn:
            for database in [STOCK, BULK]:
                conn.execute(
                    f'CREATE DATABASE {database} TEMPLATE {SOURCE}')
    else:
        for database in [STOCK, BULK]:
            shutil.copy(state / 'db' / f'{SOURCE}.sqlite',
                state / 'db' / f'{database}.sqlite')


def drop(db_uri, database):
    import psycopg
    with psycopg.connect(maintenance(db_uri), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS {database} WITH (FORCE)')


def maintenance(db_uri):
    return (db_uri if db_uri.endswith('/') else db_uri + '/') + 'postgres'


def step(name):
    "One step, in its own process: trytond reads its configuration once"
    from trytond.pool import Pool
    from trytond.transaction import TransactionError
    Pool.start()
    if name == 'prepare':
        database = SOURCE
    else:
        database = name[len('post-'):]
    pool = Pool(database)
    pool.init()
    extras = {}
    if name != 'prepare':
        extras = locked(pool, database)
    while True:
        # As trytond's dispatcher: the strict sequences want their rows
        # locked, so start again with them locked.
        try:
            result = attempt(pool, database, name, extras)
        except TransactionError as error:
            error.fix(extras)
            continue
        break
    if result:
        state = Path(os.environ['TRYTOND_CONFIG']).parent
        (state / f'{database}.json').write_text(json.dumps(result))


def locked(pool, database):
    """The locks posting wants, found by a probe that writes nothing.

    Posting restarts its transaction when it first needs the strict
    sequences or the journal periods locked, and PostgreSQL does not give
    back the ids an abandoned attempt drew: each path would skip ids
    depending on where it stopped.  Both start with the locks held."""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        try:
            with Transaction().start(database, 1, **extras) as transaction:
                for sequence in pool.get('ir.sequence.strict').search([]):
                    sequence.get()
                pool.get('account.journal.period').lock()
                transaction.rollback()
        except TransactionError as error:
            error.fix(extras)
            continue
        return extras


def attempt(pool, database, name, extras):
    from trytond.transaction import Transaction
    with Transaction().start(database, 1, **extras) as transaction:
        User = pool.get('res.user')
        with transaction.set_context(User.get_preferences(context_only=True)):
            if name == 'prepare':
                prepare(pool)
                transaction.commit()
                return
            if database == BULK:
                # Or both copies would post the stock way, and agree.
                from water_utility.models.ledger import hooked
                assert not hooked(), f"bulk posting is off: {hooked()}"
            before = dump(pool)
            BillRun = pool.get('water.bill.run')
            with transaction.set_context(water_now=True,
                    water_stock_posting=database == STOCK):
                BillRun.post(BillRun.search([('state', '=', 'calculated')]))
            after = dump(pool)
            transaction.commit()
    return {'before': before, 'after': after}


def prepare(pool):
    "A month of reads, and a calculated run per cycle"
    from water_utility.demo import add_billing_reads
    add_billing_reads(pool)
    today = pool.get('ir.date').today()
    BillRun = pool.get('water.bill.run')
    runs = BillRun.create([{
                'cycle': c.id, 'read_date': today, 'bill_date': today}
            for c in pool.get('water.cycle').search([])])
    BillRun.calculate(runs)


def dump(pool):
    "Every row of TABLES, column by column, as the database holds it"
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    result = {}
    for table in TABLES:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
        names = [d[0] for d in cursor.description]
        result[table] = {
            str(row[0]): {n: (v is not None) if n in TIMESTAMPS else repr(v)
                for n, v in zip(names, row)}
            for row in cursor.fetchall()}
    return result


if __name__ == '__main__':
    main()
