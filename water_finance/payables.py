# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A district's payables set-up, through proteus as an administrator would
enter it: the vendors' payment term, the supplies and services bought
(each expensed to its account of the water chart), the vendors, and
Tryton's groups for those who buy, receive and keep payables.  Used by
the demo and the scenarios."""
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

# code, name, type, expense account, cost price
PRODUCTS = [
    ('MBOX', "Meter box, 13 x 24 in., with reading lid", 'goods', '5040',
        '38.75'),
    ('PAPER', "Copy paper, case of 10 reams", 'goods', '5060', '32.00'),
    ('LEAK', "Leak detection survey, per day", 'service', '5040',
        '1450.00'),
    ]
VENDORS = [
    "Pacific Pipe & Meter Supply",
    "Valley Office Products",
    "Sierra Leak Detection",
    ]
# Tryton's groups: who buys and receives, who keeps payables
BUY = ['clerk', 'finance', 'manager']
PAYABLES = ['clerk']


def setup_payables(company, users=None, config=None):
    """Set payables up, once: return {'term', 'products' by code, 'vendors'
    by name}; `users` by login are given the buying groups"""
    config = config or get_config()
    term = vendor_term(config)
    products = create_products(company, config)
    Party = Model.get('party.party', config=config)
    vendors = {}
    for name in VENDORS:
        vendor = Party(name=name)
        vendor.supplier_payment_term = term
        vendor.save()
        vendors[name] = vendor
    if users:
        grant_groups(users, config)
    return {'term': term, 'products': products, 'vendors': vendors}


def vendor_term(config):
    PaymentTerm = Model.get('account.invoice.payment_term', config=config)
    term = PaymentTerm(name="Net 30 days")
    line = term.lines.new(type='remainder')
    line.relativedeltas.new(days=30)
    term.save()
    return term


def create_products(company, config):
    Account = Model.get('account.account', config=config)
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', "Unit")])
    categories, products = {}, {}
    for code, name, type_, account_code, cost in PRODUCTS:
        if account_code not in categories:
            account, = Account.find([
                    ('code', '=', account_code),
                    ('company', '=', company.id)])
            category = Category(name=f"Purchases - {account.name}",
                accounting=True)
            category.account_expense = account
            category.save()
            categories[account_code] = category
        template = Template(name=name, type=type_, default_uom=unit,
            list_price=Decimal(0), purchasable=True,
            account_category=categories[account_code])
        template.code = code
        template.save()
        product, = template.products
        product.cost_price = Decimal(cost)
        product.save()
        products[code] = product
    return products


def grant_groups(users, config):
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)

    def group(module, xml_id):
        return Group(ModelData.get_id(module, xml_id, config.context))
    buy = [group('purchase', 'group_purchase'), group('stock', 'group_stock')]
    keep = [group('account', 'group_account')]
    for login, user in users.items():
        groups = (buy if login in BUY else []) + (
            keep if login in PAYABLES else [])
        held = {g.id for g in user.groups}
        for g in groups:
            if g.id not in held:
                user.groups.append(Group(g.id))
        if groups:
            user.save()


def order(vendor, product, quantity, price, config=None):
    """A purchase order of `quantity` `product` at `price`, invoiced on
    order, quoted and confirmed as the buyer does: its bill is drafted"""
    Purchase = Model.get('purchase.purchase', config=config)
    purchase = Purchase(party=vendor, invoice_method='order')
    line = purchase.lines.new(product=product)
    line.quantity = quantity
    line.unit_price = Decimal(price)
    purchase.click('quote')
    purchase.click('confirm')
    return purchase


def receive(purchase, quantity, config=None):
    "Receive `quantity` of the order's first line still to receive"
    ShipmentIn = Model.get('stock.shipment.in', config=config)
    Move = Model.get('stock.move', config=config)
    purchase.reload()
    shipment = ShipmentIn(supplier=purchase.party)
    move = next(m for m in purchase.moves if m.state == 'draft')
    shipment.incoming_moves.append(Move(move.id))
    shipment.incoming_moves[0].quantity = quantity
    shipment.click('receive')
    shipment.click('do')
    return shipment


def enter_bill(purchase, reference, date, unit_price=None, config=None):
    """Enter the vendor's bill on the order's drafted one (its number and
    date, the price billed if not the order's) and post it"""
    purchase.reload()
    bill, = [i for i in purchase.invoices if i.state == 'draft']
    bill.reference = reference
    bill.invoice_date = date
    if unit_price is not None:
        bill.lines[0].unit_price = Decimal(unit_price)
    bill.click('post')
    return bill
