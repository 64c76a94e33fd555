# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Who gets a copy of a notice, and the presort order: notice_copies"
from water_collection.notice_copies import (
    Copy, Place, copies, presort_key, same_place)

HOME = Place("5 Alder Way", "95999")
RENTAL = Place("12 Birch Court", "95999-1234")


def test_same_place_ignores_case_punctuation_and_zip4():
    assert same_place(Place("5 ALDER WAY.", "95999-0001"), HOME)
    assert same_place(Place(" 5  alder   way", "95999"), HOME)
    assert not same_place(Place("5 Alder Way", "95998"), HOME)
    assert not same_place(Place("7 Alder Way", "95999"), HOME)


def test_holder_living_at_the_service_address_gets_one_copy():
    assert copies('disconnect_notice', HOME, [HOME]) == [Copy('holder')]


def test_occupant_copy_when_the_service_address_differs():
    "HSC 116908(a)(2): a landlord billed at home, the tenants at the rental"
    assert copies('disconnect_notice', HOME, [RENTAL]) == [
        Copy('holder'), Copy('occupant', 0)]


def test_one_occupant_copy_a_place():
    assert copies('late_notice', HOME, [RENTAL, HOME, RENTAL]) == [
        Copy('holder'), Copy('occupant', 0)]


def test_paperless_holder_emailed_occupant_and_third_party_on_paper():
    assert copies('disconnect_notice', HOME, [RENTAL], paperless=True,
        third_party=True) == [
        Copy('holder', email=True), Copy('occupant', 0),
        Copy('third_party')]


def test_no_mailing_address_mails_the_service_address():
    assert copies('late_notice', None, [HOME]) == [
        Copy('holder'), Copy('occupant', 0)]


def test_door_notice_posted_at_each_premise_not_mailed():
    assert copies('door_notice', HOME, [HOME, RENTAL], paperless=True,
        third_party=True) == [Copy('posted', 0), Copy('posted', 1)]


def test_presort_by_zip_then_account_then_copy():
    keys = sorted([
            presort_key('95999', '1000002', Copy('holder')),
            presort_key('95001-2222', '1000009', Copy('third_party')),
            presort_key('95999', '1000001', Copy('occupant', 0)),
            presort_key('95999', '1000001', Copy('holder')),
            ])
    assert [k[:3] for k in keys] == [
        ('95001', '1000009', 2), ('95999', '1000001', 0),
        ('95999', '1000001', 1), ('95999', '1000002', 0)]


def test_entry_round_trips():
    "A copy goes to the letter report (and its processes) as JSON data"
    import json

    from water_collection.notice_copies import entry, from_entry
    for copy in [Copy('holder', email=False), Copy('occupant', 2)]:
        assert from_entry(json.loads(json.dumps(entry(7, copy)))) == (
            7, copy)
