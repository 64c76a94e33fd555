# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The counter's turn: cashiers' posts wait for each other, none fails.

A counter post draws gapless numbers from Tryton's strict sequences (the
receipt's, the fiscal year's move number), each locked until the post
commits.  A second post that finds one locked makes trytond start its
request again a few times in a fraction of a second, then give up: with
several cashiers posting, most of them got an error.

On PostgreSQL a post first takes the counter's turn: a session advisory
lock, waited for on a connection of its own *between* two attempts of the
request (from a `TransactionError`, which trytond's dispatcher retries
without limit), so that the attempt that then runs takes its snapshot after
the previous post committed.  The turn is held until the post commits, or
fails for good.  Waiting posts queue on the lock in order; a post waits at
most `[water] counter_wait` seconds (default 120) and is then told the
counter is busy.  SQLite runs one writer at a time and needs no turn."""
import threading
from contextlib import contextmanager

from trytond import backend
from trytond.config import config
from trytond.i18n import gettext
from trytond.transaction import Transaction, TransactionError

from .exceptions import CashError

# 'wcnt' then the company: one turn a company
KEY_BASE = int.from_bytes(b'wcnt', 'big') << 32
_local = threading.local()


def turn_key(company_id):
    return KEY_BASE + company_id


class WaitForTurn(TransactionError):
    "The request starts again once it has the counter's turn"

    def __init__(self, database, key):
        super().__init__()
        self.database, self.key = database, key

    def fix(self, extras):
        super().fix(extras)
        take(self.database, self.key)


def take(database, key):
    """Wait for the turn `key` on a connection of its own, and keep it for
    this thread until `release`"""
    import psycopg
    release()
    params = backend.Database._connection_params(database)
    connection = psycopg.connect(params['conninfo'], autocommit=True)
    wait = config.getint('water', 'counter_wait', default=120)
    try:
        connection.execute(
            "SELECT set_config('lock_timeout', %s, false)", (f'{wait}s',))
        connection.execute('SELECT pg_advisory_lock(%s)', (key,))
    except psycopg.errors.LockNotAvailable:
        connection.close()
        raise CashError(gettext('water_utility.msg_counter_busy',
                seconds=wait))
    except BaseException:
        connection.close()
        raise
    # Closing the connection (or losing it with its thread) ends the turn.
    _local.turn = (key, connection)


def release():
    "End this thread's turn, if it holds one"
    turn = getattr(_local, 'turn', None)
    _local.turn = None
    if turn:
        key, connection = turn
        try:
            connection.execute('SELECT pg_advisory_unlock(%s)', (key,))
        finally:
            connection.close()


def holds(key):
    turn = getattr(_local, 'turn', None)
    return bool(turn) and turn[0] == key


class _Release:
    """Ends the turn once the transaction that posted commits, or rolls
    back after the post failed for good; a rollback to start the request
    again keeps it"""

    def __init__(self):
        self.end = False

    def __eq__(self, other):
        return isinstance(other, _Release)

    def __hash__(self):
        return hash(_Release)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        if self.end:
            release()

    def tpc_abort(self, transaction):
        if self.end:
            release()


@contextmanager
def counter_turn(company):
    "Hold the counter's turn of `company` while the block posts"
    transaction = Transaction()
    if backend.name != 'postgresql':
        yield
        return
    key = turn_key(company.id)
    if not holds(key):
        raise WaitForTurn(transaction.database.name, key)
    manager = transaction.join(_Release())
    try:
        yield
    except TransactionError:
        # trytond starts the request again: it keeps the turn
        raise
    except BaseException:
        manager.end = True
        raise
    manager.end = True
