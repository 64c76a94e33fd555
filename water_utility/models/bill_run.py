# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bill runs: a cycle's services from clean reads to a billing register,
then to posted customer invoices, one per account."""
import contextlib
import csv
import io
import logging
from collections import defaultdict
from decimal import Decimal

from genshi.input import XML
from sql.aggregate import Count, Max, Sum
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, TransactionError

from .. import rates, usage as usage_arithmetic
from ..exceptions import BillRunError
from .account import apply_credits
from .ledger import STOCK_CONTEXT, post_invoices, stock_reason
from .mixins import Computed, NumberedMixin, Sealed
from .printing import render_bills
from .reading import _decimal, insert_rows, update_rows
from .service import METER_PURPOSE
from .report import DistrictReport
from .service_order import UNIT_NAMES

HOLD_REASONS = [
    ('exception', "Open Read Exception"),
    ('no_read', "No Read"),
    ('no_final_read', "Stopped Without Final Read"),
    ('no_rate', "No Rate Schedule"),
    ('rate_error', "Rate Cannot Be Applied"),
    ('other_run', "In Another Run"),
    ]
_draft = {'readonly': Eval('state') != 'draft'}
POST_BATCH = 500
NOW_CONTEXT = 'water_now'
logger = logging.getLogger(__name__)


class BillRun(NumberedMixin, Sealed, Workflow, ModelSQL, ModelView):
    "The bills of a cycle for a period: calculated, reviewed, then posted"
    __name__ = 'water.bill.run'
    _number_sequence = 'bill_run_sequence'
    _rec_name = 'number'
    # From the moment its bills start to post, the run is their record.
    _sealed_states = frozenset({
            'posting', 'posted', 'delivering', 'delivered'})
    _sealed_message = 'water_utility.msg_bill_run_delete'
    _workflow_fields = frozenset({
            'state', 'posted_by', 'print_file', 'print_file_name',
            'print_file_id', 'print_extract', 'print_extract_name',
            'print_extract_id', 'pieces_mailed', 'emailed', 'delivered_by',
            'delivered_on', 'failure', 'posting_note'})

    number = fields.Char("Number", readonly=True)
    cycle = fields.Many2One(
        'water.cycle', "Cycle", required=True, ondelete='RESTRICT',
        states=_draft)
    routes = fields.Many2Many(
        'water.bill.run-water.route', 'run', 'route', "Routes",
        domain=[('cycle', '=', Eval('cycle', -1))], states=_draft,
        help="Only these routes of the cycle; empty for all.")
    read_date = fields.Date("Reads Up To", required=True, states=_draft,
        help="Reads up to this day are billed.")
    bill_date = fields.Date("Bill Date", required=True, states=_draft)
    message = fields.Text("Message", states=_draft,
        help="Printed on every bill of the run.")
    bills = fields.One2Many('water.bill', 'run', "Bills", readonly=True)
    holds = fields.One2Many('water.bill.hold', 'run', "Held Back",
        readonly=True)
    bill_count = fields.Function(fields.Integer("Bills"), 'get_totals')
    posted_count = fields.Function(fields.Integer("Bills Posted",
            help="Posting goes a batch at a time, each committed: the "
            "count grows while the run posts."), 'get_totals')
    progress = fields.Function(fields.Float("Posted", digits=(1, 4)),
        'get_totals')
    hold_count = fields.Function(fields.Integer("Held Back"), 'get_totals')
    total = fields.Function(
        fields.Numeric("Total", digits=(16, 2)), 'get_totals')
    posted_by = fields.Many2One('res.user', "Posted By", readonly=True)
    posting_note = fields.Char("Posted", readonly=True,
        states={'invisible': ~Eval('posting_note')},
        help="Why the bills posted one by one through Tryton's own posting "
        "rather than in bulk (slower, same ledger rows).")
    failure = fields.Text("Stopped On", readonly=True,
        states={'invisible': ~Eval('failure')},
        help="Why posting or delivering stopped: correct it, then Resume.")
    print_file = fields.Binary(
        "Print File", filename='print_file_name', file_id='print_file_id',
        readonly=True,
        help="The paper bills of the run in one PDF, sorted by postal code "
        "for presort.")
    print_file_name = fields.Char("Print File Name", readonly=True)
    print_file_id = fields.Char("Print File ID", readonly=True)
    print_extract = fields.Binary(
        "Print Vendor Extract", filename='print_extract_name',
        file_id='print_extract_id', readonly=True,
        help="One CSV row per paper bill, for a bill-print vendor.")
    print_extract_name = fields.Char("Print Extract Name", readonly=True)
    print_extract_id = fields.Char("Print Extract ID", readonly=True)
    pieces_mailed = fields.Integer("Pieces Mailed", readonly=True,
        help="Paper bills in the print file: postage reconciliation "
        "counts them.")
    emailed = fields.Integer("Bills Emailed", readonly=True)
    delivered_by = fields.Many2One('res.user', "Delivered By", readonly=True)
    delivered_on = fields.Date("Delivered On", readonly=True,
        help="The day the print file was made: the postage "
        "reconciliation counts its pieces on that day.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('calculated', "Calculated"),
            ('posting', "Posting"),
            ('posted', "Posted"),
            ('delivering', "Delivering"),
            ('delivered', "Delivered"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('bill_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'calculated'),
            ('calculated', 'calculated'),
            ('calculated', 'draft'),
            ('calculated', 'posting'),
            ('posting', 'posted'),
            ('posted', 'delivering'),
            ('delivering', 'delivered'),
            ('draft', 'cancelled'),
            ('calculated', 'cancelled'),
            }
        cls._buttons.update({
                'calculate': {
                    'invisible': ~Eval('state').in_(['draft', 'calculated']),
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'calculated',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'calculated',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'calculated']),
                    'depends': ['state'],
                    },
                'deliver': {
                    'invisible': Eval('state') != 'posted',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': ~Eval('state').in_(
                        ['posting', 'delivering']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_bill_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_read_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def get_totals(cls, runs, names):
        "Counted and summed in the database: a run has thousands of bills"
        pool = Pool()
        Bill = pool.get('water.bill')
        Hold = pool.get('water.bill.hold')
        Line = pool.get('water.bill.line')
        Period = pool.get('water.bill.period')
        cursor = Transaction().connection.cursor()
        bill = Bill.__table__()
        hold = Hold.__table__()
        line = Line.__table__()
        period = Period.__table__()
        ids = [r.id for r in runs]
        counts = {i: [0, 0, 0, Decimal('0.00')] for i in ids}
        for sub_ids in map(list, grouped_slice(ids, 1000)):
            cursor.execute(*bill.select(bill.run, Count(bill.id),
                    Sum(Case((bill.state == 'posted', 1), else_=0)),
                    where=reduce_ids(bill.run, sub_ids),
                    group_by=bill.run))
            for run_id, count, posted in cursor:
                counts[run_id][0:2] = [count, int(posted or 0)]
            cursor.execute(*hold.select(hold.run, Count(hold.id),
                    where=reduce_ids(hold.run, sub_ids),
                    group_by=hold.run))
            for run_id, count in cursor:
                counts[run_id][2] = count
            cursor.execute(*line
                .join(period, condition=line.period == period.id)
                .join(bill, condition=period.bill == bill.id)
                .select(bill.run, Sum(line.amount),
                    where=reduce_ids(bill.run, sub_ids),
                    group_by=bill.run))
            for run_id, total in cursor:
                counts[run_id][3] = _cents(total)
        result = {n: {} for n in names}
        for run_id, (count, posted, holds, total) in counts.items():
            values = {
                'bill_count': count,
                'posted_count': posted,
                'progress': posted / count if count else 0.0,
                'hold_count': holds,
                'total': total,
                }
            for name in names:
                result[name][run_id] = values[name]
        return result

    @classmethod
    def _clear(cls, runs):
        pool = Pool()
        Bill = pool.get('water.bill')
        Hold = pool.get('water.bill.hold')
        Bill.delete([b for r in runs for b in r.bills])
        Hold.delete([h for r in runs for h in r.holds])

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        cls._clear(runs)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, runs):
        cls._clear(runs)

    @classmethod
    @ModelView.button
    @Workflow.transition('calculated')
    def calculate(cls, runs):
        """Compute every service's bill into the billing register, holding
        back those that cannot be billed with the reason; calculating
        again starts over."""
        cls._clear(runs)
        for run in runs:
            run._calculate()

    def services(self):
        "The services of the run's cycle (or routes) that may be billed"
        pool = Pool()
        Service = pool.get('water.service')
        routes = ([r.id for r in self.routes] if self.routes
            else [r.id for r in self.cycle.routes])
        return Service.search([
                ('premise.route', 'in', routes),
                ['OR',
                    ('state', '=', 'active'),
                    [('state', '=', 'stopped'), ('final_bill', '=', True)],
                    ],
                ], order=[('premise.route.code', 'ASC'),
                ('premise.read_sequence', 'ASC'), ('id', 'ASC')])

    def _calculate(self):
        """Build the register set-wise: a few queries for the whole run,
        the rates in plain Python, and one insert per table."""
        pool = Pool()
        Bill = pool.get('water.bill')
        Period = pool.get('water.bill.period')
        Line = pool.get('water.bill.line')
        Hold = pool.get('water.bill.hold')
        services = self.services()
        progress = Transaction().context.get('water_progress') or (
            lambda message: None)
        progress(f"{self.rec_name}: loading {len(services)} services")
        data = RunData(self, services)
        holds, periods = [], defaultdict(list)
        for count, service in enumerate(services, 1):
            if count % 1000 == 0:
                progress(f"{self.rec_name}: {count}/{len(services)} "
                    "services")
            try:
                period = ServicePeriod.of(service, data)
            except HoldBack as hold:
                holds.append({'run': self.id, 'service': service.id,
                        'reason': hold.reason, 'details': hold.details})
                continue
            if period is not None:
                periods[service.account.id].append(period)
        progress(f"{self.rec_name}: {len(periods)} bills, "
            f"{len(holds)} services held back")
        accounts = list(periods)
        bill_ids = insert_rows(Bill, [{
                    'run': self.id, 'account': a, 'state': 'draft'}
                for a in accounts])
        period_rows, owners = [], []
        for bill_id, account in zip(bill_ids, accounts):
            for period in periods[account]:
                period_rows.append(period.values(bill_id))
                owners.append(period)
        period_ids = insert_rows(Period, period_rows)
        insert_rows(Line, [line for period_id, period in zip(
                    period_ids, owners) for line in period.lines(period_id)])
        insert_rows(Hold, holds)

    @classmethod
    @ModelView.button
    def post(cls, runs):
        """Post every bill of the run as a customer invoice: numbered, due
        by the district's terms, in the ledger.  Queued: the bills post a
        batch at a time, each batch committed, so that the run shows its
        progress and a run stopped half-way (server killed) resumes where
        it stopped.

        Scripts (the benchmark, the ledger test) set `water_now` in the
        context to post everything in their own transaction."""
        cls.posting(runs)
        runs = [r for r in cls.browse(runs) if r.state == 'posting']
        if Transaction().context.get(NOW_CONTEXT):
            while runs := [r for r in cls.browse(runs)
                    if r.state == 'posting']:
                cls.post_next(runs, queue=False)
        elif runs:
            cls.__queue__.post_next(runs)

    @classmethod
    @Workflow.transition('posting')
    def posting(cls, runs):
        pass

    @classmethod
    def post_next(cls, runs, queue=True):
        "Post the next batch of each posting run; queue the rest"
        pool = Pool()
        Bill = pool.get('water.bill')
        runs = [r for r in cls.browse(runs) if r.state == 'posting']
        if not runs:
            return
        # One poster a run: a second one (resumed twice) waits, then
        # finds the bills posted.
        cls.lock(runs)
        pending, finished = [], []
        for run in runs:
            bills = Bill.search([
                    ('run', '=', run.id),
                    ('state', '=', 'draft'),
                    ], order=[('id', 'ASC')], limit=POST_BATCH)
            if bills:
                with cls.failure_kept(runs, queue):
                    Bill.post(bills)
                logger.info("%s: %d bills posted", run.rec_name, len(bills))
            if Bill.search([
                        ('run', '=', run.id),
                        ('state', '=', 'draft'),
                        ], limit=1):
                pending.append(run)
            else:
                finished.append(run)
        if finished:
            # a fallback is noted, not a stock posting asked for
            reason = (not Transaction().context.get(STOCK_CONTEXT)
                and stock_reason()) or None
            cls.write(finished, {
                    'posted_by': Transaction().user, 'failure': None,
                    'posting_note': reason and gettext(
                        'water_utility.msg_bill_run_stock_posting',
                        reason=reason)})
            cls.posted(finished)
        if pending and queue:
            cls.__queue__.post_next(pending)

    @classmethod
    @contextlib.contextmanager
    def failure_kept(cls, runs, queue=True):
        """Keep on the runs why a queued batch failed, for the clerk: the
        batch is rolled back, the reason committed, and the error raised
        again for the queue (a lock conflict is only retried)"""
        try:
            yield
        except (backend.DatabaseOperationalError, TransactionError):
            raise
        except Exception as exception:
            if not queue:
                raise
            if isinstance(exception, (UserError, UserWarning)):
                reason = exception.message
            else:
                reason = gettext('water_utility.msg_bill_run_failed',
                    error=f'{type(exception).__name__}: {exception}')
            transaction = Transaction()
            transaction.rollback()
            cls.write(cls.browse([r.id for r in runs]), {'failure': reason})
            transaction.commit()
            logger.exception("%s stopped", ', '.join(
                    r.rec_name for r in runs))
            raise

    @classmethod
    @Workflow.transition('posted')
    def posted(cls, runs):
        pass

    @classmethod
    @ModelView.button
    def resume(cls, runs):
        """Queue again what a stopped run was doing: the bills still in
        draft post, or the delivery starts over"""
        posting = [r for r in runs if r.state == 'posting']
        delivering = [r for r in runs if r.state == 'delivering']
        if posting:
            cls.__queue__.post_next(posting)
        if delivering:
            cls.__queue__.deliver_queued(delivering)

    @classmethod
    @ModelView.button
    def deliver(cls, runs):
        """Paper bills into one print file sorted by postal code and a
        vendor extract; paperless bills emailed with their PDF.  Queued:
        the print file of a large run takes minutes."""
        cls.delivering(runs)
        runs = [r for r in cls.browse(runs) if r.state == 'delivering']
        if Transaction().context.get(NOW_CONTEXT):
            cls.deliver_queued(runs, queue=False)
        elif runs:
            cls.__queue__.deliver_queued(runs)

    @classmethod
    @Workflow.transition('delivering')
    def delivering(cls, runs):
        pass

    @classmethod
    def deliver_queued(cls, runs, queue=True):
        runs = [r for r in cls.browse(runs) if r.state == 'delivering']
        if not runs:
            return
        cls.lock(runs)
        with cls.failure_kept(runs, queue):
            for run in runs:
                run._deliver()
            cls.save(runs)
        cls.delivered(runs)

    def _deliver(self):
        "Print the paper bills into one file, email the paperless ones"
        pool = Pool()
        Bill = pool.get('water.bill')
        Date = pool.get('ir.date')
        bills = Bill.search([('run', '=', self.id)], order=[('id', 'ASC')])
        paper, paperless = [], []
        for bill in bills:
            account = bill.account
            (paperless if account.paperless and account.email
                else paper).append(bill)
        paper.sort(key=lambda b: (
                b.account.mailing_address.postal_code or '',
                b.account.number))
        if paper:
            self.print_file = render_bills([b.id for b in paper])
            self.print_file_name = f'{self.number}-bills.pdf'
            self.print_extract = print_extract(paper)
            self.print_extract_name = f'{self.number}-bills.csv'
        self.pieces_mailed = len(paper)
        for bill in paperless:
            bill.email_bill()
        self.emailed = len(paperless)
        self.delivered_by = Transaction().user
        self.delivered_on = Date.today()
        self.failure = None
        logger.info("%s: %d bills printed, %d emailed", self.rec_name,
            len(paper), len(paperless))

    @classmethod
    @Workflow.transition('delivered')
    def delivered(cls, runs):
        pass


EXTRACT_COLUMNS = [
    'account', 'name', 'address_1', 'address_2', 'address_3', 'address_4',
    'postal_code', 'service_address', 'bill_date', 'due_date',
    'previous_balance', 'payments', 'current_charges', 'amount_due',
    'usage', 'language']


def print_extract(bills):
    "The vendor CSV of paper `bills`, in their print order"
    output = io.StringIO()
    writer = csv.writer(output, lineterminator='\r\n')
    writer.writerow(EXTRACT_COLUMNS)
    for bill in bills:
        account = bill.account
        address = account.mailing_address
        lines = [l for l in address.full_address.splitlines() if l.strip()]
        lines = (lines + [''] * 4)[:4]
        writer.writerow([
                account.number, account.party.rec_name, *lines,
                address.postal_code or '',
                '; '.join(p.service.premise.street for p in bill.periods),
                bill.run.bill_date.isoformat(),
                bill.due_date.isoformat() if bill.due_date else '',
                bill.previous_balance, bill.payments, bill.total,
                bill.amount_due,
                sum((p.usage or 0 for p in bill.periods), Decimal(0)),
                account.lang.code if account.lang else 'en',
                ])
    return output.getvalue().encode('utf-8')


class BillRunRoute(ModelSQL):
    "The routes a bill run is limited to"
    __name__ = 'water.bill.run-water.route'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE')
    route = fields.Many2One(
        'water.route', "Route", required=True, ondelete='CASCADE')


class RunData:
    """What calculating a run needs, loaded with a few queries: open read
    exceptions, meters at the premises and their reads, rate schedules."""

    def __init__(self, run, services):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        Exception_ = pool.get('water.meter.reading.exception')
        Installation = pool.get('water.meter.installation')
        Meter = pool.get('water.meter')
        Reading = pool.get('water.meter.reading')
        cursor = Transaction().connection.cursor()
        in_ = fields.SQL_OPERATORS['in']
        self.run = run
        configuration = Configuration(1)
        self.billing_unit = configuration.billing_unit
        self.regular_days = configuration.regular_days
        service_ids = [s.id for s in services]
        premise_ids = sorted({s.premise.id for s in services})

        exception = Exception_.__table__()
        self.held = set()
        for sub in map(list, grouped_slice(service_ids, 1000)):
            cursor.execute(*exception.select(exception.service,
                    where=in_(exception.service, sub)
                    & (exception.state == 'open')))
            self.held.update(r for r, in cursor)

        installation = Installation.__table__()
        meter = Meter.__table__()
        self.meters = defaultdict(list)
        self.meter_info = {}
        for sub in map(list, grouped_slice(premise_ids, 1000)):
            cursor.execute(*installation.join(meter,
                    condition=installation.meter == meter.id).select(
                    installation.premise, installation.purpose, meter.id,
                    meter.unit, meter.size,
                    where=in_(installation.premise, sub)))
            for premise, purpose, meter_id, unit, size in cursor:
                self.meters[premise, purpose].append(meter_id)
                self.meter_info[meter_id] = (unit, size)

        Period = pool.get('water.bill.period')
        Bill = pool.get('water.bill')
        BillRun = pool.get('water.bill.run')
        period = Period.__table__()
        bill = Bill.__table__()
        bill_run = BillRun.__table__()
        self.other_runs = {}
        if backend.name == 'postgresql':
            # Runs calculated again and again leave dead rows the planner
            # does not know of; fresh statistics keep the lookups below on
            # their indexes (minutes otherwise, at 10,000 services).
            cursor.execute('ANALYZE "%s", "%s"' % (
                    Period._table, Bill._table))
        for sub in map(list, grouped_slice(service_ids, 1000)):
            cursor.execute(*period.join(bill,
                    condition=period.bill == bill.id).join(bill_run,
                    condition=bill.run == bill_run.id).select(
                    period.service, period.start_date, bill_run.number,
                    where=in_(period.service, sub)
                    & (bill.run != run.id)
                    & bill_run.state.in_(['draft', 'calculated', 'posting'])))
            for service, start, number in cursor:
                self.other_runs[service, start] = number

        reading = Reading.__table__()
        self.reads = defaultdict(list)
        for sub in map(list, grouped_slice(sorted(self.meter_info), 1000)):
            cursor.execute(*reading.select(
                    reading.id, reading.meter, reading.register,
                    reading.read_date, reading.value, reading.usage,
                    reading.source, reading.kind, reading.service,
                    where=in_(reading.meter, sub)
                    & (reading.read_date <= run.read_date),
                    order_by=[reading.meter, reading.read_date,
                        reading.id]))
            for row in cursor:
                self.reads[row[1]].append(BillRead(*row))
        self._schedules = {}

    def schedules(self, service_type, start, end):
        "The rate schedules for [start, end), as records and plain"
        pool = Pool()
        Schedule = pool.get('water.rate.schedule')
        key = (service_type, start, end)
        if key not in self._schedules:
            records = Schedule.in_force(service_type, start, end)
            self._schedules[key] = (
                [(r.effective_date, {c.code: c.id for c in r.components})
                    for r in records],
                [r.plain() for r in records])
        return self._schedules[key]


class BillRead:
    "A read as a bill run sees it"
    __slots__ = ('id', 'meter', 'register', 'read_date', 'value', 'usage',
        'source', 'kind', 'service')

    def __init__(self, id, meter, register, read_date, value, usage,
            source, kind, service):
        self.id = id
        self.meter = meter
        self.register = register
        self.read_date = read_date
        self.value = _decimal(value)
        self.usage = _decimal(usage)
        self.source = source
        self.kind = kind
        self.service = service


class HoldBack(Exception):
    "A service that cannot be billed in this run, and why"

    def __init__(self, reason, details=None):
        super().__init__(reason)
        self.reason = reason
        self.details = details


class ServicePeriod:
    "What one service is billed for in a run: its days, reads and usage"

    def __init__(self, service, start, end, reads, previous, usage,
            estimated, full):
        self.service = service
        self.start = start
        self.end = end
        self.reads = reads
        self.previous = previous
        self.usage = usage
        self.estimated = estimated
        self.full = full
        self.charges = []
        self.schedules = []

    @classmethod
    def of(cls, service, data):
        """Return the service's period in the run of `data`, None when
        there is nothing new to bill, or raise HoldBack"""
        if service.id in data.held:
            raise HoldBack('exception')
        start = service.billed_through or service.start_date
        if (service.id, start) in data.other_runs:
            raise HoldBack('other_run', data.other_runs[service.id, start])
        first = service.billed_through is None
        stopped = service.state == 'stopped'
        purpose = METER_PURPOSE[service.service_type]
        meters = data.meters.get((service.premise.id, purpose), []) if (
            purpose) else []
        end = service.end_date if stopped else None
        if stopped and meters and not any(
                r.kind == 'closing' and r.service == service.id
                for m in meters for r in data.reads[m]):
            raise HoldBack('no_final_read')
        limit = end or data.run.read_date
        reads, previous = [], None
        for meter in meters:
            for read in data.reads[meter]:
                if start < read.read_date <= limit:
                    reads.append(read)
                elif read.read_date <= start and read.register != 'high':
                    if previous is None or (read.read_date, read.id) > (
                            previous.read_date, previous.id):
                        previous = read
        reads.sort(key=lambda r: (r.read_date, r.id))
        if meters and not reads and end is None:
            raise HoldBack('no_read')
        if end is None:
            end = reads[-1].read_date if reads else data.run.read_date
        if end <= start:
            return None
        unit = data.billing_unit
        usage = sum((usage_arithmetic.convert(
                    r.usage or 0, data.meter_info[r.meter][0], unit,
                    digits=4)
                for r in reads), Decimal(0)).quantize(rates.UNITS)
        estimated = any(r.source == 'estimate' for r in reads)
        full = not first and not stopped
        period = cls(service, start, end, reads, previous, usage, estimated,
            full)
        records, plain = data.schedules(service.service_type, start, end)
        if not records or records[0][0] > start:
            raise HoldBack('no_rate', str(start))
        size = data.meter_info[max(meters)][1] if meters else None
        months = service.premise.route.cycle.period_months or 1
        try:
            period.charges = rates.charges(rates.Period(
                    start=start, end=end, usage=usage, months=months,
                    nominal_days=30 * months, full=full, meter_size=size,
                    fire_line_size=service.fire_line_size,
                    dwelling_units=service.dwelling_units or 1,
                    winter_average=service.winter_average,
                    regular_days=data.regular_days), plain)
        except ValueError as exception:
            raise HoldBack('rate_error', str(exception)) from exception
        period.schedules = records
        return period

    def values(self, bill_id):
        "The bill period's row"
        last = [r for r in self.reads if r.register != 'high']
        last = last[-1] if last else None
        previous = self.previous
        return {
            'bill': bill_id, 'service': self.service.id,
            'start_date': self.start, 'end_date': self.end,
            'usage': self.usage,
            'previous_read_date': previous.read_date if previous else None,
            'previous_read': previous.value if previous else None,
            'current_read_date': last.read_date if last else None,
            'current_read': last.value if last else None,
            'current_reading': last.id if last else None,
            'estimated': self.estimated,
            'first': self.service.billed_through is None,
            'final': self.service.state == 'stopped',
            }

    def lines(self, period_id):
        "The rows of the period's charge lines"
        lines = []
        for sequence, charge in enumerate(self.charges, 1):
            components = [c for effective, c in self.schedules
                if effective <= charge.start][-1]
            lines.append({
                    'period': period_id, 'service': self.service.id,
                    'sequence': sequence,
                    'component': components[charge.code],
                    'tier': charge.tier, 'start_date': charge.start,
                    'end_date': charge.end, 'quantity': charge.quantity,
                    'unit': charge.unit, 'unit_price': charge.unit_price,
                    'amount': charge.amount, 'tier_floor': charge.floor,
                    'tier_limit': charge.limit,
                    })
        return lines


class Bill(Computed, Sealed, Workflow, ModelSQL, ModelView):
    "One account's bill in a run, and the customer invoice it posts as"
    __name__ = 'water.bill'
    _sealed_message = 'water_utility.msg_bill_posted'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE',
        readonly=True)
    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        readonly=True)
    periods = fields.One2Many(
        'water.bill.period', 'bill', "Services", readonly=True)
    lines = fields.Function(
        fields.Many2Many('water.bill.line', None, None, "Charges"),
        'get_lines')
    total = fields.Function(
        fields.Numeric("Current Charges", digits=(16, 2)), 'get_total')
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')
    due_date = fields.Function(fields.Date("Due Date"), 'get_due_date')
    previous_balance = fields.Numeric(
        "Previous Balance", digits=(16, 2), readonly=True,
        help="The amount due on the account's previous bill.")
    payments = fields.Numeric(
        "Payments and Adjustments", digits=(16, 2), readonly=True,
        help="Posted to the account since its previous bill; payments are "
        "negative.")
    amount_due = fields.Numeric(
        "Amount Due", digits=(16, 2), readonly=True,
        help="The account's balance with this bill, as printed on it.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
        t = cls.__table__()
        cls._sql_constraints += [
            ('run_account_unique', Unique(t, t.run, t.account),
                'water_utility.msg_bill_run_account_unique'),
            ]
        cls._transitions |= {('draft', 'posted')}
        # The latest run's bills first
        cls._order = [('run', 'DESC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_lines(self, name):
        return [l.id for p in self.periods for l in p.lines]

    def email_bill(self):
        "Email the bill's PDF to the paperless account; ir.email keeps it"
        pool = Pool()
        Email = pool.get('ir.email')
        BillReport = pool.get('water.bill.report', type='report')
        _, content, _, _ = BillReport.execute([self.id], {
                'model': 'water.bill', 'id': self.id, 'ids': [self.id]})
        Email.send(
            to=self.account.email,
            subject=gettext('water_utility.msg_bill_email_subject',
                account=self.account.number),
            body=gettext('water_utility.msg_bill_email_body',
                amount=self.amount_due, due_date=self.due_date or ''),
            files=[(f'bill-{self.account.number}.pdf', content)],
            record=[self.__name__, self.id])

    def get_due_date(self, name):
        if self.invoice:
            dates = [l.maturity_date for l in self.invoice.lines_to_pay
                if l.maturity_date]
            return min(dates) if dates else None

    def get_total(self, name):
        return sum((l.amount for l in self.lines), Decimal(0))

    def get_rec_name(self, name):
        return f'{self.run.rec_name} / {self.account.rec_name}'

    def get_invoice(self):
        "Return the unsaved customer invoice of the bill"
        invoice, = self.get_invoices([self])
        return invoice

    @classmethod
    def get_invoices(cls, bills):
        """Return the unsaved customer invoices of `bills`, one line per
        charge, built with what the records share read once"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Journal = pool.get('account.journal')
        Line = pool.get('water.bill.line')
        Configuration = pool.get('water.configuration')
        configuration = Configuration(1)
        charges = defaultdict(list)
        for sub_bills in map(list, grouped_slice(bills, 1000)):
            for line in Line.search([
                        ('period.bill', 'in', [b.id for b in sub_bills]),
                        ], order=[('period', 'ASC'), ('sequence', 'ASC'),
                        ('id', 'ASC')]):
                charges[line.period.bill.id].append(line)
        journals, parties, products = {}, {}, {}
        invoices = []
        for bill in bills:
            account = bill.account
            company = account.company
            party = account.party
            if company.id not in journals:
                journals[company.id] = Journal.find({'type': 'revenue'})
            if party.id not in parties:
                address = account.mailing_address
                if not address or address.party != party:
                    address = party.address_get(type='invoice')
                parties[party.id] = (
                    address, party.tax_identifier,
                    party.account_receivable_used)
            address, tax_identifier, receivable = parties[party.id]
            invoice = Invoice(
                company=company, type='out', party=party,
                invoice_address=address,
                party_tax_identifier=tax_identifier,
                currency=company.currency,
                invoice_date=bill.run.bill_date,
                journal=journals[company.id],
                account=receivable,
                payment_term=configuration.payment_term,
                water_account=account,
                description=bill.run.rec_name)
            invoice._update_account()
            lines = []
            for line in charges[bill.id]:
                product = line.component.product
                if product.id not in products:
                    products[product.id] = product.account_revenue_used
                lines.append(InvoiceLine(
                        type='line', company=company,
                        currency=company.currency,
                        product=product, unit=product.default_uom,
                        account=products[product.id],
                        quantity=1, unit_price=line.amount,
                        description=line.description, taxes=[],
                        origin=line))
            invoice.lines = lines
            invoices.append(invoice)
        return invoices

    @classmethod
    @Workflow.transition('posted')
    def post(cls, bills):
        """Post the bills' invoices and move their services' billed-through
        dates, a statement a table"""
        pool = Pool()
        Period = pool.get('water.bill.period')
        Service = pool.get('water.service')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        period = Period.__table__()
        service = Service.__table__()
        bill_ids = [b.id for b in bills]
        # Another run may have billed some of the days since calculating.
        for sub_ids in map(list, grouped_slice(bill_ids, 1000)):
            cursor.execute(*period.join(service,
                    condition=period.service == service.id).select(
                    period.bill, period.service,
                    where=reduce_ids(period.bill, sub_ids)
                    & (Coalesce(service.billed_through, service.start_date)
                        != period.start_date),
                    limit=1))
            row = cursor.fetchone()
            if row:
                raise BillRunError(gettext(
                        'water_utility.msg_bill_period_billed',
                        service=Service(row[1]).rec_name,
                        bill=cls(row[0]).rec_name))
        balances = cls._balances(bills)
        invoice_ids = post_invoices(cls.get_invoices(bills))

        update_rows(cls, ['invoice', 'previous_balance', 'payments',
                'amount_due'],
            [[invoice_id, *balances[b.id], b.id]
                for b, invoice_id in zip(bills, invoice_ids)])
        periods = []
        for sub_ids in map(list, grouped_slice(bill_ids, 1000)):
            cursor.execute(*period.select(
                    period.service, period.end_date, period.final,
                    where=reduce_ids(period.bill, sub_ids)))
            periods.extend(cursor)
        update_rows(Service, ['billed_through'],
            [[end, service_id] for service_id, end, _ in periods])
        # A final bill is the service's last.
        update_rows(Service, ['final_bill'],
            [[False, service_id] for service_id, _, final in periods
                if final])
        # An overpayment or a credit adjustment pays the next bill.
        apply_credits(list({b.account for b in bills}))

    @classmethod
    def _balances(cls, bills):
        """Snapshot what each bill prints from the ledger, before its own
        invoice posts, so that a reprint shows the same figures: the
        previous bill's amount due, payments and adjustments since, the
        amount due with this bill"""
        pool = Pool()
        Account = pool.get('water.account')
        Line = pool.get('water.bill.line')
        Period = pool.get('water.bill.period')
        cursor = Transaction().connection.cursor()
        bill = cls.__table__()
        line = Line.__table__()
        period = Period.__table__()
        accounts = list({b.account for b in bills})
        balances = Account.get_balance(accounts, 'balance')
        previous, totals = {}, defaultdict(Decimal)
        account_ids = [a.id for a in accounts]
        for sub_ids in map(list, grouped_slice(account_ids, 1000)):
            latest = bill.select(Max(bill.id),
                where=reduce_ids(bill.account, sub_ids)
                & (bill.state == 'posted'),
                group_by=bill.account)
            cursor.execute(*bill.select(bill.account, bill.amount_due,
                    where=bill.id.in_(latest)))
            for account_id, amount_due in cursor:
                previous[account_id] = _cents(amount_due)
        for sub_ids in map(list, grouped_slice([b.id for b in bills], 1000)):
            cursor.execute(*line.join(period,
                    condition=line.period == period.id).select(
                    period.bill, Sum(line.amount),
                    where=reduce_ids(period.bill, sub_ids),
                    group_by=period.bill))
            for bill_id, total in cursor:
                totals[bill_id] = _cents(total)
        result = {}
        for b in bills:
            balance = balances[b.account.id]
            previous_balance = previous.get(b.account.id, Decimal('0.00'))
            result[b.id] = (previous_balance, balance - previous_balance,
                balance + totals[b.id])
        return result


def _cents(value):
    "A sum as the database returns it (SQLite: a float) in cents"
    if value is None:
        return Decimal('0.00')
    return Decimal(str(value)).quantize(Decimal('0.01'))


class BillPeriod(Computed, ModelSQL, ModelView):
    "The days, reads and usage of one service on a bill"
    __name__ = 'water.bill.period'

    bill = fields.Many2One(
        'water.bill', "Bill", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='RESTRICT')
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True,
        help="The day of the current read; not billed in this period.")
    days = fields.Function(fields.Integer("Days"), 'get_days')
    previous_read_date = fields.Date("Previous Read Date")
    previous_read = fields.Numeric("Previous Read", digits=(16, 2))
    current_read_date = fields.Date("Current Read Date")
    current_read = fields.Numeric("Current Read", digits=(16, 2))
    current_reading = fields.Many2One(
        'water.meter.reading', "Current Read Record", ondelete='RESTRICT')
    usage = fields.Numeric("Usage", digits=(16, 2),
        help="In the district's billing unit.")
    lines = fields.One2Many('water.bill.line', 'period', "Charges",
        readonly=True)
    estimated = fields.Boolean("Estimated")
    first = fields.Boolean("First Bill")
    final = fields.Boolean("Final Bill")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('bill')
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_start_unique', Unique(t, t.service, t.start_date),
                'water_utility.msg_bill_period_unique'),
            ]

    def get_days(self, name):
        return (self.end_date - self.start_date).days

    def get_rec_name(self, name):
        return (f'{self.service.rec_name} '
            f'{self.start_date} - {self.end_date}')


class BillLine(Computed, ModelSQL, ModelView):
    "One charge of a bill: a rate component, and its tier, on some days"
    __name__ = 'water.bill.line'

    bill = fields.Function(
        fields.Many2One('water.bill', "Bill"), 'get_bill',
        searcher='search_bill')
    period = fields.Many2One(
        'water.bill.period', "Service Period", required=True,
        ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='RESTRICT')
    sequence = fields.Integer("Sequence")
    component = fields.Many2One(
        'water.rate.component', "Rate Component", required=True,
        ondelete='RESTRICT')
    tier = fields.Integer("Tier")
    tier_floor = fields.Numeric("Tier Over", digits=(16, 2),
        help="The tier's lower limit on these days, in billing units.")
    tier_limit = fields.Numeric("Tier Up To", digits=(16, 2),
        help="The tier's upper limit on these days, in billing units, "
        "scaled to the days and dwelling units; empty for the last tier.")
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True)
    quantity = fields.Numeric("Quantity", digits=(16, 4), required=True)
    unit = fields.Selection([
            ('unit', "Billing Units"),
            ('day', "Days"),
            ('period', "Periods"),
            ], "Unit", required=True)
    unit_price = fields.Numeric("Price", digits=(16, 4), required=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    description = fields.Function(fields.Char("Description"),
        'get_description')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('period')
        cls._order = [('period', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_bill(self, name):
        return self.period.bill.id

    @classmethod
    def search_bill(cls, name, clause):
        return [('period.bill' + clause[0][len(name):], *clause[1:])]

    def get_description(self, name):
        text = self.component.name
        if self.tier and len(self.component.tiers) > 1:
            text += f", tier {self.tier}"
            if self.tier_limit is not None:
                text += f" (up to {self.tier_limit:.2f})"
            elif self.tier_floor:
                text += f" (over {self.tier_floor:.2f})"
        if self.unit == 'unit':
            text += f": {self.quantity:.2f} x {self.unit_price:.4f}"
        elif self.unit == 'day':
            text += f": {int(self.quantity)} days x {self.unit_price:.4f}"
        elif self.quantity != 1:
            text += f": {self.quantity:.4f} x {self.unit_price:.2f}"
        return f'{text} ({self.start_date} - {self.end_date})'


class BillHold(Computed, ModelSQL, ModelView):
    "A service a bill run held back, and why"
    __name__ = 'water.bill.hold'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='CASCADE')
    reason = fields.Selection(HOLD_REASONS, "Reason", required=True)
    reason_string = reason.translated('reason')
    details = fields.Char("Details")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')


UNIT_SYMBOLS = {
    'hcf': "HCF", 'gal': "gal", 'kgal': "kgal", 'cf': "cf", 'm3': "m³",
    'af': "AF"}


class BillReport(DistrictReport):
    "The customer's bill: one page with its remittance stub"
    __name__ = 'water.bill.report'
    # Amounts and dates as American customers write them, whatever the
    # language of the words around them.
    _number_lang = 'en'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        facts = BillFacts.of(records)
        context['facts'] = lambda bill: facts[bill.id]
        lang = Lang.get(cls._number_lang)
        context['format_date'] = lambda value, *args, **kwargs: (
            cls.format_date(value, lang))
        context['dollars'] = lambda value: '$' + context['money'](value)
        return context


class BillFacts:
    """What one bill prints, gathered from the bill and its history, in
    the account's notice language"""

    @classmethod
    def of(cls, bills):
        """The facts of `bills` by id, gathered a language at a time with
        the records read together and one history query"""
        pool = Pool()
        Bill = pool.get('water.bill')
        Period = pool.get('water.bill.period')
        languages = defaultdict(list)
        for bill in bills:
            lang = bill.account.lang.code if bill.account.lang else None
            languages[lang or Transaction().language].append(bill.id)
        result = {}
        for lang, ids in languages.items():
            with Transaction().set_context(language=lang):
                records = Bill.browse(ids)
                services = {p.service.id for b in records for p in b.periods}
                history = defaultdict(list)
                for sub_ids in map(list,
                        grouped_slice(sorted(services), 1000)):
                    for period in Period.search([
                                ('service', 'in', list(sub_ids)),
                                ('bill.state', '=', 'posted'),
                                ], order=[('end_date', 'DESC'),
                                ('id', 'DESC')]):
                        history[period.service.id].append(period)
                for bill in records:
                    result[bill.id] = cls(bill, history)
        return result

    def __init__(self, bill, history):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        configuration = Configuration(1)
        self.bill = bill
        self.account = account = bill.account
        self.name = account.party.rec_name
        self.address = [l for l in account.mailing_address.full_address
            .splitlines() if l.strip()]
        self.unit = UNIT_NAMES[configuration.billing_unit]
        self.unit_short = UNIT_SYMBOLS[configuration.billing_unit]
        self.lang = account.lang.code if account.lang else None
        self.services = []
        for period in bill.periods:
            premise = period.service.premise
            meter = period.current_reading.meter if (
                period.current_reading) else None
            gallons = None
            if period.usage is not None and period.days:
                gallons = (usage_arithmetic.convert(
                        period.usage, configuration.billing_unit, 'gal', 4)
                    / period.days).quantize(Decimal(1))
            self.services.append({
                    'period': period,
                    'address': ', '.join(
                        p for p in [premise.street, premise.city] if p),
                    'type': period.service.service_type_string,
                    'meter': meter.serial if meter else '',
                    'gallons_per_day': gallons,
                    'lines': [{
                            'name': l.component.name,
                            'tier': (l.tier if len(l.component.tiers) > 1
                                else None),
                            'floor': l.tier_floor,
                            'limit': l.tier_limit,
                            'quantity': l.quantity,
                            'unit': l.unit,
                            'price': l.unit_price,
                            'amount': l.amount,
                            'start': l.start_date,
                            'end': l.end_date,
                            } for l in period.lines],
                    })
        self.current = sum((l['amount'] for s in self.services
                for l in s['lines']), Decimal(0))
        self.previous_balance = bill.previous_balance or Decimal(0)
        self.payments = bill.payments or Decimal(0)
        self.amount_due = (bill.amount_due if bill.amount_due is not None
            else self.previous_balance + self.payments + self.current)
        self.due_date = bill.due_date
        last = max(p.end_date for p in bill.periods)
        self.history = sorted((p for s in {p.service.id for p in bill.periods}
                for p in history[s] if p.end_date <= last),
            key=lambda p: (p.end_date, p.id), reverse=True)
        self.messages = self._messages()

    def _messages(self):
        "Per-account messages: estimates, final bills, usage against last year"
        messages = []
        for service in self.services:
            period = service['period']
            if period.estimated:
                messages.append(gettext('water_utility.msg_bill_estimated',
                        address=service['address']))
            if period.final:
                messages.append(gettext('water_utility.msg_bill_final',
                        address=service['address']))
            last_year = [p for p in self.history
                if p.service == period.service
                and abs((period.end_date - p.end_date).days - 365) <= 20]
            if last_year and last_year[0].usage and period.usage is not None:
                change = ((period.usage - last_year[0].usage)
                    / last_year[0].usage * 100).quantize(Decimal(1))
                if abs(change) >= 20:
                    messages.append(gettext(
                            'water_utility.msg_bill_usage_above'
                            if change > 0 else
                            'water_utility.msg_bill_usage_below',
                            percent=abs(change)))
        return messages

    def chart(self):
        "The last 13 periods' usage as an SVG bar chart"
        bars = defaultdict(Decimal)
        for period in self.history:
            bars[period.end_date.replace(day=1)] += period.usage or 0
        for service in self.services:
            period = service['period']
            if period.bill.state != 'posted':
                bars[period.end_date.replace(day=1)] += period.usage or 0
        months = sorted(bars)[-13:]
        if not months:
            return ''
        top = max(bars[m] for m in months) or Decimal(1)
        width, height, gap = 300, 90, 4
        bar = (width - gap * 13) / 13
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height + 24}" '
            f'viewBox="0 0 {width} {height + 24}">']
        for i, month in enumerate(months):
            value = bars[month]
            h = float(value / top) * height
            x = i * (bar + gap)
            fill = '#1f4e79' if i == len(months) - 1 else '#8fb3d9'
            parts.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}" fill="{fill}"/>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 10}" '
                'font-size="7" text-anchor="middle">'
                f'{month.strftime("%m/%y")}</text>')
            parts.append(f'<text x="{x + bar / 2:.1f}" '
                f'y="{max(height - h - 2, 7):.1f}" font-size="6" '
                f'text-anchor="middle">{value:.0f}</text>')
        parts.append('</svg>')
        # A stream of elements, not text: the report's translator would
        # escape a text event.
        return XML(''.join(parts))


class BillingRegister(DistrictReport):
    "A run's billing register and its revenue summary against the ledger"
    __name__ = 'water.bill.run.register'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['summary'] = revenue_summary
        return context


def revenue_summary(run):
    """Return [(account, register amount, ledger amount)] of the run's
    revenue accounts and the same for the receivable: what the register
    billed against what its invoices put in the ledger"""
    pool = Pool()
    MoveLine = pool.get('account.move.line')
    register = defaultdict(Decimal)
    receivable = Decimal(0)
    for bill in run.bills:
        for line in bill.lines:
            register[line.component.product.account_revenue_used] += (
                line.amount)
            receivable += line.amount
    # An aggregate of the run's own moves, read as the report's owner
    # reads the register: by SQL, without opening the journal to the user.
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    line = MoveLine.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    cursor = Transaction().connection.cursor()
    ledger = defaultdict(Decimal)
    ledger_receivable = Decimal(0)
    moves = [b.invoice.move.id for b in run.bills
        if b.invoice and b.invoice.move]
    for sub in map(list, grouped_slice(moves, 1000)):
        cursor.execute(*line.join(account,
                condition=line.account == account.id).join(type_,
                condition=account.type == type_.id).select(
                line.account, type_.receivable,
                Sum(line.credit - line.debit),
                where=fields.SQL_OPERATORS['in'](line.move, sub),
                group_by=[line.account, type_.receivable]))
        for account_id, receivable_type, amount in cursor:
            # SQLite sums in floating point
            amount = _decimal(amount).quantize(rates.CENT)
            if receivable_type:
                ledger_receivable -= amount
            else:
                ledger[Account(account_id)] += amount
    accounts = sorted(set(register) | set(ledger), key=lambda a: a.code)
    rows = [(a, register.get(a, Decimal(0)),
            ledger.get(a, Decimal(0)) if moves else None) for a in accounts]
    return rows, (receivable, ledger_receivable if moves else None)
