# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Reconnection after a shut-off for nonpayment: the district's fees (in
business hours and after hours) and the CPI table it keeps, and the fee
charged when the crew reconnects.  For a household under 200% of the
federal poverty line the fee is capped at $50 in business hours and $150
after hours, adjusted for the CPI since 2021 (HSC 116914(a)(1);
penalty_rules.reconnect_fee)."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool

from water_utility.models.ledger import post_invoices

from .. import penalty_rules
from ..exceptions import ReconnectionError


class ConsumerPriceIndex(ModelSQL, ModelView):
    """The Consumer Price Index of a year, as the district adopts it: the
    statute's reconnection caps move with it from 2021"""
    __name__ = 'water.collection.cpi'

    year = fields.Integer("Year", required=True,
        domain=[('year', '>=', penalty_rules.CPI_BASE_YEAR)])
    index = fields.Numeric(
        "Index", digits=(16, 3), required=True, domain=[('index', '>', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_unique', Unique(t, t.year),
                'water_collection.msg_cpi_year_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return str(self.year)

    @classmethod
    def factor(cls, day):
        """The CPI of the latest year up to `day`'s over that of 2021; 1
        while the table lacks either"""
        base = cls.search([('year', '=', penalty_rules.CPI_BASE_YEAR)])
        latest = cls.search([('year', '<=', day.year)], limit=1)
        if not base or not latest:
            return Decimal(1)
        return latest[0].index / base[0].index


def charge_reconnections(orders):
    """Invoice the reconnection fee of each done reconnection after
    nonpayment, capped for a household under 200% of the poverty line, and
    post the invoices"""
    pool = Pool()
    Configuration = pool.get('water.configuration')
    Order = pool.get('water.service.order')
    if not orders:
        return
    configuration = Configuration(1)
    charged = []
    for order in orders:
        fee = reconnect_fee(order, configuration)
        if fee:
            charged.append((order, fee))
    if not charged:
        return
    if not configuration.reconnect_product:
        raise ReconnectionError(gettext(
                'water_collection.msg_reconnect_product_missing',
                order=charged[0][0].rec_name))
    invoices = [fee_invoice(o, fee, configuration) for o, fee in charged]
    ids = post_invoices(invoices)
    for (order, _), invoice_id in zip(charged, ids):
        order.reconnect_invoice = invoice_id
    Order.save([o for o, _ in charged])


def reconnect_fee(order, configuration):
    "The fee the reconnection `order` is charged"
    Cpi = Pool().get('water.collection.cpi')
    day = order.done_date
    fee = (configuration.reconnect_fee_after_hours if order.after_hours
        else configuration.reconnect_fee)
    if not fee:
        return Decimal(0)
    low_income = any(p.kind == 'low_income' and p.active_on(day)
        for p in order.service.account.protections)
    return penalty_rules.reconnect_fee(fee, after_hours=order.after_hours,
        low_income=low_income, cpi_factor=Cpi.factor(day))


def fee_invoice(order, fee, configuration):
    "The unsaved invoice of the reconnection fee"
    InvoiceLine = Pool().get('account.invoice.line')
    account = order.service.account
    company = account.company
    product = configuration.reconnect_product
    description = gettext('water_collection.msg_reconnect_fee_line',
        order=order.rec_name, address=order.premise.street)
    invoice = account.customer_invoice(
        company, order.done_date, description, configuration.payment_term)
    invoice.lines = [InvoiceLine(
            type='line', company=company, currency=company.currency,
            product=product, unit=product.default_uom,
            account=product.account_revenue_used, quantity=1,
            unit_price=fee, description=description, taxes=[],
            origin=order)]
    return invoice
