# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The three-way match and vendor invoice numbers (water_finance.match_rules)"
from decimal import Decimal

from water_finance.match_rules import (
    line_findings, price_finding, quantity_finding, reference_key, shown)


def test_reference_key_ignores_case_spaces_and_punctuation():
    assert reference_key('INV-20417') == reference_key('inv 20417')
    assert reference_key(' Inv_20417. ') == 'inv20417'
    assert reference_key('20417') != reference_key('020417')
    assert reference_key('') is None
    assert reference_key(None) is None
    assert reference_key(' - ') is None


def test_quantity_within_what_was_received():
    assert quantity_finding(12, 0, 12, Decimal(0)) is None
    assert quantity_finding(6, 6, 12, Decimal(0)) is None
    assert quantity_finding(24, 0, 12, Decimal(0)) == (
        'quantity', {'billed': Decimal(24), 'received': Decimal(12)})
    # earlier bills count
    assert quantity_finding(7, 6, 12, Decimal(0))[1]['billed'] == 13


def test_quantity_tolerance_is_a_percentage_of_the_receipt():
    assert quantity_finding(105, 0, 100, Decimal(5)) is None
    assert quantity_finding(Decimal('105.01'), 0, 100, Decimal(5))
    assert quantity_finding(Decimal('0.5'), 0, Decimal('0.5'), 0) is None


def test_price_within_tolerance():
    ordered = Decimal('32.00')
    assert price_finding(Decimal('32.00'), ordered, Decimal(2)) is None
    assert price_finding(Decimal('32.64'), ordered, Decimal(2)) is None
    assert price_finding(Decimal('31.36'), ordered, Decimal(2)) is None
    assert price_finding(Decimal('32.65'), ordered, Decimal(2)) == (
        'price', {'billed': Decimal('32.65'), 'ordered': ordered})
    assert price_finding(Decimal('31.35'), ordered, Decimal(2))
    assert price_finding(Decimal('32.01'), ordered, Decimal(0))


def test_line_findings_both():
    findings = line_findings(24, 0, 12, Decimal('33'), Decimal('32'),
        Decimal(0), Decimal(2))
    assert [code for code, _ in findings] == ['quantity', 'price']
    assert line_findings(12, 0, 12, Decimal('32'), Decimal('32'),
        Decimal(0), Decimal(2)) == []


def test_shown():
    assert shown(Decimal('24.000')) == '24'
    assert shown(12.5) == '12.5'
    assert shown(Decimal('33.0000'), 2) == '33.00'
    assert shown(Decimal('38.1250'), 2) == '38.125'
