# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo district's purchasing: its policy, and requisitions in every
queue of it, entered by their requesters through proteus: one approved
last week by Water Operations' superintendent, and waiting today for each
authority (Administration's manager, Water Operations' superintendent,
the General Manager, and the Board's next meeting).  Its payables: the
month's orders from three vendors, received and billed, one bill held by
its three-way match (billed before all was received), two waiting for
finance's approval; the supplies' reorder points and this morning's supply
run (the meters below their point, a purchase request waiting for an
order); and the week's payment run: Pacific Pipe's approved
bill paid by a printed check, Sierra Leak Detection's last survey by ACH,
its file waiting to go to the bank.  Its warrant lists: last month's
(its pay runs), ratified by the Board and closed, and this month's,
computed by the specialist and ready for finance to present.  Its month
end: an adjusting entry waiting for finance's approval, a recurring
entry's copy waiting to be posted, and last month's close checklist with
the discrepancy finder's findings; the year's budget by department."""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard
from trytond.tests.tools import set_user

from .district import setup_purchasing
from .payables import (
    enter_bill, order, receive, setup_adjustments, setup_payables,
    setup_supplies)

# Where the demo's vendors are: street, city, postal code
VENDOR_ADDRESSES = {
    "Pacific Pipe & Meter Supply": (
        "2210 Industrial Parkway", "Stockton", "95206"),
    "Valley Office Products": ("418 Main Street", "Modesto", "95354"),
    "Sierra Leak Detection": ("77 Foothill Road", "Jackson", "95642"),
    }
# Adjusting entries above this are approved by finance
ADJUSTMENT_LIMIT = Decimal('2500.00')

# (requester, description, lines (text, quantity, unit price), approver
# who has already approved it, or None: it waits)
REQUISITIONS = [
    ('field', "Hydrant repair parts", [
            ("Hydrant nozzle cap with chain", 12, '45.00'),
            ("Breakaway flange kit", 6, '120.00')], 'approver'),
    ('clerk', "Counter supplies", [
            ("Copy paper, case of 10 reams", 10, '32.00'),
            ("Receipt printer rolls, box of 50", 3, '41.50')], None),
    ('field', "Meter boxes and lids", [
            ("Meter box, 13 x 24 in., with reading lid", 24, '38.75')],
        None),
    ('field', "Meters for the summer change-outs", [
            ('5/8" positive displacement meter, AMI register', 40,
                '185.00')], None),
    ('approver', "Well 3 pump and motor replacement", [
            ("Submersible pump and 75 hp motor, installed", 1,
                '38500.00')], None),
    ]


def set_up(config, today, log):
    "Set the district's purchasing up and fill its queues, once"
    Authority = Model.get('water.purchase.authority', config=config)
    Department = Model.get('payroll.department', config=config)
    Company = Model.get('company.company', config=config)
    Requisition = Model.get('purchase.requisition', config=config)
    if Requisition.find([]):
        return
    departments = {d.code: d for d in Department.find([])}
    if not {'ADM', 'OPS'} <= departments.keys():
        log("purchasing: payroll's departments are missing; skipped")
        return
    log("purchasing: the authorities, and requisitions waiting for each")
    company, = Company.find([])
    if Authority.find([]):
        User = Model.get('res.user', config=config)
        users = {u.login: u for u in User.find([])}
    else:
        users = setup_purchasing(company, departments, config=config)
    Uom = Model.get('product.uom', config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    for login, description, lines, approver in REQUISITIONS:
        set_user(users[login], config=config)
        requisition = ask(description, lines, unit, today, config=config)
        requisition.click('wait')
        if approver:
            set_user(users[approver], config=config)
            # read again in the approver's context (their employee)
            Requisition = Model.get('purchase.requisition', config=config)
            Requisition(requisition.id).click('approve')
    set_user(1, config=config)
    log("payables: the month's orders, receipts and bills")
    buy(company, users, today, config)


def buy(company, users, today, config):
    """The month's purchasing, as the specialist enters it and finance
    approves it"""
    payables = setup_payables(company, users, config=config)
    setup_adjustments(ADJUSTMENT_LIMIT, config=config)
    number_orders(config)
    products, vendors = payables['products'], payables['vendors']
    pipe = vendors["Pacific Pipe & Meter Supply"]
    start = today.replace(day=1)
    set_user(users['clerk'], config=config)
    # Last order of meter boxes: all received, billed, approved
    received = order(pipe, products['MBOX'], 24, '38.75', config=config)
    receive(received, 24, config=config)
    approved = enter_bill(received, 'INV-20388', start, config=config)
    # This month's: half received, billed in full, held
    held = order(pipe, products['MBOX'], 24, '38.75', config=config)
    receive(held, 12, config=config)
    enter_bill(held, 'INV-20417', today, config=config)
    # Paper, received and billed at the ordered price: waiting
    paper = order(vendors["Valley Office Products"], products['PAPER'],
        10, '32.00', config=config)
    receive(paper, 10, config=config)
    enter_bill(paper, 'VOP 88123', today, config=config)
    # The leak survey under contract, without an order: waiting
    Invoice = Model.get('account.invoice', config=config)
    survey = Invoice(type='in', party=vendors["Sierra Leak Detection"],
        reference='SLD-2026-114', invoice_date=today)
    line = survey.lines.new(product=products['LEAK'])
    line.quantity = 2
    line.unit_price = Decimal('1450.00')
    survey.click('post')
    # Last month's survey, approved by the General Manager
    earlier = Invoice(type='in', party=vendors["Sierra Leak Detection"],
        reference='SLD-2026-098', invoice_date=start)
    line = earlier.lines.new(product=products['LEAK'])
    line.quantity = 1
    line.unit_price = Decimal('1450.00')
    earlier.click('post')
    supply(company, payables, users, config)
    set_user(users['manager'], config=config)
    Invoice(earlier.id).click('approve_payment')
    set_user(users['finance'], config=config)
    Invoice(approved.id).click('approve_payment')
    pay(users, today, payables['journals'], config)
    set_user(1, config=config)
    warrant_lists(users, today, config)
    month_end_work(users, today, config)
    adopt_budget(today, config)


def number_orders(config):
    "The district numbers its purchase orders PO-<year>-0001"
    Configuration = Model.get('purchase.configuration', config=config)
    Sequence = Model.get('ir.sequence', config=config)
    sequence = Sequence(Configuration(1).purchase_sequence.id)
    sequence.prefix = 'PO-${year}-'
    sequence.padding = 4
    sequence.save()


def supply(company, payables, users, config):
    """The supplies' reorder points, the vendors' order addresses (Email to
    Vendor sends to the demo's mail server), and this morning's supply
    run: the meters below their point wait as a purchase request"""
    set_user(1, config=config)
    setup_supplies(company, payables, config=config)
    district = company.party.addresses[0]
    for name, vendor in payables['vendors'].items():
        vendor = Model.get('party.party', config=config)(vendor.id)
        domain = name.split()[0].lower()
        vendor.contact_mechanisms.new(
            type='email', value=f'orders@{domain}.example')
        street, city, postal_code = VENDOR_ADDRESSES[name]
        address = vendor.addresses[0]
        address.street, address.city = street, city
        address.postal_code = postal_code
        address.country = district.country
        address.subdivision = district.subdivision
        vendor.save()
    set_user(users['clerk'], config=config)
    with config.set_context(_skip_warnings=True):
        Wizard('stock.supply', config=config).execute('create_')


def pay(users, today, journals, config):
    """The week's payment run: the clerk proposes it, finance approves,
    processes and prints the checks and marks them paid; the ACH batch
    waits to be sent"""
    set_user(users['clerk'], config=config)
    run = Wizard('water.payment.pay_bills', config=config)
    run.form.due_by = today + dt.timedelta(days=30)
    run.form.pay_date = today
    run.execute('pay')
    set_user(users['finance'], config=config)
    Payment = Model.get('account.payment', config=config)
    Group = Model.get('account.payment.group', config=config)
    payments = Payment.find([('state', '=', 'submitted')])
    Payment.click(payments, 'approve')
    Wizard('account.payment.process', payments, config=config)
    checks, = Group.find([('journal', '=', journals['check'].id)])
    Wizard('account.payment.check.print', [checks], config=config)
    paid = Wizard('account.payment.succeed', [checks], config=config)
    paid.form.date = today
    paid.execute('succeed')


def ask(description, lines, unit, today, config=None):
    "A requisition of `lines` as its requester enters it"
    Requisition = Model.get('purchase.requisition', config=config)
    requisition = Requisition(description=description)
    requisition.supply_date = today + dt.timedelta(days=14)
    for text, quantity, price in lines:
        line = requisition.lines.new()
        line.description = text
        line.quantity = quantity
        line.unit = unit
        line.unit_price = Decimal(price)
    requisition.save()
    return requisition


def first_tuesday(day):
    "The first Tuesday of `day`'s month: the Board's regular meeting"
    first = day.replace(day=1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7)


def warrant_lists(users, today, config):
    """Last month's warrant list ratified at this month's meeting and
    closed; this month's computed, ready to present at the next one"""
    WarrantList = Model.get('water.warrant.list', config=config)
    Run = Model.get('payroll.run', config=config)
    start = today.replace(day=1)
    last_start = (start - dt.timedelta(days=1)).replace(day=1)
    meeting = min(first_tuesday(today), today)
    # this month's list stops before a pay run not yet paid
    pending = Run.find([('state', '!=', 'paid'), ('pay_date', '>=', start),
            ('pay_date', '<=', today)], order=[('pay_date', 'ASC')])
    end = pending[0].pay_date - dt.timedelta(days=1) if pending else today
    set_user(users['clerk'], config=config)
    lists = []
    for first, last, agenda in [
            (last_start, start - dt.timedelta(days=1), meeting),
            (start, max(end, start),
                first_tuesday(start + dt.timedelta(days=32)))]:
        warrant_list = WarrantList(
            name=f"Warrant List, {first:%B %Y}", start_date=first,
            end_date=last, agenda_date=agenda)
        warrant_list.save()
        warrant_list.click('compute')
        lists.append(warrant_list)
    ratified = lists[0]
    if ratified.lines:
        set_user(users['finance'], config=config)
        ratified = WarrantList(ratified.id)
        ratified.click('present')
        ratified.meeting_date = meeting
        ratified.minute_order = f"MO {meeting.year}-{meeting.month * 10 + 4}"
        ratified.save()
        ratified.click('ratify')
        ratified.click('close')
    set_user(1, config=config)


def month_end_work(users, today, config):
    """An adjusting entry waiting for finance's approval (its document
    attached), last month's insurance share recurring, this month's copy
    waiting to be posted, and last month's close checklist with what the
    finder found"""
    Move = Model.get('account.move', config=config)
    Account = Model.get('account.account', config=config)
    Attachment = Model.get('ir.attachment', config=config)
    Journal = Model.get('account.journal', config=config)
    Period = Model.get('account.period', config=config)
    Checklist = Model.get('water.close.checklist', config=config)
    Cron = Model.get('ir.cron', config=config)
    journal, = Journal.find([('adjustments', '=', True)], limit=1)
    account = {a.code: a for a in Account.find([('code', 'in', [
                    '1400', '5040', '1500', '5060'])])}
    last_month = today.replace(day=1) - dt.timedelta(days=1)

    def entry(date, amount, debit, credit, reason):
        move = Move(journal=journal, date=date, adjustment_reason=reason)
        move.lines.new(account=account[debit], debit=Decimal(amount))
        move.lines.new(account=account[credit], credit=Decimal(amount))
        move.save()
        return move
    set_user(users['clerk'], config=config)
    boxes = entry(today, '3100.00', '1400', '5040',
        "Meter boxes received for stock, charged to T&D: to inventory")
    Attachment(resource=boxes, name='count-sheet.pdf', type='data',
        data=b'%PDF-1.4 stock count sheet').save()
    insurance = entry(last_month.replace(day=1), '850.00', '5060', '1500',
        "Prepaid insurance, monthly share (ACWA JPIA)")
    insurance.recurrence = 'monthly'
    insurance.save()
    insurance.click('post')
    set_user(1, config=config)
    cron, = Cron.find([('method', '=', 'account.move|recur_entries')])
    cron.click('run_once')
    set_user(users['clerk'], config=config)
    period, = Period.find([('start_date', '<=', last_month),
            ('end_date', '>=', last_month), ('type', '=', 'standard')])
    checklist = Checklist(period=period)
    checklist.save()
    checklist.click('find')
    set_user(1, config=config)


# The year's budget the Board adopted, by department: (account, amount),
# Tryton's signs (revenue positive, expenses negative)
BUDGET = [
    ("Revenue", [('4010', '2400000.00'), ('4050', '36000.00')]),
    ("Operations", [('5020', '-180000.00'), ('5030', '-95000.00'),
            ('5040', '-240000.00')]),
    ("Administration", [('5060', '-120000.00'), ('5090', '-18000.00'),
            ('5110', '-410000.00'), ('5115', '-150000.00')]),
    ]


def adopt_budget(today, config):
    "The fiscal year's budget, by department, spread evenly by month"
    Budget = Model.get('account.budget', config=config)
    Line = Model.get('account.budget.line', config=config)
    Account = Model.get('account.account', config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    fiscalyear, = FiscalYear.find([('start_date', '<=', today),
            ('end_date', '>=', today)], limit=1)
    accounts = {a.code: a for a in Account.find([('type', '!=', None)])}
    budget = Budget(name=f"Adopted Budget, {fiscalyear.name}",
        fiscalyear=fiscalyear)
    budget.save()
    for department, lines in BUDGET:
        top = Line(budget=budget, name=department)
        top.save()
        for code, amount in lines:
            if code in accounts:
                Line(budget=budget, parent=top, account=accounts[code],
                    amount=Decimal(amount)).save()
        Wizard('account.budget.line.create_periods', [top],
            config=config).execute('create_periods')
