# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The books' integrity as an attacker tries it (issue 17): each office
role logs in to the demo district's server and sends, over the JSON-RPC the
web client uses, every write, delete, forged create and button that would
change a posted, approved or computed document.  Each is refused with a
message naming the document (and the fields refused), and the document
reads back as it was.  A positive control per document type (the same
role changes a draft one) shows that the refusals come from the sealing,
not from a call the server would refuse anyway.

The role-by-model matrix checks each demo user's read, write, create and
delete of key models over RPC against tests/test_access.py's table."""
import datetime as dt
import time
from collections import namedtuple
from decimal import Decimal

import pytest

from .conftest import RPC

# The refusals' messages, as the module's message.xml words them
WORKFLOW = "can only be set by the document's own buttons"
PAY_SEALED = "is approved, posted or void and is kept as it was"
PAY_COMPUTED = "is computed from hours, rates and elections"
SEALED = "is kept as it was"
RECEIPT_SEALED = "it is kept as the customer holds it"
BILL_POSTED = "is posted: it is in the ledger"
COMPUTED = "is computed by the product and cannot be created, changed"
RUN_SEALED = "the run stays as their record"
ADJUSTMENT_SEALED = "it stays as it was signed"
DENIED = "You are not allowed to access"
PENALTY_SEALED = "is calculated or posted: its"
PENALTY_WORKFLOW = "are set by its buttons only"
MAILING_WORKFLOW = "are set by its Print and Mail button only"
NOT_ALLOWED = "not allowed"
BILL_MATCH = "are set by posting, Check Match and Approve for Payment only"
PAYMENT_SEALED = "has left draft: its"
PAYMENT_WORKFLOW = "change only through its buttons"
WARRANT_SEALED = "has been presented to the Board"
PURCHASE_SEALED = "is confirmed: it is what the vendor was sent"
LETTER_SEALED = "is sent (or cancelled) and kept as it was"
EVENT_CLOSED = "is closed"


def button_refused(name):
    "trytond's refusal of a button the record's state hides"
    return f'You can not call "{name}"'


def _today():
    "Today in the district: the server's ir.date, not the machine's"
    from water_utility.district import local_today
    return local_today()


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def _as_date(value):
    "A date read over JSON-RPC as Python"
    return dt.date(value['year'], value['month'], value['day'])


def _decimal(value):
    return {'__class__': 'Decimal', 'decimal': str(value)}


def _value(value):
    "A value read over JSON-RPC as Python"
    if isinstance(value, dict) and value.get('__class__') == 'Decimal':
        return Decimal(value['decimal'])
    return value


class Books:
    """The documents the attacks aim at, each set up over RPC by the role
    whose job it is; `ids[key]` is the id of the document called `key`
    (e.g. 'run:approved', 'bill:posted')"""

    def __init__(self, url, database):
        self.url, self.database = url, database
        self.sessions = {}
        self.ids = {}

    def __call__(self, login):
        "The JSON-RPC session of `login`, with its preferences as sao sends"
        if login not in self.sessions:
            rpc = RPC(self.url, self.database, login)
            rpc.context = rpc('model.res.user.get_preferences', True)
            self.sessions[login] = rpc
        return self.sessions[login]

    def read(self, model, record_id, names):
        "The record's `names` as the administrator reads them, or None"
        records = self('admin')(f'model.{model}.search_read', [
                ('id', '=', record_id)], 0, None, None, sorted(names))
        if not records:
            return None
        record, = records
        return {n: _value(record[n]) for n in names}


@pytest.fixture(scope='module')
def books(demo_server, demo_district):
    return Books(demo_server, demo_district['database'])


# -- payroll ------------------------------------------------------------

def _pay_periods(count):
    """`count` pay periods (start, end, pay date) of this year that the
    demo's runs do not pay: the demo pays every biweekly period of the
    year up to its last one, so these share the rest of the year, each
    paid the day after it ends"""
    from agency_payroll.demo import last_period
    today = _today()
    _, end, _ = last_period(today)
    start = end + dt.timedelta(days=1)
    length = min(14, (dt.date(today.year, 12, 31) - start).days // count)
    if start.year != today.year or length < 1:
        pytest.skip("no free pay period in this year")
    periods = []
    for i in range(count):
        begin = start + dt.timedelta(days=length * i)
        stop = begin + dt.timedelta(days=length - 1)
        periods.append((begin, stop, stop + dt.timedelta(days=1)))
    return periods


@pytest.fixture(scope='module')
def pay_runs(books):
    """Pay runs computed by the payroll clerk, one in each state: computed,
    approved by the finance manager, posted and paid by the clerk; and a
    draft one"""
    payroll, finance = books('payroll'), books('finance')
    states = ['draft', 'computed', 'approved', 'posted', 'paid']
    ids = payroll('model.payroll.run.create', [{
                'name': f"Integrity {state} {start:%m/%d}",
                'schedule': 'biweekly', 'period_start': _date(start),
                'period_end': _date(end), 'pay_date': _date(pay_date),
                } for state, (start, end, pay_date) in zip(
                states, _pay_periods(len(states)))])
    runs = dict(zip(states, ids))
    payroll('model.payroll.run.compute', ids[1:])
    finance('model.payroll.run.approve', ids[2:])
    payroll('model.payroll.run.post', ids[3:])
    payroll('model.payroll.run.pay', ids[4:])
    for state, run_id in runs.items():
        run = books.read('payroll.run', run_id, ['state', 'slips'])
        assert run['state'] == state
        books.ids[f'run:{state}'] = run_id
        if state == 'draft':
            continue
        assert run['slips'], f"the {state} run pays nobody"
        slips = books('payroll')('model.payroll.slip.read', run['slips'],
            ['lines', 'deposits'])
        slip = next(s for s in slips if s['deposits'])
        books.ids[f'slip:{state}'] = slip['id']
        books.ids[f'slip_line:{state}'] = slip['lines'][0]
        books.ids[f'deposit:{state}'] = slip['deposits'][0]
    employee, = books('admin')('model.company.employee.search', [
            ('party.name', '=', "Frank Moreno")])
    books.ids['finance_employee'] = employee
    return books


# -- billing ------------------------------------------------------------

def _route(books, excluded):
    "A route of the demo with metered active services no run billed yet"
    admin = books('admin')
    billed = {r for run in admin('model.water.bill.run.search_read', [],
            0, None, None, ['routes']) for r in run['routes']}
    for route in admin('model.water.route.search_read', [
                ('code', 'not in', excluded)], 0, None, [('code', 'ASC')],
            ['code', 'cycle']):
        if route['id'] in billed:
            continue
        if admin('model.water.service.search_count', [
                    ('premise.route', '=', route['id']),
                    ('state', '=', 'active'),
                    ('premise.meters', '!=', None)]):
            return route
    pytest.skip("no route left to bill")


def _read_route(books, route):
    "Yesterday's reads of the route's meters, as billing imports them"
    admin, billing = books('admin'), books('billing')
    yesterday = _today() - dt.timedelta(days=1)
    premises = admin('model.water.premise.search_read', [
            ('route', '=', route['id']), ('services.state', '=', 'active'),
            ('meters', '!=', None)], 0, None, None, ['meters'])
    reads = []
    for meter in sorted({m for p in premises for m in p['meters']}):
        registers, = admin('model.water.meter.read', [meter], ['registers'])
        for register in registers['registers']:
            last = admin('model.water.meter.reading.search_read', [
                    ('meter', '=', meter), ('register', '=', register)],
                0, 1, [('read_date', 'DESC'), ('id', 'DESC')],
                ['value', 'read_date'])
            # a meter read since (by the browser tests, say) is left alone
            if last and _as_date(last[0]['read_date']) >= yesterday:
                continue
            value = (Decimal(last[0]['value']['decimal']) if last
                else Decimal(0))
            reads.append({'meter': meter, 'register': register,
                    'read_date': _date(yesterday),
                    'value': _decimal(value + 12), 'source': 'ami'})
    billing('model.water.meter.reading.create', reads)


def _wait_state(books, model, record_id, states, seconds=300):
    "Wait until the queued posting or delivery leaves the record in `states`"
    deadline = time.monotonic() + seconds
    while True:
        state = books.read(model, record_id, ['state'])['state']
        if state in states or time.monotonic() > deadline:
            return state
        time.sleep(1)


@pytest.fixture(scope='module')
def bill_runs(books):
    """Bill runs made by billing: one posted (its bills in the ledger), one
    calculated and one draft.  (Delivering needs a mail server for the
    paperless bills: the demo server has none.)"""
    billing = books('billing')
    today = _today()
    runs = {}
    used = ['R14']  # the browser test's route
    for state in ['posted', 'calculated', 'draft']:
        route = _route(books, used)
        used.append(route['code'])
        if state != 'draft':
            _read_route(books, route)
        run_id, = billing('model.water.bill.run.create', [{
                    'cycle': route['cycle'],
                    'routes': [['add', [route['id']]]],
                    'read_date': _date(today),
                    'bill_date': _date(today),
                    }])
        runs[state] = run_id
        if state == 'draft':
            continue
        billing('model.water.bill.run.calculate', [run_id])
        if state == 'posted':
            billing('model.water.bill.run.post', [run_id])
            assert _wait_state(books, 'water.bill.run', run_id,
                {'posted'}) == 'posted'
    for state, run_id in runs.items():
        books.ids[f'bill_run:{state}'] = run_id
        if state == 'draft':
            continue
        bills = billing('model.water.bill.search_read', [
                ('run', '=', run_id)], 0, None, [('id', 'ASC')],
            ['periods', 'state', 'invoice'])
        assert bills, f"the {state} run has no bill"
        bill = next(b for b in bills if b['periods'])
        books.ids[f'bill:{state}'] = bill['id']
        period, = billing('model.water.bill.period.read', [
                bill['periods'][0]], ['lines'])
        books.ids[f'bill_period:{state}'] = period['id']
        books.ids[f'bill_line:{state}'] = period['lines'][0]
        if state == 'posted':
            assert bill['state'] == 'posted' and bill['invoice']
            books.ids['invoice'] = bill['invoice']
    return books


# -- the counter --------------------------------------------------------

@pytest.fixture(scope='module')
def receipts(bill_runs):
    """Receipts the cashier took in her drawer of the day, each paying
    part of a posted bill: one posted, one the finance manager voided with
    the Void wizard, one left in draft"""
    books = bill_runs
    cashier = books('cashier')
    today = _today()
    drawers = cashier('model.water.cash.drawer.search', [
            ('clerk', '=', cashier.user_id), ('date', '=', _date(today)),
            ('state', '=', 'open')])
    if not drawers:
        drawers = cashier('model.water.cash.drawer.create', [{}])
    invoice, = cashier('model.account.invoice.read', [books.ids['invoice']],
        ['water_account', 'amount_to_pay'])
    part = Decimal('1.00')
    assert Decimal(invoice['amount_to_pay']['decimal']) > part
    posted, voided, draft = cashier('model.water.cash.receipt.create', [{
                'drawer': drawers[0],
                'customer_account': invoice['water_account'],
                'tender': 'cash', 'amount': _decimal(part),
                'lines': [['create', [{
                                'invoice': invoice['id'],
                                'amount': _decimal(part)}]]],
                } for _ in range(3)])
    cashier('model.water.cash.receipt.post', [posted, voided])
    _void(books('finance'), voided)
    for state, receipt_id in [
            ('posted', posted), ('voided', voided), ('draft', draft)]:
        receipt = books.read(
            'water.cash.receipt', receipt_id, ['state', 'lines'])
        assert receipt['state'] == state
        books.ids[f'receipt:{state}'] = receipt_id
        books.ids[f'receipt_line:{state}'] = receipt['lines'][0]
    books.ids['drawer'] = drawers[0]
    return books


def _void(finance, receipt_id):
    "Void the receipt with its wizard, as sao runs it"
    wizard = 'wizard.water.cash.receipt.void'
    action_id = finance('model.ir.model.data.get_id',
        'water_utility', 'wizard_receipt_void')
    session, _, _ = finance(f'{wizard}.create')
    finance.context = {**finance.context, 'active_model':
        'water.cash.receipt', 'active_id': receipt_id,
        'active_ids': [receipt_id], 'action_id': action_id}
    try:
        finance(f'{wizard}.execute', session, {}, 'start')
        finance(f'{wizard}.execute', session, {
                'start': {'reason': "Taken on the wrong account"}}, 'void')
        finance(f'{wizard}.delete', session)
    finally:
        finance.context = {k: v for k, v in finance.context.items()
            if not k.startswith(('active_', 'action_id'))}


# -- adjustments --------------------------------------------------------

@pytest.fixture(scope='module')
def adjustments(bill_runs):
    """Credit adjustments billing asked for on the posted bill's account:
    one posted, one above the limit waiting for finance, one draft"""
    books = bill_runs
    billing = books('billing')
    invoice, = billing('model.account.invoice.read', [books.ids['invoice']],
        ['water_account'])
    reason, = billing('model.water.adjustment.reason.search', [], 0, 1)
    limit = books('admin')('model.water.configuration.read', [1],
        ['adjustment_limit'])[0]['adjustment_limit']
    limit = Decimal(limit['decimal']) if limit else None
    big = limit + 100 if limit is not None else None
    amounts = {'posted': Decimal('1.00'), 'draft': Decimal('2.00')}
    if big is not None:
        amounts['waiting'] = big
    ids = billing('model.water.account.adjustment.create', [{
                'account': invoice['water_account'],
                'date': _date(_today()), 'reason': reason,
                'kind': 'credit', 'amount': _decimal(amount),
                'description': f"Integrity test ({state})",
                } for state, amount in amounts.items()])
    adjustments = dict(zip(amounts, ids))
    billing('model.water.account.adjustment.post', [adjustments['posted']])
    if 'waiting' in adjustments:
        billing('model.water.account.adjustment.request_approval',
            [adjustments['waiting']])
    for state, adjustment_id in adjustments.items():
        assert books.read('water.account.adjustment', adjustment_id,
            ['state'])['state'] == state
        books.ids[f'adjustment:{state}'] = adjustment_id
    books.ids['billing_user'] = billing.user_id
    books.ids['finance_user'] = books('finance').user_id
    return books


# -- the attacks --------------------------------------------------------

@pytest.fixture(scope='module')
def collections(books):
    """The demo's collections: a posted penalty run of the history, the
    run of today billing calculated (waiting for finance), a notice the
    ladder gave, and an appeal the clerk records"""
    admin = books('admin')
    for state in ['posted', 'calculated']:
        books.ids[f'penalty_run:{state}'], = admin(
            'model.water.collection.penalty.run.search',
            [('state', '=', state)], 0, 1)
    books.ids['notice'], = admin(
        'model.water.collection.notice.search', [], 0, 1)
    account, = admin('model.water.account.search', [], 0, 1)
    books.ids['account'] = account
    books.ids['penalty_run:draft'], = books('billing')(
        'model.water.collection.penalty.run.create', [{
                'date': _date(_today())}])
    books.ids['finance_user'] = books('finance').user_id
    books.ids['mailing:draft'], = books('clerk')(
        'model.water.collection.mailing.create', [{
                'date': _date(_today()), 'step': 'late_notice'}])
    books.ids['protection'], = books('clerk')(
        'model.water.collection.protection.create', [{
                'account': account, 'kind': 'appeal',
                'received_date': _date(_today())}])
    return books


@pytest.fixture(scope='module')
def supplier_bills(books):
    """The demo's supplier bills: Pacific Pipe's INV-20417, held by its
    three-way match, and the leak survey (no order) waiting for finance"""
    admin = books('admin')
    for key, reference in [('supplier_bill:held', 'INV-20417'),
            ('supplier_bill:no_order', 'SLD-2026-114')]:
        books.ids[key], = admin('model.account.invoice.search', [
                ('type', '=', 'in'), ('reference', '=', reference)], 0, 1)
    return books


@pytest.fixture(scope='module')
def payments(books):
    """The demo's payment run: Pacific Pipe's check (10040, reissued by
    the browser test), printed and paid, and Sierra Leak Detection's ACH
    payment waiting in its batch"""
    admin = books('admin')
    check, = admin('model.account.payment.search', [
            ('reference', '=', 'INV-20388')], 0, 1)
    ach, = admin('model.account.payment.search', [
            ('journal.process_method', '=', 'ach')], 0, 1)
    (values,) = admin('model.account.payment.read', [check],
        ['party', 'journal', 'company'])
    (group,) = admin('model.account.payment.read', [ach], ['group'])
    books.ids.update({'payment:check': check, 'payment:ach': ach,
            'payment_group:ach': group['group'],
            'vendor:check': values['party'],
            'journal:check': values['journal'],
            'company': values['company']})
    return books


@pytest.fixture(scope='module')
def warrant_lists(books):
    """The demo's warrant lists: last month's, ratified and closed, and
    this month's, computed and waiting for finance to present it"""
    admin = books('admin')
    for key, state in [('warrant_list:closed', 'closed'),
            ('warrant_list:draft', 'draft')]:
        books.ids[key], = admin('model.water.warrant.list.search', [
                ('state', '=', state)], 0, 1)
        books.ids[key + ':line'], = admin(
            'model.water.warrant.list.line.search', [
                ('warrant_list', '=', books.ids[key])], 0, 1)
    books.ids['finance_employee'], = admin('model.company.employee.search', [
            ('party.name', '=', "Frank Moreno")])
    return books


@pytest.fixture(scope='module')
def close_books(books):
    """The demo's adjusting entry waiting for finance's approval, and last
    month's close checklist with its findings"""
    admin = books('admin')
    books.ids['move:adjustment'], = admin('model.account.move.search', [
            ('adjustment_reason', '!=', None), ('state', '=', 'draft')],
        0, 1)
    books.ids['checklist'], = admin('model.water.close.checklist.search',
        [], 0, 1)
    (checklist,) = admin('model.water.close.checklist.read',
        [books.ids['checklist']], ['period'])
    books.ids['period:checklist'] = checklist['period']
    books.ids['finance_employee'], = admin('model.company.employee.search', [
            ('party.name', '=', "Frank Moreno")])
    return books


@pytest.fixture(scope='module')
def purchases(books):
    """The demo's confirmed purchase order of meter boxes, half received
    (its bill INV-20417 held), and one of its lines"""
    admin = books('admin')
    books.ids['purchase:confirmed'], = admin(
        'model.purchase.purchase.search', [
            ('state', '=', 'processing'),
            ('invoices.reference', '=', 'INV-20417')], 0, 1)
    books.ids['purchase:confirmed:line'], = admin(
        'model.purchase.line.search', [
            ('purchase', '=', books.ids['purchase:confirmed'])], 0, 1)
    return books


@pytest.fixture(scope='module')
def desk(books):
    """The demo's letters (one sent, one draft) and its closed main break,
    a call and a line of its call list, an agency of its checklist"""
    admin = books('admin')
    for key, state in [('letter:sent', 'sent'), ('letter:draft', 'draft')]:
        books.ids[key], = admin('model.water.desk.letter.search', [
                ('state', '=', state)], 0, 1)
    books.ids['event:closed'], = admin('model.water.desk.event.search', [
            ('state', '=', 'closed')], 0, 1)
    for key, model in [('event:call', 'call'), ('event:line', 'service'),
            ('event:agency', 'agency')]:
        books.ids[key], = admin(f'model.water.desk.event.{model}.search', [
                ('event', '=', books.ids['event:closed'])], 0, 1)
    return books


FIXTURES = {
    'payroll': 'pay_runs', 'water.bill': 'bill_runs',
    'water.cash': 'receipts', 'water.account.adjustment': 'adjustments',
    'water.collection': 'collections', 'account.invoice': 'supplier_bills',
    'account.payment': 'payments', 'water.check.void': 'payments',
    'water.warrant': 'warrant_lists', 'water.close': 'close_books',
    'account.move': 'close_books', 'account.period': 'close_books',
    'purchase.': 'purchases', 'water.desk.': 'desk'}


class Ref(str):
    "A value of an attack that is the id of a document of the books"


Attack = namedtuple('Attack',
    'role model target action values expected', defaults=[None, ()])


def attack_id(attack):
    "role-target-action[-fields]: the attack's test id"
    target, what = attack.target, attack.action
    if attack.action == 'write':
        what += '-' + '-'.join(sorted(
                f'{k}={v}' if k == 'state' else k
                for k, v in attack.values.items()))
    elif attack.action == 'button':
        what = attack.values
    elif attack.action == 'create':
        # the document it goes on, or the workflow fields it forges
        target = attack.model
        what += '-' + '-'.join(sorted(
                f'{k}={v}' if isinstance(v, Ref) else k
                for k, v in attack.values.items()
                if k in {'slip', 'receipt', 'run'}
                or k in {'state', 'number', 'requested_by'}
                or k.endswith('ed_by')))
    return f'{attack.role}-{target}-{what}'


_RUN = 'payroll.run'
_SLIP = 'payroll.slip'
_SLIP_LINE = 'payroll.slip.line'
_DEPOSIT = 'payroll.slip.deposit'
_BILL_RUN = 'water.bill.run'
_BILL = 'water.bill'
_PERIOD = 'water.bill.period'
_LINE = 'water.bill.line'
_RECEIPT = 'water.cash.receipt'
_RECEIPT_LINE = 'water.cash.receipt.line'
_PENALTY_RUN = 'water.collection.penalty.run'
_ADJUSTMENT = 'water.account.adjustment'
_MAILING = 'water.collection.mailing'
_SUPPLIER_BILL = 'account.invoice'
_PAYMENT = 'account.payment'
_WARRANT_LIST = 'water.warrant.list'
_WARRANT_LINE = 'water.warrant.list.line'

ATTACKS = [
    # 1. Payroll approval forged, a posted run posted again, paid twice,
    # the bank account of a deposit and a slip's amounts changed
    Attack('payroll', _RUN, 'run:computed', 'write', {'state': 'approved'},
        (WORKFLOW, 'state')),
    Attack('payroll', _RUN, 'run:computed', 'write', {
            'state': 'approved', 'approved_by': Ref('finance_employee')},
        (WORKFLOW, 'approved_by, state')),
    Attack('payroll', _RUN, 'run:computed', 'write', {
            'approved_by': Ref('finance_employee')},
        (WORKFLOW, 'approved_by')),
    Attack('payroll', _RUN, 'run:computed', 'button', 'approve',
        ('Calling button "approve',)),
    Attack('payroll', _RUN, 'run:computed', 'button', 'post',
        (button_refused('post'),)),
    Attack('payroll', _RUN, 'run:approved', 'write', {'state': 'computed'},
        (WORKFLOW, 'state')),
    Attack('payroll', _RUN, 'run:approved', 'write', {'approved_by': None},
        (WORKFLOW, 'approved_by')),
    Attack('payroll', _RUN, 'run:approved', 'write', {
            'pay_date': _date(_today())},
        (PAY_SEALED, 'pay_date')),
    Attack('payroll', _RUN, 'run:approved', 'delete', None, (PAY_SEALED,)),
    Attack('payroll', _RUN, 'run:posted', 'write', {'state': 'approved'},
        (WORKFLOW, 'state')),
    Attack('payroll', _RUN, 'run:posted', 'write', {'move': None},
        (WORKFLOW, 'move')),
    Attack('payroll', _RUN, 'run:posted', 'button', 'post',
        (button_refused('post'),)),
    Attack('payroll', _RUN, 'run:posted', 'delete', None, (PAY_SEALED,)),
    Attack('payroll', _RUN, 'run:paid', 'write', {'state': 'posted'},
        (WORKFLOW, 'state')),
    Attack('payroll', _RUN, 'run:paid', 'write', {'payment_move': None},
        (WORKFLOW, 'payment_move')),
    Attack('payroll', _RUN, 'run:paid', 'button', 'pay',
        (button_refused('pay'),)),
    Attack('payroll', _RUN, 'run:paid', 'delete', None, (PAY_SEALED,)),
    Attack('payroll', _RUN, None, 'create', {
            'name': "Forged", 'schedule': 'biweekly', 'state': 'approved',
            'approved_by': Ref('finance_employee'),
            'period_start': _date(dt.date(2020, 1, 5)),
            'period_end': _date(dt.date(2020, 1, 18)),
            'pay_date': _date(dt.date(2020, 1, 24))},
        (WORKFLOW, 'approved_by, state')),
    Attack('payroll', _DEPOSIT, 'deposit:approved', 'write', {
            'number': '999999999'}, (PAY_SEALED, 'number')),
    Attack('payroll', _DEPOSIT, 'deposit:approved', 'write', {
            'routing': '011000015'}, (PAY_SEALED, 'routing')),
    Attack('payroll', _DEPOSIT, 'deposit:computed', 'write', {
            'number': '999999999'}, (PAY_COMPUTED,)),
    Attack('payroll', _DEPOSIT, 'deposit:posted', 'delete', None,
        (PAY_SEALED,)),
    Attack('payroll', _SLIP, 'slip:approved', 'write', {
            'gross': _decimal('9999.00')}, (PAY_SEALED, 'gross')),
    Attack('payroll', _SLIP, 'slip:posted', 'write', {
            'gross': _decimal('9999.00'), 'net': _decimal('9999.00')},
        (PAY_SEALED, 'gross, net')),
    Attack('payroll', _SLIP, 'slip:computed', 'write', {
            'net': _decimal('9999.00')}, (PAY_COMPUTED,)),
    Attack('payroll', _SLIP, 'slip:paid', 'write', {'check_number': '1'},
        (WORKFLOW, 'check_number')),
    Attack('payroll', _SLIP, 'slip:posted', 'delete', None, (PAY_SEALED,)),
    Attack('payroll', _SLIP, 'slip:computed', 'delete', None,
        (PAY_COMPUTED,)),
    Attack('payroll', _SLIP_LINE, 'slip_line:approved', 'write', {
            'amount': _decimal('1.00')}, (PAY_SEALED, 'amount')),
    Attack('payroll', _SLIP_LINE, 'slip_line:paid', 'delete', None,
        (PAY_SEALED,)),
    Attack('payroll', _SLIP_LINE, 'slip_line:computed', 'write', {
            'amount': _decimal('1.00')}, (PAY_COMPUTED,)),
    Attack('payroll', _SLIP_LINE, None, 'create', {
            'slip': Ref('slip:posted'), 'category': 'earning',
            'code': 'BONUS', 'name': "Bonus",
            'amount': _decimal('500.00')}, (PAY_SEALED,)),
    Attack('payroll', _SLIP_LINE, None, 'create', {
            'slip': Ref('slip:computed'), 'category': 'earning',
            'code': 'BONUS', 'name': "Bonus",
            'amount': _decimal('500.00')}, (PAY_COMPUTED,)),
    # the finance manager approves; she does not edit the register
    Attack('finance', _RUN, 'run:computed', 'write', {'state': 'approved'},
        (DENIED,)),
    Attack('finance', _SLIP, 'slip:approved', 'write', {
            'gross': _decimal('9999.00')}, (DENIED,)),
    Attack('finance', _RUN, 'run:posted', 'button', 'pay',
        ('Calling button "pay',)),
    # 2. Posted receipts: voided by a write, amounts and lines changed
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'state': 'voided'}, (WORKFLOW, 'state')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'state': 'draft'}, (WORKFLOW, 'state')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'void_reason': "Mistake", 'voided_by': Ref('cashier_user')},
        (WORKFLOW, 'void_reason, voided_by')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'amount': _decimal('0.01')}, (RECEIPT_SEALED, 'amount')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'tender': 'check', 'check_number': '1'},
        (RECEIPT_SEALED, 'check_number, tender')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'tendered': _decimal('100.00')},
        (RECEIPT_SEALED, 'tendered')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'write', {
            'lines': [['delete', [Ref('receipt_line:posted')]]]},
        (RECEIPT_SEALED, 'lines')),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'delete', None,
        (RECEIPT_SEALED,)),
    Attack('cashier', _RECEIPT, 'receipt:posted', 'button', 'post',
        (button_refused('post'),)),
    Attack('cashier', _RECEIPT, 'receipt:voided', 'write', {
            'state': 'posted'}, (WORKFLOW, 'state')),
    Attack('cashier', _RECEIPT, 'receipt:voided', 'write', {
            'void_reason': None}, (WORKFLOW, 'void_reason')),
    Attack('cashier', _RECEIPT, 'receipt:voided', 'write', {
            'amount': _decimal('9.00')}, (RECEIPT_SEALED, 'amount')),
    Attack('cashier', _RECEIPT, 'receipt:voided', 'delete', None,
        (RECEIPT_SEALED,)),
    Attack('cashier', _RECEIPT_LINE, 'receipt_line:voided', 'delete', None,
        (SEALED,)),
    Attack('finance', _RECEIPT, 'receipt:voided', 'write', {
            'state': 'posted'}, (WORKFLOW, 'state')),
    Attack('cashier', _RECEIPT_LINE, 'receipt_line:posted', 'write', {
            'amount': _decimal('0.50')}, (SEALED, 'amount')),
    Attack('cashier', _RECEIPT_LINE, 'receipt_line:posted', 'delete', None,
        (SEALED,)),
    Attack('cashier', _RECEIPT_LINE, None, 'create', {
            'receipt': Ref('receipt:posted'), 'invoice': Ref('invoice'),
            'amount': _decimal('0.50')}, (SEALED,)),
    Attack('cashier', _RECEIPT, None, 'create', {
            'drawer': Ref('drawer'), 'customer_account': Ref('account'),
            'tender': 'cash', 'amount': _decimal('5.00'),
            'state': 'posted', 'number': 'R-9999999'},
        (WORKFLOW, 'number, state')),
    Attack('cashier', _RECEIPT, None, 'create', {
            'drawer': Ref('drawer'), 'customer_account': Ref('account'),
            'tender': 'cash', 'amount': _decimal('5.00'),
            'state': 'voided', 'voided_by': Ref('cashier_user')},
        (WORKFLOW, 'state, voided_by')),
    # 3. Posted bills: amounts, lines and usage changed, bills deleted, a
    # run sent back to draft and deleted
    Attack('billing', _BILL, 'bill:posted', 'write', {
            'amount_due': _decimal('0.00')}, (BILL_POSTED,)),
    Attack('billing', _BILL, 'bill:posted', 'write', {'state': 'draft'},
        (WORKFLOW, 'state')),
    Attack('billing', _BILL, 'bill:posted', 'delete', None, (BILL_POSTED,)),
    Attack('billing', _BILL, 'bill:calculated', 'write', {
            'amount_due': _decimal('0.00')}, (COMPUTED,)),
    Attack('billing', _BILL, 'bill:calculated', 'delete', None,
        (COMPUTED,)),
    Attack('billing', _BILL, None, 'create', {
            'run': Ref('bill_run:draft'), 'account': Ref('account'),
            'state': 'posted', 'amount_due': _decimal('0.00')},
        (WORKFLOW, 'state')),
    Attack('billing', _LINE, 'bill_line:posted', 'write', {
            'amount': _decimal('0.01')}, (COMPUTED,)),
    Attack('billing', _LINE, 'bill_line:posted', 'delete', None,
        (COMPUTED,)),
    Attack('billing', _LINE, 'bill_line:calculated', 'write', {
            'amount': _decimal('0.01')}, (COMPUTED,)),
    Attack('billing', _PERIOD, 'bill_period:posted', 'write', {
            'usage': _decimal('0.00')}, (COMPUTED,)),
    Attack('billing', _PERIOD, 'bill_period:posted', 'delete', None,
        (COMPUTED,)),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'write', {
            'state': 'calculated'}, (WORKFLOW, 'state')),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'button', 'draft',
        (button_refused('draft'),)),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'button', 'calculate',
        (button_refused('calculate'),)),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'button', 'cancel',
        (button_refused('cancel'),)),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'write', {
            'message': "Pay twice"}, (RUN_SEALED,)),
    Attack('billing', _BILL_RUN, 'bill_run:posted', 'delete', None,
        (RUN_SEALED,)),
    Attack('billing', _BILL_RUN, 'bill_run:calculated', 'write', {
            'state': 'posted'}, (WORKFLOW, 'state')),
    Attack('billing', _BILL_RUN, None, 'create', {
            'cycle': Ref('cycle'), 'read_date': _date(_today()),
            'bill_date': _date(_today()), 'state': 'posted',
            'posted_by': Ref('billing_user')},
        (WORKFLOW, 'posted_by, state')),
    Attack('finance', _BILL, 'bill:posted', 'write', {
            'amount_due': _decimal('0.00')}, (BILL_POSTED,)),
    # adjustments: approval forged, a signed or posted one changed
    Attack('billing', _ADJUSTMENT, 'adjustment:waiting', 'write', {
            'state': 'approved', 'approved_by': Ref('finance_user')},
        (WORKFLOW, 'approved_by, state')),
    Attack('billing', _ADJUSTMENT, 'adjustment:waiting', 'write', {
            'amount': _decimal('1.00')}, (ADJUSTMENT_SEALED, 'amount')),
    Attack('billing', _ADJUSTMENT, 'adjustment:waiting', 'button', 'approve',
        ('Calling button "approve',)),
    Attack('billing', _ADJUSTMENT, 'adjustment:posted', 'write', {
            'amount': _decimal('100.00')}, (ADJUSTMENT_SEALED, 'amount')),
    Attack('billing', _ADJUSTMENT, 'adjustment:posted', 'write', {
            'state': 'draft'}, (WORKFLOW, 'state')),
    Attack('billing', _ADJUSTMENT, 'adjustment:posted', 'delete', None,
        (ADJUSTMENT_SEALED,)),
    Attack('billing', _ADJUSTMENT, None, 'create', {
            'account': Ref('account'), 'date': _date(_today()),
            'reason': Ref('reason'), 'kind': 'credit',
            'amount': _decimal('5000.00'), 'description': "Forged",
            'state': 'approved', 'approved_by': Ref('finance_user')},
        (WORKFLOW, 'approved_by, state')),
    Attack('billing', _ADJUSTMENT, None, 'create', {
            'account': Ref('account'), 'date': _date(_today()),
            'reason': Ref('reason'), 'kind': 'credit',
            'amount': _decimal('5000.00'), 'description': "Forged",
            'requested_by': Ref('finance_user')},
        (WORKFLOW, 'requested_by')),
    # collections: penalty runs posted or calculated, notices, protections
    Attack('billing', _PENALTY_RUN, 'penalty_run:posted', 'write', {
            'date': _date(_today())}, (PENALTY_SEALED, 'date')),
    Attack('billing', _PENALTY_RUN, 'penalty_run:posted', 'delete', None,
        (PENALTY_SEALED,)),
    Attack('billing', _PENALTY_RUN, 'penalty_run:calculated', 'write', {
            'state': 'posted'}, (PENALTY_WORKFLOW, 'state')),
    Attack('billing', _PENALTY_RUN, 'penalty_run:calculated', 'write', {
            'date': _date(_today() - dt.timedelta(days=40))},
        (PENALTY_SEALED, 'date')),
    Attack('billing', _PENALTY_RUN, 'penalty_run:calculated', 'write', {
            'posted_by': Ref('finance_user')},
        (PENALTY_WORKFLOW, 'posted_by')),
    Attack('billing', _PENALTY_RUN, None, 'create', {
            'date': _date(_today()), 'state': 'posted'},
        (PENALTY_WORKFLOW, 'state')),
    Attack('billing', _PENALTY_RUN, 'penalty_run:calculated', 'button',
        'post', (NOT_ALLOWED,)),
    Attack('finance', 'water.collection.notice', 'notice', 'write', {
            'date': _date(_today())}, (NOT_ALLOWED,)),
    Attack('clerk', 'water.collection.notice', None, 'create', {
            'account': Ref('account'), 'step': 'disconnect_notice',
            'date': _date(_today())}, (NOT_ALLOWED,)),
    Attack('clerk', _MAILING, 'mailing:draft', 'write', {
            'state': 'mailed'}, (MAILING_WORKFLOW, 'state')),
    Attack('clerk', _MAILING, 'mailing:draft', 'write', {
            'pieces_mailed': 0, 'mailed_by': Ref('finance_user')},
        (MAILING_WORKFLOW, 'mailed_by, pieces_mailed')),
    Attack('clerk', _MAILING, None, 'create', {
            'date': _date(_today()), 'step': 'disconnect_notice',
            'state': 'mailed'}, (MAILING_WORKFLOW, 'state')),
    Attack('cashier', _MAILING, 'mailing:draft', 'write', {
            'date': _date(_today())}, (NOT_ALLOWED,)),
    Attack('clerk', 'water.collection.notice', 'notice', 'write', {
            'mailing': Ref('mailing:draft')}, (NOT_ALLOWED,)),
    Attack('clerk', 'water.collection.protection', 'protection', 'write', {
            'kind': 'medical'}, ('keeps its', 'kind')),
    Attack('clerk', 'water.collection.protection', 'protection', 'delete',
        None, (DENIED,)),
    # supplier bills: the match and the approval are the buttons'; a
    # vendor's number once
    Attack('clerk', _SUPPLIER_BILL, 'supplier_bill:held', 'write', {
            'match_state': 'matched', 'hold_reason': None},
        (BILL_MATCH, 'hold_reason, match_state')),
    Attack('clerk', _SUPPLIER_BILL, 'supplier_bill:held', 'write', {
            'payment_approved_at': {'__class__': 'datetime', 'year': 2026,
                'month': 1, 'day': 5, 'hour': 9, 'minute': 0, 'second': 0,
                'microsecond': 0}},
        (BILL_MATCH, 'payment_approved_at')),
    Attack('clerk', _SUPPLIER_BILL, 'supplier_bill:held', 'write', {
            'reference': 'inv 20388'}, ('is already on the bill',)),
    Attack('finance', _SUPPLIER_BILL, 'supplier_bill:held', 'button',
        'approve_payment', ('held by its three-way match',)),
    Attack('clerk', _SUPPLIER_BILL, 'supplier_bill:no_order', 'button',
        'approve_payment', (NOT_ALLOWED,)),
    # vendor payments: a paid check's amount, its number, a payment's
    # state and a batch's ACH file are nobody's to write; a voided check
    # is Void Check's record only
    Attack('finance', _PAYMENT, 'payment:check', 'write', {
            'amount': _decimal('3870.50')}, (PAYMENT_SEALED, 'amount')),
    Attack('finance', _PAYMENT, 'payment:check', 'write', {
            'check_number': '10099'}, (PAYMENT_WORKFLOW, 'check_number')),
    Attack('clerk', _PAYMENT, 'payment:ach', 'write', {
            'state': 'succeeded'}, (PAYMENT_WORKFLOW, 'state')),
    Attack('clerk', 'account.payment.group', 'payment_group:ach', 'write', {
            'ach_file': None}, ('are written by processing',)),
    Attack('clerk', _PAYMENT, None, 'create', {
            'company': Ref('company'), 'kind': 'payable',
            'party': Ref('vendor:check'), 'journal': Ref('journal:check'),
            'amount': _decimal('500.00'), 'date': _date(_today()),
            'state': 'approved'}, (PAYMENT_WORKFLOW, 'state')),
    Attack('finance', 'water.check.void', None, 'create', {
            'payment': Ref('payment:check'), 'journal': Ref('journal:check'),
            'check_number': '10040', 'void_date': _date(_today()),
            'reason': "Forged"}, (NOT_ALLOWED,)),
    # warrant lists: the Board's record is nobody's to rewrite, a
    # warrant nobody's to add or change, a certification nobody's to forge
    Attack('finance', _WARRANT_LIST, 'warrant_list:closed', 'write', {
            'name': "Another list"}, (WARRANT_SEALED, 'name')),
    Attack('finance', _WARRANT_LIST, 'warrant_list:closed', 'write', {
            'minute_order': "MO 0000-00"}, (WARRANT_SEALED, 'minute_order')),
    Attack('finance', _WARRANT_LIST, 'warrant_list:closed', 'delete', None,
        (WARRANT_SEALED,)),
    Attack('clerk', _WARRANT_LIST, 'warrant_list:draft', 'write', {
            'state': 'presented'}, (PAYMENT_WORKFLOW, 'state')),
    Attack('clerk', _WARRANT_LIST, 'warrant_list:draft', 'write', {
            'certified_by': Ref('finance_employee')},
        (PAYMENT_WORKFLOW, 'certified_by')),
    Attack('clerk', _WARRANT_LIST, 'warrant_list:draft', 'button',
        'present', ('Calling button "present',)),
    Attack('finance', _WARRANT_LIST, 'warrant_list:draft', 'button',
        'ratify', (button_refused('ratify'),)),
    Attack('finance', _WARRANT_LINE, 'warrant_list:closed:line', 'write', {
            'amount': _decimal('1.00')}, (DENIED,)),
    Attack('clerk', _WARRANT_LINE, 'warrant_list:draft:line', 'delete',
        None, (NOT_ALLOWED,)),
    Attack('finance', _WARRANT_LINE, None, 'create', {
            'warrant_list': Ref('warrant_list:draft'), 'warrant': 'forged',
            'kind': 'check', 'number': '99999', 'date': _date(_today()),
            'amount': _decimal('25000.00')}, (NOT_ALLOWED,)),
    # adjusting entries: the approval is finance's button's; the period
    # closes from its checklist, whose findings are the finder's
    Attack('clerk', 'account.move', 'move:adjustment', 'write', {
            'adjustment_approved_by': Ref('finance_employee')},
        ('is set by its Approve button only',)),
    Attack('clerk', 'account.move', 'move:adjustment', 'button',
        'approve_adjustment', ('Calling button "approve_adjustment',)),
    Attack('clerk', 'account.move', 'move:adjustment', 'button', 'post',
        ('finance approves it before it is posted',)),
    Attack('finance', 'water.close.checklist', 'checklist', 'write', {
            'state': 'closed'}, ('are set by its buttons only',)),
    Attack('clerk', 'water.close.checklist', 'checklist', 'button',
        'close', ('Calling button "close',)),
    Attack('finance', 'water.close.finding', None, 'create', {
            'checklist': Ref('checklist'), 'kind': 'draft',
            'description': "Nothing to see"}, (NOT_ALLOWED,)),
    Attack('finance', 'account.period', 'period:checklist', 'button',
        'close', ('is closed from its close checklist',)),
    # a confirmed purchase order is what the vendor was sent and what its
    # bills are matched against; its emailing is its button's record
    Attack('clerk', 'purchase.line', 'purchase:confirmed:line', 'write', {
            'unit_price': _decimal('1.00')}, ('can no longer change',)),
    Attack('clerk', 'purchase.line', 'purchase:confirmed:line', 'delete',
        None, ('you must cancel or reset to draft purchase',)),
    Attack('clerk', 'purchase.purchase', 'purchase:confirmed', 'write', {
            'payment_term': None}, (PURCHASE_SEALED, 'payment_term')),
    Attack('clerk', 'purchase.purchase', 'purchase:confirmed', 'write', {
            'emailed_to': 'me@example.com'},
        ('are set by Email to Vendor only', 'emailed_to')),
    # the desk: a letter sent is the customer's copy; a closed shut-off,
    # its calls, log and checklist are the record of what was done
    Attack('clerk', 'water.desk.letter', 'letter:sent', 'write', {
            'body': "<p>Rewritten</p>"}, (LETTER_SEALED, 'body')),
    Attack('clerk', 'water.desk.letter', 'letter:draft', 'write', {
            'sent_by': Ref('cashier_user')},
        ('are set when it is written or sent only', 'sent_by')),
    Attack('clerk', 'water.desk.letter', 'letter:sent', 'delete', None,
        (DENIED,)),
    Attack('clerk', 'water.desk.event', 'event:closed', 'write', {
            'cause': "Rewritten"}, (EVENT_CLOSED, 'cause')),
    Attack('clerk', 'water.desk.event', 'event:closed', 'write', {
            'state': 'active'}, ('are set by its buttons only', 'state')),
    Attack('clerk', 'water.desk.event.call', None, 'create', {
            'event': Ref('event:closed'), 'line': Ref('event:line'),
            'outcome': 'reached'}, ('no call can be logged on it',)),
    Attack('clerk', 'water.desk.event.call', 'event:call', 'write', {
            'outcome': 'reached'}, ('A call logged is kept as it was',)),
    Attack('clerk', 'water.desk.event.log', None, 'create', {
            'event': Ref('event:closed'), 'text': "Late entry"},
        ('its radio log takes no more entries',)),
    Attack('clerk', 'water.desk.event.service', 'event:line', 'write', {
            'rank': 0}, ("affected services are its selection's",)),
    Attack('finance', 'water.desk.event.agency', 'event:agency', 'write', {
            'hours': _decimal('48')},
        ("checklist comes from the district's rules",)),
    ]

# Attacks the code does not refuse yet: {attack id: what it does}
NOT_REFUSED = {}


def _family(model):
    return next(f for prefix, f in FIXTURES.items()
        if model.startswith(prefix))


def _resolve(value, books):
    if isinstance(value, Ref):
        return books.ids[str(value)]
    if isinstance(value, dict):
        return {k: _resolve(v, books) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, books) for v in value]
    return value


def _params():
    for attack in ATTACKS:
        marks = []
        if (reason := NOT_REFUSED.get(attack_id(attack))):
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        yield pytest.param(attack, id=attack_id(attack), marks=marks)


def _state_of_books(books, attack):
    "What must not change: the attacked record as read, and the ledger"
    admin = books('admin')
    record_id = books.ids.get(attack.target)
    names = {'id'}
    if attack.action == 'write':
        names |= {n for n in attack.values if n != 'lines'}
    if 'state' in admin(f'model.{attack.model}.fields_get', ['state']):
        names.add('state')
    record = books.read(attack.model, record_id, names) if record_id else None
    counts = {model: admin(f'model.{model}.search_count', [])
        for model in [attack.model, 'account.move', 'water.bill',
            'payroll.slip', 'water.cash.receipt.line']}
    return record, counts


@pytest.mark.parametrize('attack', _params())
def test_attack_refused(request, attack):
    "The attack is refused with a clear message; nothing changes"
    books = request.getfixturevalue(_family(attack.model))
    books.ids.setdefault('cashier_user', books('cashier').user_id)
    _common_refs(books)
    rpc = books(attack.role)
    record_id = books.ids.get(attack.target)
    before = _state_of_books(books, attack)
    method = f'model.{attack.model}.'
    if attack.action == 'write':
        error = rpc.error(method + 'write', [record_id],
            _resolve(attack.values, books))
    elif attack.action == 'delete':
        error = rpc.error(method + 'delete', [record_id])
    elif attack.action == 'button':
        error = rpc.error(method + attack.values, [record_id])
    else:
        error = rpc.error(method + 'create', [_resolve(attack.values, books)])
    assert error is not None, f"{attack_id(attack)} was not refused"
    assert error[0] == 'UserError', error
    message = error[1][0]
    for fragment in attack.expected:
        assert fragment in message, (fragment, message)
    assert _state_of_books(books, attack) == before


def _common_refs(books):
    "Ids the forged creates use: an account, a cycle, a reason"
    admin = books('admin')
    if 'invoice' in books.ids and 'account' not in books.ids:
        invoice, = admin('model.account.invoice.read', [books.ids['invoice']],
            ['water_account'])
        books.ids['account'] = invoice['water_account']
    if 'cycle' not in books.ids:
        books.ids['cycle'], = admin('model.water.cycle.search', [], 0, 1)
    if 'reason' not in books.ids:
        books.ids['reason'], = admin(
            'model.water.adjustment.reason.search', [], 0, 1)
    books.ids.setdefault('billing_user', books('billing').user_id)
    books.ids.setdefault('finance_user', books('finance').user_id)


def test_attacks_named():
    "Every attack the lead marked as not refused is in the table"
    assert set(NOT_REFUSED) <= {attack_id(a) for a in ATTACKS}
    assert len({attack_id(a) for a in ATTACKS}) == len(ATTACKS)


# -- positive controls: the same roles change what is not sealed --------

CONTROLS = [
    ('payroll', _RUN, 'run:draft', 'pay_runs', {'name': "Integrity renamed"}),
    ('payroll', _RUN, 'run:computed', 'pay_runs', {
            'name': "Integrity computed renamed"}),
    ('cashier', _RECEIPT, 'receipt:draft', 'receipts', {
            'amount': _decimal('1.50'), 'tender': 'check',
            'check_number': '1042'}),
    ('cashier', _RECEIPT_LINE, 'receipt_line:draft', 'receipts', {
            'amount': _decimal('0.75')}),
    ('billing', _BILL_RUN, 'bill_run:calculated', 'bill_runs', {
            'message': "Water is precious"}),
    ('billing', _ADJUSTMENT, 'adjustment:draft', 'adjustments', {
            'amount': _decimal('3.00')}),
    ('billing', _PENALTY_RUN, 'penalty_run:draft', 'collections', {
            'date': _date(_today() - dt.timedelta(days=1))}),
    ('clerk', 'water.collection.protection', 'protection', 'collections', {
            'notes': "Appeal heard by the board on the 12th"}),
    ('clerk', 'water.desk.letter', 'letter:draft', 'desk', {
            'reference': "Integrity reference"}),
    ('clerk', 'purchase.purchase', 'purchase:confirmed', 'purchases', {
            'comment': "Deliver to the corporation yard"}),
    ]


def test_protection_names_who_recorded_it(collections):
    "A protection created over RPC names its recorder, whatever is sent"
    books = collections
    clerk = books('clerk')
    protection_id, = clerk('model.water.collection.protection.create', [{
                'account': books.ids['account'], 'kind': 'bill_review',
                'received_date': _date(_today()),
                'recorded_by': books('finance').user_id}])
    record = books.read('water.collection.protection', protection_id,
        {'recorded_by'})
    assert record['recorded_by'] == clerk.user_id


@pytest.mark.parametrize('role,model,target,fixture,values', CONTROLS,
    ids=[f'{c[0]}-{c[2]}' for c in CONTROLS])
def test_unsealed_writable(request, role, model, target, fixture, values):
    "A draft (or computed) document takes the same role's writes"
    books = request.getfixturevalue(fixture)
    record_id = books.ids[target]
    books(role)(f'model.{model}.write', [record_id], values)
    record = books.read(model, record_id, set(values))
    assert record == {n: _value(v) for n, v in values.items()}


def test_product_flows_still_work(pay_runs):
    """The transitions write the workflow fields the clients cannot: the
    finance manager approves, the clerk sends back and computes again"""
    books = pay_runs
    run_id = books.ids['run:computed']
    books('finance')('model.payroll.run.approve', [run_id])
    run = books.read('payroll.run', run_id, ['state', 'approved_by'])
    assert run == {'state': 'approved',
        'approved_by': books.ids['finance_employee']}
    books('finance')('model.payroll.run.reject', [run_id])
    run = books.read('payroll.run', run_id, ['state', 'approved_by'])
    assert run == {'state': 'computed', 'approved_by': None}


def test_ledger_entries_of_paid_run(pay_runs):
    "A paid run has its two entries, and no attack above added one"
    books = pay_runs
    run_id = books.ids['run:paid']
    moves = books('admin')('model.account.move.search_count', [
            ('origin', '=', f'payroll.run,{run_id}')])
    assert moves == 2


# -- the role-by-model matrix -----------------------------------------

MATRIX_MODELS = [
    'payroll.run', 'payroll.slip', 'payroll.slip.line',
    'payroll.slip.deposit', 'water.bill.run', 'water.bill',
    'water.bill.line', 'water.cash.drawer', 'water.cash.receipt',
    'water.cash.receipt.line', 'water.cash.deposit',
    'water.account.adjustment', 'water.meter.reading', 'water.account',
    'water.service', 'water.rate.schedule']
LOGINS = ['clerk', 'billing', 'cashier', 'finance', 'payroll', 'approver',
    'field', 'manager']


def _access_table():
    try:
        from .test_access import ACCESS, GROUPS
    except ImportError:
        pytest.skip("tests/test_access.py has no access table")
    return ACCESS, GROUPS


@pytest.fixture(scope='module')
def user_groups(books):
    "{login: the test_access group names of the demo user's groups}"
    _, groups = _access_table()
    admin = books('admin')
    by_id = {admin('model.ir.model.data.get_id', module, xml_id): name
        for name, (module, xml_id) in groups.items()}
    result = {}
    for user in admin('model.res.user.search_read', [
                ('login', 'in', LOGINS)], 0, None, None,
            ['login', 'groups']):
        result[user['login']] = {by_id[g] for g in user['groups']
            if g in by_id}
    return result


def _granted(rpc, model):
    "The 'rwcd' letters of what the server lets the session do on `model`"
    calls = [
        ('r', 'search', [[], 0, 1, None]),
        ('w', 'write', [[], {}]),
        ('c', 'create', [[]]),
        ('d', 'delete', [[]]),
        ]
    letters = ''
    for letter, method, params in calls:
        error = rpc.error(f'model.{model}.{method}', *params)
        if error is None:
            letters += letter
        else:
            assert error[0] == 'UserError' and DENIED in error[1][0], error
    return letters


@pytest.mark.parametrize('login', LOGINS)
def test_role_matrix(books, user_groups, login):
    "Each role reads, writes, creates and deletes what the table says"
    access, _ = _access_table()
    rpc = books(login)
    differences = []
    for model in MATRIX_MODELS:
        expected = set()
        for group in user_groups[login]:
            expected |= set(access.get(model, {}).get(group, ''))
        expected = ''.join(l for l in 'rwcd' if l in expected)
        got = _granted(rpc, model)
        if got != expected:
            differences.append((model, expected, got))
    assert not differences, (
        f"{login} ({', '.join(sorted(user_groups[login]))}): "
        f"(model, table, server) {differences}")
