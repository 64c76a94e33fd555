# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A district's payables set-up, through proteus as an administrator would
enter it: the vendors' payment term, the supplies and services bought
(each expensed to its account of the water chart), the vendors (one paid
by ACH), the payment journals (checks numbered from a strict sequence,
ACH), and Tryton's groups for those who buy, receive, keep payables and
pay.  Used by the demo and the scenarios."""
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from water_utility.district import BANK_ACCOUNT_NUMBER

# code, name, type, expense account, cost price
PRODUCTS = [
    ('MBOX', "Meter box, 13 x 24 in., with reading lid", 'goods', '5040',
        '38.75'),
    ('PAPER', "Copy paper, case of 10 reams", 'goods', '5060', '32.00'),
    ('MTR58', "Water meter, 5/8 x 3/4 in., radio read", 'goods', '5040',
        '185.00'),
    ('LEAK', "Leak detection survey, per day", 'service', '5040',
        '1450.00'),
    ]
VENDORS = [
    "Pacific Pipe & Meter Supply",
    "Valley Office Products",
    "Sierra Leak Detection",
    ]
# vendor -> (routing, account) of the vendors paid by ACH
ACH_VENDORS = {
    "Sierra Leak Detection": ('322271627', '5501200318'),
    }
# the vendors paid for services as non-employees: on the 1099-NEC totals
VENDORS_1099 = {"Sierra Leak Detection"}
FIRST_CHECK = 10040
# The supplies kept on the shelf: code -> (vendor, price, reorder point,
# order up to); the stock supply run asks for what falls below its point
SUPPLIES = {
    'MBOX': ("Pacific Pipe & Meter Supply", '38.75', 10, 40),
    'MTR58': ("Pacific Pipe & Meter Supply", '185.00', 12, 36),
    'PAPER': ("Valley Office Products", '32.00', 4, 12),
    }
# Tryton's groups: who buys and receives, who keeps payables, who prepares
# payment runs and who approves payments
BUY = ['clerk', 'finance', 'manager']
PAYABLES = ['clerk']
PAY = ['clerk', 'finance']
APPROVE_PAYMENTS = ['finance', 'manager']


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
        vendor.vendor_1099 = name in VENDORS_1099
        if name in ACH_VENDORS:
            vendor.vendor_pay_by = 'ach'
            vendor.ach_routing, vendor.ach_account = ACH_VENDORS[name]
        vendor.save()
        vendors[name] = vendor
    journals = create_payment_journals(company, config)
    if users:
        grant_groups(users, config)
    return {'term': term, 'products': products, 'vendors': vendors,
        'journals': journals}


def setup_supplies(company, payables, config=None):
    """Each supply of SUPPLIES bought from its vendor at its price, with
    its reorder point at the district's warehouse; return the points by
    product code"""
    config = config or get_config()
    Location = Model.get('stock.location', config=config)
    OrderPoint = Model.get('stock.order_point', config=config)
    Template = Model.get('product.template', config=config)
    warehouse, = Location.find([('type', '=', 'warehouse')], limit=1)
    points = {}
    for code, (vendor, price, low, target) in SUPPLIES.items():
        product = payables['products'][code]
        template = Template(product.template.id)
        supplier = template.product_suppliers.new(
            party=payables['vendors'][vendor])
        supplier.prices.new(quantity=0, unit_price=Decimal(price))
        template.save()
        points[code] = OrderPoint(company=company, product=product,
            location=warehouse, type='purchase', min_quantity=low,
            target_quantity=target)
    OrderPoint.save(list(points.values()))
    return points


def setup_adjustments(limit, config=None):
    """Mark Tryton's Miscellaneous journal as the adjusting entries' one,
    finance approving those above `limit`; return it"""
    config = config or get_config()
    Journal = Model.get('account.journal', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    journal = Journal(ModelData.get_id(
            'account', 'journal_miscellaneous', config.context))
    journal.adjustments = True
    journal.adjustment_limit = limit
    journal.save()
    return journal


def vendor_term(config):
    PaymentTerm = Model.get('account.invoice.payment_term', config=config)
    term = PaymentTerm(name="Net 30 days")
    line = term.lines.new(type='remainder')
    line.relativedeltas.new(days=30)
    term.save()
    return term


def create_payment_journals(company, config):
    """The operating account's vendor checks and ACH payments: each paid
    payment clears its bill against the operating cash account at once.
    Return them by process method"""
    Account = Model.get('account.account', config=config)
    Journal = Model.get('account.journal', config=config)
    PaymentJournal = Model.get('account.payment.journal', config=config)
    Sequence = Model.get('ir.sequence.strict', config=config)
    SequenceType = Model.get('ir.sequence.type', config=config)
    Report = Model.get('ir.action.report', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    cash, = Account.find([('code', '=', '1010'),
            ('company', '=', company.id)])
    cash_journal, = Journal.find([('code', '=', 'CASH')])
    sequence = Sequence(name="Operating account checks", company=company,
        sequence_type=SequenceType(ModelData.get_id('account_payment_check',
                'sequence_type_account_payment_check', config.context)),
        number_next=FIRST_CHECK)
    sequence.save()
    checks = PaymentJournal(name="Operating Account Checks",
        process_method='check', company=company, currency=company.currency,
        clearing_account=cash, clearing_journal=cash_journal,
        check_sequence=sequence,
        check_format=Report(ModelData.get_id('water_finance', 'report_check',
                config.context)),
        positive_pay_account=BANK_ACCOUNT_NUMBER)
    ach = PaymentJournal(name="Vendor ACH", process_method='ach',
        company=company, currency=company.currency,
        clearing_account=cash, clearing_journal=cash_journal)
    PaymentJournal.save([checks, ach])
    return {'check': checks, 'ach': ach}


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
    buy = [group('purchase', 'group_purchase'), group('stock', 'group_stock'),
        group('purchase_request', 'group_purchase_request')]
    keep = [group('account', 'group_account')]
    pay = [group('account_payment', 'group_payment')]
    approve = [group('account_payment', 'group_payment_approval')]
    for login, user in users.items():
        groups = ((buy if login in BUY else [])
            + (keep if login in PAYABLES else [])
            + (pay if login in PAY else [])
            + (approve if login in APPROVE_PAYMENTS else []))
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
