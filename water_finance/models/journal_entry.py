# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Adjusting journal entries: typed by hand in a journal kept for them,
always with their reason; above the journal's limit, posted only with a
document attached and finance's approval, by someone other than who
entered the entry, of the entry as it then stood.  Recurring entries
(monthly, quarterly, yearly) are copied forward as drafts that go the
same way.

Tryton's own entries (bills, payments, pay runs, statements) have an
origin and their own journals: the rules apply to the entries of a
journal marked *Adjusting Entries* that have none."""
import hashlib

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.company.model import employee_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from ..exceptions import AdjustmentError

APPROVAL_FIELDS = frozenset({'adjustment_approved_by', 'approved_digest'})
RECURRENCES = {
    'monthly': relativedelta(months=1),
    'quarterly': relativedelta(months=3),
    'yearly': relativedelta(years=1),
    }


class Journal(metaclass=PoolMeta):
    __name__ = 'account.journal'

    adjustments = fields.Boolean("Adjusting Entries",
        help="Entries typed here by hand are adjustments: each needs its "
        "reason, and above the approval limit an attachment and "
        "finance's approval before it is posted.")
    adjustment_limit = fields.Numeric("Approval Above", digits=(16, 2),
        states={'invisible': ~Eval('adjustments')},
        help="An adjusting entry whose debits total more than this is "
        "approved by finance before it is posted.")


def digest(move):
    "What finance approved: the entry's date, accounts, parties, amounts"
    text = '|'.join([str(move.date)] + sorted(
            f'{l.account.id}:{l.party.id if l.party else ""}:'
            f'{l.debit}:{l.credit}' for l in move.lines))
    return hashlib.sha256(text.encode()).hexdigest()


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    adjustment = fields.Function(fields.Boolean("Adjustment"),
        'on_change_with_adjustment')
    adjustment_reason = fields.Text("Reason",
        states={
            'invisible': ~Eval('adjustment'),
            'readonly': Eval('state') != 'draft',
            },
        help="Why the entry is made, as the auditor will read it.")
    approval_required = fields.Function(fields.Boolean("Approval Required"),
        'get_approval_required')
    adjustment_approved_by = employee_field("Approved By",
        states=['draft', 'posted'])
    approved_digest = fields.Char("Approved Entry", readonly=True)
    recurrence = fields.Selection([
            (None, ""),
            ('monthly', "Monthly"),
            ('quarterly', "Quarterly"),
            ('yearly', "Yearly"),
            ], "Recurs",
        states={'invisible': ~Eval('adjustment')},
        help="Copied forward as a draft each period until the end date.")
    recur_until = fields.Date("Recurs Until",
        states={'invisible': ~Eval('recurrence')})
    recurred_from = fields.Many2One('account.move', "Recurring Entry",
        readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._check_modify_exclude |= {'recurrence', 'recur_until'}
        cls._buttons.update({
                'approve_adjustment': {
                    'invisible': ~Eval('approval_required')
                    | (Eval('state') != 'draft'),
                    'depends': ['approval_required', 'state'],
                    'icon': 'tryton-ok',
                    },
                })

    @fields.depends('journal', 'origin')
    def on_change_with_adjustment(self, name=None):
        return bool(self.journal and self.journal.adjustments
            and not self.origin)

    def get_approval_required(self, name):
        limit = self.journal.adjustment_limit if self.journal else None
        if not self.on_change_with_adjustment() or limit is None:
            return False
        return sum(l.debit for l in self.lines) > limit

    @classmethod
    def check_modification(cls, mode, moves, values=None, external=False):
        super().check_modification(
            mode, moves, values=values, external=external)
        if external and mode in {'create', 'write'}:
            forged = APPROVAL_FIELDS | {'recurred_from'}
            names = set(values or {}) & forged if mode == 'write' else {
                n for n in forged for m in moves if getattr(m, n)}
            if names:
                raise AccessError(gettext(
                        'water_finance.msg_adjustment_workflow',
                        fields=', '.join(sorted(names))))

    @classmethod
    def copy(cls, moves, default=None):
        default = dict(default or {})
        for name in APPROVAL_FIELDS | {'recurred_from'}:
            default.setdefault(name, None)
        return super().copy(moves, default=default)

    def has_attachment(self):
        Attachment = Pool().get('ir.attachment')
        return bool(Attachment.search([
                    ('resource', '=', str(self))], limit=1))

    def check_documents(self):
        "Refuse an adjustment without its reason, or its attachment if due"
        if not (self.adjustment_reason or '').strip():
            raise AdjustmentError(gettext(
                    'water_finance.msg_adjustment_reason',
                    move=self.rec_name))
        if self.approval_required and not self.has_attachment():
            raise AdjustmentError(gettext(
                    'water_finance.msg_adjustment_attachment',
                    move=self.rec_name))

    def check_adjustment(self):
        "Refuse posting an adjustment without what it needs, naming it"
        if not self.adjustment:
            return
        self.check_documents()
        if not self.approval_required:
            return
        if not self.adjustment_approved_by:
            raise AdjustmentError(gettext(
                    'water_finance.msg_adjustment_unapproved',
                    move=self.rec_name,
                    limit=self.journal.adjustment_limit))
        if self.approved_digest != digest(self):
            raise AdjustmentError(gettext(
                    'water_finance.msg_adjustment_changed',
                    move=self.rec_name))

    @classmethod
    @ModelView.button
    def approve_adjustment(cls, moves):
        "Finance approves the entry as it stands: not their own"
        User = Pool().get('res.user')
        user = User(Transaction().user)
        employee = user.employee
        for move in moves:
            if move.state != 'draft' or not move.approval_required:
                continue
            if not employee:
                raise AdjustmentError(gettext(
                        'water_finance.msg_adjustment_no_employee',
                        move=move.rec_name))
            entered_by = move.create_uid
            if entered_by == user or (
                    entered_by and entered_by.employee == employee):
                raise AdjustmentError(gettext(
                        'water_finance.msg_adjustment_own',
                        move=move.rec_name, employee=employee.rec_name))
            move.check_documents()
            move.adjustment_approved_by = employee
            move.approved_digest = digest(move)
        cls.save(moves)

    @classmethod
    @ModelView.button
    def post(cls, moves):
        for move in moves:
            if move.state == 'draft':
                move.check_adjustment()
        super().post(moves)

    def next_dates(self, today):
        "The dates the recurring entry is due on up to `today`"
        step = RECURRENCES[self.recurrence]
        date, dates = self.date + step, []
        while date <= today and (
                not self.recur_until or date <= self.recur_until):
            dates.append(date)
            date += step
        return dates

    @classmethod
    def recur(cls, today=None):
        """Copy each posted recurring entry forward, as a draft, to each
        date it is due on up to `today` not yet copied; return the copies"""
        pool = Pool()
        Date = pool.get('ir.date')
        Period = pool.get('account.period')
        today = today or Date.today()
        copies = []
        for move in cls.search([('recurrence', '!=', None),
                    ('state', '=', 'posted')]):
            done = {m.date for m in cls.search([
                        ('recurred_from', '=', move.id)])}
            for date in move.next_dates(today):
                if date in done:
                    continue
                copy, = cls.copy([move], default={
                        'date': date,
                        'period': Period.find(move.company, date=date).id,
                        'recurrence': None,
                        'recur_until': None,
                        'recurred_from': move.id,
                        'origin': None,
                        })
                copies.append(copy)
        return copies

    @classmethod
    def recur_entries(cls):
        "The cron's task: copy the recurring entries due forward"
        cls.recur()


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('account.move|recur_entries', "Copy Recurring Entries Forward"))
