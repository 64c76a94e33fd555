# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A district's collections set-up, through proteus as an administrator
would enter it: the holiday calendar of this year and the next, the
penalty product on the penalty revenue account, the penalty rule, and the
ladder on Tryton's dunning.  Used by the demo and the scenarios."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from water_utility.district import local_today

from .calendar_rules import district_holidays

PENALTY_ACCOUNT = '4050'
RECONNECT_ACCOUNT = '4060'
# The district's reconnection fees, in business hours and after hours
RECONNECT_FEES = (Decimal('75.00'), Decimal('175.00'))
# The CPI the district adopts for the statute's caps: CPI-U, U.S. city
# average, annual averages (BLS series CUUR0000SA0); 2021 is the base
CPI = {2021: Decimal('270.970'), 2022: Decimal('292.655'),
    2023: Decimal('304.702'), 2024: Decimal('313.689')}
# The ladder: (collections step, days after the due date)
LADDER = [
    ('late_notice', 10),
    ('disconnect_notice', 45),
    ('phone', 50),
    ('door_notice', 55),
    ('disconnect_order', 62),
    ]
# "10% of the current charges unpaid 15 days after the due date, and 1% a
# month of the past-due balance; nothing on $10.00 or less"
PENALTY = dict(current_percent=Decimal(10), monthly_percent=Decimal(1),
    flat_fee=Decimal(0), grace_days=15, minimum_balance=Decimal('10.00'))


def setup_collections(config=None, today=None):
    "Set the district's collections up, once"
    config = config or get_config()
    today = today or local_today()
    Company = Model.get('company.company', config=config)
    company, = Company.find([])
    create_holidays(company, [today.year, today.year + 1], config=config)
    product = create_penalty_product(company, config=config)
    create_penalty_rule(company, product,
        dt.date(today.year - 1, 7, 1), config=config)
    create_ladder(config=config)
    set_up_reconnection(company, config=config)


def create_holidays(company, years, config=None):
    Holiday = Model.get('water.collection.holiday', config=config)
    Holiday.save([Holiday(company=company, date=day, name=name)
            for year in years for day, name in district_holidays(year)])


def create_penalty_product(company, config=None):
    "The penalty product, posting to Penalties and Late Charges"
    return create_fee_product(company, PENALTY_ACCOUNT, "Late Charge",
        'penalty', config=config)


def set_up_reconnection(company, config=None):
    """The reconnection fees and their product on Service, Connection and
    Reconnection Fees, and the CPI table"""
    Configuration = Model.get('water.configuration', config=config)
    Cpi = Model.get('water.collection.cpi', config=config)
    configuration = Configuration(1)
    configuration.reconnect_fee, configuration.reconnect_fee_after_hours = (
        RECONNECT_FEES)
    configuration.reconnect_product = create_fee_product(company,
        RECONNECT_ACCOUNT, "Reconnection Fee", 'reconnect', config=config)
    configuration.save()
    Cpi.save([Cpi(year=year, index=index) for year, index in CPI.items()])


def create_fee_product(company, code, name, product_code, config=None):
    "A service product posting to the revenue account `code`"
    Account = Model.get('account.account', config=config)
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', "Unit")])
    account, = Account.find([
            ('code', '=', code), ('company', '=', company.id)])
    category = Category(name=account.name, accounting=True)
    category.account_revenue = account
    category.save()
    template = Template(name=name, type='service',
        default_uom=unit, list_price=Decimal(0), account_category=category)
    template.code = product_code
    template.save()
    product, = template.products
    return product


def create_penalty_rule(company, product, start, config=None):
    Rule = Model.get('water.collection.penalty.rule', config=config)
    rule = Rule(company=company, name="10% and 1% a month",
        start_date=start, product=product, **PENALTY)
    rule.save()
    return rule


def create_ladder(config=None):
    """The district's ladder as a Tryton dunning procedure, every account's
    by default"""
    Procedure = Model.get('account.dunning.procedure', config=config)
    Configuration = Model.get('account.configuration', config=config)
    procedure = Procedure(name="Collections (SB 998)")
    for sequence, (step, days) in enumerate(LADDER, 1):
        level = procedure.levels.new(
            sequence=sequence, overdue=dt.timedelta(days=days))
        level.collection_step = step
    procedure.save()
    configuration = Configuration(1)
    configuration.default_dunning_procedure = procedure
    configuration.save()
    return procedure
