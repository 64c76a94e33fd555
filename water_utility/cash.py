# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Counter cash arithmetic: payment allocation, change and drawer counts.

Plain functions on Decimals, tested on their own; the models call them."""
from decimal import Decimal

CENT = Decimal('0.01')

# United States currency and coin a drawer is counted in, largest first.
DENOMINATIONS = [
    ('100', "$100 bills"), ('50', "$50 bills"), ('20', "$20 bills"),
    ('10', "$10 bills"), ('5', "$5 bills"), ('2', "$2 bills"),
    ('1', "$1 bills"), ('1c', "$1 coins"), ('0.50', "Half dollars"),
    ('0.25', "Quarters"), ('0.10', "Dimes"), ('0.05', "Nickels"),
    ('0.01', "Pennies"),
    ]
COIN = {'1c', '0.50', '0.25', '0.10', '0.05', '0.01'}


def denomination_value(denomination):
    "The dollar value of one piece of `denomination` (a DENOMINATIONS key)"
    return Decimal(denomination.rstrip('c'))


def allocate(amount, open_items):
    """Apply `amount` to `open_items` [(key, amount to pay)] in the order
    given (oldest first); return ([(key, applied)], unapplied).

    Each item gets at most what it still owes; what is left over is the
    account's credit."""
    if amount < 0:
        raise ValueError("a payment cannot be negative")
    applied = []
    left = amount
    for key, to_pay in open_items:
        if left <= 0:
            break
        if to_pay <= 0:
            continue
        part = min(left, to_pay)
        applied.append((key, part))
        left -= part
    return applied, left


def change_due(tender, amount, tendered):
    """The change handed back on a payment of `amount` from `tendered`.

    Only cash gives change: a check or a card is for the payment's exact
    amount.  None when what was handed over does not cover the payment."""
    if tender != 'cash':
        return amount - amount if tendered in (None, amount) else None
    if tendered is None or tendered < amount:
        return None
    return tendered - amount


def count_total(counts):
    "The total of a drawer count {denomination: pieces}"
    return sum((denomination_value(d) * (n or 0) for d, n in counts.items()),
        Decimal(0)).quantize(CENT)
