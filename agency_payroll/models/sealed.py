# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Payroll's sealed documents: the sealing package with payroll's messages"
from sealing import ComputedMixin, SealedLineMixin, SealedMixin


class PayrollSealed(SealedMixin):
    "A payroll document sealed once approved"
    __slots__ = ()
    _sealed_message = 'agency_payroll.msg_record_sealed'
    _workflow_message = 'agency_payroll.msg_workflow_field'


class PayrollComputed(ComputedMixin):
    "Computed by the pay run: read-only from outside"
    __slots__ = ()
    _computed_message = 'agency_payroll.msg_record_computed'


class SealedWithSlip(SealedLineMixin):
    "A record sealed with the pay slip it belongs to, if any"
    __slots__ = ()
    _sealed_parent = 'slip'
    _sealed_message = 'agency_payroll.msg_record_sealed'


class PayrollLineSealed(PayrollComputed, SealedWithSlip):
    "A line computed with its pay slip and sealed with it"
    __slots__ = ()
