# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The read exception queue and the rules that fill it."
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .. import registers, usage as usage_arithmetic
from ..exceptions import ReadingError
from .mixins import Sealed
from .reading import usage_history
from .service import METER_PURPOSE, SERVICE_TYPES

KINDS = [
    ('high', "High Usage"),
    ('low', "Low Usage"),
    ('zero', "Zero Usage"),
    ('leak', "Leak Flag"),
    ('tamper', "Tamper Flag"),
    ('estimates', "Consecutive Estimates"),
    ('stopped', "Read on a Stopped Service"),
    ]
_open = Eval('state') != 'open'
# What a button answers the web client for a list to search again: its
# tabs' counts (Open 68) then tell what is left, not what was
RELOAD = 'reload'


class ReadRule(ModelSQL, ModelView):
    "The high/low usage limits of a service type"
    __name__ = 'water.read.rule'

    service_type = fields.Selection(
        SERVICE_TYPES, "Service Type", required=True)
    high_percent = fields.Numeric(
        "High Above (%)", digits=(5, 1), required=True,
        domain=[('high_percent', '>=', 0)],
        help="Usage more than this percent above the expected usage "
        "raises a high usage exception.")
    low_percent = fields.Numeric(
        "Low Below (%)", digits=(5, 1), required=True,
        domain=[('low_percent', '>=', 0), ('low_percent', '<=', 100)],
        help="Usage more than this percent below the expected usage "
        "raises a low usage exception.")
    periods = fields.Integer(
        "History Periods", required=True, domain=[('periods', '>=', 1)],
        help="How many past reads make the expected usage.")
    zero_usage = fields.Boolean(
        "Zero Usage", help="Zero usage on an active service is an "
        "exception.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('service_type', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_high_percent(cls):
        return Decimal(50)

    @classmethod
    def default_low_percent(cls):
        return Decimal(50)

    @classmethod
    def default_periods(cls):
        return 6

    @classmethod
    def default_zero_usage(cls):
        return True

    @classmethod
    def rules(cls):
        "Return {service type: usage.Rules} with the defaults filled in"
        rules = defaultdict(usage_arithmetic.Rules)
        for rule in cls.search([]):
            rules[rule.service_type] = usage_arithmetic.Rules(
                high_percent=rule.high_percent,
                low_percent=rule.low_percent,
                periods=rule.periods,
                zero_usage=bool(rule.zero_usage))
        return rules


class ReadingException(Sealed, Workflow, ModelSQL, ModelView):
    """A suspicious read: the service it belongs to is held from billing
    until a clerk accepts, corrects, estimates or sends the crew."""
    __name__ = 'water.meter.reading.exception'
    # Resolved (or handed to the crew), the exception is the record of
    # who released the bill and how: only its buttons move it on.
    _sealed_states = frozenset({
            'accepted', 'corrected', 'estimated', 'reread', 'leak_check'})
    _sealed_message = 'water_utility.msg_reading_exception_resolved'
    _workflow_fields = frozenset({
            'state', 'resolved_by', 'resolved_date', 'service_order'})

    reading = fields.Many2One(
        'water.meter.reading', "Read", required=True, readonly=True,
        ondelete='CASCADE')
    meter = fields.Function(
        fields.Many2One('water.meter', "Meter"), 'get_reading_field',
        searcher='search_reading_field')
    read_date = fields.Function(
        fields.Date("Read Date"), 'get_reading_field',
        searcher='search_reading_field')
    value = fields.Function(
        fields.Numeric("Read", digits=(16, 2)), 'get_reading_field')
    service = fields.Many2One(
        'water.service', "Service", readonly=True, ondelete='RESTRICT')
    premise = fields.Function(
        fields.Many2One('water.premise', "Premise"), 'get_premise',
        searcher='search_premise')
    kind = fields.Selection(KINDS, "Exception", required=True,
        readonly=True)
    details = fields.Char("Details", readonly=True)
    corrected_value = fields.Numeric(
        "Corrected Read", digits=(16, 2),
        domain=['OR', ('corrected_value', '=', None),
            ('corrected_value', '>=', 0)],
        states={'readonly': _open},
        help="The right read, when the read was mistyped or misread; "
        "the original is kept on the read.")
    service_order = fields.Many2One(
        'water.service.order', "Service Order", readonly=True)
    resolved_by = fields.Many2One('res.user', "Resolved By", readonly=True)
    resolved_date = fields.Date("Resolved Date", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('accepted', "Accepted"),
            ('corrected', "Corrected"),
            ('estimated', "Estimated"),
            ('reread', "Re-Read Ordered"),
            ('leak_check', "Leak Check Ordered"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('reading')
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('open', 'accepted'),
            ('open', 'corrected'),
            ('open', 'estimated'),
            ('open', 'reread'),
            ('open', 'leak_check'),
            ('reread', 'accepted'),
            ('leak_check', 'accepted'),
            }
        cls._buttons.update({
                name: {
                    'invisible': _open,
                    'depends': ['state'],
                    }
                for name in ['correct', 'estimate', 'send_reread',
                    'send_leak_check']})
        cls._buttons['accept'] = {
            'invisible': ~Eval('state').in_(
                ['open', 'reread', 'leak_check']),
            'depends': ['state'],
            }

    @classmethod
    def default_state(cls):
        return 'open'

    def get_reading_field(self, name):
        value = getattr(self.reading, name)
        return value.id if name == 'meter' else value

    @classmethod
    def search_reading_field(cls, name, clause):
        return [('reading.' + clause[0], *clause[1:])]

    def get_premise(self, name):
        return self.service.premise.id if self.service else None

    @classmethod
    def search_premise(cls, name, clause):
        return [('service.premise' + clause[0][len(name):], *clause[1:])]

    def get_rec_name(self, name):
        return f'{self.kind_string}: {self.reading.rec_name}'

    kind_string = kind.translated('kind')

    @classmethod
    def _resolve(cls, exceptions):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(exceptions, {
                'resolved_by': Transaction().user,
                'resolved_date': Date.today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, exceptions):
        "The read is right: bill it as it is"
        cls._resolve(exceptions)
        return RELOAD

    @classmethod
    @ModelView.button
    @Workflow.transition('corrected')
    def correct(cls, exceptions):
        "Replace the read by the corrected read, keeping the original"
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        for exception in exceptions:
            if exception.corrected_value is None:
                raise ReadingError(gettext(
                        'water_utility.msg_exception_corrected_value',
                        exception=exception.rec_name))
        for exception in exceptions:
            read = exception.reading
            Reading.write([read], {
                    'original_value': (read.original_value
                        if read.original_value is not None else read.value),
                    'value': exception.corrected_value,
                    })
        cls._resolve(exceptions)
        return RELOAD

    @classmethod
    @ModelView.button
    @Workflow.transition('estimated')
    def estimate(cls, exceptions):
        """Replace the read by an estimate: average daily use over the
        service's history times the days of the period.  The next actual
        read trues it up, since usage runs from read to read."""
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        for exception in exceptions:
            read = exception.reading
            previous, history = read.history()
            if previous is None:
                raise ReadingError(gettext(
                        'water_utility.msg_exception_no_history',
                        exception=exception.rec_name))
            days = (read.read_date - previous.read_date).days
            estimated = usage_arithmetic.estimate(history, days)
            meter = read.meter
            value = previous.value + (
                estimated / meter.multiplier).quantize(Decimal('0.01'))
            limit = registers.register_limit(meter.dials)
            Reading.write([read], {
                    'original_value': (read.original_value
                        if read.original_value is not None else read.value),
                    'value': value % limit,
                    'rollover': value >= limit,
                    'source': 'estimate',
                    })
        cls._resolve(exceptions)
        return RELOAD

    @classmethod
    @ModelView.button
    @Workflow.transition('reread')
    def send_reread(cls, exceptions):
        "Send the field crew to read the meter again"
        cls._order_field_work(exceptions, 'reread')
        return RELOAD

    @classmethod
    @ModelView.button
    @Workflow.transition('leak_check')
    def send_leak_check(cls, exceptions):
        "Send the field crew to look for a leak"
        cls._order_field_work(exceptions, 'leak_check')
        return RELOAD

    @classmethod
    def _order_field_work(cls, exceptions, type_):
        pool = Pool()
        ServiceOrder = pool.get('water.service.order')
        orders = []
        for exception in exceptions:
            read = exception.reading
            premise = (exception.service.premise if exception.service
                else read.meter.premise)
            orders.append(ServiceOrder(
                    type=type_, premise=premise, service=exception.service,
                    meter=read.meter, reading_exception=exception,
                    notes=exception.rec_name))
        ServiceOrder.save(orders)
        for exception, order in zip(exceptions, orders):
            exception.service_order = order
        cls.save(exceptions)

    @classmethod
    def raise_for_reads(cls, reads):
        """Check `reads` against the district's rules, each with the
        service its meter served on its date, and create their exceptions:
        what a route book, a read typed in the form and a read sent over
        the API go through.  Return the exceptions created."""
        pool = Pool()
        Service = pool.get('water.service')
        index = ServiceIndex({r.meter.id for r in reads})
        found = {r: index.find(r.meter.id, r.read_date) for r in reads}
        return cls.raise_for(
            reads, {r: Service(s[0]) for r, s in found.items() if s})

    @classmethod
    def raise_for(cls, reads, services):
        """Check `reads` against the district's rules and create their
        exceptions; `services` maps a read to its service (or None).
        An exception a read already has open is not raised twice.
        Return the exceptions created."""
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        rules, max_estimates = rule_settings()
        chains = Reading._chains(reads)
        already = {(e.reading.id, e.kind) for e in cls.search([
                    ('reading', 'in', [r.id for r in reads]),
                    ('state', '=', 'open'),
                    ])}
        to_create = []
        for read in reads:
            service = services.get(read)
            chain = chains[read.meter.id, read.register]
            position = [r.id for r in chain].index(read.id)
            current = chain[position]
            for kind, details in findings(
                    current, chain[:position], read.leak, read.tamper,
                    service and (service.service_type, service.state),
                    rules, max_estimates):
                if (read.id, kind) in already:
                    continue
                to_create.append({
                        'reading': read.id,
                        'service': service.id if service else None,
                        'kind': kind,
                        'details': details,
                        })
        return cls.create(to_create)


def rule_settings():
    "Return the rules per service type and the estimates allowed in a row"
    pool = Pool()
    Rule = pool.get('water.read.rule')
    Configuration = pool.get('water.configuration')
    return Rule.rules(), Configuration(1).max_consecutive_estimates


def findings(read, before, leak, tamper, service, rules, max_estimates):
    """Return [(kind, details)] of the exceptions a read raises.

    `read` and `before` are chain rows (usage, usage_days, source);
    `service` is (service type, state) or None."""
    found = []
    service_type, state = service or (None, None)
    if state == 'stopped':
        found.append(('stopped', None))
    if leak:
        found.append(('leak', None))
    if tamper:
        found.append(('tamper', None))
    if read.source == 'estimate' and max_estimates:
        run = 1
        for previous in reversed(before):
            if previous.source != 'estimate':
                break
            run += 1
        if run > max_estimates:
            found.append(('estimates', str(run)))
    if state == 'active' and read.usage is not None:
        history = usage_history(before)
        rule = rules[service_type]
        expected = usage_arithmetic.expected_usage(
            history, read.usage_days, rule.periods)
        for kind in usage_arithmetic.usage_checks(
                read.usage, read.usage_days, history, rule):
            found.append((kind, gettext(
                        'water_utility.msg_exception_usage',
                        usage=read.usage, days=read.usage_days,
                        expected=(expected.quantize(Decimal('0.1'))
                            if expected is not None else '-'))))
    return found


class ServiceIndex:
    """Which service a meter's read belongs to, from two queries: the
    service of the meter's premise and purpose covering the read date,
    else the latest one that ended before it (a read on a stopped
    service)."""

    def __init__(self, meter_ids):
        pool = Pool()
        Installation = pool.get('water.meter.installation')
        Service = pool.get('water.service')
        Account = pool.get('water.account')
        installation = Installation.__table__()
        service = Service.__table__()
        account = Account.__table__()
        cursor = Transaction().connection.cursor()
        self.installations = defaultdict(list)
        cursor.execute(*installation.select(
                installation.meter, installation.premise,
                installation.purpose, installation.install_date,
                installation.removal_date,
                where=fields.SQL_OPERATORS['in'](
                    installation.meter, list(meter_ids))))
        premises = set()
        for meter, premise, purpose, installed, removed in cursor:
            self.installations[meter].append(
                (premise, purpose, installed, removed))
            premises.add(premise)
        self.services = defaultdict(list)
        self.account_numbers = defaultdict(set)
        cursor.execute(*service.join(
                account, condition=service.account == account.id).select(
                service.id, service.premise, service.service_type,
                service.state, service.start_date, service.end_date,
                account.number,
                where=fields.SQL_OPERATORS['in'](
                    service.premise, list(premises))
                & service.state.in_(['active', 'stopped']),
                order_by=[service.start_date, service.id]))
        for id_, premise, type_, state, start, end, number in cursor:
            self.services[premise].append((id_, type_, state, start, end))
            if state == 'active':
                self.account_numbers[premise].add(number)

    def accounts(self, meter_id):
        """Account numbers of the active services where the meter is
        installed now: a file naming another account for it is wrong."""
        return set().union(*(self.account_numbers[premise]
                for premise, _, _, removed in self.installations[meter_id]
                if removed is None))

    def find(self, meter_id, date):
        "Return (service id, service type, state) or None"
        for premise, purpose, installed, removed in self.installations[
                meter_id]:
            if not (installed <= date and (removed is None
                        or date <= removed)):
                continue
            candidates = [s for s in self.services[premise]
                if METER_PURPOSE[s[1]] == purpose and s[3] <= date]
            covering = [s for s in candidates if s[4] is None or date < s[4]]
            chosen = (covering or candidates or [None])[-1]
            if chosen:
                return chosen[:3]
        return None
