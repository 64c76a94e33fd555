# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Read files imported from the reading systems, one transaction per file."
import hashlib
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .. import read_formats, registers
from ..exceptions import ReadImportError
from .reading_exception import services_for

FORMATS = [(code, f.name) for code, f in read_formats.FORMATS.items()]
# A lower read is taken as a rollover when the register was in its last
# tenth and now reads in its first tenth.
ROLLOVER_BAND = Decimal('0.1')


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
        is created then)."""
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        ReadingException = pool.get('water.meter.reading.exception')
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
        progress = progress or (lambda message: None)
        progress(f"{file_name}: {len(rows)} reads, "
            f"{len(problems)} unreadable rows")

        record = cls(
            file_name=file_name, format=format_code, file_hash=file_hash)
        record.save()
        values, skipped = cls._read_values(rows, record)
        problems.extend(skipped)
        progress(f"{file_name}: creating {len(values)} reads")
        reads = Reading.create(values)
        progress(f"{file_name}: checking usage")
        services = services_for(reads)
        exceptions = ReadingException.raise_for(reads, services)
        problems.sort(key=lambda p: p.line)
        record.rows = len(rows) + len(problems) - len(skipped)
        record.created = len(reads)
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
    def _read_values(cls, rows, record):
        "Return (create values, [RowProblem]) for the file's rows"
        pool = Pool()
        Date = pool.get('ir.date')
        Meter = pool.get('water.meter')
        Reading = pool.get('water.meter.reading')
        today = Date.today()
        meters = {m.serial: m for m in Meter.search(
                [('serial', 'in', list({r.meter for r in rows}))])}
        accounts = _meter_accounts(meters.values())
        chains = Reading.register_chains({
                (m.id, register) for m in meters.values()
                for register in m.registers})
        last = {key: chain[-1] for key, chain in chains.items() if chain}
        seen = {(key, r.read_date, r.value)
            for key, chain in chains.items() for r in chain}
        values, skipped = [], []

        def skip(row, message, **kwargs):
            skipped.append(read_formats.RowProblem(
                    row.line, gettext(
                        f'water_utility.{message}', meter=row.meter,
                        **kwargs)))

        for row in rows:
            meter = meters.get(row.meter)
            if meter is None:
                skip(row, 'msg_import_unknown_meter')
                continue
            if meter.state != 'installed':
                skip(row, 'msg_import_meter_not_installed',
                    state=meter.state_string)
                continue
            if (row.account and meter.id in accounts
                    and row.account not in accounts[meter.id]):
                skip(row, 'msg_import_wrong_account', account=row.account,
                    accounts=', '.join(sorted(accounts[meter.id])) or '-')
                continue
            register = row.register
            if not meter.compound and register == 'single':
                pass
            elif meter.compound and register == 'single':
                skip(row, 'msg_import_register_compound')
                continue
            elif not meter.compound:
                register = 'single' if register == 'low' else register
                if register != 'single':
                    skip(row, 'msg_import_register_single')
                    continue
            if row.unit and row.unit != meter.unit:
                skip(row, 'msg_import_unit', unit=row.unit,
                    meter_unit=meter.unit)
                continue
            if row.read_date > today:
                skip(row, 'msg_import_future', date=row.read_date)
                continue
            if not registers.fits_dials(row.value, meter.dials):
                skip(row, 'msg_import_dials', value=row.value,
                    dials=meter.dials)
                continue
            key = (meter.id, register)
            if (key, row.read_date, row.value) in seen:
                skip(row, 'msg_import_duplicate', date=row.read_date)
                continue
            previous = last.get(key)
            rollover = False
            if previous is not None:
                if row.read_date < previous.read_date:
                    skip(row, 'msg_import_older', date=row.read_date,
                        last_date=previous.read_date)
                    continue
                limit = registers.register_limit(meter.dials)
                if row.value < previous.value:
                    rollover = (previous.value >= limit * (1 - ROLLOVER_BAND)
                        and row.value < limit * ROLLOVER_BAND)
                    if not rollover:
                        skip(row, 'msg_import_lower', value=row.value,
                            previous=previous.value,
                            date=previous.read_date)
                        continue
            value = {
                'meter': meter.id,
                'register': register,
                'read_date': row.read_date,
                'read_time': row.read_time,
                'value': row.value,
                'rollover': rollover,
                'kind': 'regular',
                'source': row.method or 'amr',
                'endpoint': row.endpoint,
                'leak': row.leak,
                'tamper': row.tamper,
                'reading_import': record.id,
                }
            values.append(value)
            seen.add((key, row.read_date, row.value))
            last[key] = _Last(row.read_date, row.value)
        return values, skipped


class _Last:
    __slots__ = ('read_date', 'value')

    def __init__(self, read_date, value):
        self.read_date, self.value = read_date, value


def _meter_accounts(meters):
    """{meter id: account numbers of the active services at its premise}:
    a file naming another account for the meter is wrong about one of
    them, and the row is skipped."""
    pool = Pool()
    Installation = pool.get('water.meter.installation')
    Service = pool.get('water.service')
    installations = Installation.search([
            ('meter', 'in', [m.id for m in meters]),
            ('removal_date', '=', None),
            ])
    premise_meters = defaultdict(set)
    for installation in installations:
        premise_meters[installation.premise.id].add(installation.meter.id)
    accounts = defaultdict(set)
    for service in Service.search([
                ('premise', 'in', list(premise_meters)),
                ('state', '=', 'active'),
                ]):
        for meter_id in premise_meters[service.premise.id]:
            accounts[meter_id].add(service.account.number)
    return accounts


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
    transaction per file; return the number of files refused."""
    from pathlib import Path

    from trytond.pool import Pool as Pool_
    refused = 0
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file():
            continue
        with Transaction().start(database, 0) as transaction:
            pool = Pool_()
            User = pool.get('res.user')
            user, = User.search([('login', '=', login)])
            with transaction.set_user(user.id), \
                    transaction.set_context(User.get_preferences(
                            context_only=True)):
                Import = pool.get('water.meter.reading.import')
                try:
                    record, already = Import.import_file(
                        path.name, path.read_bytes(), format_code,
                        progress=print)
                except ReadImportError as exception:
                    transaction.rollback()
                    print(f"{path.name}: refused: {exception.message}")
                    refused += 1
                    continue
                print(result_message(record, already))
                transaction.commit()
    return refused
