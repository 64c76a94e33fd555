# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A shut-off's arithmetic, in plain Python: who is called first, how
many people are out of water, how long they were out, and when each
agency's notification and each notice is due."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# Why a customer is called first, most urgent first: (code, label, rank)
CRITICAL = [
    ('life_support', "Life support or dialysis", 0),
    ('medical', "Medical certificate on file", 0),
    ('hospital', "Hospital or clinic", 1),
    ('care_home', "Care home", 1),
    ('school', "School", 2),
    ('other', "Other critical use", 2),
    ('fire', "Fire service", 3),
    ('large_meter', "Large meter", 4),
    ]
EVERYONE = 5
LABELS = {code: label for code, label, _ in CRITICAL}
RANKS = {code: rank for code, _, rank in CRITICAL}
# Meters this size and up serve large users: called before households
LARGE_METER_INCHES = Decimal(2)
# People per household when a home's occupants are not known (the
# district sets its own; California's average is about 2.9)
DEFAULT_PER_HOUSEHOLD = Decimal('2.8')
# Service types whose dwellings hold people
HOUSEHOLDS = {'residential', 'multi_family'}
OUTCOMES = [
    ('reached', "Reached"),
    ('voicemail', "Voicemail"),
    ('no_answer', "No Answer"),
    ('wrong_number', "Wrong Number"),
    ]
# An outcome that ends the calling of a customer
DONE_OUTCOMES = {'reached', 'voicemail'}


def meter_inches(size):
    "A meter size code ('5/8', '1.5', '2') in inches, 0 for none"
    if not size:
        return Decimal(0)
    if '/' in size:
        numerator, denominator = size.split('/')
        return Decimal(numerator) / Decimal(denominator)
    return Decimal(size)


def reasons(critical_use=None, medical=False, service_type=None,
        meter_size=None):
    """The codes of why a service is called first, most urgent first:
    the premise's critical use, a medical certificate on file, a fire
    service, a large meter"""
    found = []
    if critical_use:
        found.append(critical_use)
    if medical and 'medical' not in found:
        found.append('medical')
    if service_type == 'fire':
        found.append('fire')
    if meter_inches(meter_size) >= LARGE_METER_INCHES:
        found.append('large_meter')
    return sorted(found, key=lambda c: RANKS[c])


def rank(codes):
    "The call rank of a service with the reasons `codes`: 0 first"
    return min((RANKS[c] for c in codes), default=EVERYONE)


def people(service_type, dwelling_units, occupants, per_household):
    """How many people a service's water serves: the occupants counted
    on the premise, else its dwellings times the people per household
    (rounded), none for a service that is not a home"""
    if occupants:
        return occupants
    if service_type not in HOUSEHOLDS:
        return 0
    households = Decimal(max(dwelling_units or 1, 1))
    return int((households * Decimal(per_household)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP))


def call_key(rank_, route, sequence, name):
    "The order of the call list: critical first, then as the crew walks"
    return (rank_, route or '', sequence or 0, name or '')


def hours_out(start, end):
    "Hours from `start` to `end`, to a tenth"
    if start is None or end is None or end < start:
        return Decimal(0)
    seconds = Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)


def due(start, hours):
    "When a notification `hours` after `start` is due"
    if start is None or hours is None:
        return None
    return start + dt.timedelta(hours=float(hours))


def overdue(due_at, done_at, now):
    "Whether a notification not done is past its due time"
    return bool(due_at and done_at is None and due_at < now)


def notice_late(start, days, sent):
    """Whether a planned work's notice sent at `sent` came later than
    `days` before the work's `start`"""
    if start is None or not days:
        return False
    return sent > start - dt.timedelta(days=days)
