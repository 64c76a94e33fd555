# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        "A penalty's invoice lines come from its line in the run"
        return super()._get_origin() + ['water.collection.penalty.line']


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def paid(cls, invoices):
        """A payment that leaves an account nothing delinquent cancels its
        pending turn-offs for nonpayment"""
        super().paid(invoices)
        ServiceOrder = Pool().get('water.service.order')
        ServiceOrder.cancel_paid_turn_offs(
            {i.water_account for i in invoices if i.water_account})
