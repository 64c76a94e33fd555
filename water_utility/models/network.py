# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Billing cycles, read routes and the distribution system's main segments."
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields

from .mixins import rec_name_domain


class CodeNamedMixin(DeactivableMixin):
    "A record the office knows by a unique code and a name"
    __slots__ = ()
    # Lists of premises sort by route code, as the route book does.
    _rec_name = 'code'
    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'water_utility.msg_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.code} - {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'code', 'name')


class Cycle(CodeNamedMixin, ModelSQL, ModelView):
    "A group of routes read and billed together"
    __name__ = 'water.cycle'
    routes = fields.One2Many('water.route', 'cycle', "Routes")
    period_months = fields.Integer(
        "Months per Period", required=True,
        domain=[('period_months', 'in', [1, 2, 3])],
        help="1 for monthly billing, 2 for bi-monthly, 3 for quarterly.")

    @classmethod
    def default_period_months(cls):
        return 1


class Route(CodeNamedMixin, ModelSQL, ModelView):
    "A meter reading route, walked in read sequence"
    __name__ = 'water.route'
    cycle = fields.Many2One(
        'water.cycle', "Billing Cycle", required=True, ondelete='RESTRICT')
    premises = fields.One2Many('water.premise', 'route', "Premises")


class MainSegment(CodeNamedMixin, ModelSQL, ModelView):
    """A stretch of water main between isolation valves.

    Closing its valves takes every premise on it out of water, which is how
    an emergency shut-off finds whom it affects."""
    __name__ = 'water.main_segment'
    main = fields.Char("Main", help="Main identifier, material and size.")
    valves = fields.Char(
        "Isolation Valves", help="Valve numbers that isolate the segment.")
    pressure_zone = fields.Char("Pressure Zone")
    premises = fields.One2Many('water.premise', 'main_segment', "Premises")
