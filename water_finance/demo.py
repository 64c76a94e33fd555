# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo district's purchasing: its policy, and requisitions in every
queue of it, entered by their requesters through proteus: one approved
last week by Water Operations' superintendent, and waiting today for each
authority (Administration's manager, Water Operations' superintendent,
the General Manager, and the Board's next meeting)."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from trytond.tests.tools import set_user

from .district import setup_purchasing

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
