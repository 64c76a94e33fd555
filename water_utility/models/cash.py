# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The counter: a cash drawer per clerk per day (drawer.py), its numbered
receipts (receipt.py) and the bank deposits of its cash (deposit.py); here
what they share: the tenders, the district's counter settings, posting
statements, the open bills a payment pays, and the statement line's
customer account.

Every receipt posts through Tryton's account statement: a statement of the
counter journal (its account is Undeposited Funds) whose lines pay the
bills, so the receivable falls, undeposited funds rise, and each bill's
receivable line is reconciled against its payment by Tryton itself.  A
drawer's over or short posts the same way, to its own account."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from ..counter_turn import counter_turn
from ..exceptions import CashError

TENDERS = [
    ('cash', "Cash"),
    ('check', "Check"),
    ('card', "Card"),
    ]


def _configuration(*names):
    """The water configuration, with the counter's settings and the
    settings `names` checked"""
    Configuration = Pool().get('water.configuration')
    config = Configuration(1)
    for name in ['counter_journal', 'over_short_account',
            'receipt_sequence', *names]:
        if not getattr(config, name):
            raise CashError(gettext('water_utility.msg_cash_not_configured',
                    field=Configuration.fields_get([name])[name]['string']))
    return config


@without_check_access
def post_statements(statements):
    """Save, validate and post the statements as Tryton does, at once.

    The ledger's own access rules are finance's: the cashier posts through
    the counter's documents, which the groups on their buttons guard."""
    Statement = Pool().get('account.statement')
    if statements:
        # the fiscal year's move numbers: one poster at a time
        with counter_turn(statements[0].company):
            Statement.save(statements)
            Statement.validate_statement(statements)
            Statement.post(statements)


# The order payments pay a customer account's bills in: oldest first
OPEN_BILLS_ORDER = [('invoice_date', 'ASC'), ('id', 'ASC')]


def open_bills_domain(account_ids):
    "The posted bills of the water accounts `account_ids` still owed"
    return [
        ('water_account', 'in', list(account_ids)),
        ('type', '=', 'out'),
        ('state', '=', 'posted'),
        ('total_amount', '>', 0),
        ]


@without_check_access
def open_bills(accounts):
    "{account id: [its posted bills still owed, oldest first]}"
    Invoice = Pool().get('account.invoice')
    bills = defaultdict(list)
    for invoice in Invoice.search(
            open_bills_domain(a.id for a in accounts),
            order=OPEN_BILLS_ORDER):
        bills[invoice.water_account.id].append(invoice)
    return bills


def payment_lines(parts, credit, party, **common):
    """The statement lines of one payment: one per (invoice, account,
    amount) of `parts` paying that bill, and one putting the `credit` left
    on the party's receivable; `common` are the values every line has
    (number, date, water account, description)"""
    StatementLine = Pool().get('account.statement.line')
    lines = [StatementLine(amount=amount, account=account,
            related_to=invoice, party=party, **common)
        for invoice, account, amount in parts]
    if credit:
        lines.append(StatementLine(amount=credit,
                account=party.account_receivable_used, party=party,
                **common))
    return lines


def _in_group(xml_id):
    """Whether the user (root aside) belongs to the water group `xml_id`
    or administers the water utility"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    transaction = Transaction()
    if transaction.user == 0 or not transaction.check_access:
        return True
    groups = User.get_groups()
    return any(ModelData.get_id('water_utility', g) in groups
        for g in [xml_id, 'group_water_admin'])


class StatementLine(metaclass=PoolMeta):
    __name__ = 'account.statement.line'

    water_account = fields.Many2One(
        'water.account', "Water Account", ondelete='RESTRICT',
        states={'readonly': Eval('statement_state') != 'draft'},
        help="The customer account the payment is for: its receivable "
        "line counts in the account's balance.")

    def get_move_line(self):
        line = super().get_move_line()
        if line:
            line.water_account = self.water_account
        return line

    @classmethod
    def post_move(cls, lines):
        """Post the lines' moves in the order of their ids: Tryton posts
        them as a set, whose order (and so the moves' numbers) follows
        the hashes of the model's name"""
        Move = Pool().get('account.move')
        Move.post(sorted({l.move for l in lines
                    if l.move and l.move.state != 'posted'},
                key=lambda m: m.id))
