# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An approval of a purchase requisition, signed and kept: the level of
authority it was given under, by whom (user and employee), when, for what
total, and for the Board, the meeting and its minute order.  Only the
requisition's Approve button makes one; nobody writes or deletes it."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary

from sealing import ComputedMixin

from ..approval_rules import LEVEL_NAMES, LEVELS


class Approval(ComputedMixin, ModelSQL, ModelView):
    "A requisition's approval, as it was signed"
    __name__ = 'water.purchase.approval'
    _computed_message = 'water_finance.msg_approval_computed'
    requisition = fields.Many2One('purchase.requisition', "Requisition",
        required=True, readonly=True, ondelete='RESTRICT')
    level = fields.Selection([(l, LEVEL_NAMES[l]) for l in LEVELS],
        "Authority", required=True, readonly=True)
    employee = fields.Many2One('company.employee', "Approved By",
        required=True, readonly=True)
    user = fields.Many2One('res.user', "User", required=True, readonly=True)
    approved_at = fields.Timestamp("Approved At", required=True,
        readonly=True)
    amount = Monetary("Total Approved", currency='currency',
        digits='currency', required=True, readonly=True)
    currency = fields.Many2One('currency.currency', "Currency",
        required=True, readonly=True)
    board_meeting_date = fields.Date("Board Meeting", readonly=True)
    board_minute_order = fields.Char("Minute Order", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('approved_at', 'DESC'))

    def get_rec_name(self, name):
        return f'{self.requisition.rec_name} ({self.employee.rec_name})'
