# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Notices of a shut-off to its customers, in each account's language:
planned work mailed or emailed days ahead, an emergency's, the
restoration's and the boil-water notice (for a loss of pressure, in the
State Water Board's wording, within 24 hours); door hangers for every
premise, a PDF per route for the crew.  Each sending is recorded on the
event (kind, how, how many, when, by whom, late or not) and its PDFs kept
on it."""
import smtplib
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from water_utility.mailer import Mailer
from water_utility.models.report import (
    CustomerReport, DistrictReport, account_language)

from .. import event_rules
from ..complaint_rules import local_datetime
from ..exceptions import EventError
from .event import _now

NOTICE_KINDS = [
    ('planned', "Planned Work"),
    ('emergency', "Emergency Shut-Off"),
    ('restoration', "Water Restored"),
    ('boil_water', "Boil Water"),
    ]
METHODS = [
    ('mail', "Mailed"),
    ('email', "Emailed"),
    ('door_hanger', "Door Hangers"),
    ]
# A boil-water notice goes out within this many hours
BOIL_WATER_HOURS = 24


class Notice(ModelSQL, ModelView):
    "Shut-off event notice sent"
    __name__ = 'water.desk.event.notice'

    event = fields.Many2One('water.desk.event', "Event", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection(NOTICE_KINDS, "Notice", readonly=True)
    kind_string = kind.translated('kind')
    method = fields.Selection(METHODS, "How", readonly=True)
    method_string = method.translated('method')
    count = fields.Integer("Count", readonly=True)
    late = fields.Boolean("Late", readonly=True,
        help="Sent later than the district's days ahead (planned work) "
        "or than 24 hours (boil water).")
    sent_at = fields.Timestamp("Sent At", readonly=True)
    sent_by = fields.Many2One('res.user', "Sent By", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('event')
        cls._order = [('sent_at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            raise AccessError(gettext('water_desk.msg_event_notice_write'))


class NoticeStart(ModelView):
    "Send Notices"
    __name__ = 'water.desk.event.send_notices.start'

    kind = fields.Selection(NOTICE_KINDS, "Notice", required=True)


class SendNotices(Wizard):
    "Send Notices"
    __name__ = 'water.desk.event.send_notices'

    start = StateView('water.desk.event.send_notices.start',
        'water_desk.event_notice_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send", 'send', 'tryton-ok', default=True),
            ])
    send = StateTransition()

    def default_start(self, fields):
        event = self.record
        kind = event.kind
        if event.state == 'restored':
            kind = 'restoration'
        return {'kind': kind}

    def transition_send(self):
        send_notices(self.record, self.start.kind)
        return 'end'


def check_notices(event, kind):
    "Refuse notices of `kind` the event cannot send, saying why"
    event.check_open('msg_event_notice_closed')
    if not event.services:
        raise EventError(gettext('water_desk.msg_event_notice_no_services',
                event=event.rec_name))
    if kind == 'planned' and event.kind != 'planned':
        raise EventError(gettext('water_desk.msg_event_notice_planned',
                event=event.rec_name))
    if kind == 'restoration' and event.state != 'restored':
        raise EventError(gettext(
                'water_desk.msg_event_notice_restoration',
                event=event.rec_name))


def send_notices(event, kind):
    """Send `event`'s notices of `kind`: emailed where the account has an
    address, mailed (planned work) to the others, a door hanger at every
    premise, one PDF per route; all or nothing"""
    pool = Pool()
    Notice = pool.get('water.desk.event.notice')
    Configuration = pool.get('water.desk.configuration')
    check_notices(event, kind)
    now = _now()
    lines = list(event.services)
    emailed = [l for l in lines if l.account and l.account.desk_email()]
    mailed = []
    if kind == 'planned':
        mailed = [l for l in lines if l not in set(emailed) and l.account]
    late = False
    if kind == 'planned':
        late = event_rules.notice_late(event.start,
            Configuration(1).planned_notice_days, now)
    elif kind == 'boil_water':
        due = event_rules.due(event.start, BOIL_WATER_HOURS)
        late = now > due
    mailer = Mailer.joined() if emailed else None
    records = []
    for method, done in [
            ('email', email_notices(event, kind, emailed)),
            ('mail', mail_notices(event, kind, mailed)),
            ('door_hanger', door_hangers(event, kind, lines))]:
        if done:
            records.append(Notice(event=event, kind=kind, method=method,
                    count=done, late=late, sent_at=now,
                    sent_by=Transaction().user))
    Notice.save(records)
    if mailer:
        try:
            mailer.flush()
        except (OSError, smtplib.SMTPException) as error:
            raise EventError(gettext('water_desk.msg_event_email_failed',
                    error=str(error) or type(error).__name__)) from error
    return records


def email_notices(event, kind, lines):
    "Email each line's account its notice in its language"
    Email = Pool().get('ir.email')
    for line in lines:
        account = line.account
        lang = account_language(account)
        values = notice_values(event, line)
        Email.send(to=account.desk_email(),
            subject=gettext(f'water_desk.msg_event_email_{kind}_subject',
                language=lang, **values),
            body=gettext(f'water_desk.msg_event_email_{kind}_body',
                language=lang, **values),
            record=[event.__name__, event.id])
    return len(lines)


def notice_values(event, line):
    "What a notice's words are filled in with"
    district = event.company.party
    return {
        'district': district.rec_name,
        'phone': district.phone or '',
        'address': line.address or '',
        'start': local_time(event, event.start),
        'restoration': local_time(event, event.estimated_restoration),
        'restored': local_time(event, event.restored_at),
        }


def local_time(event, value):
    "A timestamp as the district's clock reads it, 12/01/2026 2:30 PM"
    if value is None:
        return ''
    return local_datetime(value, event.company.timezone).strftime(
        '%m/%d/%Y %I:%M %p')


def mail_notices(event, kind, lines):
    "One PDF of the mailed notices, kept on the event"
    if not lines:
        return 0
    Report = Pool().get('water.desk.event.notice.report', type='report')
    _, content, _, _ = Report.execute([event.id], {
            'model': event.__name__, 'id': event.id, 'ids': [event.id],
            'kind': kind, 'lines': [l.id for l in lines]})
    keep(event, f'notices-{kind}-mailed.pdf', content)
    return len(lines)


def door_hangers(event, kind, lines):
    "A door hanger a premise, one PDF a route, kept on the event"
    Report = Pool().get('water.desk.event.door_hanger', type='report')
    routes = defaultdict(list)
    hung = set()
    for line in lines:
        if line.premise not in hung:
            hung.add(line.premise)
            routes[line.route or 'none'].append(line)
    for route, route_lines in sorted(routes.items()):
        _, content, _, _ = Report.execute([event.id], {
                'model': event.__name__, 'id': event.id, 'ids': [event.id],
                'kind': kind, 'lines': [l.id for l in route_lines]})
        keep(event, f'door-hangers-{kind}-route-{route}.pdf', content)
    return len(hung)


def keep(event, name, content):
    Attachment = Pool().get('ir.attachment')
    Attachment.save([Attachment(resource=event, name=name, type='data',
                data=content)])


class _EventNoticeReport:
    "The lines and kind of a notice printing, from its data"

    @classmethod
    def notice_context(cls, context, data):
        pool = Pool()
        Line = pool.get('water.desk.event.service')
        event = context['records'][0]
        lines = Line.browse(data['lines'])
        context.update(event=event, kind=data['kind'], lines=lines,
            values=lambda line: notice_values(event, line),
            boil_water_hours=BOIL_WATER_HOURS,
            today=pool.get('ir.date').today())
        return context


class NoticeReport(_EventNoticeReport, CustomerReport):
    "A shut-off notice a customer, mailed, in the account's language"
    __name__ = 'water.desk.event.notice.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        return cls.notice_context(context, data)


class DoorHangerReport(_EventNoticeReport, CustomerReport):
    "Door hangers of a route, in English and Spanish"
    __name__ = 'water.desk.event.door_hanger'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        return cls.notice_context(context, data)


class IncidentReport(DistrictReport):
    "The internal incident report of a shut-off event"
    __name__ = 'water.desk.event.incident'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['local_time'] = local_time
        context['outcomes'] = lambda event: call_outcomes(event)
        return context


def call_outcomes(event):
    "[(outcome label, customers whose last call had it)], and not called"
    labels = dict(event_rules.OUTCOMES)
    counts = defaultdict(int)
    for line in event.services:
        counts[line.last_outcome] += 1
    return [(labels[o], counts[o]) for o, _ in event_rules.OUTCOMES
        if counts[o]] + [("Not called", counts[None])]
