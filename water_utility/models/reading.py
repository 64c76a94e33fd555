# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from sql import For, Literal, Null
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError

from .. import registers, usage as usage_arithmetic
from ..exceptions import ReadingError, ReadingLowerError
from .bulk import as_decimal
from .meter import REGISTERS

KINDS = [
    ('regular', "Regular"),
    ('opening', "Opening (Move-In)"),
    ('closing', "Closing (Move-Out)"),
    ('install', "Meter Install"),
    ('removal', "Meter Removal"),
    ]
SOURCES = [
    ('office', "Office Entry"),
    ('field', "Field Crew"),
    ('handheld', "Handheld"),
    ('amr', "AMR Drive-By"),
    ('ami', "Fixed Network (AMI)"),
    ('customer', "Customer-Reported"),
    ('estimate', "Estimate"),
    ]
# A change to these makes a read typed in the form be checked again
CHECKED_FIELDS = {'value', 'read_date', 'rollover', 'meter', 'register',
    'kind', 'source', 'leak', 'tamper'}


class Reading(ModelSQL, ModelView):
    "A read of one meter register on a date"
    __name__ = 'water.meter.reading'

    meter = fields.Many2One(
        'water.meter', "Meter", required=True, ondelete='RESTRICT')
    register = fields.Selection(
        REGISTERS, "Register", required=True, sort=False)
    register_string = register.translated('register')
    read_date = fields.Date("Read Date", required=True)
    value = fields.Numeric(
        "Read", digits=(16, 2), required=True,
        domain=[('value', '>=', 0)],
        help="The register as shown, in the meter's unit, "
        "before the multiplier.")
    rollover = fields.Boolean(
        "Rollover",
        help="The register passed its last number and started again "
        "from zero since the previous read.")
    kind = fields.Selection(KINDS, "Kind", required=True)
    source = fields.Selection(SOURCES, "Source", required=True)
    service = fields.Many2One(
        'water.service', "Service", ondelete='RESTRICT',
        help="The service the read opened or closed.")
    service_order = fields.Many2One(
        'water.service.order', "Service Order", ondelete='RESTRICT')
    read_time = fields.Time("Read Time")
    endpoint = fields.Char("Endpoint", help="The AMR/AMI transmitter.")
    leak = fields.Boolean("Leak Flag", help="The endpoint reported a leak.")
    tamper = fields.Boolean(
        "Tamper Flag", help="The endpoint reported tampering.")
    original_value = fields.Numeric(
        "Original Read", digits=(16, 2), readonly=True,
        help="The read as first received, when a clerk corrected it or "
        "replaced it by an estimate.")
    reading_import = fields.Many2One(
        'water.meter.reading.import', "Import", readonly=True,
        ondelete='RESTRICT')
    exceptions = fields.One2Many(
        'water.meter.reading.exception', 'reading', "Exceptions",
        readonly=True)
    usage = fields.Numeric(
        "Usage", digits=(16, 4), readonly=True,
        help="Register advance since the read before, times the meter "
        "multiplier, in the meter's unit; empty for a meter's first read.")
    usage_days = fields.Integer(
        "Days", readonly=True, help="Days since the read before.")
    billing_usage = fields.Function(
        fields.Numeric("Billed Usage", digits=(16, 2),
            help="The usage in the district's billing unit."),
        'get_billing_usage')
    gallons_per_day = fields.Function(
        fields.Numeric("Gallons per Day", digits=(16, 1)),
        'get_gallons_per_day')
    notes = fields.Char("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('meter')
        cls._order = [('read_date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        # A reading system's read is one register at one moment: a file
        # (or two files imported at once) cannot bring it twice.  Reads
        # typed in the office or by the crew may share a day (a transfer's
        # closing and opening reads, a re-read), so only imported reads
        # are keyed; a read without its time is keyed by its date.
        imported = t.reading_import != Null
        cls._sql_constraints += [
            ('imported_read_time_unique',
                Exclude(t, (t.meter, Equal), (t.register, Equal),
                    (t.read_date, Equal), (t.read_time, Equal),
                    where=imported & (t.read_time != Null)),
                'water_utility.msg_reading_imported_twice'),
            ('imported_read_date_unique',
                Exclude(t, (t.meter, Equal), (t.register, Equal),
                    (t.read_date, Equal),
                    where=imported & (t.read_time == Null)),
                'water_utility.msg_reading_imported_twice'),
            ]

    @classmethod
    def default_register(cls):
        return 'single'

    @classmethod
    def default_rollover(cls):
        return False

    @classmethod
    def default_kind(cls):
        return 'regular'

    @classmethod
    def default_source(cls):
        return 'office'

    @classmethod
    def default_leak(cls):
        return False

    @classmethod
    def default_tamper(cls):
        return False

    @classmethod
    def get_billing_usage(cls, reads, name):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        unit = Configuration(1).billing_unit
        return {r.id: (usage_arithmetic.convert(
                    r.usage, r.meter.unit, unit, digits=2)
                if r.usage is not None else None) for r in reads}

    def get_gallons_per_day(self, name):
        if self.usage is None or not self.usage_days:
            return None
        return usage_arithmetic.gallons_per_day(
            self.usage, self.meter.unit, self.usage_days)

    @classmethod
    def default_read_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.meter.rec_name} {self.read_date}: {self.value}'

    @classmethod
    def validate_fields(cls, reads, field_names):
        super().validate_fields(reads, field_names)
        cls.check_value(reads, field_names)

    @classmethod
    def check_value(cls, reads, field_names=None):
        """Refuse a read the register cannot show, a read dated in the
        future, or a read lower than the read before it (or higher than
        the read after it) unless the register rolled over.

        Set-based: the reads of every register concerned are loaded once,
        so a file of thousands of reads is checked in a few queries."""
        if field_names and not (field_names & {
                    'value', 'read_date', 'rollover', 'meter', 'register'}):
            return
        today = Pool().get('ir.date').today()
        for read in reads:
            meter = read.meter
            if read.register not in meter.registers:
                raise ReadingError(gettext(
                        'water_utility.msg_reading_register',
                        meter=meter.rec_name,
                        register=read.register_string))
            if read.read_date > today:
                raise ReadingError(gettext(
                        'water_utility.msg_reading_future',
                        meter=meter.rec_name, date=read.read_date))
            if not registers.fits_dials(read.value, meter.dials):
                raise ReadingError(gettext(
                        'water_utility.msg_reading_dials',
                        meter=meter.rec_name, value=read.value,
                        dials=meter.dials))
        meters = {r.meter.id: r.meter for r in reads}
        ids = {r.id for r in reads}
        for (meter_id, _), chain in cls._chains(reads).items():
            dials = meters[meter_id].dials
            for previous, read in zip(chain, chain[1:]):
                if previous.id not in ids and read.id not in ids:
                    continue
                if registers.advance(
                        previous.value, read.value, dials,
                        read.rollover) is not None:
                    continue
                meter = meters[meter_id].rec_name
                if read.id in ids:
                    raise ReadingLowerError(gettext(
                            'water_utility.msg_reading_lower',
                            meter=meter, value=read.value,
                            date=read.read_date, previous=previous.value,
                            previous_date=previous.read_date))
                raise ReadingLowerError(gettext(
                        'water_utility.msg_reading_higher_than_next',
                        meter=meter, value=previous.value,
                        date=previous.read_date, next=read.value,
                        next_date=read.read_date))

    def history(self):
        """Return the read before this one and the (usage, days) history
        of its register, oldest first."""
        chain = self._chains([self])[self.meter.id, self.register]
        position = [r.id for r in chain].index(self.id)
        before = chain[:position]
        return (before[-1] if before else None), usage_history(before)

    @classmethod
    def _chains(cls, reads):
        "Return the read chains of the registers of `reads`"
        return cls.register_chains({(r.meter.id, r.register) for r in reads})

    @classmethod
    def register_chains(cls, keys):
        """Return the reads of each (meter id, register) of `keys`, in read
        order, as light ChainRead rows."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        chains = defaultdict(list)
        meter_ids = sorted({m for m, _ in keys})
        cursor.execute(*table.select(
                table.meter, table.register, table.id, table.read_date,
                table.value, table.rollover, table.kind, table.source,
                table.usage, table.usage_days,
                where=fields.SQL_OPERATORS['in'](table.meter, meter_ids),
                order_by=[table.meter, table.register, table.read_date,
                    table.id]))
        for (meter, register, *row) in cursor:
            if (meter, register) in keys:
                chains[meter, register].append(ChainRead(*row))
        return chains

    @classmethod
    def lock_for_import(cls):
        """Hold the read table until the transaction ends, so that two
        imports (or an import and an office entry) cannot both write reads
        from the same past.

        Tryton takes the lock by starting the transaction again with the
        lock first, so that the restarted transaction sees every read
        committed before it.  Before the restart, wait here for the
        import that holds the lock to finish: the restart then finds the
        lock free instead of failing after trytond's few retries."""
        try:
            cls.lock()
        except TransactionError:
            transaction = Transaction()
            if transaction.database.has_select_for():
                # FOR UPDATE needs a lock that conflicts with the table
                # lock: it waits until the holder commits.
                table = cls.__table__()
                cursor = transaction.connection.cursor()
                cursor.execute(*table.select(table.id,
                        where=Literal(False), for_=For('UPDATE')))
            raise

    @classmethod
    def create(cls, vlist):
        reads = super().create(vlist)
        if Transaction().check_access:
            cls.raise_entered(reads)
        return reads

    @classmethod
    def write(cls, *args):
        super().write(*args)
        if Transaction().check_access:
            actions = iter(args)
            changed = {r.id for reads, values in zip(actions, actions)
                if values.keys() & CHECKED_FIELDS for r in reads}
            cls.raise_entered(cls.browse(sorted(changed)))

    @classmethod
    def raise_entered(cls, reads):
        """Run the read checks on reads typed in the form or sent over the
        API, as imports, route books and service orders do: a suspicious
        read raises its exception and holds the service's bill.  (Those
        paths check their reads themselves, inside their own buttons.)"""
        ReadingException = Pool().get('water.meter.reading.exception')
        if reads:
            ReadingException.raise_for_reads(reads)

    @classmethod
    def on_modification(cls, mode, reads, field_names=None):
        super().on_modification(mode, reads, field_names=field_names)
        if mode in {'create', 'write'} and (field_names is None
                or field_names & {'value', 'read_date', 'rollover',
                    'meter', 'register', 'kind'}):
            cls.update_usage(reads)

    @classmethod
    def update_usage(cls, reads):
        """Store the usage since the read before, for `reads` and for the
        reads that follow them (a corrected read changes the next usage).

        A meter's install read starts a new count: its usage is empty."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        meters = {r.meter.id: r.meter for r in reads}
        ids = {r.id for r in reads}
        for (meter_id, _), chain in cls._chains(reads).items():
            meter = meters[meter_id]
            previous = None
            for read in chain:
                usage = days = None
                if previous and read.kind != 'install':
                    advance = registers.advance(
                        previous.value, read.value, meter.dials,
                        read.rollover)
                    if advance is not None:
                        usage = (advance * meter.multiplier).quantize(
                            Decimal('0.0001'))
                        days = (read.read_date - previous.read_date).days
                concerned = read.id in ids or (
                    previous is not None and previous.id in ids)
                if concerned and (
                        as_decimal(read.usage) != usage
                        or read.usage_days != days):
                    cursor.execute(*table.update(
                            [table.usage, table.usage_days],
                            [usage, days],
                            where=table.id == read.id))
                previous = read


class ChainRead:
    "A read as the set-based checks see it"
    __slots__ = ('id', 'read_date', 'value', 'rollover', 'kind', 'source',
        'usage', 'usage_days')

    def __init__(self, id, read_date, value, rollover, kind, source, usage,
            usage_days):
        self.id = id
        self.read_date = read_date
        self.value = as_decimal(value)
        self.rollover = bool(rollover)
        self.kind = kind
        self.source = source
        self.usage = as_decimal(usage)
        self.usage_days = usage_days


def usage_history(before):
    """(usage, days) of the reads `before` a read that count as history:
    not a meter's install read, nor the move-in read, whose usage is the
    empty days before the customer came (it would make a first month's
    ordinary use look high)"""
    return [(r.usage, r.usage_days) for r in before
        if r.usage is not None and r.kind not in {'install', 'opening'}]
