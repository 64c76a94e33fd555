# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The notices given to an account, one record a step reached: the day a
dunning reached a level of the ladder.  Tryton's dunning keeps only its
current level; the guard counts from the day the disconnect notice was
given and the day the door notice was posted, so those days are kept
here, and never changed."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError

from .dunning import STEPS


class Notice(ModelSQL, ModelView):
    "A step of the collections ladder reached by an account's bill"
    __name__ = 'water.collection.notice'

    account = fields.Many2One(
        'water.account', "Account", required=True, readonly=True,
        ondelete='RESTRICT')
    step = fields.Selection(
        [s for s in STEPS if s[0]], "Step", required=True, readonly=True,
        sort=False)
    date = fields.Date("Date", required=True, readonly=True)
    dunning = fields.Many2One(
        'account.dunning', "Dunning", readonly=True, ondelete='SET NULL')
    line = fields.Many2One(
        'account.move.line', "Bill Line", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def check_modification(cls, mode, notices, values=None, external=False):
        super().check_modification(
            mode, notices, values=values, external=external)
        if mode in {'write', 'delete'} or external:
            raise AccessError(gettext(
                    'water_collection.msg_notice_sealed',
                    notice=notices[0].rec_name))

    def get_rec_name(self, name):
        step = dict(STEPS)[self.step]
        return f'{step} {self.date} {self.account.rec_name}'

    @classmethod
    def last(cls, account, step, since=None):
        "The day `account` last reached `step` (on or after `since`)"
        domain = [('account', '=', account.id), ('step', '=', step)]
        if since:
            domain.append(('date', '>=', since))
        notices = cls.search(domain, limit=1)
        return notices[0].date if notices else None
