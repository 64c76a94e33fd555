# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's collections terms in the water configuration: the
reconnection fees (reconnection.py), and its own shut-off rules beside the
statute's (district_rules): a minimum past-due balance, and the terms of
the services the statute does not protect."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .. import district_rules


def _amount(name, string, **kwargs):
    return fields.Numeric(string, digits=(16, 2),
        domain=['OR', (name, '=', None), (name, '>=', 0)], **kwargs)


def _days(name, string, **kwargs):
    return fields.Integer(string,
        domain=['OR', (name, '=', None), (name, '>=', 0)], **kwargs)


class Configuration(metaclass=PoolMeta):
    __name__ = 'water.configuration'

    reconnect_fee = _amount('reconnect_fee', "Reconnection Fee",
        help="Charged when service shut off for nonpayment is reconnected "
        "in business hours.")
    reconnect_fee_after_hours = _amount(
        'reconnect_fee_after_hours', "Reconnection Fee After Hours")
    reconnect_product = fields.Many2One(
        'product.product', "Reconnection Product", ondelete='RESTRICT',
        help="The service product reconnection fees are invoiced through: "
        "its revenue account takes them.")
    shutoff_minimum_balance = _amount(
        'shutoff_minimum_balance', "Shut-off Minimum Balance",
        help="The district's rule: nobody is shut off for nonpayment "
        "owing this or less past due.  Finance may override it.")
    nonresidential_days = _days(
        'nonresidential_days', "Non-Residential Days Delinquent",
        help="The district's rule for the services the statute does not "
        "protect: days a bill is delinquent before a shut-off.")
    nonresidential_notice_days = _days(
        'nonresidential_notice_days', "Non-Residential Notice Days",
        help="The district's rule for the services the statute does not "
        "protect: business days after the disconnect notice.")

    def collection_rules(self, company):
        "The district's shut-off rules (district_rules.Rules)"
        WeatherHold = Pool().get('water.collection.weather_hold')
        return district_rules.Rules(
            minimum_balance=self.shutoff_minimum_balance,
            weather_holds=WeatherHold.spans(company),
            nonresidential_days=self.nonresidential_days,
            nonresidential_notice_days=self.nonresidential_notice_days)
