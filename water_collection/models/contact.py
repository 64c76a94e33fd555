# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What a person did at the ladder's telephone and door steps: the call
made to the household (HSC 116908(a)(1)(A): a reasonable, good faith
effort to contact an adult at the residence by telephone) and the final
notice posted at the premise (HSC 116910(b)(2): posted in a prominent
and conspicuous location at the property).  The notice records the day
the ladder reached the step; this records the day it was done, by whom,
and how it went.  After an arrangement defaults the shut-off guard
counts its five business days from the day the final notice was posted
here, not the day it was printed.

A contact is kept as recorded: only its notes change, and none is
deleted."""

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from ..exceptions import ContactError
from .recorded import Recorded

# The outcomes of each kind of contact
OUTCOMES = [
    ('reached', "Reached an Adult"),
    ('message', "Left a Message"),
    ('no_answer', "No Answer"),
    ('bad_number', "Wrong or Disconnected Number"),
    ('posted', "Posted at the Premises"),
    ('not_posted', "Could Not Post"),
    ]
KIND_OUTCOMES = {
    'phone': {'reached', 'message', 'no_answer', 'bad_number'},
    'door': {'posted', 'not_posted'},
    }
# The ladder's step each kind of contact follows
KIND_STEPS = {'phone': 'phone', 'door': 'door_notice'}


class Contact(Recorded, ModelSQL, ModelView):
    "A telephone attempt made, or a door notice posted, for a notice"
    __name__ = 'water.collection.contact'
    _open_fields = frozenset({'notes'})
    _delete_message = _write_message = 'water_collection.msg_contact_sealed'

    notice = fields.Many2One(
        'water.collection.notice', "Notice", required=True,
        ondelete='RESTRICT',
        domain=[('step', 'in', list(KIND_STEPS.values()))],
        states={'readonly': Eval('id', -1) >= 0})
    account = fields.Function(fields.Many2One(
            'water.account', "Account"), 'on_change_with_account',
        searcher='search_account')
    kind = fields.Selection([
            ('phone', "Telephone Attempt"),
            ('door', "Door Notice Posted"),
            ], "Kind", required=True, states={
            'readonly': Eval('id', -1) >= 0})
    date = fields.Date(
        "Date", required=True, states={'readonly': Eval('id', -1) >= 0},
        help="The day the call was made or the notice posted.")
    outcome = fields.Selection(
        OUTCOMES, "Outcome", required=True, sort=False,
        states={'readonly': Eval('id', -1) >= 0})
    phone = fields.Char(
        "Number Called", states={
            'invisible': Eval('kind') != 'phone',
            'required': Eval('kind') == 'phone',
            'readonly': Eval('id', -1) >= 0,
            })
    premise = fields.Many2One(
        'water.premise', "Premises", ondelete='RESTRICT', states={
            'invisible': Eval('kind') != 'door',
            'required': Eval('kind') == 'door',
            'readonly': Eval('id', -1) >= 0,
            })
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @fields.depends('notice')
    def on_change_with_account(self, name=None):
        return self.notice.account if self.notice else None

    @classmethod
    def search_account(cls, name, clause):
        return [('notice.account' + clause[0][len(name):], *clause[1:])]

    @fields.depends('notice', 'kind', 'phone', 'premise')
    def on_change_notice(self):
        if not self.notice:
            return
        self.kind = {s: k for k, s in KIND_STEPS.items()}.get(
            self.notice.step)
        account = self.notice.account
        if not self.phone and account.party.phone:
            self.phone = account.party.phone
        premises = account.notice_premises()
        if not self.premise and premises:
            self.premise = premises[0]

    def get_rec_name(self, name):
        outcome = dict(OUTCOMES).get(self.outcome, '')
        return f'{outcome} {self.date} {self.notice.account.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('notice.account.rec_name', *clause[1:])]

    @classmethod
    def validate_fields(cls, contacts, field_names):
        super().validate_fields(contacts, field_names)
        today = Pool().get('ir.date').today()
        for contact in contacts:
            contact.check_contact(today)

    def check_contact(self, today):
        "Refuse what cannot have happened, naming the account"
        account = self.notice.account.rec_name
        if KIND_STEPS[self.kind] != self.notice.step:
            raise ContactError(gettext(
                    'water_collection.msg_contact_wrong_step',
                    account=account, notice=self.notice.rec_name))
        if self.outcome not in KIND_OUTCOMES[self.kind]:
            raise ContactError(gettext(
                    'water_collection.msg_contact_wrong_outcome',
                    account=account))
        if self.date > today or self.date < self.notice.date:
            raise ContactError(gettext(
                    'water_collection.msg_contact_date',
                    account=account, notice=self.notice.date,
                    today=today))
        premises = self.notice.account.notice_premises()
        if self.kind == 'door' and self.premise not in premises:
            raise ContactError(gettext(
                    'water_collection.msg_contact_premise',
                    account=account))

    @classmethod
    def last_posted(cls, account, since):
        """The day a final notice was last posted at `account`'s premises,
        on or after `since`, or None"""
        contacts = cls.search([
                ('notice.account', '=', account.id),
                ('kind', '=', 'door'),
                ('outcome', '=', 'posted'),
                ('date', '>=', since),
                ], order=[('date', 'DESC')], limit=1)
        return contacts[0].date if contacts else None
