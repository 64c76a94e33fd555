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
from collections import defaultdict
from decimal import Decimal

from sql import Literal

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
from ..counter_turn import counter_turn
from ..exceptions import CashError
from . import ledger, payment_ledger
from .bulk import insert_rows
from .cash import (
    _configuration, open_bills, payment_lines, post_statements)
from .mixins import Sealed

SOURCES = [
    ('lockbox', "Lockbox"),
    ('bill_pay', "Bill-Pay"),
    ]


def allocate(amount, bills, owed):
    """`cash.allocate` of `amount` over `bills` (anything with an
    `amount_to_pay`) as ([(bill, part)], credit), what they still owe
    kept in `owed` {bill: amount}: several payments of one account share
    its bills in order"""
    for bill in bills:
        owed.setdefault(bill, bill.amount_to_pay)
    applied, credit = cash.allocate(amount, [(b, owed[b]) for b in bills])
    for bill, part in applied:
        owed[bill] -= part
    return applied, credit


def statement_lines(payments, date):
    """Statement lines paying `payments` [(account, amount, line)] onto
    the accounts' bills oldest first, the rest as a credit"""
    accounts = list({a for a, _, _ in payments})
    bills = open_bills(accounts)
    owed = {}
    lines = []
    for account, amount, record in payments:
        applied, credit = allocate(amount, bills[account.id], owed)
        lines += payment_lines(
            [(i, i.account, part) for i, part in applied], credit,
            account.party, number=record.reference, date=date,
            water_account=account, description=record.description)
    return lines


STATEMENT_SIZE = 100


def line_reference(values):
    "A payment's number on its statement lines, from the line's values"
    return values['check_number'] or str(values['line_number'])


def line_description(payment_import, values):
    "A payment's description on its statement lines"
    parts = [f"{payment_import.file_name} line {values['line_number']}"]
    parts += [p for p in [values['name'], values['account_text']] if p]
    return ' '.join(parts)


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
    skipped = fields.Integer("Skipped", readonly=True,
        help="The file's payments imported before, by another file: "
        "they were not paid again.")
    skipped_payments = fields.Text("Skipped Payments", readonly=True)
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
        # A district configured by hand hears which setting is missing.
        _configuration('lockbox_journal', 'unidentified_journal')
        try:
            rows = payment_files.parse(data)
        except payment_files.PaymentFileError as error:
            raise CashError(gettext('water_utility.msg_payment_file_bad',
                    file=file_name, line=error.line, error=error.message))
        company = Transaction().context.get('company')
        with counter_turn(pool.get('company.company')(company)):
            cls.lock_imports()
            return cls._import_rows(file_name, data, rows, source, date)

    @classmethod
    def _import_rows(cls, file_name, data, rows, source, date):
        "`import_file` of the file's `rows`, with the imports' lock"
        pool = Pool()
        Line = pool.get('water.payment.import.line')
        company = Transaction().context.get('company')
        file_hash = payment_files.content_hash(data)
        previous = cls.search([('file_hash', '=', file_hash)], limit=1)
        if previous:
            return previous[0], True
        date = date or pool.get('ir.date').today()
        keys = payment_files.row_keys(rows, date, company)
        seen = Line.seen(keys)
        skipped = [(r, seen[k]) for r, k in zip(rows, keys) if k in seen]
        rows, keys = zip(*[(r, k) for r, k in zip(rows, keys)
                if k not in seen]) if len(skipped) < len(rows) else ((), ())
        if not rows:
            raise CashError(gettext('water_utility.msg_payment_file_seen',
                    file=file_name,
                    payments=cls.describe_skipped(skipped)))
        matches = cls.match(rows)
        record = cls(file_name=file_name, file_hash=file_hash,
            source=source, date=date, rows=len(rows),
            matched=sum(1 for a, _, _ in matches if a),
            total=sum((r.amount for r in rows), Decimal(0)),
            skipped=len(skipped),
            skipped_payments=cls.describe_skipped(skipped) or None)
        record.save()
        # Inserted as rows: the ORM validates a file's lines over one list
        # of records, quadratic in its length.  The file's reader checked
        # what validation would (amounts positive, in cents, the line
        # numbers), and the matches are active accounts.
        defaults = {}
        lines = [{'line_number': row.line, 'account_text': row.account,
                'name': row.name, 'address': row.address,
                'check_number': row.check_number, 'amount': row.amount,
                'payment_key': key,
                'customer_account': account.id if account else None,
                'match': match, 'reason': reason,
                'state': 'applied' if account else 'waiting'}
            for row, key, (account, match, reason) in zip(
                rows, keys, matches)]
        ids = insert_rows(Line, [ledger.values(Line,
                    Line(payment_import=record, **line), {}, defaults)
                for line in lines])
        matched, waiting = [], []
        for line, id_ in sorted(zip(lines, ids),
                key=lambda l: (l[0]['line_number'], l[1])):
            line['id'] = id_
            (matched if line['customer_account'] else waiting).append(line)
        if not record.post_bulk(matched, waiting, date):
            record.post_stock(matched, waiting, date)
        return cls(record.id), False

    @classmethod
    def lock_imports(cls):
        """Import one payment file at a time, and see what the import
        before committed.

        On PostgreSQL `import_file` takes the company's posting turn
        (`counter_turn`): a second import waits for it between two
        attempts of its transaction, so the attempt that runs begins after
        the first import committed and sees its payments; the turn is kept
        when Tryton starts the transaction again to lock the strict
        sequences, so no other import or counter post holds them then.

        SQLite has one writer at a time, but a transaction reads before
        its first write without waiting for the writer: it writes first
        (nothing), so it waits until an import under way is committed,
        and reads after."""
        transaction = Transaction()
        if transaction.database.has_select_for():
            return
        table = cls.__table__()
        transaction.connection.cursor().execute(*table.update(
                [table.id], [table.id], where=Literal(False)))

    @staticmethod
    def describe_skipped(skipped):
        "The skipped payments [(row, earlier line)] as a clerk reads them"
        return '\n'.join(gettext('water_utility.msg_payment_row_seen',
                line=row.line, account=row.account or row.name,
                check=row.check_number or '-', amount=row.amount,
                previous=earlier.description)
            for row, earlier in skipped)

    def post_stock(self, matched, waiting, date):
        """Post the file's payments through stock statements, a hundred
        payments each, each posted before the next is built: Tryton
        instantiates records over lists as long as the statement (or the
        file's lines), which a whole file makes quadratic; and the next
        statement sees what the last one paid."""
        Line = Pool().get('water.payment.import.line')
        for chunk in chunks(matched, STATEMENT_SIZE):
            chunk = Line.browse([v['id'] for v in chunk])
            with without_check_access():
                lines = statement_lines(
                    [(l.customer_account, l.amount, l) for l in chunk], date)
            post_statements([self.statement(lines, date)])
        for chunk in chunks(waiting, STATEMENT_SIZE):
            post_statements([self.statement(
                        self.waiting_lines(chunk, date), date)])

    def post_bulk(self, matched, waiting, date):
        """Post the file's payments as `post_stock` would, in bulk
        (`payment_ledger`); False, with nothing written, when they must
        go the stock way.  `matched` and `waiting` are the lines' values."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        Account = pool.get('account.account')
        Invoice = pool.get('account.invoice')
        Party = pool.get('party.party')
        WaterAccount = pool.get('water.account')
        if payment_ledger.stock_posting():
            return False
        ModelAccess.check(Statement.__name__, 'create')
        ModelAccess.check(StatementLine.__name__, 'create')
        with without_check_access():
            parties = {v['id']: v['party'] for v in WaterAccount.read(
                    list({v['customer_account'] for v in matched}),
                    ['party'])}
            bills = payment_ledger.open_bills(list(parties))
            if not all(b.usable for a in bills.values() for b in a):
                return False
            instances = {}

            def instance(Model, id_):
                "One record an id: what it reads is read once"
                key = (Model.__name__, id_)
                if key not in instances:
                    instances[key] = Model(id_)
                return instances[key]

            owed = {}
            statements = []
            for chunk in chunks(matched, STATEMENT_SIZE):
                lines = []
                for values in chunk:
                    account_id = values['customer_account']
                    party = instance(Party, parties[account_id])
                    applied, credit = allocate(values['amount'],
                        bills.get(account_id, []), owed)
                    lines += payment_lines([(instance(Invoice, bill.id),
                                instance(Account, bill.account), part)
                            for bill, part in applied], credit, party,
                        number=line_reference(values), date=date,
                        water_account=instance(WaterAccount, account_id),
                        description=line_description(self, values))
                statements.append(self.statement(lines, date))
            for chunk in chunks(waiting, STATEMENT_SIZE):
                statements.append(self.statement(
                        self.waiting_lines(chunk, date), date))
            writer = payment_ledger.StatementWriter()
            if not writer.plain(statements):
                return False
            writer.post(statements,
                {b.id: b for a in bills.values() for b in a})
        return True

    def waiting_lines(self, values, date):
        """Statement lines putting the payments of the lines' `values` in
        Unidentified Receipts"""
        StatementLine = Pool().get('account.statement.line')
        config = _configuration('unidentified_journal')
        return [StatementLine(number=line_reference(v), date=date,
                amount=v['amount'],
                account=config.unidentified_journal.account,
                description=line_description(self, v)) for v in values]

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
        by_name = cls.find_by_names({
                (payment_files.normalize(r.name),
                    payment_files.normalize(r.address)): r.name
                for r in rows
                if r.name and not (r.account in by_number
                    and r.account in active)})
        result = []
        for row in rows:
            account = by_number.get(row.account)
            if account and row.account in active:
                result.append((account, 'number', None))
                continue
            if row.name:
                found = by_name[(payment_files.normalize(row.name),
                        payment_files.normalize(row.address))]
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
    def find_by_names(keys):
        """{(name, street): active accounts of the customer named, at the
        street if there is one} for `keys` {(name, street): name as
        written}, names and streets normalized"""
        Account = Pool().get('water.account')
        result = {key: [] for key in keys}
        by_name = defaultdict(list)
        for key in keys:
            by_name[key[0]].append(key)
        seen = set()
        for names in grouped_slice(sorted(set(keys.values())), 100):
            for account in Account.search(
                    ['OR'] + [('party.name', 'ilike', n) for n in names]):
                if account.id in seen:
                    continue
                seen.add(account.id)
                streets = None
                for name, street in by_name.get(
                        payment_files.normalize(account.party.name), []):
                    if street:
                        if streets is None:
                            streets = {payment_files.normalize(
                                    s.premise.street)
                                for s in account.services}
                        if street not in streets:
                            continue
                    result[(name, street)].append(account)
        return result


class PaymentImportLine(Sealed, Workflow, ModelSQL, ModelView):
    "One payment of a bank file and the account it went to"
    __name__ = 'water.payment.import.line'
    # Applied or resolved, the payment is in the ledger; what the file
    # said and where it went is set by the import and its Apply button
    # only: a clerk chooses the account of a waiting payment.
    _sealed_states = frozenset({'applied', 'resolved'})
    _workflow_fields = frozenset({
            'state', 'payment_import', 'line_number', 'account_text',
            'name', 'address', 'check_number', 'amount', 'payment_key',
            'match', 'reason', 'statement'})

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
    payment_key = fields.Char("Payment Key", readonly=True,
        help="The payment's identity (who, check, amount, date): a payment "
        "of a later file with the same is not paid again.")
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
        t = cls.__table__()
        cls._sql_constraints += [
            ('payment_key_unique', Unique(t, t.payment_key),
                'water_utility.msg_payment_line_unique'),
            ]
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

    @classmethod
    def seen(cls, keys):
        "{key: line} of the payments of `keys` imported before"
        result = {}
        for sub_keys in grouped_slice(keys):
            for line in cls.search([
                        ('payment_key', 'in', list(sub_keys)),
                        ]):
                result[line.payment_key] = line
        return result

    @fields.depends('payment_import', '_parent_payment_import.company')
    def on_change_with_currency(self, name=None):
        if self.payment_import and self.payment_import.company:
            return self.payment_import.company.currency

    def get_rec_name(self, name):
        return self.description

    @property
    def reference(self):
        "The payment's number on its statement lines"
        return line_reference({'check_number': self.check_number,
                'line_number': self.line_number})

    @property
    def description(self):
        return line_description(self.payment_import, {
                'line_number': self.line_number, 'name': self.name,
                'account_text': self.account_text})

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
                paying = statement_lines(
                    [(line.customer_account, line.amount, line)], today)
                statements.append(Statement(
                        name=line.description,
                        company=line.payment_import.company,
                        journal=config.unidentified_journal, date=today,
                        total_amount=line.amount, lines=paying))
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
