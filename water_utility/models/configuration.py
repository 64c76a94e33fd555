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

    @classmethod
    def default_account_sequence(cls):
        return cls._default_sequence('sequence_account')

    @classmethod
    def default_service_order_sequence(cls):
        return cls._default_sequence('sequence_service_order')

    @staticmethod
    def _default_sequence(xml_id):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('water_utility', xml_id)
        except KeyError:
            return None
