# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        """A penalty's invoice lines come from its line in the run, a
    reconnection fee's from the service order"""
        return super()._get_origin() + [
            'water.collection.penalty.line', 'water.service.order']


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def paid(cls, invoices):
        """A payment that leaves an account nothing delinquent cancels its
        pending turn-offs for nonpayment and requests the reconnection of
        what was shut off"""
        super().paid(invoices)
        ServiceOrder = Pool().get('water.service.order')
        accounts = {i.water_account for i in invoices if i.water_account}
        # whoever's payment it is (a cashier, a lockbox file), the orders
        # are the collections' own doing
        with without_check_access():
            ServiceOrder.cancel_paid_turn_offs(accounts)
            ServiceOrder.request_reconnections(accounts)
