# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sql import Literal
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.transaction import Transaction

from .. import withholding
from ..exceptions import TaxTableError


class TaxTable(ModelSQL, ModelView):
    """A year's withholding tables (IRS Pub 15-T, EDD DE 44, FICA, limits).

    Each year is a dated data file in agency_payroll/data/tax_tables; the
    files shipped with the module are loaded when it is activated or
    updated: a new year is a new file, no code."""
    __name__ = 'payroll.tax.table'
    year = fields.Integer("Year", required=True, readonly=True)
    content = fields.Text("Tables", required=True, readonly=True)
    source = fields.Char("Source File", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('year', 'DESC'))
        t = cls.__table__()
        cls._sql_constraints = [
            ('year_unique', Unique(t, t.year),
                'agency_payroll.msg_tax_table_year_unique'),
            ]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls.load_files()

    @classmethod
    def load_files(cls, directory=None):
        "Load or refresh the tables of every shipped year's file"
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        directory = directory or withholding.tables_path(2000).parent
        for path in sorted(directory.glob('*.json')):
            text = path.read_text(encoding='utf-8')
            year = withholding.read_tables(text)['year']
            cursor.execute(*table.select(table.id, table.content,
                    where=table.year == year))
            row = cursor.fetchone()
            if row is None:
                cursor.execute(*table.insert(
                        [table.year, table.content, table.source,
                            table.create_uid, table.create_date],
                        [[year, text, path.name, Literal(0),
                                CurrentTimestamp()]]))
            elif row[1] != text:
                cursor.execute(*table.update(
                        [table.content, table.source, table.write_uid,
                            table.write_date],
                        [text, path.name, Literal(0), CurrentTimestamp()],
                        where=table.id == row[0]))

    @classmethod
    def tables_for(cls, date):
        "Return the parsed tables of the year of `date`, or refuse"
        records = cls.search([('year', '=', date.year)], limit=1)
        if not records:
            raise TaxTableError(gettext(
                    'agency_payroll.msg_tax_table_missing',
                    year=date.year, date=date))
        return withholding.read_tables(records[0].content)
