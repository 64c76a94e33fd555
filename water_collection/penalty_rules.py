# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Late charges and reconnection fees, to the cent: plain arithmetic the
penalty run and the reconnect order call.

A district's penalty rule (effective-dated, as its rates are) combines:
a percentage of the current charges still unpaid after the due date and
its grace days, a monthly percentage of the past-due balance carried from
earlier bills, a flat fee, a balance below which nothing is charged and a
most a penalty may be.  "10% of the current bill plus 1% a month of the
past-due balance" (Gov. Code 61115) and "$5 after 15 days" are both such
rules.

For a household under 200% of the federal poverty line the interest (the
monthly percentage of the past-due balance) is waived once every 12
months, and the reconnection fee is capped at $50 in business hours and
$150 after, adjusted by the consumer price index since 2021 (HSC
116914(a))."""
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')
HUNDRED = Decimal(100)
# HSC 116914(a)(1), in 2021 dollars
RECONNECT_CAP = Decimal('50.00')
RECONNECT_CAP_AFTER_HOURS = Decimal('150.00')
# The caps move with the CPI from January 1, 2021 (HSC 116914(a)(1))
CPI_BASE_YEAR = 2021
WAIVER_MONTHS = 12  # HSC 116914(a)(2)


def cents(amount):
    "`amount` rounded to the cent, halves up (as the bills round)"
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PenaltyRule:
    current_percent: Decimal = Decimal(0)
    monthly_percent: Decimal = Decimal(0)
    flat_fee: Decimal = Decimal(0)
    grace_days: int = 0
    minimum_balance: Decimal = Decimal(0)
    maximum: Decimal | None = None


@dataclass(frozen=True)
class Penalty:
    "A penalty's parts, each to the cent, and their total"
    late_charge: Decimal
    interest: Decimal
    flat_fee: Decimal
    waived_interest: Decimal

    @property
    def total(self):
        return self.late_charge + self.interest + self.flat_fee


NONE = Penalty(Decimal('0.00'), Decimal('0.00'), Decimal('0.00'),
    Decimal('0.00'))


def penalty(rule, current_unpaid, past_due, days_late,
        waive_interest=False):
    """The penalty on a bill `days_late` days past its due date, with
    `current_unpaid` of its current charges unpaid and `past_due` carried
    from earlier bills; `waive_interest` for a low-income household's
    yearly waiver.  Each part is rounded once; the maximum trims the flat
    fee, then the interest, then the late charge."""
    current_unpaid, past_due = Decimal(current_unpaid), Decimal(past_due)
    if days_late <= rule.grace_days:
        return NONE
    if current_unpaid + past_due <= max(rule.minimum_balance, Decimal(0)):
        return NONE
    late = cents(max(current_unpaid, 0) * rule.current_percent / HUNDRED)
    interest = cents(max(past_due, 0) * rule.monthly_percent / HUNDRED)
    flat = cents(rule.flat_fee)
    waived = Decimal('0.00')
    if waive_interest:
        waived, interest = interest, Decimal('0.00')
    if rule.maximum is not None:
        late, interest, flat = capped(
            [late, interest, flat], cents(rule.maximum))
    return Penalty(late, interest, flat, waived)


def capped(parts, most):
    """`parts` kept in order until they add up to `most`: the last ones
    are trimmed first"""
    kept, room = [], most
    for part in parts:
        keep = max(min(part, room), Decimal('0.00'))
        kept.append(keep)
        room -= keep
    return kept


def interest_waiver_due(last_waived, bill_date):
    """Whether a low-income household's interest is waived on the bill of
    `bill_date`: never waived, or last waived 12 months or more before"""
    if last_waived is None:
        return True
    return bill_date >= add_months(last_waived, WAIVER_MONTHS)


def add_months(day, months):
    "`day` moved by `months`, the day kept or the month's last one"
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def reconnect_fee(fee, after_hours=False, low_income=False,
        cpi_factor=Decimal(1)):
    """The reconnection fee the customer pays: the district's `fee`, capped
    for a low-income household at the statute's cap times `cpi_factor`
    (the CPI now over the CPI of 2021, kept by the district)"""
    fee = cents(fee)
    if not low_income:
        return fee
    return min(fee, reconnect_cap(after_hours, cpi_factor))


def reconnect_cap(after_hours=False, cpi_factor=Decimal(1)):
    """The most a household under 200% of the federal poverty line pays
    to be reconnected: the statute's cap times `cpi_factor`"""
    cap = RECONNECT_CAP_AFTER_HOURS if after_hours else RECONNECT_CAP
    return cents(cap * Decimal(cpi_factor))


def percent_text(value):
    "A percentage as the bill prints it: 10, 1.5, 0.25 (no trailing zeros)"
    text = f'{Decimal(value):f}'
    if '.' in text:
        text = text.rstrip('0').rstrip('.')
    return text
