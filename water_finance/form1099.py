# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Form 1099-NEC: the vendors flagged for 1099 paid, in a calendar year,
at least the year's threshold (IRC 6041(a): "$600 or more" through 2025,
"$2,000 or more" for payments made after December 31, 2025, indexed for
inflation from 2027).  The thresholds are data (water.form1099.threshold),
entered for each year as the IRS publishes them."""
from collections import defaultdict
from decimal import Decimal


def vendor_totals(payments):
    "{vendor: total paid} of `payments`, (vendor, amount) pairs"
    totals = defaultdict(Decimal)
    for vendor, amount in payments:
        totals[vendor] += Decimal(amount)
    return dict(totals)


def reportable(totals, threshold):
    """The (vendor, total) of `totals` the year's 1099-NEC reports: paid
    the threshold or more; by total, largest first"""
    threshold = Decimal(threshold)
    return sorted(((v, t) for v, t in totals.items() if t >= threshold),
        key=lambda item: (-item[1], str(item[0])))
