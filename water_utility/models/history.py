# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Literal, Null, Window
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Position
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool

from .report import CustomerReport

KINDS = [
    ('bill', "Bill"),
    ('payment', "Payment"),
    ('adjustment', "Adjustment"),
    ('reversal', "Reversal"),
    ('other', "Other"),
    ]


class AccountHistory(ModelSQL, ModelView):
    """A customer account's history: each bill, payment and adjustment
    posted on its receivable, with the running balance.  Read from the
    ledger itself, so it is what the ledger says."""
    __name__ = 'water.account.history'

    account = fields.Many2One('water.account', "Account", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)
    date = fields.Date("Date", readonly=True)
    kind = fields.Selection(KINDS, "Kind", readonly=True)
    kind_string = kind.translated('kind')
    document = fields.Reference(
        "Document", selection='get_documents', readonly=True)
    description = fields.Char("Description", readonly=True)
    charges = Monetary(
        "Charges", currency='currency', digits='currency', readonly=True)
    credits = Monetary(
        "Payments and Credits", currency='currency', digits='currency',
        readonly=True)
    balance = Monetary(
        "Balance", currency='currency', digits='currency', readonly=True,
        help="The account's balance once the line posted.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Invoice = pool.get('account.invoice')
        Adjustment = pool.get('water.account.adjustment')
        line = Line.__table__()
        move = Move.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        invoice = Invoice.__table__()
        adjustment = Adjustment.__table__()
        origin = Coalesce(move.origin, '')
        kind = Case(
            (adjustment.id != Null, 'adjustment'),
            (invoice.id != Null, 'bill'),
            (Position('account.statement,', origin) == 1, 'payment'),
            (Position('account.move,', origin) == 1, 'reversal'),
            else_='other')
        document = Case(
            (adjustment.id != Null,
                Concat('water.account.adjustment,', adjustment.id)),
            (invoice.id != Null, Concat('account.invoice,', invoice.id)),
            else_=move.origin)
        amount = line.debit - line.credit
        return (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .join(invoice, 'LEFT', condition=invoice.move == move.id)
            .join(adjustment, 'LEFT',
                condition=adjustment.invoice == invoice.id)
            .select(
                line.id.as_('id'),
                line.create_uid.as_('create_uid'),
                line.create_date.as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                line.water_account.as_('account'),
                move.company.as_('company'),
                move.date.as_('date'),
                kind.as_('kind'),
                document.as_('document'),
                Coalesce(line.description, move.description).as_(
                    'description'),
                line.debit.as_('charges'),
                line.credit.as_('credits'),
                Sum(amount, window=Window([line.water_account],
                        order_by=[move.date.asc, line.id.asc])).as_(
                    'balance'),
                where=(line.water_account != Null)
                & (type_.receivable == Literal(True))
                & (move.state == 'posted')
                # A credit split to pay a bill (its move's origin is the
                # bill paid) nets to nothing on the account.
                & ~((invoice.id == Null)
                    & (Position('account.invoice,', origin) == 1))))

    @classmethod
    def get_documents(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        models = ['account.invoice', 'account.statement', 'account.move',
            'water.account.adjustment']
        return [(None, '')] + [(m, Model.get_name(m)) for m in models]

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def read(cls, ids, fields_names):
        # SQLite sums in floats and keeps a zero debit as 0: give the
        # amounts back in cents.
        rows = super().read(ids, fields_names)
        names = {'balance', 'charges', 'credits'} & set(fields_names)
        for row in rows:
            for name in names:
                if row.get(name) is not None:
                    row[name] = Decimal(str(row[name])).quantize(
                        Decimal('0.01'))
        return rows


def statement_lines(account, start=None, end=None):
    """The customer statement of `account` from `start` to `end` (the last
    12 months to today by default): (opening balance, [history lines oldest
    first], closing balance)"""
    pool = Pool()
    History = pool.get('water.account.history')
    Date = pool.get('ir.date')
    end = end or Date.today()
    start = start or (end - relativedelta(months=12) + relativedelta(days=1))
    lines = History.search([
            ('account', '=', account.id),
            ('date', '<=', end),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    opening = Decimal('0.00')
    shown = []
    for line in lines:
        if line.date < start:
            opening = line.balance
        else:
            shown.append(line)
    closing = shown[-1].balance if shown else opening
    return opening, shown, closing


class CustomerStatement(CustomerReport):
    "The account's history on paper: a customer statement"
    __name__ = 'water.account.statement.report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        data = data or {}
        end = data.get('end') or Date.today()
        start = data.get('start')
        # The lines' kinds in the account's language
        context['statements'] = cls.in_account_language(records,
            lambda account: statement_lines(account, start, end))
        context['statement_end'] = end
        return context
