# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from sealing import ComputedMixin, SealedLineMixin, SealedMixin
from trytond.model import fields
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


class Sealed(SealedMixin):
    """A water document sealed once posted, voided or delivered (see the
    sealing package): `_sealed_states`, `_sealed_writable` and
    `_workflow_fields` name what is kept and who may set what."""
    __slots__ = ()
    _sealed_states = frozenset({'posted'})
    _sealed_message = 'water_utility.msg_record_sealed'
    _workflow_message = 'water_utility.msg_workflow_field'


class SealedLine(SealedLineMixin):
    "A line sealed with its document, named by `_sealed_parent`"
    __slots__ = ()
    _sealed_message = 'water_utility.msg_record_sealed'


class Computed(ComputedMixin):
    "A record the product computes: read-only from outside"
    __slots__ = ()
    _computed_message = 'water_utility.msg_record_computed'


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
        # a number typed by hand (or copied) would break the sequence
        if mode == 'create' and (
                not values.get('number')
                or Transaction().check_access):
            values['number'] = getattr(
                Configuration(1), cls._number_sequence).get()
        return values
