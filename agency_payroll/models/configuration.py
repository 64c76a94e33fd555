# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, Id

from ..exceptions import PayrollError

_liability = [
    ('type', '!=', None),
    ('closed', '!=', True),
    ('company', '=', Eval('context', {}).get('company', -1)),
    ]


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "How the agency runs payroll: its elections, ledger accounts and bank"
    __name__ = 'payroll.configuration'

    employee_sequence = fields.Many2One(
        'ir.sequence', "Employee Sequence",
        domain=[
            ('sequence_type', '=',
                Id('agency_payroll', 'sequence_type_employee')),
            ],
        help="Numbers new employees.")
    section_218 = fields.Boolean(
        "Section 218 Agreement",
        help="The agency's staff are covered by Social Security under a "
        "Section 218 agreement: Social Security is withheld and matched.")
    sdi_elected = fields.Boolean(
        "SDI Elected",
        help="The agency elected State Disability Insurance coverage: SDI "
        "is withheld.")
    journal = fields.Many2One(
        'account.journal', "Journal",
        help="The journal pay runs post to.")
    net_pay_account = fields.Many2One(
        'account.account', "Net Pay Payable", domain=_liability,
        help="Credited with net pay when a run posts, "
        "debited when it is paid.")
    federal_tax_account = fields.Many2One(
        'account.account', "Federal Withholding Payable", domain=_liability)
    state_tax_account = fields.Many2One(
        'account.account', "California Withholding Payable",
        domain=_liability)
    medicare_account = fields.Many2One(
        'account.account', "Medicare Payable", domain=_liability,
        help="Employee and employer Medicare.")
    social_security_account = fields.Many2One(
        'account.account', "Social Security Payable", domain=_liability)
    sdi_account = fields.Many2One(
        'account.account', "SDI Payable", domain=_liability)
    bank_account = fields.Many2One(
        'account.account', "Payroll Bank Account", domain=_liability,
        help="Credited with net pay when a run is paid.")
    irs = fields.Many2One(
        'party.party', "IRS",
        help="The payee of federal withholding, Medicare and Social "
        "Security.")
    edd = fields.Many2One(
        'party.party', "EDD",
        help="The payee of California withholding and SDI.")

    ach_destination = fields.Char(
        "ACH Destination Routing", size=9,
        help="The routing number of the bank that receives the "
        "direct-deposit file.")
    ach_destination_name = fields.Char("ACH Destination Name", size=23)
    ach_origin = fields.Char(
        "ACH Immediate Origin", size=10,
        help="As the bank assigned it (often 1 and the tax id).")
    ach_origin_name = fields.Char("ACH Origin Name", size=23)
    ach_company_id = fields.Char("ACH Company Identification", size=10)
    ach_odfi = fields.Char(
        "ACH Originating Bank Routing", size=9,
        help="The routing number of the agency's own bank.")
    next_check_number = fields.Integer(
        "Next Check Number",
        help="Number of the next paycheck printed for an employee paid "
        "without direct deposit.")

    timesheet_work = fields.Many2One(
        'timesheet.work', "Leave Work",
        help="The timesheet work approved leave is entered on.")
    workweek_start = fields.Selection([
            ('0', "Monday"), ('1', "Tuesday"), ('2', "Wednesday"),
            ('3', "Thursday"), ('4', "Friday"), ('5', "Saturday"),
            ('6', "Sunday"),
            ], "Workweek Starts", sort=False)

    def require(self, name):
        "Return the value of field `name`, or refuse naming the field"
        value = getattr(self, name)
        if not value:
            raise PayrollError(gettext(
                    'agency_payroll.msg_configuration_missing',
                    field=self.fields_get([name])[name]['string']))
        return value

    def ach_file_arguments(self, company):
        """The bank and origin arguments of the ACH files (nacha's
        credit_file) of `company`, from these settings; refuse a missing
        one naming it"""
        for name in ['ach_destination', 'ach_origin', 'ach_company_id',
                'ach_odfi']:
            self.require(name)
        return {
            'destination_routing': self.ach_destination,
            'destination_name': self.ach_destination_name or '',
            'origin_id': self.ach_origin,
            'origin_name': self.ach_origin_name or company.party.name,
            'company_name': company.party.name,
            'company_id': self.ach_company_id,
            'odfi_routing': self.ach_odfi,
            }

    @classmethod
    def default_employee_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('agency_payroll', 'sequence_employee')
        except KeyError:
            return None

    @classmethod
    def default_next_check_number(cls):
        return 1

    @classmethod
    def default_workweek_start(cls):
        return '6'
