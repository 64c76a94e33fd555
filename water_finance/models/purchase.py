# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Tryton's purchase orders, printed on the district's letterhead and
emailed to the vendor, and kept as they were confirmed.

A confirmed order is what the vendor was sent and what its bills are
matched against (three-way match): from outside (JSON-RPC) only its
comment changes, its lines not at all; its state moves through Tryton's
own buttons and processes.  Email to Vendor sends the order's PDF to the
vendor's email address (the order's contact if it is one), through
trytond's mailer, and stamps the order with whom it went to, when and by
whom; ir.email keeps each message with its PDF."""
import datetime as dt
import smtplib

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedError
from water_utility.mailer import Mailer
from water_utility.models.report import DistrictReport

from ..exceptions import PurchaseEmailError

SENT_STATES = {'confirmed', 'processing', 'done'}
# Set by Email to Vendor only
EMAIL_FIELDS = frozenset({'emailed_to', 'emailed_at', 'emailed_by'})
# What may still change on a confirmed order from outside
CONFIRMED_WRITABLE = frozenset({'comment'})


class Purchase(metaclass=PoolMeta):
    __name__ = 'purchase.purchase'

    emailed_to = fields.Char("Emailed To", readonly=True,
        help="The address the order was last emailed to.")
    emailed_at = fields.Timestamp("Emailed At", readonly=True)
    emailed_by = fields.Many2One(
        'res.user', "Emailed By", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'email_order': {
                    'invisible': ~Eval('state').in_(sorted(SENT_STATES)),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def copy(cls, purchases, default=None):
        default = dict(default or {})
        for name in EMAIL_FIELDS:
            default.setdefault(name, None)
        return super().copy(purchases, default=default)

    @classmethod
    def check_modification(cls, mode, purchases, values=None,
            external=False):
        super().check_modification(
            mode, purchases, values=values, external=external)
        if not external or mode != 'write':
            return
        names = set(values)
        if forged := names & EMAIL_FIELDS:
            raise SealedError(gettext(
                    'water_finance.msg_purchase_email_workflow',
                    purchase=purchases[0].rec_name,
                    fields=', '.join(sorted(forged))))
        if refused := names - CONFIRMED_WRITABLE:
            for purchase in purchases:
                if purchase.state in SENT_STATES:
                    raise SealedError(gettext(
                            'water_finance.msg_purchase_sealed',
                            purchase=purchase.rec_name,
                            fields=', '.join(sorted(refused))))

    def vendor_email(self):
        "The address the order goes to: its contact's, else the vendor's"
        contact = self.contact
        if contact and contact.type == 'email' and contact.value:
            return contact.value
        mechanism = self.party.contact_mechanism_get({'email'})
        return mechanism.value if mechanism else None

    @classmethod
    @ModelView.button
    def email_order(cls, purchases):
        """Email each confirmed order's PDF to its vendor, all or none, and
        stamp whom it went to, when and by whom"""
        addresses = {}
        for purchase in purchases:
            if purchase.state not in SENT_STATES:
                raise PurchaseEmailError(gettext(
                        'water_finance.msg_purchase_email_state',
                        purchase=purchase.rec_name))
            addresses[purchase] = purchase.vendor_email()
            if not addresses[purchase]:
                raise PurchaseEmailError(gettext(
                        'water_finance.msg_purchase_email_address',
                        purchase=purchase.rec_name,
                        vendor=purchase.party.rec_name))
        mailer = Mailer.joined()
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        user = Transaction().user
        for purchase in purchases:
            purchase._email(addresses[purchase])
            purchase.emailed_to = addresses[purchase]
            purchase.emailed_at = now
            purchase.emailed_by = user
        try:
            mailer.flush()
        except (OSError, smtplib.SMTPException) as error:
            raise PurchaseEmailError(gettext(
                    'water_finance.msg_purchase_email_failed',
                    error=str(error) or type(error).__name__)) from error
        cls.save(purchases)

    def _email(self, to):
        "Queue the order's PDF for `to` on the transaction's mailer"
        pool = Pool()
        Email = pool.get('ir.email')
        Order = pool.get('water.purchase.order.report', type='report')
        _, content, _, _ = Order.execute([self.id], {
                'model': self.__name__, 'id': self.id, 'ids': [self.id]})
        district = self.company.party.rec_name
        subject = gettext('water_finance.msg_purchase_email_subject',
            number=self.number, district=district)
        body = gettext('water_finance.msg_purchase_email_body',
            number=self.number, district=district,
            vendor=self.party.rec_name)
        Email.send(
            to=to, subject=subject, body=body,
            files=[(f'purchase-order-{self.number}.pdf', content)],
            record=[self.__name__, self.id])

    def approvals(self):
        """The signed approvals of the requisitions this order buys for,
        oldest first"""
        pool = Pool()
        RequisitionLine = pool.get('purchase.requisition.line')
        requisitions = {r.origin.requisition
            for l in self.lines for r in getattr(l, 'requests', ())
            if isinstance(r.origin, RequisitionLine)}
        return sorted((a for q in requisitions for a in q.approvals),
            key=lambda a: (a.approved_at, a.id))


class PurchaseLine(metaclass=PoolMeta):
    __name__ = 'purchase.line'

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for line in lines:
                if line.purchase and line.purchase.state in SENT_STATES:
                    raise SealedError(gettext(
                            'water_finance.msg_purchase_line_sealed',
                            purchase=line.purchase.rec_name,
                            line=line.rec_name))


class PurchaseOrderReport(DistrictReport):
    "The purchase order the vendor gets, on the district's letterhead"
    __name__ = 'water.purchase.order.report'
