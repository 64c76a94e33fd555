# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The Board packet's CSV exports (warrant list, trial balance), as the
clerk opens them in a spreadsheet: a header row, CRLF line ends (RFC
4180), dates as ISO dates, money with two decimals, nothing as an empty
cell."""
import csv
import datetime as dt
import io
from decimal import Decimal


def cell(value):
    "A value as its CSV cell"
    if value is None:
        return ''
    if isinstance(value, Decimal):
        return f'{value:.2f}'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(columns, rows):
    "The CSV of `rows` (sequences in `columns`' order) under `columns`"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
