# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Build and drop the benchmark districts (outside any timing)."
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from water_utility.pg import drop_database


def started_pool(database):
    "trytond's pool of the benchmark `database`, started and loaded"
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(database)
    pool.init()
    return pool


def attempt(database, pool, func, commit=False, user=1):
    """Run func() in a transaction of `user` as trytond's own dispatcher
    would: when posting needs records locked (the strict invoice
    sequence), start again with them locked.  Only the attempt that
    succeeds is timed by func itself."""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(database, user, **extras) as transaction:
            User = pool.get('res.user')
            with transaction.set_context(
                    User.get_preferences(context_only=True)):
                try:
                    result = func()
                except TransactionError as error:
                    transaction.rollback()
                    error.fix(extras)
                    print(f"again, with {extras}: {error!r}", flush=True)
                    continue
            if commit:
                transaction.commit()
            else:
                transaction.rollback()
            return result


def district_options(parser):
    "The options of every benchmark's district: --db-uri and --reuse"
    parser.add_argument('--db-uri', help="PostgreSQL URI; SQLite if absent")
    parser.add_argument('--reuse', action='store_true',
        help="use (and keep) the PostgreSQL district of a previous run")


@contextmanager
def district(database, premises, db_uri, reuse=False, history_months=0):
    """Build the district in a temporary folder, point trytond at it and
    yield the folder; drop its PostgreSQL database afterwards unless
    `reuse`"""
    with tempfile.TemporaryDirectory() as state:
        print(f"building a district of {premises} premises and "
            f"{history_months} months of history ...", flush=True)
        built = build(state, database, premises, db_uri, reuse,
            history_months)
        print(f"built in {built:.0f} s", flush=True)
        os.environ['TRYTOND_CONFIG'] = str(Path(state) / 'trytond.conf')
        try:
            yield state
        finally:
            if db_uri and not reuse:
                drop(database, db_uri)


def build(state, database, premises, db_uri, reuse=False, history_months=0):
    """Build the demo district of `premises` premises (and
    `history_months` months of reads, bills and payments) in `state`
    (SQLite), or in PostgreSQL database `database`; return the seconds it
    took"""
    cmd = [sys.executable, '-m', 'water_utility.demo', '--state-dir', state,
        '--database', database, '--premises', str(premises),
        '--history-months', str(history_months)]
    if db_uri and not reuse:
        drop_database(db_uri, database)
    if db_uri:
        cmd += ['--db-type', 'postgresql', '--db-uri', db_uri]
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    started = time.monotonic()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def drop(database, db_uri):
    "Leave no benchmark database on the server (sao would list it)"
    from trytond import backend
    from trytond.pool import Pool
    Pool.stop(database)
    backend.Database(database).close()
    drop_database(db_uri, database)
