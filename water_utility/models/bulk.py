# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Writing rows in bulk below the ORM, for imports, bill runs and postings
that check every rule of the model set-wise first: ids drawn ahead,
inserts and updates in one prepared statement each, values kept to the
fields' digits, the transaction's caches cleared as the ORM clears them;
and sums read back from SQL as Decimals."""
import datetime
import math
from decimal import Decimal

from sql.aggregate import Max
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import DigitsValidationError
from trytond.pool import Pool
from trytond.transaction import Transaction


def reserve_ids(Model, count):
    """Draw `count` ids for new rows of `Model`, to insert (with
    `insert_rows`) before anything else is inserted in its table"""
    transaction = Transaction()
    if not count:
        return []
    ids = transaction.database.nextid(
        transaction.connection, Model._table, count=count)
    if isinstance(ids, int):
        ids = [ids]
    if ids is None:
        # SQLite: the transaction holds the database's write lock once it
        # has written, so the ids after the largest one are free.
        table = Model.__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.select(Max(table.id)))
        first = (cursor.fetchone()[0] or 0) + 1
        ids = range(first, first + count)
    return list(ids)


def insert_rows(Model, vlist):
    """Insert rows already checked set-wise (by an import) and return
    their ids; the user's create access is checked as the ORM would.
    Rows may carry their ids, drawn by `reserve_ids`.

    Used where ORM create of tens of thousands of rows is too slow; each
    caller checks every rule of the model before calling it."""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    ModelAccess.check(Model.__name__, 'create')
    if not vlist:
        return []
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    table = Model.__table__()
    names = sorted(n for n in vlist[0] if n != 'id')
    fit = {n: fit_digits(Model, n) for n in names}
    if 'id' in vlist[0]:
        ids = [v['id'] for v in vlist]
    else:
        ids = reserve_ids(Model, len(vlist))
    stamp = [transaction.user, datetime.datetime.now()]
    columns = [getattr(table, n) for n in names] + [
        table.create_uid, table.create_date, table.id]
    rows = [[fit[n](v[n]) if fit[n] else v[n] for n in names]
        + stamp + [id_] for v, id_ in zip(vlist, ids)]
    query, _ = tuple(table.insert(columns, [rows[0]]))
    cursor.executemany(query, rows)
    forget_cached()
    return list(ids)


def fit_digits(Model, name):
    """Return the function that gives a value of the field `name` of
    `Model` as the ORM would store it, or None when the field has no
    fixed digits.

    As the ORM, a value with more integer digits, or more significant
    decimals, than the field's digits is refused (DigitsValidationError);
    trailing zeros beyond the digits are dropped (12.340 is stored
    12.34), so the column never holds more decimals than the field shows.
    Digits that depend on the record (a currency's) are the caller's."""
    field = Model._fields.get(name)
    digits = getattr(field, 'digits', None)
    if (not isinstance(field, fields.Float) or not isinstance(digits, tuple)
            or not all(isinstance(d, int) for d in digits)):
        return None
    int_size, dec_size = digits

    def refuse(value):
        raise DigitsValidationError(gettext(
                'water_utility.msg_bulk_digits', value=value,
                decimals=dec_size, integers=int_size,
                **Model.__names__(name)))

    def fit(value):
        if value is None:
            return value
        if value and math.ceil(math.log10(abs(value))) > int_size:
            refuse(value)
        if isinstance(value, Decimal):
            fitted = fit_decimals(value, dec_size)
            if fitted is None:
                refuse(value)
            return fitted
        elif round(value, dec_size) != value:
            refuse(value)
        return value
    return fit


def fit_decimals(value, decimals):
    """Return the Decimal `value` with at most `decimals` decimals, or
    None when that would change it: trailing zeros go, significant
    decimals are never rounded away.

    >>> fit_decimals(Decimal('12.340'), 2), fit_decimals(Decimal('12.345'), 2)
    (Decimal('12.34'), None)"""
    if value.as_tuple().exponent >= -decimals:
        return value
    fitted = value.quantize(Decimal(1).scaleb(-decimals))
    return fitted if fitted == value else None


def update_rows(Model, names, rows):
    """Update the fields `names` of many rows of `Model`, each row its
    values then its id, in one prepared statement, stamped as the ORM
    stamps a write; for the same callers as `insert_rows`"""
    if not rows:
        return
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    table = Model.__table__()
    user = transaction.user
    query, _ = tuple(table.update(
            [getattr(table, n) for n in names]
            + [table.write_uid, table.write_date],
            rows[0][:-1] + [user, CurrentTimestamp()],
            where=table.id == rows[0][-1]))
    cursor.executemany(query, [row[:-1] + [user, row[-1]] for row in rows])
    forget_cached()


def forget_cached():
    """As the ORM does after a write: records read earlier in the
    transaction (a run's empty list of bills, say) must be read again."""
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        cache.clear()


def as_decimal(value):
    "A number as the database returns it (SQLite: a float) as a Decimal"
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal('0.0001'))


def as_cents(value):
    "A sum as the database returns it (SQLite: a float) in cents"
    if value is None:
        return Decimal('0.00')
    return Decimal(str(value)).quantize(Decimal('0.01'))

