# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payment arrangements as plain arithmetic: the installments of each kind
the district offers a household that cannot pay (HSC 116910(a)(3):
amortization of the unpaid balance, an alternative schedule, a partial or
reduced payment, a temporary deferral), and when an arrangement is in
default (HSC 116910(b): an installment, or the current charges, unpaid 60
days or more).

Amounts are Decimal to the cent; the last installment takes the rounding,
so the installments add up to the amount exactly."""
import datetime as dt
from decimal import ROUND_CEILING, Decimal

from .penalty_rules import add_months, cents

MAX_MONTHS = 12           # HSC 116910(a)(3)(A): up to 12 months
DEFAULT_DAYS = 60         # HSC 116910(b)
KINDS = ('amortization', 'alternative', 'reduced', 'deferral')


class ArrangementError(ValueError):
    "An arrangement the rules refuse, with its reason (a code)"

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def installments(kind, amount, months, start, payment=None,
        max_months=MAX_MONTHS):
    """[(due date, amount)] of an arrangement of `kind` over `amount`:
    - amortization: `months` equal monthly installments from `start`;
    - alternative: the same, the district's other schedule (`months` may
      reach `max_months`, the first installment due at `start`);
    - reduced: `payment` a month from `start` until `amount` is paid;
    - deferral: all of `amount` due `months` months after `start`."""
    amount = cents(amount)
    if amount <= 0:
        raise ArrangementError('amount')
    if kind == 'reduced':
        if not payment or cents(payment) <= 0:
            raise ArrangementError('payment')
        payment = cents(payment)
        count = (amount / payment).to_integral_value(
            rounding=ROUND_CEILING)
        if count > max_months:
            raise ArrangementError('months', months=int(count),
                most=max_months)
        parts = [payment] * (int(count) - 1)
        parts.append(amount - sum(parts, Decimal(0)))
        return [(add_months(start, i), p) for i, p in enumerate(parts)]
    if not months or months < 1 or months > max_months:
        raise ArrangementError('months', months=months, most=max_months)
    if kind == 'deferral':
        return [(add_months(start, months), amount)]
    if kind not in KINDS:
        raise ArrangementError('kind')
    part = cents(amount / months)
    parts = [part] * (months - 1)
    parts.append(amount - sum(parts, Decimal(0)))
    return [(add_months(start, i), p) for i, p in enumerate(parts)]


def unpaid_installments(schedule, paid):
    """[(due date, amount still owed)] of `schedule` once `paid` (the
    payments made since the arrangement began) is applied oldest first"""
    left = Decimal(paid)
    result = []
    for due, amount in schedule:
        applied = min(left, amount)
        left -= applied
        if amount - applied > 0:
            result.append((due, amount - applied))
    return result


def default_date(schedule, paid, oldest_unpaid_charge, day):
    """The first day of the default, seen on `day`, or None: the due date
    of the installment still unpaid, or of the oldest current charge
    billed since the arrangement still unpaid (`oldest_unpaid_charge`, a
    due date or None), once 60 days have passed since it (the
    shut-off guard counts its 60 days from it: shutoff_rules)"""
    dues = [due for due, _ in unpaid_installments(schedule, paid)]
    if oldest_unpaid_charge is not None:
        dues.append(oldest_unpaid_charge)
    if not dues:
        return None
    first = min(dues)
    if first + dt.timedelta(days=DEFAULT_DAYS) <= day:
        return first
    return None
