# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Where a warrant list's lines come from: the vendor payments (checks,
ACH, wires) paid or to be paid in its dates, the checks voided in them,
and each pay date's payroll totals.

A line is a dict of `water.warrant.list.line` values.  Its `warrant` key
names what the Board approves once: a payment under its check number
(`payment:12:10040`; a reissued check is a new warrant), a void
(`void:3`), a pay run's total of an account (`payroll:7:net:45`).  A
payment is shared over the accounts its bill was charged to
(`warrants.share`), each part with its account's fund: the chart the
account belongs to (its top account, "Water Enterprise Fund")."""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool

from agency_payroll.models.slip import TAX_ACCOUNTS

from ..warrants import share

KIND_OF_METHOD = {'check': 'check', 'ach': 'ach'}
LISTED_PAYMENT_STATES = ['processing', 'succeeded']
# A list presented, and past it: its warrants are the Board's
SEALED = frozenset({'presented', 'approved', 'ratified', 'closed'})
UNPROCESSED_PAYMENT_STATES = ['draft', 'submitted', 'approved']
ZERO = Decimal('0.00')


def fund_of(account, cache):
    "The fund of `account`: the top account of its chart"
    if account is None:
        return None
    if account.id not in cache:
        top = account
        while top.parent:
            top = top.parent
        cache[account.id] = top
    return cache[account.id]


def payment_weights(payment):
    "[(account, weight)]: what the payment's bill was charged to"
    bill = payment.paid_bill()
    if bill:
        weights = [(l.account, l.amount) for l in bill.lines
            if l.type == 'line']
        weights += [(t.account, t.amount) for t in bill.taxes]
        if weights:
            return weights
    if payment.line:
        return [(payment.line.account, payment.amount)]
    return [(payment.party.account_payable_used, payment.amount)]


def payment_purpose(payment):
    "The bill's vendor number and what it was for"
    bill = payment.paid_bill()
    if not bill:
        return payment.description or ''
    what = bill.description or next((l.description or (
                l.product.rec_name if l.product else '')
            for l in bill.lines if l.type == 'line'), '')
    return ': '.join(filter(None, [bill.reference, what]))


def payment_warrant(payment, number=None):
    "The warrant a payment is under `number` (its current check number)"
    if number is None:
        number = payment.check_number
    return f'payment:{payment.id}:{number or ""}'


def listed_warrants(company, exclude=None):
    "The warrants on the lists presented or past it, but `exclude`"
    Line = Pool().get('water.warrant.list.line')
    domain = [
        ('warrant_list.state', 'in', list(SEALED)),
        ('warrant_list.company', '=', company.id),
        ]
    if exclude:
        domain.append(('warrant_list', '!=', exclude.id))
    return {l.warrant for l in Line.search(domain)}


def payment_rows(payment, date, funds):
    "The lines of one payment under its current number"
    kind = KIND_OF_METHOD.get(payment.process_method, 'wire')
    number = payment.check_number or (
        payment.group.number if payment.group else '') or ''
    warrant = payment_warrant(payment)
    purpose = payment_purpose(payment)
    rows = []
    for account, amount in share(payment.amount, payment_weights(payment)):
        rows.append({
                'kind': kind,
                'warrant': warrant,
                'number': number,
                'date': date,
                'party': payment.party.id,
                'purpose': purpose,
                'account': account.id,
                'fund': fund_of(account, funds).id,
                'amount': amount,
                'payment': payment.id,
                })
    return rows


def payments_in(company, start, end, states):
    "The vendor payments in `states` dated from `start` to `end`"
    return Pool().get('account.payment').search([
            ('company', '=', company.id),
            ('kind', '=', 'payable'),
            ('state', 'in', states),
            ('date', '>=', start),
            ('date', '<=', end),
            ], order=[('date', 'ASC'), ('id', 'ASC')])


def vendor_rows(company, start, end, listed, funds):
    """The payments paid or to be paid dated from `start` to `end`, and
    the checks reissued in them, not already on a list (`listed`)"""
    CheckVoid = Pool().get('water.check.void')
    payments = payments_in(company, start, end, LISTED_PAYMENT_STATES)
    dates = {p: p.date for p in payments}
    for void in CheckVoid.search([
                ('payment.company', '=', company.id),
                ('void_date', '>=', start),
                ('void_date', '<=', end),
                ('reissued_number', '!=', None),
                ('payment.state', 'in', LISTED_PAYMENT_STATES),
                ]):
        if void.payment.check_number == void.reissued_number:
            dates[void.payment] = void.void_date
    rows = []
    for payment, date in sorted(dates.items(),
            key=lambda i: (i[1], i[0].check_number or '', i[0].id)):
        for row in payment_rows(payment, date, funds):
            if row['warrant'] not in listed:
                rows.append(row)
    return rows


def void_rows(company, start, end, listed, funds):
    """The checks voided from `start` to `end`: a void of a check the
    Board already had on a list takes its amount off; one voided before
    it was listed shows with nothing to count"""
    pool = Pool()
    CheckVoid = pool.get('water.check.void')
    rows = []
    for void in CheckVoid.search([
                ('payment.company', '=', company.id),
                ('void_date', '>=', start),
                ('void_date', '<=', end),
                ], order=[('void_date', 'ASC'), ('check_number', 'ASC')]):
        payment = void.payment
        was = payment_warrant(payment, void.check_number)
        if f'void:{void.id}' in listed:
            continue
        parts = share(payment.amount, payment_weights(payment))
        reissued = gettext('water_finance.msg_warrant_void_reissued',
            number=void.reissued_number) if void.reissued_number else (
            gettext('water_finance.msg_warrant_void_cancelled'))
        for account, amount in parts:
            rows.append({
                    'kind': 'void',
                    'warrant': f'void:{void.id}',
                    'number': void.check_number,
                    'date': void.void_date,
                    'party': payment.party.id,
                    'purpose': f'{reissued} {void.reason}'.strip(),
                    'account': account.id,
                    'fund': fund_of(account, funds).id,
                    'amount': -amount if was in listed else ZERO,
                    'payment': payment.id,
                    'check_void': void.id,
                    })
    return rows


PAYROLL_ITEMS = ['net', 'taxes', 'benefits']


def payroll_item(account, config):
    "Which of a pay run's totals an account it credits belongs to"
    if account == config.net_pay_account:
        return 'net'
    if account in {getattr(config, n) for n in TAX_ACCOUNTS.values()}:
        return 'taxes'
    return 'benefits'


def payroll_rows(company, start, end, listed, funds):
    """Each pay run paid from `start` to `end`: what it paid out (net
    pay) and owes for it (taxes withheld and the employer's, benefits and
    deductions), by account"""
    pool = Pool()
    Run = pool.get('payroll.run')
    Slip = pool.get('payroll.slip')
    Configuration = pool.get('payroll.configuration')
    config = Configuration(1)
    rows = []
    for run in Run.search([
                ('company', '=', company.id),
                ('state', '=', 'paid'),
                ('pay_date', '>=', start),
                ('pay_date', '<=', end),
                ], order=[('pay_date', 'ASC'), ('id', 'ASC')]):
        owed = defaultdict(Decimal)
        slips = [s for s in run.slips if s.state == 'done']
        for (account, _, _), amount in Slip.posting(slips).items():
            if amount < 0:
                owed[(payroll_item(account, config), account)] -= amount
        for (item, account), amount in sorted(owed.items(), key=lambda i: (
                    PAYROLL_ITEMS.index(i[0][0]), i[0][1].code or '')):
            warrant = f'payroll:{run.id}:{item}:{account.id}'
            if warrant in listed:
                continue
            rows.append({
                    'kind': 'payroll',
                    'warrant': warrant,
                    'number': run.name,
                    'date': run.pay_date,
                    'party': None,
                    'purpose': gettext(
                        f'water_finance.msg_warrant_payroll_{item}'),
                    'account': account.id,
                    'fund': fund_of(account, funds).id,
                    'amount': amount,
                    'payroll_run': run.id,
                    })
    return rows


def unprocessed(company, start, end):
    """What keeps a list over these dates from being complete: vendor
    payments not yet processed, pay runs not yet paid"""
    Run = Pool().get('payroll.run')
    payments = payments_in(company, start, end, UNPROCESSED_PAYMENT_STATES)
    runs = Run.search([
            ('company', '=', company.id),
            ('state', '!=', 'paid'),
            ('pay_date', '>=', start),
            ('pay_date', '<=', end),
            ], order=[('pay_date', 'ASC')])
    return payments, runs
