# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Budget against actual, with no database: Tryton's budget figures
(credit less debit: revenue positive, expenses negative) turned the way a
Board reads them (each line's budget positive), with what is left and the
share of the year used."""
from dataclasses import dataclass
from decimal import Decimal

from . import packet

COLUMNS = ['Department', 'Line', 'Budget, Month', 'Actual, Month',
    'Budget, Year to Date', 'Actual, Year to Date', 'Budget, Year',
    'Remaining', 'Used %']
ZERO = Decimal('0.00')


@dataclass
class Row:
    "A budget line's figures, signed as the Board reads them"
    department: str
    name: str
    month_budget: Decimal
    month_actual: Decimal
    ytd_budget: Decimal
    ytd_actual: Decimal
    year_budget: Decimal

    @property
    def remaining(self):
        return self.year_budget - self.ytd_actual

    @property
    def used(self):
        "The share of the year's budget used, in percent, or None"
        if not self.year_budget:
            return None
        return (self.ytd_actual * 100 / self.year_budget).quantize(
            Decimal('0.1'))

    @property
    def over(self):
        return self.ytd_actual > self.ytd_budget


def row(department, name, month_budget, month_actual, ytd_budget,
        ytd_actual, year_budget):
    """A Row from Tryton's signed figures (credit less debit): an expense
    line (its year's budget negative) is turned positive, actuals with it"""
    sign = -1 if (year_budget or ZERO) < 0 else 1
    return Row(department, name, *[sign * (v or ZERO) for v in [
                month_budget, month_actual, ytd_budget, ytd_actual,
                year_budget]])


def totals(rows):
    "A Row of the sums of `rows`"
    names = ['month_budget', 'month_actual', 'ytd_budget', 'ytd_actual',
        'year_budget']
    return Row('', '', *[sum((getattr(r, n) for r in rows), ZERO)
            for n in names])


def csv_text(rows):
    return packet.csv_text(COLUMNS, [
            (r.department, r.name, r.month_budget, r.month_actual,
                r.ytd_budget, r.ytd_actual, r.year_budget, r.remaining,
                r.used) for r in rows])
