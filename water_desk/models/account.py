# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Account(metaclass=PoolMeta):
    __name__ = 'water.account'
    desk_history = fields.One2Many('water.desk.history', 'account',
        "Desk History", readonly=True,
        help="The account's complaints, messages, letters, service orders "
        "and interruptions, newest first.")
    letters = fields.One2Many('water.desk.letter', 'account', "Letters",
        readonly=True)

    def desk_email(self):
        "Where the desk emails the account: its email, else its customer's"
        return self.email or self.party.email
