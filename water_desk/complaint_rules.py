# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A complaint's age and its follow-up, and the monthly report's age
bands."""
import datetime as dt
from zoneinfo import ZoneInfo

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


def local_date(timestamp, timezone):
    """The day in `timezone` (a zone name, None for UTC) of `timestamp`,
    a naive UTC timestamp as the server stamps them"""
    if timestamp is None:
        return None
    return local_datetime(timestamp, timezone).date()


def monthly(complaints, start, end, categories, as_of=None):
    """The month's complaints by category, for the Board packet.

    `complaints`: (category, day received, day resolved or None);
    `categories`: [(code, label)] in the report's order.  Returns [row]
    for each category with a complaint that counts, and a total row:
    each row a dict of label, received (in the month), resolved (in the
    month), average days to resolve (of those resolved in the month,
    None if none), open at the month's end and the open by age band
    (their age at the month's end, or at `as_of` in a month not ended)."""
    as_of = min(as_of or end, end)
    rows = {code: _row(label) for code, label in categories}
    total = _row(None)
    days = {code: [] for code, _ in categories}
    all_days = []
    for category, received, resolved in complaints:
        if received > end:
            continue
        row = rows[category]
        if received >= start:
            for r in (row, total):
                r['counted'] = True
                r['received'] += 1
        if resolved is not None and start <= resolved <= end:
            for r in (row, total):
                r['counted'] = True
                r['resolved'] += 1
            days[category].append(age(received, resolved))
            all_days.append(age(received, resolved))
        elif resolved is None or resolved > end:
            label = band(age(received, as_of))
            for r in (row, total):
                r['counted'] = True
                r['open'] += 1
                r['bands'][label] += 1
    for code, row in rows.items():
        row['average_days'] = _average(days[code])
    total['average_days'] = _average(all_days)
    shown = [rows[c] for c, _ in categories if rows[c].pop('counted')]
    total.pop('counted')
    return shown + [total]


def _row(label):
    return {'label': label, 'counted': False, 'received': 0, 'resolved': 0,
        'open': 0, 'bands': {label: 0 for _, label in BANDS}}


def _average(days):
    "The mean of `days`, to a tenth of a day, None of nothing"
    if not days:
        return None
    return round(sum(days) / len(days), 1)


def local_datetime(timestamp, timezone):
    """`timestamp` (naive UTC) on the clock of `timezone` (UTC if None),
    naive"""
    if not timezone:
        return timestamp
    utc = timestamp.replace(tzinfo=dt.timezone.utc)
    return utc.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
