# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Who gets a copy of a collections notice, and in what order the paper
copies go to the mail house.  Plain functions, tested on their own.

- The account holder: by email when the account is paperless (and has an
  address to send to), else on paper at the mailing address.
- "Occupant" at each service address that is not the mailing address:
  the people living there are the ones shut off (HSC 116908(a)(2), Gov.
  Code 60371).
- The third party the customer named (DOMAIN.md: customers 65 or older
  and dependent adults may name one), on paper.
- A door notice is posted at each service address, not mailed."""
import re
from dataclasses import dataclass

HOLDER, OCCUPANT, THIRD_PARTY, POSTED = (
    'holder', 'occupant', 'third_party', 'posted')
# The order of an account's copies in the print file
KIND_ORDER = {HOLDER: 0, OCCUPANT: 1, THIRD_PARTY: 2, POSTED: 3}
# The ladder's steps whose notices are posted at the premise, not mailed
POSTED_STEPS = {'door_notice'}
MAILED_STEPS = {'late_notice', 'disconnect_notice'}


@dataclass(frozen=True)
class Place:
    "An address as compared: its street line and its ZIP code"
    street: str
    postal_code: str


@dataclass(frozen=True)
class Copy:
    """One copy of a notice: its kind, the index of the service address
    (occupant and posted copies) and whether it goes by email"""
    kind: str
    place: int = None
    email: bool = False


def normalized(text):
    "`text` upper-cased, its punctuation dropped, its spaces single"
    text = re.sub(r'[^\w\s]', ' ', (text or '').upper())
    return ' '.join(text.split())


def same_place(first, second):
    """Whether two addresses are the same place: the same street line
    (case, punctuation and spacing aside) and the same five-digit ZIP"""
    return (normalized(first.street) == normalized(second.street)
        and (first.postal_code or '')[:5] == (second.postal_code or '')[:5])


def copies(step, mailing, places, paperless=False, third_party=False):
    """The copies of a notice of `step` to an account mailed to `mailing`
    (a Place, None when it has no mailing address) with service addresses
    `places` (Places, in order), paperless or not, with or without a
    third party named"""
    if step in POSTED_STEPS:
        return [Copy(POSTED, i) for i in range(len(places))]
    result = [Copy(HOLDER, email=bool(paperless))]
    seen = [mailing] if mailing is not None else []
    for index, place in enumerate(places):
        if any(same_place(place, other) for other in seen):
            continue
        seen.append(place)
        result.append(Copy(OCCUPANT, index))
    if third_party:
        result.append(Copy(THIRD_PARTY))
    return result


def entry(notice_id, copy):
    """A copy of notice `notice_id` as the letter report takes it in its
    data (JSON: a print file's rendering processes get it too)"""
    return [notice_id, copy.kind, copy.place]


def from_entry(entry):
    "The (notice id, Copy) of an `entry`"
    notice_id, kind, place = entry
    return notice_id, Copy(kind, place)


def presort_key(postal_code, account_number, copy):
    """Where a paper copy goes in the print file: by ZIP code for the
    presort discount, an account's copies in KIND_ORDER"""
    return ((postal_code or '')[:5], account_number or '',
        KIND_ORDER[copy.kind], copy.place if copy.place is not None else -1)
