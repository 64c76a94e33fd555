# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The notices given to an account, one record a step reached: the day a
dunning reached a level of the ladder.  Tryton's dunning keeps only its
current level; the guard counts from the day the disconnect notice was
given and the day the door notice was posted, so those days are kept
here, and never changed.  A notice also keeps what its letter says: the
amount delinquent and the day by which payment or an arrangement avoids
the shut-off (HSC 116908(a)(1)(C)), as they were the day it was given,
and the mailing that sent it (written once, by the mailing)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction

from water_utility.models.report import account_language

from .. import notice_copies
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
    amount = fields.Numeric(
        "Amount Delinquent", digits=(16, 2), readonly=True,
        help="The account's past-due balance the day the notice was "
        "given, less its unapplied credits.")
    deadline = fields.Date(
        "Pay or Arrange By", readonly=True,
        help="The day before the earliest lawful shut-off the notice "
        "announced: payment or an arrangement by then avoids it.")
    mailing = fields.Many2One(
        'water.collection.mailing', "Mailing", readonly=True,
        ondelete='RESTRICT')
    contacts = fields.One2Many(
        'water.collection.contact', 'notice', "Calls and Postings",
        readonly=True,
        help="The telephone attempts made and the door notices posted for "
        "this notice.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def check_modification(cls, mode, notices, values=None, external=False):
        super().check_modification(
            mode, notices, values=values, external=external)
        if mode == 'write' and not external and set(values) == {'mailing'}:
            # the mailing that sends the notice, once
            if not any(n.mailing for n in notices):
                return
        if mode in {'write', 'delete'} or external:
            raise AccessError(gettext(
                    'water_collection.msg_notice_sealed',
                    notice=notices[0].rec_name))

    def get_rec_name(self, name):
        step = dict(STEPS)[self.step]
        return f'{step} {self.date} {self.account.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        "A notice is found by its account (its number or its holder)"
        return [('account.rec_name', *clause[1:])]

    @classmethod
    def last(cls, account, step, since=None):
        "The day `account` last reached `step` (on or after `since`)"
        domain = [('account', '=', account.id), ('step', '=', step)]
        if since:
            domain.append(('date', '>=', since))
        notices = cls.search(domain, limit=1)
        return notices[0].date if notices else None

    def premises(self):
        "The service addresses the notice is about"
        return self.account.notice_premises()

    def copies(self):
        "The copies of the notice's letter (notice_copies.copies)"
        account = self.account
        mailing = account.mailing_address
        return notice_copies.copies(
            self.step,
            notice_copies.Place(mailing.street, mailing.postal_code)
            if mailing else None,
            [notice_copies.Place(p.street, p.postal_code)
                for p in self.premises()],
            paperless=bool(account.paperless and account.email),
            third_party=bool(account.notice_contact
                and account.notice_contact_address))

    def recipient(self, copy):
        """(name, address) `copy` of the letter goes to: a party.address,
        unsaved for the service address"""
        account = self.account
        if copy.kind == notice_copies.HOLDER:
            return account.party.rec_name, account.mailing_address
        if copy.kind == notice_copies.THIRD_PARTY:
            return (account.notice_contact.rec_name,
                account.notice_contact_address)
        premise = self.premises()[copy.place]
        return None, premise.mailing_address()

    def presort_key(self, copy):
        _, address = self.recipient(copy)
        return notice_copies.presort_key(
            address.postal_code if address else '', self.account.number,
            copy)

    def email_copy(self, copy):
        """Email the holder's copy to the paperless account, its subject
        and body in the account's language; ir.email keeps it"""
        pool = Pool()
        Email = pool.get('ir.email')
        Letter = pool.get('water.collection.notice.letter', type='report')
        _, content, _, _ = Letter.execute([self.id], {
                'model': self.__name__, 'id': self.id, 'ids': [self.id],
                'copies': [notice_copies.entry(self.id, copy)],
                })
        account = self.account
        with Transaction().set_context(language=account_language(account)):
            subject = gettext(
                f'water_collection.msg_notice_email_subject_{self.step}',
                account=account.number)
            body = gettext('water_collection.msg_notice_email_body',
                account=account.number)
        Email.send(
            to=account.email, subject=subject, body=body,
            files=[(f'notice-{account.number}.pdf', content)],
            record=[self.__name__, self.id])
