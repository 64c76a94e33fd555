# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Postage arithmetic for the postage reconciliation: plain functions on
Decimals, tested on their own; the reconciliation calls them."""
from decimal import Decimal

CENT = Decimal('0.01')


def mailing_postage(counts, rate):
    """The postage of each mailing of `counts` pieces at `rate` a piece,
    rounded to the cent once, and their total.

    The meter charges each mailing on its own, so the total is the sum of
    the mailings' rounded postage, not the pieces' total at the rate
    rounded: the column foots to its total.  109, 3 and 2 pieces at
    0.5730 are 62.46, 1.72 and 1.15, 65.33 in all (114 pieces at the rate
    would round to 65.32)."""
    rate = Decimal(rate)
    amounts = [(rate * count).quantize(CENT) for count in counts]
    return amounts, sum(amounts, Decimal('0.00'))
