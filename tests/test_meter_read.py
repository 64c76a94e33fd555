# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Plain tests of what a read file's row reads on its meter, or why it
cannot (`reading_import.meter_read`), with plain objects for the row and
the meter."""
import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace as Record

import pytest

from water_utility.models.reading_import import meter_read

TODAY = dt.date(2026, 12, 5)


def row(**values):
    defaults = dict(register='single', account=None, unit=None,
        read_date=TODAY, value=D('1234.5'))
    return Record(**{**defaults, **values})


def meter(**values):
    defaults = dict(state='installed', state_string="Installed",
        compound=False, unit='gal', dials=6)
    return Record(**{**defaults, **values})


def test_a_good_row():
    assert meter_read(row(), meter(), {'10042'}, TODAY, 2) == (
        'single', D('1234.5'), None)
    # a single register named L is the single register
    assert meter_read(row(register='low'), meter(), set(), TODAY, 2)[0] \
        == 'single'
    assert meter_read(row(register='high'), meter(compound=True), set(),
        TODAY, 2)[:2] == ('high', D('1234.5'))


@pytest.mark.parametrize('the_row, the_meter, message', [
        (row(), None, 'msg_import_unknown_meter'),
        (row(), meter(state='removed', state_string="Removed"),
            'msg_import_meter_not_installed'),
        (row(account='99999'), meter(), 'msg_import_wrong_account'),
        (row(), meter(compound=True), 'msg_import_register_compound'),
        (row(register='high'), meter(), 'msg_import_register_single'),
        (row(unit='cf'), meter(), 'msg_import_unit'),
        (row(read_date=TODAY + dt.timedelta(days=1)), meter(),
            'msg_import_future'),
        (row(value=D('1234567')), meter(), 'msg_import_dials'),
        (row(value=D('12.345')), meter(), 'msg_import_digits'),
        ])
def test_refused(the_row, the_meter, message):
    register, value, refused = meter_read(
        the_row, the_meter, {'10042'}, TODAY, 2)
    assert (register, value, refused[0]) == (None, None, message)
