# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What collections puts on the next bill: its late charges and
reconnection fees on lines of their own, and the installments of a
payment arrangement that fall due with it (HSC 116910(a)(3)), beside the
current charges the arrangement also asks to be paid."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from water_utility.models.report import account_language


class Bill(metaclass=PoolMeta):
    __name__ = 'water.bill'

    @classmethod
    def _itemized_charges(cls, bills):
        """The late charges and reconnection fees posted to the bills'
        accounts and on no bill yet, named in each account's language"""
        result = super()._itemized_charges(bills)
        by_account = {b.account.id: b for b in bills}
        # whoever posts the bills, what they print is collections' doing
        with without_check_access():
            for invoice, message in charged_invoices(list(by_account)):
                bill = by_account[invoice.water_account.id]
                with Transaction().set_context(
                        language=account_language(bill.account)):
                    description = gettext(message)
                result.setdefault(bill, []).append((invoice,
                        invoice.invoice_date, description,
                        invoice.total_amount))
        return result

    @classmethod
    def bill_schedules(cls, bills):
        """The installments of an arrangement that fall due with each
        bill: after the previous bill's due date, by this one's"""
        Lang = Pool().get('ir.lang')
        result = super().bill_schedules(bills)
        posted = [b for b in bills if b.due_date]
        lang = Lang.get()
        # whoever prints the bill, the arrangement is collections' record
        with without_check_access():
            arrangements = arrangements_of({b.account.id for b in posted})
            for bill in posted:
                if bill.account.id not in arrangements:
                    continue
                after = bill._previous_due_date()
                for arrangement in arrangements[bill.account.id]:
                    result.setdefault(bill.id, []).extend(
                        (gettext('water_collection.msg_bill_installment',
                                number=number, count=count,
                                date=lang.strftime(due)), amount)
                        for number, count, due, amount in falling_due(
                            arrangement, after, bill.due_date))
        return result

    def _previous_due_date(self):
        "The due date of the account's bill before this one, or None"
        previous = self.search([
                ('account', '=', self.account.id),
                ('state', '=', 'posted'),
                ('id', '<', self.id),
                ], order=[('id', 'DESC')], limit=1)
        return previous[0].due_date if previous else None


def charged_invoices(account_ids):
    """[(invoice, message)]: the posted invoices of the accounts charging a
    late charge (a penalty run's) or a reconnection fee (a reconnection
    order's) that no bill printed yet, oldest first, and the ir.message
    naming each on the bill"""
    pool = Pool()
    Charge = pool.get('water.bill.charge')
    PenaltyLine = pool.get('water.collection.penalty.line')
    ServiceOrder = pool.get('water.service.order')
    posted = ['posted', 'paid']
    found = []
    for sub in map(list, grouped_slice(account_ids)):
        found.extend((l.invoice, 'water_collection.msg_bill_late_charge')
            for l in PenaltyLine.search([
                    ('account', 'in', sub),
                    ('invoice.state', 'in', posted),
                    ]))
        found.extend((o.reconnect_invoice,
                'water_collection.msg_bill_reconnection_fee')
            for o in ServiceOrder.search([
                    ('reconnect_invoice.water_account', 'in', sub),
                    ('reconnect_invoice.state', 'in', posted),
                    ]))
    printed = set()
    for sub in grouped_slice([i.id for i, _ in found]):
        printed.update(c.invoice.id for c in Charge.search(
                [('invoice', 'in', list(sub))]))
    return sorted(((i, m) for i, m in found if i.id not in printed),
        key=lambda f: (f[0].invoice_date, f[0].id))


def arrangements_of(account_ids):
    """{account id: [arrangement]}: the signed arrangements of the
    accounts (in force, paid off or defaulted)"""
    Arrangement = Pool().get('water.collection.arrangement')
    result = defaultdict(list)
    for sub in grouped_slice(sorted(account_ids)):
        for arrangement in Arrangement.search([
                    ('account', 'in', list(sub)),
                    ('state', 'in', ['active', 'completed', 'defaulted']),
                    ]):
            result[arrangement.account.id].append(arrangement)
    return result


def falling_due(arrangement, after, by):
    """[(number, count, due date, amount)] of the installments of
    `arrangement` due after `after` (None: from the first) and by `by`;
    none after its default"""
    installments = list(arrangement.installments)
    return [(number, len(installments), i.due_date, i.amount)
        for number, i in enumerate(installments, 1)
        if (after is None or i.due_date > after) and i.due_date <= by
        and (not arrangement.default_date
            or i.due_date <= arrangement.default_date)]
