# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bills paid by a payment file are marked paid by queued tasks of at most
PROCESS_BATCH invoices: SQLite refuses Tryton's validation query of a
thousand or so (the demo's lockbox files left 1,700 bills unmarked)."""
from water_utility.models.payment_ledger import (
    PROCESS_BATCH, queue_processing)


class FakeInvoice:
    "What queue_processing uses of account.invoice"
    queued = []

    @classmethod
    def browse(cls, ids):
        return list(ids)

    class __queue__:
        @staticmethod
        def process(invoices):
            FakeInvoice.queued.append(invoices)


def test_processing_queued_in_batches():
    FakeInvoice.queued = []
    ids = list(range(1, 2 * PROCESS_BATCH + 31))
    queue_processing(FakeInvoice, ids)
    assert [len(t) for t in FakeInvoice.queued] == [
        PROCESS_BATCH, PROCESS_BATCH, 30]
    assert sum(FakeInvoice.queued, []) == ids
    assert PROCESS_BATCH <= 500


def test_nothing_queued_for_no_invoice():
    FakeInvoice.queued = []
    queue_processing(FakeInvoice, [])
    assert FakeInvoice.queued == []
