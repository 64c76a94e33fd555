# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Post the same bill runs, then the same lockbox file, the stock way and the
bulk way; print what differs.

    python tests/ledger_compare.py STATE [--db-uri postgresql:///]
        [--premises 80]

Builds a small demo district in the folder STATE (SQLite, or PostgreSQL
with --db-uri), gives it a month of reads and calculates a run per cycle.
The database is then cloned; in one copy the runs post through stock
`Invoice.save` + `Invoice.post` (context `water_stock_posting`), in the
other through the bill run's bulk ledger writer.  Then a lockbox file
paying those bills (in full, in part, more than owed, twice, across
statements, and to no account) is imported in each, through stock
statement posting and through the payment file's bulk writer.  Every row
both wrote or changed in the ledger's tables (invoices, their lines and
payments, statements, moves, move lines, reconciliations, journal periods,
sequences) and in the bills, services and payment files is compared column
by column, ids included; only the timestamps' values are left out.  The
two copies run with different PYTHONHASHSEED: nothing may follow hashing.

Two more copies post the runs with the revenue accounts closed, then
ended before the bill date: both ways must refuse with the same error
(under "refusals").  Two more have `account_invoice_history` and
`analytic_invoice` activated: the bulk way must post as the stock way,
or go the stock way and say why (under "modules": its differences and
the reasons logged); on SQLite only, the decision not depending on the
backend.

Prints a JSON report: the rows compared per table and the differences,
for the bill runs under "bills" and for the lockbox file under
"lockbox"."""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE, STOCK, BULK = 'water_ledger_src', 'water_ledger_stock', 'water_ledger_bulk'
REFUSE_STOCK, REFUSE_BULK = 'water_ledger_refuse_stock', 'water_ledger_refuse_bulk'
MODULES_SOURCE = 'water_ledger_modules_src'
MODULES_STOCK, MODULES_BULK = (
    'water_ledger_modules_stock', 'water_ledger_modules_bulk')
MODULES = ['account_invoice_history', 'analytic_invoice']
DATABASES = [SOURCE, STOCK, BULK, REFUSE_STOCK, REFUSE_BULK, MODULES_SOURCE,
    MODULES_STOCK, MODULES_BULK]
TABLES = [
    'account_invoice', 'account_invoice_line', 'account_move',
    'account_move_line', 'account_move_reconciliation',
    'account_journal_period', 'ir_sequence', 'ir_sequence_strict',
    'water_bill', 'water_service', 'water_bill_run',
    'account_statement', 'account_statement_line',
    'account_invoice-account_move_line', 'water_payment_import',
    'water_payment_import_line']
# Payments a statement, small so that a few dozen make several.
STATEMENT_SIZE = 7
# numbered_at: account_invoice_history's time of numbering
TIMESTAMPS = {'create_date', 'write_date', 'numbered_at'}
# posting_note: why the run went the stock way; the stock side asks for it
NOTES = {'posting_note'}


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
    databases = [STOCK, BULK, REFUSE_STOCK, REFUSE_BULK]
    # The optional modules on SQLite only: whether they send posting the
    # stock way does not depend on the backend, and on PostgreSQL their
    # activation and two more runs cost CI minutes
    with_modules = not args.db_uri
    clone(state, args.db_uri, SOURCE,
        databases + ([MODULES_SOURCE] if with_modules else []))
    if with_modules:
        activate(state, args.db_uri)
        clone(state, args.db_uri, MODULES_SOURCE,
            [MODULES_STOCK, MODULES_BULK])
        databases += [MODULES_STOCK, MODULES_BULK]
    # Different seeds: what bulk posting writes must not follow hashing.
    for seed, database in enumerate(databases, 1):
        step_name = ('refuse-' if database in {REFUSE_STOCK, REFUSE_BULK}
            else 'post-') + database
        run(state, step_name, seed)
    stock, bulk = read(state, STOCK), read(state, BULK)
    report = {}
    for name, before, after in [
            ('bills', 'before', 'billed'), ('lockbox', 'billed', 'after')]:
        report[name] = compare(stock[before], stock[after], bulk[after])
    report['refusals'] = {
        'stock': read(state, REFUSE_STOCK), 'bulk': read(state, REFUSE_BULK)}
    if with_modules:
        stock, bulk = read(state, MODULES_STOCK), read(state, MODULES_BULK)
        report['modules'] = {
            'bills': compare(
                stock['before'], stock['billed'], bulk['billed']),
            'lockbox': compare(
                stock['billed'], stock['after'], bulk['after']),
            'reasons': bulk['reasons'],
            'warnings': bulk['warnings'],
            }
    if args.db_uri:
        for database in DATABASES:
            drop(args.db_uri, database)
    print(json.dumps(report, indent=1))


def compare(before, after_stock, after_bulk):
    "The rows the stock way changed, and how the bulk way's differ"
    result = {'compared': {}, 'differences': []}
    for table in TABLES:
        result['compared'][table] = sum(
            1 for k in after_stock[table]
            if before[table].get(k) != after_stock[table][k])
        for key in sorted(
                set(after_stock[table]) | set(after_bulk[table]), key=int):
            stock, bulk = (
                after_stock[table].get(key), after_bulk[table].get(key))
            if stock != bulk:
                result['differences'].append({
                        'table': table, 'id': key,
                        'stock': stock, 'bulk': bulk})
    return result


def read(state, database):
    return json.loads((state / f'{database}.json').read_text())


def run(state, step, seed=0):
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    env['PYTHONHASHSEED'] = str(seed)
    subprocess.run([sys.executable, __file__, str(state), '--step', step],
        env=env, check=True, stdout=sys.stderr)


def activate(state, db_uri):
    "Activate MODULES in MODULES_SOURCE, with trytond's own admin command"
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    subprocess.run([str(Path(sys.executable).parent / 'trytond-admin'),
            '-c', str(state / 'trytond.conf'), '-d', MODULES_SOURCE,
            '-u', *MODULES, '--activate-dependencies'],
        env=env, check=True, stdout=sys.stderr)


def build(state, args):
    cmd = [sys.executable, '-m', 'water_utility.demo', '--state-dir',
        str(state), '--database', SOURCE, '--premises', str(args.premises),
        '--without-payroll', '--history-months', '0']
    if args.db_uri:
        cmd += ['--db-type', 'postgresql', '--db-uri', args.db_uri]
        for database in DATABASES:
            drop(args.db_uri, database)
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    subprocess.run(cmd, env=env, check=True, stdout=sys.stderr)
    run(state, 'prepare')


def clone(state, db_uri, source, databases):
    if db_uri:
        import psycopg

        from water_utility.pg import maintenance_uri
        uri = maintenance_uri(db_uri)
        with psycopg.connect(uri, autocommit=True) as conn:
            for database in databases:
                conn.execute(
                    f'CREATE DATABASE {database} TEMPLATE {source}')
    else:
        for database in databases:
            shutil.copy(state / 'db' / f'{source}.sqlite',
                state / 'db' / f'{database}.sqlite')


def drop(db_uri, database):
    from water_utility.pg import drop_database
    drop_database(db_uri, database)


def step(name):
    "One step, in its own process: trytond reads its configuration once"
    from trytond.pool import Pool
    from trytond.transaction import TransactionError
    Pool.start()
    if name == 'prepare':
        database = SOURCE
    else:
        database = name.split('-', 1)[1]
    pool = Pool(database)
    pool.init()
    extras = {}
    if name != 'prepare':
        extras = locked(pool, database)
    if name.startswith('refuse-'):
        result = {case: refused(pool, database, case, extras)
            for case in ['closed', 'ended']}
        state = Path(os.environ['TRYTOND_CONFIG']).parent
        (state / f'{database}.json').write_text(json.dumps(result))
        return
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


def refused(pool, database, case, extras):
    """How posting the calculated runs fails with the revenue accounts
    closed, or ended the day before the bill date: [error class, message]
    (None if it posts); rolled back"""
    from trytond.exceptions import UserError
    from trytond.transaction import Transaction, TransactionError
    extras = dict(extras)
    while True:
        try:
            with Transaction().start(database, 1, **extras) as transaction:
                User = pool.get('res.user')
                with transaction.set_context(
                        User.get_preferences(context_only=True)):
                    return refuse(pool, database, case)
        except TransactionError as error:
            error.fix(extras)
        except UserError as error:
            return [type(error).__name__, error.message]


def refuse(pool, database, case):
    import datetime
    from trytond.transaction import Transaction
    transaction = Transaction()
    Account = pool.get('account.account')
    BillRun = pool.get('water.bill.run')
    if database == REFUSE_BULK:
        from water_utility.models.ledger import stock_reason
        assert not stock_reason(), f"bulk posting is off: {stock_reason()}"
    runs = BillRun.search([('state', '=', 'calculated')])
    revenue = Account.search([('type.revenue', '=', True)])
    table = Account.__table__()
    # Below the ORM: Tryton refuses to close an account that has lines.
    if case == 'closed':
        column, value = table.closed, True
    else:
        column = table.end_date
        value = min(r.bill_date for r in runs) - datetime.timedelta(days=1)
    transaction.connection.cursor().execute(*table.update([column], [value],
            where=table.id.in_([a.id for a in revenue])))
    with transaction.set_context(water_now=True,
            water_stock_posting=database == REFUSE_STOCK):
        BillRun.post(runs)
    transaction.rollback()


def attempt(pool, database, name, extras):
    import logging
    from trytond.transaction import Transaction
    warnings = []

    class Warnings(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())
    logging.getLogger('water_utility.models.ledger').addHandler(Warnings())
    stock_way = database in {STOCK, MODULES_STOCK}
    with Transaction().start(database, 1, **extras) as transaction:
        User = pool.get('res.user')
        with transaction.set_context(User.get_preferences(context_only=True)):
            if name == 'prepare':
                prepare(pool)
                transaction.commit()
                return
            from water_utility.models.ledger import stock_reason
            from water_utility.models.payment_ledger import (
                STATEMENT_HOOKS, STATEMENT_KNOWN)
            reasons = [stock_reason(),
                stock_reason(STATEMENT_HOOKS, STATEMENT_KNOWN)]
            if database == BULK:
                # Or both copies would post the stock way, and agree.
                assert reasons == [None, None], (
                    f"bulk posting is off: {reasons}")
            before = dump(pool)
            BillRun = pool.get('water.bill.run')
            with transaction.set_context(water_now=True,
                    water_stock_posting=stock_way):
                BillRun.post(BillRun.search([('state', '=', 'calculated')]))
            billed = dump(pool)
            from water_utility.models import payment_import
            payment_import.STATEMENT_SIZE = STATEMENT_SIZE
            Import = pool.get('water.payment.import')
            if database == BULK:
                def stock(*args):
                    raise AssertionError("the file posted the stock way")
                Import.post_stock = stock
            with transaction.set_context(water_stock_posting=stock_way):
                Import.import_file('lockbox.csv', lockbox_file(pool))
            after = dump(pool)
            transaction.commit()
    return {'before': before, 'billed': billed, 'after': after,
        'reasons': reasons, 'warnings': warnings}


def lockbox_file(pool):
    """A lockbox file paying the open bills: most in full; some in part,
    some more than owed, one in two rows of a statement, one in rows of
    two statements, one all of an account's bills; two rows for no
    account"""
    from decimal import Decimal
    Invoice = pool.get('account.invoice')
    bills = Invoice.search([
            ('water_account', '!=', None), ('state', '=', 'posted')],
        order=[('id', 'ASC')])
    owed = {}
    for bill in bills:
        owed.setdefault(bill.water_account.number, []).append(
            bill.amount_to_pay)
    numbers = sorted(owed)
    rows = []
    for i, number in enumerate(numbers):
        amount = owed[number][-1]
        if i % 5 == 1:
            amount = (amount / 2).quantize(Decimal('0.01'))
        elif i % 5 == 3:
            amount += 20
        elif i == 4:
            rows.append((number, (amount * 2 / 5).quantize(amount)))
            amount -= rows[-1][1]
        elif i == 9:
            # The rest comes in a later statement.
            amount = (amount / 3).quantize(amount)
            rows.append((numbers[9], owed[number][-1] - amount))
        if len(owed[number]) > 1:
            amount = sum(owed[number])
        rows.append((number, amount))
        if i == 20:
            rows.append(('999999', Decimal('12.34')))
            rows.append(('', Decimal('5.00'), 'Nobody Known'))
    # The row of bill 9's rest, moved after a statement or two.
    rest = next(r for r in rows if r[0] == numbers[9])
    rows.remove(rest)
    rows.insert(min(len(rows), 3 * STATEMENT_SIZE), rest)
    lines = ["Account Number,Amount,Check Number,Remitter,Payment Date"]
    lines += [f'{r[0]},{r[1]},{5000 + i},{r[2] if len(r) > 2 else ""},'
        '11/25/2026' for i, r in enumerate(rows)]
    return ('\n'.join(lines) + '\n').encode()


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
                for n, v in zip(names, row) if n not in NOTES}
            for row in cursor.fetchall()}
    return result


if __name__ == '__main__':
    main()
