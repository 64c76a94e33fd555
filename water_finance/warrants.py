# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The warrant list's arithmetic, with no database: a payment shared over
the accounts its bill was charged to, to the cent; the list's totals by
fund and by account; its CSV, as the Board packet's clerk opens it in a
spreadsheet."""
import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

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
    """The CSV of `rows`, each a sequence in CSV_COLUMNS' order (the date
    a date, the amount a Decimal), with a header row, CRLF line ends as
    RFC 4180 has them"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        *text, date, payee, purpose, account, fund, amount = row
        writer.writerow([*text, date.isoformat() if date else '',
                payee or '', purpose or '', account or '', fund or '',
                f'{amount:.2f}'])
    return out.getvalue()
