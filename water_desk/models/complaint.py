# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Customer complaints: received at the desk, assigned to a colleague,
followed up, resolved and closed.

A complaint has its category (high bill, water quality, pressure, leak,
billing error, meter, staff, other), the account, premise and service it
is about, who received it and when (stamped by the server), whom it is
assigned to (told through Tryton's user notifications) and the date to
follow it up.  Its notes thread is Tryton's own (the record's notes).  It
can order field work at its premise (a re-read, a leak check, a pressure
check: water_utility's service orders, linked back) and shows the
orders' outcome.  Resolved with its resolution by the assignee or the
desk's supervisor, closed by the supervisor; closed, it is sealed."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedMixin

from .. import complaint_rules
from ..exceptions import ComplaintError
from .message import _now, notify_users, supervises

CATEGORIES = [
    ('high_bill', "High Bill"),
    ('water_quality', "Water Quality"),
    ('pressure', "Pressure"),
    ('leak', "Leak"),
    ('billing_error', "Billing Error"),
    ('meter', "Meter"),
    ('staff', "Staff"),
    ('other', "Other"),
    ]
OPEN = ['received', 'assigned']
# Field work a complaint may order at its premise
ORDERS = {
    'request_reread': 'reread',
    'request_leak_check': 'leak_check',
    'request_pressure_check': 'pressure_check',
    }
_open = {'readonly': ~Eval('state').in_(OPEN)}


class Complaint(SealedMixin, Workflow, ModelSQL, ModelView):
    "Customer complaint"
    __name__ = 'water.desk.complaint'
    _rec_name = 'subject'
    _sealed_states = frozenset({'closed'})
    _sealed_message = 'water_desk.msg_complaint_sealed'
    _workflow_message = 'water_desk.msg_complaint_workflow'
    _workflow_fields = frozenset({
            'state', 'received_by', 'received_at', 'resolved_by',
            'resolved_at', 'closed_by', 'closed_at'})

    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT', states=_open)
    category = fields.Selection(CATEGORIES, "Category", required=True,
        sort=False, states=_open)
    category_string = category.translated('category')
    subject = fields.Char("Subject", required=True, states=_open)
    description = fields.Text("Complaint", states=_open)
    contact = fields.Char("Contact", states=_open,
        help="Who complained, if not the account's customer.")
    phone = fields.Char("Phone", states=_open)
    account = fields.Many2One('water.account', "Account",
        ondelete='RESTRICT', states=_open)
    premise = fields.Many2One('water.premise', "Premise",
        ondelete='RESTRICT', states=_open)
    service = fields.Many2One('water.service', "Service",
        ondelete='RESTRICT', states=_open,
        domain=[('premise', '=', Eval('premise', -1))])
    received_by = fields.Many2One('res.user', "Received By", readonly=True,
        ondelete='RESTRICT')
    received_at = fields.Timestamp("Received At", readonly=True)
    assigned_to = fields.Many2One('res.user', "Assigned To",
        ondelete='RESTRICT', states=_open)
    follow_up = fields.Date("Follow Up On", states=_open)
    service_orders = fields.One2Many('water.service.order', 'complaint',
        "Service Orders", readonly=True)
    letters = fields.One2Many('water.desk.letter', 'complaint', "Letters",
        readonly=True)
    resolution = fields.Text("Resolution",
        states={'readonly': Eval('state') == 'closed'})
    resolved_by = fields.Many2One('res.user', "Resolved By", readonly=True,
        ondelete='RESTRICT')
    resolved_at = fields.Timestamp("Resolved At", readonly=True)
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True,
        ondelete='RESTRICT')
    closed_at = fields.Timestamp("Closed At", readonly=True)
    age = fields.Function(fields.Integer("Days Open"), 'get_age')
    mine = fields.Function(fields.Boolean("Mine"), 'get_mine',
        searcher='search_mine')
    overdue = fields.Function(fields.Boolean("Follow-Up Overdue"),
        'get_overdue', searcher='search_overdue')
    state = fields.Selection([
            ('received', "Received"),
            ('assigned', "Assigned"),
            ('resolved', "Resolved"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('received', 'assigned'), ('assigned', 'assigned'),
            ('received', 'resolved'), ('assigned', 'resolved'),
            ('resolved', 'assigned'), ('resolved', 'closed'),
            }
        in_open = ~Eval('state').in_(OPEN)
        cls._buttons.update({
                'assign': {'invisible': in_open, 'depends': ['state']},
                'resolve': {'invisible': in_open, 'depends': ['state']},
                'reopen': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                **{name: {'invisible': in_open, 'depends': ['state']}
                    for name in ORDERS},
                'write_response': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'received'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            # the server's stamps, whatever the client sent
            values['received_by'] = Transaction().user
            values['received_at'] = _now()
        return values

    @classmethod
    def _check_created_defaults(cls, records):
        for record in records:
            forged = {n for n in cls._workflow_fields
                - {'state', 'received_by', 'received_at'}
                if getattr(record, n)}
            if record.state != 'received':
                forged.add('state')
            if forged:
                cls._raise_workflow(record, forged)

    @fields.depends('service', 'premise')
    def on_change_service(self):
        if self.service and not self.premise:
            self.premise = self.service.premise

    def get_age(self, name):
        Date = Pool().get('ir.date')
        end = (self.local_date('resolved_at') if self.resolved_at
            else Date.today())
        return complaint_rules.age(self.local_date('received_at'), end)

    def local_date(self, name):
        "The district's day of the timestamp `name`"
        return complaint_rules.local_date(getattr(self, name),
            self.company.timezone if self.company else None)

    def get_mine(self, name):
        return bool(self.assigned_to
            and self.assigned_to.id == Transaction().user)

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause[:3]
        user = Transaction().user
        if (operator == '=') == bool(value):
            return [('assigned_to', '=', user)]
        return ['OR', ('assigned_to', '!=', user),
            ('assigned_to', '=', None)]

    def get_overdue(self, name):
        Date = Pool().get('ir.date')
        return complaint_rules.overdue(
            self.follow_up, self.state in OPEN, Date.today())

    @classmethod
    def search_overdue(cls, name, clause):
        Date = Pool().get('ir.date')
        _, operator, value = clause[:3]
        overdue = [('state', 'in', OPEN), ('follow_up', '<', Date.today())]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR', ('state', 'not in', OPEN),
            ('follow_up', '=', None), ('follow_up', '>=', Date.today())]

    @classmethod
    @ModelView.button
    @Workflow.transition('assigned')
    def assign(cls, complaints):
        "Assign each complaint to its Assigned To, who is told"
        for complaint in complaints:
            if not complaint.assigned_to:
                cls._refuse('msg_complaint_assignee', complaint)
        notify_users(cls.__name__, [(c, [c.assigned_to],
                    gettext('water_desk.msg_notify_complaint',
                        category=c.category_string, subject=c.subject))
                for c in complaints])

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, complaints):
        """Resolve the complaints, each with its resolution, by its
        assignee or the supervisor; field work still open refuses it"""
        user = Transaction().user
        for complaint in complaints:
            if not (complaint.resolution or '').strip():
                cls._refuse('msg_complaint_resolution', complaint)
            if not (complaint.mine or cls._supervises()
                    or not complaint.assigned_to):
                cls._refuse('msg_complaint_not_yours', complaint)
            if any(o.state in {'requested', 'scheduled'}
                    for o in complaint.service_orders):
                cls._refuse('msg_complaint_orders_open', complaint)
        cls.write(complaints, {'resolved_by': user, 'resolved_at': _now()})

    @classmethod
    @ModelView.button
    @Workflow.transition('assigned')
    def reopen(cls, complaints):
        cls.write(complaints, {'resolved_by': None, 'resolved_at': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, complaints):
        "Close resolved complaints: the supervisor's"
        if not cls._supervises():
            for complaint in complaints:
                cls._refuse('msg_complaint_close', complaint)
        cls.write(complaints, {
                'closed_by': Transaction().user, 'closed_at': _now()})

    @classmethod
    def _supervises(cls):
        User = Pool().get('res.user')
        return supervises(User(Transaction().user))

    @classmethod
    def _refuse(cls, message, complaint):
        raise ComplaintError(gettext(f'water_desk.{message}',
                complaint=complaint.rec_name))

    @classmethod
    def _order_work(cls, complaints, type_):
        "Order field work of `type_` at each complaint's premise"
        pool = Pool()
        Order = pool.get('water.service.order')
        Date = pool.get('ir.date')
        orders = []
        for complaint in complaints:
            if not complaint.premise:
                cls._refuse('msg_complaint_premise', complaint)
            orders.append(Order(type=type_, premise=complaint.premise,
                    service=complaint.service, complaint=complaint,
                    requested_date=Date.today(),
                    notes=complaint.subject))
        Order.save(orders)

    @classmethod
    @ModelView.button
    def request_reread(cls, complaints):
        cls._order_work(complaints, ORDERS['request_reread'])

    @classmethod
    @ModelView.button
    def request_leak_check(cls, complaints):
        cls._order_work(complaints, ORDERS['request_leak_check'])

    @classmethod
    @ModelView.button
    def request_pressure_check(cls, complaints):
        cls._order_work(complaints, ORDERS['request_pressure_check'])


    @classmethod
    @ModelView.button
    def write_response(cls, complaints):
        """Draft the complaint response letter of each resolved complaint,
        in its account's language, for the clerk to edit and send"""
        Letter = Pool().get('water.desk.letter')
        letters = []
        for complaint in complaints:
            if not complaint.account:
                cls._refuse('msg_complaint_no_account', complaint)
            letter = Letter(account=complaint.account, complaint=complaint,
                kind='complaint_response', company=complaint.company)
            letter.on_change_account()
            letter.on_change_kind()
            letters.append(letter)
        Letter.save(letters)


class ServiceOrder(metaclass=PoolMeta):
    __name__ = 'water.service.order'
    complaint = fields.Many2One('water.desk.complaint', "Complaint",
        readonly=True, ondelete='RESTRICT',
        help="The complaint that ordered the work.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        pressure = ('pressure_check', "Pressure Check")
        if pressure not in cls.type.selection:
            cls.type.selection.append(pressure)

    def _do_pressure_check(self):
        "The crew's pressure reading is kept in the order's notes"

