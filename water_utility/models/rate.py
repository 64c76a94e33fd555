# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Rate schedules as finance keeps them: effective-dated, one per service
type at a time, each a list of components posting to their own product's
revenue account.  The arithmetic is in water_utility/rates.py."""
from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice

from .. import rates
from ..exceptions import RateError
from .meter import SIZES
from .service import SERVICE_TYPES

KINDS = [
    ('fixed', "Fixed Charge"),
    ('volumetric', "Usage Charge (Uniform or Tiered)"),
    ('winter_average', "Winter-Average Charge (Sewer)"),
    ('minimum', "Minimum Charge"),
    ]
BASES = [
    ('period', "Per Billing Period"),
    ('month', "Per Month"),
    ('day', "Per Day"),
    ]
TIER_SCALES = [
    ('fixed', "Per Billing Period"),
    ('units', "Per Dwelling Unit"),
    ('month', "Per Month of 30 Days"),
    ('unit_month', "Per Dwelling Unit and Month of 30 Days"),
    ('days', "Per Day of the Period"),
    ]
SIZE_OF = [
    ('meter', "Meter Size"),
    ('fire_line', "Fire Line Size"),
    ]
_tiered = Eval('kind').in_(['volumetric', 'winter_average'])
_based = Eval('kind').in_(['fixed', 'minimum'])


class RateSchedule(ModelSQL, ModelView):
    "The rates of a service type from a date until the next schedule"
    __name__ = 'water.rate.schedule'

    name = fields.Char("Name", required=True,
        help="As adopted, e.g. \"Residential rates, Resolution 2026-14\".")
    service_type = fields.Selection(
        SERVICE_TYPES, "Service Type", required=True)
    effective_date = fields.Date("Effective Date", required=True,
        help="The first day these rates apply; they apply until the next "
        "schedule of the service type takes effect.")
    components = fields.One2Many(
        'water.rate.component', 'schedule', "Components")
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('type_date_unique',
                Unique(t, t.service_type, t.effective_date),
                'water_utility.msg_rate_schedule_unique'),
            ]
        cls._order = [('service_type', 'ASC'), ('effective_date', 'DESC'),
            ('id', 'DESC')]

    def get_rec_name(self, name):
        return f'{self.name} ({self.effective_date})'

    @classmethod
    def check_modification(cls, mode, schedules, values=None,
            external=False):
        super().check_modification(
            mode, schedules, values=values, external=external)
        if mode in {'write', 'delete'}:
            cls.check_unused(schedules)

    @classmethod
    def check_unused(cls, schedules):
        "Rates that billed a posted bill are history: they cannot change"
        pool = Pool()
        Line = pool.get('water.bill.line')
        for sub in grouped_slice(schedules, 500):
            lines = Line.search([
                    ('component.schedule', 'in', [s.id for s in sub]),
                    ('bill.state', '=', 'posted'),
                    ], limit=1)
            if lines:
                raise AccessError(gettext(
                        'water_utility.msg_rate_schedule_used',
                        schedule=lines[0].component.schedule.rec_name))

    @classmethod
    def in_force(cls, service_type, start, end):
        """Return the schedules of `service_type` that apply to [start,
        end): the one in force on `start` and those that take effect
        before `end`, oldest first."""
        schedules = cls.search([
                ('service_type', '=', service_type),
                ('effective_date', '<', end),
                ], order=[('effective_date', 'DESC')])
        result = []
        for schedule in schedules:
            result.append(schedule)
            if schedule.effective_date <= start:
                break
        return list(reversed(result))

    def plain(self):
        return rates.Schedule(self.effective_date,
            tuple(c.plain() for c in self.components))


class RateComponent(sequence_ordered(), ModelSQL, ModelView):
    "One charge of a rate schedule, posted to its product's revenue account"
    __name__ = 'water.rate.component'

    schedule = fields.Many2One(
        'water.rate.schedule', "Schedule", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True, translate=True,
        help="As printed on the bill.")
    code = fields.Char("Code", required=True,
        help="Stays the same across schedules, e.g. \"service\", "
        "\"water\", \"sewer\".")
    kind = fields.Selection(KINDS, "Kind", required=True)
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='RESTRICT',
        domain=[('type', '=', 'service')],
        help="Its account category gives the revenue account.")
    basis = fields.Selection(BASES, "Per", states={
            'invisible': ~_based,
            'required': _based,
            })
    price = fields.Numeric("Price", digits=(16, 4), states={
            'invisible': ~_based,
            },
        help="Per basis; leave empty and give prices by size for a "
        "charge by meter or fire line size.")
    size_of = fields.Selection(SIZE_OF, "By Size Of", states={
            'invisible': Eval('kind') != 'fixed',
            })
    size_prices = fields.One2Many(
        'water.rate.size_price', 'component', "Prices by Size", states={
            'invisible': Eval('kind') != 'fixed',
            })
    per_dwelling_unit = fields.Boolean("Per Dwelling Unit", states={
            'invisible': Eval('kind') != 'fixed',
            })
    tiers = fields.One2Many('water.rate.tier', 'component', "Tiers",
        states={
            'invisible': ~_tiered,
            },
        help="Blocks of usage, lowest first; a uniform rate is one tier "
        "without limit.")
    tier_scale = fields.Selection(TIER_SCALES, "Tier Limits", states={
            'invisible': ~_tiered,
            'required': _tiered,
            })
    default_quantity = fields.Numeric(
        "Default Winter Average", digits=(16, 2), states={
            'invisible': Eval('kind') != 'winter_average',
            },
        help="Billed when the service has no winter average yet.")
    cap_at_usage = fields.Boolean("Not More Than Actual Use", states={
            'invisible': Eval('kind') != 'winter_average',
            })
    start_date = fields.Date("On From",
        help="Switch the charge on from this day only (e.g. a drought "
        "stage surcharge).")
    end_date = fields.Date("Off From",
        domain=[If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>', Eval('start_date')), ())])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('schedule')

    @classmethod
    def default_kind(cls):
        return 'fixed'

    @classmethod
    def default_basis(cls):
        return 'period'

    @classmethod
    def default_size_of(cls):
        return 'meter'

    @classmethod
    def default_tier_scale(cls):
        return 'fixed'

    @classmethod
    def default_per_dwelling_unit(cls):
        return False

    @classmethod
    def default_cap_at_usage(cls):
        return False

    @classmethod
    def check_modification(cls, mode, components, values=None,
            external=False):
        pool = Pool()
        Schedule = pool.get('water.rate.schedule')
        super().check_modification(
            mode, components, values=values, external=external)
        # The name is how a component prints, not what it bills: rates in
        # use still take their names in another language.
        if mode == 'delete' or (
                mode == 'write' and set(values or {}) - {'name'}):
            Schedule.check_unused(list({c.schedule for c in components}))

    @classmethod
    def validate(cls, components):
        super().validate(components)
        for component in components:
            component.plain()

    def plain(self):
        "Return the rates.Component, refusing a malformed one by name"
        try:
            return rates.Component(
                code=self.code, name=self.name, kind=self.kind,
                basis=self.basis or 'period', price=self.price,
                prices={p.size: p.price for p in self.size_prices},
                size_of=self.size_of or 'meter',
                per_dwelling_unit=bool(self.per_dwelling_unit),
                tiers=tuple(rates.Tier(t.upto, t.price) for t in self.tiers),
                tier_scale=self.tier_scale or 'fixed',
                default_quantity=self.default_quantity,
                cap_at_usage=bool(self.cap_at_usage),
                start=self.start_date, end=self.end_date)
        except ValueError as exception:
            raise RateError(gettext(
                    'water_utility.msg_rate_component_invalid',
                    component=self.name, schedule=self.schedule.rec_name,
                    error=str(exception))) from exception


class RateTier(sequence_ordered(), ModelSQL, ModelView):
    "A block of usage and its price per billing unit"
    __name__ = 'water.rate.tier'

    component = fields.Many2One(
        'water.rate.component', "Component", required=True,
        ondelete='CASCADE')
    upto = fields.Numeric("Up To", digits=(16, 2),
        domain=[If(Eval('upto'), ('upto', '>', 0), ())],
        help="Billing units in all up to the end of this tier, as the "
        "district publishes it: per period, per dwelling unit, per month of "
        "30 days (scaled by the bill's days), per dwelling unit and month, "
        "or per day, as the component's Tier Limits say; empty for the "
        "last tier.")
    price = fields.Numeric(
        "Price per Unit", digits=(16, 4), required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('component')
        cls._order.insert(1, ('upto', 'ASC NULLS LAST'))


class RateSizePrice(ModelSQL, ModelView):
    "The price of a fixed charge for one meter or fire line size"
    __name__ = 'water.rate.size_price'

    component = fields.Many2One(
        'water.rate.component', "Component", required=True,
        ondelete='CASCADE')
    size = fields.Selection(SIZES, "Size", required=True, sort=False)
    price = fields.Numeric("Price", digits=(16, 4), required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('component')
        t = cls.__table__()
        cls._sql_constraints += [
            ('size_unique', Unique(t, t.component, t.size),
                'water_utility.msg_rate_size_unique'),
            ]
