# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A check voided: its number, why, by whom and when, kept for good.

Void Check (finance) voids a printed check.  Reissued, the payment takes
the next number of the journal's check sequence and the new check prints;
not reissued, the payment fails and its clearing entry is reversed, so the
bill is open again.  Either way the voided number stays on record, on the
warrant list and in the positive pay file, and is never printed again."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from sealing import ComputedMixin

from ..exceptions import PaymentRefused


class CheckVoid(ComputedMixin, ModelSQL, ModelView):
    "Voided Check"
    __name__ = 'water.check.void'
    _computed_message = 'water_finance.msg_check_void_kept'

    payment = fields.Many2One('account.payment', "Payment", required=True,
        readonly=True, ondelete='RESTRICT')
    journal = fields.Many2One('account.payment.journal', "Journal",
        required=True, readonly=True, ondelete='RESTRICT')
    check_number = fields.Char("Check Number", required=True, readonly=True)
    void_date = fields.Date("Void Date", required=True, readonly=True)
    reason = fields.Text("Reason", required=True, readonly=True)
    voided_by = fields.Many2One('company.employee', "Voided By",
        readonly=True)
    reissued_number = fields.Char("Reissued As", readonly=True,
        help="The number of the check printed in its place, if any.")
    payee = fields.Function(fields.Char("Payee"), 'get_payment_field')
    amount = fields.Function(fields.Numeric("Amount", digits=(16, 2)),
        'get_payment_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('void_date', 'DESC'))

    def get_rec_name(self, name):
        return gettext('water_finance.msg_check_void_name',
            number=self.check_number, journal=self.journal.rec_name)

    def get_payment_field(self, name):
        if name == 'payee':
            return self.payment.party.rec_name
        return self.payment.amount

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and values.keys() - {
                    'reissued_number'}):
            raise AccessError(gettext(cls._computed_message,
                    record=records[0].rec_name))


class VoidCheckStart(ModelView):
    "Void Check"
    __name__ = 'water.check.void.start'

    payment = fields.Many2One('account.payment', "Payment", readonly=True)
    check_number = fields.Char("Check Number", readonly=True)
    reason = fields.Text("Reason", required=True,
        help="Why the check is voided: spoiled in the printer, lost in "
        "the mail, stopped at the bank.")
    reissue = fields.Boolean("Reissue",
        help="Print a new check, with the next number, in its place. "
        "Leave unchecked to cancel the payment: the bill is open again.")


class VoidCheck(Wizard):
    "Void Check"
    __name__ = 'water.check.void.wizard'

    start = StateView('water.check.void.start',
        'water_finance.check_void_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Void", 'void', 'tryton-ok', default=True),
            ])
    void = StateTransition()
    print_ = StateAction('water_finance.report_check')

    def default_start(self, fields):
        return {
            'payment': self.record.id,
            'check_number': self.record.check_number,
            'reissue': True,
            }

    def transition_void(self):
        pool = Pool()
        Payment = pool.get('account.payment')
        CheckVoid = pool.get('water.check.void')
        Date = pool.get('ir.date')
        User = pool.get('res.user')
        payment = self.record
        if (payment.process_method != 'check' or not payment.check_number
                or payment.state not in {'processing', 'succeeded'}):
            raise PaymentRefused(gettext(
                    'water_finance.msg_check_void_state',
                    payment=payment.rec_name))
        sequence = payment.journal.check_sequence
        if self.start.reissue and not sequence:
            raise PaymentRefused(gettext(
                    'water_finance.msg_check_void_no_sequence',
                    payment=payment.rec_name,
                    journal=payment.journal.rec_name))
        employee = User(Transaction().user).employee
        void = CheckVoid(payment=payment, journal=payment.journal,
            check_number=payment.check_number,
            void_date=Date.today(), reason=self.start.reason,
            voided_by=employee)
        if self.start.reissue:
            number = sequence.get()
            Payment.check_numbers_free(payment.journal, [number])
            void.reissued_number = number
            void.save()
            payment.check_number = number
            payment.save()
            return 'print_'
        void.save()
        Payment.fail([payment])
        return 'end'

    def do_print_(self, action):
        return action, {'ids': [self.record.id]}
