# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The warrant list's arithmetic, with no database: a payment shared over
the accounts its bill was charged to, to the cent; the list's totals by
fund and by account; its CSV, as the Board packet's clerk opens it in a
spreadsheet."""
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from . import packet

CENT = Decimal('0.01')
CSV_COLUMNS = [
    'Type', 'Number', 'Date', 'Payee', 'Purpose', 'Account', 'Fund',
    'Amount']


def share(amount, weights):
    """Return [(key, part)]: `amount` shared over `weights` [(key,
    weight)] in proportion, to the cent, the parts summing to `amount`
    exactly (each part is the rounded running total less the one before,
    so no cent is lost or made).  No weight, or weights summing to zero:
    all of it on the first key."""
    if not weights:
        return []
    whole = sum(weight for _, weight in weights)
    if not whole:
        return [(weights[0][0], amount)] + [
            (key, Decimal(0) * amount) for key, _ in weights[1:]]
    result, running, before = [], Decimal(0), Decimal(0)
    for key, weight in weights:
        running += weight
        upto = (amount * running / whole).quantize(
            CENT, rounding=ROUND_HALF_EVEN)
        result.append((key, upto - before))
        before = upto
    return result


def totals(rows, key):
    """Return [(key, total)] of `rows` (objects with `amount`) summed by
    `key(row)`, sorted by key, leaving out rows whose key is None"""
    result = defaultdict(Decimal)
    for row in rows:
        name = key(row)
        if name is not None:
            result[name] += row.amount
    return sorted(result.items())


def csv_text(rows):
    "The warrant list's CSV: `rows` in CSV_COLUMNS' order"
    return packet.csv_text(CSV_COLUMNS, rows)
