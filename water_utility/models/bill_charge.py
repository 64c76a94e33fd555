# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The charges a bill prints on lines of their own: invoices posted to the
account since its previous bill that are neither the bill nor a payment
or adjustment (a late charge, a reconnection fee).  Kept when the bill
posts, so that a reprint says what the first print said."""
from trytond.model import ModelSQL, ModelView, Unique, fields

from .mixins import Computed


class BillCharge(Computed, ModelSQL, ModelView):
    "A charge posted since the previous bill, printed on its own line"
    __name__ = 'water.bill.charge'

    bill = fields.Many2One(
        'water.bill', "Bill", required=True, ondelete='CASCADE',
        readonly=True)
    invoice = fields.Many2One(
        'account.invoice', "Invoice", required=True, ondelete='RESTRICT',
        readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    description = fields.Char("Description", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('bill')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        # A charge is printed on one bill: the next after it posted.
        cls._sql_constraints = [
            ('invoice_unique', Unique(t, t.invoice),
                'water_utility.msg_bill_charge_unique'),
            ]

    @classmethod
    def record(cls, charges):
        """Keep `charges`, {bill: [(invoice, date, description, amount)]},
        as the bills print them"""
        cls.create([{
                    'bill': bill.id,
                    'invoice': invoice.id,
                    'date': date,
                    'description': description,
                    'amount': amount,
                    } for bill, lines in charges.items()
                for invoice, date, description, amount in lines])
