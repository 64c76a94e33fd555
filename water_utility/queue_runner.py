# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo's queue worker on SQLite: runs the tasks the web server queues
(posting a bill run, delivering it) in a process of its own, so that the
clerk's screen answers at once and the run shows its progress.

    python -m water_utility.queue_runner -c trytond.conf -d water_demo

trytond's own worker (`trytond-worker`) waits on PostgreSQL's
notifications, which SQLite has not: this one asks the queue every half
second instead, and runs each task through trytond's own `run_task` (its
retries, its error report on the task).  A district on PostgreSQL runs
`trytond-worker`; the demo does too when it runs on PostgreSQL."""
import argparse
import datetime as dt
import logging
import os
import time

POLL = 0.5
logger = logging.getLogger(__name__)


def take_next(database):
    """Mark the next due task taken and return its id (None when there is
    none): looked for in a read-only transaction (SQLite's write lock is
    not taken twice a second for nothing), then taken by an UPDATE guarded
    by dequeued_at, so that two runners never take the same task"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    now = dt.datetime.now()
    with Transaction().start(database, 0, readonly=True) as transaction:
        queue = Pool().get('ir.queue').__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*queue.select(queue.id,
                where=(queue.dequeued_at == None)  # noqa: E711
                & ((queue.scheduled_at == None)  # noqa: E711
                    | (queue.scheduled_at <= now)),
                order_by=[queue.scheduled_at.nulls_first,
                    queue.expected_at.nulls_first, queue.id.asc],
                limit=1))
        row = cursor.fetchone()
    if not row:
        return None
    task_id, = row
    with Transaction().start(database, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(*queue.update([queue.dequeued_at], [now],
                where=(queue.id == task_id)
                & (queue.dequeued_at == None)))  # noqa: E711
        taken = cursor.rowcount == 1
        transaction.commit()
    return task_id if taken else None


def run(database, stop=lambda: False):
    "Run the queue's tasks as they come, until stop() says so"
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task
    with Transaction().start(database, 0, readonly=True):
        Pool(database).init()
    while not stop():
        try:
            task_id = take_next(database)
        except backend.DatabaseOperationalError:
            # the database is busy (SQLite locked by a long write): ask
            # again at the next round
            logger.debug("queue busy", exc_info=True)
            task_id = None
        if task_id is None:
            time.sleep(POLL)
            continue
        run_task(database, task_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    args = parser.parse_args(argv)
    os.environ['TRYTOND_CONFIG'] = args.config
    from trytond import config
    config.update_etc(args.config)
    logging.basicConfig(level=logging.INFO,
        format='%(asctime)s %(levelname)s queue: %(message)s')
    try:
        run(args.database)
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
