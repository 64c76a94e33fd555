# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, Id

from .. import rates, usage as usage_arithmetic

# A first bill longer than this many days is listed and confirmed
FIRST_BILL_MAX_DAYS = 45


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
    billing_unit = fields.Selection(
        usage_arithmetic.UNIT_SELECTION, "Billing Unit", required=True,
        help="Unit usage is shown and billed in.")
    max_consecutive_estimates = fields.Integer(
        "Consecutive Estimates Allowed",
        domain=['OR', ('max_consecutive_estimates', '=', None),
            ('max_consecutive_estimates', '>=', 1)],
        help="An estimate beyond this many in a row raises an exception; "
        "empty for no limit.")
    regular_min_days = fields.Integer(
        "Regular Month From", required=True,
        domain=[('regular_min_days', '>=', 1)],
        help="The fewest days a month of a regular bill may cover and be "
        "charged one month of fixed charges and tiers per period; a "
        "shorter bill is charged by its days over 30 a month.")
    regular_max_days = fields.Integer(
        "Regular Month To", required=True,
        domain=[('regular_max_days', '>=', Eval('regular_min_days', 1))],
        help="The most days a month of a regular bill may cover and be "
        "charged one month; a longer bill is charged by its days over 30 "
        "a month.")
    first_bill_max_days = fields.Integer(
        "First Bill Up To", required=True,
        domain=[('first_bill_max_days', '>=', 1)],
        help="The most days a service's first bill is expected to cover: "
        "the register lists longer ones and posting asks to confirm "
        "them (a service converted without its billed-through date, say).")
    office_hours = fields.Char(
        "Office Hours", translate=True,
        help="When the office takes payments and calls, as the bill "
        "prints it under How to Pay (the phone is the company's).")
    payment_options = fields.Text(
        "Payment Options", translate=True,
        help="Other ways to pay than at the office and by mail (online, "
        "by phone, automatic payment), one a line, printed on the bill "
        "under How to Pay.")

    receipt_sequence = fields.Many2One(
        'ir.sequence.strict', "Receipt Sequence",
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_receipt')),
            ],
        help="Numbers counter receipts, without gaps: an auditor accounts "
        "for every number.")
    drawer_sequence = fields.Many2One(
        'ir.sequence', "Cash Drawer Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_drawer')),
            ],
        help="Numbers the clerks' daily cash drawers.")
    deposit_sequence = fields.Many2One(
        'ir.sequence', "Deposit Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_deposit')),
            ],
        help="Numbers bank deposits.")
    deposit_journal = fields.Many2One(
        'account.statement.journal', "Deposit Journal",
        help="The statement journal bank deposits post through; its "
        "account is the bank's.")
    lockbox_journal = fields.Many2One(
        'account.statement.journal', "Lockbox Journal",
        help="The statement journal lockbox and bill-pay files post "
        "through; its account is the bank's.")
    unidentified_journal = fields.Many2One(
        'account.statement.journal', "Unidentified Receipts Journal",
        help="Its account holds payments from the bank no account is "
        "named for yet; a clerk's match moves them out through it.")
    counter_journal = fields.Many2One(
        'account.statement.journal', "Counter Journal",
        help="The statement journal counter receipts post through; its "
        "account is Undeposited Funds.")
    over_short_account = fields.Many2One(
        'account.account', "Cash Over and Short Account",
        domain=[
            ('type', '!=', None),
            ('closed', '!=', True),
            ('party_required', '=', False),
            ],
        help="Where a drawer's over or short posts at close.")
    drawer_float = fields.Numeric(
        "Drawer Float", digits=(16, 2),
        help="The change fund a new cash drawer opens with.")
    adjustment_sequence = fields.Many2One(
        'ir.sequence', "Adjustment Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('water_utility', 'sequence_type_adjustment')),
            ],
        help="Numbers account adjustments.")
    adjustment_limit = fields.Numeric(
        "Adjustment Approval Limit", digits=(16, 2),
        domain=['OR',
            ('adjustment_limit', '=', None),
            ('adjustment_limit', '>=', 0),
            ],
        help="An adjustment above this amount posts only once finance "
        "has approved it; empty for no approval.")
    postage_rate = fields.Numeric(
        "Postage per Piece", digits=(16, 4),
        domain=['OR',
            ('postage_rate', '=', None),
            ('postage_rate', '>=', 0),
            ],
        help="What the postage meter charges a piece mailed (the presort "
        "rate the district pays): the postage reconciliation expects the "
        "pieces mailed times this.")

    @classmethod
    def default_billing_unit(cls):
        return 'hcf'

    @classmethod
    def default_max_consecutive_estimates(cls):
        return 2

    @classmethod
    def default_regular_min_days(cls):
        return rates.REGULAR_DAYS[0]

    @classmethod
    def default_regular_max_days(cls):
        return rates.REGULAR_DAYS[1]

    @classmethod
    def default_first_bill_max_days(cls):
        return FIRST_BILL_MAX_DAYS

    @property
    def regular_days(self):
        "The days a month of a regular bill may cover, for rates.Period"
        return (self.regular_min_days or rates.REGULAR_DAYS[0],
            self.regular_max_days or rates.REGULAR_DAYS[1])

    @classmethod
    def default_account_sequence(cls):
        return cls._default_sequence('sequence_account')

    @classmethod
    def default_service_order_sequence(cls):
        return cls._default_sequence('sequence_service_order')

    @classmethod
    def default_bill_run_sequence(cls):
        return cls._default_sequence('sequence_bill_run')

    @classmethod
    def default_receipt_sequence(cls):
        return cls._default_sequence('sequence_receipt')

    @classmethod
    def default_drawer_sequence(cls):
        return cls._default_sequence('sequence_drawer')

    @classmethod
    def default_deposit_sequence(cls):
        return cls._default_sequence('sequence_deposit')

    @classmethod
    def default_postage_rate(cls):
        return None

    @classmethod
    def default_adjustment_sequence(cls):
        return cls._default_sequence('sequence_adjustment')

    @classmethod
    def default_adjustment_limit(cls):
        return Decimal('100.00')

    @classmethod
    def default_drawer_float(cls):
        return Decimal('100.00')

    @staticmethod
    def _default_sequence(xml_id):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('water_utility', xml_id)
        except KeyError:
            return None
