# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Who may do what: the roles of README.md ("Roles") as a table, checked
against the access an activated database gives a user of each group.

ACCESS is the table: for each model, the groups that may read (r), write
(w), create (c) and delete (d) it; a group not named gets nothing.  A grant
wider or narrower than the table fails, and so does a model of the
modules missing from it.  FIELDS does the same for the fields only some
groups see, ACTIONS for the wizards and reports each group runs."""
import re
from pathlib import Path

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    TestCase, activate_module, drop_db, restore_db_cache, with_transaction)
from trytond.transaction import Transaction, check_access

from .db_cache import module_caches, seed_from

README = Path(__file__).resolve().parent.parent / 'README.md'
MODULES = ['agency_payroll', 'water_utility', 'water_collection',
    'water_finance', 'water_desk']
# The name of the test database cache with all of them activated
ALL_MODULES = 'water_modules'
FINANCE_MODULES = 'water_modules_finance'

# short name: (module, xml id) of each office role's group
GROUPS = {
    'water_admin': ('water_utility', 'group_water_admin'),
    'customer_service': ('water_utility', 'group_customer_service'),
    'billing': ('water_utility', 'group_billing'),
    'cash': ('water_utility', 'group_cash'),
    'finance': ('water_utility', 'group_finance'),
    'water_payroll': ('water_utility', 'group_payroll'),
    'purchasing_approval': ('water_utility', 'group_purchasing_approval'),
    'field': ('water_utility', 'group_field'),
    'payroll': ('agency_payroll', 'group_payroll'),
    'payroll_approval': ('agency_payroll', 'group_payroll_approval'),
    'time_approval': ('agency_payroll', 'group_time_approval'),
    'payroll_admin': ('agency_payroll', 'group_payroll_admin'),
    # Tryton's payment groups: who prepares payment runs, who approves
    'payment': ('account_payment', 'group_payment'),
    'payment_approval': ('account_payment', 'group_payment_approval'),
    }

ACCESS = {
    # Tryton's models the water groups read
    'account.invoice': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r'},
    'account.invoice.line': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r'},
    'account.statement': {'customer_service': 'r', 'cash': 'r'},
    'account.statement.line': {'customer_service': 'r', 'cash': 'r'},
    # hours: Tryton lets everyone read them; here payroll's only
    'timesheet.line': {
        'payroll': 'rwcd', 'time_approval': 'rwcd'},
    # payroll
    'payroll.configuration': {'payroll': 'r', 'payroll_admin': 'rwcd'},
    'payroll.deduction.type': {'payroll': 'r', 'payroll_admin': 'rwcd'},
    'payroll.department': {'payroll': 'r', 'payroll_admin': 'rwcd'},
    'payroll.department.account': {'payroll': 'r', 'payroll_admin': 'rwcd'},
    'payroll.deposit.account': {'payroll': 'rwcd'},
    'payroll.earning.type': {
        'payroll': 'r', 'time_approval': 'r', 'payroll_admin': 'rwcd'},
    'payroll.employee-leave.plan': {'payroll': 'rwcd'},
    'payroll.enrollment': {'payroll': 'rwcd'},
    'payroll.leave.entry': {
        'payroll': 'rwcd', 'payroll_approval': 'r', 'time_approval': 'r'},
    'payroll.leave.plan': {
        'payroll': 'r', 'time_approval': 'r', 'payroll_admin': 'rwcd'},
    'payroll.leave.plan.tier': {
        'payroll': 'r', 'time_approval': 'r', 'payroll_admin': 'rwcd'},
    'payroll.leave.request': {'payroll': 'rwcd', 'time_approval': 'rwcd'},
    'payroll.pay.rate': {'payroll': 'rwcd'},
    'payroll.quarterly_wages.start': {'payroll': 'rwc'},
    'payroll.retirement.plan': {'payroll': 'r', 'payroll_admin': 'rwcd'},
    'payroll.run': {'payroll': 'rwcd', 'payroll_approval': 'r'},
    'payroll.run-company.employee': {
        'payroll': 'rwcd', 'payroll_approval': 'r'},
    'payroll.slip': {'payroll': 'rwcd', 'payroll_approval': 'r'},
    'payroll.slip.deposit': {'payroll': 'rwcd', 'payroll_approval': 'r'},
    'payroll.slip.line': {'payroll': 'rwcd', 'payroll_approval': 'r'},
    'payroll.tax.table': {'payroll': 'r'},
    # purchasing: finance keeps the authorities, everyone reads them and
    # the approvals, which only the Approve button records
    'water.purchase.authority': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'purchasing_approval': 'r', 'field': 'r',
        'water_admin': 'rwcd'},
    'water.purchase.approval': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'r', 'purchasing_approval': 'r', 'field': 'r',
        'water_admin': 'r'},
    # vendor payments: Void Check alone records a voided check; Pay
    # Bills is run by who prepares payments
    'water.check.void': {'payment': 'r', 'payment_approval': 'r'},
    'water.check.void.start': {'payment_approval': 'rwc'},
    'water.payment.pay_bills.start': {'payment': 'rwc'},
    # Import Supplier Bills: Tryton's Accounting group (who keeps payables)
    # only, none of the water groups
    'water.bill.import.start': {},
    'water.bill.import.done': {},
    # warrant lists: who prepares payments computes them, finance
    # certifies and presents them; their warrants are computed only
    'water.warrant.list': {
        'payment': 'rwcd', 'finance': 'rwcd', 'water_admin': 'r'},
    'water.warrant.list.line': {
        'payment': 'r', 'finance': 'r', 'water_admin': 'r'},
    # the desk: every office role takes, reads and handles messages (none
    # deleted); finance and the administrator keep the escalation
    'water.desk.message': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'water_payroll': 'rwc',
        'purchasing_approval': 'rwc', 'field': 'rwc'},
    'water.desk.complaint': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'water_payroll': 'rwc',
        'purchasing_approval': 'rwc', 'field': 'rwc'},
    # letters: the roles that write to customers write and send them,
    # none deleted; finance and the administrator keep the templates;
    # the desk history is read by every office role
    'water.desk.letter': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc'},
    'water.desk.letter.template': {
        'water_admin': 'rwc', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'rwc'},
    'water.desk.history': {
        'water_admin': 'r', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'water_payroll': 'r',
        'purchasing_approval': 'r', 'field': 'r'},
    'water.desk.complaint_report.print.start': {
        'customer_service': 'rwc', 'finance': 'rwc', 'water_admin': 'rwc'},
    # shut-offs: the office and the field crews run them, payroll and the
    # approvers read them; their lines are the event's (its access), the
    # calls and log written once; finance and the administrator keep the
    # agency rules
    'water.desk.event': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.segment': {
        'water_admin': 'rwcd', 'customer_service': 'rwcd', 'billing': 'rwcd',
        'cash': 'rwcd', 'finance': 'rwcd', 'field': 'rwcd',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.service': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.call': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.log': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.agency': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.event.notice': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc',
        'water_payroll': 'r', 'purchasing_approval': 'r'},
    'water.desk.agency.rule': {
        'water_admin': 'rwc', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'rwc', 'field': 'r'},
    'water.desk.event.select.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc'},
    'water.desk.event.send_notices.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'rwc', 'finance': 'rwc', 'field': 'rwc'},
    'water.desk.configuration': {
        'water_admin': 'rwc', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'rwc', 'water_payroll': 'r',
        'purchasing_approval': 'r', 'field': 'r'},
    # the trial balance by fund: finance and the administrator
    'water.trial_balance.print.start': {'finance': 'rwc', 'water_admin': 'rwc'},
    # the CSV a Board packet report's wizard gives
    'water.packet.csv': {'finance': 'rwc', 'water_admin': 'rwc'},
    # the period close: the specialist runs the discrepancy finder,
    # finance closes; findings are the finder's only
    'water.close.checklist': {
        'payment': 'rwc', 'finance': 'rwc', 'water_admin': 'r'},
    'water.close.finding': {
        'payment': 'r', 'finance': 'r', 'water_admin': 'r'},
    # budget against actual: finance and the administrator
    'water.budget_report.print.start': {'finance': 'rwc', 'water_admin': 'rwc'},
    # 1099-NEC: finance keeps the thresholds and prints the totals
    'water.form1099.threshold': {'finance': 'rwcd'},
    'water.form1099.print.start': {'finance': 'rwc', 'water_admin': 'rwc'},
    # collections: finance keeps the holidays; customer service and
    # finance record protections (none deleted); notices are the ladder's
    'water.collection.holiday': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'field': 'r', 'water_admin': 'rwcd'},
    'water.collection.protection': {
        'customer_service': 'rwc', 'billing': 'r', 'cash': 'r',
        'finance': 'rwc', 'water_admin': 'rwc'},
    'water.collection.notice': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'r', 'field': 'r', 'water_admin': 'r'},
    # calls made and door notices posted: the office and the crew record
    # them, only their notes change, none is deleted
    'water.collection.contact': {
        'customer_service': 'rwc', 'billing': 'r', 'cash': 'r',
        'finance': 'rwc', 'field': 'rc', 'water_admin': 'rwc'},
    'water.collection.cpi': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'field': 'r', 'water_admin': 'rwcd'},
    'water.collection.disconnection.print.start': {
        'billing': 'rwc', 'finance': 'rwc', 'water_admin': 'rwc'},
    'water.collection.policy.print.start': {
        'customer_service': 'rwc', 'billing': 'rwc', 'finance': 'rwc',
        'water_admin': 'rwc'},
    'water.collection.weather_hold': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'field': 'r', 'water_admin': 'rwcd'},
    'water.service.order.override.start': {
        'finance': 'rwc', 'water_admin': 'rwc'},
    'water.collection.mailing': {
        'customer_service': 'rwcd', 'billing': 'rwcd', 'finance': 'r',
        'water_admin': 'rwcd'},
    'water.collection.arrangement': {
        'customer_service': 'rwcd', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'water_admin': 'rwcd'},
    'water.collection.arrangement.installment': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'r', 'water_admin': 'r'},
    'water.collection.arrangement.create.start': {
        'customer_service': 'rwc', 'finance': 'rwc', 'water_admin': 'rwc'},
    'water.collection.arrangement.create.preview': {
        'customer_service': 'rwc', 'finance': 'rwc', 'water_admin': 'rwc'},
    'water.collection.worklist': {
        'customer_service': 'r', 'billing': 'r', 'finance': 'r',
        'water_admin': 'r'},
    'water.collection.penalty.rule': {
        'customer_service': 'r', 'billing': 'r', 'cash': 'r',
        'finance': 'rwcd', 'water_admin': 'rwcd'},
    'water.collection.penalty.run': {
        'customer_service': 'r', 'billing': 'rwcd', 'finance': 'rwcd',
        'water_admin': 'rwcd'},
    'water.collection.penalty.line': {
        'customer_service': 'r', 'billing': 'r', 'finance': 'r',
        'water_admin': 'r'},
    # water: the network and its configuration
    'water.configuration': {
        'water_admin': 'rw', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.cycle': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.route': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.main_segment': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.read.rule': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    # customers, premises, services
    'water.premise': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.account': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'rw',
        'cash': 'r', 'finance': 'r'},
    'water.service': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'rw',
        'cash': 'r', 'finance': 'r', 'field': 'r'},
    'water.service.start.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc'},
    'water.service.start.confirm': {
        'water_admin': 'rwc', 'customer_service': 'rwc'},
    'water.service.stop.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc'},
    'water.service.transfer.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc'},
    'water.service.order': {
        'water_admin': 'rwcd', 'customer_service': 'rwcd', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'rwc'},
    'water.account.adjustment': {
        'water_admin': 'rwcd', 'customer_service': 'rwcd',
        'billing': 'rwcd', 'cash': 'r', 'finance': 'rwcd'},
    'water.account.history': {
        'water_admin': 'r', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r'},
    'water.adjustment.reason': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'rwcd'},
    # meters and reads
    'water.meter': {
        'water_admin': 'rwcd', 'customer_service': 'r', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'rwc'},
    'water.meter.installation': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'r',
        'cash': 'r', 'finance': 'r', 'field': 'rwc'},
    'water.meter.reading': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'r', 'finance': 'r', 'field': 'rwc'},
    # an exception is read by whoever reads its read (its __access__)
    'water.meter.reading.exception': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'rwc',
        'cash': 'r', 'finance': 'r', 'field': 'rwc'},
    'water.meter.reading.import': {
        'water_admin': 'rwcd', 'customer_service': 'rwc', 'billing': 'rwc',
        'finance': 'r', 'field': 'r'},
    'water.meter.reading.import.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc'},
    'water.meter.reading.import.result': {
        'water_admin': 'r', 'customer_service': 'r', 'billing': 'r'},
    'water.route.book': {
        'water_admin': 'rwcd', 'customer_service': 'rwcd',
        'billing': 'rwcd', 'finance': 'r', 'field': 'rwc'},
    'water.route.book.line': {
        'water_admin': 'rwcd', 'customer_service': 'rwcd',
        'billing': 'rwcd', 'finance': 'r', 'field': 'rwc'},
    'water.route.export.start': {
        'water_admin': 'rwc', 'customer_service': 'rwc', 'billing': 'rwc',
        'field': 'rwc'},
    'water.route.export.result': {
        'water_admin': 'r', 'customer_service': 'r', 'billing': 'r',
        'field': 'r'},
    # rates and billing
    'water.rate.schedule': {
        'water_admin': 'rwcd', 'finance': 'rwcd', 'customer_service': 'r',
        'billing': 'r'},
    'water.rate.component': {
        'water_admin': 'rwcd', 'finance': 'rwcd', 'customer_service': 'r',
        'billing': 'r'},
    'water.rate.tier': {
        'water_admin': 'rwcd', 'finance': 'rwcd', 'customer_service': 'r',
        'billing': 'r'},
    'water.rate.size_price': {
        'water_admin': 'rwcd', 'finance': 'rwcd', 'customer_service': 'r',
        'billing': 'r'},
    'water.bill.run': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill.run-water.route': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill.period': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill.line': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill.hold': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    'water.bill.charge': {
        'water_admin': 'rwcd', 'billing': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'cash': 'r'},
    # the counter and the bank
    'water.cash.drawer': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r'},
    'water.cash.drawer.count': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r'},
    'water.cash.receipt': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r'},
    'water.cash.receipt.line': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r'},
    'water.cash.receipt.void.start': {'water_admin': 'rwc', 'finance': 'rwc'},
    'water.cash.deposit': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd'},
    'water.payment.import': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd'},
    'water.payment.import.line': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd'},
    'water.payment.import.start': {
        'water_admin': 'rwc', 'cash': 'rwc', 'finance': 'rwc'},
    'water.postage.entry': {
        'water_admin': 'rwcd', 'cash': 'rwcd', 'finance': 'rwcd',
        'customer_service': 'r', 'billing': 'r'},
    'water.reconciliation.print.start': {
        'water_admin': 'rwc', 'cash': 'rwc', 'billing': 'rwc',
        'finance': 'rwc'},
    }

# (model, field): the groups that see it; nobody else does
_PAYROLL_ONLY = {'payroll': 'rwcd'}
FIELDS = {
    ('payroll.slip.deposit', 'routing'): _PAYROLL_ONLY,
    ('payroll.slip.deposit', 'number'): _PAYROLL_ONLY,
    ('company.employee', 'deposit_accounts'): _PAYROLL_ONLY,
    ('company.employee', 'pay_rates'): _PAYROLL_ONLY,
    ('company.employee', 'pay_type'): _PAYROLL_ONLY,
    ('company.employee', 'w4_filing_status'): _PAYROLL_ONLY,
    ('company.employee', 'de4_filing_status'): _PAYROLL_ONLY,
    ('company.employee', 'retirement_plan'): _PAYROLL_ONLY,
    ('company.employee', 'enrollments'): _PAYROLL_ONLY,
    # a vendor's bank account: read by who prepares payments, kept by who
    # approves them
    ('party.party', 'ach_routing'): {
        'payment': 'r', 'payment_approval': 'rwcd'},
    ('party.party', 'ach_account'): {
        'payment': 'r', 'payment_approval': 'rwcd'},
    # everyone reads an account's exemption from penalties; finance sets it
    ('water.account', 'penalty_exempt'): {
        name: 'rwcd' if name in {'finance', 'water_admin'} else 'rcd'
        for name in GROUPS},
    # everyone reads a turn-off's override of the district's rules;
    # finance (and the administrator) write it
    ('water.service.order', 'override_reason'): {
        name: 'rwcd' if name in {'finance', 'water_admin'} else 'rd'
        for name in GROUPS},
    }

_CS, _BIL, _CASH, _FIN, _FLD, _ADM = (
    'customer_service', 'billing', 'cash', 'finance', 'field', 'water_admin')
# (module, xml id) of each wizard and report: the groups that run it
ACTIONS = {
    ('water_utility', 'wizard_service_start'): {_CS, _ADM},
    ('water_utility', 'wizard_service_stop'): {_CS, _ADM},
    ('water_utility', 'wizard_service_transfer'): {_CS, _ADM},
    ('water_utility', 'wizard_reading_import'): {_CS, _BIL, _ADM},
    ('water_utility', 'wizard_route_export'): {_CS, _BIL, _FLD, _ADM},
    ('water_utility', 'wizard_payment_import'): {_CASH, _FIN, _ADM},
    ('water_utility', 'wizard_receipt_void'): {_FIN, _ADM},
    ('water_utility', 'wizard_reconciliation_print'): {
        _CASH, _BIL, _FIN, _ADM},
    ('water_utility', 'report_route_sheet'): {_CS, _BIL, _FLD, _ADM},
    ('water_collection', 'wizard_arrangement_create'): {_CS, _FIN, _ADM},
    ('water_utility', 'report_leak_letter'): {_CS, _ADM},
    ('water_collection', 'report_notice_letter'): {_CS, _BIL, _ADM},
    ('water_collection', 'wizard_override'): {_FIN, _ADM},
    ('water_collection', 'report_arrangement_agreement'): {_CS, _FIN, _ADM},
    ('water_collection', 'report_penalty_register'): {_BIL, _FIN, _ADM},
    ('water_collection', 'wizard_disconnection_print'): {_BIL, _FIN, _ADM},
    ('water_collection', 'report_disconnection'): {_BIL, _FIN, _ADM},
    ('water_collection', 'wizard_policy_print'): {_CS, _BIL, _FIN, _ADM},
    ('water_collection', 'report_policy'): {_CS, _BIL, _FIN, _ADM},
    ('water_utility', 'report_bill'): {_CS, _BIL, _FIN, _ADM},
    ('water_utility', 'report_billing_register'): {_BIL, _FIN, _ADM},
    ('water_utility', 'report_customer_statement'): {_CS, _BIL, _FIN, _ADM},
    ('water_utility', 'report_receipt'): {_CASH, _CS, _FIN, _ADM},
    ('water_utility', 'report_receipt_letter'): {_CASH, _CS, _FIN, _ADM},
    ('water_utility', 'report_drawer'): {_CASH, _FIN, _ADM},
    ('water_utility', 'report_deposit_slip'): {_CASH, _FIN, _ADM},
    ('water_utility', 'report_reconciliation'): {_CASH, _BIL, _FIN, _ADM},
    ('water_utility', 'report_bank_reconciliation'): {_FIN, _ADM},
    ('water_finance', 'wizard_pay_bills'): {'payment'},
    ('water_finance', 'wizard_bill_import'): {'Accounting'},
    ('water_finance', 'wizard_check_void'): {'payment_approval'},
    ('water_finance', 'report_check'): {'payment', 'payment_approval'},
    ('water_finance', 'wizard_form1099_print'): {_FIN, _ADM},
    ('water_finance', 'report_warrant_list'): {'payment', _FIN, _ADM},
    ('water_finance', 'wizard_trial_balance_print'): {_FIN, _ADM},
    ('water_finance', 'report_trial_balance'): {_FIN, _ADM},
    ('water_finance', 'wizard_budget_report_print'): {_FIN, _ADM},
    ('water_finance', 'report_budget'): {_FIN, _ADM},
    ('water_finance', 'report_form1099'): {_FIN, _ADM},
    # the purchase order on the letterhead: Tryton's buyers, and finance
    ('water_finance', 'report_purchase_order'): {'Purchase', _FIN},
    ('water_desk', 'report_letter'): {_CS, _BIL, _CASH, _FIN, _ADM},
    ('water_desk', 'report_complaint'): {_CS, _FIN, _ADM},
    ('water_desk', 'wizard_event_select'): {_CS, _BIL, _CASH, _FIN, _FLD, _ADM},
    ('water_desk', 'wizard_event_notice'): {_CS, _BIL, _CASH, _FIN, _FLD, _ADM},
    ('water_desk', 'report_event_incident'): {
        _CS, _BIL, _CASH, _FIN, _FLD, _ADM},
    ('water_desk', 'report_event_notice'): {
        _CS, _BIL, _CASH, _FIN, _FLD, _ADM},
    ('water_desk', 'report_event_door_hanger'): {
        _CS, _BIL, _CASH, _FIN, _FLD, _ADM},
    ('water_desk', 'wizard_complaint_report_print'): {_CS, _FIN, _ADM},
    ('agency_payroll', 'wizard_quarterly_wages'): {'payroll'},
    ('agency_payroll', 'report_quarterly_wages'): {'payroll'},
    ('agency_payroll', 'report_pay_stub'): {'payroll'},
    ('agency_payroll', 'report_run_pay_stub'): {'payroll'},
    ('agency_payroll', 'report_check'): {'payroll'},
    ('agency_payroll', 'report_register'): {'payroll', 'payroll_approval'},
    ('agency_payroll', 'report_liability'): {'payroll', 'payroll_approval'},
    }

PERMS = (('r', 'read'), ('w', 'write'), ('c', 'create'), ('d', 'delete'))


def letters(access):
    "'rwcd' letters of an access dictionary {'read': True, ...}"
    return ''.join(l for l, perm in PERMS if access[perm])


def roles_section(text):
    "The lines of README.md's Roles section"
    match = re.search(r'^## Roles\n(.*?)^## ', text, re.M | re.S)
    assert match, "README.md has no Roles section"
    return match.group(1)


class AccessTestCase(TestCase):
    "The access of each role's group on an activated database"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        # water_collection's cached database has the first three modules,
        # water_finance is activated on it once a run (db_cache.py)
        cached = module_caches()
        if cached:
            seed_from('water_utility', 'water_collection')
            seed_from('water_collection', 'water_finance', FINANCE_MODULES)
            seed_from(FINANCE_MODULES, 'water_desk', ALL_MODULES)
        if not (cached and restore_db_cache(ALL_MODULES)):
            activate_module(MODULES)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def users(self):
        "{group short name: a new user in that group only}"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        users = User.create([{
                    'name': name, 'login': f'access_{name}',
                    'groups': [('add', [ModelData.get_id(*group)])],
                    } for name, group in GROUPS.items()])
        return dict(zip(GROUPS, users))

    def assertNoDifference(self, differences, what):
        self.assertFalse(differences, msg=f"{what} differ from the table "
            "(group, model, expected, got):\n" + '\n'.join(
                map(repr, differences)))

    @with_transaction()
    def test_model_access(self):
        "Each group has exactly the access the table gives it"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        differences = []
        for name, user in self.users().items():
            with Transaction().set_user(user.id):
                access = ModelAccess.get_access(list(ACCESS))
            for model, grants in ACCESS.items():
                expected = grants.get(name, '')
                got = letters(access[model])
                if got != expected:
                    differences.append((name, model, expected, got))
        self.assertNoDifference(differences, "Model accesses")

    @with_transaction()
    def test_models_in_table(self):
        "Every model of the modules is in the table, denied by default"
        pool = Pool()
        Model = pool.get('ir.model')
        ModelAccess = pool.get('ir.model.access')
        names = {m.name for m in Model.search([
                    ('module', 'in', MODULES),
                    ])}
        self.assertEqual(names - ACCESS.keys(), set(),
            msg="models missing from tests/test_access.py's ACCESS")
        defaults = {a.model for a in ModelAccess.search([
                    ('group', '=', None),
                    ('perm_read', '=', False),
                    ('perm_write', '=', False),
                    ('perm_create', '=', False),
                    ('perm_delete', '=', False),
                    ])}
        self.assertEqual((names | {'timesheet.line'}) - defaults, set(),
            msg="models without a default-deny access record")

    @with_transaction()
    def test_field_access(self):
        "Salary and bank fields are seen by the table's groups only"
        pool = Pool()
        FieldAccess = pool.get('ir.model.field.access')
        models = list({m for m, _ in FIELDS})
        differences = []
        for name, user in self.users().items():
            with Transaction().set_user(user.id):
                access = FieldAccess.get_access(models)
            for (model, field), grants in FIELDS.items():
                expected = grants.get(name, '')
                got = letters(access[model].get(field, {
                            perm: True for _, perm in PERMS}))
                if got != expected:
                    differences.append(
                        (name, f'{model}.{field}', expected, got))
        self.assertNoDifference(differences, "Field accesses")

    @with_transaction()
    def test_action_groups(self):
        "Every wizard and report of the two modules has the table's groups"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        group_names = {
            ModelData.get_id(*g): n for n, g in GROUPS.items()}
        differences = []
        for model in ['ir.action.wizard', 'ir.action.report']:
            Action = pool.get(model)
            for data in ModelData.search([
                        ('module', 'in', MODULES),
                        ('model', '=', model),
                        ]):
                action = Action(data.db_id)
                key = (data.module, data.fs_id)
                got = {group_names.get(g.id, g.rec_name)
                    for g in action.action.groups}
                if key not in ACTIONS or got != ACTIONS[key] or not got:
                    differences.append(
                        ('.'.join(key), ACTIONS.get(key), got))
        self.assertNoDifference(differences, "Action groups")

    @with_transaction()
    def test_wizard_menus_shown_to_their_groups(self):
        "The menu of a wizard is shown to the groups that run it, no other"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Menu = pool.get('ir.ui.menu')
        menus = Menu.browse([d.db_id for d in ModelData.search([
                        ('module', 'in', MODULES),
                        ('model', '=', 'ir.ui.menu'),
                        ])])
        wizard_menus = 0
        for menu in menus:
            for keyword in menu.action_keywords:
                if keyword.action.type != 'ir.action.wizard':
                    continue
                wizard_menus += 1
                with self.subTest(menu=menu.rec_name):
                    self.assertTrue(menu.groups)
                    self.assertEqual(
                        set(menu.groups), set(keyword.action.groups))
        self.assertGreaterEqual(wizard_menus, 5)

    @with_transaction()
    def test_import_reads_refused_to_cashier_and_payroll(self):
        "Only the table's groups start the Import Meter Reads wizard"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ImportReads = pool.get(
            'water.meter.reading.import.wizard', type='wizard')
        action_id = ModelData.get_id('water_utility', 'wizard_reading_import')
        users = self.users()
        for name in ['cash', 'water_payroll', 'payroll', 'field', 'finance']:
            with self.subTest(group=name), \
                    Transaction().set_user(users[name].id), \
                    Transaction().set_context(
                        action_id=action_id, active_model='ir.ui.menu'), \
                    self.assertRaises(UserError):
                ImportReads.create()
        with Transaction().set_user(users['billing'].id), \
                Transaction().set_context(
                    action_id=action_id, active_model='ir.ui.menu'):
            ImportReads.create()

    @with_transaction()
    def test_reconciliations_printed_by_their_roles(self):
        """The roles doc/counter.md names (cashier, billing, finance, and
        the administrator, who prints every report) print each
        reconciliation with access checked, as over JSON-RPC, whatever
        it reads; the others, and a company not theirs, are refused"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        Reconciliation = pool.get(
            'water.reconciliation.report', type='report')
        action_id = ModelData.get_id('water_utility', 'report_reconciliation')
        company = create_company()
        other = create_company("Other District", currency=company.currency)
        users = self.users()
        User.write(list(users.values()), {
                'companies': [('add', [company.id])],
                'company': company.id,
                })
        printers = {_CASH, _BIL, _FIN, _ADM}
        today = Date.today()

        def print_(user, kind, company):
            with Transaction().set_user(user.id), \
                    Transaction().set_context(company=company.id), \
                    check_access():
                # What the client sends when the wizard prints
                return Reconciliation.execute([], {
                        'action_id': action_id,
                        'kind': kind,
                        'from_date': today.replace(day=1),
                        'to_date': today,
                        })
        for name, user in users.items():
            for kind in ['billing', 'cash', 'postage']:
                with self.subTest(group=name, kind=kind):
                    if name in printers:
                        oext, content, _, _ = print_(user, kind, company)
                        self.assertEqual(oext, 'pdf')
                        self.assertTrue(bytes(content).startswith(b'%PDF'))
                    else:
                        with self.assertRaises(UserError):
                            print_(user, kind, company)
        with self.assertRaisesRegex(UserError, "one of your companies"):
            print_(users[_FIN], 'billing', other)

    @with_transaction()
    def test_readme_names_every_group(self):
        "README.md's Roles table has a row for every group of the table"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Group = pool.get('res.group')
        section = roles_section(README.read_text())
        rows = {line.split('|')[1].strip()
            for line in section.splitlines() if line.startswith('| ')}
        for module, xml_id in GROUPS.values():
            group = Group(ModelData.get_id(module, xml_id))
            self.assertIn(group.name, rows)



# The bill run's print file is rendered by child processes: they get the
# database URI, password included, from their environment, never a file.
SECRET_URI = 'postgresql://district:s3cret-pw@db.example:5432/'
MAIL_URI = 'smtp://mailer:mail-pw@smtp.example:25'


def test_render_environ_holds_only_rendering_sections():
    "The children get the sections they render with, and no TRYTOND_ leftover"
    from configparser import RawConfigParser

    from water_utility.models.printing import child_environ
    parser = RawConfigParser()
    parser.read_dict({
            'database': {'uri': SECRET_URI, 'path': '/srv/db'},
            'water': {'render_processes': '4'},
            'email': {'uri': MAIL_URI},
            'session': {'super_pwd': 'hash'},
            })
    env = child_environ(
        {'PATH': '/usr/bin', 'TRYTOND_CONFIG': '/etc/trytond.conf',
            'TRYTOND_EMAIL__URI': MAIL_URI}, parser)
    assert env == {
        'PATH': '/usr/bin',
        'TRYTOND_DATABASE__URI': SECRET_URI,
        'TRYTOND_DATABASE__PATH': '/srv/db',
        'TRYTOND_WATER__RENDER_PROCESSES': '4',
        }


def test_render_writes_no_password(monkeypatch):
    "No file the renderer writes holds the password, nor its command line"
    from types import SimpleNamespace

    from trytond import config

    from water_utility.models import printing
    spawned = []

    class Child:
        returncode = 0

        def __init__(self, args, env, stderr):
            folder = Path(args[-1]).parent
            files = {p.name: p.read_bytes() for p in folder.iterdir()}
            spawned.append((args, env, files))

        def communicate(self):
            return b'', b''

    monkeypatch.setattr(printing.subprocess, 'Popen', Child)
    monkeypatch.setattr(printing, 'join', lambda parts: b'%PDF')
    monkeypatch.setattr(printing, 'Transaction', lambda: SimpleNamespace(
            database=SimpleNamespace(name='district'), user=1,
            context={'company': 1}))
    saved = {o: config.get('database', o) for o in ['uri']}
    saved_mail = config.get('email', 'uri')
    config.set('database', 'uri', SECRET_URI)
    config.set('email', 'uri', MAIL_URI)
    try:
        assert printing.render_bills(
            list(range(1, printing.PARALLEL_MIN + 1)), workers=2) == b'%PDF'
    finally:
        config.set('database', 'uri', saved['uri'])
        config.set('email', 'uri', saved_mail)
    assert len(spawned) == 2
    for args, env, files in spawned:
        assert files, "the children's job files"
        for name, content in files.items():
            assert b's3cret-pw' not in content, name
        assert not any('s3cret-pw' in a for a in args)
        assert env['TRYTOND_DATABASE__URI'] == SECRET_URI
        assert 'TRYTOND_CONFIG' not in env
        assert not any('mail-pw' in v for v in env.values())
