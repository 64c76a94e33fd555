# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Tryton's purchase requisition under the district's purchasing policy.

A requisition belongs to a department (the requester's by default).  Its
total decides the authority that approves it (`approval_rules`), and
Approve refuses anyone else: the department's manager up to the
department's limit, the General Manager up to the General Manager's, the
Board above, its meeting date and minute order recorded by the General
Manager or finance.  Nobody approves a requisition they asked for or
entered.  Each approval is kept, signed (`water.purchase.approval`).

Once it leaves draft a requisition is sealed, its lines with it: only
the Board's meeting and minute order are written, and only while it
waits; its state and stamps change only through its buttons."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import RequiredValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedLineMixin, SealedMixin

from ..approval_rules import LEVEL_NAMES, LEVELS, covers, required_level
from ..exceptions import ApprovalRefused

BOARD_FIELDS = frozenset({'board_meeting_date', 'board_minute_order'})


class PurchaseRequisition(SealedMixin, metaclass=PoolMeta):
    __name__ = 'purchase.requisition'
    _sealed_writable = BOARD_FIELDS
    _workflow_fields = frozenset({
            'state', 'approved_by', 'rejected_by', 'total_amount_cache'})
    _sealed_message = 'water_finance.msg_requisition_sealed'
    _workflow_message = 'water_finance.msg_requisition_workflow'

    department = fields.Many2One('payroll.department', "Department",
        states={
            'readonly': Eval('state') != 'draft',
            'required': ~Eval('state').in_(['draft', 'cancelled']),
            },
        help="The department asking; its manager approves up to the "
        "department's limit.")
    approval_level = fields.Function(fields.Selection(
            [(l, LEVEL_NAMES[l]) for l in LEVELS], "Approved By Authority"),
        'get_approval_level')
    board_meeting_date = fields.Date("Board Meeting",
        states={
            'readonly': Eval('state') != 'waiting',
            'invisible': Eval('approval_level') != 'board',
            },
        help="The meeting at which the Board approved the requisition.")
    board_minute_order = fields.Char("Minute Order",
        states={
            'readonly': Eval('state') != 'waiting',
            'invisible': Eval('approval_level') != 'board',
            },
        help="The minute order or resolution number of the Board's "
        "approval.")
    approvals = fields.One2Many('water.purchase.approval', 'requisition',
        "Approvals", readonly=True)

    def is_sealed(self):
        return self.state != 'draft'

    @fields.depends('employee', 'department')
    def on_change_employee(self):
        if self.employee and not self.department:
            self.department = self.employee.department

    @classmethod
    def default_department(cls):
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = cls.default_employee()
        if employee:
            return getattr(Employee(employee).department, 'id', None)

    def get_approval_level(self, name):
        Authority = Pool().get('water.purchase.authority')
        department_limit, general_limit = Authority.limits(
            self.company, self.department)
        return required_level(self.total_amount or 0,
            department_limit, general_limit)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and set(values) & BOARD_FIELDS:
            for requisition in records:
                if requisition.state not in {'draft', 'waiting'}:
                    cls._raise_sealed(requisition,
                        set(values) & BOARD_FIELDS)

    def check_for_waiting(self):
        super().check_for_waiting()
        if not self.department:
            raise RequiredValidationError(gettext(
                    'water_finance.msg_requisition_department_required',
                    requisition=self.rec_name))

    @classmethod
    def copy(cls, requisitions, default=None):
        default = dict(default or {})
        default.setdefault('approvals', None)
        default.setdefault('board_meeting_date', None)
        default.setdefault('board_minute_order', None)
        return super().copy(requisitions, default=default)

    @classmethod
    @ModelView.button
    def approve(cls, requisitions):
        """Approve the waiting `requisitions` the user's authority covers,
        refusing them all if any is not; sign each approval"""
        pool = Pool()
        Approval = pool.get('water.purchase.approval')
        User = pool.get('res.user')
        user = User(Transaction().user)
        approvals = [r.approval_of(user) for r in requisitions
            if r.state == 'waiting']
        super().approve(requisitions)
        Approval.create(approvals)

    def approval_of(self, user):
        """The approval `user` signs for this waiting requisition, or
        ApprovalRefused naming why not"""
        pool = Pool()
        Date = pool.get('ir.date')
        employee = user.employee
        if not employee or employee.company != self.company:
            self._refuse('msg_approval_no_employee', user=user.rec_name)
        if employee == self.employee or user == self.create_uid:
            self._refuse('msg_approval_own', approver=employee.rec_name)
        level = self.approval_level
        if level == 'board':
            if not self._records_board(employee, user):
                self._refuse('msg_approval_board_recorder',
                    approver=employee.rec_name)
            if not (self.board_meeting_date and self.board_minute_order):
                self._refuse('msg_approval_board_missing')
            with Transaction().set_context(company=self.company.id):
                today = Date.today()
            if self.board_meeting_date > today:
                self._refuse('msg_approval_board_future',
                    date=self.board_meeting_date)
        elif not any(covers(held, level) for held in self._held(employee)):
            lang = pool.get('ir.lang').get()
            self._refuse('msg_approval_over_limit',
                approver=employee.rec_name, level=LEVEL_NAMES[level],
                total=lang.currency(self.total_amount, self.currency))
        return {
            'requisition': self.id,
            'level': level,
            'employee': employee.id,
            'user': user.id,
            'approved_at': dt.datetime.now(dt.timezone.utc).replace(
                tzinfo=None),
            'amount': self.total_amount,
            'currency': self.currency.id,
            'board_meeting_date': (
                self.board_meeting_date if level == 'board' else None),
            'board_minute_order': (
                self.board_minute_order if level == 'board' else None),
            }

    def _held(self, employee):
        Authority = Pool().get('water.purchase.authority')
        return Authority.held(employee, self.company, self.department)

    def _records_board(self, employee, user):
        """Whether `employee` (as `user`) may record the Board's approval:
        the General Manager, or finance"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        if 'general_manager' in self._held(employee):
            return True
        finance = ModelData.get_id('water_utility', 'group_finance')
        return finance in {g.id for g in user.groups}

    def _refuse(self, message, **values):
        raise ApprovalRefused(gettext(f'water_finance.{message}',
                requisition=self.rec_name, **values))


class PurchaseRequisitionLine(SealedLineMixin, metaclass=PoolMeta):
    __name__ = 'purchase.requisition.line'
    _sealed_parent = 'requisition'
    _sealed_message = 'water_finance.msg_requisition_line_sealed'

