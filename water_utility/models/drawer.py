# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A clerk's cash drawer for one day: its float, its receipts, the
close-out count by denomination, and the over or short it posts."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .. import cash
from ..exceptions import CashError
from .cash import TENDERS, _configuration, _in_group, post_statements
from .mixins import (
    CompanyDayMixin, NumberedMixin, Sealed, SealedLine, rec_name_domain)
from .report import DistrictReport

class Drawer(
        CompanyDayMixin, NumberedMixin, Sealed, Workflow, ModelSQL,
        ModelView):
    "A clerk's cash drawer for one day: its float, receipts and count"
    __name__ = 'water.cash.drawer'
    _number_sequence = 'drawer_sequence'
    # Closed, the count is what the clerk signed for; it only goes to a
    # deposit.
    _sealed_states = frozenset({'closed', 'verified'})
    _sealed_writable = frozenset({'deposit'})
    _workflow_fields = frozenset({
            'state', 'closed_at', 'supervisor', 'verified_at',
            'over_short_statement'})
    _rec_name = 'number'

    _open = {'readonly': Eval('state') != 'open'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    clerk = fields.Many2One(
        'res.user', "Clerk", required=True, readonly=True,
        ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    opening_float = Monetary(
        "Opening Float", currency='currency', digits='currency',
        required=True, states=_open,
        help="The change fund the drawer starts the day with.")
    receipts = fields.One2Many(
        'water.cash.receipt', 'drawer', "Receipts", readonly=True)
    counts = fields.One2Many(
        'water.cash.drawer.count', 'drawer', "Cash Count", states=_open,
        help="Pieces of each denomination in the drawer at close, float "
        "included.")
    checks_counted = Monetary(
        "Checks Counted", currency='currency', digits='currency',
        states=_open, help="The total of the checks in the drawer.")
    cards_counted = Monetary(
        "Card Settlement", currency='currency', digits='currency',
        states=_open,
        help="The total of the card terminal's settlement report.")
    expected_cash = fields.Function(Monetary(
            "Expected Cash", currency='currency', digits='currency',
            help="Float plus cash receipts."), 'get_totals')
    expected_checks = fields.Function(Monetary(
            "Expected Checks", currency='currency', digits='currency'),
        'get_totals')
    expected_cards = fields.Function(Monetary(
            "Expected Cards", currency='currency', digits='currency'),
        'get_totals')
    counted_cash = fields.Function(Monetary(
            "Counted Cash", currency='currency', digits='currency'),
        'get_totals')
    over_short = fields.Function(Monetary(
            "Over (Short)", currency='currency', digits='currency',
            help="Counted less expected, all tenders."), 'get_totals')
    receipt_count = fields.Function(
        fields.Integer("Receipts Taken"), 'get_totals')
    closed_at = fields.Timestamp("Closed At", readonly=True)
    supervisor = fields.Many2One(
        'res.user', "Supervisor", readonly=True, ondelete='RESTRICT')
    verified_at = fields.Timestamp("Verified At", readonly=True)
    over_short_statement = fields.Many2One(
        'account.statement', "Over/Short Statement", readonly=True,
        ondelete='RESTRICT')
    deposit = fields.Many2One(
        'water.cash.deposit', "Deposit", readonly=True, ondelete='RESTRICT',
        help="The bank deposit the drawer's takings went in.")
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ('verified', "Verified"),
            ], "State", readonly=True, required=True, sort=False)

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('clerk_date_unique', Unique(t, t.company, t.clerk, t.date),
                'water_utility.msg_drawer_clerk_date_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'closed'),
            ('closed', 'verified'),
            }
        cls._buttons.update({
                'fill_count': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'verify': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_clerk(cls):
        return Transaction().user

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_counts(cls):
        "Every denomination, none counted yet: the clerk types the pieces"
        return [{'denomination': d, 'pieces': 0}
            for d, _ in cash.DENOMINATIONS]

    @classmethod
    def default_opening_float(cls):
        config = Pool().get('water.configuration')(1)
        return config.drawer_float

    def get_rec_name(self, name):
        return f'{self.number} {self.clerk.rec_name} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'number', 'clerk.rec_name')

    def tender_totals(self):
        "{tender: amount} of the drawer's receipts that stand"
        totals = defaultdict(Decimal)
        for receipt in self.receipts:
            if receipt.state == 'posted':
                totals[receipt.tender] += receipt.amount
        return totals

    def takings(self):
        """What the drawer sends to the bank, {'currency', 'coin', 'checks',
        'cards'}: the cash counted less the float, which stays, taken from
        the bills first; the checks; the card settlement"""
        counts = {c.denomination: c.pieces for c in self.counts}
        coin = cash.count_total(
            {d: n for d, n in counts.items() if d in cash.COIN})
        currency = cash.count_total(counts) - coin - self.opening_float
        if currency < 0:
            coin += currency
            currency = Decimal('0.00')
        return {
            'currency': currency,
            'coin': coin,
            'checks': self.checks_counted or Decimal('0.00'),
            'cards': self.cards_counted or Decimal('0.00'),
            }

    @classmethod
    def get_totals(cls, drawers, names):
        result = {n: {} for n in names}
        for drawer in drawers:
            totals = drawer.tender_totals()
            counted = cash.count_total(
                {c.denomination: c.pieces for c in drawer.counts})
            values = {
                'expected_cash': drawer.opening_float + totals['cash'],
                'expected_checks': totals['check'],
                'expected_cards': totals['card'],
                'counted_cash': counted,
                'receipt_count': sum(
                    1 for r in drawer.receipts if r.state != 'draft'),
                }
            if drawer.state == 'open' and not drawer.counts:
                values['over_short'] = None
            else:
                values['over_short'] = (
                    counted - values['expected_cash']
                    + (drawer.checks_counted or 0) - totals['check']
                    + (drawer.cards_counted or 0) - totals['card'])
            for name in names:
                result[name][drawer.id] = values[name]
        return result

    @classmethod
    def check_modification(cls, mode, drawers, values=None, external=False):
        super().check_modification(
            mode, drawers, values=values, external=external)
        if mode == 'delete':
            for drawer in drawers:
                if drawer.state != 'open' or drawer.receipts:
                    raise AccessError(gettext(
                            'water_utility.msg_drawer_delete',
                            drawer=drawer.rec_name))
        if mode == 'write' and 'deposit' in values:
            Deposit = Pool().get('water.cash.deposit')
            new = values['deposit'] and Deposit(values['deposit'])
            for drawer in drawers:
                for deposit in [drawer.deposit, new]:
                    if deposit and deposit.state == 'posted':
                        raise AccessError(gettext(
                                'water_utility.msg_drawer_deposited',
                                drawer=drawer.rec_name,
                                deposit=deposit.rec_name))

    @classmethod
    @ModelView.button
    def fill_count(cls, drawers):
        "List every denomination to count, keeping what was typed"
        pool = Pool()
        Count = pool.get('water.cash.drawer.count')
        to_save = []
        for drawer in drawers:
            typed = {c.denomination for c in drawer.counts}
            to_save.extend(Count(drawer=drawer, denomination=d, pieces=0)
                for d, _ in cash.DENOMINATIONS if d not in typed)
        Count.save(to_save)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, drawers):
        """Close the count: the over or short posts to its own account and
        the drawer takes no more receipts"""
        pool = Pool()
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        config = _configuration()
        for drawer in drawers:
            if drawer.clerk.id != Transaction().user and not _in_group(
                    'group_finance'):
                raise CashError(gettext('water_utility.msg_drawer_not_yours',
                        drawer=drawer.rec_name))
            drafts = [r for r in drawer.receipts if r.state == 'draft']
            if drafts:
                raise CashError(gettext('water_utility.msg_drawer_drafts',
                        drawer=drawer.rec_name,
                        receipts=len(drafts)))
            if not counted(drawer):
                raise CashError(gettext('water_utility.msg_drawer_not_counted',
                        drawer=drawer.rec_name))
            # A tender the drawer took none of is counted as nothing
            if drawer.checks_counted is None:
                drawer.checks_counted = Decimal('0.00')
            if drawer.cards_counted is None:
                drawer.cards_counted = Decimal('0.00')
        statements = []
        for drawer in drawers:
            if not drawer.over_short:
                continue
            statement = Statement(
                name=f"{drawer.number} over/short",
                company=drawer.company, journal=config.counter_journal,
                date=drawer.date, total_amount=drawer.over_short)
            statement.lines = [StatementLine(
                    number=drawer.number, date=drawer.date,
                    amount=drawer.over_short,
                    account=config.over_short_account,
                    description=gettext(
                        'water_utility.msg_drawer_over_short_description',
                        drawer=drawer.rec_name))]
            statements.append((drawer, statement))
        post_statements([s for _, s in statements])
        for drawer, statement in statements:
            drawer.over_short_statement = statement
        now = dt.datetime.now()
        for drawer in drawers:
            drawer.closed_at = now
        cls.save(drawers)

    @classmethod
    @ModelView.button
    @Workflow.transition('verified')
    def verify(cls, drawers):
        "The supervisor's signature on the drawer report"
        if not _in_group('group_finance'):
            raise CashError(gettext('water_utility.msg_drawer_verify_group'))
        user = Transaction().user
        for drawer in drawers:
            if drawer.clerk.id == user and user:
                raise CashError(gettext(
                        'water_utility.msg_drawer_verify_self',
                        drawer=drawer.rec_name))
        cls.write(drawers, {
                'supervisor': user,
                'verified_at': dt.datetime.now(),
                })


def counted(drawer):
    """Whether the drawer was counted: cash when it should hold some (its
    float, cash taken), and the checks and card totals when it took any"""
    totals = drawer.tender_totals()
    cash_counted = cash.count_total(
        {c.denomination: c.pieces for c in drawer.counts})
    if not cash_counted and drawer.opening_float + totals['cash']:
        return False
    if drawer.checks_counted is None and totals['check']:
        return False
    if drawer.cards_counted is None and totals['card']:
        return False
    return True


class DrawerCount(SealedLine, ModelSQL, ModelView):
    "Pieces of one denomination counted in a drawer"
    __name__ = 'water.cash.drawer.count'
    _sealed_parent = 'drawer'
    drawer = fields.Many2One(
        'water.cash.drawer', "Drawer", required=True, ondelete='CASCADE')
    denomination = fields.Selection(
        cash.DENOMINATIONS, "Denomination", required=True, sort=False)
    pieces = fields.Integer(
        "Pieces", required=True, domain=[('pieces', '>=', 0)])
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'on_change_with_amount')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('drawer_denomination_unique',
                Unique(t, t.drawer, t.denomination),
                'water_utility.msg_drawer_count_unique'),
            ]
        cls._order = [('drawer', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_pieces(cls):
        return 0

    @fields.depends('drawer', '_parent_drawer.company')
    def on_change_with_currency(self, name=None):
        if self.drawer and self.drawer.company:
            return self.drawer.company.currency

    @fields.depends('denomination', 'pieces')
    def on_change_with_amount(self, name=None):
        if self.denomination:
            return cash.count_total({self.denomination: self.pieces})


class DrawerReport(DistrictReport):
    "The drawer's close-out: expected and counted by tender, signed"
    __name__ = 'water.cash.drawer.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['denominations'] = dict(cash.DENOMINATIONS)
        context['tenders'] = dict(TENDERS)
        return context
