# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The office's service changes: move-in, move-out and transfer."
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from ..exceptions import ServiceChangeError
from .customer import ROLES
from .service import METER_PURPOSE, SERVICE_TYPES

_new_customer = ~Bool(Eval('account')) & ~Bool(Eval('party'))


class NewCustomerMixin:
    """Who takes the service: an existing account, an existing party, or a
    new customer typed in by the clerk."""
    __slots__ = ()

    account = fields.Many2One(
        'water.account', "Existing Account",
        help="Leave empty to open a new account.")
    party = fields.Many2One(
        'party.party', "Existing Customer",
        states={'invisible': Bool(Eval('account'))},
        help="A known person or business without an account yet.")
    name = fields.Char(
        "New Customer Name",
        states={
            'invisible': ~_new_customer,
            'required': _new_customer,
            })
    phone = fields.Char("Phone", states={'invisible': ~_new_customer})
    email = fields.Char(
        "Email", states={
            'invisible': Bool(Eval('account')),
            'required': Bool(Eval('paperless')) & ~Bool(Eval('account')),
            })
    lang = fields.Many2One(
        'ir.lang', "Notice Language",
        domain=[('translatable', '=', True)],
        states={'invisible': Bool(Eval('account'))})
    role = fields.Selection(
        ROLES, "Role", states={
            'invisible': Bool(Eval('account')),
            'required': ~Bool(Eval('account')),
            })
    paperless = fields.Boolean(
        "Paperless", states={'invisible': Bool(Eval('account'))})
    mailing_street = fields.Char(
        "Mailing Street", states={'invisible': Bool(Eval('account'))},
        help="Leave empty to mail to the existing customer's address on "
        "file, or to the service address for a new customer.")
    mailing_city = fields.Char(
        "Mailing City", states={
            'invisible': Bool(Eval('account')),
            'required': Bool(Eval('mailing_street')),
            })
    mailing_postal_code = fields.Char(
        "Mailing Postal Code", states={
            'invisible': Bool(Eval('account')),
            'required': Bool(Eval('mailing_street')),
            })

    @classmethod
    def default_role(cls):
        return 'tenant'

    @classmethod
    def default_paperless(cls):
        return False

    @fields.depends('party', 'email', 'lang')
    def on_change_party(self):
        if self.party:
            self.email = self.email or self.party.email
            self.lang = self.lang or self.party.lang

    def customer_account(self, premise):
        "Return the account that takes the service, creating it if needed"
        pool = Pool()
        Party = pool.get('party.party')
        ContactMechanism = pool.get('party.contact_mechanism')
        Account = pool.get('water.account')
        if self.account:
            if not self.account.active:
                raise ServiceChangeError(gettext(
                        'water_utility.msg_account_inactive',
                        account=self.account.rec_name))
            return self.account
        party = self.party
        known_address = party.address_get() if party else None
        if not party:
            party = Party(name=self.name, lang=self.lang)
            mechanisms = []
            if self.phone:
                mechanisms.append(
                    ContactMechanism(type='phone', value=self.phone))
            if self.email:
                mechanisms.append(
                    ContactMechanism(type='email', value=self.email))
            party.contact_mechanisms = mechanisms
            party.addresses = []
            party.save()
        if self.mailing_street:
            address = self._new_address(
                party, self.mailing_street, self.mailing_city,
                self.mailing_postal_code)
        elif known_address:
            # An existing customer (a landlord, say) keeps the address on
            # file: bills for a rental go to the owner's office.
            address = known_address
        else:
            address = self._new_address(
                party, premise.street, premise.city, premise.postal_code)
        account = Account(
            party=party, role=self.role, mailing_address=address,
            lang=self.lang or party.lang, paperless=self.paperless,
            email=self.email or party.email)
        account.save()
        return account

    def customer_summary(self, premise):
        """Return (customer, mailing address) as `customer_account` will
        save them, without saving anything"""
        if self.account:
            address = self.account.mailing_address
            return (self.account.rec_name,
                address.full_address if address else '')
        customer = self.party.rec_name if self.party else self.name
        if self.mailing_street:
            address = self._address(None, self.mailing_street,
                self.mailing_city, self.mailing_postal_code)
        elif self.party and self.party.address_get():
            address = self.party.address_get()
        elif premise:
            address = self._address(
                None, premise.street, premise.city, premise.postal_code)
        else:
            return customer, ''
        return customer, address.get_full_address('full_address')

    @staticmethod
    def _address(party, street, city, postal_code):
        "An address as the wizard saves it, not saved yet"
        Address = Pool().get('party.address')
        values = {name: None for name, field in Address._fields.items()
            if not isinstance(field, fields.Function) and name != 'id'}
        values.update((name, value) for name, value
            in Address.default_get(list(values)).items() if '.' not in name)
        values.update(party=party, street=street, city=city,
            postal_code=postal_code)
        return Address(**values)

    @classmethod
    def _new_address(cls, party, street, city, postal_code):
        address = cls._address(party, street, city, postal_code)
        address.save()
        return address


class ReadMixin:
    "A read typed by the clerk for one or both registers of the meter"
    __slots__ = ()

    meter = fields.Many2One('water.meter', "Meter", readonly=True)
    compound = fields.Boolean("Compound", readonly=True)
    read = fields.Numeric(
        "Read", digits=(16, 2),
        domain=['OR', ('read', '=', None), ('read', '>=', 0)],
        states={'invisible': ~Bool(Eval('meter'))},
        help="The meter's register (low register of a compound meter).")
    read_high = fields.Numeric(
        "High Register Read", digits=(16, 2),
        domain=['OR', ('read_high', '=', None), ('read_high', '>=', 0)],
        states={'invisible': ~Bool(Eval('compound'))})

    def read_values(self):
        "Return {register: value}, or None when no read was typed"
        if not self.meter or self.read is None:
            return None
        if self.meter.compound:
            if self.read_high is None:
                return None
            return {'low': self.read, 'high': self.read_high}
        return {'single': self.read}


class StartServiceStart(NewCustomerMixin, ReadMixin, ModelView):
    "Start Service"
    __name__ = 'water.service.start.start'

    premise = fields.Many2One('water.premise', "Premise", required=True)
    water_on = fields.Boolean("Water On", readonly=True)
    service_type = fields.Selection(
        SERVICE_TYPES, "Service Type", required=True)
    dwelling_units = fields.Integer(
        "Dwelling Units", required=True,
        domain=[('dwelling_units', '>=', 1)],
        states={'invisible': Eval('service_type') != 'multi_family'})
    start_date = fields.Date("Start Date", required=True)
    service = fields.Many2One('water.service', "Service", readonly=True)

    @classmethod
    def default_service_type(cls):
        return 'residential'

    @classmethod
    def default_dwelling_units(cls):
        return 1

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('premise', 'service_type', 'start_date')
    def on_change_premise(self):
        self.water_on = self.premise.water_on if self.premise else None
        self.meter = self.compound = None
        purpose = METER_PURPOSE.get(self.service_type)
        if self.premise and purpose:
            installation = self.premise.current_installation(purpose)
            if installation:
                self.meter = installation.meter
                self.compound = installation.meter.compound

    @fields.depends(methods=['on_change_premise'])
    def on_change_service_type(self):
        self.on_change_premise()


class StartServiceConfirm(ModelView):
    """What Start Service will save, computed by the server from the form
    it received: the clerk checks it before anything is written"""
    __name__ = 'water.service.start.confirm'

    premise = fields.Many2One('water.premise', "Premise", readonly=True)
    service_type = fields.Selection(
        SERVICE_TYPES, "Service Type", readonly=True)
    dwelling_units = fields.Integer(
        "Dwelling Units", readonly=True,
        states={'invisible': Eval('service_type') != 'multi_family'})
    start_date = fields.Date("Start Date", readonly=True)
    customer = fields.Char("Customer", readonly=True)
    account = fields.Many2One(
        'water.account', "Existing Account", readonly=True,
        states={'invisible': ~Eval('account')})
    role = fields.Selection(
        ROLES + [(None, "")], "Role", readonly=True)
    mailing_address = fields.Text("Mailing Address", readonly=True)
    meter = fields.Many2One('water.meter', "Meter", readonly=True)
    read = fields.Numeric(
        "Opening Read", digits=(16, 2), readonly=True,
        states={'invisible': ~Eval('meter')})
    read_high = fields.Numeric(
        "High Register Read", digits=(16, 2), readonly=True,
        states={'invisible': Eval('read_high', None) == None})  # noqa: E711
    turn_on = fields.Boolean(
        "Turn-On Order", readonly=True,
        help="The water is off: a service order to turn it on and read "
        "the meter goes to the field.")


class StartService(Wizard):
    "Start Service"
    __name__ = 'water.service.start'

    start = StateView(
        'water.service.start.start',
        'water_utility.service_start_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Next", 'confirm', 'tryton-forward', default=True),
            ])
    confirm = StateView(
        'water.service.start.confirm',
        'water_utility.service_start_confirm_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Start Service", 'start_service', 'tryton-ok',
                default=True),
            ])
    start_service = StateTransition()
    open_ = StateAction('water_utility.act_service_form')

    def default_start(self, fields):
        # The form's values are there (all empty) from the first call on:
        # only a premise chosen means the clerk is back from the
        # confirmation, and gets the form as she left it
        if getattr(self.start, 'premise', None):
            return self.start._default_values
        if self.model and self.model.__name__ == 'water.premise':
            return {'premise': self.record.id}
        return {}

    def check_start(self):
        """Refuse what cannot start, before the confirmation and again
        before saving; return the typed read"""
        form = self.start
        form.on_change_premise()
        premise = form.premise
        if not premise.active:
            raise ServiceChangeError(gettext(
                    'water_utility.msg_premise_inactive',
                    premise=premise.rec_name))
        values = form.read_values()
        if form.meter and premise.water_on and values is None:
            raise ServiceChangeError(gettext(
                    'water_utility.msg_start_read_required',
                    premise=premise.rec_name, meter=form.meter.rec_name))
        return values

    def default_confirm(self, fields):
        values = self.check_start() or {}
        form = self.start
        customer, address = form.customer_summary(form.premise)
        return {
            'premise': form.premise.id,
            'service_type': form.service_type,
            'dwelling_units': form.dwelling_units,
            'start_date': form.start_date,
            'customer': customer,
            'account': form.account.id if form.account else None,
            'role': form.account.role if form.account else form.role,
            'mailing_address': address,
            'meter': form.meter.id if form.meter else None,
            'read': values.get('single', values.get('low')),
            'read_high': values.get('high'),
            'turn_on': not form.premise.water_on,
            }

    def transition_start_service(self):
        pool = Pool()
        Service = pool.get('water.service')
        ServiceOrder = pool.get('water.service.order')
        values = self.check_start()
        form = self.start
        premise = form.premise
        account = form.customer_account(premise)
        service = Service(
            premise=premise, account=account,
            service_type=form.service_type,
            dwelling_units=form.dwelling_units,
            start_date=form.start_date)
        service.save()
        Service.activate([service])
        if form.meter and values is not None:
            pool.get('water.meter.reading').save(form.meter.initial_reads(
                    values, form.start_date, 'opening', service=service))
        if not premise.water_on:
            ServiceOrder(
                type='turn_on', premise=premise, service=service,
                requested_date=form.start_date,
                notes=gettext('water_utility.msg_order_note_move_in',
                    account=account.rec_name)).save()
        form.service = service
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self.start.service.id]
        action['views'].reverse()
        return action, {}


class StopServiceStart(ReadMixin, ModelView):
    "Stop Service"
    __name__ = 'water.service.stop.start'

    service = fields.Many2One(
        'water.service', "Service", required=True, readonly=True)
    end_date = fields.Date("End Date", required=True)
    method = fields.Selection([
            ('read', "Closing read now"),
            ('turn_off', "Send a turn-off order"),
            ('final_read', "Send a final-read order (water stays on)"),
            ], "Closing Read", required=True,
        states={'invisible': ~Bool(Eval('meter'))})

    @classmethod
    def default_method(cls):
        return 'read'


class StopService(Wizard):
    "Stop Service"
    __name__ = 'water.service.stop'

    start = StateView(
        'water.service.stop.start',
        'water_utility.service_stop_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Stop Service", 'stop', 'tryton-ok', default=True),
            ])
    stop = StateTransition()

    def default_start(self, fields):
        today = Pool().get('ir.date').today()
        service = self.record
        meter = service.meter
        return {
            'service': service.id,
            'end_date': today,
            'meter': meter.id if meter else None,
            'compound': meter.compound if meter else False,
            }

    def transition_stop(self):
        stop_service(
            self.record, self.start.end_date, self.start,
            method=self.start.method)
        return 'end'


def stop_service(service, end_date, form, method='read'):
    """Stop `service` on end_date with the closing read typed in `form`, or
    with a field order that will bring the closing read back."""
    pool = Pool()
    Service = pool.get('water.service')
    Reading = pool.get('water.meter.reading')
    ServiceOrder = pool.get('water.service.order')
    if service.state != 'active':
        raise ServiceChangeError(gettext(
                'water_utility.msg_stop_not_active',
                service=service.rec_name))
    if end_date < service.start_date:
        raise ServiceChangeError(gettext(
                'water_utility.msg_service_end_before_start',
                service=service.rec_name, start_date=service.start_date,
                end_date=end_date))
    meter = service.meter
    if meter and method == 'read':
        values = form.read_values()
        if values is None:
            raise ServiceChangeError(gettext(
                    'water_utility.msg_stop_read_required',
                    service=service.rec_name, meter=meter.rec_name))
        Reading.save(meter.initial_reads(
                values, end_date, 'closing', service=service))
    elif meter:
        ServiceOrder(
            type=method, premise=service.premise, service=service,
            requested_date=end_date).save()
    Service.stop_on([service], end_date)


class TransferServiceStart(NewCustomerMixin, ReadMixin, ModelView):
    "Transfer Service"
    __name__ = 'water.service.transfer.start'

    service = fields.Many2One(
        'water.service', "Service", required=True, readonly=True)
    transfer_date = fields.Date("Transfer Date", required=True)
    new_service = fields.Many2One(
        'water.service', "New Service", readonly=True)


class TransferService(Wizard):
    """Transfer Service: one customer leaves and another arrives the same
    day, with one read closing the first service and opening the next."""
    __name__ = 'water.service.transfer'

    start = StateView(
        'water.service.transfer.start',
        'water_utility.service_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Transfer", 'transfer', 'tryton-ok', default=True),
            ])
    transfer = StateTransition()
    open_ = StateAction('water_utility.act_service_form')

    def default_start(self, fields):
        today = Pool().get('ir.date').today()
        service = self.record
        meter = service.meter
        return {
            'service': service.id,
            'transfer_date': today,
            'meter': meter.id if meter else None,
            'compound': meter.compound if meter else False,
            'role': 'tenant',
            'paperless': False,
            }

    def transition_transfer(self):
        pool = Pool()
        Service = pool.get('water.service')
        Reading = pool.get('water.meter.reading')
        form = self.start
        old = self.record
        date = form.transfer_date
        stop_service(old, date, form, method='read')
        account = form.customer_account(old.premise)
        if account == old.account:
            raise ServiceChangeError(gettext(
                    'water_utility.msg_transfer_same_account',
                    service=old.rec_name))
        new = Service(
            premise=old.premise, account=account,
            service_type=old.service_type,
            dwelling_units=old.dwelling_units, start_date=date)
        new.save()
        Service.activate([new])
        values = form.read_values()
        if form.meter and values is not None:
            Reading.save(form.meter.initial_reads(
                    values, date, 'opening', service=new))
        form.new_service = new
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self.start.new_service.id]
        action['views'].reverse()
        return action, {}
