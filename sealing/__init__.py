# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Sealed documents: the records behind the money, kept as they were done.

Shared by the Tryton modules of this distribution (water_utility and
agency_payroll, which do not depend on each other).  Not a Tryton module:
mixins only, each model naming its own messages.

A document is *sealed* once it is posted, approved, voided or delivered:
no write beyond a named allow-list, no delete; its lines are sealed with
it.  Its *workflow fields* (state, approval stamps, the entries it posted)
change only in its transitions and buttons: a write of them from outside
(JSON-RPC, where trytond does not enforce `readonly`) is refused in every
state, and a record created from outside must leave them at their
defaults.  Corrections go through the document's own flows (void with
reversal, credit, void and reissue), which leave both records."""
from trytond.i18n import gettext
from trytond.model import Model
from trytond.model.exceptions import AccessError


# Raised as trytond's own AccessError, as Tryton's core modules refuse a
# change to a posted document.
SealedError = AccessError


def _plain(value):
    "A field's value as written: a record as its id"
    if isinstance(value, Model):
        return value.id
    return value


class SealedMixin:
    """A document sealed in the states `_sealed_states`.

    `_sealed_writable`: the fields anyone with write access may still
    change on a sealed document (notes, say).  `_workflow_fields`: the
    fields only the document's transitions and buttons set; they are the
    only other fields the product's own code may write on a sealed
    document.  `_sealed_message` (%(record)s, %(fields)s) and
    `_workflow_message` (%(record)s, %(fields)s) are the ir.message ids."""
    __slots__ = ()
    _sealed_states = frozenset()
    _sealed_writable = frozenset()
    _workflow_fields = frozenset({'state'})
    _sealed_message = None
    _workflow_message = None

    def is_sealed(self):
        "Whether the document is sealed (its own state by default)"
        return self.state in self._sealed_states

    @classmethod
    def _raise_sealed(cls, record, names):
        raise SealedError(gettext(cls._sealed_message,
                record=record.rec_name, fields=', '.join(sorted(names))))

    @classmethod
    def _raise_workflow(cls, record, names):
        raise SealedError(gettext(cls._workflow_message,
                record=record.rec_name if record.id is not None else '',
                fields=', '.join(sorted(names))))

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'create' and external:
            cls._check_created_defaults(records)
        elif mode == 'write':
            names = set(values)
            if external and (forged := names & cls._workflow_fields):
                for record in records:
                    cls._raise_workflow(record, forged)
            allowed = cls._sealed_writable
            if not external:
                allowed = allowed | cls._workflow_fields
            if refused := names - allowed:
                for record in records:
                    if record.is_sealed():
                        cls._raise_sealed(record, refused)
        elif mode == 'delete':
            for record in records:
                if record.is_sealed():
                    cls._raise_sealed(record, {'id'})

    @classmethod
    def _check_created_defaults(cls, records):
        "A document created from outside starts where its workflow starts"
        defaults = {}
        for name in cls._workflow_fields:
            default = getattr(cls, f'default_{name}', None)
            defaults[name] = default() if default else None
        for record in records:
            forged = {name for name, default in defaults.items()
                if _plain(getattr(record, name)) != default}
            if forged:
                cls._raise_workflow(record, forged)

    @classmethod
    def copy(cls, records, default=None):
        "A copy starts where the workflow starts, unstamped"
        default = dict(default or {})
        for name in cls._workflow_fields:
            if name not in default:
                getter = getattr(cls, f'default_{name}', None)
                default[name] = getter() if getter else None
        return super().copy(records, default=default)


class SealedLineMixin:
    """A line of a document (`_sealed_parent` names the Many2One), sealed
    with it: not created, written or deleted while its document is
    sealed, except the `_sealed_writable` fields, and the
    `_workflow_fields` written by the product's own code.
    `_sealed_message` as for SealedMixin."""
    __slots__ = ()
    _sealed_parent = None
    _sealed_writable = frozenset()
    _workflow_fields = frozenset()
    _sealed_message = None

    def is_sealed(self):
        parent = getattr(self, self._sealed_parent)
        return bool(parent) and parent.is_sealed()

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write':
            refused = set(values) - cls._sealed_writable
            if not external:
                refused -= cls._workflow_fields
            if not refused:
                return
        for record in records:
            if record.is_sealed():
                raise SealedError(gettext(cls._sealed_message,
                        record=record.rec_name,
                        fields=', '.join(sorted(
                                    set(values or {}) or {'id'}))))
        if mode == 'write' and cls._sealed_parent in values:
            # moved onto another document: that one must not be sealed
            Parent = cls._fields[cls._sealed_parent].get_target()
            if values[cls._sealed_parent] is not None:
                parent = Parent(values[cls._sealed_parent])
                if parent.is_sealed():
                    raise SealedError(gettext(cls._sealed_message,
                            record=parent.rec_name,
                            fields=cls._sealed_parent))


class ComputedMixin:
    """A record only the product's own code makes and changes (a bill and
    its lines computed by a bill run, a pay slip computed by its pay run):
    from outside (JSON-RPC) it is read-only in every state, so what is
    reviewed and approved is what was computed.  `_computed_message`
    (%(record)s) is the ir.message id."""
    __slots__ = ()
    _computed_message = None

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            for record in records:
                raise SealedError(gettext(cls._computed_message,
                        record=record.rec_name))
