# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from ..exceptions import ClosedPeriodError, PayrollError
from .employee import approving_employee


class Line(metaclass=PoolMeta):
    __name__ = 'timesheet.line'

    earning_type = fields.Many2One(
        'payroll.earning.type', "Earning Type",
        domain=[('kind', '!=', 'overtime')],
        states={'readonly': Bool(Eval('approved_by'))},
        help="How the hours are paid; empty for regular hours worked.")
    approved_by = fields.Many2One(
        'company.employee', "Approved By", readonly=True,
        help="The supervisor who approved the hours for payroll.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'approve_time': {
                    'invisible': Bool(Eval('approved_by')),
                    'depends': ['approved_by'],
                    },
                })

    @classmethod
    @ModelView.button
    def approve_time(cls, lines):
        employee = approving_employee()
        for line in lines:
            if line.employee == employee:
                raise PayrollError(gettext(
                        'agency_payroll.msg_approve_own_time',
                        employee=employee.rec_name, date=line.date))
        cls.write([l for l in lines if not l.approved_by], {
                'approved_by': employee.id,
                })

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if (mode == 'write' and 'approved_by' not in values
                and values.keys() & {
                    'employee', 'date', 'duration', 'earning_type'}):
            # changed hours need the supervisor's approval again
            values['approved_by'] = None
        return values

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        cls.check_closed_period(lines)

    @classmethod
    def check_closed_period(cls, lines):
        "Refuse hours on a period an employee was already paid for"
        pool = Pool()
        Slip = pool.get('payroll.slip')
        employees = {l.employee.id for l in lines}
        if not employees:
            return
        dates = [l.date for l in lines]
        slips = Slip.search([
                ('employee', 'in', list(employees)),
                ('state', '=', 'done'),
                ('run.state', 'in', ['posted', 'paid']),
                ('run.period_end', '>=', min(dates)),
                ('run.period_start', '<=', max(dates)),
                ])
        closed = {}
        for slip in slips:
            closed.setdefault(slip.employee.id, []).append(slip.run)
        for line in lines:
            for run in closed.get(line.employee.id, []):
                if run.period_start <= line.date <= run.period_end:
                    raise ClosedPeriodError(gettext(
                            'agency_payroll.msg_hours_closed_period',
                            employee=line.employee.rec_name,
                            date=line.date, run=run.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if mode in {'write', 'delete'}:
            cls.check_closed_period(lines)
        # The approval is the supervisor's button, never a written value.
        if external and (
                (mode == 'write' and 'approved_by' in values)
                or (mode == 'create' and any(l.approved_by for l in lines))):
            for line in lines:
                raise AccessError(gettext(
                        'agency_payroll.msg_workflow_field',
                        record=line.rec_name, fields='approved_by'))
