# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Import Supplier Bills: a bill file (`bill_files`) entered and posted as
Tryton's supplier invoices, as the specialist would type them.

Each bill is found by its vendor (code, else name) and its lines' expense
(an account's code, or a product's, whose expense account and taxes
follow).  Its due date comes from the vendor's payment term, at posting.
A bill is identified by its vendor and invoice number, whatever the file's
bytes: a bill of the file already entered (not cancelled) with the same
total is skipped and named, with another total the file is refused.  Two
clerks importing at once: the database's exclusion constraint on vendor
and number refuses the second.  A file is imported whole or not at all;
each bill notes the file and line it came from.  Imported bills carry no
purchase order: they are matched as bills without one (a bill on an order
is entered on the order's drafted bill, for the three-way match)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from water_utility.payment_files import normalize

from .. import bill_files
from ..exceptions import BillImportError
from ..match_rules import reference_key


class ImportBillsStart(ModelView):
    "Import supplier bills"
    __name__ = 'water.bill.import.start'
    file = fields.Binary("File", required=True, filename='file_name',
        help="A CSV file: vendor, invoice, date, amount, and account or "
        "product (description optional); a row a line.")
    file_name = fields.Char("File Name")


class ImportBillsDone(ModelView):
    "Supplier bills imported"
    __name__ = 'water.bill.import.done'
    summary = fields.Text("Summary", readonly=True)
    bills = fields.Many2Many('account.invoice', None, None, "Bills",
        readonly=True)


class ImportBills(Wizard):
    "Import Supplier Bills"
    __name__ = 'water.bill.import'
    start = StateView('water.bill.import.start',
        'water_finance.bill_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    done = StateView('water.bill.import.done',
        'water_finance.bill_import_done_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        name = self.start.file_name or 'bills.csv'
        try:
            grouped = bill_files.bills(bill_files.parse(
                    bytes(self.start.file)))
        except bill_files.BillFileError as error:
            _refuse('msg_bill_file', file=name, error=str(error))
        created, skipped = import_bills(grouped, name)
        self._result = created, skipped
        return 'done'

    def default_done(self, fields):
        created, skipped = self._result
        lines = [gettext('water_finance.msg_bill_import_created',
                count=len(created))]
        lines += [gettext('water_finance.msg_bill_import_skipped',
                bill=b.rec_name, line=line) for b, line in skipped]
        return {
            'summary': '\n'.join(lines),
            'bills': [b.id for b in created] + [b.id for b, _ in skipped],
            }


def _refuse(message, **values):
    raise BillImportError(gettext(f'water_finance.{message}', **values))


def import_bills(grouped, file_name):
    """Enter and post the bills of `grouped` ({bill key: rows}) not yet
    entered; return (created bills, [(skipped bill, line)])"""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Invoice.lock()
    finder = _Finder()
    created, skipped = [], []
    for lines in grouped.values():
        first = lines[0]
        vendor = finder.vendor(first)
        existing = Invoice.search([
                ('type', '=', 'in'), ('party', '=', vendor.id),
                ('reference_key', '=', reference_key(first.invoice)),
                ('state', '!=', 'cancelled'),
                ], limit=1)
        if existing:
            bill, = existing
            total = bill_files.bill_total(lines)
            if bill.total_amount != total:
                _refuse('msg_bill_import_other_total', line=first.line,
                    invoice=first.invoice, vendor=vendor.rec_name,
                    bill=bill.rec_name, entered=bill.total_amount,
                    total=total)
            skipped.append((bill, first.line))
            continue
        created.append(_bill(vendor, lines, finder, file_name))
    if created:
        Invoice.save(created)
        Invoice.post(created)
    return created, skipped


def _bill(vendor, lines, finder, file_name):
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Line = pool.get('account.invoice.line')
    first = lines[0]
    company = finder.company
    bill = Invoice(type='in', company=company, currency=company.currency,
        party=vendor, invoice_date=first.date, reference=first.invoice)
    bill.on_change_type()
    bill.on_change_party()
    if not bill.account or not bill.invoice_address:
        _refuse('msg_bill_import_vendor_setup', line=first.line,
            vendor=vendor.rec_name)
    bill.comment = gettext('water_finance.msg_bill_import_comment',
        file=file_name, line=first.line)
    bill.lines = []
    for row in lines:
        line = Line(invoice=bill, type='line', company=company,
            currency=company.currency, invoice_type='in', party=vendor,
            quantity=1, unit_price=row.amount)
        product = finder.product(row) if row.product else None
        if product:
            line.product = product
            line.on_change_product()
            line.unit_price = row.amount
        if row.account:
            line.account = finder.account(row)
        if not line.account:
            _refuse('msg_bill_import_no_expense', line=row.line,
                product=product.rec_name)
        line.description = row.description or (
            product.rec_name if product else first.invoice)
        bill.lines += (line,)
    return bill


class _Finder:
    "The file's vendors, accounts and products, each looked up once"

    def __init__(self):
        pool = Pool()
        Company = pool.get('company.company')
        self.company = Company(Transaction().context['company'])
        self._cache = {}

    def _once(self, kind, text, search):
        key = (kind, normalize(text))
        if key not in self._cache:
            self._cache[key] = search()
        return self._cache[key]

    def vendor(self, row):
        Party = Pool().get('party.party')

        def search():
            parties = Party.search([('code', '=', row.vendor.strip())])
            if not parties:
                wanted = normalize(row.vendor)
                parties = [p for p in Party.search(
                        [('name', 'ilike', row.vendor.strip())])
                    if normalize(p.name) == wanted]
            if len(parties) != 1:
                _refuse('msg_bill_import_vendor', line=row.line,
                    vendor=row.vendor, count=len(parties))
            return parties[0]
        return self._once('vendor', row.vendor, search)

    def account(self, row):
        Account = Pool().get('account.account')

        def search():
            accounts = Account.search([
                    ('code', '=', row.account.strip()),
                    ('company', '=', self.company.id),
                    ('type.expense', '=', True),
                    ('closed', '!=', True),
                    ])
            if not accounts:
                _refuse('msg_bill_import_account', line=row.line,
                    account=row.account)
            return accounts[0]
        return self._once('account', row.account, search)

    def product(self, row):
        Product = Pool().get('product.product')

        def search():
            products = Product.search([
                    ('code', '=', row.product.strip()),
                    ('purchasable', '=', True),
                    ])
            if len(products) != 1:
                _refuse('msg_bill_import_product', line=row.line,
                    product=row.product)
            return products[0]
        return self._once('product', row.product, search)
