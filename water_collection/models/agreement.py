# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The printed payment arrangement, in the account's language: the amount,
every installment, what keeps it in good standing and what a default
means (HSC 116910(b)), and the signature lines."""
from water_utility.models.report import CustomerReport

from .. import shutoff_rules


class ArrangementAgreement(CustomerReport):
    "A payment arrangement, as the customer signs it"
    __name__ = 'water.collection.arrangement.agreement'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['service_addresses'] = service_addresses
        context['default_days'] = shutoff_rules.ARRANGEMENT_DEFAULT_DAYS
        context['final_notice_days'] = (
            shutoff_rules.FINAL_NOTICE_BUSINESS_DAYS)
        return context


def service_addresses(account):
    "The addresses the agreement is about, as the notices print them"
    return [f'{p.street}, {p.city}' for p in account.notice_premises()]
