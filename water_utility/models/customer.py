# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .account import apply_credits
from .mixins import NumberedMixin, rec_name_domain

ROLES = [
    ('tenant', "Tenant"),
    ('owner', "Owner"),
    ('manager', "Property Manager"),
    ]


class CustomerAccount(
        NumberedMixin, DeactivableMixin, ModelSQL, ModelView):
    """Customer account: who is billed for services, and where bills go.

    The account moves with the customer; the premise and its meters stay."""
    __name__ = 'water.account'
    _number_sequence = 'account_sequence'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends=['company'])
    role = fields.Selection(ROLES, "Role", required=True,
        help="The customer's relation to the premises served.")
    mailing_address = fields.Many2One(
        'party.address', "Mailing Address", required=True,
        ondelete='RESTRICT',
        domain=[('party', '=', Eval('party', -1))],
        help="Where bills and notices are mailed; "
        "may differ from the service address.")
    lang = fields.Many2One(
        'ir.lang', "Notice Language",
        domain=[('translatable', '=', True)],
        help="Language of bills and notices.")
    paperless = fields.Boolean(
        "Paperless", help="Send bills and notices by email instead of mail.")
    email = fields.Char(
        "Billing Email",
        states={'required': Bool(Eval('paperless'))})
    notice_contact = fields.Many2One(
        'party.party', "Third-Party Notice Contact", ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends=['company'],
        help="Someone the customer named to receive copies of late and "
        "disconnect notices.")
    notice_contact_address = fields.Many2One(
        'party.address', "Notice Contact Address", ondelete='RESTRICT',
        domain=[('party', '=', Eval('notice_contact', -1))],
        states={'required': Bool(Eval('notice_contact'))})
    services = fields.One2Many(
        'water.service', 'account', "Services", readonly=True,
        order=[('start_date', 'DESC'), ('id', 'DESC')])
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    balance = fields.Function(
        Monetary("Balance", currency='currency', digits='currency',
            help="Receivable balance of the account in the ledger "
            "(posted entries)."),
        'get_balance')
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.number),
                'water_utility.msg_account_number_unique'),
            ]
        cls._order = [('number', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'apply_credits': {
                    'readonly': Eval('balance', 0) == 0,
                    'depends': ['balance'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    @ModelView.button
    def apply_credits(cls, accounts):
        """Apply the accounts' credits (overpayments, credit adjustments)
        to their open bills, oldest first: what a bill run does as it
        posts"""
        apply_credits(accounts)

    @classmethod
    def default_role(cls):
        return 'tenant'

    @classmethod
    def default_paperless(cls):
        return False

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('party', 'mailing_address', 'lang', 'email')
    def on_change_party(self):
        if self.party:
            if not self.mailing_address:
                self.mailing_address = self.party.address_get()
            if not self.lang:
                self.lang = self.party.lang
            if not self.email:
                self.email = self.party.email

    def customer_invoice(self, company, invoice_date, description,
            payment_term):
        """An unsaved customer invoice to the account, without lines: its
        party at the mailing address (the party's invoice address when
        the mailing address is another party's), on the revenue journal
        and the party's receivable"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Journal = pool.get('account.journal')
        party = self.party
        address = self.mailing_address
        if not address or address.party != party:
            address = party.address_get(type='invoice')
        invoice = Invoice(
            company=company, type='out', party=party,
            invoice_address=address,
            party_tax_identifier=party.tax_identifier,
            currency=company.currency, invoice_date=invoice_date,
            journal=Journal.find({'type': 'revenue'}),
            account=party.account_receivable_used,
            payment_term=payment_term, water_account=self,
            description=description)
        invoice._update_account()
        return invoice

    def get_rec_name(self, name):
        return f'{self.number} {self.party.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, 'number', 'party',
            'services.premise.street', 'party.contact_mechanisms.value',
            'party.contact_mechanisms.value_compact')

    @classmethod
    def get_balance(cls, accounts, name):
        "Sum the posted receivable lines tagged with each account."
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        line = Line.__table__()
        move = Move.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        cursor = Transaction().connection.cursor()

        balances = defaultdict(Decimal)
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .select(
                line.water_account,
                Sum(Coalesce(line.debit, 0) - Coalesce(line.credit, 0)),
                where=fields.SQL_OPERATORS['in'](
                    line.water_account, [a.id for a in accounts])
                & (type_.receivable == True)  # noqa: E712
                & (move.state == 'posted'),
                group_by=line.water_account))
        for account_id, balance in cursor:
            if not isinstance(balance, Decimal):
                balance = Decimal(str(balance))
            balances[account_id] = balance
        # abs of a zero: SQLite sums floats, and an account paid exactly
        # summed to -0.00 once rounded
        return {
            a.id: unsigned_zero(a.currency.round(balances[a.id])
                if a.currency else balances[a.id])
            for a in accounts}


def unsigned_zero(amount):
    "`amount`, a zero without its sign"
    return amount if amount else abs(amount)
