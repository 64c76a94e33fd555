# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The account's desk history: its complaints, messages, letters and
service orders (and the interruptions of its service) in one list,
newest first, read from the records themselves.  The money history
stays water_utility's (water.account.history, read from the ledger)."""
from sql import Literal, Union
from sql.conditionals import Coalesce
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

KINDS = [
    ('complaint', "Complaint"),
    ('message', "Message"),
    ('letter', "Letter"),
    ('service_order', "Service Order"),
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
        """[(kind, table, account column, user column)]: each source of
        the history; the row's id is the record's id times the number of
        sources plus the source's place"""
        pool = Pool()
        Complaint = pool.get('water.desk.complaint')
        Message = pool.get('water.desk.message')
        Letter = pool.get('water.desk.letter')
        Order = pool.get('water.service.order')
        Service = pool.get('water.service')
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
        return [
            ('complaint', complaint, complaint, complaint.account,
                complaint.received_by),
            ('message', message, message, message.account,
                message.taken_by),
            ('letter', letter, letter, letter.account,
                Coalesce(letter.sent_by, letter.written_by)),
            ('service_order', orders, order,
                Coalesce(service.account, by_complaint.account),
                order.create_uid),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        sources = cls._sources()
        queries = []
        for place, (kind, from_, table, account, user) in enumerate(sources):
            Model = pool.get(_MODELS[kind])
            queries.append(from_.select(
                    (table.id * len(sources) + place).as_('id'),
                    table.create_uid.as_('create_uid'),
                    table.create_date.as_('create_date'),
                    Literal(None).as_('write_uid'),
                    Literal(None).as_('write_date'),
                    account.as_('account'),
                    table.create_date.as_('at'),
                    Literal(kind).as_('kind'),
                    Concat(f'{Model.__name__},', table.id).as_('document'),
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
                result['summary'][line.id] = document.rec_name
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
    }
