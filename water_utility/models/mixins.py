# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction


def rec_name_domain(clause, *names):
    """The domain of a `search_rec_name` that looks for `clause` in any of
    the fields `names` (in none of them for a negative operator)"""
    _, operator, *_ = clause
    bool_op = 'AND' if operator.startswith('!') else 'OR'
    return [bool_op] + [(name, *clause[1:]) for name in names]


class CompanyDayMixin:
    """A document of the user's company on a day (today by default), in
    the company's currency.  The model defines `company`, `date` and the
    Function field `currency`."""
    __slots__ = ()

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None


class KeptOncePostedMixin:
    """A document that stays as the record of what it posted: once posted
    it cannot be deleted.  `_kept_message` is the ir.message saying so,
    with the document as %(record)s."""
    __slots__ = ()
    _kept_message = None

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            for record in records:
                if record.state == 'posted':
                    raise AccessError(gettext(
                            cls._kept_message, record=record.rec_name))


class NumberedMixin:
    """A record numbered on creation from one of the sequences of the
    water configuration, named by `_number_sequence`."""
    __slots__ = ()
    _number_sequence = None

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            values['number'] = getattr(
                Configuration(1), cls._number_sequence).get()
        return values
