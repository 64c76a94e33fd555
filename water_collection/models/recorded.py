# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.transaction import Transaction


class Recorded:
    """A record kept as it was recorded (a protection on file, a call
    made): who recorded it is the user who created it, whatever the call
    says; afterwards only `_open_fields` change, and it is never deleted.
    `_delete_message` and `_write_message` are ir.message ids, given
    %(record)s and %(fields)s (those the write would change)."""
    __slots__ = ()
    _open_fields = frozenset()
    _delete_message = None
    _write_message = None

    recorded_by = fields.Many2One(
        'res.user', "Recorded By", readonly=True, ondelete='RESTRICT',
        help="The user who recorded it: office staff are users, not all "
        "employees.")

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['recorded_by'] = Transaction().user
        return values

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            raise AccessError(gettext(cls._delete_message,
                    record=records[0].rec_name, fields=''))
        changed = set(values or ()) - cls._open_fields
        if mode == 'write' and changed:
            raise AccessError(gettext(cls._write_message,
                    record=records[0].rec_name,
                    fields=', '.join(sorted(changed))))
