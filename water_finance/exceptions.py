# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class AuthorityError(ValidationError):
    pass


class ApprovalRefused(UserError):
    "The purchasing policy does not let this user approve this requisition"


class DuplicateBillError(ValidationError):
    "A vendor's invoice number already on another live bill of the vendor"


class PaymentApprovalRefused(UserError):
    "A supplier bill this user may not approve for payment"


class PaymentRefused(UserError):
    "A payment, or a step of it, the district's rules refuse"


class PaymentRunError(UserError):
    "A payment run that cannot be proposed or processed as asked"


class Form1099Error(UserError):
    "A 1099-NEC report that cannot be made as asked"


class WarrantListError(UserError):
    "A warrant list that cannot be computed or moved on as asked"


class AdjustmentError(UserError):
    "An adjusting journal entry not yet ready to be posted or approved"


class PeriodCloseError(UserError):
    "A period that cannot be closed yet"


class PurchaseEmailError(UserError):
    "A purchase order that cannot be emailed to its vendor"


class BillImportError(UserError):
    "A supplier bill file that cannot be imported as it is"
