# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class PayrollError(UserError):
    pass


class PayrollWarning(UserWarning):
    pass


class PayRateError(ValidationError):
    pass


class RoutingNumberError(ValidationError):
    pass


class DepositSplitError(ValidationError):
    pass


class TaxTableError(PayrollError):
    pass


class ClosedPeriodError(AccessError):
    pass


class SickLeavePlanError(ValidationError):
    pass


class PaySlipError(PayrollError):
    pass
