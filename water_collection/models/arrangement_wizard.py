# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Set up a payment arrangement from the account: the clerk enters the
terms, sees every installment before anything is saved, then saves it
(signed: in force at once; unsigned: a draft until the customer signs)."""
from decimal import Decimal

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import Button, StateAction, StateTransition, StateView, \
    Wizard

from .arrangement import KINDS


class ArrangementStart(ModelView):
    "Payment Arrangement: its terms"
    __name__ = 'water.collection.arrangement.create.start'

    account = fields.Many2One('water.account', "Account", readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    start_date = fields.Date("First Installment", required=True)
    months = fields.Integer("Months", states={
            'invisible': Eval('kind') == 'reduced',
            'required': Eval('kind') != 'reduced',
            })
    payment = fields.Numeric("Monthly Payment", digits=(16, 2), states={
            'invisible': Eval('kind') != 'reduced',
            'required': Eval('kind') == 'reduced',
            })
    signed_date = fields.Date("Signed",
        help="Leave empty until the customer signs the agreement.")


class ArrangementPreview(ModelView):
    "Payment Arrangement: the schedule"
    __name__ = 'water.collection.arrangement.create.preview'

    account = fields.Many2One('water.account', "Account", readonly=True)
    schedule = fields.Text("Installments", readonly=True)
    total = fields.Numeric("Total", digits=(16, 2), readonly=True)
    signed_date = fields.Date("Signed", readonly=True)


class ArrangementCreate(Wizard):
    "Set Up a Payment Arrangement"
    __name__ = 'water.collection.arrangement.create'

    start = StateView(
        'water.collection.arrangement.create.start',
        'water_collection.arrangement_create_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Show Schedule", 'preview', 'tryton-forward',
                default=True),
            ])
    preview = StateView(
        'water.collection.arrangement.create.preview',
        'water_collection.arrangement_create_preview_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Save", 'save', 'tryton-ok', default=True),
            ])
    save = StateTransition()
    open_ = StateAction('water_collection.act_arrangement_form')

    def default_start(self, fields):
        if getattr(self.start, 'kind', None):
            # Back from the schedule: the terms as the clerk left them
            return self.start._default_values
        today = Pool().get('ir.date').today()
        account = self.record
        balance = account.balance or Decimal(0)
        return {
            'account': account.id, 'balance': balance,
            'kind': 'amortization', 'amount': balance,
            'start_date': today, 'months': 12,
            }

    def arrangement(self):
        "The unsaved arrangement of the terms entered (checked)"
        Arrangement = Pool().get('water.collection.arrangement')
        form = self.start
        arrangement = Arrangement(
            account=self.record, kind=form.kind, amount=form.amount,
            start_date=form.start_date,
            months=form.months if form.kind != 'reduced' else None,
            payment=form.payment if form.kind == 'reduced' else None,
            signed_date=form.signed_date)
        arrangement.check_balance()
        return arrangement

    def default_preview(self, fields):
        schedule = self.arrangement().schedule()
        lines = [f'{due:%m/%d/%Y}  ${amount:,.2f}' for due, amount in schedule]
        return {
            'account': self.record.id,
            'schedule': '\n'.join(lines),
            'total': sum((a for _, a in schedule), Decimal(0)),
            'signed_date': self.start.signed_date,
            }

    def transition_save(self):
        Arrangement = Pool().get('water.collection.arrangement')
        arrangement = self.arrangement()
        arrangement.save()
        if arrangement.signed_date:
            Arrangement.activate([arrangement])
        return 'open_'

    def do_open_(self, action):
        Arrangement = Pool().get('water.collection.arrangement')
        # The one just saved: the account's newest
        arrangement, = Arrangement.search([
                ('account', '=', self.record.id)],
            order=[('id', 'DESC')], limit=1)
        action['res_id'] = [arrangement.id]
        action['views'].reverse()
        return action, {}
