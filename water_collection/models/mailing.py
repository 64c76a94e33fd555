# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A mailing of the notices the ladder gave: one letter an account,
with its copies (notice_copies): paper copies in one print file sorted by
ZIP code for the presort, paperless holders emailed their copy, the
pieces mailed logged for the postage reconciliation.  Door notices are
printed for the crew to post at the premise, not mailed.

Mailed, a mailing is sealed, and each notice names the mailing that sent
it: a notice is mailed once.  A letter printed again (the notice's Print)
leaves the mailing as it was."""
from collections import OrderedDict

import smtplib

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from sealing import SealedMixin
from water_utility.mailer import Mailer
from water_utility.models.printing import render

from .. import notice_copies
from ..exceptions import MailingError
from .dunning import STEPS

_draft = {'readonly': Eval('state') != 'draft'}
STEPS_SENT = [s for s in STEPS
    if s[0] in notice_copies.MAILED_STEPS | notice_copies.POSTED_STEPS]


class Mailing(SealedMixin, Workflow, ModelSQL, ModelView):
    "The notices of one step given on a day, printed and mailed"
    __name__ = 'water.collection.mailing'
    _sealed_states = frozenset({'mailed'})
    _sealed_message = 'water_collection.msg_mailing_sealed'
    _workflow_message = 'water_collection.msg_mailing_workflow'
    _workflow_fields = frozenset({
            'state', 'mailed_by', 'letters', 'pieces_mailed', 'emailed',
            'posted', 'print_file', 'print_file_name', 'postage_entry'})

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states=_draft)
    date = fields.Date(
        "Date", required=True, states=_draft,
        help="The day the notices were given: the mailing sends that "
        "day's notices not mailed yet.")
    step = fields.Selection(
        STEPS_SENT, "Notices", required=True, sort=False, states=_draft)
    notices = fields.One2Many(
        'water.collection.notice', 'mailing', "Notices", readonly=True)
    letters = fields.Integer("Letters", readonly=True)
    pieces_mailed = fields.Integer(
        "Pieces Mailed", readonly=True,
        help="The paper copies mailed: the postage reconciliation counts "
        "them on the mailing's day.")
    emailed = fields.Integer("Emailed", readonly=True)
    posted = fields.Integer(
        "To Post at Premises", readonly=True,
        help="Door notices printed for the field crew to post.")
    print_file = fields.Binary(
        "Print File", readonly=True, filename='print_file_name')
    print_file_name = fields.Char("Print File Name", readonly=True)
    postage_entry = fields.Many2One(
        'water.postage.entry', "Postage Log Entry", readonly=True,
        ondelete='RESTRICT')
    mailed_by = fields.Many2One(
        'res.user', "Mailed By", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('mailed', "Mailed"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'mailed')}
        cls._buttons.update({
                'mail': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_step():
        return 'disconnect_notice'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        step = dict(STEPS)[self.step] if self.step else ''
        date = self.date.strftime('%m/%d/%Y') if self.date else ''
        return f'{step} {date}'

    @classmethod
    @ModelView.button
    @Workflow.transition('mailed')
    def mail(cls, mailings):
        """Print and send the notices each mailing gathers; a mail server
        that refuses an email undoes the whole mailing.  The notices are
        the ladder's and the postage log finance's: the button writes
        them for the clerk."""
        with without_check_access():
            for mailing in mailings:
                mailing._mail()
            cls.save(mailings)

    def _mail(self):
        pool = Pool()
        Notice = pool.get('water.collection.notice')
        PostageEntry = pool.get('water.postage.entry')
        notices = self.gather()
        Notice.write(notices, {'mailing': self.id})
        letters = OrderedDict()
        for notice in notices:
            # an account's latest notice speaks for it
            letters[notice.account] = notice
        paper, email = [], []
        for notice in letters.values():
            for copy in notice.copies():
                (email if copy.email else paper).append((notice, copy))
        paper.sort(key=lambda c: c[0].presort_key(c[1]))
        if paper:
            self.print_file = render_copies(paper)
            self.print_file_name = f'{self.step}-{self.date}.pdf'
        self._email(email)
        self.letters = len(letters)
        self.emailed = len(email)
        posted = self.step in notice_copies.POSTED_STEPS
        self.posted = len(paper) if posted else 0
        self.pieces_mailed = 0 if posted else len(paper)
        if self.pieces_mailed:
            self.postage_entry, = PostageEntry.create([{
                        'company': self.company.id,
                        'date': self.date,
                        'kind': 'pieces',
                        'pieces': self.pieces_mailed,
                        'description': self.rec_name,
                        }])
        self.mailed_by = Transaction().user

    def gather(self):
        """The notices of the mailing's step given on its day, not mailed:
        their letters print that day and count the days from it"""
        Notice = Pool().get('water.collection.notice')
        notices = Notice.search([
                ('step', '=', self.step),
                ('date', '=', self.date),
                ('mailing', '=', None),
                ('account.company', '=', self.company.id),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if not notices:
            raise MailingError(gettext(
                    'water_collection.msg_mailing_empty',
                    mailing=self.rec_name))
        return notices

    def _email(self, copies):
        "Email each paperless holder their copy; all sent, or none kept"
        if not copies:
            return
        mailer = Mailer.joined()
        for notice, copy in copies:
            notice.email_copy(copy)
        try:
            mailer.flush()
        except (OSError, smtplib.SMTPException) as error:
            raise MailingError(gettext(
                    'water_collection.msg_mailing_email_failed',
                    mailing=self.rec_name,
                    error=str(error) or type(error).__name__)) from error


def render_copies(copies):
    """One PDF of the (notice, copy) letters, in their order, on every core
    as a bill run's print file is"""
    return render('water.collection.notice.letter',
        'water.collection.notice',
        [notice_copies.entry(n.id, c) for n, c in copies],
        key='copies')
