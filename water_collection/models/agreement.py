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
        money = context['money']
        context['dollars'] = lambda value: f'${money(value)}'
        context['service_addresses'] = service_addresses
        context['default_days'] = shutoff_rules.ARRANGEMENT_DEFAULT_DAYS
        context['final_notice_days'] = (
            shutoff_rules.FINAL_NOTICE_BUSINESS_DAYS)
        return context


def service_addresses(account):
    "The addresses of the account's active services, else of its latest"
    services = [s for s in account.services if s.state == 'active']
    services = services or list(account.services[:1])
    addresses = []
    for service in services:
        address = f'{service.premise.street}, {service.premise.city}'
        if address not in addresses:
            addresses.append(address)
    return addresses
