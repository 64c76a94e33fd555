# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""An agency's payroll set up through the client (proteus): its accounts,
journal, payees, earning types, departments, CalPERS plans, benefits and
leave plans.  Used by the scenarios, the demo and the benchmark."""
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

# (code, name, kind): the payroll accounts added to the company's chart
ACCOUNTS = [
    ('2320', "Net Pay Payable", 'liability'),
    ('2321', "Federal Withholding Payable", 'liability'),
    ('2322', "California Withholding Payable", 'liability'),
    ('2323', "Medicare Payable", 'liability'),
    ('2324', "Social Security Payable", 'liability'),
    ('2325', "SDI Payable", 'liability'),
    ('2330', "CalPERS Payable", 'liability'),
    ('2331', "Deferred Compensation Payable", 'liability'),
    ('2332', "Health Premiums Payable", 'liability'),
    ('2333', "Union Dues Payable", 'liability'),
    ('2334', "Garnishments Payable", 'liability'),
    ('1015', "Payroll Bank Account", 'asset'),
    ('5110', "Salaries and Wages - Administration", 'expense'),
    ('5115', "Benefits - Administration", 'expense'),
    ('5210', "Salaries and Wages - Operations", 'expense'),
    ('5211', "Overtime - Operations", 'expense'),
    ('5215', "Benefits - Operations", 'expense'),
    ]

# Routing numbers in the demo and scenarios pass the ABA check digit.
AGENCY_BANK_ROUTING = '121000358'


def setup_agency(company, config=None):
    "Set the agency's payroll up; return its records by name"
    config = config or get_config()
    records = {}
    records['accounts'] = create_accounts(company, config=config)
    records.update(create_payees(config=config))
    records['journal'] = create_journal(config=config)
    records['work'] = create_work(company, config=config)
    records['earning_types'] = create_earning_types(config=config)
    records['departments'] = create_departments(
        records['accounts'], records['earning_types'], config=config)
    records['plans'] = create_retirement_plans(
        records['accounts'], records['calpers'], config=config)
    records['deductions'] = create_deduction_types(
        records['accounts'], records, config=config)
    records['leave_plans'] = create_leave_plans(
        records['earning_types'], config=config)
    configure(records, config=config)
    return records


def create_accounts(company, config=None):
    Account = Model.get('account.account', config=config)
    AccountType = Model.get('account.account.type', config=config)
    root_type, = AccountType.find([
            ('parent', '=', None), ('company', '=', company.id)], limit=1)
    types = {}
    for kind, values in [
            ('asset', dict(statement='balance', assets=True)),
            ('liability', dict(statement='balance')),
            ('expense', dict(statement='income', expense=True)),
            ]:
        type_ = AccountType(
            name=f"Payroll {kind.title()}", parent=root_type, **values)
        type_.save()
        types[kind] = type_
    root, = Account.find([
            ('parent', '=', None), ('company', '=', company.id)], limit=1)
    accounts = {}
    for code, name, kind in ACCOUNTS:
        found = Account.find([
                ('code', '=', code), ('company', '=', company.id)])
        if found:
            # a chart the district already keeps may hold the code: reuse
            # it only if it is the same account, never post payroll into
            # another one (customer credits, unidentified receipts)
            if found[0].name != name:
                raise ValueError(f"account {code} is {found[0].name!r}, "
                    f"not {name!r}: payroll needs its own code")
            accounts[code] = found[0]
            continue
        account = Account(
            code=code, name=name, type=types[kind], parent=root)
        if kind == 'liability':
            account.reconcile = False
        account.save()
        accounts[code] = account
    return accounts


def create_payees(config=None):
    Party = Model.get('party.party', config=config)
    payees = {}
    for key, name in [
            ('irs', "Internal Revenue Service"),
            ('edd', "Employment Development Department"),
            ('calpers', "CalPERS"),
            ('deferred_comp', "MissionSquare Retirement"),
            ('health', "CalPERS Health Benefits"),
            ('union', "AFSCME Local 146"),
            ('levying_officer', "County Sheriff Levying Officer"),
            ]:
        party = Party(name=name)
        party.save()
        payees[key] = party
    return payees


def create_journal(config=None):
    Journal = Model.get('account.journal', config=config)
    journal = Journal(name="Payroll", code='PAY', type='general')
    journal.save()
    return journal


def create_work(company, config=None):
    Work = Model.get('timesheet.work', config=config)
    work = Work(name="District Time", company=company)
    work.save()
    return work


def create_earning_types(config=None):
    EarningType = Model.get('payroll.earning.type', config=config)
    types = {}
    for code, name, kind, values in [
            ('REG', "Regular", 'regular', {}),
            ('OT', "Overtime", 'overtime',
                dict(multiplier=Decimal('1.5'), pensionable=False)),
            ('HOL', "Holiday", 'holiday', {}),
            ('STBY', "Standby", 'standby',
                dict(flat_rate=Decimal('3.0000'), pensionable=False)),
            ('CB', "Call-Back", 'callback',
                dict(minimum_hours=Decimal('2'), pensionable=False)),
            ('SICK', "Sick Leave", 'leave', {}),
            ('VAC', "Vacation", 'leave', {}),
            ]:
        type_ = EarningType(code=code, name=name, kind=kind, **values)
        type_.save()
        types[code] = type_
    return types


def create_departments(accounts, types, config=None):
    Department = Model.get('payroll.department', config=config)
    administration = Department(
        code='ADM', name="Administration",
        wage_account=accounts['5110'], benefit_account=accounts['5115'])
    administration.save()
    operations = Department(
        code='OPS', name="Water Operations",
        wage_account=accounts['5210'], benefit_account=accounts['5215'])
    line = operations.accounts.new()
    line.earning_type = types['OT']
    line.account = accounts['5211']
    operations.save()
    return {'ADM': administration, 'OPS': operations}


def create_retirement_plans(accounts, calpers, config=None):
    Plan = Model.get('payroll.retirement.plan', config=config)
    plans = {}
    for code, name, formula, member, employer in [
            ('PERS-C', "CalPERS Miscellaneous Classic 2% at 55", 'classic',
                '0.07000', '0.12470'),
            ('PERS-P', "CalPERS Miscellaneous PEPRA 2% at 62", 'pepra',
                '0.07750', '0.08000'),
            ]:
        plan = Plan(
            code=code, name=name, formula=formula,
            member_rate=Decimal(member), employer_rate=Decimal(employer),
            account=accounts['2330'], payee=calpers)
        plan.save()
        plans[code] = plan
    return plans


def create_deduction_types(accounts, payees, config=None):
    DeductionType = Model.get('payroll.deduction.type', config=config)
    types = {}
    for code, name, kind, account, payee in [
            ('457', "457(b) Deferred Compensation", 'deferred_457b',
                '2331', 'deferred_comp'),
            ('MED', "Medical Premium (Section 125)", 'section_125',
                '2332', 'health'),
            ('DUES', "Union Dues", 'after_tax', '2333', 'union'),
            ('GARN', "Earnings Withholding Order", 'garnishment',
                '2334', 'levying_officer'),
            ]:
        type_ = DeductionType(
            code=code, name=name, kind=kind, account=accounts[account],
            payee=payees[payee])
        type_.save()
        types[code] = type_
    return types


def create_leave_plans(types, config=None):
    Plan = Model.get('payroll.leave.plan', config=config)
    sick = Plan(
        name="Sick Leave", earning_type=types['SICK'], method='per_period',
        cap=Decimal(240), california_sick=True, schedule='biweekly')
    tier = sick.tiers.new()
    tier.years = 0
    tier.hours = Decimal('3.6923')  # 96 hours a year
    sick.save()
    vacation = Plan(
        name="Vacation", earning_type=types['VAC'], method='per_period',
        cap=Decimal(240), carry_over=Decimal(240), schedule='biweekly')
    for years, hours in [(0, '3.0769'), (5, '4.6154'), (10, '6.1538')]:
        tier = vacation.tiers.new()
        tier.years = years
        tier.hours = Decimal(hours)
    vacation.save()
    return {'sick': sick, 'vacation': vacation}


def configure(records, config=None):
    Configuration = Model.get('payroll.configuration', config=config)
    accounts = records['accounts']
    configuration = Configuration(1)
    configuration.section_218 = False
    configuration.sdi_elected = True
    configuration.journal = records['journal']
    configuration.net_pay_account = accounts['2320']
    configuration.federal_tax_account = accounts['2321']
    configuration.state_tax_account = accounts['2322']
    configuration.medicare_account = accounts['2323']
    configuration.social_security_account = accounts['2324']
    configuration.sdi_account = accounts['2325']
    configuration.bank_account = accounts['1015']
    configuration.irs = records['irs']
    configuration.edd = records['edd']
    configuration.timesheet_work = records['work']
    configuration.ach_destination = AGENCY_BANK_ROUTING
    configuration.ach_destination_name = "Bank of America"
    configuration.ach_origin = '1946000123'
    configuration.ach_origin_name = "Cedar Creek Water"
    configuration.ach_company_id = '1946000123'
    configuration.ach_odfi = AGENCY_BANK_ROUTING
    configuration.next_check_number = 5001
    configuration.save()
    return configuration
