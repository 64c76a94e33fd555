# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .. import usage as usage_arithmetic
from ..exceptions import MeterInstalledError, MeterSerialError

SIZES = [
    ('5/8', '5/8"'),
    ('3/4', '3/4"'),
    ('1', '1"'),
    ('1.5', '1 1/2"'),
    ('2', '2"'),
    ('3', '3"'),
    ('4', '4"'),
    ('6', '6"'),
    ('8', '8"'),
    ('10', '10"'),
    ]
UNITS = usage_arithmetic.METER_UNIT_SELECTION
PURPOSES = [
    ('domestic', "Domestic"),
    ('irrigation', "Irrigation"),
    ('fire', "Fire Line"),
    ]
REGISTERS = [
    ('single', "Single"),
    ('low', "Low"),
    ('high', "High"),
    ]


class Meter(Workflow, ModelSQL, ModelView):
    "A water meter, tracked from stock through installations to retirement"
    __name__ = 'water.meter'
    _rec_name = 'serial'

    serial = fields.Char("Serial Number", required=True)
    make = fields.Char("Make")
    model = fields.Char("Model")
    size = fields.Selection(SIZES, "Size", required=True, sort=False)
    unit = fields.Selection(
        UNITS, "Register Unit", required=True, sort=False,
        help="Unit the register counts in.")
    dials = fields.Integer(
        "Dials", required=True,
        domain=[('dials', '>=', 1), ('dials', '<=', 12)],
        help="Number of register digits; the register rolls over at "
        "10 to the power of dials.")
    multiplier = fields.Numeric(
        "Multiplier", digits=(16, 4), required=True,
        domain=[('multiplier', '>', 0)],
        help="Factor applied to the register advance to get the usage.")
    compound = fields.Boolean(
        "Compound", help="Has a low-flow and a high-flow register.")
    registers = fields.Function(
        fields.MultiSelection(REGISTERS, "Registers"),
        'on_change_with_registers')
    state = fields.Selection([
            ('in_stock', "In Stock"),
            ('installed', "Installed"),
            ('removed', "Removed"),
            ('retired', "Retired"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    premise = fields.Function(
        fields.Many2One('water.premise', "Premise"), 'get_premise',
        searcher='search_premise')
    installations = fields.One2Many(
        'water.meter.installation', 'meter', "Installations", readonly=True,
        order=[('install_date', 'DESC'), ('id', 'DESC')])
    readings = fields.One2Many(
        'water.meter.reading', 'meter', "Reads", readonly=True,
        order=[('read_date', 'DESC'), ('id', 'DESC')])
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('serial_unique', Unique(t, t.serial),
                'water_utility.msg_meter_serial_unique'),
            ]
        cls._order = [('serial', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('in_stock', 'installed'),
            ('removed', 'installed'),
            ('installed', 'removed'),
            ('in_stock', 'retired'),
            ('removed', 'retired'),
            ('removed', 'in_stock'),
            }
        cls._buttons.update({
                'retire': {
                    'invisible': ~Eval('state').in_(['in_stock', 'removed']),
                    'depends': ['state'],
                    },
                'restock': {
                    'invisible': Eval('state') != 'removed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'in_stock'

    @classmethod
    def default_unit(cls):
        return 'gal'

    @classmethod
    def default_size(cls):
        return '5/8'

    @classmethod
    def default_dials(cls):
        return 6

    @classmethod
    def default_multiplier(cls):
        return Decimal(1)

    @classmethod
    def default_compound(cls):
        return False

    @fields.depends('compound')
    def on_change_with_registers(self, name=None):
        return ['low', 'high'] if self.compound else ['single']

    def get_premise(self, name):
        for installation in self.installations:
            if installation.removal_date is None:
                return installation.premise.id

    @classmethod
    def search_premise(cls, name, clause):
        return [
            ('installations', 'where', [
                    ('premise' + clause[0][len(name):], *clause[1:]),
                    ('removal_date', '=', None),
                    ]),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('serial'):
            cls.check_serial_free(values['serial'])
        return values

    @classmethod
    def check_modification(cls, mode, meters, values=None, external=False):
        super().check_modification(
            mode, meters, values=values, external=external)
        if mode == 'write' and values and values.get('serial'):
            cls.check_serial_free(values['serial'], exclude=meters)

    @classmethod
    def check_serial_free(cls, serial, exclude=()):
        """Refuse a serial number already recorded, naming the meter that has
        it (checked before the row is written: the SQL constraint stays as
        the backstop but cannot say which meter)."""
        with Transaction().set_context(active_test=False):
            others = cls.search([
                    ('serial', '=', serial),
                    ('id', 'not in', [m.id for m in exclude]),
                    ], limit=1)
        if others:
            other, = others
            raise MeterSerialError(gettext(
                    'water_utility.msg_meter_serial_used',
                    serial=serial,
                    state=other.state_string,
                    premise=(other.premise.rec_name
                        if other.premise else '-')))

    @classmethod
    @ModelView.button
    @Workflow.transition('retired')
    def retire(cls, meters):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('in_stock')
    def restock(cls, meters):
        pass

    def check_available(self):
        "Refuse to install a meter that is installed elsewhere or retired"
        if self.state not in {'in_stock', 'removed'}:
            raise MeterInstalledError(gettext(
                    'water_utility.msg_meter_not_available',
                    meter=self.rec_name,
                    state=self.state_string,
                    premise=self.premise.rec_name if self.premise else '-'))

    def initial_reads(self, values, date, kind, **extra):
        "Return unsaved reads of `kind` on `date` for each register value"
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        reads = []
        for register in self.registers:
            reads.append(Reading(
                    meter=self, register=register, read_date=date,
                    value=values[register], kind=kind, **extra))
        return reads

    @classmethod
    @Workflow.transition('installed')
    def install(cls, meters, premise, purpose, date, values, order=None):
        """Install each meter at the premise with its first read.

        `values` maps a meter to {register: value}."""
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        Reading = pool.get('water.meter.reading')
        for meter in meters:
            meter.check_available()
        Installation.save([Installation(
                    meter=m, premise=premise, purpose=purpose,
                    install_date=date, install_order=order)
                for m in meters])
        Reading.save([r for m in meters
                for r in m.initial_reads(
                    values[m], date, 'install', service_order=order)])

    @classmethod
    @Workflow.transition('removed')
    def remove(cls, meters, date, values, order=None):
        """Take each meter out with its final read.

        `values` maps a meter to {register: value}."""
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        Reading = pool.get('water.meter.reading')
        installations = Installation.search([
                ('meter', 'in', [m.id for m in meters]),
                ('removal_date', '=', None),
                ])
        for installation in installations:
            installation.removal_date = date
            installation.removal_order = order
        # Reads first: a removal read lower than the last read is refused
        # before anything changes.
        Reading.save([r for m in meters
                for r in m.initial_reads(
                    values[m], date, 'removal', service_order=order)])
        Installation.save(installations)


class Installation(ModelSQL, ModelView):
    "A meter installed at a premise, from its install date to its removal"
    __name__ = 'water.meter.installation'

    meter = fields.Many2One(
        'water.meter', "Meter", required=True, ondelete='RESTRICT')
    premise = fields.Many2One(
        'water.premise', "Premise", required=True, ondelete='RESTRICT')
    purpose = fields.Selection(
        PURPOSES, "Measures", required=True,
        help="What the meter measures at the premise.")
    install_date = fields.Date("Install Date", required=True)
    install_order = fields.Many2One(
        'water.service.order', "Install Order", ondelete='RESTRICT')
    removal_date = fields.Date(
        "Removal Date",
        domain=[If(Eval('removal_date'),
                ('removal_date', '>=', Eval('install_date')), ())])
    removal_order = fields.Many2One(
        'water.service.order', "Removal Order", ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('meter')
        cls._order = [('install_date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return f'{self.meter.rec_name} @ {self.premise.rec_name}'

    @classmethod
    def validate_fields(cls, installations, field_names):
        super().validate_fields(installations, field_names)
        cls.check_single_place(installations, field_names)

    @classmethod
    def check_single_place(cls, installations, field_names=None):
        "A meter is in one place at a time"
        if field_names and not (field_names & {
                    'meter', 'install_date', 'removal_date'}):
            return
        for installation in installations:
            domain = [
                ('id', '!=', installation.id),
                ('meter', '=', installation.meter.id),
                ['OR',
                    ('removal_date', '=', None),
                    ('removal_date', '>', installation.install_date),
                    ],
                ]
            if installation.removal_date:
                domain.append(
                    ('install_date', '<', installation.removal_date))
            others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise MeterInstalledError(gettext(
                        'water_utility.msg_meter_installed_twice',
                        meter=installation.meter.rec_name,
                        premise=installation.premise.rec_name,
                        other=other.premise.rec_name,
                        date=other.install_date))
