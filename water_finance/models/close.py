# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The period close checklist and its discrepancy finder.

Before Tryton's period is closed, the specialist runs the finder on its
checklist (`close_findings`): each finding names what is wrong, by how
much, and the record to open.  The checklist's items (the billing
register tied out, the reconciliations done, the warrant list approved,
the findings cleared) are told from the findings.  *Close Period* runs
the finder again and closes Tryton's period only when nothing is found;
Tryton's own Close button on a period is refused without it."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.company.model import employee_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import ComputedMixin

from ..exceptions import PeriodCloseError
from .close_findings import findings

KINDS = [
    ('fund_balance', "Fund out of balance"),
    ('receivable', "Customers against receivable control"),
    ('payable', "Vendors against payable control"),
    ('cash', "Cash drawers"),
    ('suspense', "Unidentified receipts"),
    ('duplicate_bill', "Possible duplicate supplier bill"),
    ('draft', "Unposted draft"),
    ('no_warrant', "Payment on no warrant list"),
    ('bank', "Bank reconciliation"),
    ]
# The checklist's items and the kinds of finding that keep each open
ITEMS = {
    'billing_tied_out': {'receivable', 'fund_balance'},
    'reconciliations_done': {'cash', 'bank', 'payable', 'suspense'},
    'warrant_list_approved': {'no_warrant'},
    'findings_cleared': {k for k, _ in KINDS},
    }
RECORD_MODELS = [
    'account.move', 'account.move.line', 'account.invoice',
    'account.payment', 'account.statement', 'water.cash.drawer']


class CloseChecklist(Workflow, ModelSQL, ModelView):
    "Period Close Checklist"
    __name__ = 'water.close.checklist'
    _open = {'readonly': Eval('state') != 'open'}

    company = fields.Many2One('company.company', "Company", required=True,
        states=_open)
    period = fields.Many2One('account.period', "Period", required=True,
        states=_open,
        domain=[('company', '=', Eval('company', -1)),
            ('type', '=', 'standard')])
    draft_days = fields.Integer("Drafts Older Than (Days)", required=True,
        states=_open,
        help="A draft entry or bill entered longer ago than this is a "
        "finding.")
    findings = fields.One2Many('water.close.finding', 'checklist',
        "Findings", readonly=True)
    found_at = fields.DateTime("Last Run", readonly=True)
    found_by = employee_field("Run By", states=['open', 'closed'])
    closed_by = employee_field("Closed By", states=['open', 'closed'])
    billing_tied_out = fields.Function(
        fields.Boolean("Billing Register Tied Out"), 'get_items')
    reconciliations_done = fields.Function(
        fields.Boolean("Reconciliations Done"), 'get_items')
    warrant_list_approved = fields.Function(
        fields.Boolean("Warrant List Approved"), 'get_items')
    findings_cleared = fields.Function(
        fields.Boolean("Findings Cleared"), 'get_items')
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True)
    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(('period_unique',
                Unique(t, t.company, t.period),
                'water_finance.msg_close_checklist_unique'))
        cls._order.insert(0, ('period', 'DESC'))
        cls._transitions |= {('open', 'closed')}
        cls._buttons.update({
                'find': {'invisible': Eval('state') != 'open',
                    'icon': 'tryton-search', 'depends': ['state']},
                'close': {'invisible': Eval('state') != 'open',
                    'icon': 'tryton-close', 'depends': ['state']},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_draft_days(cls):
        return 5

    def get_rec_name(self, name):
        return self.period.rec_name

    @classmethod
    def get_items(cls, checklists, names):
        result = {n: {} for n in names}
        for checklist in checklists:
            kinds = {f.kind for f in checklist.findings}
            for name in names:
                result[name][checklist.id] = bool(checklist.found_at) and (
                    not kinds & ITEMS[name])
        return result

    @classmethod
    def check_modification(cls, mode, checklists, values=None,
            external=False):
        super().check_modification(
            mode, checklists, values=values, external=external)
        forged = {'state', 'found_at', 'found_by', 'closed_by'}
        if external and mode == 'write' and values.keys() & forged:
            raise AccessError(gettext(
                    'water_finance.msg_close_checklist_workflow',
                    checklist=checklists[0].rec_name,
                    fields=', '.join(sorted(values.keys() & forged))))
        if mode in {'write', 'delete'}:
            for checklist in checklists:
                if checklist.state == 'closed':
                    raise AccessError(gettext(
                            'water_finance.msg_close_checklist_closed',
                            checklist=checklist.rec_name))

    @classmethod
    def _employee(cls):
        return Pool().get('res.user')(Transaction().user).employee

    @classmethod
    def run_finder(cls, checklists):
        "Find the discrepancies of each checklist's period, afresh"
        pool = Pool()
        Finding = pool.get('water.close.finding')
        now = dt.datetime.now()
        Finding.delete([f for c in checklists for f in c.findings])
        new = []
        for checklist in checklists:
            for values in findings(checklist.company, checklist.period,
                    checklist.draft_days, now):
                new.append(Finding(checklist=checklist, **values))
            checklist.found_at = now
            checklist.found_by = cls._employee()
        Finding.save(new)
        cls.save(checklists)

    @classmethod
    @ModelView.button
    def find(cls, checklists):
        cls.run_finder(checklists)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, checklists):
        "Close Tryton's period when the finder finds nothing"
        Period = Pool().get('account.period')
        cls.run_finder(checklists)
        for checklist in checklists:
            if checklist.findings:
                raise PeriodCloseError(gettext(
                        'water_finance.msg_close_findings',
                        period=checklist.period.rec_name,
                        count=len(checklist.findings)))
            checklist.closed_by = cls._employee()
        cls.save(checklists)
        with Transaction().set_context(_close_checklist=True):
            Period.close([c.period for c in checklists])


class Finding(ComputedMixin, ModelSQL, ModelView):
    "Discrepancy"
    __name__ = 'water.close.finding'
    _computed_message = 'water_finance.msg_close_finding_computed'

    checklist = fields.Many2One('water.close.checklist', "Checklist",
        required=True, ondelete='CASCADE', readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    description = fields.Text("Finding", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    record = fields.Reference("Record", selection='get_record_models',
        readonly=True, help="Open it to see and put it right.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('checklist', 'DESC'), ('id', 'ASC')]

    @classmethod
    def get_record_models(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m)) for m in RECORD_MODELS]


class Period(metaclass=PoolMeta):
    __name__ = 'account.period'

    @classmethod
    def close(cls, periods):
        "Closed through its checklist only, once nothing is found"
        if not Transaction().context.get('_close_checklist'):
            raise PeriodCloseError(gettext(
                    'water_finance.msg_period_close_checklist',
                    period=periods[0].rec_name if periods else ''))
        super().close(periods)
