# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""How a vendor is paid: by check (the default) or by ACH to the bank
account the vendor gave, checked as payroll checks an employee's."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from agency_payroll.nacha import valid_routing

PAY_BY = [
    ('check', "Check"),
    ('ach', "ACH"),
    ]
_ach_states = {
    'invisible': Eval('vendor_pay_by') != 'ach',
    'required': Eval('vendor_pay_by') == 'ach',
    }


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    vendor_pay_by = fields.Selection(PAY_BY, "Pay By",
        help="How the payment run pays this vendor's bills.")
    ach_routing = fields.Char("ACH Routing Number", size=9,
        states=_ach_states, help="The nine digits of the vendor's bank.")
    ach_account = fields.Char("ACH Account Number", size=17,
        states=_ach_states)
    ach_savings = fields.Boolean("Savings Account",
        states={'invisible': Eval('vendor_pay_by') != 'ach'})
    vendor_1099 = fields.Boolean("1099-NEC Vendor",
        help="Paid for services as a non-employee: the year's payments "
        "go on the 1099-NEC totals.")

    @classmethod
    def default_vendor_pay_by(cls):
        return 'check'

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names is None or field_names & {
                'vendor_pay_by', 'ach_routing', 'ach_account'}:
            for party in parties:
                party.check_ach()

    def check_ach(self):
        "Refuse a bank account an ACH file could not pay"
        if self.ach_routing and not valid_routing(self.ach_routing):
            raise ValidationError(gettext(
                    'water_finance.msg_vendor_routing',
                    vendor=self.rec_name, routing=self.ach_routing))
        if self.vendor_pay_by == 'ach' and not (
                self.ach_routing and (self.ach_account or '').strip()):
            raise ValidationError(gettext(
                    'water_finance.msg_vendor_ach_account',
                    vendor=self.rec_name))
