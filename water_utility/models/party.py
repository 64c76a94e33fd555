# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    water_accounts = fields.One2Many(
        'water.account', 'party', "Water Accounts", readonly=True)


class Address(metaclass=PoolMeta):
    """A new address is in the district's country and state unless told
    otherwise: the US format prints "Cedar Creek, CA 95999" from them."""
    __name__ = 'party.address'

    @classmethod
    def default_country(cls):
        address = cls._district_address()
        return address.country.id if address and address.country else None

    @classmethod
    def default_subdivision(cls):
        address = cls._district_address()
        return (address.subdivision.id
            if address and address.subdivision else None)

    @staticmethod
    def _district_address():
        "The address of the company in the context, the district's"
        Company = Pool().get('company.company')
        company = Transaction().context.get('company')
        if not company or company < 0:
            return None
        return Company(company).party.address_get()
