# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The account's desk history: its complaints, messages, letters and
service orders (and the interruptions of its service) in one list,
newest first, read from the records themselves.  The money history
stays water_utility's (water.account.history, read from the ledger)."""
from sql import Literal, Union
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

KINDS = [
    ('complaint', "Complaint"),
    ('message', "Message"),
    ('letter', "Letter"),
    ('service_order', "Service Order"),
    ('interruption', "Service Interrupted"),
    ]


class DeskHistory(ModelSQL, ModelView):
    "Account desk history"
    __name__ = 'water.desk.history'

    account = fields.Many2One('water.account', "Account", readonly=True)
    at = fields.Timestamp("At", readonly=True)
    kind = fields.Selection(KINDS, "Kind", readonly=True)
    document = fields.Reference("Document", selection='get_documents',
        readonly=True)
    user = fields.Many2One('res.user', "By", readonly=True)
    summary = fields.Function(fields.Char("Summary"), 'get_summary')
    status = fields.Function(fields.Char("Status"), 'get_summary')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('at', 'DESC'), ('id', 'DESC')]

    @classmethod
    def _sources(cls):
        """[(kind, from, table, account, user, at, document id)], the
        last four columns: each source of the history; the row's id is the
        table's id times the number of sources plus the source's place"""
        pool = Pool()
        Complaint = pool.get('water.desk.complaint')
        Message = pool.get('water.desk.message')
        Letter = pool.get('water.desk.letter')
        Order = pool.get('water.service.order')
        Service = pool.get('water.service')
        Event = pool.get('water.desk.event')
        Affected = pool.get('water.desk.event.service')
        event = Event.__table__()
        affected = Affected.__table__()
        complaint = Complaint.__table__()
        message = Message.__table__()
        letter = Letter.__table__()
        order = Order.__table__()
        service = Service.__table__()
        by_complaint = Complaint.__table__()
        orders = (order
            .join(service, 'LEFT', condition=order.service == service.id)
            .join(by_complaint, 'LEFT',
                condition=order.complaint == by_complaint.id))
        interruptions = affected.join(event,
            condition=affected.event == event.id)
        return [
            ('complaint', complaint, complaint, complaint.account,
                complaint.received_by, complaint.create_date, complaint.id),
            ('message', message, message, message.account,
                message.taken_by, message.create_date, message.id),
            ('letter', letter, letter, letter.account,
                Coalesce(letter.sent_by, letter.written_by),
                letter.create_date, letter.id),
            ('service_order', orders, order,
                Coalesce(service.account, by_complaint.account),
                order.create_uid, order.create_date, order.id),
            # each shut-off that took an account's water: the event
            ('interruption', interruptions, affected, affected.account,
                event.create_uid, event.start, event.id),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        sources = cls._sources()
        queries = []
        for place, (kind, from_, table, account, user, at, document) in (
                enumerate(sources)):
            Model = pool.get(_MODELS[kind])
            queries.append(from_.select(
                    (table.id * len(sources) + place).as_('id'),
                    table.create_uid.as_('create_uid'),
                    table.create_date.as_('create_date'),
                    Literal(None).as_('write_uid'),
                    Literal(None).as_('write_date'),
                    account.as_('account'),
                    at.as_('at'),
                    Literal(kind).as_('kind'),
                    Concat(f'{Model.__name__},', document).as_('document'),
                    user.as_('user'),
                    where=account != None))  # noqa: E711
        return Union(*queries, all_=True)

    @classmethod
    def get_documents(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + [(m, Model.get_name(m))
            for m in _MODELS.values()]

    @classmethod
    def get_summary(cls, lines, names):
        result = {n: {} for n in names}
        for line in lines:
            document = line.document
            if 'summary' in names:
                result['summary'][line.id] = summary(line.kind, document)
            if 'status' in names:
                state = document._fields['state']
                result['status'][line.id] = dict(
                    state.selection).get(document.state, document.state)
        return result


_MODELS = {
    'complaint': 'water.desk.complaint',
    'message': 'water.desk.message',
    'letter': 'water.desk.letter',
    'service_order': 'water.service.order',
    'interruption': 'water.desk.event',
    }


def summary(kind, document):
    "What a line of the history says of its document"
    if kind == 'interruption':
        return gettext('water_desk.msg_history_interruption',
            event=document.rec_name, hours=document.hours_out)
    return document.rec_name
