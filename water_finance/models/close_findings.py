# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the discrepancy finder looks for before a period is closed, one
function a kind, each returning its findings as dictionaries (kind,
description, amount, record: the record to drill down to, as
'model,id', or None).  The receivable and cash sides are the office's
own reconciliations (water_utility's `billing_reconciliation` and
`cash_reconciliation`); the bank's, its `bank_reconciliation`."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool

from water_utility.models.bank import bank_reconciliation
from water_utility.models.reconciliation import (
    billing_reconciliation, cash_reconciliation)

from .trial_balance import figures
from .warrant_source import (
    LISTED_PAYMENT_STATES, listed_warrants, payment_warrant, payments_in)

ZERO = Decimal('0.00')
# A bank's month-end statement may be dated the last business day
STATEMENT_DAYS = 3


def finding(kind, message, amount=None, record=None, **values):
    return {
        'kind': kind,
        'description': gettext(f'water_finance.{message}', **values),
        'amount': amount,
        'record': str(record) if record else None,
        }


def fund_findings(company, period):
    "Each fund out of balance, fiscal year to the period's end"
    Period = Pool().get('account.period')
    first, = Period.search([('fiscalyear', '=', period.fiscalyear.id),
            ('type', '=', 'standard')], order=[('start_date', 'ASC')],
        limit=1)
    return [finding('fund_balance', 'msg_finding_fund', amount=debits,
            fund=section.fund, debits=debits, ending=ending)
        for section in figures(company, period.fiscalyear, first, period)
        if not section.balanced
        for debits, ending in [section.out_of_balance]]


def receivable_findings(company, period):
    """The customer accounts against the receivable control account: the
    difference, the control account's lines no customer account carries,
    the entries no bill register, adjustment or payment explains"""
    result = billing_reconciliation(
        company, period.start_date, period.end_date)
    findings = []
    if result['customers_difference']:
        findings.append(finding('receivable', 'msg_finding_customers',
                amount=result['customers_difference'],
                ledger=result['closing'],
                difference=result['customers_difference']))
    for line in result['unassigned']:
        if line.reconciliation:
            continue  # reversed, and reconciled with its reversal
        findings.append(finding('receivable', 'msg_finding_unassigned',
                amount=line.debit - line.credit, record=line,
                line=line.rec_name))
    for item in result['items']:
        if item['receipt'] or item['line'].reconciliation:
            continue  # a voided receipt, a reversed entry: explained
        findings.append(finding('receivable', 'msg_finding_unexplained',
                amount=item['amount'], record=item['move'],
                move=item['move'].rec_name,
                description=item['description']))
    return findings


def explained_payable(line):
    "Whether a payable line comes from a bill or a payment"
    origin = line.move.origin
    name = origin.__name__ if origin else None
    if name == 'account.move' and origin.origin:
        name = origin.origin.__name__
    return name in {'account.invoice', 'account.payment'}


def payable_findings(company, period):
    """The vendors' payables against the payable control account: the
    control account's lines that no bill or payment made"""
    Line = Pool().get('account.move.line')
    lines = Line.search([
            ('move.company', '=', company.id),
            ('account.type.payable', '=', True),
            ('move.state', '=', 'posted'),
            ('date', '>=', period.start_date),
            ('date', '<=', period.end_date),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    return [finding('payable', 'msg_finding_payable',
            amount=line.credit - line.debit, record=line.move,
            move=line.move.rec_name, account=line.account.rec_name)
        for line in lines
        if not line.reconciliation and not explained_payable(line)]


def cash_findings(company, period):
    "Drawers left open, and over and short the ledger does not carry"
    result = cash_reconciliation(company, period.start_date, period.end_date)
    findings = [finding('cash', 'msg_finding_drawer_open', record=drawer,
            drawer=drawer.rec_name) for drawer in result['open']]
    if result['difference']:
        findings.append(finding('cash', 'msg_finding_over_short',
                amount=result['difference'], ledger=result['ledger'],
                drawers=result['totals']['over_short']))
    return findings


def suspense_findings(company, period):
    "The unidentified receipts not yet matched at the period's end"
    pool = Pool()
    Configuration = pool.get('water.configuration')
    Line = pool.get('account.move.line')
    journal = Configuration(1).unidentified_journal
    if not journal:
        return []
    lines = Line.search([
            ('move.company', '=', company.id),
            ('account', '=', journal.account.id),
            ('move.state', '=', 'posted'),
            ('date', '<=', period.end_date),
            ('reconciliation', '=', None),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    balance = sum((l.credit - l.debit for l in lines), ZERO)
    if not balance:
        return []
    return [finding('suspense', 'msg_finding_suspense',
            amount=l.credit - l.debit, record=l.move,
            move=l.move.rec_name, date=l.date) for l in lines]


def duplicate_bill_findings(company, period):
    """Supplier bills of the same vendor, amount and date: entered twice
    under two numbers?"""
    Invoice = Pool().get('account.invoice')
    bills = Invoice.search([
            ('company', '=', company.id),
            ('type', '=', 'in'),
            ('state', 'in', ['draft', 'validated', 'posted', 'paid']),
            ('invoice_date', '>=', period.fiscalyear.start_date),
            ('invoice_date', '<=', period.end_date),
            ], order=[('invoice_date', 'ASC'), ('id', 'ASC')])
    seen = defaultdict(list)
    for bill in bills:
        seen[(bill.party.id, bill.total_amount, bill.invoice_date)].append(
            bill)
    return [finding('duplicate_bill', 'msg_finding_duplicate_bill',
            amount=bill.total_amount, record=bill, bill=bill.rec_name,
            other=same[0].rec_name, vendor=bill.party.rec_name)
        for same in seen.values() if len(same) > 1
        for bill in same[1:]]


def draft_findings(company, period, days, now):
    """Entries and supplier bills still draft, dated in or before the
    period, entered more than `days` days ago"""
    pool = Pool()
    Move = pool.get('account.move')
    Invoice = pool.get('account.invoice')
    before = now - dt.timedelta(days=days)
    moves = Move.search([
            ('company', '=', company.id),
            ('state', '=', 'draft'),
            ('date', '<=', period.end_date),
            ('create_date', '<', before),
            ], order=[('date', 'ASC'), ('id', 'ASC')])
    bills = Invoice.search([
            ('company', '=', company.id),
            ('type', '=', 'in'),
            ('state', '=', 'draft'),
            ('create_date', '<', before),
            ['OR', ('invoice_date', '=', None),
                ('invoice_date', '<=', period.end_date)],
            ], order=[('id', 'ASC')])
    return [finding('draft', 'msg_finding_draft', record=record,
            record_name=record.rec_name, days=days)
        for record in [*moves, *bills]]


def warrant_findings(company, period):
    "The period's vendor payments on no presented warrant list"
    listed = listed_warrants(company)
    payments = payments_in(company, period.start_date, period.end_date,
        LISTED_PAYMENT_STATES)
    return [finding('no_warrant', 'msg_finding_no_warrant',
            amount=p.amount, record=p, payment=p.rec_name)
        for p in payments if payment_warrant(p) not in listed]


def bank_findings(company, period):
    """The bank account reconciled to a statement of the period's end,
    with nothing left unexplained"""
    pool = Pool()
    Configuration = pool.get('water.configuration')
    Statement = pool.get('account.statement')
    journal = Configuration(1).deposit_journal
    if not journal:
        return []
    statements = Statement.search([
            ('company', '=', company.id),
            ('journal.account', '=', journal.account.id),
            ('state', '!=', 'cancelled'),
            ('origins', '!=', None),
            ('date', '>=',
                period.end_date - dt.timedelta(days=STATEMENT_DAYS)),
            ], order=[('date', 'ASC'), ('id', 'ASC')], limit=1)
    if not statements:
        return [finding('bank', 'msg_finding_no_statement',
                account=journal.account.rec_name, date=period.end_date)]
    statement, = statements
    difference = bank_reconciliation(statement)['difference']
    if difference:
        return [finding('bank', 'msg_finding_bank_difference',
                amount=difference, record=statement,
                statement=statement.rec_name, difference=difference)]
    return []


def findings(company, period, draft_days, now):
    "Every finding of `period`, kind after kind"
    return [
        *fund_findings(company, period),
        *receivable_findings(company, period),
        *payable_findings(company, period),
        *cash_findings(company, period),
        *suspense_findings(company, period),
        *duplicate_bill_findings(company, period),
        *draft_findings(company, period, draft_days, now),
        *warrant_findings(company, period),
        *bank_findings(company, period),
        ]
