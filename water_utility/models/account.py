# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    water_account = fields.Many2One(
        'water.account', "Water Account", ondelete='RESTRICT',
        help="The customer account a receivable line belongs to; "
        "its balance is the sum of these lines.")
