# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import gc
from contextlib import contextmanager
from decimal import Decimal

from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction


class DistrictReport(Report):
    """A report printed by the district: its company and letterhead, and
    numbers formatted in the language of `_number_lang` (that of the
    report when None)."""
    _number_lang = None

    @classmethod
    def execute(cls, ids, data):
        with fewer_collections():
            return super().execute(ids, data)

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        company = Company(company_id) if company_id else None
        context['company'] = company
        context['district'] = district_lines(company)
        context['address_lines'] = address_lines
        lang = Lang.get(cls._number_lang) if cls._number_lang else None
        context['money'] = lambda value: cls.format_number(
            value or Decimal(0), lang, 2)
        context['accounting'] = lambda value: accounting(
            value or Decimal(0), context['money'])
        context['number'] = lambda value, digits=2: (
            cls.format_number(value, lang, digits)
            if value is not None else '')
        return context


def accounting(value, format_money):
    """`value` as accountants print it: formatted by `format_money`, a
    negative in parentheses, (5.00), not -5.00; no zero is negative"""
    if value < 0:
        return f'({format_money(-value)})'
    return format_money(abs(value))


@contextmanager
def fewer_collections():
    """Collect garbage less often while a report renders: the template and
    weasyprint make millions of short-lived objects, and the default
    thresholds spend about a tenth of a bill's rendering collecting them
    (measured on the bill run's print file)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def district_lines(company):
    "Return the district's name, address lines and phone for a letterhead"
    if company is None:
        return {'name': '', 'address': [], 'phone': ''}
    party = company.party
    return {
        'name': party.rec_name,
        'address': address_lines(party.address_get()),
        'phone': party.phone or '',
        }


def address_lines(address):
    """The lines of `address` as it is mailed, in the format of its country
    (party.address.format): every document prints addresses with it"""
    if address is None:
        return []
    return [l for l in address.get_full_address('full_address').splitlines()
        if l.strip()]
