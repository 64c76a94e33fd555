# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Paying supplier bills: Tryton's payments (account_payment), their checks
(account_payment_check) and their clearing entries
(account_payment_clearing), held to the district's rules.

- A payment pays a supplier bill approved for payment and not held; it is
  submitted by who prepared the run and approved by another employee.
- A payment that has left draft is sealed: from outside (JSON-RPC) nothing
  of it is written, and its workflow fields (state, stamps, group, check
  number, clearing entry) are never written from outside.
- An ACH journal writes the batch's NACHA CCD file, through the writer
  payroll uses (agency_payroll.nacha), from payroll's ACH settings.
- A check journal numbers checks from its strict sequence; a number is used
  once (printed or voided); positive pay lists the checks issued and voided
  in the bank's layout (`positive_pay`).
- Success posts the clearing entry (the bill's payable against the cash
  account) at once, failure (a check voided and not reissued) its
  reversal."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from agency_payroll import nacha

from ..exceptions import PaymentRefused, PaymentRunError
from ..positive_pay import (
    AMOUNT_STYLES, DEFAULT_LAYOUT, IssuedCheck, PositivePayError,
    layout_columns, positive_pay_csv)
from .invoice import PAYABLE_MATCH

# Set by Tryton's transitions and this module's code only
PAYMENT_WORKFLOW = frozenset({
        'state', 'submitted_by', 'approved_by', 'succeeded_by', 'failed_by',
        'group', 'check_number', 'clearing_move'})
GROUP_WORKFLOW = frozenset({'check_printed', 'ach_file', 'ach_filename'})
_check_only = {'invisible': Eval('process_method') != 'check'}


class PaymentJournal(metaclass=PoolMeta):
    __name__ = 'account.payment.journal'

    positive_pay_account = fields.Char("Positive Pay Account",
        states=_check_only,
        help="The district's account number as the bank's positive pay "
        "file names it.")
    positive_pay_layout = fields.Char("Positive Pay Columns",
        states=_check_only,
        help="The columns of the bank's positive pay file, in order, "
        "separated by commas: account, number, date, amount, payee, status.")
    positive_pay_date_format = fields.Char("Positive Pay Date Format",
        states=_check_only, help="As strftime writes it: %m/%d/%Y.")
    positive_pay_amounts = fields.Selection([
            ('dollars', "Dollars and Cents (1234.50)"),
            ('cents', "Cents (123450)"),
            ], "Positive Pay Amounts", states=_check_only)
    positive_pay_header = fields.Boolean("Positive Pay Header Row",
        states=_check_only)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.process_method.selection.append(('ach', "ACH (NACHA CCD)"))

    @classmethod
    def default_positive_pay_layout(cls):
        return DEFAULT_LAYOUT

    @classmethod
    def default_positive_pay_date_format(cls):
        return '%m/%d/%Y'

    @classmethod
    def default_positive_pay_amounts(cls):
        return 'dollars'

    @classmethod
    def default_positive_pay_header(cls):
        return True

    @classmethod
    def validate_fields(cls, journals, field_names):
        super().validate_fields(journals, field_names)
        for journal in journals:
            if journal.process_method != 'check':
                continue
            try:
                layout_columns(journal.positive_pay_layout)
                dt.date(2026, 12, 31).strftime(
                    journal.positive_pay_date_format or '')
                assert journal.positive_pay_amounts in AMOUNT_STYLES
            except (PositivePayError, ValueError, AssertionError) as error:
                raise ValidationError(gettext(
                        'water_finance.msg_positive_pay_layout',
                        journal=journal.rec_name, reason=str(error)))


class PaymentGroup(metaclass=PoolMeta):
    __name__ = 'account.payment.group'

    ach_file = fields.Binary("ACH File", filename='ach_filename',
        readonly=True,
        states={'invisible': Eval('process_method') != 'ach'})
    ach_filename = fields.Char("ACH File Name", readonly=True,
        states={'invisible': True})
    positive_pay_file = fields.Function(fields.Binary("Positive Pay File",
            filename='positive_pay_filename', states=_check_only),
        'get_positive_pay')
    positive_pay_filename = fields.Function(fields.Char(
            "Positive Pay File Name", states={'invisible': True}),
        'get_positive_pay')

    @classmethod
    def check_modification(cls, mode, groups, values=None, external=False):
        super().check_modification(
            mode, groups, values=values, external=external)
        if external and mode == 'write' and (
                forged := set(values) & GROUP_WORKFLOW):
            raise AccessError(gettext('water_finance.msg_payment_group_files',
                    group=groups[0].rec_name,
                    fields=', '.join(sorted(forged))))

    @classmethod
    @ModelView.button
    def succeed(cls, groups):
        "Mark the batches paid, but for the payments whose check was voided"
        Payment = Pool().get('account.payment')
        Payment.succeed([p for g in groups for p in g.payments
                if not p.check_voided()])

    def process_ach(self):
        "Write the batch's CCD file for the bank"
        pool = Pool()
        Configuration = pool.get('payroll.configuration')
        Date = pool.get('ir.date')
        config = Configuration(1)
        payments = sorted(self.payments, key=lambda p: p.number)
        deposits = []
        for payment in payments:
            vendor = payment.party
            if not (vendor.ach_routing and vendor.ach_account):
                raise PaymentRunError(gettext(
                        'water_finance.msg_payment_ach_account',
                        payment=payment.rec_name, vendor=vendor.rec_name))
            deposits.append(nacha.Deposit(
                    routing=vendor.ach_routing, account=vendor.ach_account,
                    amount=payment.amount, name=vendor.name,
                    identification=payment.number,
                    savings=bool(vendor.ach_savings)))
        arguments = config.ach_file_arguments(self.company)
        try:
            text = nacha.ccd_file(deposits, **arguments,
                effective_date=min(p.date for p in payments),
                created=dt.datetime.combine(Date.today(), dt.time(0, 0)))
        except nacha.NachaError as error:
            raise PaymentRunError(gettext(
                    'water_finance.msg_payment_ach_refused',
                    group=self.rec_name, reason=str(error)))
        self.ach_file = text.encode('ascii')
        self.ach_filename = f'vendors-{self.number}.ach'
        self.save()

    def positive_pay_checks(self):
        "The checks of the group the bank is told of: issued and voided"
        account = self.journal.positive_pay_account or ''
        checks = []
        for payment in self.payments:
            payee = payment.party.name
            voided = {v.check_number for v in payment.check_voids}
            for number in sorted(voided):
                checks.append(IssuedCheck(account, number,
                        payment.date, payment.amount, payee, void=True))
            if payment.check_number and payment.check_number not in voided:
                checks.append(IssuedCheck(account, payment.check_number,
                        payment.date, payment.amount, payee,
                        void=payment.state == 'failed'))
        return sorted(checks, key=lambda c: (len(c.number), c.number))

    @classmethod
    def get_positive_pay(cls, groups, names):
        files = {g.id: None for g in groups}
        filenames = dict(files)
        for group in groups:
            if group.process_method != 'check' or not group.check_printed:
                continue
            journal = group.journal
            text = positive_pay_csv(group.positive_pay_checks(),
                layout=journal.positive_pay_layout or DEFAULT_LAYOUT,
                date_format=journal.positive_pay_date_format or '%m/%d/%Y',
                amount_style=journal.positive_pay_amounts or 'dollars',
                header=journal.positive_pay_header)
            files[group.id] = text.encode('utf-8')
            filenames[group.id] = f'positive-pay-{group.number}.csv'
        result = {'positive_pay_file': files,
            'positive_pay_filename': filenames}
        return {n: result[n] for n in names}


class Payment(metaclass=PoolMeta):
    __name__ = 'account.payment'

    check_voids = fields.One2Many('water.check.void', 'payment',
        "Voided Checks", readonly=True,
        states={'invisible': Eval('process_method') != 'check'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(
            ('check_number_unique', Unique(t, t.journal, t.check_number),
                'water_finance.msg_check_number_unique'))
        cls._buttons.update({
                'void_check': {
                    'invisible': (
                        (Eval('process_method') != 'check')
                        | ~Eval('check_number')
                        | ~Eval('state').in_(['processing', 'succeeded'])),
                    'depends': ['process_method', 'check_number', 'state'],
                    },
                })

    @classmethod
    def process_method_with_group(cls):
        return super().process_method_with_group() + ['ach']

    @classmethod
    def copy(cls, payments, default=None):
        default = dict(default or {})
        default.setdefault('check_number')
        default.setdefault('check_voids')
        return super().copy(payments, default=default)

    @classmethod
    def check_modification(cls, mode, payments, values=None, external=False):
        super().check_modification(
            mode, payments, values=values, external=external)
        if not external:
            return
        if mode == 'create':
            forged = {n for n in PAYMENT_WORKFLOW - {'state'}
                for p in payments if getattr(p, n, None)}
            if any(p.state != 'draft' for p in payments):
                forged.add('state')
        elif mode == 'write':
            forged = set(values) & PAYMENT_WORKFLOW
            if not forged:
                for payment in payments:
                    if payment.state != 'draft':
                        raise AccessError(gettext(
                                'water_finance.msg_payment_sealed',
                                payment=payment.rec_name,
                                fields=', '.join(sorted(values))))
        else:
            forged = set()
        if forged:
            raise AccessError(gettext('water_finance.msg_payment_workflow',
                    payment=payments[0].rec_name if payments[0].id else '',
                    fields=', '.join(sorted(forged))))

    def paid_bill(self):
        "The supplier bill the payment pays, or None"
        Invoice = Pool().get('account.invoice')
        if self.line and isinstance(self.line.move.origin, Invoice):
            return self.line.move.origin

    @classmethod
    def check_bills_approved(cls, payments):
        "Refuse a payable payment of anything but a bill approved for payment"
        for payment in payments:
            if payment.kind != 'payable':
                continue
            bill = payment.paid_bill()
            if (not bill or bill.type != 'in'
                    or not bill.payment_approved_by
                    or bill.match_state not in PAYABLE_MATCH):
                raise PaymentRefused(gettext(
                        'water_finance.msg_payment_bill_unapproved',
                        payment=payment.rec_name,
                        bill=bill.rec_name if bill else '-'))
            if payment.line.payment_amount < 0:
                raise PaymentRefused(gettext(
                        'water_finance.msg_payment_overpays',
                        payment=payment.rec_name, bill=bill.rec_name))

    def check_voided(self):
        "Whether the payment's check number was voided (not reissued)"
        return bool(self.check_number) and self.check_number in {
            v.check_number for v in self.check_voids}

    @classmethod
    def check_not_voided(cls, payments):
        "Refuse paying again a payment whose check was voided"
        for payment in payments:
            if payment.check_voided():
                raise PaymentRefused(gettext(
                        'water_finance.msg_payment_check_voided',
                        payment=payment.rec_name,
                        number=payment.check_number))

    @classmethod
    def check_approver(cls, payments):
        "Refuse an approver who prepared the payment or has no employee"
        User = Pool().get('res.user')
        user = User(Transaction().user)
        employee = user.employee
        for payment in payments:
            if not employee:
                reason = 'msg_payment_approve_no_employee'
            elif (payment.create_uid == user
                    or payment.submitted_by == employee):
                reason = 'msg_payment_approve_own'
            else:
                continue
            raise PaymentRefused(gettext(f'water_finance.{reason}',
                    payment=payment.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, payments):
        cls.check_bills_approved(payments)
        super().submit(payments)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, payments):
        cls.check_bills_approved(payments)
        cls.check_approver([p for p in payments if p.kind == 'payable'])
        super().approve(payments)

    @classmethod
    @ModelView.button
    @Workflow.transition('succeeded')
    def succeed(cls, payments):
        cls.check_not_voided(payments)
        super().succeed(payments)
        cls.post_clearing([str(p) for p in payments])

    @classmethod
    @ModelView.button
    @Workflow.transition('processing')
    def proceed(cls, payments):
        cls.check_not_voided(payments)
        super().proceed(payments)

    @classmethod
    @ModelView.button
    @Workflow.transition('failed')
    def fail(cls, payments):
        # the reversal of a posted clearing entry has that entry as origin
        cleared = [str(p.clearing_move) for p in payments if p.clearing_move]
        super().fail(payments)
        cls.post_clearing([str(p) for p in payments] + cleared)

    @classmethod
    def post_clearing(cls, origins):
        "Post the draft entries of `origins`: clearing entries, reversals"
        Move = Pool().get('account.move')
        moves = Move.search([
                ('origin', 'in', origins),
                ('state', '=', 'draft'),
                ])
        if moves:
            Move.post(moves)

    @classmethod
    @ModelView.button_action('water_finance.wizard_check_void')
    def void_check(cls, payments):
        pass

    @classmethod
    def check_numbers_free(cls, journal, numbers, printed=True):
        """Refuse check numbers of `journal` voided, or already printed
        unless `printed` is false (numbers just given to the payments)"""
        CheckVoid = Pool().get('water.check.void')
        numbers = list(numbers)
        used = cls.search([
                ('journal', '=', journal.id),
                ('check_number', 'in', numbers),
                ], limit=1) if printed else []
        voided = CheckVoid.search([
                ('journal', '=', journal.id),
                ('check_number', 'in', numbers),
                ], limit=1)
        if used or voided:
            number = used[0].check_number if used else voided[0].check_number
            raise PaymentRefused(gettext(
                    'water_finance.msg_check_number_used',
                    number=number, journal=journal.rec_name,
                    record=(used or voided)[0].rec_name))


class PaymentCheckPrint(metaclass=PoolMeta):
    __name__ = 'account.payment.check.print'

    def do_print_(self, action):
        Payment = Pool().get('account.payment')
        group = self.record
        if (group.process_method == 'check' and not group.check_printed
                and not group.journal.check_sequence):
            padding = len(self.number.start_number)
            start = int(self.number.start_number)
            Payment.check_numbers_free(group.journal, [
                    f'{n:0>{padding}d}'
                    for n in range(start, start + len(group.payments))])
        result = super().do_print_(action)
        # a sequence set back would draw numbers voided before
        Payment.check_numbers_free(group.journal,
            [p.check_number for p in group.payments], printed=False)
        return result

