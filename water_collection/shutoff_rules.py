# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""When a residential service may be shut off for nonpayment, to the day.

The Water Shutoff Protection Act (SB 998, Health and Safety Code 116900 and
following, as amended by SB 3) and the districts' law (Gov. Code 60370 and
following) as plain functions of dates; the models hand them what is on
file for an account.  Each rule that holds a shut-off back is named by a
code and the section it comes from, with the first day it stops holding
(None while it holds without end, such as a pending appeal).

Counting, chosen on the side of the customer where the text leaves room:
- A bill is delinquent from the day after its due date; on day D it has
  been delinquent (D - that day) days.  "At least 60 days" makes the
  first lawful day the 60th day after the day it became delinquent.
- "No less than seven business days before": the shut-off day is at least
  the seventh business day after the day of the notice (the notice's day
  does not count).  The same for the five business days after a final
  notice is posted (116910(b)).
- Business days are Monday to Friday, less the district's holidays.  A
  shut-off day must also be a day the office is open (Gov. Code 60373)."""
import datetime as dt
from dataclasses import dataclass, field

DELINQUENT_DAYS = 60            # HSC 116908(a)(1)(A)
NOTICE_BUSINESS_DAYS = 7        # HSC 116908(a)(1)(A)
ARRANGEMENT_DEFAULT_DAYS = 60   # HSC 116910(b)
FINAL_NOTICE_BUSINESS_DAYS = 5  # HSC 116910(b)

RULES = {
    'delinquent_60_days': "HSC 116908(a)(1)(A)",
    'notice_7_business_days': "HSC 116908(a)(1)(A)",
    'no_notice': "HSC 116908(a)(1)(A)",
    'office_closed': "Gov. Code 60373",
    'appeal_pending': "HSC 116908(b)",
    'medical_protection': "HSC 116910(a)",
    'arrangement_current': "HSC 116910(a)(3), 116910(b)",
    'arrangement_default_60_days': "HSC 116910(b)",
    'final_notice_5_business_days': "HSC 116910(b)",
    'no_final_notice': "HSC 116910(b)",
    'not_delinquent': "HSC 116908(a)(1)(A)",
    # The district's own rules (district_rules): Finance may override them
    'minimum_balance': "district rule",
    'weather_hold': "district rule",
    'nonresidential_delinquent': "district rule",
    'nonresidential_notice': "district rule",
    'nonresidential_no_notice': "district rule",
    'nonresidential_office_closed': "district rule",
    }


def is_business_day(day, holidays):
    "Whether `day` is a weekday and not one of the district's holidays"
    return day.weekday() < 5 and day not in holidays


def add_business_days(day, count, holidays):
    "The `count`-th business day after `day` (`day` itself not counted)"
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += dt.timedelta(days=1)
        if is_business_day(day, holidays):
            count -= 1
    return day


def business_days_after(start, end, holidays):
    "How many business days fall after `start`, up to `end` included"
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_business_day(day, holidays)
    return days


def next_business_day(day, holidays):
    "`day` if the office is open then, else the next day it is"
    while not is_business_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Account:
    """What is on file for one residential account, as dates.

    due_date: the due date of the oldest bill still unpaid.
    notice_date: the day the disconnect notice was mailed or the customer
        reached by telephone (None: not yet).
    appeal_pending: a bill review or appeal not decided.
    medical_certified, financial_inability, willing_to_arrange: the days
        each of the three conditions of 116910(a) was put on file (None:
        not on file); all three together protect the household.
    arrangement_current: a payment arrangement in good standing.
    arrangement_default_date: the first day of a default on an
        arrangement or on the current charges (None: no default).
    final_notice_date: the day the final notice of 116910(b) was posted
        at the property after that default (None: not yet)."""
    due_date: dt.date
    notice_date: dt.date | None = None
    appeal_pending: bool = False
    medical_certified: dt.date | None = None
    financial_inability: dt.date | None = None
    willing_to_arrange: dt.date | None = None
    arrangement_current: bool = False
    arrangement_default_date: dt.date | None = None
    final_notice_date: dt.date | None = None


@dataclass(frozen=True)
class Hold:
    """One rule holding a shut-off back: its code (RULES), the section,
    and the first day it no longer holds (None: not by time alone)"""
    code: str
    opens: dt.date | None
    section: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, 'section', RULES[self.code])


def holds(account, day, holidays):
    "The rules that forbid shutting `account` off on `day` (none: lawful)"
    result = []
    delinquent_since = account.due_date + dt.timedelta(days=1)
    lawful_from = delinquent_since + dt.timedelta(days=DELINQUENT_DAYS)
    if day < lawful_from:
        result.append(Hold('delinquent_60_days', lawful_from))
    if account.notice_date is None:
        result.append(Hold('no_notice', None))
    else:
        after_notice = add_business_days(
            account.notice_date, NOTICE_BUSINESS_DAYS, holidays)
        if day < after_notice:
            result.append(Hold('notice_7_business_days', after_notice))
    if not is_business_day(day, holidays):
        result.append(Hold('office_closed',
                next_business_day(day, holidays)))
    if account.appeal_pending:
        result.append(Hold('appeal_pending', None))
    if (account.medical_certified and account.financial_inability
            and account.willing_to_arrange):
        result.append(Hold('medical_protection', None))
    if account.arrangement_current:
        result.append(Hold('arrangement_current', None))
    if account.arrangement_default_date is not None:
        result.extend(_default_holds(account, day, holidays))
    return result


def _default_holds(account, day, holidays):
    "The holds of 116910(b) once an arrangement (or current bill) defaults"
    result = []
    after_default = account.arrangement_default_date + dt.timedelta(
        days=ARRANGEMENT_DEFAULT_DAYS)
    if day < after_default:
        result.append(Hold('arrangement_default_60_days', after_default))
    if account.final_notice_date is None:
        result.append(Hold('no_final_notice', None))
    else:
        after_posting = add_business_days(account.final_notice_date,
            FINAL_NOTICE_BUSINESS_DAYS, holidays)
        if day < after_posting:
            result.append(
                Hold('final_notice_5_business_days', after_posting))
    return result


def earliest_shutoff(account, today, holidays, holds_of=None):
    """The first day from `today` on which `account` may be shut off, and
    the holds that keep it from an earlier one; (None, holds) while a rule
    holds without a date (no notice, an appeal, the medical protection).
    `holds_of(day)`: the holds of a day, the statute's by default"""
    holds_of = holds_of or (lambda day: holds(account, day, holidays))
    first = holds_of(today)
    if any(h.opens is None for h in first):
        return None, first
    day = today
    while (current := holds_of(day)):
        day = max(h.opens for h in current)
    return day, first


# Warn this many days before the year ends when the next year has no
# holiday on file: the guard cannot count business days into it.
CALENDAR_WARNING_DAYS = 60


def calendar_gap(today, holiday_years):
    """The year the guard needs and the calendar lacks, or None: this
    year's, or the next one's from CALENDAR_WARNING_DAYS before it
    starts"""
    if today.year not in holiday_years:
        return today.year
    next_year = dt.date(today.year + 1, 1, 1)
    if ((next_year - today).days <= CALENDAR_WARNING_DAYS
            and next_year.year not in holiday_years):
        return next_year.year
    return None
