# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payment files from the bank (lockbox, bill-pay), one transaction each.

Every row is matched to a customer account by its number, or failing that
by the customer's name and service address.  The whole file posts as one
account statement of the lockbox journal (its account is the bank's):
matched payments pay the account's bills oldest first, the rest stays as
a credit; a row that matches no one, or more than one customer, waits in
Unidentified Receipts until a clerk names the account, which moves it
onto the account through a statement of its own."""
import hashlib
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .. import cash, payment_files
from ..exceptions import CashError
from .cash import _configuration, open_bills, post_statements

SOURCES = [
    ('lockbox', "Lockbox"),
    ('bill_pay', "Bill-Pay"),
    ]


def payment_lines(payments, date):
    """Statement lines paying `payments` [(account, amount, line)] onto
    the accounts' bills oldest first, the rest as a credit; several
    payments of one account share its bills in order"""
    StatementLine = Pool().get('account.statement.line')
    accounts = list({a for a, _, _ in payments})
    bills = open_bills(accounts)
    owed = {}
    lines = []
    for account, amount, record in payments:
        invoices = bills[account.id]
        for invoice in invoices:
            owed.setdefault(invoice, invoice.amount_to_pay)
        applied, credit = cash.allocate(
            amount, [(i, owed[i]) for i in invoices])
        common = dict(number=record.reference, date=date,
            party=account.party, water_account=account,
            description=record.description)
        for invoice, part in applied:
            owed[invoice] -= part
            lines.append(StatementLine(amount=part,
                    account=invoice.account, related_to=invoice, **common))
        if credit:
            lines.append(StatementLine(amount=credit,
                    account=account.party.account_receivable_used,
                    **common))
    return lines


STATEMENT_SIZE = 100


def chunks(records, size):
    for start in range(0, len(records), size):
        yield records[start:start + size]


class PaymentImport(ModelSQL, ModelView):
    "A lockbox or bill-pay file from the bank, with its result"
    __name__ = 'water.payment.import'
    _rec_name = 'file_name'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    file_name = fields.Char("File", required=True, readonly=True)
    file_hash = fields.Char("SHA-256", readonly=True)
    source = fields.Selection(SOURCES, "Source", required=True, readonly=True)
    date = fields.Date("Deposit Date", required=True, readonly=True)
    rows = fields.Integer("Payments", readonly=True)
    matched = fields.Integer("Matched", readonly=True)
    unmatched = fields.Function(
        fields.Integer("Waiting", help="Payments no account is named for "
            "yet: they wait in Unidentified Receipts."),
        'get_unmatched')
    total = Monetary(
        "Total", currency='currency', digits='currency', readonly=True)
    statements = fields.One2Many(
        'account.statement', 'water_payment_import', "Statements",
        readonly=True,
        help="The statements of the lockbox journal that posted the file, "
        "one for each hundred payments.")
    lines = fields.One2Many(
        'water.payment.import.line', 'payment_import', "Payments",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('file_hash_unique', Unique(t, t.company, t.file_hash),
                'water_utility.msg_payment_file_unique'),
            ]
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def get_unmatched(cls, imports, name):
        return {i.id: sum(1 for l in i.lines if l.state == 'waiting')
            for i in imports}

    @classmethod
    def import_file(cls, file_name, data, source='lockbox', date=None):
        """Import and post the payments of a file; return (import,
        already): `already` tells the same file came before, and nothing
        new was created."""
        pool = Pool()
        Line = pool.get('water.payment.import.line')
        StatementLine = pool.get('account.statement.line')
        config = _configuration('lockbox_journal', 'unidentified_journal')
        file_hash = hashlib.sha256(data).hexdigest()
        previous = cls.search([('file_hash', '=', file_hash)], limit=1)
        if previous:
            return previous[0], True
        try:
            rows = payment_files.parse(data)
        except payment_files.PaymentFileError as error:
            raise CashError(gettext('water_utility.msg_payment_file_bad',
                    file=file_name, line=error.line, error=error.message))
        date = date or pool.get('ir.date').today()
        lines = []
        for row, (account, match, reason) in zip(rows, cls.match(rows)):
            lines.append(Line(line_number=row.line,
                    account_text=row.account, name=row.name,
                    address=row.address, check_number=row.check_number,
                    amount=row.amount, customer_account=account,
                    match=match, reason=reason,
                    state='applied' if account else 'waiting'))
        record = cls(file_name=file_name, file_hash=file_hash,
            source=source, date=date, rows=len(rows),
            matched=sum(1 for l in lines if l.customer_account),
            total=sum((r.amount for r in rows), Decimal(0)), lines=lines)
        record.save()
        matched, waiting = [], []
        for values in Line.search_read([
                    ('payment_import', '=', record.id),
                    ], order=[('line_number', 'ASC'), ('id', 'ASC')],
                fields_names=['customer_account']):
            (matched if values['customer_account'] else waiting).append(
                values['id'])
        # A statement a hundred payments, each posted before the next is
        # built: Tryton instantiates records over lists as long as the
        # statement (or the file's lines), which a whole file makes
        # quadratic; and the next statement sees what the last one paid.
        for chunk in chunks(matched, STATEMENT_SIZE):
            chunk = Line.browse(chunk)
            with without_check_access():
                statement_lines = payment_lines(
                    [(l.customer_account, l.amount, l) for l in chunk], date)
            post_statements([record.statement(statement_lines, date)])
        for chunk in chunks(waiting, STATEMENT_SIZE):
            chunk = Line.browse(chunk)
            statement_lines = [StatementLine(
                    number=line.reference, date=date, amount=line.amount,
                    account=config.unidentified_journal.account,
                    description=line.description) for line in chunk]
            post_statements([record.statement(statement_lines, date)])
        return cls(record.id), False

    def statement(self, lines, date):
        "A statement of the lockbox journal for some of the file's lines"
        Statement = Pool().get('account.statement')
        config = _configuration('lockbox_journal')
        return Statement(name=self.file_name, company=self.company,
            journal=config.lockbox_journal, date=date,
            total_amount=sum(l.amount for l in lines),
            lines=lines, water_payment_import=self)

    @classmethod
    def match(cls, rows):
        """[(account, how, why not)] for the rows: by account number, else
        by name and service address when that finds one customer"""
        pool = Pool()
        Account = pool.get('water.account')
        numbers = list({r.account for r in rows if r.account})
        # Read as values, each account then a record of its own: records
        # of one long search list make every first read of a field go
        # over the whole list (a file of thousands, quadratic).
        by_number, active = {}, set()
        with Transaction().set_context(active_test=False):
            for sub_numbers in grouped_slice(numbers, 1000):
                for values in Account.search_read([
                            ('number', 'in', list(sub_numbers)),
                            ], fields_names=['number', 'active']):
                    by_number[values['number']] = Account(values['id'])
                    if values['active']:
                        active.add(values['number'])
        by_name = {}
        result = []
        for row in rows:
            account = by_number.get(row.account)
            if account and row.account in active:
                result.append((account, 'number', None))
                continue
            if row.name:
                key = (payment_files.normalize(row.name),
                    payment_files.normalize(row.address))
                if key not in by_name:
                    by_name[key] = cls.find_by_name(row.name, row.address)
                found = by_name[key]
                if len(found) == 1:
                    result.append((found[0], 'name', None))
                    continue
                if len(found) > 1:
                    result.append((None, None, gettext(
                                'water_utility.msg_payment_match_several',
                                accounts=', '.join(
                                    a.number for a in found))))
                    continue
            if account:
                reason = gettext('water_utility.msg_payment_match_closed',
                    account=account.number)
            elif row.account:
                reason = gettext('water_utility.msg_payment_match_unknown',
                    account=row.account)
            else:
                reason = gettext('water_utility.msg_payment_match_none')
            result.append((None, None, reason))
        return result

    @staticmethod
    def find_by_name(name, address):
        "Active accounts of the customer named, at the address if given"
        Account = Pool().get('water.account')
        wanted = payment_files.normalize(name)
        street = payment_files.normalize(address)
        found = []
        for account in Account.search([('party.name', 'ilike', name)]):
            if payment_files.normalize(account.party.name) != wanted:
                continue
            if street and not any(
                    payment_files.normalize(s.premise.street) == street
                    for s in account.services):
                continue
            found.append(account)
        return found


class PaymentImportLine(Workflow, ModelSQL, ModelView):
    "One payment of a bank file and the account it went to"
    __name__ = 'water.payment.import.line'

    payment_import = fields.Many2One(
        'water.payment.import', "Import", required=True, readonly=True,
        ondelete='CASCADE')
    line_number = fields.Integer("Line", readonly=True)
    account_text = fields.Char("Account Number in File", readonly=True)
    name = fields.Char("Name", readonly=True)
    address = fields.Char("Address", readonly=True)
    check_number = fields.Char("Check Number", readonly=True)
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    customer_account = fields.Many2One(
        'water.account', "Account", ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'waiting'},
        help="For a waiting payment: the account to apply it to.")
    match = fields.Selection([
            (None, ""),
            ('number', "Account Number"),
            ('name', "Name and Address"),
            ('clerk', "By a Clerk"),
            ], "Matched By", readonly=True)
    reason = fields.Char("Why Waiting", readonly=True)
    statement = fields.Many2One(
        'account.statement', "Applied By", readonly=True,
        ondelete='RESTRICT',
        help="The statement that moved a waiting payment onto its account.")
    state = fields.Selection([
            ('applied', "Applied"),
            ('waiting', "Waiting"),
            ('resolved', "Resolved"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('payment_import', 'DESC'), ('line_number', 'ASC'),
            ('id', 'ASC')]
        cls._transitions |= {('waiting', 'resolved')}
        cls._buttons.update({
                'apply': {
                    'invisible': Eval('state') != 'waiting',
                    'readonly': ~Eval('customer_account'),
                    'depends': ['state', 'customer_account'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'waiting'

    @fields.depends('payment_import', '_parent_payment_import.company')
    def on_change_with_currency(self, name=None):
        if self.payment_import and self.payment_import.company:
            return self.payment_import.company.currency

    def get_rec_name(self, name):
        return self.description

    @property
    def reference(self):
        "The payment's number on its statement lines"
        return self.check_number or str(self.line_number)

    @property
    def description(self):
        parts = [f"{self.payment_import.file_name} line {self.line_number}"]
        parts += [p for p in [self.name, self.account_text] if p]
        return ' '.join(parts)

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def apply(cls, lines):
        """Move waiting payments from Unidentified Receipts onto the
        accounts the clerk named"""
        pool = Pool()
        Statement = pool.get('account.statement')
        Date = pool.get('ir.date')
        config = _configuration('unidentified_journal')
        for line in lines:
            if not line.customer_account:
                raise CashError(gettext(
                        'water_utility.msg_payment_line_no_account',
                        line=line.line_number,
                        file=line.payment_import.file_name))
            if not line.customer_account.active:
                raise CashError(gettext(
                        'water_utility.msg_receipt_account_closed',
                        receipt=line.description,
                        account=line.customer_account.rec_name))
        today = Date.today()
        statements = []
        with without_check_access():
            for line in lines:
                statement_lines = payment_lines(
                    [(line.customer_account, line.amount, line)], today)
                statements.append(Statement(
                        name=line.description,
                        company=line.payment_import.company,
                        journal=config.unidentified_journal, date=today,
                        total_amount=line.amount, lines=statement_lines))
        post_statements(statements)
        for line, statement in zip(lines, statements):
            line.match = 'clerk'
            line.statement = statement
        cls.save(lines)


class ImportPaymentsStart(ModelView):
    "Import a payment file"
    __name__ = 'water.payment.import.start'
    file = fields.Binary("File", required=True, filename='file_name')
    file_name = fields.Char("File Name")
    source = fields.Selection(SOURCES, "Source", required=True)
    date = fields.Date("Deposit Date", required=True,
        help="The day the bank credited the file's payments.")
    payment_import = fields.Many2One(
        'water.payment.import', "Import", readonly=True)

    @classmethod
    def default_source(cls):
        return 'lockbox'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class ImportPayments(Wizard):
    "Import Payment File"
    __name__ = 'water.payment.import.wizard'
    start = StateView('water.payment.import.start',
        'water_utility.payment_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    open_ = StateAction('water_utility.act_payment_import_form')

    def transition_import_(self):
        Import = Pool().get('water.payment.import')
        record, already = Import.import_file(
            self.start.file_name or 'payments.csv', bytes(self.start.file),
            self.start.source, self.start.date)
        if already:
            raise CashError(gettext('water_utility.msg_payment_file_again',
                    file=self.start.file_name, previous=record.rec_name,
                    date=record.create_date.date()))
        self.start.payment_import = record
        return 'open_'

    def do_open_(self, action):
        action['domain'] = [('id', '=', self.start.payment_import.id)]
        return action, {}
