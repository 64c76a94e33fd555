# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If

from ..exceptions import (
    PremiseInactiveError, ServiceDatesError, ServiceOverlapError)
from .meter import SIZES
from .mixins import rec_name_domain

SERVICE_TYPES = [
    ('residential', "Residential"),
    ('multi_family', "Multi-Family"),
    ('commercial', "Commercial"),
    ('irrigation', "Irrigation"),
    ('fire', "Private Fire Line"),
    ('sewer', "Sewer Only"),
    ]
# What a service's meter measures; a sewer-only service has no meter.
METER_PURPOSE = {
    'residential': 'domestic',
    'multi_family': 'domestic',
    'commercial': 'domestic',
    'irrigation': 'irrigation',
    'fire': 'fire',
    'sewer': None,
    }
_states = {'readonly': Eval('state') != 'draft'}


class Service(Workflow, ModelSQL, ModelView):
    """A service agreement: a kind of service at a premise for an account.

    Services are history: a stopped service stays on its premise."""
    __name__ = 'water.service'

    premise = fields.Many2One(
        'water.premise', "Premise", required=True, ondelete='RESTRICT',
        states=_states)
    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        states=_states)
    party = fields.Function(
        fields.Many2One('party.party', "Customer"), 'on_change_with_party',
        searcher='search_party')
    service_type = fields.Selection(
        SERVICE_TYPES, "Service Type", required=True, states=_states)
    service_type_string = service_type.translated('service_type')
    dwelling_units = fields.Integer(
        "Dwelling Units", required=True,
        domain=[('dwelling_units', '>=', 1)],
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('service_type') != 'multi_family',
            })
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date(
        "End Date", readonly=True,
        domain=[If(Eval('end_date'),
                ('end_date', '>=', Eval('start_date')), ())],
        help="The day the service passed to the next customer or stopped; "
        "it is not billed to this account.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('active', "Active"),
            ('stopped', "Stopped"),
            ], "State", readonly=True, required=True, sort=False)
    final_bill = fields.Boolean(
        "Final Bill Due", readonly=True,
        help="The service stopped and its final bill is still to be sent.")
    meter = fields.Function(
        fields.Many2One('water.meter', "Meter"), 'get_meter')
    fire_line_size = fields.Selection(
        [(None, "")] + SIZES, "Fire Line Size", sort=False,
        states={'invisible': Eval('service_type') != 'fire'},
        help="The private fire line's size: its monthly charge goes by it.")
    winter_average = fields.Numeric(
        "Winter Average", digits=(16, 2),
        help="Average use per billing period over the winter, in the "
        "billing unit: winter-average sewer charges are billed on it.")
    billed_through = fields.Date(
        "Billed Through", readonly=True,
        help="The end of the last period billed: the next bill starts "
        "here.")
    readings = fields.One2Many(
        'water.meter.reading', 'service', "Reads", readonly=True)
    read_hold = fields.Function(
        fields.Boolean("Held by a Read Exception",
            help="An open read exception keeps the service from billing."),
        'get_read_hold', searcher='search_read_hold')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'stopped'),
            }
        cls._buttons.update({
                'activate': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'stop': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                'transfer': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_dwelling_units(cls):
        return 1

    @classmethod
    def default_final_bill(cls):
        return False

    @fields.depends('account')
    def on_change_with_party(self, name=None):
        return self.account.party if self.account else None

    @classmethod
    def search_party(cls, name, clause):
        return [('account.party' + clause[0][len(name):], *clause[1:])]

    @property
    def meter_purpose(self):
        return METER_PURPOSE[self.service_type]

    def get_meter(self, name):
        if self.meter_purpose is None or not self.premise:
            return None
        date = self.end_date if self.state == 'stopped' else None
        installation = self.premise.current_installation(
            self.meter_purpose, date=date)
        return installation.meter.id if installation else None

    @classmethod
    def get_read_hold(cls, services, name):
        pool = Pool()
        ReadingException = pool.get('water.meter.reading.exception')
        held = {e.service.id for e in ReadingException.search([
                    ('service', 'in', [s.id for s in services]),
                    ('state', '=', 'open'),
                    ])}
        return {s.id: s.id in held for s in services}

    @classmethod
    def search_read_hold(cls, name, clause):
        _, operator, value = clause
        held = bool(value) == (operator == '=')
        return [('id', 'in' if held else 'not in', [
                    e.service.id for e in Pool().get(
                        'water.meter.reading.exception').search([
                            ('state', '=', 'open'),
                            ('service', '!=', None),
                            ])])]

    def get_rec_name(self, name):
        type_ = dict(SERVICE_TYPES)[self.service_type]
        return f'{self.premise.rec_name} / {type_} / {self.account.number}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'premise', 'account')

    @classmethod
    def validate_fields(cls, services, field_names):
        super().validate_fields(services, field_names)
        cls.check_dates(services, field_names)
        cls.check_overlap(services, field_names)

    @classmethod
    def check_dates(cls, services, field_names=None):
        if field_names and not (field_names & {'start_date', 'end_date'}):
            return
        for service in services:
            if service.end_date and service.end_date < service.start_date:
                raise ServiceDatesError(gettext(
                        'water_utility.msg_service_end_before_start',
                        service=service.rec_name,
                        start_date=service.start_date,
                        end_date=service.end_date))

    @classmethod
    def check_overlap(cls, services, field_names=None):
        """Refuse two services of one type on a premise for the same days.

        A service covers its start date up to, not including, its end
        date, so a transfer may end one service and start the next on the
        same day."""
        if field_names and not (field_names & {
                    'start_date', 'end_date', 'state', 'premise',
                    'service_type'}):
            return
        for service in services:
            if service.state == 'draft':
                continue
            domain = [
                ('id', '!=', service.id),
                ('premise', '=', service.premise.id),
                ('service_type', '=', service.service_type),
                ('state', 'in', ['active', 'stopped']),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>', service.start_date),
                    ],
                ]
            if service.end_date:
                domain.append(('start_date', '<', service.end_date))
            others = cls.search(domain, limit=1)
            if others:
                other, = others
                raise ServiceOverlapError(gettext(
                        'water_utility.msg_service_overlap',
                        service=service.rec_name,
                        other=other.rec_name,
                        account=other.account.rec_name,
                        start_date=other.start_date))

    @classmethod
    def check_modification(cls, mode, services, values=None, external=False):
        super().check_modification(
            mode, services, values=values, external=external)
        if mode == 'delete':
            for service in services:
                if service.state != 'draft':
                    raise AccessError(gettext(
                            'water_utility.msg_service_delete_draft',
                            service=service.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, services):
        for service in services:
            if not service.premise.active:
                raise PremiseInactiveError(gettext(
                        'water_utility.msg_premise_inactive',
                        premise=service.premise.rec_name))
            if not service.account.active:
                raise PremiseInactiveError(gettext(
                        'water_utility.msg_account_inactive',
                        account=service.account.rec_name))

    @classmethod
    @ModelView.button_action('water_utility.wizard_service_stop')
    def stop(cls, services):
        pass

    @classmethod
    @ModelView.button_action('water_utility.wizard_service_transfer')
    def transfer(cls, services):
        pass

    @classmethod
    @Workflow.transition('stopped')
    def stop_on(cls, services, end_date):
        "Stop the services on end_date and flag them for a final bill."
        cls.write(services, {
                'end_date': end_date,
                'final_bill': True,
                })
