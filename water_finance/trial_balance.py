# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The trial balance's arithmetic, with no database: Tryton's figures of
each account (beginning balance, debits, credits, ending balance) grouped
by fund, each fund totalled and told in or out of balance."""
from dataclasses import dataclass, field
from decimal import Decimal

from . import packet

COLUMNS = ['Fund', 'Account', 'Name', 'Beginning Balance', 'Debits',
    'Credits', 'Ending Balance']
ZERO = Decimal('0.00')


@dataclass
class Row:
    "An account's figures: signed balances, debit positive"
    fund: str
    code: str
    name: str
    start: Decimal
    debit: Decimal
    credit: Decimal
    end: Decimal

    def is_blank(self):
        return not any([self.start, self.debit, self.credit, self.end])


@dataclass
class Section:
    "A fund's accounts and totals"
    fund: str
    rows: list = field(default_factory=list)

    def total(self, name):
        return sum((getattr(r, name) for r in self.rows), ZERO)

    @property
    def out_of_balance(self):
        """What the fund is out by: its debits less its credits, and its
        ending balances summed (both zero when every entry balances
        within the fund)"""
        return (self.total('debit') - self.total('credit'),
            self.total('end'))

    @property
    def balanced(self):
        return self.out_of_balance == (ZERO, ZERO)


def sections(rows):
    """The funds of `rows` (Row), in fund order, their accounts in code
    order, accounts with nothing to show left out"""
    result = {}
    for row in sorted(rows, key=lambda r: (r.fund, r.code or '')):
        if row.is_blank():
            continue
        result.setdefault(row.fund, Section(row.fund)).rows.append(row)
    return list(result.values())


def csv_text(funds):
    "The CSV of the sections `funds`, an account a row"
    return packet.csv_text(COLUMNS, [
            (s.fund, r.code, r.name, r.start, r.debit, r.credit, r.end)
            for s in funds for r in s.rows])
