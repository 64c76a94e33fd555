# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Supplier bills: one vendor invoice number once, three-way matched, and
approved for payment by someone other than who entered them.

A vendor's invoice number (the bill's reference) may be used once per
vendor, whatever its case, spaces or punctuation (`match_rules.
reference_key`); a cancelled bill's number may be entered again.  The
database refuses a duplicate that two clerks enter at once (an exclusion
constraint), the form names the bill that has the number.

Posting a bill matches it (`match_rules`): each line billing a purchase
order's line against the order's price and what was received.  A bill
that does not match is *held*, the reasons kept on it; Check Match
matches it again (the rest of an order received, say).  A bill with no
purchase order line (a utility's bill, a service under contract) is
marked so and needs no match.  Approve for Payment takes a matched bill
(or one without an order) only, signed by an employee who neither
entered nor posted it; the payment run pays approved bills only.

The match and the approval are the buttons' own: a write of them from
outside (JSON-RPC) is refused, as a sealed document's workflow fields
are (`sealing`)."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Exclude, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from ..exceptions import DuplicateBillError, PaymentApprovalRefused
from ..match_rules import line_findings, reference_key, shown

MATCH_STATES = [
    (None, ""),
    ('matched', "Matched"),
    ('held', "Held"),
    ('no_order', "No Purchase Order"),
    ]
# Set by posting and the buttons only
MATCH_FIELDS = frozenset({
        'reference_key', 'match_state', 'hold_reason',
        'payment_approved_by', 'payment_approved_at'})
PAYABLE_MATCH = {'matched', 'no_order'}


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    reference_key = fields.Char("Reference Key", readonly=True,
        help="The vendor's invoice number as compared for duplicates.")
    match_state = fields.Selection(MATCH_STATES, "Match", readonly=True,
        states={'invisible': Eval('type') != 'in'},
        help="The three-way match of a posted supplier bill with its "
        "purchase orders and what was received.")
    hold_reason = fields.Text("Hold Reason", readonly=True,
        states={'invisible': Eval('match_state') != 'held'})
    payment_approved_by = employee_field("Approved for Payment By",
        states=['posted', 'paid'])
    payment_approved_at = fields.Timestamp(
        "Approved for Payment At", readonly=True,
        states={'invisible': ~Bool(Eval('payment_approved_by'))})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints.append(
            ('supplier_reference_unique',
                Exclude(t, (t.company, Equal), (t.party, Equal),
                    (t.reference_key, Equal),
                    where=(t.type == 'in') & (t.state != 'cancelled')),
                'water_finance.msg_bill_reference_unique'))
        cls._check_modify_exclude |= MATCH_FIELDS
        approvable = ((Eval('type') != 'in') | (Eval('state') != 'posted')
            | Bool(Eval('payment_approved_by')))
        cls._buttons.update({
                'check_match': {
                    'invisible': approvable,
                    'depends': ['type', 'state', 'payment_approved_by'],
                    },
                'approve_payment': {
                    'invisible': approvable,
                    'depends': ['type', 'state', 'payment_approved_by'],
                    },
                })

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'reference' in values:
            values['reference_key'] = reference_key(values['reference'])
        return values

    @classmethod
    def copy(cls, invoices, default=None):
        default = default.copy() if default is not None else {}
        for name in MATCH_FIELDS:
            default.setdefault(name)
        return super().copy(invoices, default=default)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if not external:
            return
        if mode == 'write':
            forged = set(values) & MATCH_FIELDS
        elif mode == 'create':
            forged = {n for n in MATCH_FIELDS if n != 'reference_key'
                for r in records if getattr(r, n)}
        else:
            forged = set()
        if forged:
            raise AccessError(gettext('water_finance.msg_bill_match_fields',
                    invoice=records[0].rec_name,
                    fields=', '.join(sorted(forged))))

    @classmethod
    def create(cls, vlist):
        # before the row is inserted: PostgreSQL's constraint would refuse
        # it without naming the bill that has the number
        cls.check_references([
                (v.get('company') or cls.default_company(), v.get('party'),
                    v['reference'], None)
                for v in vlist
                if v.get('type') == 'in' and v.get('reference')])
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        # a new number or vendor, or a cancelled bill brought back: checked
        # before the update, as on creation
        actions = iter(args)
        cls.check_references([
                (i.company.id, values.get('party', i.party.id),
                    values.get('reference', i.reference), i.id)
                for invoices, values in zip(actions, actions)
                if {'reference', 'party', 'state'} & values.keys()
                for i in invoices
                if i.type == 'in'
                and values.get('state', i.state) != 'cancelled'
                and ({'reference', 'party'} & values.keys()
                    or i.state == 'cancelled')])
        super().write(*args)

    @classmethod
    def check_references(cls, entries):
        """Refuse a vendor invoice number another live bill of the vendor
        has: `entries` are (company, vendor, number, bill id or None)"""
        Party = Pool().get('party.party')
        for company, party, reference, invoice_id in entries:
            key = reference_key(reference)
            if not key or not party:
                continue
            others = cls.search([
                    ('company', '=', int(company)),
                    ('type', '=', 'in'),
                    ('party', '=', int(party)),
                    ('reference_key', '=', key),
                    ('state', '!=', 'cancelled'),
                    ('id', '!=', invoice_id),
                    ], limit=1)
            if others:
                other, = others
                raise DuplicateBillError(gettext(
                        'water_finance.msg_bill_reference_duplicate',
                        reference=reference,
                        vendor=Party(int(party)).rec_name,
                        other=other.rec_name))

    @classmethod
    def _post(cls, invoices):
        super()._post(invoices)
        cls.match(
            [i for i in invoices if i.type == 'in' and i.state == 'posted'])

    @classmethod
    @ModelView.button
    def check_match(cls, invoices):
        cls.match([i for i in invoices if i.type == 'in'
                and i.state == 'posted' and not i.payment_approved_by])

    @classmethod
    def match(cls, invoices):
        "Match each bill, holding those that do not match with the reasons"
        to_write = []
        for invoice in invoices:
            state, reasons = invoice.match_findings()
            to_write.extend([[invoice], {
                        'match_state': state,
                        'hold_reason': '\n'.join(reasons) or None,
                        }])
        if to_write:
            cls.write(*to_write)

    def match_findings(self):
        """The bill's match state and, when held, the reasons: each line
        billing an order's line against the order and the receipt"""
        lines = [l for l in self.lines if l.type == 'line']
        ordered = [l for l in lines if l.purchase_line_billed()]
        if not ordered:
            return 'no_order', []
        reasons = [gettext('water_finance.msg_match_not_ordered',
                line=l.shown_in_match()) for l in lines if l not in ordered]
        tolerances = Pool().get('purchase.configuration')(1).tolerances()
        billed = defaultdict(Decimal)
        for line in ordered:
            billed[line.purchase_line_billed()] += line.purchase_quantity()
        for line in ordered:
            purchase_line = line.purchase_line_billed()
            findings = line_findings(
                billed.pop(purchase_line, 0),
                purchase_line.billed_before(self),
                purchase_line.received_quantity(),
                line.purchase_unit_price(), purchase_line.unit_price,
                *tolerances)
            reasons.extend(gettext(f'water_finance.msg_match_{code}',
                    line=line.shown_in_match(),
                    purchase=purchase_line.purchase.rec_name,
                    **{k: shown(v, 0 if code == 'quantity' else 2)
                        for k, v in values.items()})
                for code, values in findings)
        return ('held' if reasons else 'matched'), reasons

    @classmethod
    @ModelView.button
    @set_employee('payment_approved_by')
    def approve_payment(cls, invoices):
        for invoice in invoices:
            invoice.check_payment_approval()
        cls.write(list(invoices), {
                'payment_approved_at': dt.datetime.now(
                    dt.timezone.utc).replace(tzinfo=None)})

    def check_payment_approval(self):
        "Refuse approving this bill for payment, naming why"
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        employee = user.employee
        if self.type != 'in' or self.state != 'posted':
            reason = 'msg_approve_not_posted'
        elif self.payment_approved_by:
            reason = 'msg_approve_already'
        elif self.match_state not in PAYABLE_MATCH:
            reason = 'msg_approve_held'
        elif not employee:
            reason = 'msg_approve_no_employee'
        elif (self.create_uid == user
                or employee in {self.posted_by, self.validated_by}):
            reason = 'msg_approve_own'
        else:
            return
        raise PaymentApprovalRefused(gettext(
                f'water_finance.{reason}', invoice=self.rec_name,
                reason=self.hold_reason or ''))


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    def shown_in_match(self):
        "The line as a hold reason names it: its product or description"
        what = self.product.rec_name if self.product else self.description
        return f"{what} ({shown(self.quantity)})" if what else self.rec_name

    def purchase_line_billed(self):
        "The purchase order's line this line bills, or None"
        PurchaseLine = Pool().get('purchase.line')
        if isinstance(self.origin, PurchaseLine):
            return self.origin

    def purchase_quantity(self):
        "The quantity billed, in the order line's unit"
        Uom = Pool().get('product.uom')
        purchase_line = self.purchase_line_billed()
        return Decimal(str(Uom.compute_qty(
                    self.unit or purchase_line.unit, self.quantity,
                    purchase_line.unit, round=False)))

    def purchase_unit_price(self):
        "The unit price billed, per unit of the order line"
        Uom = Pool().get('product.uom')
        purchase_line = self.purchase_line_billed()
        if not self.unit or self.unit == purchase_line.unit:
            return self.unit_price
        return Uom.compute_price(
            self.unit, self.unit_price, purchase_line.unit)


class PurchaseLine(metaclass=PoolMeta):
    __name__ = 'purchase.line'

    def received_quantity(self):
        """What was received of the line (returns deducted), in its unit;
        a service, or a line without a product, is received as ordered"""
        Uom = Pool().get('product.uom')
        if not self.product or self.product.type == 'service':
            return Decimal(str(self.quantity))
        quantity = 0.0
        for move in self.moves:
            if move.state != 'done':
                continue
            qty = Uom.compute_qty(move.unit, move.quantity, self.unit,
                round=False)
            if move.from_location.type == 'supplier':
                quantity += qty
            elif move.to_location.type == 'supplier':
                quantity -= qty
        return Decimal(str(quantity))

    def billed_before(self, invoice):
        "What other live bills billed of this line, in its unit"
        Uom = Pool().get('product.uom')
        quantity = 0.0
        for line in self.invoice_lines:
            if (line.invoice and line.invoice != invoice
                    and line.invoice.state not in {'draft', 'cancelled'}):
                quantity += Uom.compute_qty(line.unit or self.unit,
                    line.quantity, self.unit, round=False)
        return Decimal(str(quantity))
