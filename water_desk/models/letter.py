# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Letters to customers, written from the district's templates.

A template (one per kind of letter and language: English and Spanish
are shipped) is HTML with merge fields, checked when saved
(letter_merge).  A letter takes the template of its kind in the
account's language, merged with the account's values; the clerk edits
the text, then sends it: printed on the letterhead with the address in
the window of a #10 envelope, or emailed with the PDF.  Sent, the letter
is sealed and its PDF is kept on it: the account's copy."""
import smtplib

from genshi.input import HTML

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from sealing import SealedMixin
from water_utility import usage as usage_arithmetic
from water_utility.mailer import Mailer
from water_utility.models.report import (
    CustomerReport, account_language)

from .. import letter_merge
from ..exceptions import LetterError
from .message import _now

KINDS = [
    ('welcome', "Welcome / New Service"),
    ('high_usage', "High Usage"),
    ('leak_found', "Leak Found"),
    ('deposit_refund', "Deposit Refund"),
    ('returned_check', "Returned Check"),
    ('arrangement', "Payment Arrangement Confirmation"),
    ('complaint_response', "Complaint Response"),
    ('general', "General"),
    ]
_draft = {'readonly': Eval('state') != 'draft'}


class LetterTemplate(DeactivableMixin, ModelSQL, ModelView):
    "Letter template"
    __name__ = 'water.desk.letter.template'

    name = fields.Char("Name", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    lang = fields.Many2One('ir.lang', "Language", required=True,
        ondelete='RESTRICT')
    subject = fields.Char("Subject", required=True)
    body = fields.Text("Body", required=True,
        help="HTML paragraphs with merge fields written {{ name }}.")
    merge_fields = fields.Function(fields.Text("Merge Fields"),
        'get_merge_fields')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('kind', 'ASC'), ('lang', 'ASC'), ('id', 'ASC')]

    def get_merge_fields(self, name):
        return '\n'.join(f'{{{{ {n} }}}}: {d}'
            for n, d in letter_merge.FIELDS.items())

    @classmethod
    def validate_fields(cls, templates, field_names):
        super().validate_fields(templates, field_names)
        if field_names & {'subject', 'body'}:
            for template in templates:
                check_text(template.subject, template.body,
                    template.rec_name)

    @classmethod
    def for_kind(cls, kind, lang_code):
        """The active template of `kind` in the language `lang_code`, else
        in the district's language"""
        pool = Pool()
        Configuration = pool.get('ir.configuration')
        for code in [lang_code, Configuration.get_language()]:
            templates = cls.search([
                    ('kind', '=', kind), ('lang.code', '=', code),
                    ], limit=1)
            if templates:
                return templates[0]


def check_text(subject, body, name):
    "Refuse unknown merge fields and refused markup, naming them"
    if unknown := letter_merge.unknown_fields(
            (subject or '') + '\n' + (body or '')):
        raise LetterError(gettext('water_desk.msg_letter_unknown_field',
                template=name, fields=', '.join(unknown)))
    if refused := letter_merge.refused_markup(body):
        raise LetterError(gettext('water_desk.msg_letter_markup',
                template=name, markup=', '.join(refused)))


class Letter(SealedMixin, Workflow, ModelSQL, ModelView):
    "Letter to a customer"
    __name__ = 'water.desk.letter'
    _rec_name = 'subject'
    _sealed_states = frozenset({'sent', 'cancelled'})
    _sealed_message = 'water_desk.msg_letter_sealed'
    _workflow_message = 'water_desk.msg_letter_workflow'
    _workflow_fields = frozenset({
            'state', 'written_by', 'sent_by', 'sent_at', 'date',
            'email_to'})

    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT', states=_draft)
    account = fields.Many2One('water.account', "Account", required=True,
        ondelete='RESTRICT', states=_draft)
    complaint = fields.Many2One('water.desk.complaint', "Complaint",
        ondelete='RESTRICT', states=_draft,
        domain=[('account', '=', Eval('account', -1))])
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        states=_draft)
    template = fields.Many2One('water.desk.letter.template', "Template",
        ondelete='RESTRICT', states=_draft,
        domain=[('kind', '=', Eval('kind'))])
    lang = fields.Many2One('ir.lang', "Language", required=True,
        ondelete='RESTRICT', states=_draft)
    amount = fields.Numeric("Amount", digits=(16, 2), states=_draft,
        help="The amount the letter speaks of, if any: {{ amount }}.")
    reference = fields.Char("Reference", states=_draft,
        help="A check number, a date, an agreement: {{ reference }}.")
    subject = fields.Char("Subject", required=True, states=_draft)
    body = fields.Text("Text", required=True, states=_draft)
    method = fields.Selection([
            ('mail', "Mail"),
            ('email', "Email"),
            ], "Send By", required=True, states=_draft)
    written_by = fields.Many2One('res.user', "Written By", readonly=True,
        ondelete='RESTRICT')
    sent_by = fields.Many2One('res.user', "Sent By", readonly=True,
        ondelete='RESTRICT')
    sent_at = fields.Timestamp("Sent At", readonly=True)
    date = fields.Date("Date", readonly=True,
        help="The date the letter was sent, printed on it.")
    email_to = fields.Char("Emailed To", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('sent', "Sent"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'sent'), ('draft', 'cancelled')}
        draft = Eval('state') != 'draft'
        cls._buttons.update({
                'fill': {'invisible': draft, 'depends': ['state']},
                'send': {'invisible': draft, 'depends': ['state']},
                'cancel': {'invisible': draft, 'depends': ['state']},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_method(cls):
        return 'mail'

    @classmethod
    def default_kind(cls):
        return 'general'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['written_by'] = Transaction().user
        return values

    @classmethod
    def _check_created_defaults(cls, records):
        for record in records:
            forged = {n for n in cls._workflow_fields
                - {'state', 'written_by'} if getattr(record, n)}
            if record.state != 'draft':
                forged.add('state')
            if forged:
                cls._raise_workflow(record, forged)

    @fields.depends('account', 'lang', 'method',
        methods=['on_change_kind'])
    def on_change_account(self):
        "The account's language and way of sending, its text written anew"
        if self.account:
            Lang = Pool().get('ir.lang')
            self.lang = Lang.get(account_language(self.account))
            self.method = 'email' if self.account.paperless else 'mail'
            self.on_change_kind()

    @fields.depends('kind', 'lang', 'account',
        methods=['on_change_template'])
    def on_change_kind(self):
        if self.kind:
            Template = Pool().get('water.desk.letter.template')
            lang = (self.lang.code if self.lang
                else account_language(self.account))
            self.template = Template.for_kind(self.kind, lang)
            self.on_change_template()

    @fields.depends('template', 'account', 'complaint', 'amount',
        'reference', 'subject', 'body', 'company', 'lang')
    def on_change_template(self):
        if self.template:
            self.subject = self.template.subject
            self.body = self.template.body
            if self.account:
                self._merge()

    def _merge(self, final=False):
        """Merge the account's values into the text; the clerk's own
        fields (amount, reference) stay to merge until they have a value,
        and a letter is not sent without them"""
        values = letter_values(self)
        keep = () if final else letter_merge.CLERK_FIELDS
        if final:
            if missing := letter_merge.missing_fields(
                    self.subject + '\n' + self.body, values):
                raise LetterError(gettext('water_desk.msg_letter_missing',
                        letter=self.rec_name, fields=', '.join(missing)))
        self.subject = letter_merge.merge(self.subject, values, keep)
        self.body = letter_merge.merge(self.body, values, keep)

    def check_letter(self):
        "Refuse the letter's unknown merge fields and markup, naming them"
        check_text(self.subject, self.body, self.rec_name)

    @classmethod
    def validate_fields(cls, letters, field_names):
        super().validate_fields(letters, field_names)
        if field_names & {'subject', 'body'}:
            for letter in letters:
                if letter.state == 'draft':
                    letter.check_letter()

    @classmethod
    @ModelView.button
    def fill(cls, letters):
        "Write each letter's text again from its template"
        for letter in letters:
            if not letter.template:
                raise LetterError(gettext('water_desk.msg_letter_template',
                        letter=letter.rec_name))
            letter.on_change_template()
        cls.save(letters)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, letters):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('sent')
    def send(cls, letters):
        """Send the letters, each merged once more, its PDF kept on it and,
        by email, sent with it: all or none"""
        for letter in letters:
            letter.check_letter()
            letter._merge(final=True)
            if letter.method == 'email':
                letter.email_to = letter.email_address()
                if not letter.email_to:
                    raise LetterError(gettext(
                            'water_desk.msg_letter_email_address',
                            letter=letter.rec_name,
                            account=letter.account.rec_name))
            letter.sent_by = Transaction().user
            letter.sent_at = _now()
            letter.date = Pool().get('ir.date').today()
        cls.save(letters)
        mailer = Mailer.joined()
        keep_copies(letters)
        try:
            mailer.flush()
        except (OSError, smtplib.SMTPException) as error:
            raise LetterError(gettext('water_desk.msg_letter_email_failed',
                    error=str(error) or type(error).__name__)) from error

    def email_address(self):
        "The account's billing email, else its customer's"
        return self.account.desk_email()


def keep_copies(letters):
    """Render the letters' PDF, keep each on its letter as an attachment
    and email those sent by email"""
    pool = Pool()
    Attachment = pool.get('ir.attachment')
    Email = pool.get('ir.email')
    Report = pool.get('water.desk.letter.report', type='report')
    attachments = []
    for letter in letters:
        _, content, _, _ = Report.execute([letter.id], {
                'model': letter.__name__, 'id': letter.id,
                'ids': [letter.id]})
        name = f'letter-{letter.account.number}-{letter.id}.pdf'
        attachments.append(Attachment(resource=letter, name=name,
                type='data', data=content))
        if letter.method == 'email':
            Email.send(to=letter.email_to, subject=letter.subject,
                body=letter.body,
                files=[(name, content)], record=[letter.__name__, letter.id])
    Attachment.save(attachments)


def letter_values(letter):
    "The merge fields' values for `letter`, as its text prints them"
    pool = Pool()
    Bill = pool.get('water.bill')
    Configuration = pool.get('water.configuration')
    Date = pool.get('ir.date')
    User = pool.get('res.user')
    Lang = pool.get('ir.lang')
    Report = pool.get('water.desk.letter.report', type='report')
    account = letter.account
    # amounts and dates as American customers write them, whatever the
    # letter's language (as the bills print them)
    english = Lang.get('en')
    money = lambda v: '' if v is None else '$' + Report.format_number(
        v, english, 2)
    date = lambda d: d.strftime('%m/%d/%Y') if d else ''
    bills = Bill.search([('account', '=', account.id),
            ('state', '=', 'posted')],
        order=[('run.bill_date', 'DESC'), ('id', 'DESC')], limit=1)
    bill = bills[0] if bills else None
    usage = sum((p.usage or 0) for p in bill.periods) if bill else None
    complaint = letter.complaint
    services = [s for s in account.services if s.state == 'active'] or list(
        account.services)
    premise = (complaint.premise if complaint and complaint.premise
        else services[0].premise if services else None)
    company = letter.company or account.company
    unit = Configuration(1).billing_unit
    return {
        'today': date(Date.today()),
        'account_number': account.number,
        'customer_name': account.party.rec_name,
        'service_address': ', '.join(p for p in [
                premise.street, premise.city] if p) if premise else '',
        'balance': money(account.balance),
        'last_bill_date': date(bill.run.bill_date) if bill else '',
        'last_bill_amount': money(bill.total) if bill else '',
        'last_usage': (Report.format_number(usage, english, 0)
            if usage is not None else ''),
        'usage_unit': usage_arithmetic.UNIT_SYMBOLS[unit],
        'amount': money(letter.amount),
        'reference': letter.reference or '',
        'complaint_subject': complaint.subject if complaint else '',
        'complaint_received': date(complaint.local_date('received_at'))
        if complaint else '',
        'complaint_resolution': (complaint.resolution or '')
        if complaint else '',
        'district_name': company.party.rec_name if company else '',
        'district_phone': (company.party.phone or '') if company else '',
        'clerk_name': User(Transaction().user).name or '',
        }


class LetterReport(CustomerReport):
    "A letter on the letterhead, its address in the envelope's window"
    __name__ = 'water.desk.letter.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['today'] = Pool().get('ir.date').today()
        # the letter's text, checked markup, as the page's own elements
        context['markup'] = lambda text: HTML(text or '')
        return context
