# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The warrant list (register of demands) the Board approves or ratifies.

The specialist computes it for a range of dates (`warrant_source`): the
vendor payments paid or to be paid, the checks voided, each pay date's
payroll totals.  A range with a payment not yet processed or a pay run
not yet paid is refused, naming them.  Finance certifies and presents it
(agenda date), never the one who computed it, and only as computed: a
list whose payments changed since is refused until computed again.  The
Board's action (approved before payment, ratified after; meeting date and
minute order) is recorded on it; closed once every warrant on it is paid
or voided.

Presented, it is sealed with its lines: only the meeting date and minute
order are written, and only until the Board's action is recorded.  A
warrant on a presented list never appears on another."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import ComputedMixin, SealedLineMixin, SealedMixin
from water_utility.models.report import DistrictReport

from ..exceptions import WarrantListError
from ..warrants import csv_text, totals
from .warrant_source import (
    SEALED, listed_warrants, payroll_rows, unprocessed, vendor_rows,
    void_rows)

BOARD_FIELDS = frozenset({'meeting_date', 'minute_order'})
STATES = [
    ('draft', "Draft"),
    ('presented', "Presented"),
    ('approved', "Approved"),
    ('ratified', "Ratified"),
    ('closed', "Closed"),
    ]
KINDS = [
    ('check', "Check"),
    ('ach', "ACH"),
    ('wire', "Wire"),
    ('void', "Void"),
    ('payroll', "Payroll"),
    ]
MONEY = {'digits': (16, 2)}
CERTIFICATION = (
    "I certify that the demands listed have been audited, that they are "
    "correct and in accordance with the District's budget and purchasing "
    "policy, and that funds are available for their payment.")


class WarrantList(SealedMixin, Workflow, ModelSQL, ModelView):
    "Warrant List"
    __name__ = 'water.warrant.list'
    _sealed_states = SEALED
    _sealed_writable = BOARD_FIELDS
    _workflow_fields = frozenset({
            'state', 'prepared_by', 'certified_by', 'recorded_by',
            'closed_by', 'board_action'})
    _sealed_message = 'water_finance.msg_warrant_list_sealed'
    _workflow_message = 'water_finance.msg_warrant_list_workflow'
    _draft = {'readonly': Eval('state') != 'draft'}
    _stamp_states = [s for s, _ in STATES]

    company = fields.Many2One('company.company', "Company", required=True,
        states=_draft)
    name = fields.Char("Name", required=True, states=_draft,
        help="As the agenda names it: \"Warrant List, November 2026\".")
    start_date = fields.Date("From", required=True, states=_draft)
    end_date = fields.Date("To", required=True, states=_draft,
        domain=[('end_date', '>=', Eval('start_date', None))])
    agenda_date = fields.Date("Agenda Date", states=_draft,
        help="The Board meeting it is presented at.")
    certification = fields.Text("Certification", required=True,
        states=_draft,
        help="The finance officer's certification, printed above the "
        "signature.")
    meeting_date = fields.Date("Meeting Date",
        states={'readonly': Eval('state') != 'presented'},
        help="The meeting at which the Board approved or ratified it.")
    minute_order = fields.Char("Minute Order",
        states={'readonly': Eval('state') != 'presented'},
        help="The minute order or resolution number of the Board's action.")
    board_action = fields.Selection([
            (None, ""),
            ('approved', "Approved"),
            ('ratified', "Ratified"),
            ], "Board Action", readonly=True,
        help="Approved before the warrants were paid, ratified after.")
    lines = fields.One2Many('water.warrant.list.line', 'warrant_list',
        "Warrants", readonly=True)
    total = fields.Function(fields.Numeric("Total", **MONEY), 'get_total')
    prepared_by = employee_field("Prepared By", states=_stamp_states)
    certified_by = employee_field("Certified By", states=_stamp_states)
    recorded_by = employee_field("Board Action Recorded By",
        states=_stamp_states)
    closed_by = employee_field("Closed By", states=_stamp_states)
    csv_file = fields.Function(fields.Binary("CSV", filename='csv_filename'),
        'get_csv')
    csv_filename = fields.Function(fields.Char("CSV File Name"), 'get_csv')
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    del _draft, _stamp_states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('end_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'presented'),
            ('presented', 'approved'),
            ('presented', 'ratified'),
            ('approved', 'closed'),
            ('ratified', 'closed'),
            }
        shown = {'depends': ['state']}
        cls._buttons.update({
                'compute': {**shown,
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh'},
                'present': {**shown,
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward'},
                'approve': {**shown,
                    'invisible': Eval('state') != 'presented',
                    'icon': 'tryton-ok'},
                'ratify': {**shown,
                    'invisible': Eval('state') != 'presented',
                    'icon': 'tryton-ok'},
                'close': {**shown,
                    'invisible': ~Eval('state').in_(['approved', 'ratified']),
                    'icon': 'tryton-close'},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_certification(cls):
        return CERTIFICATION

    def get_total(self, name):
        return sum((l.amount for l in self.lines), Decimal(0))

    def get_csv(self, name):
        if name == 'csv_filename':
            return f'warrant-list-{self.end_date:%Y-%m}-{self.id}.csv'
        return csv_text(self.csv_rows()).encode('utf-8')

    def csv_rows(self):
        kinds = dict(KINDS)
        return [(kinds[l.kind], l.number, l.date,
                l.party.rec_name if l.party else None, l.purpose,
                l.account.rec_name if l.account else None,
                l.fund.rec_name if l.fund else None, l.amount)
            for l in self.lines]

    def totals_by(self, name):
        "[(account or fund, total)] of the lines, by code or name"
        return sorted(((k, t) for k, t in totals(
                        self.lines, lambda l: getattr(l, name))),
            key=lambda i: i[0].rec_name)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and values.keys() & BOARD_FIELDS:
            for record in records:
                if record.state not in {'draft', 'presented'}:
                    cls._raise_sealed(record, values.keys() & BOARD_FIELDS)

    @classmethod
    def _employee(cls, warrant_list):
        "The user's employee, who signs; refused without one"
        employee = Pool().get('res.user')(Transaction().user).employee
        if not employee:
            raise WarrantListError(gettext(
                    'water_finance.msg_warrant_list_no_employee',
                    list=warrant_list.rec_name))
        return employee

    def rows(self):
        """The list's lines as computed now; refused naming what is not
        yet processed in its dates"""
        payments, runs = unprocessed(
            self.company, self.start_date, self.end_date)
        if payments or runs:
            raise WarrantListError(gettext(
                    'water_finance.msg_warrant_list_unprocessed',
                    list=self.rec_name,
                    records=', '.join(r.rec_name for r in (
                            payments + runs)[:10])))
        listed, funds = listed_warrants(self.company, exclude=self), {}
        return [*vendor_rows(self.company, self.start_date, self.end_date,
                listed, funds),
            *void_rows(self.company, self.start_date, self.end_date,
                listed, funds),
            *payroll_rows(self.company, self.start_date, self.end_date,
                listed, funds)]

    @classmethod
    @ModelView.button
    def compute(cls, lists):
        pool = Pool()
        Line = pool.get('water.warrant.list.line')
        for warrant_list in lists:
            if warrant_list.state != 'draft':
                cls._raise_sealed(warrant_list, {'lines'})
        cls.lock(lists)
        Line.delete([l for w in lists for l in w.lines])
        lines = []
        for warrant_list in lists:
            for sequence, row in enumerate(warrant_list.rows(), 1):
                lines.append(Line(warrant_list=warrant_list,
                        sequence=sequence, **row))
            warrant_list.prepared_by = cls._employee(warrant_list)
        Line.save(lines)
        cls.save(lists)

    @staticmethod
    def _compared(rows):
        return sorted((r['warrant'], r['kind'], r['number'], r['date'],
                r['party'], r['account'], r['amount']) for r in rows)

    @classmethod
    @ModelView.button
    @Workflow.transition('presented')
    def present(cls, lists):
        "Certify and present: as computed, by someone who did not compute it"
        Line = Pool().get('water.warrant.list.line')
        # one list presented at a time: a warrant is on one list only
        cls.lock()
        for warrant_list in lists:
            employee = cls._employee(warrant_list)
            cls._check_presentable(warrant_list, employee)
            current = warrant_list.rows()
            lines = [Line.row_of(l) for l in warrant_list.lines]
            if cls._compared(current) != cls._compared(lines):
                raise WarrantListError(gettext(
                        'water_finance.msg_warrant_list_stale',
                        list=warrant_list.rec_name))
            warrant_list.certified_by = employee
        cls.save(lists)

    @classmethod
    def _check_presentable(cls, warrant_list, employee):
        if not warrant_list.lines:
            raise WarrantListError(gettext(
                    'water_finance.msg_warrant_list_empty',
                    list=warrant_list.rec_name))
        if not warrant_list.agenda_date:
            raise WarrantListError(gettext(
                    'water_finance.msg_warrant_list_agenda',
                    list=warrant_list.rec_name))
        if employee == warrant_list.prepared_by:
            raise WarrantListError(gettext(
                    'water_finance.msg_warrant_list_own',
                    list=warrant_list.rec_name,
                    employee=employee.rec_name))

    @classmethod
    def _record_board(cls, lists, action):
        for warrant_list in lists:
            if not warrant_list.meeting_date or not warrant_list.minute_order:
                raise WarrantListError(gettext(
                        'water_finance.msg_warrant_list_board',
                        list=warrant_list.rec_name))
            warrant_list.recorded_by = cls._employee(warrant_list)
            warrant_list.board_action = action
        cls.save(lists)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, lists):
        "The Board approved the list before the warrants were paid"
        cls._record_board(lists, 'approved')

    @classmethod
    @ModelView.button
    @Workflow.transition('ratified')
    def ratify(cls, lists):
        "The Board ratified warrants already paid"
        cls._record_board(lists, 'ratified')

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, lists):
        "Closed when every warrant on it is paid or voided"
        for warrant_list in lists:
            unpaid = {l.payment for l in warrant_list.lines
                if l.payment and l.payment.state == 'processing'}
            if unpaid:
                raise WarrantListError(gettext(
                        'water_finance.msg_warrant_list_unpaid',
                        list=warrant_list.rec_name,
                        payments=', '.join(sorted(
                                p.rec_name for p in unpaid))))
            warrant_list.closed_by = cls._employee(warrant_list)
        cls.save(lists)

    @classmethod
    def copy(cls, lists, default=None):
        default = dict(default or {})
        default.setdefault('lines', None)
        default.setdefault('meeting_date', None)
        default.setdefault('minute_order', None)
        return super().copy(lists, default=default)


class WarrantLine(ComputedMixin, SealedLineMixin, ModelSQL, ModelView):
    "Warrant"
    __name__ = 'water.warrant.list.line'
    _computed_message = 'water_finance.msg_warrant_line_computed'
    _sealed_parent = 'warrant_list'
    _sealed_message = 'water_finance.msg_warrant_list_sealed'

    warrant_list = fields.Many2One('water.warrant.list', "Warrant List",
        required=True, ondelete='CASCADE', readonly=True)
    sequence = fields.Integer("Sequence", readonly=True)
    warrant = fields.Char("Warrant", required=True, readonly=True,
        help="What the Board approves once: a payment under its number, "
        "a void, a pay run's total of an account.")
    kind = fields.Selection(KINDS, "Type", required=True, readonly=True)
    number = fields.Char("Number", readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    party = fields.Many2One('party.party', "Payee", readonly=True)
    purpose = fields.Char("Purpose", readonly=True)
    account = fields.Many2One('account.account', "Account", readonly=True)
    fund = fields.Many2One('account.account', "Fund", readonly=True)
    amount = fields.Numeric("Amount", required=True, readonly=True, **MONEY)
    payment = fields.Many2One('account.payment', "Payment", readonly=True,
        ondelete='RESTRICT')
    check_void = fields.Many2One('water.check.void', "Void", readonly=True,
        ondelete='RESTRICT')
    payroll_run = fields.Many2One('payroll.run', "Pay Run", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('warrant_list', 'DESC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.warrant_list.rec_name} {self.number or ""}'.strip()

    @staticmethod
    def row_of(line):
        "The line as `warrant_source` computes it"
        return {
            'warrant': line.warrant, 'kind': line.kind,
            'number': line.number, 'date': line.date,
            'party': line.party.id if line.party else None,
            'account': line.account.id if line.account else None,
            'amount': line.amount,
            }


class WarrantListReport(DistrictReport):
    "Warrant List, in the Board packet's style"
    __name__ = 'water.warrant.list.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['kinds'] = dict(KINDS)
        return context
