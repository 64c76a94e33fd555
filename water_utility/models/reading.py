# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from .. import registers
from ..exceptions import ReadingError, ReadingLowerError
from .meter import REGISTERS

KINDS = [
    ('regular', "Regular"),
    ('opening', "Opening (Move-In)"),
    ('closing', "Closing (Move-Out)"),
    ('install', "Meter Install"),
    ('removal', "Meter Removal"),
    ]
SOURCES = [
    ('office', "Office Entry"),
    ('field', "Field Crew"),
    ('handheld', "Handheld"),
    ('amr', "AMR Drive-By"),
    ('ami', "Fixed Network (AMI)"),
    ('customer', "Customer-Reported"),
    ('estimate', "Estimate"),
    ]


class Reading(ModelSQL, ModelView):
    "A read of one meter register on a date"
    __name__ = 'water.meter.reading'

    meter = fields.Many2One(
        'water.meter', "Meter", required=True, ondelete='RESTRICT')
    register = fields.Selection(
        REGISTERS, "Register", required=True, sort=False)
    register_string = register.translated('register')
    read_date = fields.Date("Read Date", required=True)
    value = fields.Numeric(
        "Read", digits=(16, 2), required=True,
        domain=[('value', '>=', 0)],
        help="The register as shown, in the meter's unit, "
        "before the multiplier.")
    rollover = fields.Boolean(
        "Rollover",
        help="The register passed its last number and started again "
        "from zero since the previous read.")
    kind = fields.Selection(KINDS, "Kind", required=True)
    source = fields.Selection(SOURCES, "Source", required=True)
    service = fields.Many2One(
        'water.service', "Service", ondelete='RESTRICT',
        help="The service the read opened or closed.")
    service_order = fields.Many2One(
        'water.service.order', "Service Order", ondelete='RESTRICT')
    notes = fields.Char("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('meter')
        cls._order = [('read_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_register(cls):
        return 'single'

    @classmethod
    def default_rollover(cls):
        return False

    @classmethod
    def default_kind(cls):
        return 'regular'

    @classmethod
    def default_source(cls):
        return 'office'

    @classmethod
    def default_read_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.meter.rec_name} {self.read_date}: {self.value}'

    @classmethod
    def validate_fields(cls, reads, field_names):
        super().validate_fields(reads, field_names)
        cls.check_value(reads, field_names)

    @classmethod
    def check_value(cls, reads, field_names=None):
        """Refuse a read the register cannot show, a read dated in the
        future, or a read lower than the read before it (or higher than
        the read after it) unless the register rolled over."""
        if field_names and not (field_names & {
                    'value', 'read_date', 'rollover', 'meter', 'register'}):
            return
        today = Pool().get('ir.date').today()
        for read in reads:
            meter = read.meter
            if read.register not in meter.registers:
                raise ReadingError(gettext(
                        'water_utility.msg_reading_register',
                        meter=meter.rec_name,
                        register=read.register_string))
            if read.read_date > today:
                raise ReadingError(gettext(
                        'water_utility.msg_reading_future',
                        meter=meter.rec_name, date=read.read_date))
            if not registers.fits_dials(read.value, meter.dials):
                raise ReadingError(gettext(
                        'water_utility.msg_reading_dials',
                        meter=meter.rec_name, value=read.value,
                        dials=meter.dials))
            previous = read.neighbour(before=True)
            if previous and registers.advance(
                    previous.value, read.value, meter.dials,
                    read.rollover) is None:
                raise ReadingLowerError(gettext(
                        'water_utility.msg_reading_lower',
                        meter=meter.rec_name, value=read.value,
                        date=read.read_date, previous=previous.value,
                        previous_date=previous.read_date))
            following = read.neighbour(before=False)
            if following and registers.advance(
                    read.value, following.value, meter.dials,
                    following.rollover) is None:
                raise ReadingLowerError(gettext(
                        'water_utility.msg_reading_higher_than_next',
                        meter=meter.rec_name, value=read.value,
                        date=read.read_date, next=following.value,
                        next_date=following.read_date))

    def neighbour(self, before=True):
        "Return the read of the same register just before or after this one"
        if before:
            domain = ['OR',
                ('read_date', '<', self.read_date),
                [('read_date', '=', self.read_date), ('id', '<', self.id)],
                ]
            order = 'DESC'
        else:
            domain = ['OR',
                ('read_date', '>', self.read_date),
                [('read_date', '=', self.read_date), ('id', '>', self.id)],
                ]
            order = 'ASC'
        reads = self.search([
                ('meter', '=', self.meter.id),
                ('register', '=', self.register),
                domain,
                ], order=[('read_date', order), ('id', order)], limit=1)
        return reads[0] if reads else None
