# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The letter of a collections notice, in the account's language: the late
notice, the disconnect notice with what HSC 116908(a)(1)(C) requires it
to say, and the door notice posted at the premise (HSC 116908(a)(2),
116910(b)).  A mailing passes the copies to print in its data; printed
from a notice, the letter comes with all its copies."""
from trytond.pool import Pool

from water_utility.models.report import CustomerReport, address_lines

from .. import notice_copies


class NoticeLetter(CustomerReport):
    "A collections notice's letter, each of its copies a page"
    __name__ = 'water.collection.notice.letter'

    @classmethod
    def get_context(cls, records, header, data):
        Notice = Pool().get('water.collection.notice')
        context = super().get_context(records, header, data)
        if data.get('copies'):
            letters = [LetterFacts(Notice(n), copy)
                for n, copy in map(notice_copies.from_entry, data['copies'])]
        else:
            letters = [LetterFacts(n, c) for n in records
                for c in n.copies()]
        context['letters'] = letters
        return context


class LetterFacts:
    "What one copy of a notice's letter prints"

    def __init__(self, notice, copy):
        self.notice = notice
        self.copy = copy
        self.step = notice.step
        self.kind = copy.kind
        account = notice.account
        self.account = account
        self.holder = account.party.rec_name
        name, address = notice.recipient(copy)
        # None: "Occupant", in the letter's language
        self.name = name
        self.address = address_lines(address)
        self.service_addresses = [
            f'{p.street}, {p.city}' for p in notice.premises()]
        self.amount = notice.amount
        self.date = notice.date
        self.deadline = notice.deadline
