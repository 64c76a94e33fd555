# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Posting a payment file's statements to the ledger in bulk.

Stock `Statement.save`, `validate_statement` and `post` build, validate
and write every statement line, move, move line, invoice payment and
reconciliation through the ORM: about 40 ms a payment.  A lockbox file's
statements are all built the same way (`cash.payment_lines`):
payments in the company's currency, each paying customer bills oldest
first or standing as a credit.  For those, the rows stock posting would
write are computed here with Tryton's own builders (`Statement._get_move`,
`StatementLine.get_move_line`, `Statement._get_move_line`, the period's
move sequence, the reconciliation sequence, the fields' defaults) and
inserted a table at a time.

`StatementLine.reconcile` is followed step by step: the payment lines are
added to their invoices in the same order, and a payment that leaves a
bill owing nothing reconciles the bill's line with its payments, as
`Invoice.get_reconcile_lines_for_amount` finds them.  Which bills are
plain enough for that is decided before anything is written
(`plain_bills`); a file that pays any other bill, or that Tryton would
warn about, posts the stock way.  Invoices reconciled are queued for
`Invoice.process` (which marks them paid) as stock reconciliation queues
them.  The rows inserted and updated are checked as the ORM checks what
it writes (`ledger.check_written`), and a model keeping history or with
triggers on writing posts the stock way, as does every statement when
another module overrides statement posting (`stock_posting`, logged).
tests/ledger_compare.py posts a sample file both ways and compares every
row."""
import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from sql.operators import In

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from ..exceptions import LedgerError
from .bulk import forget_cached, insert_rows, reserve_ids
from .cash import OPEN_BILLS_ORDER, open_bills_domain
from .ledger import (
    KNOWN_MODULES, BulkWriter, check_written, stock_reason, stored, values,
    warn_stock)

# What statement posting runs through; see ledger.POSTING_HOOKS.
STATEMENT_HOOKS = {
    'account.statement': ['create', 'write', 'validate', 'on_modification',
        'preprocess_values', 'validate_statement', 'validate_amount',
        'create_move', '_get_move', '_get_move_line', '_group_key', 'post'],
    'account.statement.line': ['create', 'write', 'validate',
        'on_modification', 'preprocess_values', 'get_move_line',
        'reconcile', 'post_move'],
    'account.move': ['create', 'write', 'validate', 'on_modification',
        'preprocess_values', 'post', 'validate_move'],
    'account.move.line': ['create', 'write', 'validate', 'on_modification',
        'preprocess_values', 'reconcile', 'find_best_reconciliation'],
    'account.move.reconciliation': ['create', 'validate', 'on_modification',
        'preprocess_values', 'check_lines'],
    'account.invoice': ['write', 'validate', 'on_modification',
        'add_payment_lines', 'get_reconcile_lines_for_amount'],
    'account.invoice-account.move.line': ['create', 'validate',
        'on_modification', 'preprocess_values'],
    }
STATEMENT_KNOWN = KNOWN_MODULES | {
    'trytond.modules.account_statement.statement',
    # (account_payment, account_payment_clearing; water_finance) Their
    # Statement.create_move, _group_key and StatementLine.post_move act on
    # lines related to a payment or a payment batch, which post the stock
    # way (`StatementWriter.plain`); their Reconciliation.on_modification
    # updates the payments whose clearing entry is reconciled: a receipt's
    # entry is no clearing entry.
    'trytond.modules.account_payment.account',
    'trytond.modules.account_payment_clearing.statement',
    'trytond.modules.account_payment_clearing.account',
    # Reconciliation.on_modification queues Invoice.process: done here too.
    'trytond.modules.account_invoice.account',
    # StatementLine.get_move_line carries the water account: called here.
    'water_utility.models.cash',
    }


def stock_posting():
    """Whether statements post the stock way (`ledger.stock_reason`); the
    reason is logged as a warning"""
    reason = stock_reason(STATEMENT_HOOKS, STATEMENT_KNOWN)
    warn_stock("payment file statements", reason)
    return bool(reason)


class Bill:
    """A posted bill as `Invoice.get_reconcile_lines_for_amount` sees it:
    its lines not reconciled, the line to pay and the payments, each
    (line, balance, date); a line is ('new', index) until it has an id"""
    __slots__ = ('id', 'account', 'party', 'lines', 'plain')

    def __init__(self, id_, account, party):
        self.id, self.account, self.party = id_, account, party
        self.lines = []
        self.plain = True

    @property
    def amount_to_pay(self):
        "As `Invoice.get_amount_to_pay`, for a bill in company currency"
        return sum((b for _, b, _ in self.lines), Decimal(0))

    @property
    def usable(self):
        """Whether payments of the file see this bill as stock posting
        does: a plain bill, or one with nothing to pay"""
        return self.plain or self.amount_to_pay <= 0


def open_bills(account_ids):
    """{account id: [Bill, oldest first]}: the posted bills of the water
    accounts that `cash.open_bills` finds, read set-wise.

    A bill is plain when what it owes is one line to pay and payments,
    all of its party and account, in the company's currency: a payment
    of all it owes then reconciles all of them, and a payment of less
    reconciles nothing (`MoveLine.find_best_reconciliation` has no subset
    to find)."""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    MoveLine = pool.get('account.move.line')
    Move = pool.get('account.move')
    PaymentLine = pool.get('account.invoice-account.move.line')
    Account = pool.get('account.account')
    Company = pool.get('company.company')
    cursor = Transaction().connection.cursor()
    by_id = {}
    bills = defaultdict(list)
    currencies = {}
    for sub_ids in grouped_slice(account_ids, 1000):
        for row in Invoice.search_read(open_bills_domain(sub_ids),
                order=OPEN_BILLS_ORDER,
                fields_names=['water_account', 'account', 'party',
                    'currency', 'company']):
            bill = Bill(row['id'], row['account'], row['party'])
            if row['company'] not in currencies:
                currencies[row['company']] = Company(
                    row['company']).currency.id
            bill.plain = row['currency'] == currencies[row['company']]
            by_id[bill.id] = bill
            bills[row['water_account']].append(bill)
    party_required = {a['id']: a['party_required'] for a in Account.read(
            list({b.account for b in by_id.values()}), ['party_required'])}
    line = MoveLine.__table__()
    move = Move.__table__()
    payment = PaymentLine.__table__()
    for sub_ids in grouped_slice(list(by_id), 1000):
        sub_ids = list(sub_ids)
        to_pay = Invoice._query_lines_to_pay(sub_ids)
        columns = [line.id, line.debit, line.credit, move.date,
            line.party, line.account, line.reconciliation,
            line.second_currency]
        queries = [
            (True, to_pay.join(line, condition=line.id == to_pay.line
                    ).join(move, condition=move.id == line.move
                    ).select(to_pay.invoice, *columns)),
            (False, payment.join(line, condition=line.id == payment.line
                    ).join(move, condition=move.id == line.move
                    ).select(payment.invoice, *columns,
                    where=In(payment.invoice, sub_ids))),
            ]
        for is_to_pay, query in queries:
            cursor.execute(*query)
            for (invoice, line_id, debit, credit, date, party, account,
                    reconciliation, second_currency) in cursor:
                if reconciliation:
                    continue
                bill = by_id[invoice]
                balance = debit - credit
                bill.lines.append((line_id, balance, date))
                if (second_currency or party != bill.party
                        or account != bill.account
                        or not party_required[bill.account]
                        or (balance <= 0 if is_to_pay else balance >= 0)):
                    bill.plain = False
    for bill in by_id.values():
        if sum(1 for _, b, _ in bill.lines if b > 0) != 1:
            bill.plain = False
    return bills


def posted_models():
    """The models a posted statement writes rows of: statement, its lines,
    moves, move lines, reconciliations, the invoices paid and their
    payment lines"""
    pool = Pool()
    return tuple(pool.get(name) for name in [
            'account.statement', 'account.statement.line', 'account.move',
            'account.move.line', 'account.move.reconciliation',
            'account.invoice', 'account.invoice-account.move.line'])


class StatementWriter(BulkWriter):
    "The rows stock statement posting writes, inserted in bulk"

    def plain(self, statements):
        """Whether the unsaved `statements` post here exactly as stock
        posting would; the bills they pay are checked by `open_bills`"""
        pool = Pool()
        StatementLine = pool.get('account.statement.line')
        Configuration = pool.get('account.configuration')
        invoices = set()
        for statement in statements:
            journal = statement.journal
            if (not statement.lines
                    or journal.validation != 'amount'
                    or journal.currency != statement.company.currency
                    or statement.total_amount != sum(
                        l.amount for l in statement.lines)):
                return False
            for account in {journal.account} | {
                    l.account for l in statement.lines}:
                if not account.active or account.closed or not account.type:
                    return False
            for line in statement.lines:
                if (not line.amount or line.date != statement.date
                        or getattr(line, 'second_currency', None)
                        or getattr(line, 'origin', None)
                        or (line.account.party_required and not line.party)):
                    return False
                related_to = getattr(line, 'related_to', None)
                if related_to and related_to.__name__ != 'account.invoice':
                    return False
                if related_to:
                    invoices.add(related_to.id)
        if invoices and not Configuration(1).get_multivalue(
                'reconciliation_sequence',
                company=statements[0].company.id):
            return False
        # Validating warns of statements not posted yet that pay the same
        # bills: stock posting asks.
        for sub_ids in grouped_slice(list(invoices), 1000):
            if StatementLine.search([
                        ('statement.state', '=', 'draft'),
                        ('related_to', 'in', [
                                f'account.invoice,{i}' for i in sub_ids]),
                        ], limit=1):
                return False
        return True

    def post(self, statements, bills):
        """Write the unsaved `statements` posted, as `Statement.save`,
        `validate_statement` and `post` of one after the other would;
        `bills` {invoice id: Bill} are the bills they pay, and follow
        what they pay.  Returns the statements' ids."""
        (Statement, StatementLine, Move, MoveLine, Reconciliation, _,
            PaymentLine) = posted_models()
        stamp = {'write_uid': Transaction().user,
            'write_date': datetime.datetime.now()}
        plans, payments, reconciliations, move_line_count = self._plan(
            statements, bills)

        # In the statements' order, as stock posting creates journal periods
        for company, date, journal in dict.fromkeys(
                (s.company, s.date, s.journal.journal) for s in statements):
            MoveLine.check_journal_period_modify(
                self.period(company, date), journal)

        ids = {
            'statement': reserve_ids(Statement, len(plans)),
            'line': reserve_ids(StatementLine,
                sum(len(s.lines) for s in statements)),
            'move': reserve_ids(Move, sum(len(p[1]) for p in plans)),
            'move_line': reserve_ids(MoveLine, move_line_count),
            'payment': reserve_ids(PaymentLine, len(payments)),
            'reconciliation': reserve_ids(
                Reconciliation, len(reconciliations)),
            }

        def line_id(ref):
            return ids['move_line'][ref[1]] if isinstance(ref, tuple) else ref

        # Numbered in the order stock posting numbers them
        numbers = self._move_numbers(plans, ids['move'])
        reconciliation_rows, reconciled = self._reconciliation_rows(
            reconciliations, ids['reconciliation'], line_id)
        payment_rows = [{'id': i, 'invoice': invoice, 'line': line_id(ref)}
            for i, (invoice, ref) in zip(ids['payment'], payments)]
        rows = self._rows(plans, ids, numbers, reconciled, stamp)
        rows['reconciliation'] = reconciliation_rows
        rows['payment'] = payment_rows
        self._write(rows, reconciled, payments, reconciliations, stamp)
        return ids['statement']

    def _plan(self, statements, bills):
        """What each statement makes, in the order stock posting creates
        it: [(statement, [(move, lines)], [(move index, move line,
        statement line)])], the payments and reconciliations of the bills
        paid, and the count of move lines.  Move lines are numbered across
        the statements; payments and reconciliations name them ('new',
        number) or by id."""
        plans = []
        payments, reconciliations = [], []
        move_line_count = 0
        for statement in statements:
            self._complete(statement)
            for line in statement.lines:
                line.statement = statement
                self._complete(line)
                # What the lines' Function fields compute from the statement,
                # given once rather than evaluated line by line
                line.company = statement.company
                line.company_currency = statement.company.currency
                line.currency = statement.journal.currency
            moves = []
            for key, lines in groupby(
                    statement.lines, key=statement._group_key):
                lines = list(lines)
                moves.append((statement._get_move(dict(key)), lines))
            move_lines = []  # (move index, move line, statement line)
            for index, (move, lines) in enumerate(moves):
                amount = Decimal(0)
                for line in lines:
                    move_line = line.get_move_line()
                    amount += move_line.debit - move_line.credit
                    move_lines.append((index, move_line, line))
                move_lines.append((index,
                        statement._get_move_line(amount, 0, lines), None))
            self._reconcile(move_lines, move_line_count, bills,
                payments, reconciliations)
            plans.append((statement, moves, move_lines))
            move_line_count += len(move_lines)
        return plans, payments, reconciliations, move_line_count

    def _reconciliation_rows(self, reconciliations, reconciliation_ids,
            line_id):
        """The reconciliations' rows, and {move line id: reconciliation
        id} of the lines they reconcile"""
        Reconciliation = Pool().get('account.move.reconciliation')
        reconciled = {}
        rows = []
        numbers = self._reconciliation_numbers(reconciliations)
        for reconciliation_id, (_, company, lines, date), number in zip(
                reconciliation_ids, reconciliations, numbers):
            for ref in lines:
                reconciled[line_id(ref)] = reconciliation_id
            row = values(Reconciliation, Reconciliation(
                    company=company, date=date, delegate_to=None),
                {'number': number}, self._defaults)
            row['id'] = reconciliation_id
            rows.append(row)
        return rows, reconciled

    def _rows(self, plans, ids, numbers, reconciled, stamp):
        """The rows of the statements, their lines, moves (`numbers` by
        move id) and move lines; the move lines a reconciliation of this
        batch reconciles are taken out of `reconciled`, the others
        (earlier lines) are left in it"""
        Statement, StatementLine, Move, MoveLine, *_ = posted_models()
        rows = {'statement': [], 'line': [], 'move': [], 'move_line': []}
        move_ids, line_ids = iter(ids['move']), iter(ids['line'])
        move_line_ids = iter(ids['move_line'])

        def row(Model, record, extra, id_):
            result = values(Model, record, extra, self._defaults)
            result['id'] = id_
            return result
        for statement_id, (statement, moves, move_lines) in zip(
                ids['statement'], plans):
            rows['statement'].append(row(Statement, statement,
                    dict(state='posted', **stamp), statement_id))
            these_moves, statement_line_ids = [], {}
            for move, lines in moves:
                move_id = next(move_ids)
                these_moves.append(move_id)
                rows['move'].append(row(Move, move, dict(
                            origin=f'{Statement.__name__},{statement_id}',
                            number=numbers[move_id], post_date=self.today,
                            state='posted', **stamp), move_id))
                for line in lines:
                    line_id = statement_line_ids[id(line)] = next(line_ids)
                    rows['line'].append(row(StatementLine, line, dict(
                                statement=statement_id, move=move_id,
                                **stamp), line_id))
            for move_index, move_line, line in move_lines:
                move_line_id = next(move_line_ids)
                origin = (f'{StatementLine.__name__},'
                    f'{statement_line_ids[id(line)]}' if line else None)
                reconciliation = reconciled.pop(move_line_id, None)
                written = stamp if reconciliation else {
                    'write_uid': None, 'write_date': None}
                rows['move_line'].append(row(MoveLine, move_line, dict(
                            move=these_moves[move_index], origin=origin,
                            state='valid', reconciliation=reconciliation,
                            **written), move_line_id))
        return rows

    def _write(self, rows, reconciled, payments, reconciliations, stamp):
        """Insert the rows, reconcile the earlier lines in `reconciled`,
        stamp the bills paid, check what was written as the ORM would, and
        queue the bills' processing as the reconciliations do"""
        (Statement, StatementLine, Move, MoveLine, Reconciliation, Invoice,
            PaymentLine) = posted_models()
        transaction = Transaction()
        user, now = stamp['write_uid'], stamp['write_date']
        # In the order of the foreign keys (PostgreSQL checks each row)
        insert_rows(Statement, rows['statement'])
        insert_rows(Move, rows['move'])
        insert_rows(StatementLine, rows['line'])
        insert_rows(Reconciliation, rows['reconciliation'])
        insert_rows(MoveLine, rows['move_line'])
        insert_rows(PaymentLine, rows['payment'])

        cursor = transaction.connection.cursor()
        reconciled_lines = list(reconciled)
        if reconciled:
            # Lines of earlier moves: bills' lines and earlier payments
            table = MoveLine.__table__()
            query, _ = tuple(table.update(
                    [table.reconciliation, table.write_uid, table.write_date],
                    [0, user, now], where=table.id == 0))
            cursor.executemany(query,
                [(r, user, now, l) for l, r in reconciled.items()])
        # `Invoice.add_payment_lines` writes the bills.
        table = Invoice.__table__()
        paid = sorted({p[0] for p in payments})
        for sub_ids in grouped_slice(paid, 1000):
            cursor.execute(*table.update(
                    [table.write_uid, table.write_date], [user, now],
                    where=In(table.id, list(sub_ids))))
        forget_cached()

        # What the ORM checks of the records stock posting creates and
        # writes, on the rows inserted and updated
        def ids(name):
            return [r['id'] for r in rows[name]]
        check_written(Statement, ids('statement'), written=True)
        check_written(Move, ids('move'), written=True)
        check_written(StatementLine, ids('line'))
        check_written(Reconciliation, ids('reconciliation'))
        check_written(MoveLine, sorted(
                set(ids('move_line')) | set(reconciled_lines)),
            written=bool(reconciled_lines))
        check_written(PaymentLine, ids('payment'))
        check_written(Invoice, paid, written=True)

        # As the reconciliations' `on_modification` does: the bills they
        # reconcile are marked paid by the queue.
        processed = list(dict.fromkeys(r[0] for r in reconciliations))
        with transaction.set_context(
                queue_batch=transaction.context.get('queue_batch', True)):
            queue_processing(Invoice, processed)

    def _complete(self, record):
        """Give the unsaved `record` the defaults of the fields it lacks,
        as it has once saved and read again"""
        Model = record.__class__
        missing = tuple(sorted(n for n, f in Model._fields.items()
                if stored(f) and n not in record._values
                and n not in {'id', 'create_uid', 'create_date',
                    'write_uid', 'write_date'}))
        key = ('complete', Model.__name__, missing)
        if key not in self._defaults:
            defaults = Model.default_get(list(missing), with_rec_name=False)
            self._defaults[key] = {n: defaults.get(n) for n in missing}
        for name, value in self._defaults[key].items():
            setattr(record, name, value)

    def _reconcile(self, move_lines, base, bills, payments, reconciliations):
        """Follow `StatementLine.reconcile` over one statement's
        `move_lines`, the first numbered `base`: append to `payments`
        [(invoice, line)] the invoice payment lines it adds and to
        `reconciliations` [(invoice, company, lines, date)] those it
        creates, in the order it creates them"""
        pending = {}  # bill: [(line, balance, date)]
        to_reconcile = []  # (bill, company, [(line, balance, date)])

        def flush():
            for bill, lines in pending.items():
                payments.extend((bill.id, l[0]) for l in lines)
                bill.lines.extend(lines)
            pending.clear()
            for bill, company, lines in to_reconcile:
                reconciliations.append((bill.id, company,
                        [l[0] for l in lines], max(l[2] for l in lines)))
                done = {l[0] for l in lines}
                bill.lines = [l for l in bill.lines if l[0] not in done]
            to_reconcile.clear()

        for index, (_, move_line, line) in enumerate(move_lines):
            related_to = getattr(line, 'related_to', None) if line else None
            if not related_to:
                continue
            bill = bills[related_to.id]
            if not bill.plain:
                raise LedgerError(gettext(
                        'water_utility.msg_ledger_bill_not_plain',
                        invoice=related_to.rec_name))
            if bill in pending:
                flush()
            amount = move_line.credit - move_line.debit
            new = (('new', base + index), move_line.debit - move_line.credit,
                line.date)
            if bill.amount_to_pay == amount:
                to_reconcile.append(
                    (bill, line.statement.company, bill.lines + [new]))
            pending.setdefault(bill, []).append(new)
        flush()

    @staticmethod
    def _reconciliation_numbers(reconciliations):
        "Their numbers, as `Reconciliation.preprocess_values` draws them"
        Configuration = Pool().get('account.configuration')
        config = Configuration(1)
        numbers = [None] * len(reconciliations)
        for company, group in groupby(sorted(
                    enumerate(reconciliations), key=lambda r: r[1][1].id),
                key=lambda r: r[1][1]):
            group = list(group)
            sequence = config.get_multivalue(
                'reconciliation_sequence', company=company.id)
            with Transaction().set_context(company=company.id):
                for (index, _), number in zip(
                        group, sequence.get_many(len(group))):
                    numbers[index] = number
        return numbers

    def _move_numbers(self, plans, move_ids):
        """{move id: number}: `StatementLine.post_move` posts each
        statement's moves in the order of their ids, one statement after
        the other"""
        order = []
        start = 0
        for statement, moves, _ in plans:
            ids = move_ids[start:start + len(moves)]
            period = self.period(statement.company, statement.date)
            order.extend((period.move_sequence_used, i) for i in ids)
            start += len(moves)
        numbers = {}
        for sequence, group in groupby(
                sorted(order, key=lambda o: o[0].id), key=lambda o: o[0]):
            group = list(group)
            with Transaction().set_context(
                    company=plans[0][0].company.id):
                for (_, move_id), number in zip(
                        group, sequence.get_many(len(group))):
                    numbers[move_id] = number
        return numbers


# Invoices one `Invoice.process` takes at most: it validates them in one
# query, and SQLite refuses the query of a thousand ids or so ("Expression
# tree is too large").  Without a worker, trytond queues a call as one task.
PROCESS_BATCH = 100


def queue_processing(Invoice, ids, batch=PROCESS_BATCH):
    "Queue `Invoice.process` of the invoices `ids`, `batch` at a time"
    for sub_ids in grouped_slice(ids, batch):
        Invoice.__queue__.process(Invoice.browse(list(sub_ids)))
