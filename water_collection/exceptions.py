# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class HolidayError(ValidationError):
    pass


class ProtectionError(ValidationError):
    pass


class ShutoffRefused(UserError):
    "The law or the district's rules hold a shut-off back"


class CalendarMissing(UserError):
    pass


class CalendarEndingWarning(UserWarning):
    pass


class PenaltyRuleError(ValidationError):
    pass


class PenaltyRunError(UserError):
    pass


class ArrangementInvalid(ValidationError):
    pass


class MailingError(UserError):
    pass


class ReconnectionError(UserError):
    pass


class WeatherHoldError(ValidationError):
    pass


class ContactError(ValidationError):
    pass
