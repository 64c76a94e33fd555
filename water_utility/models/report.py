# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import gc
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction


class DistrictReport(Report):
    """A report printed by the district: its company and letterhead, and
    numbers and dates formatted in the language of `_number_lang` (that
    of the report when None)."""
    _number_lang = None

    @classmethod
    def execute(cls, ids, data):
        with fewer_collections():
            return super().execute(ids, data)

    @classmethod
    def _callback_loader(cls, report, template):
        """trytond renders a shallow copy of the cached template and adds
        its i18n directives to it at each render; genshi merges them into
        the directive lists of the stream in place, lists the copy shares
        with the cached template.  A process rendering a report a thousand
        times (a mailing's emails) so nested a thousand directives and
        overflowed Python's recursion limit.  The copy gets lists of its
        own first."""
        if report.translatable and isinstance(
                getattr(template, '_stream', None), list):
            template._stream = own_directive_lists(template._stream)
        return super()._callback_loader(report, template)

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
        if lang:
            context['format_date'] = lambda value, *args, **kwargs: (
                cls.format_date(value, lang))
        context['money'] = lambda value: cls.format_number(
            value or Decimal(0), lang, 2)
        context['dollars'] = lambda value: '$' + context['money'](value)
        context['accounting'] = lambda value: accounting(
            value or Decimal(0), context['money'])
        context['number'] = lambda value, digits=2: (
            cls.format_number(value, lang, digits)
            if value is not None else '')
        return context


class CustomerReport(DistrictReport):
    """A document the customer gets (bill, receipt, statement, letter):
    its words in the account's language, which the template sets with
    set_lang and the report's translations (locale/*.po) give, and its
    dates and amounts as American customers write them, 05/12/2026 and
    1,234.56, whatever that language."""
    _number_lang = 'en'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['account_language'] = account_language
        return context

    @classmethod
    def in_account_language(cls, accounts, read):
        """Return {account id: read(account)}, `read` called in each
        account's language: what the template prints from records
        (selection labels, translated names) reads in it"""
        pool = Pool()
        Account = pool.get('water.account')
        languages = defaultdict(list)
        for account in accounts:
            languages[account_language(account)].append(account.id)
        result = {}
        for lang, ids in languages.items():
            with Transaction().set_context(language=lang):
                for account in Account.browse(ids):
                    result[account.id] = read(account)
        return result


def own_directive_lists(stream):
    """`stream` (a genshi template's events) with new lists wherever a
    directive list or a sub-stream is, the events themselves shared"""
    from genshi.template.base import SUB
    result = []
    for kind, data, pos in stream:
        if kind is SUB:
            directives, substream = data
            data = (list(directives), own_directive_lists(substream))
        result.append((kind, data, pos))
    return result


def account_language(account):
    """The code of the language `account` gets its notices in: its own,
    else the district's default (not the clerk's who prints them)"""
    pool = Pool()
    Configuration = pool.get('ir.configuration')
    if account is not None and account.lang:
        return account.lang.code
    return Configuration.get_language()


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
