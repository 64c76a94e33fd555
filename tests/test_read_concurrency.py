# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Two read imports with overlapping rows, started together, create each
read once: the second skips what the first imported and says so.

On PostgreSQL the two imports run in two processes, released at the same
instant; SQLite lets one writer at a time, so there they run one after the
other, which is the order the lock gives them on PostgreSQL.  Also: the
digits of a read, a file of only a header, and the database key of
imported reads."""
import datetime as dt
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from water_utility.models.bulk import fit_decimals

HERE = Path(__file__).resolve()
METERS = 8


def test_fit_decimals():
    assert fit_decimals(Decimal('12.34'), 2) == Decimal('12.34')
    assert str(fit_decimals(Decimal('12.340000000'), 2)) == '12.34'
    assert str(fit_decimals(Decimal('1E+2'), 2)) == '1E+2'
    assert fit_decimals(Decimal('12.345'), 2) is None
    assert fit_decimals(Decimal('0.000000001'), 2) is None
    assert str(fit_decimals(Decimal('7'), 0)) == '7'
    assert fit_decimals(Decimal('7.5'), 0) is None


def _postgresql():
    return os.environ.get(
        'TRYTOND_DATABASE_URI', 'sqlite://').startswith('postgresql')


@pytest.fixture(scope='module')
def district():
    """A route of METERS installed meters, read once 30 days ago; the
    database is dropped after this file's tests, so the next district can
    be restored"""
    from proteus import Model
    from trytond.tests.test_tryton import drop_db
    from trytond.tests.tools import activate_modules, set_user
    from water_utility.district import district_today, setup_district

    from .db_cache import seed_district_cache
    seed_district_cache()
    config = activate_modules('water_utility', setup_district)
    today = district_today()
    User = Model.get('res.user')
    manager, = User.find([('login', '=', 'manager')])
    set_user(manager)
    Cycle = Model.get('water.cycle')
    Route = Model.get('water.route')
    Premise = Model.get('water.premise')
    Meter = Model.get('water.meter')
    ServiceOrder = Model.get('water.service.order')
    cycle = Cycle(code='C7', name="Cycle 7")
    cycle.save()
    route = Route(code='R07', name="Race Street", cycle=cycle)
    route.save()
    for i in range(METERS):
        premise = Premise(code=f'L-70{i}', street=f"{i} Race Street",
            city="Cedar Creek", postal_code="95999", route=route,
            read_sequence=i)
        premise.save()
        meter = Meter(serial=f'RC-{i}', unit='gal', dials=7)
        meter.save()
        order = ServiceOrder(type='meter_install', premise=premise,
            meter=meter, reading=Decimal('1000'),
            done_date=today - dt.timedelta(days=30))
        order.click('do')
    clerk, = User.find([('login', '=', 'clerk')])
    set_user(clerk)
    yield config, today
    drop_db()


def read_file(today, meters, extra=''):
    "A generic read file: each meter read at 06:00, 100 gallons used"
    lines = ['meter_serial,read_date,read_time,read']
    lines += [f'RC-{i},{today:%Y-%m-%d},06:00,1100' for i in meters]
    return ('\n'.join(lines) + '\n' + extra).encode()


def _imports_together(config, folders):
    """Import each folder's file in its own process, both released at the
    same instant"""
    go = folders[0].parent / 'go'
    # Started one after the other, each loading its pool before the next
    # starts (two connecting at the same instant to an SQLite file may
    # find its journal mode locked); both released together once ready.
    children = []
    for folder in folders:
        child = subprocess.Popen(
            [sys.executable, str(HERE), config.database_name, str(folder),
                str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        children.append(child)
        assert child.stdout.readline().strip() == 'ready', (
            child.stderr.read())
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, out + err


def test_concurrent_imports_create_each_read_once(district, tmp_path):
    from proteus import Model
    from water_utility.models.reading_import import import_path

    config, today = district
    Reading = Model.get('water.meter.reading')
    Import = Model.get('water.meter.reading.import')
    # Rows of meters 2 to 5 are in both files.
    files = {'a.csv': read_file(today, range(0, 6)),
        'b.csv': read_file(today, range(2, METERS))}
    folders = []
    for name, data in files.items():
        folder = tmp_path / name.split('.')[0]
        folder.mkdir()
        (folder / name).write_bytes(data)
        folders.append(folder)
    if _postgresql():
        _imports_together(config, folders)
    else:
        for folder in folders:
            path, = folder.iterdir()
            assert import_path(config.database_name, path, 'generic',
                'clerk')

    reads = Reading.find([
            ('meter.serial', 'like', 'RC-%'), ('read_date', '=', today)])
    assert sorted(r.meter.serial for r in reads) == [
        f'RC-{i}' for i in range(METERS)]
    assert {r.usage for r in reads} == {Decimal(100)}
    first, second = sorted(
        Import.find([('file_name', 'in', list(files))]),
        key=lambda i: -i.created)
    assert first.created == 6 and first.skipped == 0
    assert second.created == 2 and second.skipped == 4
    # The second names each overlapping line and the file that brought it.
    # Meter m is on line m + 2 of a.csv, line m of b.csv.
    shift = 2 if second.file_name == 'a.csv' else 0
    assert second.skipped_rows.splitlines() == [
        f'Line {meter + shift}: meter "RC-{meter}" already has its read of '
        f'{today} 06:00:00, 1100.00, from file "{first.file_name}"; a file '
        'brings one read per register and moment.'
        for meter in range(2, 6)]


def test_header_only_file_is_refused(district):
    from proteus import Model, Wizard
    from water_utility.exceptions import ReadImportError

    Import = Model.get('water.meter.reading.import')
    imports = len(Import.find([]))
    wizard = Wizard('water.meter.reading.import.wizard')
    wizard.form.format = 'generic'
    wizard.form.file = b'meter_serial,read_date,read\r\n\r\n'
    wizard.form.file_name = 'header-only.csv'
    with pytest.raises(ReadImportError) as info:
        wizard.execute('import_')
    assert info.value.message.startswith(
        'File "header-only.csv" was not imported, nothing was saved: '
        'it has no read rows, only its header.')
    assert len(Import.find([])) == imports


def test_read_with_more_decimals_than_the_field(district):
    from proteus import Model, Wizard
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from water_utility.read_formats import FileRead

    config, today = district
    # From a file: refused with its line, nothing stored.
    wizard = Wizard('water.meter.reading.import.wizard')
    wizard.form.format = 'generic'
    wizard.form.file = (
        'meter_serial,read_date,read_time,read\n'
        f'RC-0,{today},07:00,1150.123456789\n').encode()
    wizard.form.file_name = 'digits.csv'
    wizard.execute('import_')
    record = wizard.form.reading_import
    assert (record.created, record.skipped) == (0, 1)
    assert record.skipped_rows.startswith('Line 2: ')
    assert '1150.123456789' in record.skipped_rows
    Reading = Model.get('water.meter.reading')
    assert not Reading.find([('reading_import', '=', record.id)])

    # Whatever the parser lets through, the import keeps to the field's
    # digits: more significant decimals are refused with the line, zeros
    # beyond them dropped.
    with Transaction().start(config.database_name, 0):
        Import = Pool().get('water.meter.reading.import')
        rows = [FileRead(line=2, meter='RC-0', register='single',
                value=Decimal('1150.123456789'), read_date=today,
                read_time=dt.time(7)),
            FileRead(line=3, meter='RC-1', register='single',
                value=Decimal('1150.500000000'), read_date=today,
                read_time=dt.time(7))]
        plans, skipped, _ = Import._read_values(
            rows, Import(file_name='digits.csv'))
        assert [(p.line, p.reason) for p in skipped] == [
            (2, 'read 1150.123456789 of meter "RC-0" has more than 2 '
                'decimals; fix the value in the reading system.')]
        plan, = plans
        assert str(plan.values['value']) == '1150.50'


def test_bulk_insert_refuses_digits_and_duplicates(district, tmp_path):
    from trytond import backend
    from trytond.model.exceptions import DigitsValidationError
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from water_utility.models.bulk import insert_rows
    from water_utility.models.reading_import import import_path

    config, today = district
    path = tmp_path / 'late.csv'
    path.write_text('meter_serial,read_date,read_time,read\n'
        f'RC-7,{today},23:00,1200\n')
    assert import_path(config.database_name, path, 'generic', 'clerk')
    with Transaction().start(config.database_name, 0) as transaction:
        Reading = Pool().get('water.meter.reading')
        imported, = Reading.search([
                ('reading_import.file_name', '=', 'late.csv')])
        row = {n: getattr(imported, n) for n in [
                'register', 'read_date', 'read_time', 'rollover', 'kind',
                'source', 'leak', 'tamper']}
        row.update(meter=imported.meter.id,
            reading_import=imported.reading_import.id,
            value=Decimal('1200.001'))
        with pytest.raises(DigitsValidationError):
            insert_rows(Reading, [row])
        transaction.rollback()
        row['value'] = Decimal('1200.00')
        with pytest.raises(backend.DatabaseIntegrityError):
            insert_rows(Reading, [row])
        transaction.rollback()
        # Not a file's read: a read typed the same day is not keyed.
        row['reading_import'] = None
        assert insert_rows(Reading, [row])
        transaction.rollback()


def child(database, folder, go):
    "One import of the parallel test, in its own process"
    from trytond.pool import Pool
    from water_utility.models.reading_import import import_path

    Pool.start()
    Pool(database).init()
    print('ready', flush=True)
    while not Path(go).exists():
        time.sleep(0.005)
    path, = Path(folder).iterdir()
    if not import_path(database, path, 'generic', 'clerk'):
        sys.exit(1)


if __name__ == '__main__':
    child(*sys.argv[1:])
