# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Set up a district's books and staff through proteus.

Used by the demo builder and by the scenario tests, so both start from the
same company, chart of accounts, fiscal year and office users.
"""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from proteus import Model, Wizard
from proteus.config import get_config

DISTRICT_NAME = "Cedar Creek Water District"
DISTRICT_TIMEZONE = 'America/Los_Angeles'
BANK_NAME = "Sierra Community Bank"
BANK_ACCOUNT_NUMBER = "4455667788"
# The district's country and state as ISO 3166 gives them: (code, name,
# alpha-3, numeric) and (code, name)
COUNTRY = ('US', "United States", 'USA', '840')
STATE = ('US-CA', "California")
# What the bill's How to Pay box says besides the office and the mail, in
# English and in Spanish (the phone is the district's)
OFFICE_HOURS = ("Monday to Friday, 8:00 am to 5:00 pm",
    "lunes a viernes, de 8:00 a 17:00")
PAYMENT_OPTIONS = (
    "Online at www.cedarcreekwater.example/pay, any time\n"
    "By phone with a card, 24 hours: +1 209 555 0199",
    "En línea en www.cedarcreekwater.example/pay, a cualquier hora\n"
    "Por teléfono con tarjeta, las 24 horas: +1 209 555 0199")

# login -> (name, groups as water_utility xml ids, field employee?)
STAFF = {
    'clerk': ("Ana Reyes", ['group_customer_service'], False),
    'billing': ("Ben Ortiz", ['group_billing', 'group_customer_service'],
        False),
    'cashier': ("Carla Nguyen", ['group_cash'], False),
    'finance': ("Frank Moreno", ['group_finance', 'group_billing'], False),
    'payroll': ("Paula Chen", ['group_payroll'], False),
    'approver': ("Gloria Park", ['group_purchasing_approval'], False),
    'field': ("Luis Garcia", ['group_field'], True),
    'manager': ("Diane Walsh",
        ['group_water_admin', 'group_customer_service', 'group_billing',
            'group_cash', 'group_finance', 'group_field'], False),
    }
# Tryton's own groups a role also needs, as (module, xml id).
STAFF_EXTRA_GROUPS = {
    'finance': [('account', 'group_account'),
        ('account_statement', 'group_statement')],
    'manager': [('account', 'group_account'), ('party', 'group_party_admin'),
        ('account_statement', 'group_statement')],
    }


def setup_district(config=None, today=None, password=None):
    "Create the district's company, chart, fiscal year and staff users"
    config = config or get_config()
    company = create_company(config=config)
    create_chart(company, config=config)
    # This year and last: bills and reads reach back across July 1.
    today = today or local_today()
    create_fiscalyear(
        company, today=today - relativedelta(years=1), config=config)
    create_fiscalyear(company, today=today, config=config)
    create_billing(company, config=config)
    create_counter(company, config=config)
    create_adjustment_reasons(company, config=config)
    create_staff(company, password=password, config=config)
    return company


def local_today(timezone=DISTRICT_TIMEZONE):
    """Today in `timezone`: from 4 or 5 pm in California the machine's
    (UTC) date is already tomorrow"""
    return datetime.datetime.now(ZoneInfo(timezone)).date()


def district_today(config=None):
    """Today where the district is (its company's timezone), as the server's
    ir.date gives it: the machine's date can be a day ahead of California."""
    Company = Model.get('company.company', config=config)
    company, = Company.find()
    if not company.timezone:
        return datetime.date.today()
    return local_today(company.timezone)


def create_company(name=DISTRICT_NAME, config=None):
    Party = Model.get('party.party', config=config)
    Currency = Model.get('currency.currency', config=config)
    User = Model.get('res.user', config=config)

    currencies = Currency.find([('code', '=', 'USD')])
    if currencies:
        usd, = currencies
    else:
        usd = Currency(
            name="U.S. Dollar", code='USD', symbol='$',
            rounding=Decimal('0.01'), digits=2)
        usd.save()
    country, state = create_state(config=config)
    party = Party(name=name)
    address, = party.addresses
    address.street = "1400 Cedar Creek Road"
    address.city = "Cedar Creek"
    address.postal_code = "95999"
    address.country = country
    address.subdivision = state
    phone = party.contact_mechanisms.new(type='phone')
    phone.value = "+1 209 555 0100"
    party.save()

    company_config = Wizard('company.company.config', config=config)
    company_config.execute('company')
    company = company_config.form
    company.party = party
    company.currency = usd
    company.timezone = DISTRICT_TIMEZONE
    company_config.execute('add')
    config._context = User.get_preferences(True, {})
    company, = Model.get('company.company', config=config).find()
    return company


def create_state(config=None):
    """Return the district's country and state, creating them when the
    countries were not imported (trytond_import_countries needs pycountry
    and loads every country): addresses print in US style from them"""
    Country = Model.get('country.country', config=config)
    Subdivision = Model.get('country.subdivision', config=config)
    code, name, code3, code_numeric = COUNTRY
    countries = Country.find([('code', '=', code)])
    if countries:
        country, = countries
    else:
        country = Country(
            name=name, code=code, code3=code3, code_numeric=code_numeric)
        country.save()
    code, name = STATE
    states = Subdivision.find([('code', '=', code)])
    if states:
        state, = states
    else:
        state = Subdivision(
            country=country, name=name, code=code, type='state')
        state.save()
    return country, state


def create_chart(company, config=None):
    "Create the water enterprise fund chart and set the default accounts"
    AccountTemplate = Model.get('account.account.template', config=config)
    Account = Model.get('account.account', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    config = config or get_config()

    template = AccountTemplate(ModelData.get_id(
            'water_utility', 'account_template_water_root', config.context))
    wizard = Wizard('account.create_chart', config=config)
    wizard.execute('account')
    wizard.form.account_template = template
    wizard.form.company = company
    wizard.execute('create_account')
    receivable, = Account.find([
            ('code', '=', '1200'), ('company', '=', company.id)])
    payable, = Account.find([
            ('code', '=', '2010'), ('company', '=', company.id)])
    wizard.form.account_receivable = receivable
    wizard.form.account_payable = payable
    wizard.execute('create_properties')


def create_fiscalyear(company, today=None, config=None):
    "Create the fiscal year (July to June, as California districts keep it)"
    FiscalYear = Model.get('account.fiscalyear', config=config)
    Sequence = Model.get('ir.sequence.strict', config=config)
    SequenceType = Model.get('ir.sequence.type', config=config)
    today = today or local_today()
    start = today + relativedelta(month=7, day=1)
    if start > today:
        start -= relativedelta(years=1)
    end = start + relativedelta(years=1, days=-1)
    sequence_type, = SequenceType.find(
        [('name', '=', "Account Move")], limit=1)
    name = f'FY {start.year}-{str(end.year)[2:]}'
    sequence = Sequence(
        name=name, sequence_type=sequence_type, company=company)
    sequence.save()
    fiscalyear = FiscalYear(
        name=name, start_date=start, end_date=end, company=company,
        move_sequence=sequence)
    invoice_type, = SequenceType.find([('name', '=', "Invoice")], limit=1)
    # Customer bills and supplier bills numbered apart: each sequence is
    # strict, in date order, and a vendor's bill is dated by the vendor
    invoice_sequence, supplier_sequence = [
        Sequence(name=f'{name} {what}', sequence_type=invoice_type,
            company=company)
        for what in ['bills', 'supplier bills']]
    Sequence.save([invoice_sequence, supplier_sequence])
    sequences, = fiscalyear.invoice_sequences
    sequences.out_invoice_sequence = invoice_sequence
    sequences.out_credit_note_sequence = invoice_sequence
    sequences.in_invoice_sequence = supplier_sequence
    sequences.in_credit_note_sequence = supplier_sequence
    fiscalyear.save()
    fiscalyear.click('create_period')
    return fiscalyear


# Billing products: (code, name, revenue account code)
PRODUCTS = [
    ('water_service', "Water Service Charge", '4010'),
    ('water_usage', "Water Usage", '4010'),
    ('sewer', "Sewer Service", '4020'),
    ('fire_service', "Private Fire Service", '4030'),
    ('surcharge', "Water Surcharge", '4040'),
    ]


def create_billing(company, config=None):
    """Create the billing products (each posting to its revenue account)
    and the district's payment term, due 21 days after the bill date"""
    Account = Model.get('account.account', config=config)
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    PaymentTerm = Model.get('account.invoice.payment_term', config=config)
    Configuration = Model.get('water.configuration', config=config)

    unit, = Uom.find([('name', '=', "Unit")])
    categories = {}
    products = {}
    for code, name, account_code in PRODUCTS:
        if account_code not in categories:
            account, = Account.find([
                    ('code', '=', account_code),
                    ('company', '=', company.id)])
            category = Category(name=account.name, accounting=True)
            category.account_revenue = account
            category.save()
            categories[account_code] = category
        template = Template(name=name, type='service', default_uom=unit,
            list_price=Decimal(0), account_category=categories[account_code])
        template.code = code
        template.save()
        products[code], = template.products
    term = PaymentTerm(name="Net 21 days")
    line = term.lines.new(type='remainder')
    line.relativedeltas.new(days=21)
    term.save()
    configuration = Configuration(1)
    configuration.payment_term = term
    configuration.office_hours = OFFICE_HOURS[0]
    configuration.payment_options = PAYMENT_OPTIONS[0]
    configuration.save()
    with (config or get_config()).set_context(language='es'):
        configuration = Configuration(1)
        configuration.office_hours = OFFICE_HOURS[1]
        configuration.payment_options = PAYMENT_OPTIONS[1]
        configuration.save()
    return products


def create_counter(company, config=None):
    """Create the counter's statement journals (receipts post to Undeposited
    Funds, deposits from there to the bank) and point the water
    configuration at them and at Cash Over and Short"""
    Account = Model.get('account.account', config=config)
    Journal = Model.get('account.journal', config=config)
    StatementJournal = Model.get('account.statement.journal', config=config)
    Configuration = Model.get('water.configuration', config=config)

    def account(code):
        found, = Account.find([
                ('code', '=', code), ('company', '=', company.id)])
        return found
    journal = Journal(name="Counter Receipts", code='CTR', type='statement')
    journal.save()
    counter = StatementJournal(name="Counter", journal=journal,
        company=company, currency=company.currency, validation='amount',
        account=account('1020'))
    counter.save()
    deposits = StatementJournal(name="Bank Deposits", journal=journal,
        company=company, currency=company.currency, validation='amount',
        account=account('1010'))
    deposits.save()
    lockbox = StatementJournal(name="Lockbox", journal=journal,
        company=company, currency=company.currency, validation='amount',
        account=account('1010'))
    lockbox.save()
    unidentified = StatementJournal(name="Unidentified Receipts",
        journal=journal, company=company, currency=company.currency,
        validation='amount', account=account('2215'))
    unidentified.save()
    bank_account = create_bank_account(company, config=config)
    bank_statements = StatementJournal(name="Bank Statements",
        journal=journal, company=company, currency=company.currency,
        validation='balance', account=account('1010'),
        bank_account=bank_account)
    bank_statements.save()
    configuration = Configuration(1)
    configuration.counter_journal = counter
    configuration.deposit_journal = deposits
    configuration.lockbox_journal = lockbox
    configuration.unidentified_journal = unidentified
    configuration.over_short_account = account('5095')
    configuration.save()
    return counter


def create_bank_account(company, number=BANK_ACCOUNT_NUMBER, config=None):
    """The district's operating account at its bank: the bank's OFX
    statements name it, and find their journal by it"""
    Party = Model.get('party.party', config=config)
    Bank = Model.get('bank', config=config)
    BankAccount = Model.get('bank.account', config=config)
    bank_party = Party(name=BANK_NAME)
    bank_party.save()
    bank = Bank(party=bank_party)
    bank.save()
    bank_account = BankAccount(bank=bank, currency=company.currency)
    bank_account.owners.append(Party(company.party.id))
    bank_account.numbers.new(type='other', number=number)
    bank_account.save()
    return bank_account


# (code, name, account code, whether it may charge)
ADJUSTMENT_REASONS = [
    ('LEAK', "Leak adjustment", '4015', False),
    ('CORR', "Billing correction", '4010', True),
    ('PENW', "Penalty waiver", '4050', False),
    ('WOFF', "Write-off", '1290', False),
    ]


def create_adjustment_reasons(company, config=None):
    """Create the usual adjustment reasons: a leak adjustment to its own
    contra-revenue, a billing correction against water sales, a penalty
    waiver against penalties, a write-off against the allowance for
    uncollectible accounts"""
    Account = Model.get('account.account', config=config)
    Reason = Model.get('water.adjustment.reason', config=config)
    reasons = []
    for code, name, account_code, allow_charge in ADJUSTMENT_REASONS:
        account, = Account.find([
                ('code', '=', account_code), ('company', '=', company.id)])
        reasons.append(Reason(code=code, name=name, account=account,
                allow_charge=allow_charge, company=company))
    Reason.save(reasons)
    return reasons


def create_staff(company, password=None, config=None):
    "Create one user per office role; the field crew are also employees"
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    config = config or get_config()

    users = {}
    for login, (name, groups, is_employee) in STAFF.items():
        user = User(name=name, login=login)
        if password:
            user.password = password
        refs = [('water_utility', g) for g in groups]
        refs += STAFF_EXTRA_GROUPS.get(login, [])
        for module, xml_id in refs:
            user.groups.append(Group(
                    ModelData.get_id(module, xml_id, config.context)))
        Company = Model.get('company.company', config=config)
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        if is_employee:
            employee = Employee(
                party=Party(name=name), company=company,
                start_date=datetime.date(2015, 1, 5))
            employee.party.save()
            employee.save()
            user.employees.append(Employee(employee.id))
            user.employee = Employee(employee.id)
        user.save()
        users[login] = user
    return users


# Meter capacity ratios to a 5/8" meter (AWWA M1 style, as DOMAIN.md gives)
CAPACITY = {
    '5/8': Decimal('1'), '3/4': Decimal('1.5'), '1': Decimal('2.5'),
    '1.5': Decimal('5'), '2': Decimal('8'), '3': Decimal('17.5'),
    '4': Decimal('31.5'), '6': Decimal('65'), '8': Decimal('115'),
    '10': Decimal('165'),
    }


# The rate components the district bills, by code: their names on the bill
# in English and in Spanish, for the accounts that get Spanish bills
COMPONENT_NAMES = {
    'service': ("Service charge", "Cargo por servicio"),
    'water': ("Water usage", "Consumo de agua"),
    'sewer': ("Sewer service", "Servicio de alcantarillado"),
    'fire': ("Private fire service", "Servicio privado contra incendios"),
    }


def create_rates(effective, config=None):
    """Create the district's rate schedules, effective from `effective`:
    a monthly service charge by meter size, tiered residential usage,
    per-unit tiers for multi-family, uniform commercial and irrigation
    rates, private fire service by line size, and a flat sewer charge per
    dwelling unit on the premises' sewer services (a service of its own,
    so only connected premises pay it).  The components are named in
    English and in Spanish (COMPONENT_NAMES)."""
    Product = Model.get('product.product', config=config)
    Schedule = Model.get('water.rate.schedule', config=config)
    product = {p.code: p for p in Product.find([])}

    def service_charge(rates, base=Decimal('22.40')):
        component = rates.components.new(code='service',
            name=COMPONENT_NAMES['service'][0], kind='fixed', basis='month',
            product=product['water_service'])
        for size, ratio in CAPACITY.items():
            component.size_prices.new(size=size,
                price=(base * ratio).quantize(Decimal('0.01')))

    def usage(rates, tiers, tier_scale='fixed'):
        component = rates.components.new(code='water',
            name=COMPONENT_NAMES['water'][0],
            kind='volumetric', tier_scale=tier_scale,
            product=product['water_usage'])
        for upto, price in tiers:
            component.tiers.new(upto=upto, price=price)

    def sewer(rates, price):
        rates.components.new(code='sewer', name=COMPONENT_NAMES['sewer'][0],
            kind='fixed', basis='month', price=price,
            per_dwelling_unit=True, product=product['sewer'])

    schedules = []
    rates = Schedule(name="Residential", service_type='residential',
        effective_date=effective)
    service_charge(rates)
    usage(rates, [(Decimal(6), Decimal('3.12')),
            (Decimal(18), Decimal('4.05')), (None, Decimal('5.40'))])
    schedules.append(rates)
    rates = Schedule(name="Multi-family", service_type='multi_family',
        effective_date=effective)
    service_charge(rates)
    usage(rates, [(Decimal(5), Decimal('3.12')), (None, Decimal('4.05'))],
        tier_scale='units')
    schedules.append(rates)
    for service_type, name, price in [
            ('commercial', "Commercial", Decimal('3.85')),
            ('irrigation', "Irrigation", Decimal('4.60'))]:
        rates = Schedule(name=name, service_type=service_type,
            effective_date=effective)
        service_charge(rates)
        usage(rates, [(None, price)])
        schedules.append(rates)
    rates = Schedule(name="Private fire service", service_type='fire',
        effective_date=effective)
    component = rates.components.new(code='fire',
        name=COMPONENT_NAMES['fire'][0], kind='fixed', basis='month',
        size_of='fire_line', product=product['fire_service'])
    for size, price in [('2', '9.80'), ('3', '15.60'), ('4', '24.15'),
            ('6', '48.30'), ('8', '81.20')]:
        component.size_prices.new(size=size, price=Decimal(price))
    schedules.append(rates)
    rates = Schedule(name="Sewer only", service_type='sewer',
        effective_date=effective)
    sewer(rates, Decimal('38.50'))
    schedules.append(rates)
    Schedule.save(schedules)
    name_components_in_spanish(schedules, config=config)
    return schedules


def name_components_in_spanish(schedules, config=None):
    "Give the components of `schedules` their Spanish names (translations)"
    config = config or get_config()
    with config.set_context(language='es'):
        Component = Model.get('water.rate.component', config=config)
        components = Component.find([
                ('schedule', 'in', [s.id for s in schedules]),
                ('code', 'in', list(COMPONENT_NAMES)),
                ])
        for component in components:
            component.name = COMPONENT_NAMES[component.code][1]
        Component.save(components)
