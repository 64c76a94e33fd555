# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Finance overrides the district's own rules on a turn-off for
nonpayment (district_rules), with its reason: the order keeps the reason
and who gave it.  The statute's rules cannot be overridden."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from ..exceptions import ShutoffRefused


class OverrideStart(ModelView):
    "Why the district's rules do not hold this shut-off back"
    __name__ = 'water.service.order.override.start'

    reason = fields.Text("Reason", required=True,
        help="Kept on the order with your name: the auditor reads it.")


class Override(Wizard):
    "Override the district's rules on a turn-off for nonpayment"
    __name__ = 'water.service.order.override'

    start = StateView('water.service.order.override.start',
        'water_collection.override_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Override", 'override', 'tryton-ok', default=True),
            ])
    override = StateTransition()

    def transition_override(self):
        for order in self.records:
            if (order.type != 'turn_off' or not order.nonpayment
                    or order.state not in {'requested', 'scheduled'}):
                raise ShutoffRefused(gettext(
                        'water_collection.msg_override_not_turn_off',
                        order=order.rec_name))
        # The wizard's groups (finance) got this far; the order is the
        # field's: written for them, stamped with who they are
        with without_check_access():
            self.model.write(list(self.records),
                {'override_reason': self.start.reason})
        return 'end'
