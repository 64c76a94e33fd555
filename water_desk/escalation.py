# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""When an urgent phone message left unhandled goes up to the desk's
supervisor."""
import datetime as dt

# An urgent message nobody handled in an hour goes to the supervisor
DEFAULT_MINUTES = 60


def cutoff(now, minutes):
    """The latest time a message may have been taken and be escalated at
    `now`: `minutes` earlier"""
    return now - dt.timedelta(minutes=minutes)


def overdue(taken_at, now, minutes):
    "Whether a message taken at `taken_at` is overdue at `now`"
    return taken_at <= cutoff(now, minutes)
