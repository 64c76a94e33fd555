# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Phone messages and memoranda to staff.

Whoever answers the phone takes a message for a user or a group: the
caller, the number to call back, the account or premise it is about, the
topic and its urgency.  Its recipients are told through Tryton's own user
notifications (`res.notification`): the web client's bell shows them,
with their unread count, from the moment they log in.  A memorandum is
the same record without a caller, written to staff and linked to an
account or a shut-off event.

A recipient (the user, a member of the group, or the user it was
escalated to) handles it with a note: handled, it is sealed.  An urgent
phone message nobody handled within the configured minutes is escalated
by a scheduled task to the configured user (the Finance Manager), who is
notified and may handle it too.  Taking, handling and escalating are the
message's own: their stamps cannot be written over JSON-RPC."""
import datetime as dt
import json

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from sealing import SealedMixin

from .. import escalation
from ..exceptions import MessageError

_open = {'readonly': Eval('state') != 'open'}
# Stamped by create whatever the caller sends
STAMPED = frozenset({'taken_by', 'taken_at'})


def _now():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def supervises(user):
    "Whether `user` is the desk's supervisor (Water Finance)"
    ModelData = Pool().get('ir.model.data')
    finance = ModelData.get_id('water_utility', 'group_finance')
    return finance in {g.id for g in user.groups}


def notify_users(model, entries):
    """One Tryton user notification (`res.notification`) a user of each
    (record, users, label[, description]) of `entries`, opening the
    record of `model`; created by the server for others"""
    Notification = Pool().get('res.notification')
    notifications = []
    for record, users, label, *description in entries:
        for user in users:
            notifications.append(Notification(user=user, label=label,
                    description=(description or [None])[0],
                    icon='tryton-email', model=model,
                    records=json.dumps([record.id])))
    with without_check_access():
        Notification.save(notifications)


def read_notifications(model, records):
    "Mark read every user's notification of `records` of `model`"
    Notification = Pool().get('res.notification')
    with without_check_access():
        unread = Notification.search([
                ('model', '=', model),
                ('records', 'in', [json.dumps([r.id]) for r in records]),
                ('unread', '=', True),
                ])
        Notification.write(unread, {'unread': False})


class Message(SealedMixin, Workflow, ModelSQL, ModelView):
    "Phone message or memorandum"
    __name__ = 'water.desk.message'
    _rec_name = 'topic'
    _sealed_states = frozenset({'handled'})
    _sealed_message = 'water_desk.msg_message_sealed'
    _workflow_message = 'water_desk.msg_message_workflow'
    _workflow_fields = frozenset({
            'state', 'taken_by', 'taken_at', 'handled_by', 'handled_at',
            'escalated_to', 'escalated_at'})

    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT', states=_open)
    kind = fields.Selection([
            ('phone', "Phone Message"),
            ('memo', "Memorandum"),
            ], "Kind", required=True, states=_open)
    caller = fields.Char("Caller",
        states={
            'readonly': Eval('state') != 'open',
            'required': Eval('kind') == 'phone',
            'invisible': Eval('kind') != 'phone',
            })
    callback = fields.Char("Call Back At",
        states={
            'readonly': Eval('state') != 'open',
            'invisible': Eval('kind') != 'phone',
            },
        help="The number the caller asked to be called back at.")
    account = fields.Many2One('water.account', "Account",
        ondelete='RESTRICT', states=_open)
    premise = fields.Many2One('water.premise', "Premise",
        ondelete='RESTRICT', states=_open)
    event = fields.Many2One('water.desk.event', "Shut-Off",
        ondelete='RESTRICT', states=_open,
        help="The shut-off the message or memorandum is about.")
    topic = fields.Char("Topic", required=True, states=_open)
    text = fields.Text("Message", states=_open)
    urgency = fields.Selection([
            ('normal', "Normal"),
            ('urgent', "Urgent"),
            ], "Urgency", required=True, states=_open)
    recipient_user = fields.Many2One('res.user', "For User",
        ondelete='RESTRICT', states=_open)
    recipient_group = fields.Many2One('res.group', "For Group",
        ondelete='RESTRICT', states=_open)
    taken_by = fields.Many2One('res.user', "Taken By", readonly=True,
        ondelete='RESTRICT')
    taken_at = fields.Timestamp("Taken At", readonly=True)
    handled_note = fields.Text("Handling Note", states=_open,
        help="What was done: called back, answered, passed on.")
    handled_by = fields.Many2One('res.user', "Handled By", readonly=True,
        ondelete='RESTRICT')
    handled_at = fields.Timestamp("Handled At", readonly=True)
    escalated_to = fields.Many2One('res.user', "Escalated To",
        readonly=True, ondelete='RESTRICT')
    escalated_at = fields.Timestamp("Escalated At", readonly=True)
    for_me = fields.Function(fields.Boolean("For Me"),
        'get_for_me', searcher='search_for_me')
    state = fields.Selection([
            ('open', "Open"),
            ('handled', "Handled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('taken_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('open', 'handled')}
        cls._buttons.update({
                'handle': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'phone'

    @classmethod
    def default_urgency(cls):
        return 'normal'

    @classmethod
    def default_state(cls):
        return 'open'

    def recipients(self):
        "The users the message is for (the escalation's included)"
        users = set()
        if self.recipient_user:
            users.add(self.recipient_user)
        if self.recipient_group:
            users.update(self.recipient_group.users)
        if self.escalated_to:
            users.add(self.escalated_to)
        return users

    def is_for(self, user):
        return user in self.recipients()

    def get_for_me(self, name):
        User = Pool().get('res.user')
        return self.is_for(User(Transaction().user))

    @classmethod
    def search_for_me(cls, name, clause):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        _, operator, value = clause[:3]
        mine = ['OR',
            ('recipient_user', '=', user.id),
            ('recipient_group', 'in', [g.id for g in user.groups]),
            ('escalated_to', '=', user.id),
            ]
        if (operator == '=') == bool(value):
            return [mine]
        return [('id', 'not in', [m.id for m in cls.search([mine])])]

    @classmethod
    def validate(cls, messages):
        super().validate(messages)
        for message in messages:
            if not (message.recipient_user or message.recipient_group):
                raise MessageError(gettext(
                        'water_desk.msg_message_no_recipient',
                        message=message.rec_name))

    @classmethod
    def create(cls, vlist):
        vlist = [dict(v) for v in vlist]
        now, user = _now(), Transaction().user
        for values in vlist:
            values['taken_by'] = user
            values['taken_at'] = now
        messages = super().create(vlist)
        cls.notify(messages)
        return messages

    @classmethod
    def _check_created_defaults(cls, records):
        """A message created over RPC starts open and unhandled; who took
        it and when are stamped by `create`, whatever was sent"""
        for record in records:
            forged = {n for n in cls._workflow_fields - STAMPED
                if n != 'state' and getattr(record, n)}
            if record.state != 'open':
                forged.add('state')
            if forged:
                cls._raise_workflow(record, forged)

    @classmethod
    def notify(cls, messages, users=None):
        """Tell each recipient of `messages` (or `users`) through Tryton's
        user notifications"""
        notify_users(cls.__name__, [
                (m, users or m.recipients(), m.notification_label(),
                    m.notification_text())
                for m in messages])

    def notification_label(self):
        if self.kind == 'memo':
            return gettext('water_desk.msg_notify_memo', topic=self.topic)
        key = ('water_desk.msg_notify_urgent' if self.urgency == 'urgent'
            else 'water_desk.msg_notify_phone')
        return gettext(key, caller=self.caller or '', topic=self.topic)

    def notification_text(self):
        parts = [self.callback or '', self.account.rec_name
            if self.account else '', self.text or '']
        return ' - '.join(p for p in parts if p)[:200] or None

    @classmethod
    @ModelView.button
    @Workflow.transition('handled')
    def handle(cls, messages):
        """Handle the messages, each with its note, by one of its
        recipients; their notifications are read"""
        User = Pool().get('res.user')
        user = User(Transaction().user)
        for message in messages:
            if not message.is_for(user) and not cls._handles_all(user):
                raise MessageError(gettext(
                        'water_desk.msg_message_not_yours',
                        message=message.rec_name, user=user.rec_name))
            if not (message.handled_note or '').strip():
                raise MessageError(gettext(
                        'water_desk.msg_message_note_required',
                        message=message.rec_name))
        cls.write(messages, {'handled_by': user.id, 'handled_at': _now()})
        read_notifications(cls.__name__, messages)

    @classmethod
    def _handles_all(cls, user):
        "The desk's supervisor (Water Finance) handles any message"
        return supervises(user)

    @classmethod
    def escalate(cls):
        """Escalate each urgent phone message still open past the
        configured minutes to the configured user, once; notify them"""
        pool = Pool()
        Configuration = pool.get('water.desk.configuration')
        configuration = Configuration(1)
        to, minutes = (configuration.escalate_to,
            configuration.escalate_after)
        if not to or minutes is None:
            return []
        now = _now()
        messages = [m for m in cls.search([
                    ('state', '=', 'open'),
                    ('urgency', '=', 'urgent'),
                    ('kind', '=', 'phone'),
                    ('escalated_at', '=', None),
                    ('taken_at', '<=', escalation.cutoff(now, minutes)),
                    ])
            if to not in m.recipients()]
        if messages:
            cls.write(messages, {'escalated_to': to.id, 'escalated_at': now})
            cls.notify(messages, users=[to])
        return messages



class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Desk configuration"
    __name__ = 'water.desk.configuration'
    escalate_after = fields.Integer("Escalate Urgent Messages After",
        domain=['OR', ('escalate_after', '=', None),
            ('escalate_after', '>=', 0)],
        help="Minutes an urgent phone message may stay unhandled before "
        "it is escalated; empty: never.")
    escalate_to = fields.Many2One('res.user', "Escalate To",
        ondelete='RESTRICT',
        help="Who gets the urgent messages nobody handled in time: the "
        "Finance Manager, who supervises the desk.")

    @classmethod
    def default_escalate_after(cls):
        return escalation.DEFAULT_MINUTES


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('water.desk.message|escalate', "Escalate Urgent Messages"))
