# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What a household has on file against a shut-off: the three papers of
HSC 116910(a) (a primary care provider's certificate, the financial
inability, the willingness to enter an arrangement), which block a
shut-off only together; an appeal or a bill review (HSC 116908(b)),
which blocks it while pending; a household's income under 200% of the
federal poverty line (its interest waived once a year, HSC 116914).
Each has its dates and the user who
recorded it; none is deleted: it ends with its dates."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pyson import Eval, If

from ..exceptions import ProtectionError
from .recorded import Recorded

KINDS = [
    ('medical', "Medical Certificate"),
    ('financial', "Financial Inability"),
    ('willing', "Willing to Arrange"),
    ('appeal', "Appeal"),
    ('bill_review', "Bill Review"),
    ('low_income', "Household under 200% FPL"),
    ]
# The kinds that end with a decision, not a date known in advance
DECIDED = {'appeal', 'bill_review'}
# What may change once recorded: the dates it ends on, and notes
OPEN_FIELDS = frozenset({'valid_until', 'decided_date', 'notes'})


class Protection(Recorded, ModelSQL, ModelView):
    "A paper or request on file that holds a shut-off back"
    __name__ = 'water.collection.protection'
    _open_fields = OPEN_FIELDS
    _delete_message = 'water_collection.msg_protection_delete'
    _write_message = 'water_collection.msg_protection_write'

    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    kind = fields.Selection(
        KINDS, "Kind", required=True, sort=False,
        states={'readonly': Eval('id', -1) >= 0})
    received_date = fields.Date(
        "Received", required=True,
        states={'readonly': Eval('id', -1) >= 0},
        help="The day the office received it (a certificate: the day the "
        "provider signed it).")
    valid_until = fields.Date(
        "Valid Until",
        domain=[If(Eval('valid_until') & Eval('received_date'),
                ('valid_until', '>=', Eval('received_date')), ())],
        states={'invisible': Eval('kind').in_(list(DECIDED))},
        help="The last day it protects the account; a certificate needs "
        "it (the day its period ends).")
    decided_date = fields.Date(
        "Decided",
        domain=[If(Eval('decided_date') & Eval('received_date'),
                ('decided_date', '>=', Eval('received_date')), ())],
        states={'invisible': ~Eval('kind').in_(list(DECIDED))},
        help="The day the appeal or review was decided: pending until "
        "then.")
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received_date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        kind = dict(KINDS)[self.kind] if self.kind else ''
        return f'{kind} {self.account.rec_name if self.account else ""}'

    def active_on(self, day):
        "Whether it protects the account on `day`"
        if self.received_date > day:
            return False
        if self.kind in DECIDED:
            return self.decided_date is None or day < self.decided_date
        return self.valid_until is None or day <= self.valid_until

    @classmethod
    def validate_fields(cls, protections, field_names):
        super().validate_fields(protections, field_names)
        for protection in protections:
            if protection.kind == 'medical' and not (
                    protection.received_date and protection.valid_until):
                raise ProtectionError(gettext(
                        'water_collection.msg_protection_medical_dates',
                        account=protection.account.rec_name))
