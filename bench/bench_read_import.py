#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Import a realistic BEACON file into a district of N services.

    .venv/bin/python bench/bench_read_import.py [--services 10000]
        [--rows 50000] [--db-uri postgresql:///]

Builds the demo district with N premises (outside the timing; SQLite in a
temporary folder, or the PostgreSQL database `water_bench_reads`), writes a
BEACON billing read export of ROWS rows (daily AMI reads of every register,
with a few leak flags, unknown meters and bad values), imports it through
the same code as the wizard (parse, checks, reads, exceptions, one
transaction), then inserts the same rows by plain SQL into the read table
as the floor, and prints both and their ratio.  Both are rolled back."""
import argparse
import datetime as dt
import random
import time
from decimal import Decimal

from district import district, district_options, started_pool

DATABASE = 'water_bench_reads'


def beacon_file(meters, rows, today):
    "A BEACON export: daily reads of each register up to `rows` rows"
    rng = random.Random(998)
    units = {'gal': 'GAL', 'cf': 'CUBIC_FEET', 'hcf': 'CCF'}
    lines = ['Account_ID,Location_ID,Service_Point_ID,Meter_ID,'
        'Register_Number,Endpoint_SN,Read_Method,Read,Read_Unit,'
        'Read_Time,Leak,Tamper']
    registers = [(m, r) for m in meters for r in m['registers']]
    days = max(1, -(-rows // len(registers)))
    count = 0
    for day in range(days, 0, -1):
        date = today - dt.timedelta(days=day)
        for meter, register in registers:
            if count >= rows:
                break
            # About the register's own daily use since its last read.
            days = (date - meter['date'][register]).days
            meter['date'][register] = date
            meter['value'][register] += Decimal(
                float(meter['daily'][register]) * days
                * rng.uniform(0.7, 1.3)).quantize(Decimal('0.01'))
            value = meter['value'][register]
            serial = meter['serial']
            cell = str(value)
            if rng.random() < 0.001:
                serial = 'UNKNOWN-' + serial
            if rng.random() < 0.001:
                cell = 'n/a'
            lines.append(','.join([
                        '', meter['location'], '1', serial,
                        {'single': '', 'low': 'L', 'high': 'H'}[register],
                        'E' + meter['serial'], 'Network', cell,
                        units.get(meter['unit'], 'GAL'),
                        f'{date:%Y-%m-%d} 06:{rng.randint(0, 59):02d}:00',
                        '1' if rng.random() < 0.002 else '0', '0']))
            count += 1
    return ('\r\n'.join(lines) + '\r\n').encode(), count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--services', type=int, default=10000)
    parser.add_argument('--rows', type=int, default=50000)
    district_options(parser)
    args = parser.parse_args()
    with district(DATABASE, args.services, args.db_uri, args.reuse):
        run(args)


def run(args):
    from trytond.transaction import Transaction

    pool = started_pool(DATABASE)
    with Transaction().start(DATABASE, 1) as transaction:
        User = pool.get('res.user')
        with transaction.set_context(User.get_preferences(context_only=True)):
            Meter = pool.get('water.meter')
            Reading = pool.get('water.meter.reading')
            Import = pool.get('water.meter.reading.import')
            Date = pool.get('ir.date')
            today = Date.today()
            meters = []
            last, daily = {}, {}
            for key, chain in Reading.register_chains({
                        (m.id, r) for m in Meter.search(
                            [('state', '=', 'installed')])
                        for r in m.registers}).items():
                last[key] = chain[-1].value, chain[-1].read_date
                usage, days = chain[-1].usage, chain[-1].usage_days
                daily[key] = (usage / days) if usage and days else Decimal(1)
            for meter in Meter.search([('state', '=', 'installed')]):
                meters.append({
                        'serial': meter.serial, 'unit': meter.unit,
                        'location': meter.premise.code,
                        'registers': meter.registers,
                        'value': {r: last[meter.id, r][0]
                            for r in meter.registers},
                        'date': {r: last[meter.id, r][1]
                            for r in meter.registers},
                        'daily': {r: daily[meter.id, r]
                            for r in meter.registers},
                        })
            data, rows = beacon_file(meters, args.rows, today)
            print(f"file: {rows} rows, {len(data) / 1e6:.1f} MB", flush=True)

            started = time.monotonic()
            record, _ = Import.import_file(
                'bench.csv', data, 'beacon',
                progress=lambda m: print(
                    f"  {time.monotonic() - started:6.1f} s  {m}",
                    flush=True))
            elapsed = time.monotonic() - started
            created = record.created
            transaction.rollback()

            floor = sql_floor(Reading, rows)
            transaction.rollback()
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"\nbackend: {backend}; services: {args.services}; rows: {rows}")
    print(f"import (parse, checks, {created} reads, exceptions): "
        f"{elapsed:.1f} s = {rows / elapsed:.0f} rows/s")
    print(f"raw SQL insert of {rows} reads: {floor:.1f} s")
    print(f"ratio to the floor: {elapsed / floor:.1f}x")


def sql_floor(Reading, rows):
    "Insert `rows` reads by plain SQL: the floor of any import"
    from trytond.transaction import Transaction
    table = Reading.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.meter, limit=1))
    meter, = cursor.fetchone()
    today = dt.date.today()
    columns = [table.meter, table.register, table.read_date, table.value,
        table.kind, table.source, table.rollover, table.leak, table.tamper,
        table.create_uid, table.create_date]
    values = [[meter, 'single', today, Decimal(i), 'regular', 'ami', False,
            False, False, 1, dt.datetime.now()] for i in range(rows)]
    started = time.monotonic()
    for i in range(0, rows, 1000):
        cursor.execute(*table.insert(columns, values[i:i + 1000]))
    return time.monotonic() - started


if __name__ == '__main__':
    main()
