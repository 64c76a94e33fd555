# This file is part of water_utility.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The demo desk: messages waiting for the demo users when they log in
(a call for Ben about a high bill, an urgent one for the office that went
up to Frank, a memorandum to Customer Service) and yesterday's, handled;
an open complaint of each category, most assigned, two past their
follow-up; letters sent (a welcome in Spanish among them) and one in
draft; a main break twelve days ago with its radio log, calls, agencies,
door hangers and incident report, and planned work next week.
Entered by their takers through proteus, as the desk would."""
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from proteus import Model, Wizard
from trytond.tests.tools import set_user

# (taker, recipient login or None, group xml id or None, kind, urgency,
# caller, call back, topic, handled by and note or None)
MESSAGES = [
    ('clerk', 'billing', None, 'phone', 'normal', "Maria Lopez",
        "209-555-0147", "Asks why her November bill doubled", None),
    ('clerk', None, 'group_billing', 'phone', 'urgent',
        "Capt. Reed, Cedar Creek Fire", "209-555-0911",
        "Hydrant leaking hard at 410 Oak Street", None),
    ('finance', None, 'group_customer_service', 'memo', 'normal', None,
        None, "Main flushing Thursday: discoloured water calls expected",
        None),
    ('billing', 'clerk', None, 'phone', 'normal', "Tom Becker",
        "209-555-0188", "Wants to set up autopay",
        ('clerk', "Called back; autopay form emailed.")),
    ]


# An open complaint a category: (category, subject, assignee login or
# None, follow-up in days from today, or None)
COMPLAINTS = [
    ('high_bill', "Bill doubled; no leak the customer knows of",
        'billing', 2),
    ('water_quality', "Cloudy water in the mornings", 'field', -1),
    ('pressure', "Low pressure upstairs since the main repair", 'field', 3),
    ('leak', "Water pooling at the meter box", 'field', 1),
    ('billing_error', "Charged for two units, has one", 'billing', 5),
    ('meter', "Meter register hard to read, fogged", None, None),
    ('staff', "Waited 20 minutes at the counter", 'finance', 7),
    ('other', "Asks for the water quality report", 'clerk', -2),
    ]


def set_up(config, today, log, maildir=None):
    """Leave the desk's messages, complaints, letters and shut-offs for
    the demo users, once; what the shut-offs email kept in `maildir`"""
    Message = Model.get('water.desk.message', config=config)
    if Message.find([]):
        return
    log("desk: messages waiting for the demo users")
    User = Model.get('res.user', config=config)
    users = {u.login: u for u in User.find([])}
    Configuration = Model.get('water.desk.configuration', config=config)
    configuration = Configuration(1)
    configuration.escalate_to = users['finance']
    configuration.save()
    Account = Model.get('water.account', config=config)
    accounts = Account.find([], limit=len(MESSAGES), order=[('id', 'ASC')])
    ModelData = Model.get('ir.model.data', config=config)
    Group = Model.get('res.group', config=config)
    for i, (taker, login, group, kind, urgency, caller, callback, topic,
            handled) in enumerate(MESSAGES):
        set_user(users[taker], config=config)
        Message = Model.get('water.desk.message', config=config)
        message = Message(kind=kind, urgency=urgency, topic=topic,
            caller=caller, callback=callback)
        if login:
            message.recipient_user = User(users[login].id)
        if group:
            message.recipient_group = Group(ModelData.get_id(
                    'water_utility', group, config.context))
        if kind == 'phone' and i < len(accounts):
            message.account = Account(accounts[i].id)
        message.save()
        if handled:
            handler, note = handled
            set_user(users[handler], config=config)
            message = Model.get('water.desk.message', config=config)(
                message.id)
            message.handled_note = note
            message.click('handle')
    complaints(config, users, accounts, today)
    letters(config, users, accounts)
    with demo_mail(maildir):
        events(config, users, today, log)
    set_user(1, config=config)


def complaints(config, users, accounts, today):
    "An open complaint a category, received by Ana, most assigned"
    set_user(users['clerk'], config=config)
    Complaint = Model.get('water.desk.complaint', config=config)
    User = Model.get('res.user', config=config)
    Account = Model.get('water.account', config=config)
    for i, (category, subject, login, days) in enumerate(COMPLAINTS):
        complaint = Complaint(category=category, subject=subject)
        if accounts:
            complaint.account = Account(accounts[i % len(accounts)].id)
        if days is not None:
            complaint.follow_up = today + dt.timedelta(days=days)
        if login:
            complaint.assigned_to = User(users[login].id)
        complaint.save()
        if login:
            complaint.click('assign')


# (writer login, kind, sent, reference): a letter an account, in order
LETTERS = [
    ('clerk', 'welcome', True, None),
    ('billing', 'high_usage', True, None),
    ('clerk', 'general', False, None),
    ]


def letters(config, users, accounts):
    """Letters sent from the district's templates, in each account's
    language, one still in draft; and a welcome to a Spanish account"""
    Account = Model.get('water.account', config=config)
    spanish = Account.find([('lang.code', '=', 'es')], limit=1)
    targets = list(accounts[:len(LETTERS)]) + spanish
    kinds = LETTERS + [('clerk', 'welcome', True, None)] * len(spanish)
    for account, (login, kind, sent, reference) in zip(targets, kinds):
        set_user(users[login], config=config)
        Letter = Model.get('water.desk.letter', config=config)
        letter = Letter(account=Model.get('water.account', config=config)(
                account.id))
        letter.kind = kind
        letter.reference = reference
        letter.save()
        if sent:
            letter.click('send')


# The past main break's radio log: (minutes after the break, crew,
# location, what was said, a decision)
RADIO = [
    (5, "Crew 2", "at the break", "Main split, water in the street", False),
    (18, "Crew 2", "valves", "Closing the segment's valves", True),
    (25, "Crew 2", "hydrant", "Hydrant out of service with the segment",
        True),
    (95, "Crew 2", "at the break", "Repair clamp on, pressure test good",
        False),
    (150, "Crew 2", "valves", "Valves open, flushing; water back on", True),
    ]


@contextmanager
def demo_mail(maildir):
    """The demo's mail server while the build sends the shut-off's
    notices (the web server starts its own): on the configured port,
    keeping the messages in `maildir`; none when a server has the port"""
    from urllib.parse import urlsplit

    from trytond.config import config as trytond_config

    from water_utility.mail_sink import Controller, MaildirSink
    controller = None
    if maildir is not None:
        uri = urlsplit(trytond_config.get('email', 'uri'))
        try:
            controller = Controller(MaildirSink(str(maildir)),
                hostname=uri.hostname, port=uri.port)
            controller.start()
        except (OSError, RuntimeError):
            controller = None
    try:
        yield
    finally:
        if controller:
            controller.stop()


def events(config, users, today, log):
    """A main break twelve days ago, from the radio to its report, with
    its stamps dated back to when it happened; planned work next week
    waiting for its notices"""
    Event = Model.get('water.desk.event', config=config)
    if Event.find([]):
        return
    log("desk: a past main break with its log and report; planned work")
    set_user(1, config=config)
    segment, premises = _segment(config)
    if segment is None:
        return
    _critical(config, premises)
    Configuration = Model.get('water.desk.configuration', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Group = Model.get('res.group', config=config)
    configuration = Configuration(1)
    configuration.emergency_staff = Group(ModelData.get_id(
            'water_utility', 'group_finance', config.context))
    configuration.planned_staff = Group(ModelData.get_id(
            'water_utility', 'group_customer_service', config.context))
    configuration.save()
    # 8:40 in the morning, Pacific time
    start = dt.datetime.combine(today - dt.timedelta(days=12),
        dt.time(16, 40))
    event = _main_break(config, users, segment, start)
    _date_back(config, event, start)
    set_user(users['clerk'], config=config)
    event = Model.get('water.desk.event', config=config)(event.id)
    event.restored_at = start + dt.timedelta(minutes=150)
    event.crew_hours = Decimal('11.5')
    event.save()
    set_user(users['finance'], config=config)
    Model.get('water.desk.event', config=config)(event.id).click('close')
    _planned(config, users, premises, today)


def _segment(config):
    "The main segment with the most active services, and its premises"
    Service = Model.get('water.service', config=config)
    by_segment = {}
    for service in Service.find([('state', '=', 'active'),
                ('premise.main_segment', '!=', None)]):
        by_segment.setdefault(service.premise.main_segment.id, []).append(
            service)
    if not by_segment:
        return None, []
    services = max(by_segment.values(), key=len)
    return services[0].premise.main_segment, [s.premise for s in services]


def _critical(config, premises):
    "A customer on dialysis on the segment, and a school"
    Premise = Model.get('water.premise', config=config)
    first = Premise(premises[0].id)
    first.critical_use = 'life_support'
    first.save()
    if len(premises) > 2:
        school = Premise(premises[2].id)
        school.critical_use = 'school'
        school.occupants = 410
        school.save()


def _main_break(config, users, segment, start):
    "The main break as Ana ran it: radio, services, calls, agencies"
    set_user(users['clerk'], config=config)
    Event = Model.get('water.desk.event', config=config)
    event = Event(name=f"Main break, {segment.name}", kind='emergency',
        start=start, estimated_restoration=start + dt.timedelta(hours=3),
        cause="Cast iron main split under the road.",
        valves=segment.valves, hydrants_out=True)
    for minutes, crew, location, text, decision in RADIO:
        event.radio_log.new(at=start + dt.timedelta(minutes=minutes),
            crew=crew, location=location, text=text, decision=decision)
    event.save()
    select = Wizard('water.desk.event.select', [event], config=config)
    select.form.segments.append(
        Model.get('water.main_segment', config=config)(segment.id))
    select.execute('add')
    event.reload()
    event.click('start_')
    event.reload()
    Line = Model.get('water.desk.event.service', config=config)
    outcomes = ['reached', 'voicemail', 'reached', 'no_answer', 'reached']
    for line, outcome in zip(event.services, outcomes):
        event.calls.new(line=Line(line.id), outcome=outcome)
    event.save()
    Agency = Model.get('water.desk.event.agency', config=config)
    Agency.click([Agency(a.id) for a in event.agencies], 'told')
    notices = Wizard('water.desk.event.send_notices', [event],
        config=config)
    notices.form.kind = 'emergency'
    notices.execute('send')
    event.reload()
    event.click('restore')
    return event


def _date_back(config, event, start):
    """The demo's past event happened twelve days ago: its calls, notices,
    agencies and log stamps are moved to then (the demo's own history,
    as demo_history dates its bills)"""
    from sql import Column, Table
    from trytond.transaction import Transaction
    database = config.database_name
    with Transaction().start(database, 0) as transaction:
        cursor = transaction.connection.cursor()
        offset = None
        for name, column in [
                ('water_desk_event_call', 'called_at'),
                ('water_desk_event_service', 'last_called_at'),
                ('water_desk_event_agency', 'done_at'),
                ('water_desk_event_notice', 'sent_at'),
                ('water_desk_event_log', 'logged_at')]:
            table = Table(name)
            stamp_column = Column(table, column)
            cursor.execute(*table.select(table.id, stamp_column,
                    where=(table.event == event.id)
                    & (stamp_column != None)))  # noqa: E711
            for id_, stamp in cursor.fetchall():
                if isinstance(stamp, str):
                    stamp = dt.datetime.fromisoformat(stamp)
                if offset is None:
                    offset = stamp - (start + dt.timedelta(minutes=30))
                cursor.execute(*table.update([stamp_column],
                        [stamp - offset], where=table.id == id_))
        transaction.commit()


def _planned(config, users, premises, today):
    "Valve replacement next week on the same street, its notices to send"
    set_user(users['clerk'], config=config)
    Event = Model.get('water.desk.event', config=config)
    start = dt.datetime.combine(today + dt.timedelta(days=6),
        dt.time(16, 0))
    event = Event(name="Valve replacement", kind='planned', start=start,
        estimated_restoration=start + dt.timedelta(hours=4),
        cause="Replacing a leaking gate valve.")
    event.save()
    select = Wizard('water.desk.event.select', [event], config=config)
    Premise = Model.get('water.premise', config=config)
    for premise in premises[-3:]:
        select.form.premises.append(Premise(premise.id))
    select.execute('add')
