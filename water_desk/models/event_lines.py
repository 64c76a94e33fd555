# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What an event records as it goes: the services it affects (its call
list, critical customers first), each call made and its outcome, the
radio log, and the agencies told.  Calls and log entries are the record
of what was said: stamped by the server, never rewritten or deleted, and
refused once the event is closed."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .. import event_rules
from ..complaint_rules import local_datetime
from ..exceptions import EventError
from .event import KINDS, _now


class AffectedService(ModelSQL, ModelView):
    "Shut-off event affected service"
    __name__ = 'water.desk.event.service'
    _rec_name = 'name'

    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE', readonly=True)
    service = fields.Many2One('water.service', "Service", required=True,
        ondelete='RESTRICT', readonly=True)
    premise = fields.Many2One('water.premise', "Premise", required=True,
        ondelete='RESTRICT', readonly=True)
    account = fields.Many2One('water.account', "Account",
        ondelete='RESTRICT', readonly=True)
    name = fields.Char("Customer", readonly=True)
    address = fields.Char("Service Address", readonly=True)
    route = fields.Char("Route", readonly=True)
    sequence = fields.Integer("Walk Order", readonly=True)
    rank = fields.Integer("Rank", readonly=True,
        help="0: life support or medical; 1: hospital, care home; 2: "
        "school; 3: fire service; 4: large meter; 5: everyone else.")
    reasons = fields.Char("Critical", readonly=True)
    phone = fields.Char("Phone", readonly=True)
    people = fields.Integer("People", readonly=True)
    last_outcome = fields.Selection([(None, "")] + event_rules.OUTCOMES,
        "Last Call", readonly=True)
    last_outcome_string = last_outcome.translated('last_outcome')
    last_called_at = fields.Timestamp("Last Called At", readonly=True)
    last_called_by = fields.Many2One('res.user', "Last Called By",
        readonly=True, ondelete='RESTRICT')
    call_done = fields.Boolean("Called", readonly=True,
        help="Reached, or a voicemail left.")
    calls = fields.One2Many('water.desk.event.call', 'line', "Calls",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        cls._order = [('rank', 'ASC'), ('route', 'ASC'),
            ('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_call_done(cls):
        return False

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        # The list is the event's selection: written by it alone
        if external and mode in {'create', 'write', 'delete'}:
            raise AccessError(gettext('water_desk.msg_event_service_write'))


class WrittenOnce:
    """A record of what was said on an event: created on an open event
    only (`_closed_message`), stamped by the server (`_stamps`: field,
    function of nothing), never written or deleted (`_kept_message`)"""
    __slots__ = ()
    _closed_message = None
    _kept_message = None
    _stamps = {}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            for name, stamp in cls._stamps.items():
                values[name] = stamp()
        return values

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'create':
            for record in records:
                record.event.check_open(cls._closed_message)
        elif mode in {'write', 'delete'}:
            raise AccessError(gettext(cls._kept_message))


def _user():
    return Transaction().user


class Call(WrittenOnce, ModelSQL, ModelView):
    "Shut-off event call"
    __name__ = 'water.desk.event.call'
    _closed_message = 'msg_event_call_closed'
    _kept_message = 'water_desk.msg_event_call_kept'
    _stamps = {'called_by': _user, 'called_at': _now}

    line = fields.Many2One('water.desk.event.service', "Customer",
        required=True, ondelete='CASCADE',
        domain=[('event', '=', Eval('event', -1))])
    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE')
    outcome = fields.Selection(event_rules.OUTCOMES, "Outcome",
        required=True)
    note = fields.Char("Note")
    called_by = fields.Many2One('res.user', "Called By", readonly=True,
        ondelete='RESTRICT')
    called_at = fields.Timestamp("Called At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        cls._order = [('called_at', 'DESC'), ('id', 'DESC')]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if (mode == 'create' and values.get('line')
                and not values.get('event')):
            Line = Pool().get('water.desk.event.service')
            values['event'] = Line(values['line']).event.id
        return values

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'create':
            for call in records:
                if call.line.event != call.event:
                    raise AccessError(gettext(
                            'water_desk.msg_event_call_line'))

    @classmethod
    def on_modification(cls, mode, calls, field_names=None):
        super().on_modification(mode, calls, field_names=field_names)
        if mode == 'create':
            Line = Pool().get('water.desk.event.service')
            for call in sorted(calls, key=lambda c: c.id):
                Line.write([call.line], {
                        'last_outcome': call.outcome,
                        'last_called_at': call.called_at,
                        'last_called_by': call.called_by.id,
                        'call_done': (call.line.call_done or call.outcome
                            in event_rules.DONE_OUTCOMES),
                        })


class LogEntry(WrittenOnce, ModelSQL, ModelView):
    "Shut-off event radio log entry"
    __name__ = 'water.desk.event.log'
    _closed_message = 'msg_event_log_closed'
    _kept_message = 'water_desk.msg_event_log_kept'
    _stamps = {'logged_at': _now, 'logged_by': _user}

    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE')
    at = fields.DateTime("At", required=True,
        states={'readonly': Eval('id', -1) >= 0},
        help="When it was said: now, unless typed after the fact.")
    crew = fields.Char("Crew")
    location = fields.Char("Location")
    text = fields.Char("Said or Decided", required=True)
    decision = fields.Boolean("Decision")
    logged_by = fields.Many2One('res.user', "Logged By", readonly=True,
        ondelete='RESTRICT')
    logged_at = fields.Timestamp("Logged At", readonly=True)
    time = fields.Function(fields.Char("Time"), 'get_time')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        cls._order = [('at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_decision(cls):
        return False

    @classmethod
    def default_at(cls):
        return _now().replace(microsecond=0)

    def get_time(self, name):
        "When it was said, on the district's clock (lists show no times)"
        if not self.at:
            return ''
        zone = self.event.company.timezone if self.event else None
        return local_datetime(self.at, zone).strftime('%m/%d %I:%M %p')

    @classmethod
    def validate_fields(cls, entries, field_names):
        super().validate_fields(entries, field_names)
        if 'at' in field_names:
            # said, not to be said: a few minutes of clock drift allowed
            latest = _now() + dt.timedelta(minutes=5)
            for entry in entries:
                if entry.at > latest:
                    raise EventError(gettext(
                            'water_desk.msg_event_log_future',
                            event=entry.event.rec_name))



class Agency(ModelSQL, ModelView):
    "Shut-off event agency notification"
    __name__ = 'water.desk.event.agency'
    _rec_name = 'agency'

    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE', readonly=True)
    agency = fields.Char("Agency", required=True, readonly=True)
    contact = fields.Char("Contact", readonly=True)
    hours = fields.Numeric("Within Hours", digits=(16, 1), readonly=True)
    due_at = fields.Function(fields.DateTime("Due By"), 'get_due')
    overdue = fields.Function(fields.Boolean("Overdue"), 'get_due')
    note = fields.Char("Note",
        states={'readonly': Eval('done_at') & True})
    done_at = fields.Timestamp("Told At", readonly=True)
    done_by = fields.Many2One('res.user', "Told By", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        cls._order = [('id', 'ASC')]
        cls._buttons.update({
                'told': {
                    'invisible': Eval('done_at') & True,
                    'depends': ['done_at'],
                    },
                })

    @classmethod
    def get_due(cls, agencies, names):
        now = _now()
        result = {n: {} for n in names}
        for agency in agencies:
            due = event_rules.due(agency.event.start, agency.hours)
            if 'due_at' in names:
                result['due_at'][agency.id] = due
            if 'overdue' in names:
                result['overdue'][agency.id] = event_rules.overdue(
                    due, agency.done_at, now)
        return result

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if not external:
            return
        if mode == 'write' and set(values) <= {'note'}:
            for agency in records:
                agency.event.check_open('msg_event_agency_closed')
            return
        raise AccessError(gettext('water_desk.msg_event_agency_write'))

    @classmethod
    @ModelView.button
    def told(cls, agencies):
        "Record that the agency was told, by whom and when"
        for agency in agencies:
            agency.event.check_open('msg_event_agency_closed')
        cls.write([a for a in agencies if not a.done_at], {
                'done_at': _now(), 'done_by': Transaction().user})


class AgencyRule(sequence_ordered(), DeactivableMixin, ModelSQL, ModelView):
    "Agency notification rule"
    __name__ = 'water.desk.agency.rule'

    agency = fields.Char("Agency", required=True)
    contact = fields.Char("Contact", help="Phone, email or office to call.")
    kind = fields.Selection([(None, "Any Event")] + KINDS, "Event Kind")
    condition = fields.Selection([
            ('always', "Always"),
            ('hydrants_out', "Hydrants Out of Service"),
            ('boil_water', "Loss of Pressure (Boil Water)"),
            ('large', "Large Event"),
            ], "When", required=True)
    hours = fields.Numeric("Within Hours", digits=(16, 1), required=True,
        domain=[('hours', '>=', 0)],
        help="Hours from the event's start the agency must be told in.")

    @classmethod
    def default_condition(cls):
        return 'always'

    def applies(self, event, large):
        "Whether the rule asks `event` to tell its agency"
        if self.kind and self.kind != event.kind:
            return False
        return {
            'always': True,
            'hydrants_out': bool(event.hydrants_out),
            'boil_water': bool(event.boil_water),
            'large': large,
            }[self.condition]

    @classmethod
    def apply(cls, event):
        """Add to `event`'s checklist each agency its rules ask for and
        it does not have yet (called when it starts, and again when it
        grows or loses pressure)"""
        pool = Pool()
        Agency = pool.get('water.desk.event.agency')
        Configuration = pool.get('water.desk.configuration')
        large = len(event.services) >= (
            Configuration(1).large_event_services)
        have = {a.agency for a in event.agencies}
        new = []
        for rule in cls.search([]):
            if rule.agency not in have and rule.applies(event, large):
                have.add(rule.agency)
                new.append(Agency(event=event, agency=rule.agency,
                        contact=rule.contact, hours=rule.hours))
        Agency.save(new)
        return new
