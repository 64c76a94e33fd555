# This file is part of water_utility.  The COPYRIGHT file at the top level
# of this repository contains the full copyright notices and license terms.
"""The demo desk: messages waiting for the demo users when they log in
(a call for Ben about a high bill, an urgent one for the office that went
up to Frank, a memorandum to Customer Service) and yesterday's, handled;
an open complaint of each category, most assigned, two past their
follow-up; letters sent (a welcome in Spanish among them) and one in
draft.
Entered by their takers through proteus, as the desk would."""
import datetime as dt

from proteus import Model
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


def set_up(config, today, log):
    "Leave the desk's messages for the demo users, once"
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
