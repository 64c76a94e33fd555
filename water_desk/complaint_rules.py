# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A complaint's age and its follow-up, and the monthly report's age
bands."""

# The Board packet's age bands: (upper bound in days, label)
BANDS = [(2, "0-2 days"), (7, "3-7 days"), (30, "8-30 days"),
    (None, "over 30 days")]


def age(received, end):
    "Whole days from the day received to `end` (resolved, or today)"
    return max((end - received).days, 0)


def overdue(follow_up, is_open, today):
    "Whether an open complaint's follow-up date has passed"
    return bool(is_open and follow_up and follow_up < today)


def band(days):
    "The age band of a complaint `days` old"
    for upper, label in BANDS:
        if upper is None or days <= upper:
            return label
