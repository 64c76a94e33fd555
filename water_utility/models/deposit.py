# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A bank deposit of closed drawers' cash and checks: the slip the bank
stamps, posted from Undeposited Funds to the bank through a statement."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from ..exceptions import CashError
from .cash import _configuration, post_statements
from .mixins import CompanyDayMixin, NumberedMixin, Sealed
from .report import DistrictReport

class Deposit(
        CompanyDayMixin, NumberedMixin, Sealed, Workflow,
        ModelSQL, ModelView):
    """A bank deposit of closed drawers' takings: cash and checks on the
    deposit slip, and the day's card settlement, out of Undeposited Funds
    into the bank"""
    __name__ = 'water.cash.deposit'
    _number_sequence = 'deposit_sequence'
    _sealed_message = 'water_utility.msg_deposit_delete'
    _workflow_fields = frozenset({'state', 'statement', 'posted_by'})
    _rec_name = 'number'

    _draft = {'readonly': Eval('state') != 'draft'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    date = fields.Date("Date", required=True, states=_draft)
    drawers = fields.One2Many(
        'water.cash.drawer', 'deposit', "Drawers", add_remove=[
            ('state', 'in', ['closed', 'verified']),
            ('deposit', '=', None),
            ('company', '=', Eval('company', -1)),
            ],
        states=_draft,
        help="Closed drawers whose takings go to the bank.")
    currency_amount = fields.Function(Monetary(
            "Currency", currency='currency', digits='currency'),
        'get_amounts')
    coin_amount = fields.Function(Monetary(
            "Coin", currency='currency', digits='currency'), 'get_amounts')
    check_amount = fields.Function(Monetary(
            "Checks", currency='currency', digits='currency'),
        'get_amounts')
    check_count = fields.Function(
        fields.Integer("Number of Checks"), 'get_amounts')
    card_amount = fields.Function(Monetary(
            "Card Settlement", currency='currency', digits='currency',
            help="Deposited by the card processor, not on the slip."),
        'get_amounts')
    slip_total = fields.Function(Monetary(
            "Deposit Slip Total", currency='currency', digits='currency'),
        'get_amounts')
    total = fields.Function(Monetary(
            "Total", currency='currency', digits='currency'), 'get_amounts')
    statement = fields.Many2One(
        'account.statement', "Statement", readonly=True,
        ondelete='RESTRICT')
    posted_by = fields.Many2One(
        'res.user', "Posted By", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'posted')}
        cls._buttons.update({
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    def checks(self):
        "The check receipts of the deposit's drawers, in receipt order"
        return sorted((r for d in self.drawers for r in d.receipts
                if r.tender == 'check' and r.state == 'posted'),
            key=lambda r: r.number)

    @classmethod
    def get_amounts(cls, deposits, names):
        result = {n: {} for n in names}
        for deposit in deposits:
            takings = defaultdict(lambda: Decimal('0.00'))
            for drawer in deposit.drawers:
                for key, value in drawer.takings().items():
                    takings[key] += value
            values = {
                'currency_amount': takings['currency'],
                'coin_amount': takings['coin'],
                'check_amount': takings['checks'],
                'check_count': len(deposit.checks()),
                'card_amount': takings['cards'],
                'slip_total': (takings['currency'] + takings['coin']
                    + takings['checks']),
                'total': sum(takings.values(), Decimal('0.00')),
                }
            for name in names:
                result[name][deposit.id] = values[name]
        return result

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, deposits):
        """Move the takings out of Undeposited Funds into the bank, through
        a statement of the deposit journal"""
        pool = Pool()
        Statement = pool.get('account.statement')
        StatementLine = pool.get('account.statement.line')
        config = _configuration('deposit_journal')
        undeposited = config.counter_journal.account
        statements = []
        for deposit in deposits:
            if not deposit.drawers:
                raise CashError(gettext('water_utility.msg_deposit_empty',
                        deposit=deposit.rec_name))
            for drawer in deposit.drawers:
                if drawer.state not in {'closed', 'verified'}:
                    raise CashError(gettext(
                            'water_utility.msg_deposit_drawer_open',
                            deposit=deposit.rec_name,
                            drawer=drawer.rec_name))
            # The slip and the card settlement reach the bank apart: each
            # its own number, so its own move and line on the bank account
            # for the bank statement to clear.
            lines = []
            for key, amount, number in [
                    ('msg_deposit_line_slip', deposit.slip_total,
                        deposit.number),
                    ('msg_deposit_line_cards', deposit.card_amount,
                        f'{deposit.number}/C')]:
                if amount:
                    lines.append(StatementLine(
                            number=number, date=deposit.date,
                            amount=amount, account=undeposited,
                            description=gettext(f'water_utility.{key}',
                                deposit=deposit.number)))
            statements.append(Statement(
                    name=deposit.number, company=deposit.company,
                    journal=config.deposit_journal, date=deposit.date,
                    total_amount=deposit.total, lines=lines))
        post_statements(statements)
        for deposit, statement in zip(deposits, statements):
            deposit.statement = statement
            deposit.posted_by = Transaction().user
        cls.save(deposits)


class DepositSlip(DistrictReport):
    "The bank's deposit slip: currency, coin and the list of checks"
    __name__ = 'water.cash.deposit.slip'
