# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's own rules on shut-offs for nonpayment, beside the
statute's (shutoff_rules): a minimum past-due balance under which nobody
is shut off, weather holds (days of extreme heat or cold when the district
shuts nobody off), and the terms for the services the statute does not
protect (commercial, irrigation, fire, sewer only): days delinquent and
business days after the disconnect notice.

Unlike the statute's rules, these are the district's: the Finance group
may override them on a turn-off order, with its reason logged.  Plain
functions of dates and amounts, tested on their own."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .shutoff_rules import Hold, add_business_days, is_business_day
from .shutoff_rules import next_business_day

# The codes of the district's rules (shutoff_rules.RULES names them)
CODES = {'minimum_balance', 'weather_hold', 'nonresidential_delinquent',
    'nonresidential_notice', 'nonresidential_no_notice',
    'nonresidential_office_closed'}


@dataclass(frozen=True)
class Rules:
    """The district's terms: minimum_balance (None: none), weather_holds
    ((first day, last day) pairs), and for non-residential services the
    days delinquent and the business days after the notice (None: no such
    rule)"""
    minimum_balance: Decimal | None = None
    weather_holds: tuple = ()
    nonresidential_days: int | None = None
    nonresidential_notice_days: int | None = None


def holds(rules, day, holidays, past_due, residential, due_date=None,
        notice_date=None):
    """The district's rules that forbid a shut-off on `day` of an account
    owing `past_due`, for a residential service or not, whose oldest
    unpaid bill fell due on `due_date`, given its disconnect notice on
    `notice_date`"""
    result = []
    if (rules.minimum_balance is not None
            and past_due <= rules.minimum_balance):
        result.append(Hold('minimum_balance', None))
    for first, last in rules.weather_holds:
        if first <= day <= last:
            result.append(Hold('weather_hold', last + dt.timedelta(days=1)))
    if not residential:
        result.extend(_nonresidential(rules, day, holidays, due_date,
                notice_date))
    return result


def _nonresidential(rules, day, holidays, due_date, notice_date):
    result = []
    if rules.nonresidential_days is not None and due_date is not None:
        lawful = due_date + dt.timedelta(days=1 + rules.nonresidential_days)
        if day < lawful:
            result.append(Hold('nonresidential_delinquent', lawful))
    if rules.nonresidential_notice_days is not None:
        if notice_date is None:
            result.append(Hold('nonresidential_no_notice', None))
        else:
            after = add_business_days(
                notice_date, rules.nonresidential_notice_days, holidays)
            if day < after:
                result.append(Hold('nonresidential_notice', after))
    if not is_business_day(day, holidays):
        result.append(Hold('nonresidential_office_closed',
                next_business_day(day, holidays)))
    return result


def overridden(holds_, override):
    """The holds left once the district's rules are overridden (with
    `override`): the statute's stay"""
    if not override:
        return list(holds_)
    return [h for h in holds_ if h.code not in CODES]
