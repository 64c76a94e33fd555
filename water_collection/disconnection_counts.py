# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The yearly count of residential discontinuations for nonpayment that
a water system publishes on its website and reports to the State Water
Board (HSC 116918): plain functions, tested on their own."""
import datetime as dt


def year_span(year):
    "The first and last days of `year`"
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def monthly_counts(days, year):
    """The discontinuations of each month of `year`, January first, from
    the days they were done (other years' days left out)"""
    counts = [0] * 12
    for day in days:
        if day.year == year:
            counts[day.month - 1] += 1
    return counts


def reconnected_on(shutoff, reconnections):
    """The first day on or after `shutoff` of the `reconnections` (days),
    None while the service has not been reconnected"""
    later = [d for d in reconnections if d >= shutoff]
    return min(later) if later else None
