# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Read files imported from the reading systems, one transaction per file."
import datetime
import hashlib
import time
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .. import read_formats, registers
from ..exceptions import ReadImportError
from .bulk import fit_decimals, insert_rows
from .reading import ChainRead
from .reading_exception import ServiceIndex, findings, rule_settings

FORMATS = [(code, f.name) for code, f in read_formats.FORMATS.items()]


class ReadingImport(ModelSQL, ModelView):
    "A read file imported from a reading system, with its result"
    __name__ = 'water.meter.reading.import'
    _rec_name = 'file_name'

    file_name = fields.Char("File", required=True, readonly=True)
    format = fields.Selection(FORMATS, "Format", required=True,
        readonly=True)
    file_hash = fields.Char("SHA-256", readonly=True)
    rows = fields.Integer("Rows Read", readonly=True)
    created = fields.Integer("Reads Created", readonly=True)
    skipped = fields.Integer("Rows Skipped", readonly=True)
    exceptions_raised = fields.Integer("Exceptions Raised", readonly=True)
    skipped_rows = fields.Text("Skipped Rows", readonly=True)
    reads = fields.One2Many(
        'water.meter.reading', 'reading_import', "Reads", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('file_hash_unique', Unique(t, t.file_hash),
                'water_utility.msg_import_file_unique'),
            ]
        cls._order = [('id', 'DESC')]

    @classmethod
    def import_file(cls, file_name, data, format_code, progress=None):
        """Import the reads of a file; return (import, already) where
        `already` tells the same file was imported before (nothing new
        is created then).

        The read table is locked first (the transaction starts again
        with the lock, see Reading.lock_for_import): an import sees every
        read committed before it, and a second import of the same rows
        skips them as imported, whatever the timing."""
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        ReadingException = pool.get('water.meter.reading.exception')
        Reading.lock_for_import()
        file_hash = hashlib.sha256(data).hexdigest()
        previous = cls.search([('file_hash', '=', file_hash)], limit=1)
        if previous:
            return previous[0], True
        file_format = read_formats.FORMATS[format_code]()
        try:
            rows, problems = file_format.parse(data)
        except read_formats.FileFormatError as exception:
            raise ReadImportError(gettext(
                    'water_utility.msg_import_format',
                    file=file_name, error=str(exception))) from exception
        problems = list(problems)
        if not rows and not problems:
            raise ReadImportError(gettext(
                    'water_utility.msg_import_no_rows', file=file_name))
        progress = progress or (lambda message: None)
        progress(f"{file_name}: {len(rows)} reads, "
            f"{len(problems)} unreadable rows")

        record = cls(
            file_name=file_name, format=format_code, file_hash=file_hash)
        record.save()
        plans, skipped, services = cls._read_values(rows, record)
        problems.extend(skipped)
        progress(f"{file_name}: creating {len(plans)} reads")
        ids = insert_rows(Reading, [p.values for p in plans])
        progress(f"{file_name}: checking usage")
        exceptions = cls._raise_exceptions(ids, plans, services)
        insert_rows(ReadingException, exceptions)
        problems.sort(key=lambda p: p.line)
        record.rows = len(rows) + len(problems) - len(skipped)
        record.created = len(ids)
        record.skipped = len(problems)
        record.exceptions_raised = len(exceptions)
        record.skipped_rows = '\n'.join(
            gettext('water_utility.msg_import_skipped_row',
                line=p.line, reason=p.reason) for p in problems)
        record.save()
        progress(f"{file_name}: {record.created} reads created, "
            f"{record.skipped} rows skipped, {record.exceptions_raised} "
            "exceptions raised")
        return record, False

    @classmethod
    def _raise_exceptions(cls, ids, plans, services):
        "Return the exception rows of the new reads"
        rules, max_estimates = rule_settings()
        rows = []
        for id_, plan in zip(ids, plans):
            values = plan.values
            service = services.find(values['meter'], values['read_date'])
            for kind, details in findings(
                    plan.read, plan.before, values['leak'],
                    values['tamper'], service and service[1:],
                    rules, max_estimates):
                rows.append({
                        'reading': id_,
                        'service': service[0] if service else None,
                        'kind': kind,
                        'details': details,
                        'state': 'open',
                        })
        return rows

    @classmethod
    def _read_values(cls, rows, record):
        """Return ([ReadPlan], [RowProblem]) for the file's rows: every
        rule of the read model is checked here, set-wise, since the reads
        are then inserted without the ORM."""
        pool = Pool()
        Date = pool.get('ir.date')
        Meter = pool.get('water.meter')
        Reading = pool.get('water.meter.reading')
        today = Date.today()
        meters = _meters(Meter, {r.meter for r in rows})
        services = ServiceIndex({m.id for m in meters.values()})
        chains = Reading.register_chains({
                (m.id, register) for m in meters.values()
                for register in m.registers})
        seen = {(key, r.read_date, r.value)
            for key, chain in chains.items() for r in chain}
        imported = _imported(Reading, {m.id for m in meters.values()},
            {r.read_date for r in rows})
        decimals = Reading.value.digits[1]
        plans, skipped = [], []

        def skip(row, message, **kwargs):
            skipped.append(read_formats.RowProblem(
                    row.line, gettext(
                        f'water_utility.{message}', meter=row.meter,
                        **kwargs)))

        for row in rows:
            meter = meters.get(row.meter)
            register, value, refused = meter_read(
                row, meter, meter and services.accounts(meter.id), today,
                decimals)
            if refused:
                message, details = refused
                skip(row, message, **details)
                continue
            key = (meter.id, register)
            moment = (key, row.read_date, row.read_time)
            if moment in imported:
                file_name, held = imported[moment]
                skip(row, 'msg_import_imported_twice', date=row.read_date,
                    time=row.read_time or '', file=file_name,
                    value=held.quantize(Decimal(1).scaleb(-decimals)))
                continue
            if (key, row.read_date, value) in seen:
                skip(row, 'msg_import_duplicate', date=row.read_date)
                continue
            chain = chains.get(key, [])
            previous = chain[-1] if chain else None
            rollover = False
            if previous is not None:
                if row.read_date < previous.read_date:
                    skip(row, 'msg_import_older', date=row.read_date,
                        last_date=previous.read_date)
                    continue
                if value < previous.value:
                    rollover = registers.looks_like_rollover(
                        previous.value, value, meter.dials)
                    if not rollover:
                        skip(row, 'msg_import_lower', value=value,
                            previous=previous.value,
                            date=previous.read_date)
                        continue
            usage = days = None
            if previous is not None:
                advance = registers.advance(
                    previous.value, value, meter.dials, rollover)
                usage = (advance * meter.multiplier).quantize(
                    Decimal('0.0001'))
                days = (row.read_date - previous.read_date).days
            source = row.method or 'amr'
            values = {
                'meter': meter.id,
                'register': register,
                'read_date': row.read_date,
                'read_time': row.read_time,
                'value': value,
                'rollover': rollover,
                'kind': 'regular',
                'source': source,
                'endpoint': row.endpoint,
                'leak': row.leak,
                'tamper': row.tamper,
                'reading_import': record.id,
                'usage': usage,
                'usage_days': days,
                'original_value': None,
                'service': None,
                'service_order': None,
                'notes': None,
                }
            read = ChainRead(None, row.read_date, value, rollover,
                'regular', source, usage, days)
            plans.append(ReadPlan(values, read, list(chain)))
            imported[moment] = (record.file_name, value)
            seen.add((key, row.read_date, value))
            chains[key] = chain + [read]
        return plans, skipped, services


def meter_read(row, meter, accounts, today, decimals):
    """Return (register, value, None): what the file's `row` reads on
    `meter` (None when the file names no meter known), or (None, None,
    (message, values)): why it cannot be a read of it.  `accounts` are
    the account numbers the meter serves now."""
    if meter is None:
        return None, None, ('msg_import_unknown_meter', {})
    if meter.state != 'installed':
        return None, None, ('msg_import_meter_not_installed',
            {'state': meter.state_string})
    if row.account and accounts and row.account not in accounts:
        return None, None, ('msg_import_wrong_account', {
                'account': row.account,
                'accounts': ', '.join(sorted(accounts))})
    # A compound meter needs L or H; a single register may be named blank
    # or L, never H.
    register = row.register
    if meter.compound and register == 'single':
        return None, None, ('msg_import_register_compound', {})
    if not meter.compound:
        if register == 'high':
            return None, None, ('msg_import_register_single', {})
        register = 'single'
    if row.unit and row.unit != meter.unit:
        return None, None, ('msg_import_unit', {
                'unit': row.unit, 'meter_unit': meter.unit})
    if row.read_date > today:
        return None, None, ('msg_import_future', {'date': row.read_date})
    if not registers.fits_dials(row.value, meter.dials):
        return None, None, ('msg_import_dials', {
                'value': row.value, 'dials': meter.dials})
    value = fit_decimals(row.value, decimals)
    if value is None:
        return None, None, ('msg_import_digits', {
                'value': row.value, 'decimals': decimals})
    return register, value, None


class ReadPlan:
    "A read an import will create: its values, and its register's past"
    __slots__ = ('values', 'read', 'before')

    def __init__(self, values, read, before):
        self.values, self.read, self.before = values, read, before


class MeterRow:
    "A meter as the import needs it, read by SQL"
    __slots__ = ('id', 'serial', 'state', 'state_string', 'dials',
        'multiplier', 'compound', 'unit', 'registers')


def _imported(Reading, meter_ids, dates):
    """{((meter id, register), date, time): (file name, read)} of the imported
    reads of these meters on these dates: the read a file brings is
    known by its register and moment (its date when it has no time)."""
    pool = Pool()
    Import = pool.get('water.meter.reading.import')
    table = Reading.__table__()
    import_ = Import.__table__()
    cursor = Transaction().connection.cursor()
    imported = {}
    cursor.execute(*table.join(import_,
            condition=table.reading_import == import_.id).select(
            table.meter, table.register, table.read_date, table.read_time,
            import_.file_name, table.value,
            where=fields.SQL_OPERATORS['in'](table.meter, sorted(meter_ids))
            & fields.SQL_OPERATORS['in'](table.read_date, sorted(dates))))
    for meter, register, read_date, read_time, file_name, value in cursor:
        if isinstance(read_date, str):
            read_date = datetime.date.fromisoformat(read_date)
        if isinstance(read_time, str):
            read_time = datetime.time.fromisoformat(read_time)
        imported[(meter, register), read_date, read_time] = (
            file_name, Decimal(str(value)))
    return imported


def _meters(Meter, serials):
    """{serial: MeterRow} of the meters with these serials, in one query
    (the ORM would instantiate thousands of meters)."""
    table = Meter.__table__()
    cursor = Transaction().connection.cursor()
    states = dict(Meter.state.selection)
    meters = {}
    cursor.execute(*table.select(
            table.id, table.serial, table.state, table.dials,
            table.multiplier, table.compound, table.unit,
            where=fields.SQL_OPERATORS['in'](table.serial, sorted(serials))))
    for id_, serial, state, dials, multiplier, compound, unit in cursor:
        meter = MeterRow()
        meter.id, meter.serial, meter.state = id_, serial, state
        meter.state_string = states[state]
        meter.dials = dials
        meter.multiplier = Decimal(str(multiplier))
        meter.compound = bool(compound)
        meter.unit = unit
        meter.registers = ['low', 'high'] if compound else ['single']
        meters[serial] = meter
    return meters


class ImportReadsStart(ModelView):
    "Import Meter Reads"
    __name__ = 'water.meter.reading.import.start'

    file = fields.Binary("File", required=True, filename='file_name')
    file_name = fields.Char("File Name")
    format = fields.Selection(FORMATS, "Format", required=True)

    @classmethod
    def default_format(cls):
        return 'beacon'


class ImportReadsResult(ModelView):
    "Import Meter Reads"
    __name__ = 'water.meter.reading.import.result'

    reading_import = fields.Many2One(
        'water.meter.reading.import', "Import", readonly=True)
    already = fields.Boolean("Already Imported", readonly=True)
    message = fields.Text("Result", readonly=True)


class ImportReads(Wizard):
    "Import Meter Reads"
    __name__ = 'water.meter.reading.import.wizard'

    start = StateView(
        'water.meter.reading.import.start',
        'water_utility.reading_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView(
        'water.meter.reading.import.result',
        'water_utility.reading_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            Button("Open Exceptions", 'exceptions', 'tryton-forward'),
            ])
    exceptions = StateAction('water_utility.act_reading_exception_form')

    def transition_import_(self):
        pool = Pool()
        Import = pool.get('water.meter.reading.import')
        record, already = Import.import_file(
            self.start.file_name or 'reads', bytes(self.start.file),
            self.start.format)
        self.result.reading_import = record
        self.result.already = already
        self.result.message = result_message(record, already)
        return 'result'

    def default_result(self, fields):
        return {
            'reading_import': self.result.reading_import.id,
            'already': self.result.already,
            'message': self.result.message,
            }

    def do_exceptions(self, action):
        action['domain'] = [
            ('reading.reading_import', '=', self.result.reading_import.id),
            ('state', '=', 'open'),
            ]
        return action, {}


def result_message(record, already):
    "The result of an import, as the clerk and the command show it"
    if already:
        return gettext('water_utility.msg_import_already',
            file=record.file_name, date=record.create_date.date(),
            user=record.create_uid.rec_name)
    text = gettext('water_utility.msg_import_result',
        file=record.file_name, rows=record.rows, created=record.created,
        skipped=record.skipped, exceptions=record.exceptions_raised)
    if record.skipped_rows:
        text += '\n\n' + record.skipped_rows
    return text


def import_folder(database, folder, format_code, login='admin'):
    """Import every file of `folder` (the scheduled download folder), one
    transaction per file, as the user `login`; print each result and
    return the number of files refused.  Files imported before are
    recognised by their content and create nothing."""
    from pathlib import Path

    refused = 0
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file():
            continue
        if not import_path(database, path, format_code, login):
            refused += 1
    return refused


def import_path(database, path, format_code, login, wait=600):
    """Import the file at `path` in its own transaction, as the user
    `login`, print its result and return False when it was refused.

    The transaction starts again when the import asks for the read
    table's lock (as trytond's dispatcher does), and waits while another
    import holds it, up to `wait` seconds."""
    extras = {}
    deadline = time.monotonic() + wait
    while True:
        try:
            with Transaction().start(database, 0, **extras) as transaction:
                try:
                    return _import_path(path, format_code, login)
                except TransactionError as error:
                    transaction.rollback()
                    error.fix(extras)
                    continue
        except backend.DatabaseOperationalError:
            # The lock was not free after trytond's retries at the start
            # of the transaction: another import holds it.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _import_path(path, format_code, login):
    transaction = Transaction()
    pool = Pool()
    User = pool.get('res.user')
    user, = User.search([('login', '=', login)])
    with transaction.set_user(user.id), transaction.set_context(
            User.get_preferences(context_only=True)):
        Import = pool.get('water.meter.reading.import')
        try:
            record, already = Import.import_file(
                path.name, path.read_bytes(), format_code, progress=print)
        except ReadImportError as exception:
            transaction.rollback()
            print(f"{path.name}: refused: {exception.message}")
            return False
        print(result_message(record, already))
        transaction.commit()
        return True
