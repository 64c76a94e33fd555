# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Select Affected Services: the services a shut-off takes the water from,
found from the main segments closed (the network's own), routes, zones,
a street, or picked by hand; each with why it is called first, its
phone and the people it serves.  Set-wise: a few searches whatever the
number of services (bench/bench_shutoff.py)."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .. import event_rules
from ..exceptions import EventError


class SelectStart(ModelView):
    "Select Affected Services"
    __name__ = 'water.desk.event.select.start'

    segments = fields.Many2Many('water.main_segment', None, None,
        "Main Segments")
    routes = fields.Many2Many('water.route', None, None, "Routes")
    zones = fields.Char("Zones", help="Zones or pressure zones, separated "
        "by commas.")
    street = fields.Char("Street", help="Service addresses on this street "
        "(part of the name).")
    premises = fields.Many2Many('water.premise', None, None, "Premises")


class Select(Wizard):
    "Select Affected Services"
    __name__ = 'water.desk.event.select'

    start = StateView('water.desk.event.select.start',
        'water_desk.event_select_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Add", 'add', 'tryton-ok', default=True),
            ])
    add = StateTransition()

    def default_start(self, fields):
        return {'segments': [s.id for s in self.record.segments]}

    def transition_add(self):
        pool = Pool()
        Event = pool.get('water.desk.event')
        event = self.record
        event.check_open('msg_event_select_closed')
        segments = list(self.start.segments)
        domain = premise_domain(segments, self.start.routes,
            self.start.zones, self.start.street, self.start.premises)
        if domain is None:
            raise EventError(gettext('water_desk.msg_event_select_nothing',
                    event=event.rec_name))
        add_services(event, domain)
        if segments:
            Event.write([event], {'segments': [
                        ('add', [s.id for s in segments])]})
        return 'end'


def premise_domain(segments, routes, zones, street, premises):
    "The premises' domain of a selection, None if it selects nothing"
    clauses = []
    if segments:
        clauses.append(('main_segment', 'in', [s.id for s in segments]))
    if routes:
        clauses.append(('route', 'in', [r.id for r in routes]))
    names = [z.strip() for z in (zones or '').split(',') if z.strip()]
    if names:
        clauses.append(['OR', ('zone', 'in', names),
                ('pressure_zone', 'in', names)])
    if (street or '').strip():
        clauses.append(('street', 'ilike', f'%{street.strip()}%'))
    if premises:
        clauses.append(('id', 'in', [p.id for p in premises]))
    if not clauses:
        return None
    return ['OR'] + clauses


def add_services(event, premise_domain):
    """Add to `event` the active services of the premises of
    `premise_domain` it does not have yet: returns the lines added"""
    pool = Pool()
    Service = pool.get('water.service')
    Line = pool.get('water.desk.event.service')
    Configuration = pool.get('water.desk.configuration')
    have = {l.service.id for l in event.services}
    services = [s for s in Service.search([
                ('premise', 'where', premise_domain),
                ('state', '=', 'active'),
                ]) if s.id not in have]
    per_household = Configuration(1).persons_per_household
    accounts = {s.account for s in services if s.account}
    phones = party_phones({a.party for a in accounts})
    medical = medical_accounts(accounts)
    sizes = meter_sizes({s.premise for s in services})
    lines = []
    for service in services:
        premise, account = service.premise, service.account
        codes = event_rules.reasons(premise.critical_use,
            account in medical, service.service_type, sizes.get(premise.id))
        lines.append({
                'event': event.id,
                'service': service.id,
                'premise': premise.id,
                'account': account.id if account else None,
                'name': account.party.rec_name if account else '',
                'address': premise.street,
                'route': premise.route.code if premise.route else '',
                'sequence': premise.read_sequence,
                'rank': event_rules.rank(codes),
                'reasons': ', '.join(
                    event_rules.LABELS[c] for c in codes),
                'phone': phones.get(account.party.id) if account else None,
                'people': event_rules.people(service.service_type,
                    service.dwelling_units, premise.occupants,
                    per_household),
                })
    one_count_a_premise(lines, {l.premise.id for l in event.services})
    created = Line.create(lines)
    if event.state == 'active':
        pool.get('water.desk.agency.rule').apply(
            pool.get('water.desk.event')(event.id))
    return created


def one_count_a_premise(lines, counted):
    """Count a premise's people once, on its first line, the most of its
    services' counts (a home's water and its irrigation serve the same
    people); none on a premise `counted` already"""
    most = {}
    for line in lines:
        most[line['premise']] = max(most.get(line['premise'], 0),
            line['people'])
    for line in lines:
        premise = line['premise']
        line['people'] = 0 if premise in counted else most[premise]
        counted.add(premise)


def party_phones(parties):
    "{party id: its first phone or mobile}, in one search"
    ContactMechanism = Pool().get('party.contact_mechanism')
    phones = {}
    for mechanism in ContactMechanism.search([
                ('party', 'in', [p.id for p in parties]),
                ('type', 'in', ['phone', 'mobile']),
                ], order=[('party', 'ASC'), ('sequence', 'ASC'),
                ('id', 'ASC')]):
        phones.setdefault(mechanism.party.id, mechanism.value)
    return phones


def medical_accounts(accounts):
    """The accounts with a medical certificate on file today, when the
    collections module keeps them (water_collection)"""
    pool = Pool()
    try:
        Protection = pool.get('water.collection.protection')
    except KeyError:
        return set()
    today = pool.get('ir.date').today()
    return {p.account for p in Protection.search([
                ('account', 'in', [a.id for a in accounts]),
                ('kind', '=', 'medical'),
                ['OR', ('valid_until', '=', None),
                    ('valid_until', '>=', today)],
                ])}


def meter_sizes(premises):
    "{premise id: the size of its largest meter installed}"
    Installation = Pool().get('water.meter.installation')
    sizes = defaultdict(lambda: None)
    for installation in Installation.search([
                ('premise', 'in', [p.id for p in premises]),
                ('removal_date', '=', None),
                ]):
        size = installation.meter.size
        current = sizes[installation.premise.id]
        if event_rules.meter_inches(size) > event_rules.meter_inches(
                current):
            sizes[installation.premise.id] = size
    return sizes
