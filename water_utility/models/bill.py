# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Bills: one per account in a run, its service periods, charge lines and
the services held back, and the customer invoice it posts as."""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Max, Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .. import usage as usage_arithmetic
from ..exceptions import BillRunError
from .account import apply_credits
from .bulk import as_cents, update_rows
from .ledger import post_invoices
from .mixins import Computed, Sealed
from .report import account_language


HOLD_REASONS = [
    ('exception', "Open Read Exception"),
    ('no_read', "No Read"),
    ('no_final_read', "Stopped Without Final Read"),
    ('no_rate', "No Rate Schedule"),
    ('rate_error', "Rate Cannot Be Applied"),
    ('other_run', "In Another Run"),
    ]


def charge_terms(kind, basis, tier, floor, limit, quantity, unit):
    """How a charge line reads to the customer, the bill and its invoice
    line alike: 'units' (a uniform rate), 'first', 'next' or 'over' (a
    tier by its limits on the line's days), 'day' (a price a day),
    'month' or 'months', 'period' or 'periods' (a fixed charge on its
    days, in full or prorated), None for a minimum charge's top-up.
    `tier` is None for a component of a single tier."""
    if unit == 'unit':
        if not tier:
            return 'units'
        if limit is None:
            return 'over'
        return 'next' if floor else 'first'
    if unit == 'day':
        return 'day'
    if kind == 'minimum':
        return None
    if basis == 'month':
        return 'month' if quantity == 1 else 'months'
    return 'period' if quantity == 1 else 'periods'


def usage_text(value):
    "A usage as printed: whole units without decimals, else two"
    return f'{value:,.0f}' if value == value.to_integral_value() else (
        f'{value:,.2f}')


def price_text(value):
    "A price as printed: to the cent, else to the hundredth of a cent"
    return f'${value:,.2f}' if value == value.quantize(Decimal('0.01')) else (
        f'${value:,.4f}')


def count_text(value):
    "A count of months or periods as printed: 1.5, 0.1667, 2"
    value = value.normalize()
    return f'{value:,.{max(-value.as_tuple().exponent, 0)}f}'


class Bill(Computed, Sealed, Workflow, ModelSQL, ModelView):
    "One account's bill in a run, and the customer invoice it posts as"
    __name__ = 'water.bill'
    _sealed_message = 'water_utility.msg_bill_posted'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE',
        readonly=True)
    account = fields.Many2One(
        'water.account', "Account", required=True, ondelete='RESTRICT',
        readonly=True)
    periods = fields.One2Many(
        'water.bill.period', 'bill', "Services", readonly=True)
    charges = fields.One2Many(
        'water.bill.charge', 'bill', "Other Charges", readonly=True,
        help="Charges posted since the previous bill that print on lines "
        "of their own.")
    lines = fields.Function(
        fields.Many2Many('water.bill.line', None, None, "Charges"),
        'get_lines')
    total = fields.Function(
        fields.Numeric("Current Charges", digits=(16, 2)), 'get_total')
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')
    due_date = fields.Function(fields.Date("Due Date"), 'get_due_date')
    previous_balance = fields.Numeric(
        "Previous Balance", digits=(16, 2), readonly=True,
        help="The amount due on the account's previous bill.")
    payments = fields.Numeric(
        "Payments and Adjustments", digits=(16, 2), readonly=True,
        help="Posted to the account since its previous bill, but for the "
        "other charges; payments are negative.")
    amount_due = fields.Numeric(
        "Amount Due", digits=(16, 2), readonly=True,
        help="The account's balance with this bill, as printed on it.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
        t = cls.__table__()
        cls._sql_constraints += [
            ('run_account_unique', Unique(t, t.run, t.account),
                'water_utility.msg_bill_run_account_unique'),
            ]
        cls._transitions |= {('draft', 'posted')}
        # The latest run's bills first
        cls._order = [('run', 'DESC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_lines(self, name):
        return [l.id for p in self.periods for l in p.lines]

    def email_bill(self):
        """Email the bill's PDF to the paperless account, in the account's
        language with the bill's formats; ir.email keeps it"""
        pool = Pool()
        Email = pool.get('ir.email')
        Lang = pool.get('ir.lang')
        BillReport = pool.get('water.bill.report', type='report')
        _, content, _, _ = BillReport.execute([self.id], {
                'model': 'water.bill', 'id': self.id, 'ids': [self.id]})
        formats = Lang.get(BillReport._number_lang)
        amount = formats.format_number(self.amount_due or 0, 2)
        due_date = formats.strftime(self.due_date) if self.due_date else ''
        with Transaction().set_context(
                language=account_language(self.account)):
            subject = gettext('water_utility.msg_bill_email_subject',
                account=self.account.number)
            body = gettext('water_utility.msg_bill_email_body',
                amount=amount, due_date=due_date)
        Email.send(
            to=self.account.email, subject=subject, body=body,
            files=[(f'bill-{self.account.number}.pdf', content)],
            record=[self.__name__, self.id])

    def get_due_date(self, name):
        if self.invoice:
            dates = [l.maturity_date for l in self.invoice.lines_to_pay
                if l.maturity_date]
            return min(dates) if dates else None

    def get_total(self, name):
        return sum((l.amount for l in self.lines), Decimal(0))

    def get_rec_name(self, name):
        return f'{self.run.rec_name} / {self.account.rec_name}'

    def get_invoice(self):
        "Return the unsaved customer invoice of the bill"
        invoice, = self.get_invoices([self])
        return invoice

    @classmethod
    def get_invoices(cls, bills):
        """Return the unsaved customer invoices of `bills`, one line per
        charge, built with what the records share read once"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Journal = pool.get('account.journal')
        Line = pool.get('water.bill.line')
        Configuration = pool.get('water.configuration')
        configuration = Configuration(1)
        charges = defaultdict(list)
        for sub_bills in map(list, grouped_slice(bills, 1000)):
            for line in Line.search([
                        ('period.bill', 'in', [b.id for b in sub_bills]),
                        ], order=[('period', 'ASC'), ('sequence', 'ASC'),
                        ('id', 'ASC')]):
                charges[line.period.bill.id].append(line)
        journals, parties, products = {}, {}, {}
        invoices = []
        for bill in bills:
            account = bill.account
            company = account.company
            party = account.party
            if company.id not in journals:
                journals[company.id] = Journal.find({'type': 'revenue'})
            if party.id not in parties:
                address = account.mailing_address
                if not address or address.party != party:
                    address = party.address_get(type='invoice')
                parties[party.id] = (
                    address, party.tax_identifier,
                    party.account_receivable_used)
            address, tax_identifier, receivable = parties[party.id]
            invoice = Invoice(
                company=company, type='out', party=party,
                invoice_address=address,
                party_tax_identifier=tax_identifier,
                currency=company.currency,
                invoice_date=bill.run.bill_date,
                journal=journals[company.id],
                account=receivable,
                payment_term=configuration.payment_term,
                water_account=account,
                description=bill.run.rec_name)
            invoice._update_account()
            lines = []
            for line in charges[bill.id]:
                product = line.component.product
                if product.id not in products:
                    products[product.id] = product.account_revenue_used
                lines.append(InvoiceLine(
                        type='line', company=company,
                        currency=company.currency,
                        product=product, unit=product.default_uom,
                        account=products[product.id],
                        quantity=1, unit_price=line.amount,
                        description=line.description, taxes=[],
                        origin=line))
            invoice.lines = lines
            invoices.append(invoice)
        return invoices

    @classmethod
    @Workflow.transition('posted')
    def post(cls, bills):
        """Post the bills' invoices and move their services' billed-through
        dates, a statement a table"""
        pool = Pool()
        Charge = pool.get('water.bill.charge')
        Period = pool.get('water.bill.period')
        Service = pool.get('water.service')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        period = Period.__table__()
        service = Service.__table__()
        bill_ids = [b.id for b in bills]
        # Another run may have billed some of the days since calculating.
        for sub_ids in map(list, grouped_slice(bill_ids, 1000)):
            cursor.execute(*period.join(service,
                    condition=period.service == service.id).select(
                    period.bill, period.service,
                    where=reduce_ids(period.bill, sub_ids)
                    & (Coalesce(service.billed_through, service.start_date)
                        != period.start_date),
                    limit=1))
            row = cursor.fetchone()
            if row:
                raise BillRunError(gettext(
                        'water_utility.msg_bill_period_billed',
                        service=Service(row[1]).rec_name,
                        bill=cls(row[0]).rec_name))
        charges = cls._itemized_charges(bills)
        balances = cls._balances(bills, charges)
        invoice_ids = post_invoices(cls.get_invoices(bills))
        Charge.record(charges)

        update_rows(cls, ['invoice', 'previous_balance', 'payments',
                'amount_due'],
            [[invoice_id, *balances[b.id], b.id]
                for b, invoice_id in zip(bills, invoice_ids)])
        periods = []
        for sub_ids in map(list, grouped_slice(bill_ids, 1000)):
            cursor.execute(*period.select(
                    period.service, period.end_date, period.final,
                    where=reduce_ids(period.bill, sub_ids)))
            periods.extend(cursor)
        update_rows(Service, ['billed_through'],
            [[end, service_id] for service_id, end, _ in periods])
        # A final bill is the service's last.
        update_rows(Service, ['final_bill'],
            [[False, service_id] for service_id, _, final in periods
                if final])
        # An overpayment or a credit adjustment pays the next bill.
        apply_credits(list({b.account for b in bills}))

    @classmethod
    def _itemized_charges(cls, bills):
        """{bill: [(invoice, date, description, amount)]}: the posted
        invoices of each bill's account, since its previous bill, that the
        bill prints on lines of their own rather than among the payments
        and adjustments.  None here: the modules that charge (collections'
        late charges and reconnection fees) add theirs."""
        return {}

    @classmethod
    def bill_schedules(cls, bills):
        """{bill id: [(label, amount)]}: what a schedule the customer
        agreed to (a payment arrangement's installments) asks of each bill
        besides its current charges, in the language of the transaction.
        None here: collections adds the installments."""
        return {}

    @classmethod
    def _balances(cls, bills, charges=None):
        """Snapshot what each bill prints from the ledger, before its own
        invoice posts, so that a reprint shows the same figures: the
        previous bill's amount due, payments and adjustments since (the
        itemized `charges` apart), the amount due with this bill"""
        pool = Pool()
        Account = pool.get('water.account')
        Line = pool.get('water.bill.line')
        Period = pool.get('water.bill.period')
        cursor = Transaction().connection.cursor()
        bill = cls.__table__()
        line = Line.__table__()
        period = Period.__table__()
        accounts = list({b.account for b in bills})
        balances = Account.get_balance(accounts, 'balance')
        previous, totals = {}, defaultdict(Decimal)
        account_ids = [a.id for a in accounts]
        for sub_ids in map(list, grouped_slice(account_ids, 1000)):
            latest = bill.select(Max(bill.id),
                where=reduce_ids(bill.account, sub_ids)
                & (bill.state == 'posted'),
                group_by=bill.account)
            cursor.execute(*bill.select(bill.account, bill.amount_due,
                    where=bill.id.in_(latest)))
            for account_id, amount_due in cursor:
                previous[account_id] = as_cents(amount_due)
        for sub_ids in map(list, grouped_slice([b.id for b in bills], 1000)):
            cursor.execute(*line.join(period,
                    condition=line.period == period.id).select(
                    period.bill, Sum(line.amount),
                    where=reduce_ids(period.bill, sub_ids),
                    group_by=period.bill))
            for bill_id, total in cursor:
                totals[bill_id] = as_cents(total)
        charges = charges or {}
        result = {}
        for b in bills:
            balance = balances[b.account.id]
            previous_balance = previous.get(b.account.id, Decimal('0.00'))
            other = sum((c[3] for c in charges.get(b, [])), Decimal(0))
            result[b.id] = (previous_balance,
                balance - previous_balance - other, balance + totals[b.id])
        return result


class BillPeriod(Computed, ModelSQL, ModelView):
    "The days, reads and usage of one service on a bill"
    __name__ = 'water.bill.period'

    bill = fields.Many2One(
        'water.bill', "Bill", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='RESTRICT')
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True,
        help="The day of the current read; not billed in this period.")
    days = fields.Function(fields.Integer("Days"), 'get_days')
    previous_read_date = fields.Date("Previous Read Date")
    previous_read = fields.Numeric("Previous Read", digits=(16, 2))
    current_read_date = fields.Date("Current Read Date")
    current_read = fields.Numeric("Current Read", digits=(16, 2))
    current_reading = fields.Many2One(
        'water.meter.reading', "Current Read Record", ondelete='RESTRICT')
    usage = fields.Numeric("Usage", digits=(16, 2),
        help="In the district's billing unit.")
    lines = fields.One2Many('water.bill.line', 'period', "Charges",
        readonly=True)
    estimated = fields.Boolean("Estimated")
    first = fields.Boolean("First Bill")
    final = fields.Boolean("Final Bill")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('bill')
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_start_unique', Unique(t, t.service, t.start_date),
                'water_utility.msg_bill_period_unique'),
            ]

    def get_days(self, name):
        return (self.end_date - self.start_date).days

    def get_rec_name(self, name):
        return (f'{self.service.rec_name} '
            f'{self.start_date} - {self.end_date}')


class BillLine(Computed, ModelSQL, ModelView):
    "One charge of a bill: a rate component, and its tier, on some days"
    __name__ = 'water.bill.line'

    bill = fields.Function(
        fields.Many2One('water.bill', "Bill"), 'get_bill',
        searcher='search_bill')
    period = fields.Many2One(
        'water.bill.period', "Service Period", required=True,
        ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='RESTRICT')
    sequence = fields.Integer("Sequence")
    component = fields.Many2One(
        'water.rate.component', "Rate Component", required=True,
        ondelete='RESTRICT')
    tier = fields.Integer("Tier")
    tier_floor = fields.Numeric("Tier Over", digits=(16, 2),
        help="The tier's lower limit on these days, in billing units.")
    tier_limit = fields.Numeric("Tier Up To", digits=(16, 2),
        help="The tier's upper limit on these days, in billing units, "
        "scaled to the days and dwelling units; empty for the last tier.")
    start_date = fields.Date("From", required=True)
    end_date = fields.Date("To", required=True)
    quantity = fields.Numeric("Quantity", digits=(16, 4), required=True)
    unit = fields.Selection([
            ('unit', "Billing Units"),
            ('day', "Days"),
            ('period', "Periods"),
            ], "Unit", required=True)
    unit_price = fields.Numeric("Price", digits=(16, 4), required=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    description = fields.Function(fields.Char("Description"),
        'get_description')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('period')
        cls._order = [('period', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')]

    def get_bill(self, name):
        return self.period.bill.id

    @classmethod
    def search_bill(cls, name, clause):
        return [('period.bill' + clause[0][len(name):], *clause[1:])]

    @classmethod
    def get_description(cls, lines, name):
        """The line as its invoice line says it, the component named and
        its rate worded in the language of the account billed"""
        pool = Pool()
        Component = pool.get('water.rate.component')
        Configuration = pool.get('water.configuration')
        symbol = usage_arithmetic.UNIT_SYMBOLS[
            Configuration(1).billing_unit]
        languages = defaultdict(list)
        for line in lines:
            languages[account_language(line.period.bill.account)].append(
                line)
        result = {}
        for lang, lang_lines in languages.items():
            with Transaction().set_context(language=lang):
                names = {c.id: c.name for c in Component.browse(
                        list({l.component.id for l in lang_lines}))}
                for line in lang_lines:
                    result[line.id] = line._description(
                        names[line.component.id], symbol)
        return result

    def _description(self, component_name, symbol):
        "The line in words, in the language of the transaction"
        text = component_name
        terms = self.terms(symbol)
        if terms:
            text += ', ' + terms
        if self.tier and len(self.component.tiers) > 1:
            # A tier's terms give its limits: the units billed in it too
            text += f': {usage_text(self.quantity)} {symbol}'
        return f'{text} ({self.start_date} - {self.end_date})'

    def terms(self, symbol):
        """The line's rate as the customer reads it, in the language of
        the transaction, usage in `symbol`: "first 4 HCF at $3.65", "30
        days at $20.75 a month"; None for a minimum charge's top-up"""
        component = self.component
        tier = self.tier if len(component.tiers) > 1 else None
        terms = charge_terms(component.kind, component.basis, tier,
            self.tier_floor, self.tier_limit, self.quantity, self.unit)
        if not terms:
            return None
        floor = self.tier_floor or Decimal(0)
        limit = self.tier_limit
        return gettext(f'water_utility.msg_bill_line_{terms}',
            unit=symbol, price=price_text(self.unit_price),
            quantity=usage_text(self.quantity),
            days=(self.end_date - self.start_date).days,
            count=count_text(self.quantity), floor=usage_text(floor),
            limit=usage_text(limit) if limit is not None else '',
            width=usage_text(limit - floor) if limit is not None else '')


class BillHold(Computed, ModelSQL, ModelView):
    "A service a bill run held back, and why"
    __name__ = 'water.bill.hold'

    run = fields.Many2One(
        'water.bill.run', "Run", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'water.service', "Service", required=True, ondelete='CASCADE')
    reason = fields.Selection(HOLD_REASONS, "Reason", required=True)
    reason_string = reason.translated('reason')
    details = fields.Char("Details")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('run')
