# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The collections ladder on Tryton's dunning levels: each level says which
step of the district's ladder it is, so the guard knows when the
disconnect notice was given (HSC 116908(a)(1)(A)) and when a final notice
was posted at the premise (HSC 116910(b))."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

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
        "Log the ladder's steps the dunnings reach as they are processed"
        pool = Pool()
        Notice = pool.get('water.collection.notice')
        reaching = [d for d in dunnings
            if not d.blocked and d.state == 'draft']
        super().process(dunnings)
        with without_check_access():
            Notice.create([{
                        'account': d.line.water_account.id,
                        'step': d.level.collection_step,
                        'date': d.date,
                        'dunning': d.id,
                        'line': d.line.id,
                        } for d in cls.browse(reaching)
                    if d.level.collection_step and d.line.water_account
                    and d.state == 'waiting'])
