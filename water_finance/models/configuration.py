# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The three-way match's tolerances, on Tryton's purchase configuration
(kept by the purchasing administrator)."""
from decimal import Decimal

from trytond.model import fields
from trytond.pool import PoolMeta

# A bill may bill what was received exactly, at up to 2 % off the price
DEFAULT_QUANTITY_TOLERANCE = Decimal('0')
DEFAULT_PRICE_TOLERANCE = Decimal('2')


class Configuration(metaclass=PoolMeta):
    __name__ = 'purchase.configuration'

    match_quantity_tolerance = fields.Numeric(
        "Match Quantity Tolerance (%)", digits=(5, 2), required=True,
        domain=[('match_quantity_tolerance', '>=', 0)],
        help="How much more than was received a supplier bill may bill, "
        "as a percentage of the quantity received.")
    match_price_tolerance = fields.Numeric(
        "Match Price Tolerance (%)", digits=(5, 2), required=True,
        domain=[('match_price_tolerance', '>=', 0)],
        help="How far a supplier bill's unit price may be from the "
        "ordered price, as a percentage of the ordered price.")

    @classmethod
    def default_match_quantity_tolerance(cls):
        return DEFAULT_QUANTITY_TOLERANCE

    @classmethod
    def default_match_price_tolerance(cls):
        return DEFAULT_PRICE_TOLERANCE

    def tolerances(self):
        "(quantity, price) tolerances in percent"
        return (
            self.match_quantity_tolerance
            if self.match_quantity_tolerance is not None
            else DEFAULT_QUANTITY_TOLERANCE,
            self.match_price_tolerance
            if self.match_price_tolerance is not None
            else DEFAULT_PRICE_TOLERANCE)
