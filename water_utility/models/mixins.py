# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool


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
