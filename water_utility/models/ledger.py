# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Posting a bill run's customer invoices to the ledger in bulk.

Stock `Invoice.save` + `Invoice.post` validates and writes every invoice,
invoice line, move and move line through the ORM, one record at a time:
about 70 ms a bill.  The invoices of a bill run are all built the same
way (`water.bill.get_invoice`): products without taxes, the company's
currency, the district's payment term.  For those, the rows that
`Invoice.post` would write are computed here with Tryton's own builders
(`InvoiceLine.get_move_lines`, `Invoice._get_move_line`,
`PaymentTerm.compute`, the fiscal year's strict sequences, the fields'
defaults) and inserted a table at a time.

Anything out of that plain case goes through stock posting, which posts
it or says why not: a zero total (Tryton reconciles it and marks it
paid), a credit, taxes, another currency, payment means rules, dates
Tryton warns about, an address that is not the party's, an invoice
number that would go before a later-dated one.  Both kinds are posted in
the order given, so ids and numbers are those stock posting of the whole
list gives; tests/test_ledger.py compares the two on a sample.

What the ORM checks of rows it writes is run on the rows inserted here,
set-wise and in the same transaction (`check_written`): the user's
access and record rules, every field's domain and required state,
`validate` and `validate_fields` (so a closed or ended revenue account is
refused with the error stock posting gives), and the `ir.trigger` on
creation.  A model that keeps history, or has a trigger on writing,
posts the stock way; so does everything when another module overrides
a posting method (`stock_reason`, logged as a warning).

One difference is deliberate: stock posting queues `print_invoice`,
which renders and keeps Tryton's own invoice document for every invoice.
A bill run's document is the bill (`water.bill.report`); Tryton's invoice
report is still rendered, and kept, the first time someone prints it."""
import datetime
import logging
import re
from decimal import Decimal
from itertools import groupby

from trytond import backend
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, record_cache_size
from trytond.transaction import without_check_access

from ..exceptions import LedgerError
from .bulk import insert_rows, reserve_ids

logger = logging.getLogger(__name__)

STOCK_CONTEXT = 'water_stock_posting'
# What posting runs through, and where it may be defined for the rows
# computed here to be those stock posting writes.  A module installed
# later that overrides one of these sends every invoice the stock way.
POSTING_HOOKS = {
    'account.invoice': ['post', '_post', 'set_number', '_number_sequence',
        'get_move', '_get_move_line', 'create', 'write', 'validate',
        'on_modification', '_store_cache', 'set_payment_means',
        'compute_fields', 'update_taxes'],
    'account.invoice.line': ['get_move_lines', 'create', 'write',
        'validate', 'on_modification', 'compute_fields'],
    'account.move': ['post', 'create', 'write', 'validate',
        'on_modification', 'validate_move'],
    'account.move.line': ['create', 'write', 'validate', 'on_modification'],
    }
KNOWN_MODULES = {
    'trytond.model.modelsql', 'trytond.model.modelstorage',
    'trytond.model.model', 'trytond.model.modelview',
    'trytond.model.workflow', 'trytond.modules.account.move',
    'trytond.modules.account_invoice.invoice',
    'water_utility.models.invoice',
    # Its Move.post only refuses a move whose origin is a statement not yet
    # posted: a bill's move originates from its invoice.
    'trytond.modules.account_statement.account',
    # Its MoveLine.write only refuses to move a bank clearing from one
    # bank transaction to another: bills' lines are created uncleared.
    'water_utility.models.account',
    # (purchase, water_finance) Its Invoice._post queues the processing of
    # the purchases an invoice's lines bill: a plain invoice's lines bill
    # no purchase line (`LedgerWriter.plain`).
    'trytond.modules.purchase.invoice',
    # (account_invoice_stock, with purchase) Its InvoiceLine.on_modification
    # queues, on a write, the unit price of the stock moves a line bills:
    # a plain invoice's lines bill no stock move.
    'trytond.modules.account_invoice_stock.account',
    # (water_finance) Its Invoice.create, write and _post act on supplier
    # bills only (a vendor's invoice number once, the three-way match): a
    # bill run's invoices are customer invoices.
    'water_finance.models.invoice',
    # (account_payment, water_finance) Its Invoice._get_move_line copies
    # the invoice's direct debit flag to the payable line, and its
    # Invoice.set_payment_means draws payment means from the party's
    # direct debit receptions: an invoice with either posts the stock way
    # (`LedgerWriter.plain`).
    'trytond.modules.account_payment.account',
    # (water_finance) Its Move.post refuses only an adjustment (a move of
    # the adjusting entries' journal with no origin), and its
    # check_modification and copy act on the adjustment's approval: a
    # bill's move has its invoice for origin, a statement's its line.
    'water_finance.models.journal_entry',
    }


def hooked(hooks=POSTING_HOOKS, known=KNOWN_MODULES):
    "The posting methods other modules override, as `model.method`"
    pool = Pool()
    found = []
    for name, methods in hooks.items():
        Model = pool.get(name)
        for method in methods:
            for klass in Model.__mro__:
                if (method in vars(klass)
                        and klass.__module__ not in known):
                    found.append(f'{name}.{method} ({klass.__module__})')
    return found


def stock_reason(hooks=POSTING_HOOKS, known=KNOWN_MODULES):
    """Why posting goes the stock way rather than in bulk, or None: the
    context asks for it, another module overrides a posting method, a
    model written keeps history (`_history`) or has a trigger on writing
    (whose condition is tested before and after the writes stock posting
    makes)"""
    pool = Pool()
    Trigger = pool.get('ir.trigger')
    if Transaction().context.get(STOCK_CONTEXT):
        return 'asked by the context'
    found = hooked(hooks, known)
    if found:
        return 'posting overridden by ' + ', '.join(found)
    history = [n for n in hooks if pool.get(n)._history]
    if history:
        return 'history kept of ' + ', '.join(history)
    with without_check_access():
        triggered = [n for n in hooks if Trigger.get_triggers(n, 'write')]
    if triggered:
        return 'triggers on writing ' + ', '.join(triggered)
    return None


def warn_stock(what, reason):
    "Log that `what` posts the stock way for `reason`, unless asked to"
    if reason and not Transaction().context.get(STOCK_CONTEXT):
        logger.warning("%s post the stock way, not in bulk: %s", what, reason)


def post_invoices(invoices):
    """Save and post the unsaved customer `invoices` in their order and
    return their ids; the stock way when `stock_reason` gives a reason
    (logged as a warning)"""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    reason = stock_reason()
    warn_stock("bill invoices", reason)
    writer = None if reason else LedgerWriter()
    ids = []
    for plain, segment in groupby(
            invoices, key=lambda i: bool(writer and writer.plain(i))):
        segment = list(segment)
        if plain:
            ids.extend(writer.post(segment))
        else:
            Invoice.save(segment)
            Invoice.post(segment)
            ids.extend(i.id for i in segment)
    return ids


class BulkWriter:
    """What the bulk writers share: today, and the periods and fields'
    defaults they look up once"""

    def __init__(self):
        self.today = Pool().get('ir.date').today()
        self._periods = {}
        self._defaults = {}

    def period(self, company, date):
        Period = Pool().get('account.period')
        key = (company.id, date)
        if key not in self._periods:
            self._periods[key] = Period.find(company, date=date)
        return self._periods[key]


class LedgerWriter(BulkWriter):
    "The rows `Invoice.post` writes for plain invoices, inserted in bulk"

    def __init__(self):
        super().__init__()
        pool = Pool()
        User = pool.get('res.user')
        PaymentMeanRule = pool.get('account.invoice.payment.mean.rule')
        self.payment_means = bool(PaymentMeanRule.search([], limit=1))
        self.employee = User(Transaction().user).employee
        self._terms = {}
        self._payment_terms = {}
        self._products = {}
        self._sequences = {}
        self._tax_identifiers = {}

    # Which invoices

    def plain(self, invoice):
        "Whether `invoice` posts here exactly as `Invoice.post` would"
        company = invoice.company
        if (self.payment_means
                or getattr(invoice, 'payment_direct_debit', False)
                or getattr(invoice.party, 'reception_direct_debits', None)
                or invoice.type != 'out'
                or invoice.currency != company.currency
                or getattr(invoice, 'accounting_date', None)
                or getattr(invoice, 'payment_term_date', None)
                or getattr(invoice, 'alternative_payees', None)
                or not invoice.invoice_date
                or invoice.invoice_date > self.today
                or not invoice.payment_term
                or not invoice.journal
                or not invoice.invoice_address
                or invoice.invoice_address.party != invoice.party
                or invoice.currency.is_zero(self.total(invoice))
                or self.total(invoice) < 0):
            return False
        for line in invoice.lines:
            if (line.type != 'line'
                    or not line.product
                    or getattr(line, 'taxes', None)
                    or getattr(line, 'stock_moves', None)
                    or getattr(getattr(line, 'origin', None), '__name__',
                        None) == 'purchase.line'
                    or self._product_taxed(line.product)
                    or (line.amount == 0 and line.account.reconcile)):
                return False
        if any(d < self.today for d, _ in self.terms(invoice)):
            return False
        sequence, _ = self.sequence(invoice)
        return not self._later_numbered(sequence, invoice.invoice_date)

    def total(self, invoice):
        for line in invoice.lines:
            line.invoice = invoice
            line.amount = line.on_change_with_amount()
        return sum((l.amount for l in invoice.lines), Decimal(0))

    def terms(self, invoice):
        key = id(invoice)
        if key not in self._terms:
            term = invoice.payment_term
            # One instance for all: its lines are read once.
            term = self._payment_terms.setdefault(term.id, term)
            self._terms[key] = term.compute(
                self.total(invoice), invoice.currency, invoice.invoice_date)
        return self._terms[key]

    def _product_taxed(self, product):
        if product.id not in self._products:
            self._products[product.id] = bool(product.customer_taxes_used)
        return self._products[product.id]

    def sequence(self, invoice):
        "The sequence and its date `Invoice.set_number` would use"
        key = (invoice.company.id, invoice.invoice_date)
        if key not in self._sequences:
            invoice.sequence_type_cache = invoice_sequence_type = 'invoice'
            sequence, date = invoice._number_sequence()
            self._sequences[key] = (sequence, date, invoice_sequence_type)
        return self._sequences[key][:2]

    def _later_numbered(self, sequence, date):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        key = ('later', sequence.id, date)
        if key not in self._sequences:
            self._sequences[key] = bool(Invoice.search([
                        ('sequence', '=', sequence.id),
                        ('invoice_date', '>', date),
                        ], limit=1))
        return self._sequences[key]

    def tax_identifier(self, invoice):
        address = invoice.invoice_address
        key = (invoice.company.id,
            address.country.id if address.country else None)
        if key not in self._tax_identifiers:
            identifier = invoice.get_tax_identifier()
            self._tax_identifiers[key] = identifier.id if identifier else None
        return self._tax_identifiers[key]

    # Rows

    def post(self, invoices):
        "Write `invoices` posted, as `Invoice.post` would; return their ids"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        transaction = Transaction()
        user = transaction.user
        now = datetime.datetime.now()

        # What may want a lock (and start the transaction over) first, in
        # the order stock posting takes them; ids are drawn after.
        numbers = self._numbers(invoices)
        # In the invoices' order, as stock posting creates journal periods
        for (period, journal) in dict.fromkeys(
                (self.period(i.company, i.invoice_date), i.journal)
                for i in invoices):
            MoveLine.check_journal_period_modify(period, journal)
        move_numbers = self._move_numbers(invoices)
        invoice_ids = reserve_ids(Invoice, len(invoices))
        move_ids = reserve_ids(Move, len(invoices))
        line_count = sum(len(i.lines) for i in invoices)
        line_ids = iter(reserve_ids(InvoiceLine, line_count))

        invoice_rows, invoice_line_rows, move_rows, move_line_rows = (
            [], [], [], [])
        for invoice, invoice_id, move_id, number, move_number in zip(
                invoices, invoice_ids, move_ids, numbers, move_numbers):
            sequence, _ = self.sequence(invoice)
            total = invoice.currency.round(self.total(invoice))
            zero = invoice.currency.round(Decimal(0))
            employee = (self.employee.id if self.employee
                and self.employee.company == invoice.company else None)
            row = values(Invoice, invoice, {
                    'number': number,
                    'number_alnum': re.sub(r'[\W_]', '', number),
                    'number_digit': number_digit(number),
                    'sequence': sequence.id,
                    'sequence_type_cache': 'invoice',
                    'tax_identifier': self.tax_identifier(invoice),
                    'untaxed_amount_cache': total,
                    'tax_amount_cache': zero,
                    'total_amount_cache': total,
                    'move': move_id,
                    'state': 'posted',
                    'posted_by': employee,
                    'write_uid': user,
                    'write_date': now,
                    }, self._defaults)
            row['id'] = invoice_id
            invoice_rows.append(row)

            move_lines = []
            for line in invoice.lines:
                line_id = next(line_ids)
                row = values(InvoiceLine, line, {'invoice': invoice_id},
                    self._defaults)
                row['id'] = line_id
                invoice_line_rows.append(row)
                move_line = revenue_line(line)
                move_line.origin = f'{InvoiceLine.__name__},{line_id}'
                move_lines.append(move_line)
            invoice.alternative_payees = []
            if 'payment_direct_debit' in Invoice._fields:
                # account_payment's _get_move_line copies it to the payable
                # line: `plain` left the invoices with it set to stock
                invoice.payment_direct_debit = False
            for date, amount in self.terms(invoice):
                move_lines.append(invoice._get_move_line(date, amount))
            for move_line in move_lines:
                move_line_rows.append(values(MoveLine, move_line, {
                            'move': move_id,
                            'state': 'valid',
                            }, self._defaults))
            balance = sum(l['debit'] - l['credit']
                for l in move_line_rows[-len(move_lines):])
            if not invoice.currency.is_zero(balance):
                raise LedgerError(gettext(
                        'water_utility.msg_ledger_unbalanced',
                        document=invoice.rec_name,
                        balance=balance))

            period = self.period(invoice.company, invoice.invoice_date)
            move = Move(
                journal=invoice.journal, period=period,
                date=invoice.invoice_date, company=invoice.company)
            row = values(Move, move, {
                    'origin': f'{Invoice.__name__},{invoice_id}',
                    'number': move_number,
                    'post_date': self.today,
                    'state': 'posted',
                    'write_uid': user,
                    'write_date': now,
                    }, self._defaults)
            row['id'] = move_id
            move_rows.append(row)

        insert_rows(Move, move_rows)
        insert_rows(Invoice, invoice_rows)
        insert_rows(InvoiceLine, invoice_line_rows)
        move_line_ids = insert_rows(MoveLine, move_line_rows)
        # As stock posting checks them: the invoices when saved, then
        # their moves; both written once posted
        check_written(Invoice, invoice_ids, written=True)
        check_written(InvoiceLine, [r['id'] for r in invoice_line_rows])
        check_written(Move, move_ids, written=True)
        check_written(MoveLine, move_line_ids)
        return invoice_ids

    def _numbers(self, invoices):
        "The invoices' numbers, as `Invoice.set_number` draws them"
        def draw(invoice, count):
            sequence, date = self.sequence(invoice)
            with Transaction().set_context(
                    date=date, company=invoice.company.id):
                return sequence.get_many(count)
        return drawn(invoices,
            lambda i: (i.company.id, i.invoice_date), draw)

    def _move_numbers(self, invoices):
        "The moves' numbers, as `Move.post` draws them"
        def sequence(invoice):
            return self.period(
                invoice.company, invoice.invoice_date).move_sequence_used

        def draw(invoice, count):
            with Transaction().set_context(company=invoice.company.id):
                return sequence(invoice).get_many(count)
        return drawn(invoices, lambda i: sequence(i).id, draw)


def check_written(Model, ids, written=False):
    """Check the rows of `Model` inserted with `ids` as the ORM checks the
    records it creates (and, `written`, writes): access and record rules,
    the fields' domains and required states, `validate` and
    `validate_fields`; then queue the triggers on creation"""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    Trigger = pool.get('ir.trigger')
    transaction = Transaction()
    modes = ['create', 'write'] if written else ['create']
    for mode in modes:
        ModelAccess.check(Model.__name__, mode)
    with without_check_access():
        triggers = Trigger.get_triggers(Model.__name__, 'create')
        for sub_ids in grouped_slice(ids, validate_slice(transaction)):
            records = Model.browse(list(sub_ids))
            Model._validate(records)
            for trigger in triggers:
                trigger.queue_trigger_action(records)
    for mode in modes:
        # The check `ModelSQL.create` and `write` make
        Model._ModelSQL__check_domain_rule(ids, mode)


def validate_slice(transaction):
    """How many records `_validate` checks at once: a domain that differs
    by record is checked as one OR of a branch a record, and SQLite
    refuses an expression deeper than 1,000 (a lockbox file of 1,800
    payments, say)"""
    size = record_cache_size(transaction)
    if backend.name == 'sqlite':
        size = min(size, SQLITE_VALIDATE_SLICE)
    return size


SQLITE_VALIDATE_SLICE = 400


def drawn(invoices, key, draw):
    """Numbers for `invoices` in their order, drawn a group of the same
    `key` at a time with `draw(first invoice of the group, count)`"""
    numbers = {}
    for _, group in groupby(
            sorted(enumerate(invoices), key=lambda e: key(e[1])),
            key=lambda e: key(e[1])):
        group = list(group)
        for (index, _), number in zip(group, draw(group[0][1], len(group))):
            numbers[index] = number
    return [numbers[i] for i in range(len(invoices))]


def revenue_line(line):
    """The move line `InvoiceLine.get_move_lines` returns for `line` of a
    customer invoice in the company's currency without taxes (its tax
    lines are none)"""
    pool = Pool()
    MoveLine = pool.get('account.move.line')
    move_line = MoveLine()
    move_line.amount_second_currency = None
    move_line.second_currency = None
    if line.amount >= 0:
        move_line.debit, move_line.credit = 0, line.amount
    else:
        move_line.debit, move_line.credit = -line.amount, 0
    move_line.account = line.account
    if line.account.party_required:
        move_line.party = line.invoice.party
    return move_line


def number_digit(number):
    "As `Invoice.compute_fields`"
    try:
        return int(re.sub(r'\D', '', number or '')[-18:])
    except ValueError:
        return None


def values(Model, record, extra, defaults_cache):
    """The row the ORM would insert for the unsaved `record` with `extra`
    set: its values, then the fields' defaults for the rest"""
    row = {}
    for name, value in (record._values._items() if record._values else []):
        field = Model._fields[name]
        if name in extra or not stored(field):
            continue
        if field._type in {'many2one', 'one2one'} and value is not None:
            value = value.id
        elif field._type == 'reference' and value:
            value = str(value)
        row[name] = value
    row.update(extra)
    missing = [n for n, f in Model._fields.items()
        if stored(f) and n not in row
        and n not in {'id', 'create_uid', 'create_date', 'write_uid',
            'write_date'}]
    key = (Model.__name__, tuple(missing))
    if key not in defaults_cache:
        defaults_cache[key] = Model._clean_defaults(
            Model.default_get(missing, with_rec_name=False))
    row.update({n: None for n in missing})
    row.update(defaults_cache[key])
    return {n: Model._fields[n].sql_format(v) if n in Model._fields else v
        for n, v in row.items()}


def stored(field):
    return not isinstance(field, (
            fields.Function, fields.One2Many, fields.Many2Many))
