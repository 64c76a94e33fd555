# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The three-way match of a supplier bill, and its vendor's invoice number,
as plain functions.

A bill's line that bills a purchase order's line is matched against the
order (its unit price) and the receipt (the quantity received): the
quantity billed, with what earlier bills billed of that line, may not
exceed what was received (what was ordered, for a service, which nobody
receives) by more than the quantity tolerance; the unit price may not
differ from the ordered price by more than the price tolerance.  Both
tolerances are percentages (Decimal('2') is 2 %); zero is an exact
match.  A finding is a (code, values) pair the database side turns into
the reason the bill is held."""
import re
from decimal import Decimal

_HUNDRED = Decimal(100)


def reference_key(reference):
    """A vendor's invoice number as compared for duplicates: case, spaces
    and punctuation do not make another number ("INV-1001" is "inv 1001")"""
    if not reference:
        return None
    key = re.sub(r'[\W_]+', '', reference).casefold()
    return key or None


def quantity_finding(billed, billed_before, received, tolerance):
    """A finding when `billed` (with `billed_before`, billed of the same
    order line by other bills) exceeds `received` beyond `tolerance` %"""
    allowed = Decimal(str(received)) * (1 + Decimal(tolerance) / _HUNDRED)
    total = Decimal(str(billed)) + Decimal(str(billed_before))
    if total > allowed:
        return ('quantity', {
                'billed': total, 'received': Decimal(str(received))})
    return None


def price_finding(billed_price, ordered_price, tolerance):
    """A finding when the billed unit price differs from the ordered one
    by more than `tolerance` % of the ordered price"""
    billed_price, ordered_price = Decimal(billed_price), Decimal(ordered_price)
    allowed = abs(ordered_price) * Decimal(tolerance) / _HUNDRED
    if abs(billed_price - ordered_price) > allowed:
        return ('price', {'billed': billed_price, 'ordered': ordered_price})
    return None


def line_findings(billed, billed_before, received, billed_price,
        ordered_price, quantity_tolerance, price_tolerance):
    "The findings of one bill line against its order line and receipt"
    return [f for f in [
            quantity_finding(
                billed, billed_before, received, quantity_tolerance),
            price_finding(billed_price, ordered_price, price_tolerance),
            ] if f]


def shown(value, places=0):
    """A quantity or price as a message shows it: no trailing zeros beyond
    `places` decimals (24, 12.5; a price with places=2: 33.00, 38.125)"""
    value = Decimal(str(value))
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if -exponent < places:
        normal = value.quantize(Decimal(1).scaleb(-places))
    return format(normal, 'f')
