# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The letters' merge fields and markup, in plain Python"""
import pytest

from water_desk import letter_merge


def test_fields_used_in_order_each_once():
    text = "{{ customer_name }} {{account_number}} {{ customer_name }}"
    assert letter_merge.fields_used(text) == [
        'customer_name', 'account_number']


def test_unknown_fields_named():
    text = "<p>{{ customer_name }}, clear {{ meter_box }} by {{ due }}</p>"
    assert letter_merge.unknown_fields(text) == ['meter_box', 'due']
    assert letter_merge.unknown_fields(None) == []


def test_merge_escapes_values():
    merged = letter_merge.merge("<p>Dear {{ customer_name }},</p>",
        {'customer_name': "Ortiz & Sons <Ltd>"})
    assert merged == "<p>Dear Ortiz &amp; Sons &lt;Ltd&gt;,</p>"


def test_merge_keeps_the_clerks_empty_fields():
    text = "{{ amount }} {{ reference }} {{ balance }}"
    values = {'amount': None, 'reference': '', 'balance': None}
    assert letter_merge.merge(text, values, letter_merge.CLERK_FIELDS) == (
        "{{ amount }} {{ reference }} ")
    assert letter_merge.merge(text, values) == "  "
    assert letter_merge.missing_fields(text, values) == [
        'amount', 'reference']
    assert letter_merge.missing_fields(text, {
            'amount': '$4.00', 'reference': 'x'}) == []


def test_merge_unknown_field_raises():
    with pytest.raises(KeyError):
        letter_merge.merge("{{ nope }}", {})


@pytest.mark.parametrize('text, refused', [
        ("<p>Hello <b>there</b><br/></p><ul><li>a</li></ul>", []),
        ('<p><img src="http://x/y.png"/></p>', ['<img>', '<img src>']),
        ('<p style="color: red">x</p>', ['<p style>']),
        ('<script>alert(1)</script>', ['<script>', '</script>']),
        ('<a href="file:///etc/passwd">x</a>', ['<a>', '<a href>', '</a>']),
        ('<link rel="stylesheet" href="http://x"/>',
            ['<link>', '<link rel>', '<link href>']),
        ])
def test_refused_markup(text, refused):
    assert letter_merge.refused_markup(text) == refused


def test_every_field_is_described():
    assert all(letter_merge.FIELDS.values())
    assert set(letter_merge.CLERK_FIELDS) <= letter_merge.FIELDS.keys()
