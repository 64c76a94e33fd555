# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The merge fields of the district's letters, in plain Python.

A letter template is a fragment of HTML (paragraphs, emphasis, lists)
with merge fields written {{ name }}.  On save a template names any field
it does not know and any markup it may not carry (no other tags, no
attributes: nothing a PDF renderer could fetch); a letter merges the
account's values into it, each value escaped."""
import html
import re
from html.parser import HTMLParser

# name: what it stands for (shown to whoever edits a template)
FIELDS = {
    'today': "Today's date",
    'account_number': "The account's number",
    'customer_name': "The account's customer",
    'service_address': "The premise's street and city",
    'balance': "The account's balance",
    'last_bill_date': "The date of the last bill",
    'last_bill_amount': "The total of the last bill",
    'last_usage': "The use billed on the last bill",
    'usage_unit': "The unit that use is billed in",
    'amount': "The amount the clerk enters on the letter",
    'reference': "The reference the clerk enters on the letter",
    'complaint_subject': "The complaint's subject",
    'complaint_received': "The date the complaint was received",
    'complaint_resolution': "The complaint's resolution",
    'district_name': "The district's name",
    'district_phone': "The district's phone",
    'clerk_name': "The name of the clerk who writes the letter",
    }
ALLOWED_TAGS = frozenset({
        'p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li',
        'h3', 'h4', 'blockquote'})
_FIELD = re.compile(r'\{\{\s*([^{}]*?)\s*\}\}')


def fields_used(text):
    "The merge fields `text` names, in order, each once"
    seen = []
    for name in _FIELD.findall(text or ''):
        if name not in seen:
            seen.append(name)
    return seen


def missing_fields(text, values):
    "The clerk's fields `text` names that have no value in `values`"
    return [n for n in fields_used(text)
        if n in CLERK_FIELDS and values.get(n) in (None, '')]


def unknown_fields(text):
    "The merge fields `text` names that no letter knows"
    return [n for n in fields_used(text) if n not in FIELDS]


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refused = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.refused.append(f'<{tag}>')
        for name, _ in attrs:
            self.refused.append(f'<{tag} {name}>')

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.refused.append(f'</{tag}>')


def refused_markup(text):
    """The tags and attributes of `text` a letter may not carry, in
    order, each once"""
    parser = _Markup()
    parser.feed(text or '')
    parser.close()
    return list(dict.fromkeys(parser.refused))


# The fields the clerk fills in on the letter itself
CLERK_FIELDS = ('amount', 'reference')


def merge(text, values, keep=()):
    """`text` with each {{ field }} replaced by its value in `values`,
    escaped for HTML; a value that is None prints empty, but a field of
    `keep` with no value stays as written (to merge once it has one).  An
    unknown field raises KeyError (templates are checked on save)."""
    def value(match):
        found = values[match.group(1)]
        if found in (None, '') and match.group(1) in keep:
            return match.group(0)
        return html.escape('' if found is None else str(found))
    return _FIELD.sub(value, text or '')

