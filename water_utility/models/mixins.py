# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError


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
