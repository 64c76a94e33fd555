# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Meter read files from the reading systems: plain parsers, no database.

Each format turns the bytes of a file into FileRead rows and RowProblem
notes (a row it could not read, with its line number and why).  A file that
is not what its format claims (wrong columns, wrong record lengths) raises
FileFormatError with what was expected: it is refused whole.

Adding a vendor is one ReadFormat subclass in FORMATS and its test.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from .amounts import AmountError, parse_number


class FileFormatError(ValueError):
    "The file is not in the format claimed; nothing of it is imported"


@dataclass(frozen=True)
class FileRead:
    "One register read as the file gives it"
    line: int
    meter: str
    register: str  # single, low or high
    value: Decimal
    read_date: date
    read_time: time | None = None
    unit: str | None = None  # gal, cf, hcf, m3, af; None when not given
    method: str | None = None  # handheld, amr, ami, office
    endpoint: str | None = None
    account: str | None = None
    location: str | None = None
    leak: bool = False
    tamper: bool = False


@dataclass(frozen=True)
class RowProblem:
    "A row of the file that is skipped, and why"
    line: int
    reason: str


UNITS = {
    'GAL': 'gal', 'GALLON': 'gal', 'GALLONS': 'gal', 'G': 'gal',
    'CUBIC_FEET': 'cf', 'CF': 'cf', 'FT3': 'cf',
    'CCF': 'hcf', 'HCF': 'hcf', 'HUNDRED_CUBIC_FEET': 'hcf',
    'CUBIC_METER': 'm3', 'CUBIC_METERS': 'm3', 'M3': 'm3',
    'AF': 'af', 'ACRE_FEET': 'af', 'ACRE_FOOT': 'af',
    }
REGISTERS = {
    '': 'single', 'S': 'single', '1': 'single',
    'L': 'low', '0': 'low', 'LOW': 'low',
    'H': 'high', '2': 'high', 'HIGH': 'high',
    }
METHODS = {
    'AMR': 'amr', 'FIXED': 'ami', 'NETWORK': 'ami', 'AMI': 'ami',
    'MANUAL': 'handheld', 'HANDHELD': 'handheld', 'N/A': None, '': None,
    }
TRUE = {'1', 'Y', 'YES', 'TRUE', 'T', 'X'}
TIMESTAMP_FORMATS = [
    '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%fZ',
    '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p',
    '%m/%d/%Y %I:%M %p',
    ]
DATE_FORMATS = ['%Y-%m-%d', '%m/%d/%Y', '%Y%m%d']
# The decimals of a read (the digits of water.meter.reading's value):
# a read written with more is refused, not rounded.
READ_DIGITS = 2


def decode(data):
    "Return the text of a file, with or without a BOM, UTF-8 or Latin-1"
    if isinstance(data, str):
        return data.lstrip('\ufeff')
    try:
        return data.decode('utf-8-sig')
    except UnicodeDecodeError:
        return data.decode('latin-1')


def parse_timestamp(text):
    "Return (date, time or None) from the formats reading systems write"
    text = text.strip()
    for fmt in TIMESTAMP_FORMATS:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return value.date(), value.time()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    raise ValueError(f"unreadable date/time {text!r}")


def parse_register(text, column):
    "Return single, low or high from a register code of the file"
    code = text.strip().upper()
    if code not in REGISTERS:
        raise ValueError(f"unknown {column} {code!r}")
    return REGISTERS[code]


def parse_unit(text, column):
    "Return the unit code of a file's unit name, None when not given"
    name = text.strip().upper()
    if name and name not in UNITS:
        raise ValueError(f"unsupported {column} {name!r}")
    return UNITS.get(name)


def parse_value(text, digits=READ_DIGITS):
    """Return the read as a Decimal, as written (thousands separators in
    their places, at most `digits` decimals: see `amounts`)"""
    try:
        return parse_number(text, digits, what="read value")
    except AmountError as error:
        # The row's problem names its line.
        reason = '' if error.reason == "is not a number" else (
            ': ' + error.reason.removeprefix("is not a number: "))
        raise ValueError(f"unreadable read value {error.text.strip()!r}"
            f"{reason}")


class ReadFormat:
    "A kind of read file"
    code = None
    name = None
    # The decimals a read may have: those of the field it is stored in.
    digits = READ_DIGITS

    def parse(self, data):
        "Return ([FileRead], [RowProblem]) or raise FileFormatError"
        raise NotImplementedError


class CSVFormat(ReadFormat):
    """A CSV file with a header row, columns matched by name.

    `columns` maps each field to the header names it may have (newer and
    older names); unknown columns are ignored."""
    columns = {}
    required = ()

    def parse(self, data):
        text = decode(data)
        rows = csv.reader(io.StringIO(text, newline=''))
        header, header_line = None, 0
        for line, row in enumerate(rows, 1):
            if any(cell.strip() for cell in row):
                header, header_line = row, line
                break
        if header is None:
            raise FileFormatError(
                f"{self.name}: the file is empty; expected a header row "
                f"with {self._expected()}.")
        names = {name.strip().lower(): i for i, name in enumerate(header)}
        index = {}
        for field, aliases in self.columns.items():
            for alias in aliases:
                if alias.lower() in names:
                    index[field] = names[alias.lower()]
                    break
        missing = [f for f in self.required if f not in index]
        if missing:
            raise FileFormatError(
                f"{self.name}: the header row (line {header_line}) has no "
                + ", ".join(
                    ' or '.join(self.columns[f]) for f in missing)
                + f" column; expected {self._expected()}.")
        reads, problems = [], []
        width = len(header)
        for line, row in enumerate(rows, header_line + 1):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width and any(c.strip() for c in row[width:]):
                raise FileFormatError(
                    f"{self.name}: line {line} has {len(row)} fields, the "
                    f"header has {width}; is the file cut or mixed?")
            cells = {
                field: (row[i].strip() if i < len(row) else '')
                for field, i in index.items()}
            try:
                reads.append(self.read_row(line, cells))
            except ValueError as exception:
                problems.append(RowProblem(line, str(exception)))
        return reads, problems

    def _expected(self):
        return ", ".join(self.columns[f][0] for f in self.required)

    def read_row(self, line, cells):
        raise NotImplementedError


class BeaconCSV(CSVFormat):
    "Badger Meter BEACON billing read export"
    code = 'beacon'
    name = "Badger BEACON billing read export (CSV)"
    columns = {
        'meter': ['Meter_ID', 'Meter_SN'],
        'register': ['Register_Number', 'Register'],
        'value': ['Read', 'Current_Read'],
        'unit': ['Read_Unit', 'Current_Read_Units', 'Read_Units'],
        'timestamp': ['Read_Time', 'Current_Read_Time', 'Read_Date'],
        'method': ['Read_Method'],
        'endpoint': ['Endpoint_SN'],
        'account': ['Account_ID'],
        'location': ['Location_ID'],
        'leak': ['Leak', 'Current_Leak', 'Leak_Alert', 'Leak_Flag'],
        'tamper': ['Tamper', 'Current_Tamper', 'Tamper_Alert',
            'Tamper_Flag'],
        }
    required = ('meter', 'value', 'timestamp')

    def read_row(self, line, cells):
        if not cells['meter']:
            raise ValueError("no Meter_ID")
        register = parse_register(cells.get('register', ''),
            'Register_Number')
        unit = parse_unit(cells.get('unit', ''), 'read unit')
        method = cells.get('method', '').upper()
        read_date, read_time = parse_timestamp(cells['timestamp'])
        return FileRead(
            line=line, meter=cells['meter'], register=register,
            value=parse_value(cells['value'], self.digits),
            read_date=read_date, read_time=read_time,
            unit=unit, method=METHODS.get(method, 'amr'),
            endpoint=cells.get('endpoint') or None,
            account=cells.get('account') or None,
            location=cells.get('location') or None,
            leak=cells.get('leak', '').upper() in TRUE,
            tamper=cells.get('tamper', '').upper() in TRUE)


class GenericCSV(CSVFormat):
    """The product's own read CSV (doc/reads.md): meter_serial, read_date,
    read and optionally register, read_time, unit, source."""
    code = 'generic'
    name = "Generic read CSV"
    columns = {
        'meter': ['meter_serial', 'meter'],
        'register': ['register'],
        'value': ['read', 'value'],
        'date': ['read_date', 'date'],
        'time': ['read_time', 'time'],
        'unit': ['unit'],
        'method': ['source', 'method'],
        'leak': ['leak'],
        'tamper': ['tamper'],
        }
    required = ('meter', 'date', 'value')

    def read_row(self, line, cells):
        if not cells['meter']:
            raise ValueError("no meter_serial")
        register = parse_register(cells.get('register', ''), 'register')
        unit = parse_unit(cells.get('unit', ''), 'unit')
        read_date, read_time = parse_timestamp(cells['date'])
        if cells.get('time'):
            read_time = parse_timestamp(
                f"{read_date:%Y-%m-%d} {cells['time']}")[1]
        return FileRead(
            line=line, meter=cells['meter'], register=register,
            value=parse_value(cells['value'], self.digits),
            read_date=read_date, read_time=read_time, unit=unit,
            method=METHODS.get(cells.get('method', '').upper(), 'handheld'),
            leak=cells.get('leak', '').upper() in TRUE,
            tamper=cells.get('tamper', '').upper() in TRUE)


class NeptuneRoute(ReadFormat):
    """Neptune N_SIGHT-style fixed-width route file.

    A hierarchy of 80-character records, the type in columns 1-3:
    CHD company header, RHD route header, PRM premise, MTR meter and RDG
    reading; each RDG belongs to the MTR above it.  The layout is in
    doc/reads.md."""
    code = 'neptune'
    name = "Neptune N_SIGHT-style route file (fixed width)"
    width = 80
    # record type -> {field: (start, end)} with 0-based slices
    layout = {
        'CHD': {'company': (3, 33), 'created': (33, 41)},
        'RHD': {'route': (3, 13), 'cycle': (13, 19), 'read_date': (19, 27)},
        'PRM': {'location': (3, 23), 'account': (23, 43)},
        'MTR': {'meter': (3, 23), 'unit': (23, 27), 'endpoint': (27, 47)},
        'RDG': {'register': (3, 4), 'value': (4, 16), 'read_date': (16, 24),
            'read_time': (24, 28), 'method': (28, 29), 'leak': (29, 30),
            'tamper': (30, 31)},
        }
    methods = {'H': 'handheld', 'R': 'amr', 'F': 'ami', 'M': 'office'}

    def parse(self, data):
        text = decode(data)
        lines = text.splitlines()
        records = [(n, l.rstrip('\r\n')) for n, l in enumerate(lines, 1)]
        records = [(n, l) for n, l in records if l.strip()]
        if not records or not records[0][1].startswith('CHD'):
            raise FileFormatError(
                f"{self.name}: the first record must be a CHD company "
                "header; this is not a route file.")
        for n, record in records:
            kind = record[:3]
            if kind not in self.layout:
                raise FileFormatError(
                    f"{self.name}: line {n} has record type {kind!r}; "
                    "expected CHD, RHD, PRM, MTR or RDG.")
            # Editors trim trailing spaces, so a shorter record is padded;
            # a longer one is another layout.
            if len(record.rstrip()) > self.width:
                raise FileFormatError(
                    f"{self.name}: line {n} ({kind}) is "
                    f"{len(record.rstrip())} characters long; records are "
                    f"{self.width}.")
        reads, problems = [], []
        premise = meter = None
        for n, record in records:
            kind = record[:3]
            fields = {
                name: record[start:end].strip()
                for name, (start, end) in self.layout[kind].items()}
            if kind == 'PRM':
                premise, meter = fields, None
            elif kind == 'MTR':
                meter = fields
            elif kind == 'RDG':
                if meter is None:
                    problems.append(RowProblem(
                            n, "reading record without a meter record "
                            "above it"))
                    continue
                try:
                    reads.append(self._read(n, premise or {}, meter, fields))
                except ValueError as exception:
                    problems.append(RowProblem(n, str(exception)))
        return reads, problems

    def _read(self, line, premise, meter, fields):
        register = parse_register(fields['register'], 'register')
        unit = parse_unit(meter['unit'], 'unit')
        read_date, _ = parse_timestamp(fields['read_date'])
        read_time = None
        if fields['read_time']:
            read_time = parse_timestamp(
                f"{read_date:%Y-%m-%d} {fields['read_time'][:2]}:"
                f"{fields['read_time'][2:]}")[1]
        if not meter['meter']:
            raise ValueError("meter record without a serial number")
        return FileRead(
            line=line, meter=meter['meter'], register=register,
            value=parse_value(fields['value'], self.digits), read_date=read_date,
            read_time=read_time, unit=unit,
            method=self.methods.get(fields['method'].upper(), 'handheld'),
            endpoint=meter['endpoint'] or None,
            account=premise.get('account') or None,
            location=premise.get('location') or None,
            leak=fields['leak'].upper() in TRUE,
            tamper=fields['tamper'].upper() in TRUE)


FORMATS = {f.code: f for f in (BeaconCSV, NeptuneRoute, GenericCSV)}
