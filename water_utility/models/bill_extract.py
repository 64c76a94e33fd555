# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The print vendor's extract: one CSV row per paper bill, in print order."""
import csv
import io
from decimal import Decimal

from trytond.pool import Pool

from .bill_report import schedule_due
from .report import address_lines


EXTRACT_COLUMNS = [
    'account', 'name', 'address_1', 'address_2', 'address_3', 'address_4',
    'postal_code', 'service_address', 'bill_date', 'due_date',
    'previous_balance', 'payments', 'current_charges', 'amount_due',
    'usage', 'language', 'other_charges', 'arrangement_due']


def print_extract(bills):
    """The vendor CSV of paper `bills`, in their print order: what each
    bill prints, its other charges' total (previous balance, other
    charges, payments and current charges add up to the amount due) and
    what an arrangement asks of it (empty without one)"""
    Bill = Pool().get('water.bill')
    schedules = Bill.bill_schedules(bills)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator='\r\n')
    writer.writerow(EXTRACT_COLUMNS)
    for bill in bills:
        account = bill.account
        address = account.mailing_address
        lines = (address_lines(address) + [''] * 4)[:4]
        writer.writerow([
                account.number, account.party.rec_name, *lines,
                address.postal_code or '',
                '; '.join(p.service.premise.street for p in bill.periods),
                bill.run.bill_date.isoformat(),
                bill.due_date.isoformat() if bill.due_date else '',
                bill.previous_balance, bill.payments, bill.total,
                bill.amount_due,
                sum((p.usage or 0 for p in bill.periods), Decimal(0)),
                account.lang.code if account.lang else 'en',
                sum((c.amount for c in bill.charges), Decimal('0.00')),
                arrangement_due(bill, schedules.get(bill.id)),
                ])
    return output.getvalue().encode('utf-8')


def arrangement_due(bill, schedule):
    "What `bill` asks under an arrangement's `schedule`: '' without one"
    due = schedule_due(bill.total, schedule)
    return '' if due is None else due
