# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .. import usage as usage_arithmetic
from ..exceptions import ServiceOrderError
from .meter import PURPOSES
from .mixins import NumberedMixin
from .report import CustomerReport, address_lines

TYPES = [
    ('turn_on', "Turn On"),
    ('turn_off', "Turn Off"),
    ('final_read', "Final Read"),
    ('meter_install', "Meter Install"),
    ('meter_exchange', "Meter Exchange"),
    ('meter_removal', "Meter Removal"),
    ('reread', "Re-Read"),
    ('leak_check', "Leak Check"),
    ]
# Which result reads an order type needs to be done.
NEEDS_METER = {'meter_install', 'meter_exchange', 'meter_removal'}
NEEDS_NEW_METER = {'meter_exchange'}
_open = ~Eval('state').in_(['requested', 'scheduled'])
_states = {'readonly': _open}


class ServiceOrder(NumberedMixin, Workflow, ModelSQL, ModelView):
    "Field work at a premise: turn on or off, read, install or swap a meter"
    __name__ = 'water.service.order'
    _number_sequence = 'service_order_sequence'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    type = fields.Selection(
        TYPES, "Type", required=True, sort=False,
        states={'readonly': Eval('state') != 'requested'})
    premise = fields.Many2One(
        'water.premise', "Premise", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'requested'})
    service = fields.Many2One(
        'water.service', "Service", ondelete='RESTRICT',
        domain=[('premise', '=', Eval('premise', -1))],
        states=_states,
        help="The service the order is for, when it opens or closes one.")
    requested_date = fields.Date(
        "Requested Date", required=True, states=_states)
    scheduled_date = fields.Date(
        "Scheduled Date",
        states={
            'readonly': _open,
            'required': Eval('state') == 'scheduled',
            })
    employee = fields.Many2One(
        'company.employee', "Field Employee", ondelete='RESTRICT',
        states=_states)
    done_date = fields.Date(
        "Done Date", states={
            'readonly': _open,
            'required': Eval('state') == 'done',
            })
    meter = fields.Many2One(
        'water.meter', "Meter", ondelete='RESTRICT',
        domain=[If(Eval('type') == 'meter_install',
                (),
                ('premise', '=', Eval('premise', -1)))],
        states={
            'readonly': _open,
            'required': Eval('type').in_(list(NEEDS_METER)),
            },
        help="The meter installed, or the meter taken out.")
    purpose = fields.Selection(
        PURPOSES, "Measures", states={
            'readonly': _open,
            'required': Eval('type') == 'meter_install',
            'invisible': Eval('type') != 'meter_install',
            })
    reading = fields.Numeric(
        "Read", digits=(16, 2), states=_states,
        domain=[If(Bool(Eval('reading')), ('reading', '>=', 0), ())],
        help="Read of the meter found or installed (low register of a "
        "compound meter).")
    reading_high = fields.Numeric(
        "High Register Read", digits=(16, 2), states=_states,
        help="High register of a compound meter.")
    new_meter = fields.Many2One(
        'water.meter', "New Meter", ondelete='RESTRICT',
        states={
            'readonly': _open,
            'required': Eval('type').in_(list(NEEDS_NEW_METER)),
            'invisible': ~Eval('type').in_(list(NEEDS_NEW_METER)),
            })
    new_reading = fields.Numeric(
        "New Meter Read", digits=(16, 2), states={
            'readonly': _open,
            'invisible': ~Eval('type').in_(list(NEEDS_NEW_METER)),
            })
    new_reading_high = fields.Numeric(
        "New Meter High Register Read", digits=(16, 2), states={
            'readonly': _open,
            'invisible': ~Eval('type').in_(list(NEEDS_NEW_METER)),
            })
    reading_exception = fields.Many2One(
        'water.meter.reading.exception', "Read Exception", readonly=True,
        help="The suspicious read that sent the crew.")
    leak_found = fields.Boolean(
        "Leak Found", states={
            'readonly': _open,
            'invisible': Eval('type') != 'leak_check',
            })
    leak_location = fields.Char(
        "Leak Location", states={
            'readonly': _open,
            'invisible': ~Eval('leak_found'),
            })
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('requested', "Requested"),
            ('scheduled', "Scheduled"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('requested_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('requested', 'scheduled'),
            ('requested', 'done'),
            ('scheduled', 'done'),
            ('requested', 'cancelled'),
            ('scheduled', 'cancelled'),
            ('scheduled', 'requested'),
            }
        cls._buttons.update({
                'schedule': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'unschedule': {
                    'invisible': Eval('state') != 'scheduled',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': ~Eval('state').in_(
                        ['requested', 'scheduled']),
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['requested', 'scheduled']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'requested'

    @classmethod
    def default_requested_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_purpose(cls):
        return 'domestic'

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        cls.check_meters_available(orders, field_names)

    @classmethod
    def check_meters_available(cls, orders, field_names=None):
        "An open order cannot plan to install a meter in service elsewhere"
        if field_names and not (field_names & {
                    'meter', 'new_meter', 'type', 'state'}):
            return
        for order in orders:
            if order.state not in {'requested', 'scheduled'}:
                continue
            if order.type == 'meter_install' and order.meter:
                order.meter.check_available()
            if order.type == 'meter_exchange' and order.new_meter:
                order.new_meter.check_available()

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'delete':
            for order in orders:
                if order.state != 'requested':
                    raise AccessError(gettext(
                            'water_utility.msg_service_order_delete',
                            order=order.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('scheduled')
    def schedule(cls, orders):
        today = Pool().get('ir.date').today()
        for order in orders:
            if not order.scheduled_date:
                order.scheduled_date = max(order.requested_date, today)
        cls.save(orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def unschedule(cls, orders):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, orders):
        "Record the field result: valve state, reads, meter moves"
        today = Pool().get('ir.date').today()
        for order in orders:
            if not order.done_date:
                order.done_date = today
                order.save()
            getattr(order, f'_do_{order.type}')()

    def _register_values(self, meter, low, high):
        "Return {register: value} for `meter` from the order's read fields"
        if meter.compound:
            values = {'low': low, 'high': high}
        else:
            values = {'single': low}
        missing = [r for r, v in values.items() if v is None]
        if missing:
            raise ServiceOrderError(gettext(
                    'water_utility.msg_service_order_read_missing',
                    order=self.rec_name, meter=meter.rec_name))
        return values

    def _service_read(self, kind):
        "Record the order's read on the service's meter, if it has one"
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        meter = self.meter or (self.service.meter if self.service else None)
        if not meter:
            installations = [
                i for i in self.premise.installations
                if i.removal_date is None]
            if len(installations) == 1:
                meter = installations[0].meter
        if not meter:
            return
        if self.reading is None and kind == 'regular':
            return
        Reading.save(meter.initial_reads(
                self._register_values(meter, self.reading, self.reading_high),
                self.done_date, kind, source='field', service_order=self,
                service=self.service))

    def _do_reread(self):
        "The crew's read goes back through the read checks"
        self._field_read()

    def _do_leak_check(self):
        self._field_read()

    def _field_read(self):
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        ReadingException = pool.get('water.meter.reading.exception')
        meter = self.meter
        if meter is None or (self.reading is None
                and self.type == 'leak_check'):
            return
        reads = meter.initial_reads(
            self._register_values(meter, self.reading, self.reading_high),
            self.done_date, 'regular', source='field', service_order=self,
            service=self.service)
        Reading.save(reads)
        services = {r: self.service for r in reads}
        ReadingException.raise_for(reads, services)

    def _do_turn_on(self):
        self.premise.water_on = True
        self.premise.save()
        self._service_read('regular')

    def _do_turn_off(self):
        self.premise.water_on = False
        self.premise.save()
        self._service_read('closing' if self.service else 'regular')

    def _do_final_read(self):
        self._service_read('closing' if self.service else 'regular')

    def _do_meter_install(self):
        pool = Pool()
        Meter = pool.get('water.meter')
        Meter.install(
            [self.meter], self.premise, self.purpose, self.done_date,
            {self.meter: self._register_values(
                    self.meter, self.reading, self.reading_high)},
            order=self)

    def _do_meter_removal(self):
        pool = Pool()
        Meter = pool.get('water.meter')
        self._check_meter_at_premise()
        Meter.remove(
            [self.meter], self.done_date,
            {self.meter: self._register_values(
                    self.meter, self.reading, self.reading_high)},
            order=self)

    def _do_meter_exchange(self):
        "Old meter's final read and new meter's first read on one date"
        pool = Pool()
        Meter = pool.get('water.meter')
        installation = self._check_meter_at_premise()
        Meter.remove(
            [self.meter], self.done_date,
            {self.meter: self._register_values(
                    self.meter, self.reading, self.reading_high)},
            order=self)
        Meter.install(
            [self.new_meter], self.premise, installation.purpose,
            self.done_date,
            {self.new_meter: self._register_values(
                    self.new_meter, self.new_reading,
                    self.new_reading_high)},
            order=self)

    def _check_meter_at_premise(self):
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        with Transaction().set_context(active_test=False):
            installations = Installation.search([
                    ('meter', '=', self.meter.id),
                    ('premise', '=', self.premise.id),
                    ('removal_date', '=', None),
                    ], limit=1)
        if not installations:
            raise ServiceOrderError(gettext(
                    'water_utility.msg_service_order_meter_elsewhere',
                    order=self.rec_name, meter=self.meter.rec_name,
                    premise=self.premise.rec_name))
        return installations[0]


class LeakLetter(CustomerReport):
    "The letter telling a customer what the leak check found"
    __name__ = 'water.service.order.leak_letter'

    @classmethod
    def get_context(cls, records, header, data):
        for order in records:
            if order.type != 'leak_check' or order.state != 'done':
                raise ServiceOrderError(gettext(
                        'water_utility.msg_leak_letter_not_leak_check',
                        order=order.rec_name))
        context = super().get_context(records, header, data)
        context['today'] = Pool().get('ir.date').today()
        context['letter'] = LeakLetterFacts
        return context


class LeakLetterFacts:
    "What a leak letter says about one leak check, ready to print"

    def __init__(self, order):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        Reading = pool.get('water.meter.reading')
        self.order = order
        premise = order.premise
        self.service_address = ', '.join(
            p for p in [premise.street, premise.city] if p)
        service = order.service
        if service is None:
            active = [s for s in premise.services if s.state == 'active']
            service = active[0] if active else None
        account = service.account if service else None
        self.account = account
        self.name = account.party.rec_name if account else "Water Customer"
        address = account.mailing_address if account else None
        self.address = address_lines(
            address if address is not None else premise.mailing_address())
        self.lang = account.lang if account else None
        # The read that raised the question: the exception's, else the
        # crew's own read.
        read = None
        if order.reading_exception:
            read = order.reading_exception.reading
        else:
            reads = Reading.search([('service_order', '=', order.id)],
                limit=1)
            read = reads[0] if reads else None
        self.read = read
        configuration = Configuration(1)
        self.unit = usage_arithmetic.UNIT_NAMES[
            configuration.billing_unit]
        self.unit_short = usage_arithmetic.UNIT_SYMBOLS[
            configuration.billing_unit]
        self.usage = self.days = self.gallons_per_day = None
        self.usual_gallons_per_day = None
        if read is not None and read.usage is not None:
            self.usage = read.billing_usage
            self.days = read.usage_days
            self.gallons_per_day = read.gallons_per_day
            _, history = read.history()
            usual = usage_arithmetic.expected_usage(history, 1)
            if usual is not None:
                self.usual_gallons_per_day = usage_arithmetic.gallons_per_day(
                    usual, read.meter.unit, 1)


