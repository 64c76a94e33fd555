# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class ServiceError(ValidationError):
    pass


class ServiceDatesError(ServiceError):
    pass


class ServiceOverlapError(ServiceError):
    pass


class PremiseInactiveError(ServiceError):
    pass


class MeterError(ValidationError):
    pass


class MeterSerialError(MeterError):
    pass


class MeterInstalledError(MeterError):
    pass


class ReadingError(ValidationError):
    pass


class ReadingLowerError(ReadingError):
    pass


class ServiceOrderError(UserError):
    pass


class ReadImportError(UserError):
    pass


class ServiceChangeError(UserError):
    pass


class RouteBookError(UserError):
    pass


class RateError(ValidationError):
    pass


class BillRunError(UserError):
    pass


class BillRunWarning(UserWarning):
    pass


class DeliveryError(BillRunError):
    pass


class LedgerError(UserError):
    pass


class CashError(UserError):
    pass


class AdjustmentError(UserError):
    pass


class ReconciliationError(UserError):
    pass


class BankError(UserError):
    pass
