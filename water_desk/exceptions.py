# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class MessageError(UserError):
    "A message that cannot be taken or handled as asked"


class ComplaintError(UserError):
    "A complaint that cannot be moved on as asked"


class LetterError(ValidationError):
    "A letter or template that cannot be saved or sent as it is"


class EventError(UserError):
    "A shut-off event that cannot be moved on, or written to, as asked"
