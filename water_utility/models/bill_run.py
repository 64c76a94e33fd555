# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bill runs: a cycle's services from clean reads to a billing register,
then to posted customer invoices, one per account."""
import contextlib
import logging
import smtplib
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, TransactionError

from ..exceptions import BillRunWarning, DeliveryError
from ..mailer import Mailer
from .bill_calculation import HoldBack, RunData, ServicePeriod
from .bill_extract import print_extract
from .bulk import as_cents, insert_rows
from .ledger import STOCK_CONTEXT, stock_reason
from .mixins import NumberedMixin, Sealed
from .printing import render_bills

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
                counts[run_id][3] = as_cents(total)
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
        cls.check_long_first(runs)
        cls.posting(runs)
        runs = [r for r in cls.browse(runs) if r.state == 'posting']
        if Transaction().context.get(NOW_CONTEXT):
            while runs := [r for r in cls.browse(runs)
                    if r.state == 'posting']:
                cls.post_next(runs, queue=False)
        elif runs:
            cls.__queue__.post_next(runs)

    @property
    def long_first_periods(self):
        """The first bills' periods longer than the district expects
        (Configuration's First Bill Up To), longest first"""
        pool = Pool()
        Configuration = pool.get('water.configuration')
        Period = pool.get('water.bill.period')
        most = Configuration(1).first_bill_max_days
        periods = Period.search([
                ('bill.run', '=', self.id),
                ('first', '=', True),
                ])
        return sorted((p for p in periods if p.days > most),
            key=lambda p: (-p.days, p.id))

    @classmethod
    def check_long_first(cls, runs):
        "Ask to confirm posting first bills longer than the district expects"
        pool = Pool()
        Configuration = pool.get('water.configuration')
        Warning = pool.get('res.user.warning')
        most = Configuration(1).first_bill_max_days
        for run in runs:
            periods = run.long_first_periods
            key = Warning.format('water_long_first', [run])
            if periods and Warning.check(key):
                raise BillRunWarning(key, gettext(
                        'water_utility.msg_bill_run_long_first',
                        run=run.rec_name, count=len(periods), days=most,
                        examples=', '.join(
                            f'{p.bill.account.number} ({p.days} days)'
                            for p in periods[:5])))

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
        """Print, then email: the print file is kept (committed, when
        queued) before the first email, and each email with its ir.email
        record; a failure stops the run on its reason, and Resume sends
        what is left"""
        runs = [r for r in cls.browse(runs) if r.state == 'delivering']
        if not runs:
            return
        cls.lock(runs)
        with cls.failure_kept(runs, queue):
            delivery = {r.id: r.delivery() for r in runs}
            for run in runs:
                if not run.print_file:
                    run._print(delivery[run.id][0])
            cls.save(runs)
        for run in runs:
            if queue:
                Transaction().commit()
                cls.lock([run])
            with cls.failure_kept([run], queue):
                run._email(delivery[run.id][1], commit=queue)
        cls.write(runs, {
                'delivered_by': Transaction().user,
                'delivered_on': Pool().get('ir.date').today(),
                'failure': None,
                })
        cls.delivered(runs)

    def delivery(self):
        "Return the run's (paper, paperless) bills, paper by postal code"
        pool = Pool()
        Bill = pool.get('water.bill')
        bills = Bill.search([('run', '=', self.id)], order=[('id', 'ASC')])
        paper, paperless = [], []
        for bill in bills:
            account = bill.account
            (paperless if account.paperless and account.email
                else paper).append(bill)
        paper.sort(key=lambda b: (
                b.account.mailing_address.postal_code or '',
                b.account.number))
        return paper, paperless

    def _print(self, paper):
        "Print the `paper` bills into one file and the vendor's extract"
        if paper:
            self.print_file = render_bills([b.id for b in paper])
            self.print_file_name = f'{self.number}-bills.pdf'
            self.print_extract = print_extract(paper)
            self.print_extract_name = f'{self.number}-bills.csv'
        self.pieces_mailed = len(paper)
        logger.info("%s: %d bills printed", self.rec_name, len(paper))

    def _email(self, paperless, commit=True):
        """Email the `paperless` bills not emailed yet, each sent before the
        next (and committed with its ir.email record, with `commit`)"""
        pool = Pool()
        Email = pool.get('ir.email')
        sent = {e.resource.id for e in Email.search([
                    ('resource', 'in', [str(b) for b in paperless]),
                    ])}
        for bill in paperless:
            if bill.id in sent:
                continue
            mailer = Mailer.joined()
            bill.email_bill()
            try:
                mailer.flush()
            except (OSError, smtplib.SMTPException) as error:
                raise DeliveryError(gettext(
                        'water_utility.msg_bill_run_email_failed',
                        account=bill.account.rec_name, sent=len(sent),
                        total=len(paperless),
                        error=str(error) or type(error).__name__)
                    ) from error
            if commit:
                Transaction().commit()
            sent.add(bill.id)
        self.emailed = len(paperless)
        self.save()
        logger.info("%s: %d bills emailed", self.rec_name, len(paperless))

    @classmethod
    @Workflow.transition('delivered')
    def delivered(cls, runs):
        pass


class BillRunRoute(ModelSQL):
    "The routes a bill run is limited to"
    __name__ = 'water.bill.run-water.route'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE')
    route = fields.Many2One(
        'water.route', "Route", required=True, ondelete='CASCADE')
