# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the read file parsers, on files with the ugly cases."
from datetime import date, time
from decimal import Decimal

import pytest

from water_utility.read_formats import (
    FORMATS, BeaconCSV, FileFormatError, GenericCSV, NeptuneRoute)

BEACON = (
    '\ufeffAccount_ID,Location_ID,Service_Point_ID,Meter_ID,Register_Number,'
    'Endpoint_SN,Read_Method,Read,Read_Unit,Billing_Read,Billing_Read_Unit,'
    'Read_Time,Leak,Tamper,Some_New_Column\r\n'
    '100001,L-000001,1,DM-0000001,,E1001,Network,"1,234",GAL,12,CCF,'
    '2026-11-20 06:15:00,0,0,x\r\n'
    '\r\n'
    '100002,L-000002,1,"DM-0000002",L,E1002,AMR,  500  ,CUBIC_FEET,5,CCF,'
    '11/20/2026 7:05,1,0,\r\n'
    '100002,L-000002,1,DM-0000002,H,E1002,AMR,20500,CUBIC_FEET,205,CCF,'
    '11/20/2026 7:05,0,Y,\r\n'
    '100003,L-000003,1,DM-0000003,,E1003,Fixed,abc,GAL,,,2026-11-20,0,0,\r\n'
    '100004,L-000004,1,DM-0000004,,E1004,Fixed,10,GAL,,,not a date,0,0,\r\n'
    '100005,L-000005,1,,,E1005,Fixed,10,GAL,,,2026-11-20,0,0,\r\n'
    ).encode('utf-8')


def test_beacon_reads_the_good_rows_and_reports_the_bad():
    reads, problems = BeaconCSV().parse(BEACON)
    assert [(r.line, r.meter, r.register, r.value) for r in reads] == [
        (2, 'DM-0000001', 'single', Decimal('1234')),
        (4, 'DM-0000002', 'low', Decimal('500')),
        (5, 'DM-0000002', 'high', Decimal('20500')),
        ]
    first, low, high = reads
    assert first.read_date == date(2026, 11, 20)
    assert first.read_time == time(6, 15)
    assert (first.unit, first.method, first.endpoint) == ('gal', 'ami', 'E1001')
    assert (first.account, first.location) == ('100001', 'L-000001')
    assert (low.unit, low.method, low.leak, low.tamper) == (
        'cf', 'amr', True, False)
    assert high.tamper is True
    assert [(p.line, p.reason) for p in problems] == [
        (6, "unreadable read value 'abc'"),
        (7, "unreadable date/time 'not a date'"),
        (8, "no Meter_ID"),
        ]


def test_beacon_older_column_names():
    data = (
        'Meter_ID,Register_Number,Current_Read,Current_Read_Units,Read_Time\n'
        'M1,,42,GAL,2026-11-01T08:00:00Z\n')
    reads, problems = BeaconCSV().parse(data.encode())
    assert problems == []
    assert reads[0].value == Decimal(42) and reads[0].unit == 'gal'


def test_beacon_latin1_and_trailing_spaces():
    data = 'Meter_ID , Read ,Read_Time\nMÉ1  ,7 ,2026-11-01   \n'
    reads, _ = BeaconCSV().parse(data.encode('latin-1'))
    assert (reads[0].meter, reads[0].value) == ('MÉ1', Decimal(7))


def test_beacon_without_its_columns_is_refused_whole():
    with pytest.raises(FileFormatError) as info:
        BeaconCSV().parse(b'meter,value\nM1,5\n')
    message = str(info.value)
    assert 'Meter_ID or Meter_SN' in message
    assert 'Read or Current_Read' in message
    assert 'line 1' in message


def test_empty_file_is_refused():
    with pytest.raises(FileFormatError, match='empty'):
        BeaconCSV().parse(b'\r\n\r\n')


def test_row_longer_than_the_header_is_refused():
    with pytest.raises(FileFormatError, match='line 3 has 4 fields'):
        BeaconCSV().parse(
            b'Meter_ID,Read,Read_Time\nM1,1,2026-11-01\nM2,2,2026-11-01,9\n')


def test_unknown_unit_and_register_are_row_problems():
    reads, problems = BeaconCSV().parse(
        b'Meter_ID,Register_Number,Read,Read_Unit,Read_Time\n'
        b'M1,,1,LITER,2026-11-01\nM2,X,1,GAL,2026-11-01\n')
    assert reads == []
    assert [p.reason for p in problems] == [
        "unsupported read unit 'LITER'", "unknown Register_Number 'X'"]


def test_generic_csv():
    reads, problems = GenericCSV().parse(
        b'meter_serial,read_date,read_time,read,unit,source\n'
        b'M1,2026-11-02,14:30,1250.5,hcf,customer\n')
    assert problems == []
    read, = reads
    assert (read.read_date, read.read_time, read.value, read.unit) == (
        date(2026, 11, 2), time(14, 30), Decimal('1250.5'), 'hcf')


def record(text):
    return text.ljust(80)


NEPTUNE = '\r\n'.join([
        record('CHD' + 'Cedar Creek Water District'.ljust(30) + '20261120'),
        record('RHD' + 'R01'.ljust(10) + 'C1'.ljust(6) + '20261120'),
        record('PRM' + 'L-000001'.ljust(20) + '100001'),
        record('MTR' + 'DM-0000001'.ljust(20) + 'GAL '.ljust(4) + 'E1001'),
        record('RDG 000000012345202611200615H00'),
        '',
        record('PRM' + 'L-000002'.ljust(20) + '100002'),
        record('MTR' + 'DM-0000002'.ljust(20) + 'CF'.ljust(4) + 'E1002'),
        record('RDGL000000000500202611200620R10'),
        record('RDGH000000020500202611200620R01'),
        record('RDG 00000000zz00202611200620R00'),
        'RDG 000000000010202611200620R00',  # trailing spaces trimmed
        ]) + '\r\n'


def test_neptune_route_file():
    reads, problems = NeptuneRoute().parse(NEPTUNE.encode())
    assert [(r.line, r.meter, r.register, r.value) for r in reads] == [
        (5, 'DM-0000001', 'single', Decimal(12345)),
        (9, 'DM-0000002', 'low', Decimal(500)),
        (10, 'DM-0000002', 'high', Decimal(20500)),
        (12, 'DM-0000002', 'single', Decimal(10)),
        ]
    assert reads[0].read_time == time(6, 15)
    assert (reads[0].method, reads[0].account, reads[0].unit) == (
        'handheld', '100001', 'gal')
    assert reads[1].leak and reads[2].tamper
    assert [(p.line, p.reason) for p in problems] == [
        (11, "unreadable read value '00000000zz00'")]


def test_neptune_refuses_another_layout():
    with pytest.raises(FileFormatError, match='first record must be a CHD'):
        NeptuneRoute().parse(b'Meter_ID,Read\nM1,5\n')
    with pytest.raises(FileFormatError, match="record type 'XYZ'"):
        NeptuneRoute().parse((record('CHDX') + '\n' + record('XYZ')).encode())
    with pytest.raises(FileFormatError, match='is 95 characters long'):
        NeptuneRoute().parse(
            (record('CHDX') + '\n' + 'RDG' + '1' * 92).encode())


def test_every_format_is_registered():
    assert set(FORMATS) == {'beacon', 'neptune', 'generic'}
    assert all(f.name for f in FORMATS.values())


@pytest.mark.parametrize('value, reason', [
        ('12,34', "unreadable read value '12,34': commas must separate "
            "groups of three digits (1,234.56)"),
        ('1e9', "unreadable read value '1e9': exponents (1e9) are not "
            "accepted"),
        ('1_000', "unreadable read value '1_000': underscores are not "
            "digit separators"),
        ('\u0661\u0662', "unreadable read value '\u0661\u0662': it has "
            "characters other than 0-9"),
        ('NaN', "unreadable read value 'NaN'"),
        ('12.345678901', "unreadable read value '12.345678901': has more "
            "than 2 decimals"),
        ])
def test_loose_read_values_are_row_problems(value, reason):
    reads, problems = GenericCSV().parse(
        f'meter_serial,read_date,read\nM1,2026-11-02,"{value}"\n'.encode())
    assert reads == []
    assert [(p.line, p.reason) for p in problems] == [(2, reason)]


def test_read_decimals_follow_the_field_digits():
    data = b'meter_serial,read_date,read\nM1,2026-11-02,12.345\n'
    reads, problems = GenericCSV().parse(data)
    assert reads == [] and len(problems) == 1
    three = GenericCSV()
    three.digits = 3
    reads, problems = three.parse(data)
    assert problems == [] and reads[0].value == Decimal('12.345')
