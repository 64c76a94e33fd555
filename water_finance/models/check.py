# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Vendor checks printed as PDF through the project's HTML templates:
account_payment_check's report, given the district's letterhead, the
amount in words payroll writes, the stubs of the bill paid, and the MICR
line (check number, the bank's routing, the account) in its clear band.

The line is written with the letters MICR E-13B fonts (GnuMICR and the
commercial ones) map to its symbols: A transit, C on-us.  With such a
font installed (and magnetic toner) the band reads at the bank; without
it the template falls back to a monospaced font, for checks the bank
encodes itself."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from agency_payroll.paycheck import amount_in_words
from water_utility.models.report import district_lines

# E-13B's symbols as MICR fonts map them: on-us, transit
ON_US, TRANSIT = 'C', 'A'


def micr_line(check_number, routing, account):
    "The check's MICR line: C<number>C A<routing>A <account>C"
    return (f'{ON_US}{check_number}{ON_US} {TRANSIT}{routing or ""}'
        f'{TRANSIT} {account or ""}{ON_US}')


class PaymentCheck(metaclass=PoolMeta):
    __name__ = 'account.payment.check'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        Configuration = pool.get('payroll.configuration')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        routing = Configuration(1).ach_odfi
        context['district'] = district_lines(
            Company(company_id) if company_id else None)
        context['money'] = lambda value: cls.format_number(value, None, 2)
        context['words'] = amount_in_words
        context['micr'] = lambda payment: micr_line(payment.check_number,
            routing, payment.journal.positive_pay_account)
        return context
