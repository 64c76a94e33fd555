# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import without_check_access

from ..exceptions import BankError
from .payment_ledger import PROCESS_BATCH


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    water_account = fields.Many2One(
        'water.account', "Water Account", ondelete='RESTRICT',
        help="The customer account a receivable line belongs to; "
        "its balance is the sum of these lines.")
    bank_origin = fields.Many2One(
        'account.statement.origin', "Cleared by Bank", readonly=True,
        ondelete='SET NULL',
        help="The bank's transaction that cleared this line of the bank "
        "account.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._check_modify_exclude.add('bank_origin')

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        for lines, values in zip(actions, actions):
            if values.get('bank_origin'):
                for line in lines:
                    if line.bank_origin and (
                            line.bank_origin.id != values['bank_origin']):
                        raise BankError(gettext(
                                'water_utility.msg_bank_line_cleared',
                                line=line.rec_name,
                                origin=line.bank_origin.rec_name))
        super().write(*args)


class RescheduleLines(metaclass=PoolMeta):
    __name__ = 'account.move.line.reschedule'

    @classmethod
    def _line_values(cls, lines):
        values = super()._line_values(lines)
        accounts = {l.water_account for l in lines}
        if len(accounts) == 1:
            values['water_account'], = accounts
        return values


@without_check_access
def apply_credits(accounts):
    """Apply the credits of `accounts` (overpayments, credit adjustments)
    to their open bills, oldest bill and oldest credit first, as payments
    of the bills: a credit is added to a bill's payment lines, and a bill
    so paid in full is reconciled and marked paid.  A credit larger than
    what a bill still owes is split first by Tryton's own reschedule (a
    move of the miscellaneous journal on the receivable): the bill takes
    one part and the rest stays a credit.  Returns the bills paid."""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Line = pool.get('account.move.line')
    Journal = pool.get('account.journal')
    ModelData = pool.get('ir.model.data')
    account_ids = [a.id for a in accounts]
    if not account_ids:
        return []
    credits = defaultdict(list)
    for sub_ids in grouped_slice(account_ids, 1000):
        for line in Line.search([
                    ('water_account', 'in', list(sub_ids)),
                    ('account.type.receivable', '=', True),
                    ('reconciliation', '=', None),
                    ('credit', '>', 0),
                    ('move.state', '=', 'posted'),
                    ('invoice_payment', '=', None),
                    ], order=[('date', 'ASC'), ('id', 'ASC')]):
            credits[line.water_account.id].append(line)
    if not credits:
        return []
    journal = Journal(ModelData.get_id('account', 'journal_miscellaneous'))
    bills = defaultdict(list)
    for invoice in Invoice.search([
                ('water_account', 'in', list(credits)),
                ('type', '=', 'out'),
                ('state', '=', 'posted'),
                ('total_amount', '>', 0),
                ], order=[('invoice_date', 'ASC'), ('id', 'ASC')]):
        bills[invoice.water_account.id].append(invoice)
    paid = []
    for account_id, lines in credits.items():
        lines = list(lines)
        for bill in bills[account_id]:
            while lines:
                owed = Invoice(bill.id).amount_to_pay
                if owed <= 0:
                    break
                line = lines.pop(0)
                if line.credit - line.debit > owed:
                    line, rest = split_credit(line, owed, journal, bill)
                    lines.insert(0, rest)
                bill = Invoice(bill.id)
                to_reconcile, remainder = bill.get_reconcile_lines_for_amount(
                    line.credit - line.debit, bill.currency)
                Invoice.add_payment_lines({bill: [line.id]})
                if not remainder:
                    Line.reconcile(to_reconcile + [line])
                    paid.append(bill)
    for sub_paid in grouped_slice(paid, PROCESS_BATCH):
        Invoice.process(list(sub_paid))
    return paid


def split_credit(line, amount, journal, bill):
    """Split the credit `line` in two by Tryton's reschedule: a credit of
    `amount` to pay `bill` and one of the rest.  The move's origin is the
    bill.  Returns both new lines."""
    pool = Pool()
    Reschedule = pool.get('account.move.line.reschedule', type='wizard')
    Date = pool.get('ir.date')
    Move = pool.get('account.move')
    date = Date.today()
    terms = [_Term(date, -amount), _Term(date, line.amount + amount)]
    move, _ = Reschedule.reschedule_lines([line], journal, terms)
    move.origin = bill
    move.description = bill.rec_name
    move.save()
    Move.post([move])
    first, rest = [l for l in Move(move.id).lines if l.credit]
    if first.credit != amount:
        first, rest = rest, first
    return first, rest


class _Term:
    "A term of a reschedule: its date and (signed) amount"
    __slots__ = ('date', 'amount')

    def __init__(self, date, amount):
        self.date, self.amount = date, amount
