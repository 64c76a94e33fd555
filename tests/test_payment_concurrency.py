# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Two lockbox files with overlapping payments, imported at the same
instant in two processes, pay each payment once: the import that runs
second skips the payments the first paid and names the line that paid them.

Each process runs its import as trytond's dispatcher runs a call: in its
own transaction, started again on a TransactionError (on PostgreSQL to wait
for the company's posting turn, `counter_turn`, and to lock Tryton's strict
sequences) and retried a few times on a database operational error (a busy
SQLite, a lock not obtained).

What makes it hold: the import's lock (one import at a time, and the one
that waited sees what the other paid, `PaymentImport.lock_imports`) and,
under it, the database key on
each payment's identity (`payment_key_unique`).  Without the lock both
imports find none of the common payments seen and both pay them, unless
the key refuses the second (then that import fails whole instead of
skipping: the skipped-count assertions below fail); without either, the
common payments are paid twice (the ledger assertions below fail).
`test_payment_key_is_unique_in_the_database` checks the key is there.

SQLite lets one writer at a time: there the same test runs on a copy of
the district in a database file both processes open, with the same result.
"""
import datetime as dt
import multiprocessing
import os
import sqlite3
import time
import traceback
from decimal import Decimal

import pytest

CUSTOMERS = [
    # name, street, bill, check number
    ("Rosa Delgado", "120 Oak Street", Decimal('45.67'), '1042'),
    ("Ben Okafor", "14 Pine Court", Decimal('80.00'), '2210'),
    ("Cora Lind", "300 Mill Road", Decimal('64.35'), '3301'),
    ("Dev Patel", "9 Creek Lane", Decimal('30.00'), '4410'),
    ("Pat Lee", "5 Elm Street", Decimal('40.00'), '5120'),
    ("Ida Moss", "61 Bay Road", Decimal('72.18'), '6001'),
    ]
# Customers 2 and 3 (Cora, Dev) pay in both files.
FIRST, SECOND = range(0, 4), range(2, 6)


def _postgresql():
    return os.environ.get(
        'TRYTOND_DATABASE_URI', 'sqlite://').startswith('postgresql')


@pytest.fixture(scope='module')
def district():
    """Six customers, each with one posted bill; the database is dropped
    after this file's tests, so the next district can be restored"""
    from proteus import Model
    from trytond.tests.test_tryton import drop_db
    from trytond.tests.tools import activate_modules
    from water_utility.district import district_today, setup_district

    from .db_cache import seed_district_cache
    seed_district_cache()
    config = activate_modules('water_utility', setup_district)
    today = district_today()
    Party = Model.get('party.party')
    Account = Model.get('water.account')
    Invoice = Model.get('account.invoice')
    Product = Model.get('product.product')
    water_usage, = Product.find([('code', '=', 'water_usage')])
    customers = []
    for name, street, amount, check in CUSTOMERS:
        party = Party(name=name)
        address, = party.addresses
        address.street = street
        address.city = "Cedar Creek"
        party.save()
        account = Account(party=party, role='tenant',
            mailing_address=party.addresses[0])
        account.save()
        invoice = Invoice(type='out', party=party,
            invoice_date=today - dt.timedelta(days=10))
        invoice.lines.new(
            product=water_usage, quantity=1, unit_price=amount)
        invoice.save()
        # What the bill run sets (the field is read-only on the form)
        Invoice._proxy.write(
            [invoice.id], {'water_account': account.id}, config.context)
        invoice.reload()
        invoice.click('post')
        customers.append((account, invoice, amount, check))
    yield config, today, customers
    drop_db()


def first_file(today, customers):
    "The bank's lockbox file, LF line endings"
    lines = ["Account Number,Amount,Check Number,Remitter,Payment Date"]
    for i in FIRST:
        account, _, amount, check = customers[i]
        lines.append(f'{account.number},{amount},{check},'
            f'"{CUSTOMERS[i][0]}",{today:%m/%d/%Y}')
    return ('\n'.join(lines) + '\n').encode()


def second_file(today, customers):
    """The bank's file of the next day, resending the payments of Cora and
    Dev among new ones, its columns in another order, CRLF line endings"""
    lines = ["Check Number,Remitter,Account Number,Payment Date,Amount"]
    for i in SECOND:
        account, _, amount, check = customers[i]
        lines.append(f'{check},"{CUSTOMERS[i][0]}",{account.number},'
            f'{today:%Y-%m-%d},{amount}')
    return ('\r\n'.join(lines) + '\r\n').encode()


def test_payment_key_is_unique_in_the_database(district):
    "Under the lock, the database refuses a payment's key twice"
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    config, today, customers = district
    account, _, amount, check = customers[0]
    with Transaction().start(config.database_name, 0) as transaction:
        pool = Pool()
        Import = pool.get('water.payment.import')
        Line = pool.get('water.payment.import.line')
        company, = pool.get('company.company').search([])
        record, = Import.create([{'company': company.id,
                    'file_name': 'key.csv', 'file_hash': 'key',
                    'source': 'lockbox', 'date': today}])
        table = Line.__table__()
        cursor = transaction.connection.cursor()

        def insert(line):
            cursor.execute(*table.insert([table.payment_import,
                        table.line_number, table.check_number,
                        table.amount, table.payment_key, table.state],
                    [[record.id, line, check, amount, 'one payment',
                            'waiting']]))
        insert(2)
        with pytest.raises(backend.DatabaseIntegrityError):
            insert(3)
        transaction.rollback()


def test_overlapping_files_imported_together_pay_once(district, tmp_path):
    from proteus import Model

    config, today, customers = district
    files = {'a.csv': first_file(today, customers),
        'b.csv': second_file(today, customers)}
    results = _imports_together(config, files, today, tmp_path)
    for name, (_, restarts) in sorted(results.items()):
        print(f"{name}: restarted after {restarts or 'nothing'}")

    Import = Model.get('water.payment.import')
    Line = Model.get('water.payment.import.line')
    Invoice = Model.get('account.invoice')
    Account = Model.get('water.account')
    StatementLine = Model.get('account.statement.line')
    imports = Import.find([('file_name', 'in', list(files))])
    # The lock lets one import at a time: the second created its record
    # after the first committed.
    first, second = sorted(imports, key=lambda i: i.id)
    assert {results[i.file_name][0] for i in imports} == {i.id for i in imports}
    paid_first = FIRST if first.file_name == 'a.csv' else SECOND
    paid_second = [i for i in
        (SECOND if first.file_name == 'a.csv' else FIRST)
        if i not in paid_first]
    assert (first.rows, first.skipped) == (4, 0)
    assert (second.rows, second.skipped) == (2, 2)

    # Each payment has one import line and one key ...
    lines = Line.find([('payment_import', 'in', [first.id, second.id])])
    assert len(lines) == len(CUSTOMERS)
    assert len({l.payment_key for l in lines}) == len(CUSTOMERS)
    assert sorted(l.check_number for l in lines) == sorted(
        c for _, _, _, c in CUSTOMERS)
    assert {l.state for l in lines} == {'applied'}
    # ... the lines of the import that ran first for the common payments.
    assert sorted(l.check_number for l in lines
        if l.payment_import == first) == sorted(
        CUSTOMERS[i][3] for i in paid_first)
    assert sorted(l.check_number for l in lines
        if l.payment_import == second) == sorted(
        CUSTOMERS[i][3] for i in paid_second)

    # Each payment went into the ledger once: its statement lines add up
    # to its amount, its bill is paid, its account owes nothing and has no
    # credit (a payment made twice would leave one).
    statement_lines = StatementLine.find([
            ('statement.water_payment_import', 'in', [first.id, second.id]),
            ])
    assert {l.statement.state for l in statement_lines} == {'posted'}
    for account, invoice, amount, check in customers:
        assert sum(l.amount for l in statement_lines
            if l.number == check) == amount, check
        assert Invoice(invoice.id).state == 'paid'
        assert Account(account.id).balance == Decimal('0.00')
    assert sum(l.amount for l in statement_lines) == sum(
        a for _, _, a, _ in CUSTOMERS)

    # The second import names each payment it skipped and the line of the
    # first file that paid it.  Cora and Dev are lines 4 and 5 of a.csv,
    # lines 2 and 3 of b.csv.
    shift = 2 if first.file_name == 'a.csv' else -2
    assert second.skipped_payments.splitlines() == [
        f'line {line}: {customers[i][0].number}, check {customers[i][3]}, '
        f'{customers[i][2]} was paid by {first.file_name} '
        f'line {line + shift} {CUSTOMERS[i][0]} {customers[i][0].number}'
        for i, line in zip([2, 3], [2, 3] if shift == 2 else [4, 5])]


def _imports_together(config, files, today, folder):
    """Import each of `files` {name: data} in a process of its own, all
    released at the same instant: {name: (import id, [restart reasons])}"""
    database = config.database_name
    environ = {}
    if database == ':memory:':
        # Processes share no memory database: they open a copy of it.
        database = 'payments'
        environ['TRYTOND_DATABASE__PATH'] = str(folder)
        _copy_sqlite(folder / f'{database}.sqlite')
    context = multiprocessing.get_context('spawn')
    barrier = context.Barrier(len(files) + 1)
    # One process at a time loads its pool: on SQLite each connection
    # sets the file's journal mode, which a second one, at the same
    # instant, found locked (seen once under CI).  The imports themselves
    # still start together, at the barrier.
    init_lock = context.Lock()
    queue = context.Queue()
    saved = {k: os.environ.get(k) for k in environ}
    os.environ.update(environ)
    try:
        processes = [context.Process(target=import_in_process,
                args=(database, name, data, today, init_lock, barrier,
                    queue))
            for name, data in files.items()]
        for process in processes:
            process.start()
    finally:
        for key, value in saved.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
    try:
        # Both have their pool loaded when they reach the barrier.
        barrier.wait(timeout=600)
        results = dict(queue.get(timeout=600) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    for name, result in results.items():
        assert not isinstance(result, str), f"{name}:\n{result}"
    assert all(p.exitcode == 0 for p in processes)
    if environ:
        _copy_sqlite(folder / f'{database}.sqlite', restore=True)
    return results


def _copy_sqlite(path, restore=False):
    "Copy the memory database to the file `path` (or back, `restore`)"
    from trytond import backend

    database = backend.Database(':memory:').connect()
    connection = database.get_connection()
    try:
        with sqlite3.connect(path) as other:
            if restore:
                other.backup(connection)
            else:
                connection.backup(other)
        other.close()
    finally:
        database.put_connection(connection)


def import_in_process(
        database, file_name, data, date, init_lock, barrier, queue):
    "One import of the parallel test, in its own process"
    try:
        from trytond.pool import Pool

        Pool.start()
        with init_lock:
            Pool(database).init()
        barrier.wait(timeout=600)
        queue.put((file_name, dispatch_import(database, file_name, data,
                    date)))
    except Exception:
        queue.put((file_name, traceback.format_exc()))
        raise


def dispatch_import(database, file_name, data, date):
    """Import the file as the cashier, as trytond's dispatcher runs a call,
    then run the tasks it queued (the invoices' paid state) as the
    dispatcher does: (import id, [why the transaction started again])"""
    from trytond import backend
    from trytond.config import config
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError
    from trytond.worker import run_task

    pool = Pool(database)
    retry = config.getint('database', 'retry')
    count, extras, restarts = 0, {}, []
    while True:
        if count:
            time.sleep(0.02 * count)
        with Transaction().start(database, 0, **extras) as transaction:
            User = pool.get('res.user')
            Import = pool.get('water.payment.import')
            try:
                user, = User.search([('login', '=', 'cashier')])
                with transaction.set_user(user.id), \
                        transaction.set_context(
                            User.get_preferences(context_only=True)):
                    record, already = Import.import_file(
                        file_name, data, 'lockbox', date)
                assert not already
                result = record.id, restarts
            except TransactionError as error:
                transaction.rollback()
                transaction.tasks.clear()
                error.fix(extras)
                restarts.append(type(error).__name__)
                continue
            except backend.DatabaseOperationalError:
                if count < retry:
                    transaction.rollback()
                    transaction.tasks.clear()
                    count += 1
                    restarts.append('DatabaseOperationalError')
                    continue
                raise
            transaction.commit()
        while transaction.tasks:
            run_task(pool, transaction.tasks.pop())
        return result
