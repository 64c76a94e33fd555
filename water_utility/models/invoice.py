# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    water_account = fields.Many2One(
        'water.account', "Water Account", ondelete='RESTRICT',
        readonly=True,
        help="The customer account the bill is for: its receivable line "
        "counts in the account's balance.")

    def _get_move_line(self, date, amount):
        line = super()._get_move_line(date, amount)
        line.water_account = self.water_account
        return line


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'water.bill.line', 'water.account.adjustment']
