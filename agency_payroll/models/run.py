# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A pay run: the slips of one pay period (slip.py), computed, approved by
someone else, posted to the ledger and paid by an ACH file (nacha.py)."""
import datetime as dt
from decimal import Decimal

from sql.aggregate import Count, Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .. import nacha
from ..exceptions import PayrollError
from .employee import SCHEDULES, approving_employee
from .sealed import PayrollSealed
from .slip import MONEY, ZERO

RUN_STATES = ['draft', 'computed', 'approved', 'posted', 'paid']


class Run(PayrollSealed, Workflow, ModelSQL, ModelView):
    "A pay run: the slips of one pay date, from hours to posted entry"
    __name__ = 'payroll.run'
    # Approved, the run is the register the finance manager signed: it
    # changes only by voiding a slip (which opens a correction run).
    _sealed_states = frozenset({'approved', 'posted', 'paid'})
    _workflow_fields = frozenset({
            'state', 'computed_by', 'approved_by', 'posted_by', 'move',
            'payment_move', 'ach_file', 'ach_filename'})
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    name = fields.Char("Name", required=True, states=_states)
    kind = fields.Selection([
            ('regular', "Regular"),
            ('correction', "Correction"),
            ], "Kind", required=True, states=_states,
        help="A correction run reissues voided slips.")
    schedule = fields.Selection(
        SCHEDULES, "Pay Schedule", required=True, states=_states)
    period_start = fields.Date("Period Start", required=True, states=_states)
    period_end = fields.Date(
        "Period End", required=True, states=_states,
        domain=[('period_end', '>=', Eval('period_start', None))])
    pay_date = fields.Date("Pay Date", required=True, states=_states)
    employees = fields.Many2Many(
        'payroll.run-company.employee', 'run', 'employee',
        "Only Employees", states=_states,
        help="Empty for every employee on the pay schedule.")
    slips = fields.One2Many('payroll.slip', 'run', "Slips", readonly=True)
    move = fields.Many2One('account.move', "Journal Entry", readonly=True)
    payment_move = fields.Many2One(
        'account.move', "Payment Entry", readonly=True)
    ach_file = fields.Binary(
        "Direct-Deposit File", filename='ach_filename', readonly=True)
    ach_filename = fields.Char("File Name", readonly=True)
    computed_by = employee_field("Computed By", states=RUN_STATES)
    approved_by = employee_field("Approved By", states=RUN_STATES)
    posted_by = employee_field("Posted By", states=RUN_STATES)
    gross = fields.Function(fields.Numeric("Gross", **MONEY), 'get_totals')
    net = fields.Function(fields.Numeric("Net", **MONEY), 'get_totals')
    employer_cost = fields.Function(
        fields.Numeric("Employer Costs", **MONEY), 'get_totals')
    slip_count = fields.Function(fields.Integer("Slips"), 'get_totals')
    state = fields.Selection([
            ('draft', "Draft"),
            ('computed', "Computed"),
            ('approved', "Approved"),
            ('posted', "Posted"),
            ('paid', "Paid"),
            ], "State", readonly=True, required=True, sort=False)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('pay_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'computed'),
            ('computed', 'computed'),
            ('computed', 'draft'),
            ('computed', 'approved'),
            ('approved', 'computed'),
            ('approved', 'posted'),
            ('posted', 'paid'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'compute': {
                    'invisible': ~Eval('state').in_(['draft', 'computed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'computed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'pay': {
                    'invisible': Eval('state') != 'posted',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'regular'

    @classmethod
    def default_schedule(cls):
        return 'biweekly'

    @classmethod
    def get_totals(cls, runs, names):
        pool = Pool()
        Slip = pool.get('payroll.slip')
        slip = Slip.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {r.id: None if n != 'slip_count' else 0 for r in runs}
            for n in names}
        for sub in grouped_slice(runs):
            cursor.execute(*slip.select(
                    slip.run, Sum(slip.gross), Sum(slip.net),
                    Sum(slip.employer_cost), Count(slip.id),
                    where=reduce_ids(slip.run, [r.id for r in sub])
                    & (slip.state == 'done'),
                    group_by=[slip.run]))
            for run_id, gross, net, employer, count in cursor:
                values = {
                    'gross': gross, 'net': net, 'employer_cost': employer,
                    'slip_count': count}
                for name in names:
                    value = values[name]
                    if name != 'slip_count' and value is not None:
                        value = Decimal(str(value)).quantize(
                            Decimal('0.01'))
                    result[name][run_id] = value
        return result

    @classmethod
    def delete(cls, runs):
        Slip = Pool().get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])
        super().delete(runs)

    @staticmethod
    def _employee():
        User = Pool().get('res.user')
        employee = User(Transaction().user).employee
        return employee.id if employee else None

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        Slip = Pool().get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def compute(cls, runs):
        "Compute every slip of the runs again from hours, rates and elections"
        pool = Pool()
        Slip = pool.get('payroll.slip')
        Slip.delete([s for r in runs for s in r.slips])
        for run in runs:
            Slip.compute_run(run)
        cls.write(runs, {'computed_by': cls._employee()})

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, runs):
        for run in runs:
            if not run.slips:
                raise PayrollError(gettext(
                        'agency_payroll.msg_run_empty', run=run.rec_name))
        # The approval is the control over the run: it is signed, and
        # not by whoever computed it.
        approver = approving_employee()
        for run in runs:
            if run.computed_by == approver:
                raise PayrollError(gettext(
                        'agency_payroll.msg_approve_own_run',
                        run=run.rec_name, employee=approver.rec_name))
        cls.write(runs, {'approved_by': approver.id})

    @classmethod
    @ModelView.button
    @Workflow.transition('computed')
    def reject(cls, runs):
        cls.write(runs, {'approved_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, runs):
        "Post one journal entry per run"
        pool = Pool()
        Move = pool.get('account.move')
        Slip = pool.get('payroll.slip')
        moves = []
        for run in runs:
            slips = [s for s in run.slips if s.state == 'done']
            moves.append(run.get_move(
                    Slip.posting(slips), run.pay_date,
                    gettext('agency_payroll.msg_move_description',
                        run=run.rec_name)))
        Move.save(moves)
        Move.post(moves)
        for run, move in zip(runs, moves):
            run.move = move
            run.posted_by = cls._employee()
        cls.save(runs)

    def get_move(self, postings, date, description, origin=None):
        "Return an unsaved move of `postings` {(account, party, text): amount}"
        pool = Pool()
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        Configuration = pool.get('payroll.configuration')
        config = Configuration(1)
        journal = config.require('journal')
        lines = []
        for (account, party, text), amount in sorted(
                postings.items(),
                key=lambda i: (-(i[1] > 0), i[0][0].code or '', i[0][2])):
            if not amount:
                continue
            line = MoveLine(
                account=account, description=text,
                debit=amount if amount > 0 else ZERO,
                credit=-amount if amount < 0 else ZERO)
            if account.party_required:
                line.party = party
            lines.append(line)
        balance = sum(l.debit - l.credit for l in lines)
        if balance:
            raise PayrollError(gettext(
                    'agency_payroll.msg_move_unbalanced',
                    run=self.rec_name, balance=balance))
        return Move(
            company=self.company, journal=journal,
            period=Period.find(self.company, date=date), date=date,
            description=description, origin=origin or self, lines=lines)

    @classmethod
    @ModelView.button
    @Workflow.transition('paid')
    def pay(cls, runs):
        """Pay the runs: one entry moving net pay to the bank, the
        direct-deposit file for the bank and check numbers for the rest"""
        pool = Pool()
        Configuration = pool.get('payroll.configuration')
        Move = pool.get('account.move')
        Slip = pool.get('payroll.slip')
        config = Configuration(1)
        for name in ['net_pay_account', 'bank_account']:
            config.require(name)
        moves = []
        for run in runs:
            slips = [s for s in run.slips if s.state == 'done']
            net = sum((s.net for s in slips), ZERO)
            text = gettext('agency_payroll.msg_payment_description',
                run=run.rec_name)
            moves.append(run.get_move({
                        (config.net_pay_account, None, text): net,
                        (config.bank_account, None, text): -net,
                        }, run.pay_date, text))
            deposits = []
            for slip in slips:
                if slip.deposits:
                    for deposit in slip.deposits:
                        deposits.append(nacha.Deposit(
                                routing=deposit.routing,
                                account=deposit.number,
                                amount=deposit.amount,
                                name=slip.employee.party.name,
                                identification=str(slip.employee.id),
                                savings=deposit.kind == 'savings'))
                elif slip.net:
                    slip.check_number = str(config.next_check_number)
                    config.next_check_number += 1
            if deposits:
                run.ach_file = run.ach_text(config, deposits).encode('ascii')
                run.ach_filename = f'payroll-{run.pay_date:%Y%m%d}.ach'
            Slip.save(slips)
        config.save()
        Move.save(moves)
        Move.post(moves)
        for run, move in zip(runs, moves):
            run.payment_move = move
        cls.save(runs)

    def ach_text(self, config, deposits):
        arguments = config.ach_file_arguments(self.company)
        try:
            return nacha.ppd_file(
                deposits, **arguments,
                effective_date=self.pay_date,
                created=dt.datetime.combine(
                    Pool().get('ir.date').today(), dt.time(0, 0)))
        except nacha.NachaError as exception:
            raise PayrollError(gettext(
                    'agency_payroll.msg_ach_refused',
                    run=self.rec_name, reason=str(exception)))


class RunEmployee(ModelSQL):
    "Employee of a pay run"
    __name__ = 'payroll.run-company.employee'
    run = fields.Many2One(
        'payroll.run', "Run", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['payroll.run', 'payroll.slip']
