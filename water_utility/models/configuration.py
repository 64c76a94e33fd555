# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __name__ = 'water.configuration'

    account_sequence = fields.Many2One(
        'ir.sequence', "Customer Account Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_account')),
            ],
        help="Numbers new customer accounts.")
    service_order_sequence = fields.Many2One(
        'ir.sequence', "Service Order Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_service_order')),
            ],
        help="Numbers new service orders.")

    bill_run_sequence = fields.Many2One(
        'ir.sequence', "Bill Run Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_bill_run')),
            ],
        help="Numbers new bill runs.")
    payment_term = fields.Many2One(
        'account.invoice.payment_term', "Payment Term",
        help="The district's terms: they give each bill its due date.")
    billing_unit = fields.Selection([
            ('hcf', "Hundred Cubic Feet (HCF)"),
            ('gal', "Gallons"),
            ('kgal', "Thousand Gallons"),
            ('cf', "Cubic Feet"),
            ('m3', "Cubic Metres"),
            ('af', "Acre-Feet"),
            ], "Billing Unit", required=True,
        help="Unit usage is shown and billed in.")
    max_consecutive_estimates = fields.Integer(
        "Consecutive Estimates Allowed",
        domain=['OR', ('max_consecutive_estimates', '=', None),
            ('max_consecutive_estimates', '>=', 1)],
        help="An estimate beyond this many in a row raises an exception; "
        "empty for no limit.")

    @classmethod
    def default_billing_unit(cls):
        return 'hcf'

    @classmethod
    def default_max_consecutive_estimates(cls):
        return 2

    @classmethod
    def default_account_sequence(cls):
        return cls._default_sequence('sequence_account')

    @classmethod
    def default_service_order_sequence(cls):
        return cls._default_sequence('sequence_service_order')

    @classmethod
    def default_bill_run_sequence(cls):
        return cls._default_sequence('sequence_bill_run')

    @staticmethod
    def _default_sequence(xml_id):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('water_utility', xml_id)
        except KeyError:
            return None
