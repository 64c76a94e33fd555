# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Shut-off events, planned (scheduled work) and emergency (a main
break), from the first radio call to the incident report.

An event has its start and estimated restoration, its cause, the valves
and main segments closed and the services affected (selected from the
segments, routes, zones, a street or by hand: event_select).  Started,
its agency checklist is drawn from the district's rules; its call list
(critical customers first), radio log and notices follow it; restored,
it counts the hours out; closed, its incident report is kept on it and
routed to the staff of its kind, and it is sealed."""

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedMixin

from .. import event_rules
from ..exceptions import EventError
from .message import _now, notify_users

KINDS = [
    ('planned', "Planned Work"),
    ('emergency', "Emergency"),
    ]
_draft = {'readonly': Eval('state') != 'draft'}
_open = {'readonly': Eval('state').in_(['restored', 'closed'])}


class Event(SealedMixin, Workflow, ModelSQL, ModelView):
    "Shut-off event"
    __name__ = 'water.desk.event'
    _sealed_states = frozenset({'closed'})
    _sealed_message = 'water_desk.msg_event_sealed'
    _workflow_message = 'water_desk.msg_event_workflow'
    _workflow_fields = frozenset({
            'state', 'started_by', 'restored_by', 'closed_by', 'closed_at'})

    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT', states=_draft)
    name = fields.Char("Title", required=True,
        states={'readonly': Eval('state') == 'closed'})
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        states=_draft)
    kind_string = kind.translated('kind')
    cause = fields.Text("Cause",
        states={'readonly': Eval('state') == 'closed'})
    start = fields.DateTime("Start", required=True, states=_open)
    estimated_restoration = fields.DateTime("Estimated Restoration",
        states=_open)
    restored_at = fields.DateTime("Restored At",
        states={
            'readonly': Eval('state') != 'restored',
            'required': Eval('state').in_(['restored', 'closed']),
            },
        help="When water came back: set by Restore, corrected as the crew "
        "reports it until the event is closed.")
    valves = fields.Text("Valves Closed", states=_open)
    segments = fields.Many2Many('water.desk.event.segment', 'event',
        'segment', "Main Segments", states=_open)
    hydrants_out = fields.Boolean("Hydrants Out of Service", states=_open,
        help="The fire department is told of an event that takes "
        "hydrants out of service.")
    boil_water = fields.Boolean("Loss of Pressure (Boil Water)",
        states={'readonly': Eval('state') == 'closed'},
        help="Pressure was lost: a boil-water notice is due within 24 "
        "hours and the State Water Board's Division of Drinking Water "
        "is told.")
    crew_hours = fields.Numeric("Crew Hours", digits=(16, 1),
        states={'readonly': Eval('state') == 'closed'})
    services = fields.One2Many('water.desk.event.service', 'event',
        "Affected Services", readonly=True)
    radio_log = fields.One2Many('water.desk.event.log', 'event',
        "Radio Log", states={'readonly': Eval('state') == 'closed'})
    calls = fields.One2Many('water.desk.event.call', 'event', "Calls",
        states={'readonly': Eval('state') == 'closed'},
        help="Each call to a customer and its outcome, newest first.")
    agencies = fields.One2Many('water.desk.event.agency', 'event',
        "Agencies", readonly=True)
    notices = fields.One2Many('water.desk.event.notice', 'event',
        "Notices Sent", readonly=True)
    service_count = fields.Function(fields.Integer("Services"),
        'get_counts')
    people_count = fields.Function(fields.Integer("People"), 'get_counts')
    critical_count = fields.Function(fields.Integer("Critical"),
        'get_counts')
    calls_left = fields.Function(fields.Integer("Left to Call"),
        'get_counts')
    hours_out = fields.Function(fields.Numeric("Hours Out",
            digits=(16, 1)), 'get_hours_out')
    started_by = fields.Many2One('res.user', "Started By", readonly=True,
        ondelete='RESTRICT')
    restored_by = fields.Many2One('res.user', "Restored By", readonly=True,
        ondelete='RESTRICT')
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True,
        ondelete='RESTRICT')
    closed_at = fields.Timestamp("Closed At", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('active', "Water Off"),
            ('restored', "Restored"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'), ('active', 'restored'),
            ('restored', 'closed'),
            }
        open_ = Eval('state').in_(['draft', 'active'])
        cls._buttons.update({
                'select_services': {
                    'invisible': ~open_, 'depends': ['state']},
                'start_': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                'restore': {
                    'invisible': Eval('state') != 'active',
                    'depends': ['state']},
                'close': {
                    'invisible': Eval('state') != 'restored',
                    'depends': ['state']},
                'send_notices': {
                    'invisible': Eval('state') == 'closed',
                    'depends': ['state']},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'emergency'

    @classmethod
    def default_start(cls):
        return _now().replace(second=0, microsecond=0)

    @classmethod
    def get_counts(cls, events, names):
        result = {n: {e.id: 0 for e in events} for n in names}
        for event in events:
            lines = event.services
            counts = {
                'service_count': len(lines),
                'people_count': sum(l.people or 0 for l in lines),
                'critical_count': sum(
                    1 for l in lines if l.rank < event_rules.EVERYONE),
                'calls_left': sum(1 for l in lines if not l.call_done),
                }
            for name in names:
                result[name][event.id] = counts[name]
        return result

    def get_hours_out(self, name):
        end = self.restored_at
        if end is None and self.state == 'active':
            end = _now()
        return event_rules.hours_out(self.start, end)

    @classmethod
    def on_modification(cls, mode, events, field_names=None):
        super().on_modification(mode, events, field_names=field_names)
        # Hydrants out or pressure lost after the start: the agencies
        # those ask for join the checklist
        if mode == 'write' and field_names & {'hydrants_out', 'boil_water'}:
            Rule = Pool().get('water.desk.agency.rule')
            for event in events:
                if event.state in {'active', 'restored'}:
                    Rule.apply(event)

    def check_open(self, what):
        "Refuse `what` (a message id) on a closed event"
        if self.state == 'closed':
            raise EventError(gettext(f'water_desk.{what}',
                    event=self.rec_name))

    @classmethod
    @ModelView.button_action('water_desk.wizard_event_select')
    def select_services(cls, events):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def start_(cls, events):
        """Water off: the agency checklist drawn from the district's
        rules, the event's staff told"""
        pool = Pool()
        Rule = pool.get('water.desk.agency.rule')
        for event in events:
            Rule.apply(event)
        cls.write(events, {'started_by': Transaction().user})
        cls._notify_staff(events, 'water_desk.msg_event_started')

    @classmethod
    @ModelView.button
    @Workflow.transition('restored')
    def restore(cls, events):
        "Water back on: the restoration time stamped, correctable"
        now = _now().replace(second=0, microsecond=0)
        for event in events:
            cls.write([event], {
                    'restored_at': event.restored_at or now,
                    'restored_by': Transaction().user,
                    })

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, events):
        """Close the events: their incident report kept on each and routed
        to the staff of its kind; sealed"""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Report = pool.get('water.desk.event.incident', type='report')
        cls.write(events, {
                'closed_by': Transaction().user, 'closed_at': _now()})
        attachments = []
        for event in events:
            _, content, _, _ = Report.execute([event.id], {
                    'model': cls.__name__, 'id': event.id,
                    'ids': [event.id]})
            attachments.append(Attachment(resource=event, type='data',
                    name=f'incident-report-{event.id}.pdf', data=content))
        Attachment.save(attachments)
        cls._notify_staff(events, 'water_desk.msg_event_report')

    @classmethod
    @ModelView.button_action('water_desk.wizard_event_notice')
    def send_notices(cls, events):
        pass

    @classmethod
    def _notify_staff(cls, events, message):
        "Tell the staff list of each event's kind"
        Configuration = Pool().get('water.desk.configuration')
        configuration = Configuration(1)
        entries = []
        for event in events:
            group = configuration.staff_group(event.kind)
            if group:
                entries.append((event, group.users, gettext(message,
                            event=event.rec_name)))
        notify_users(cls.__name__, entries)


class EventSegment(ModelSQL):
    "Shut-off event main segment"
    __name__ = 'water.desk.event.segment'
    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE')
    segment = fields.Many2One('water.main_segment', "Main Segment",
        required=True, ondelete='RESTRICT')


class Premise(metaclass=PoolMeta):
    __name__ = 'water.premise'
    critical_use = fields.Selection([
            (None, ""),
            ('life_support', "Life Support / Dialysis"),
            ('hospital', "Hospital or Clinic"),
            ('care_home', "Care Home"),
            ('school', "School"),
            ('other', "Other Critical Use"),
            ], "Critical Use",
        help="Called first when the water is shut off.")
    occupants = fields.Integer("Occupants",
        domain=['OR', ('occupants', '=', None), ('occupants', '>=', 0)],
        help="People living or working here, when known; otherwise a "
        "shut-off counts the dwellings times the people per household.")


class Configuration(metaclass=PoolMeta):
    __name__ = 'water.desk.configuration'
    persons_per_household = fields.Numeric("People per Household",
        digits=(16, 2), required=True,
        domain=[('persons_per_household', '>', 0)],
        help="Counts the people of a home whose occupants are not known.")
    planned_notice_days = fields.Integer("Planned Work Notice Days",
        required=True, domain=[('planned_notice_days', '>=', 0)],
        help="Days ahead of planned work its notices are sent.")
    large_event_services = fields.Integer("Large Event Services",
        required=True, domain=[('large_event_services', '>', 0)],
        help="An event affecting this many services or more is a large "
        "event (Cal OES is told).")
    planned_staff = fields.Many2One('res.group', "Planned Work Staff",
        ondelete='RESTRICT',
        help="Told when planned work starts, and sent its incident report.")
    emergency_staff = fields.Many2One('res.group', "Emergency Staff",
        ondelete='RESTRICT',
        help="Told when an emergency starts, and sent its incident report.")

    @classmethod
    def default_persons_per_household(cls):
        return event_rules.DEFAULT_PER_HOUSEHOLD

    @classmethod
    def default_planned_notice_days(cls):
        return 3

    @classmethod
    def default_large_event_services(cls):
        return 500

    def staff_group(self, kind):
        return self.planned_staff if kind == 'planned' else (
            self.emergency_staff)
