# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Pay Bills: the payment run's proposal.  Every supplier bill approved for
payment, not held, and due by the chosen date gets a payment of what is
left to pay on it, by check or by ACH as its vendor is paid, dated the pay
date and submitted by who ran it.  Finance approves the payments (not who
ran it), processes them into a batch per journal, prints the checks or
sends the ACH file, and marks them paid."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from ..exceptions import PaymentRunError
from .invoice import PAYABLE_MATCH


def bill_lines_due(company, due_by):
    """The payable lines of the approved supplier bills of `company` due by
    `due_by` with something left to pay, by due date and vendor"""
    pool = Pool()
    Line = pool.get('account.move.line')
    Invoice = pool.get('account.invoice')
    lines = Line.search([
            ('move.company', '=', company.id),
            ('account.type.payable', '=', True),
            ('credit', '>', 0),
            ('party', '!=', None),
            ('reconciliation', '=', None),
            ('payment_blocked', '=', False),
            ('maturity_date', '<=', due_by),
            ('move_state', '=', 'posted'),
            ('payment_amount', '>', 0),
            ('move.origin', 'like', 'account.invoice,%'),
            ], order=[('maturity_date', 'ASC'), ('id', 'ASC')])
    return [l for l in lines
        if isinstance(l.move.origin, Invoice)
        and l.move.origin.type == 'in'
        and l.move.origin.payment_approved_by
        and l.move.origin.match_state in PAYABLE_MATCH]


def pay_bills(company, due_by, pay_date, check_journal, ach_journal=None):
    """Propose and submit the payments of the bills due by `due_by`: one a
    bill's line, by its vendor's way of payment; return them"""
    Payment = Pool().get('account.payment')
    lines = bill_lines_due(company, due_by)
    if not lines:
        raise PaymentRunError(gettext('water_finance.msg_pay_bills_none',
                due_by=due_by.strftime('%m/%d/%Y')))
    payments = []
    for line in lines:
        method = line.party.vendor_pay_by or 'check'
        journal = ach_journal if method == 'ach' else check_journal
        if not journal:
            raise PaymentRunError(gettext(
                    'water_finance.msg_pay_bills_journal',
                    vendor=line.party.rec_name,
                    method=method.upper()))
        bill = line.move.origin
        payments.append(Payment(company=company, kind='payable',
                party=line.party, line=line, amount=line.payment_amount,
                date=pay_date, journal=journal,
                reference=bill.reference or bill.number))
    Payment.save(payments)
    Payment.submit(payments)
    return payments


class PayBillsStart(ModelView):
    "Pay Bills"
    __name__ = 'water.payment.pay_bills.start'

    company = fields.Many2One('company.company', "Company", required=True)
    due_by = fields.Date("Bills Due By", required=True,
        help="Every approved bill due on or before this date is paid.")
    pay_date = fields.Date("Pay Date", required=True,
        help="The date of the checks and of the ACH entries.")
    check_journal = fields.Many2One('account.payment.journal',
        "Check Journal", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('process_method', '=', 'check'),
            ])
    ach_journal = fields.Many2One('account.payment.journal', "ACH Journal",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('process_method', '=', 'ach'),
            ],
        help="For the vendors paid by ACH.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_due_by(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_pay_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def _default_journal(cls, method):
        Journal = Pool().get('account.payment.journal')
        journals = Journal.search([
                ('company', '=', Transaction().context.get('company')),
                ('process_method', '=', method),
                ])
        if len(journals) == 1:
            return journals[0].id

    @classmethod
    def default_check_journal(cls):
        return cls._default_journal('check')

    @classmethod
    def default_ach_journal(cls):
        return cls._default_journal('ach')


class PayBills(Wizard):
    "Pay Bills"
    __name__ = 'water.payment.pay_bills'

    start = StateView('water.payment.pay_bills.start',
        'water_finance.pay_bills_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Propose Payments", 'pay', 'tryton-ok', default=True),
            ])
    pay = StateAction('account_payment.act_payment_form')

    def do_pay(self, action):
        payments = pay_bills(self.start.company, self.start.due_by,
            self.start.pay_date, self.start.check_journal,
            self.start.ach_journal)
        return action, {'res_id': [p.id for p in payments]}
