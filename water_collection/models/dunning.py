# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The collections ladder on Tryton's dunning levels: each level says which
step of the district's ladder it is, so the guard knows when the
disconnect notice was given (HSC 116908(a)(1)(A)) and when a final notice
was posted at the premise (HSC 116910(b))."""
import datetime as dt
from collections import defaultdict
from dataclasses import replace

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import without_check_access

from .. import shutoff_rules
from .customer import holiday_dates

# Records handled at a time by the ladder and the penalty runs
SLICE = 200

STEPS = [
    (None, ""),
    ('late_notice', "Late Notice"),
    ('disconnect_notice', "Disconnect Notice"),
    ('phone', "Telephone Attempt"),
    ('door_notice', "Door Notice"),
    ('disconnect_order', "Disconnect Order"),
    ]


class Level(metaclass=PoolMeta):
    __name__ = 'account.dunning.level'

    collection_step = fields.Selection(
        STEPS, "Collections Step", sort=False,
        help="The step of the district's ladder this level is: the "
        "shut-off guard counts from the disconnect notice and the door "
        "notice.")


class Dunning(metaclass=PoolMeta):
    __name__ = 'account.dunning'

    @classmethod
    def process(cls, dunnings):
        """Log the ladder's steps the dunnings reach as they are processed.
        The dunnings of an account an arrangement in good standing protects
        are not processed: they stay in draft at the step they reached and
        give no notice, until the arrangement defaults (HSC 116910(b)) and
        the ladder resumes from that step."""
        pool = Pool()
        Arrangement = pool.get('water.collection.arrangement')
        Date = pool.get('ir.date')
        ServiceOrder = pool.get('water.service.order')
        # Asked of the arrangements (few), not of each dunning's line:
        # records browsed from one long list make the ORM quadratic
        with without_check_access():
            protected = Arrangement.protected_accounts(Date.today())
            held = set()
            for ids in grouped_slice([d.id for d in dunnings]
                    if protected else []):
                held.update(cls.search([
                            ('id', 'in', list(ids)),
                            ('line.water_account', 'in', list(protected)),
                            ]))
        dunnings = [d for d in dunnings if d not in held]
        reaching = [d.id for d in dunnings
            if not d.blocked and d.state == 'draft']
        super().process(dunnings)
        ordered = defaultdict(set)
        with without_check_access():
            # In slices: records browsed from one long list make Tryton's
            # ORM quadratic in its length
            for ids in grouped_slice(reaching, SLICE):
                for account, step, day in cls.log_notices(list(ids)):
                    if step == 'disconnect_order':
                        ordered[day].add(account)
            for day, accounts in ordered.items():
                ServiceOrder.request_turn_offs(accounts, day)

    @classmethod
    def log_notices(cls, ids):
        """Log the notices the dunnings `ids` gave, once processed; return
        the (account, step, day) they reached"""
        Notice = Pool().get('water.collection.notice')
        reached = [d for d in cls.browse(ids)
            if d.level.collection_step and d.line.water_account
            and d.state == 'waiting']
        told = {}
        for d in reached:
            key = (d.line.water_account, d.level.collection_step, d.date)
            if key not in told:
                told[key] = what_notice_says(*key)
        Notice.create([{
                    'account': d.line.water_account.id,
                    'step': d.level.collection_step,
                    'date': d.date,
                    'dunning': d.id,
                    'line': d.line.id,
                    'amount': told[key][0],
                    'deadline': told[key][1],
                    } for d in reached
                for key in [(d.line.water_account,
                        d.level.collection_step, d.date)]])
        return list(told)


def what_notice_says(account, step, date):
    """(the amount delinquent, the day by which payment or an arrangement
    avoids the shut-off) a notice of `step` given to `account` on `date`
    says: the day before the earliest lawful shut-off counted from this
    notice (None while a rule holds it back without a date)"""
    amount = account.past_due(date)
    if step not in {'disconnect_notice', 'door_notice'}:
        return amount, None
    facts = account.shutoff_facts(date)
    if facts is None:
        return amount, None
    if step == 'disconnect_notice':
        facts = replace(facts, notice_date=date)
    elif facts.arrangement_default_date:
        facts = replace(facts, final_notice_date=date)
    day, _ = shutoff_rules.earliest_shutoff(
        facts, date, holiday_dates(date))
    return amount, day - dt.timedelta(days=1) if day else None
