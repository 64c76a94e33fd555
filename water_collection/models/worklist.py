# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The collections worklist: every account with something past due, aged
by the days past the due date (the receivable lines' maturity), with the
ladder's last step and the next one, the protections on file and the
earliest lawful shut-off.  A view on the ledger: nothing is stored."""
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Min, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from .dunning import STEPS
from .protection import KINDS

# The aging columns: (field, first and last days past due; None: no end)
BUCKETS = [
    ('days_1_30', 1, 30),
    ('days_31_60', 31, 60),
    ('days_61_90', 61, 90),
    ('days_91_120', 91, 120),
    ('days_over_120', 121, None),
    ]


def _money(string):
    return fields.Numeric(string, digits=(16, 2), readonly=True)


class Worklist(ModelSQL, ModelView):
    "An account with something past due, and where it stands"
    __name__ = 'water.collection.worklist'

    account = fields.Many2One('water.account', "Account", readonly=True)
    party = fields.Function(
        fields.Many2One('party.party', "Customer"), 'get_party')
    balance = _money("Balance")
    current = _money("Not Yet Due")
    days_1_30 = _money("1-30 Days")
    days_31_60 = _money("31-60 Days")
    days_61_90 = _money("61-90 Days")
    days_91_120 = _money("91-120 Days")
    days_over_120 = _money("Over 120 Days")
    credits = _money("Unapplied Credits")
    oldest_due = fields.Date("Oldest Due Date", readonly=True)
    last_step = fields.Function(
        fields.Char("Last Step"), 'get_ladder')
    next_step = fields.Function(
        fields.Char("Next Step"), 'get_ladder')
    protections = fields.Function(
        fields.Char("Protections on File"), 'get_protections')
    shutoff_date = fields.Function(
        fields.Date("Earliest Shut-off"), 'get_shutoff')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('oldest_due', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        today = pool.get('ir.date').today()
        line, move = Line.__table__(), Move.__table__()
        account, type_ = Account.__table__(), AccountType.__table__()
        amount = line.debit - line.credit
        due = line.maturity_date
        columns = []
        past_due = []
        for name, first, last in BUCKETS:
            condition = due <= today - dt.timedelta(days=first)
            if last is not None:
                condition &= due >= today - dt.timedelta(days=last)
            column = Sum(Case((condition, amount), else_=0))
            columns.append(column.as_(name))
            past_due.append(column)
        return (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .select(
                line.water_account.as_('id'),
                Literal(0).as_('create_uid'),
                Min(line.create_date).as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                line.water_account.as_('account'),
                Sum(amount).as_('balance'),
                Sum(Case((due >= today, amount), else_=0)).as_('current'),
                *columns,
                Sum(Case((due == Null, amount), else_=0)).as_('credits'),
                Min(Case(((due < today) & (amount > 0), due),
                        else_=Null)).as_('oldest_due'),
                where=(line.water_account != Null)
                & (line.reconciliation == Null)
                & (type_.receivable == Literal(True))
                & (move.state == 'posted'),
                group_by=[line.water_account],
                having=sum(past_due[1:], past_due[0]) > 0))

    def get_party(self, name):
        return self.account.party.id

    @classmethod
    def get_ladder(cls, records, names):
        pool = Pool()
        Notice = pool.get('water.collection.notice')
        Dunning = pool.get('account.dunning')
        steps = dict(STEPS)
        result = {n: {} for n in names}
        for record in records:
            if 'last_step' in names:
                notices = Notice.search(
                    [('account', '=', record.account.id)], limit=1)
                result['last_step'][record.id] = (
                    f'{steps[notices[0].step]} '
                    f'{notices[0].date:%m/%d/%Y}' if notices else '')
            if 'next_step' in names:
                result['next_step'][record.id] = next_step(Dunning.search([
                            ('line.water_account', '=', record.account.id),
                            ('state', 'in', ['draft', 'waiting']),
                            ]))
        return result

    @classmethod
    def get_protections(cls, records, name):
        today = Pool().get('ir.date').today()
        kinds = dict(KINDS)
        result = {}
        for record in records:
            names = [kinds[p.kind] for p in record.account.protections
                if p.active_on(today)]
            if record.account.arrangements_on(today)[0]:
                names.append(gettext('water_collection.msg_arrangement'))
            result[record.id] = ', '.join(names)
        return result

    @classmethod
    def get_shutoff(cls, records, name):
        "The account's own Earliest Shut-off"
        return {r.id: r.account.shutoff_date for r in records}


def next_step(dunnings):
    """'<step> on <date>' of the ladder's next level for the most advanced
    of the account's `dunnings`, or ''"""
    steps = dict(STEPS)
    candidates = []
    for dunning in dunnings:
        levels = list(dunning.procedure.levels)
        following = levels[levels.index(dunning.level) + 1:]
        if dunning.state == 'draft':
            following = [dunning.level]
        for level in following:
            if level.overdue is not None and level.collection_step:
                day = dunning.line.maturity_date + level.overdue
                candidates.append((levels.index(level), day,
                        steps[level.collection_step]))
                break
    if not candidates:
        return ''
    _, day, step = max(candidates, key=lambda c: (c[0], -c[1].toordinal()))
    return gettext('water_collection.msg_next_step', step=step,
        date=day.strftime('%m/%d/%Y'))
