# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .mixins import rec_name_domain


class Premise(DeactivableMixin, ModelSQL, ModelView):
    """A service location: the place water is delivered.

    Premises and their meters stay when customers move; services come and
    go on them and are kept as history."""
    __name__ = 'water.premise'
    _rec_name = 'code'

    code = fields.Char("Location ID", required=True)
    street = fields.Char("Service Address", required=True)
    city = fields.Char("City", required=True)
    postal_code = fields.Char("Postal Code", required=True)
    parcel = fields.Char("Parcel Number", help="Assessor's parcel number.")
    route = fields.Many2One(
        'water.route', "Route", required=True, ondelete='RESTRICT')
    read_sequence = fields.Integer(
        "Read Sequence", required=True,
        help="Walk order of the premise on its route.")
    cycle = fields.Function(
        fields.Many2One('water.cycle', "Billing Cycle"),
        'on_change_with_cycle', searcher='search_cycle')
    zone = fields.Char("Zone")
    pressure_zone = fields.Char("Pressure Zone")
    main_segment = fields.Many2One(
        'water.main_segment', "Main Segment", ondelete='RESTRICT',
        help="The stretch of main between valves that feeds the premise.")
    owner = fields.Many2One(
        'party.party', "Owner", ondelete='RESTRICT',
        help="The property owner, who may not be the customer.")
    water_on = fields.Boolean(
        "Water On", readonly=True,
        help="Whether the curb stop is open; turn-on and turn-off orders "
        "change it.")
    services = fields.One2Many(
        'water.service', 'premise', "Services", readonly=True,
        order=[('start_date', 'DESC'), ('id', 'DESC')])
    installations = fields.One2Many(
        'water.meter.installation', 'premise', "Meter History",
        readonly=True,
        order=[('install_date', 'DESC'), ('id', 'DESC')])
    meters = fields.Function(
        fields.Many2Many('water.meter', None, None, "Meters"),
        'get_meters', searcher='search_meters')
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'water_utility.msg_premise_code_unique'),
            ]
        cls._order = [
            ('route', 'ASC'), ('read_sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_water_on(cls):
        return True

    @fields.depends('route', '_parent_route.cycle')
    def on_change_with_cycle(self, name=None):
        return self.route.cycle if self.route else None

    @classmethod
    def search_cycle(cls, name, clause):
        return [('route.' + clause[0], *clause[1:])]

    def get_rec_name(self, name):
        return f'{self.code} {self.street}'

    def mailing_address(self):
        """The service address as mail to "the occupant" is addressed, in
        the district's country and state (not saved)"""
        Address = Pool().get('party.address')
        return Address(
            street=self.street, city=self.city, postal_code=self.postal_code,
            country=Address.default_country(),
            subdivision=Address.default_subdivision())

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'code', 'street', 'parcel')

    @classmethod
    def get_meters(cls, premises, name):
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        meters = {p.id: [] for p in premises}
        for installation in Installation.search([
                    ('premise', 'in', [p.id for p in premises]),
                    ('removal_date', '=', None),
                    ]):
            meters[installation.premise.id].append(installation.meter.id)
        return meters

    @classmethod
    def search_meters(cls, name, clause):
        return [
            ('installations', 'where', [
                    ('meter' + clause[0][len(name):], *clause[1:]),
                    ('removal_date', '=', None),
                    ]),
            ]

    def current_installation(self, purpose, date=None):
        "Return the installation measuring `purpose` on `date` (or now)."
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        domain = [
            ('premise', '=', self.id),
            ('purpose', '=', purpose),
            ]
        if date:
            domain += [
                ('install_date', '<=', date),
                ['OR',
                    ('removal_date', '=', None),
                    ('removal_date', '>', date),
                    ],
                ]
        else:
            domain.append(('removal_date', '=', None))
        with Transaction().set_context(active_test=False):
            installations = Installation.search(
                domain, order=[('install_date', 'DESC'), ('id', 'DESC')],
                limit=1)
        return installations[0] if installations else None
