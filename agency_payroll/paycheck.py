# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A pay slip's arithmetic, from hours to net pay, with no database.

`earnings` turns the hours of a pay period into earnings (FLSA overtime for
non-exempt staff), `gross_to_net` takes the earnings through pre-tax
deductions, taxes and post-tax deductions to net pay, with the employer's
costs beside them.  The models feed them and store what they return."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import withholding

CENT = Decimal('0.01')
RATE = Decimal('0.0001')
HOURS_PER_YEAR = Decimal(2080)
WORKWEEK_HOURS = Decimal(40)
WORKED = {'regular', 'callback'}


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class PaycheckError(ValueError):
    "The pay slip cannot be computed as the data stands"
    def __init__(self, reason, **values):
        super().__init__(reason, values)
        self.reason = reason
        self.values = values


@dataclass
class EarningType:
    code: str
    name: str
    kind: str  # regular overtime holiday standby callback leave
    multiplier: Decimal = Decimal(1)
    flat_rate: Decimal | None = None
    minimum_hours: Decimal = Decimal(0)
    pensionable: bool = True


@dataclass
class Hours:
    date: dt.date
    code: str
    hours: Decimal


@dataclass
class Earning:
    code: str
    name: str
    kind: str
    hours: Decimal
    rate: Decimal
    amount: Decimal
    pensionable: bool = True


def base_rate(pay_type, rate):
    "The hourly rate of an hourly employee, or a salary's hourly equivalent"
    if pay_type == 'salaried':
        return (Decimal(rate) / HOURS_PER_YEAR).quantize(RATE, ROUND_HALF_UP)
    return Decimal(rate)


def earnings(*, pay_type, flsa, rate, schedule, hours, types, period_start):
    """Return the period's earnings, one per earning type.

    `hours` are the approved entries of the period; `types` the earning
    types by code, one of them of kind 'overtime'.  Non-exempt staff are
    paid overtime on hours worked over 40 in a workweek (the seven days
    from the period's start), at one and a half times the FLSA regular
    rate: the straight-time pay of the week (standby pay included) over
    its hours worked.  Leave and holidays are not hours worked.  A salary
    is paid per period; leave and holiday hours of a salaried employee are
    shown out of it, at the salary's hourly equivalent."""
    base = base_rate(pay_type, rate)
    overtime = [t for t in types.values() if t.kind == 'overtime']
    if flsa == 'non_exempt' and not overtime:
        raise PaycheckError('overtime_type_missing')
    totals = defaultdict(lambda: [Decimal(0), Decimal(0)])  # hours, amount
    weeks = defaultdict(lambda: {'worked': Decimal(0), 'pay': Decimal(0)})
    for entry in hours:
        type_ = types.get(entry.code)
        if type_ is None:
            raise PaycheckError('earning_type_unknown', code=entry.code)
        if type_.kind == 'overtime':
            raise PaycheckError('overtime_entered', date=entry.date)
        worked = Decimal(entry.hours)
        paid = max(worked, Decimal(type_.minimum_hours or 0)).quantize(
            CENT)
        if type_.flat_rate is not None:
            amount = paid * type_.flat_rate
        else:
            amount = paid * base * type_.multiplier
        totals[type_.code][0] += paid
        totals[type_.code][1] += amount
        week = weeks[(entry.date - period_start).days // 7]
        if type_.kind in WORKED:
            week['worked'] += worked
            week['pay'] += amount
        elif type_.kind == 'standby':
            week['pay'] += amount
    result = []
    overtime_hours = overtime_pay = Decimal(0)
    if flsa == 'non_exempt':
        for week in weeks.values():
            extra = week['worked'] - WORKWEEK_HOURS
            if extra <= 0:
                continue
            regular_rate = week['pay'] / week['worked']
            overtime_hours += extra
            overtime_pay += extra * (base + regular_rate / 2)
    if pay_type == 'salaried':
        salary = cents(Decimal(rate) / withholding.PERIODS[schedule])
        carved = Decimal(0)
    for code, (paid, amount) in totals.items():
        type_ = types[code]
        if type_.kind == 'regular' and pay_type == 'salaried':
            continue
        if type_.kind == 'regular' and overtime_hours:
            # overtime hours come out of the straight-time hours
            taken = min(overtime_hours, paid)
            paid -= taken
            amount -= taken * base * type_.multiplier
        amount = cents(amount)
        if pay_type == 'salaried' and type_.kind in {'leave', 'holiday'}:
            carved += amount
        result.append(Earning(type_.code, type_.name, type_.kind, paid,
                cents(amount / paid) if paid else base, amount,
                type_.pensionable))
    if pay_type == 'salaried':
        regular = [t for t in types.values() if t.kind == 'regular'][0]
        if carved > salary:
            raise PaycheckError('leave_over_salary')
        result.insert(0, Earning(regular.code, regular.name, 'regular',
                HOURS_PER_YEAR / withholding.PERIODS[schedule] - sum(
                    e.hours for e in result
                    if e.kind in {'leave', 'holiday'}),
                base, salary - carved, regular.pensionable))
    if overtime_hours:
        type_ = overtime[0]
        amount = cents(overtime_pay)
        result.append(Earning(type_.code, type_.name, 'overtime',
                overtime_hours, cents(amount / overtime_hours), amount,
                type_.pensionable))
    order = ['regular', 'overtime', 'callback', 'standby', 'holiday', 'leave']
    result.sort(key=lambda e: (order.index(e.kind), e.code))
    return [e for e in result if e.amount or e.hours]


@dataclass
class Enrollment:
    "An employee's benefit or deduction, as it applies to one pay slip"
    code: str
    name: str
    kind: str  # deferred_457b section_125 after_tax garnishment
    amount: Decimal = Decimal(0)
    percent: Decimal = Decimal(0)
    employer_amount: Decimal = Decimal(0)
    annual_limit: Decimal | None = None
    garnishment_percent: Decimal | None = None
    balance: Decimal | None = None


@dataclass
class Retirement:
    "The employee's CalPERS plan"
    code: str
    name: str
    member_rate: Decimal
    employer_rate: Decimal
    compensation_limit: Decimal | None = None


@dataclass
class Line:
    category: str  # earning pretax tax posttax employer
    code: str
    name: str
    amount: Decimal
    base: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    rate: Decimal = Decimal(0)
    kind: str = ''


@dataclass
class Slip:
    lines: list = field(default_factory=list)
    gross: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    wages: dict = field(default_factory=dict)

    def total(self, category):
        return sum((l.amount for l in self.lines if l.category == category),
            Decimal(0))


def gross_to_net(*, earnings, tables, schedule, w4, de4, retirement=None,
        enrollments=(), section_218=False, sdi_elected=False, ytd=None):
    """Return the Slip of `earnings`.

    Order: CalPERS member contribution picked up under 414(h)(2) (before
    income taxes, not Medicare), 457(b) deferrals (before income taxes,
    not Medicare), section 125 premiums (before income taxes, Medicare,
    Social Security and SDI); then federal (Pub 15-T) and California
    (DE 44 Method B) withholding, Medicare, Social Security (Section 218
    agreements only) and SDI (when elected); then after-tax deductions and
    garnishments (capped at their share of disposable earnings).  `ytd`
    holds the year's amounts before this slip: 'medicare', 'social_security',
    'sdi', 'pensionable' wages and each deduction code."""
    ytd = defaultdict(Decimal, ytd or {})
    slip = Slip()
    for earning in earnings:
        slip.lines.append(Line('earning', earning.code, earning.name,
                earning.amount, hours=earning.hours, rate=earning.rate,
                kind=earning.kind))
    slip.gross = sum((e.amount for e in earnings), Decimal(0))
    income_pretax = _retirement(slip, earnings, retirement, ytd)
    income_pretax, fica_pretax = _pretax_deductions(
        slip, enrollments, ytd, income_pretax)
    _income_taxes(slip, tables, slip.gross - income_pretax, schedule, w4,
        de4)
    _payroll_taxes(slip, tables, slip.gross - fica_pretax, ytd,
        section_218, sdi_elected)
    slip.net = _posttax_deductions(slip, enrollments, ytd)
    if slip.net < 0:
        raise PaycheckError('net_negative', net=slip.net)
    return slip


def _retirement(slip, earnings, retirement, ytd):
    """Add the CalPERS member and employer contributions on the
    pensionable earnings (up to the compensation limit left this year);
    return the member's, which is before income taxes"""
    if not retirement:
        return Decimal(0)
    pensionable = sum(
        (e.amount for e in earnings if e.pensionable), Decimal(0))
    if retirement.compensation_limit is not None:
        room = max(retirement.compensation_limit - ytd['pensionable'], 0)
        pensionable = min(pensionable, room)
    slip.wages['pensionable'] = pensionable
    member = cents(pensionable * retirement.member_rate)
    slip.lines.append(Line('pretax', retirement.code,
            retirement.name, member, base=pensionable,
            rate=retirement.member_rate, kind='retirement'))
    slip.lines.append(Line('employer', retirement.code,
            retirement.name, cents(pensionable * retirement.employer_rate),
            base=pensionable, rate=retirement.employer_rate,
            kind='retirement'))
    return member


def _pretax_deductions(slip, enrollments, ytd, income_pretax):
    """Add the 457(b) deferrals and section 125 premiums, each within its
    annual limit and what gross pay has left; return what is before income
    taxes and what is before Medicare, Social Security and SDI"""
    gross = slip.gross
    fica_pretax = Decimal(0)
    for enrollment in enrollments:
        if enrollment.kind not in {'deferred_457b', 'section_125'}:
            continue
        amount = enrollment.amount + cents(gross * enrollment.percent)
        if enrollment.annual_limit is not None:
            amount = min(amount, max(
                    enrollment.annual_limit - ytd[enrollment.code], 0))
        amount = min(amount, gross - income_pretax)
        slip.lines.append(Line('pretax', enrollment.code, enrollment.name,
                amount, kind=enrollment.kind))
        income_pretax += amount
        if enrollment.kind == 'section_125':
            fica_pretax += amount
        _employer_share(slip, enrollment)
    return income_pretax, fica_pretax


def _employer_share(slip, enrollment):
    if enrollment.employer_amount:
        slip.lines.append(Line('employer', enrollment.code,
                enrollment.name, enrollment.employer_amount,
                kind=enrollment.kind))


def _income_taxes(slip, tables, taxable, schedule, w4, de4):
    "Add the federal and California income tax withheld on `taxable`"
    slip.wages['income_tax'] = taxable
    federal = withholding.federal_income_tax(
        tables, taxable, schedule, w4['filing_status'],
        step2=w4.get('step2', False), step3=w4.get('step3', 0),
        step4a=w4.get('step4a', 0), step4b=w4.get('step4b', 0),
        step4c=w4.get('step4c', 0))
    state = withholding.california_income_tax(
        tables, taxable, schedule, de4['filing_status'],
        allowances=de4.get('allowances', 0),
        additional_allowances=de4.get('additional_allowances', 0))
    slip.lines.append(Line('tax', 'FIT', 'Federal income tax', federal,
            base=taxable, kind='federal_income_tax'))
    slip.lines.append(Line('tax', 'CA PIT', 'California income tax', state,
            base=taxable, kind='state_income_tax'))


def _payroll_taxes(slip, tables, wages, ytd, section_218, sdi_elected):
    """Add Medicare (with the additional Medicare over its threshold this
    year), Social Security under a Section 218 agreement, and SDI when
    elected, on `wages`: gross less section 125 premiums"""
    fica = tables['fica']
    slip.wages['medicare'] = wages
    medicare = cents(wages * fica['medicare_rate'])
    threshold = fica['additional_medicare_threshold']
    over = (max(ytd['medicare'] + wages - threshold, 0)
        - max(ytd['medicare'] - threshold, 0))
    employee_medicare = medicare + cents(
        over * fica['additional_medicare_rate'])
    slip.lines.append(Line('tax', 'MEDICARE', 'Medicare', employee_medicare,
            base=wages, rate=fica['medicare_rate'], kind='medicare'))
    slip.lines.append(Line('employer', 'MEDICARE', 'Medicare', medicare,
            base=wages, rate=fica['medicare_rate'], kind='medicare'))
    if section_218:
        room = max(fica['social_security_wage_base']
            - ytd['social_security'], 0)
        taxed = slip.wages['social_security'] = min(wages, room)
        amount = cents(taxed * fica['social_security_rate'])
        for category in ['tax', 'employer']:
            slip.lines.append(Line(category, 'OASDI', 'Social Security',
                    amount, base=taxed, rate=fica['social_security_rate'],
                    kind='social_security'))
    if sdi_elected:
        california = tables['california']
        taxed = wages
        if california.get('sdi_wage_base') is not None:
            taxed = min(taxed,
                max(california['sdi_wage_base'] - ytd['sdi'], 0))
        slip.wages['sdi'] = taxed
        slip.lines.append(Line('tax', 'SDI', 'California SDI',
                cents(taxed * california['sdi_rate']), base=taxed,
                rate=california['sdi_rate'], kind='sdi'))


def _posttax_deductions(slip, enrollments, ytd):
    """Add the after-tax deductions and garnishments (a garnishment
    within its share of disposable earnings and the balance owed); return
    the net pay"""
    gross = slip.gross
    taxes = slip.total('tax')
    retirement_member = sum((l.amount for l in slip.lines
            if l.category == 'pretax' and l.kind == 'retirement'),
        Decimal(0))
    # what the law requires withheld: taxes and the mandatory retirement
    disposable = gross - taxes - retirement_member
    left = gross - slip.total('pretax') - taxes
    for enrollment in enrollments:
        if enrollment.kind not in {'after_tax', 'garnishment'}:
            continue
        amount = enrollment.amount + cents(gross * enrollment.percent)
        if enrollment.kind == 'garnishment':
            if enrollment.garnishment_percent is not None:
                amount = min(amount, cents(
                        max(disposable, 0) * enrollment.garnishment_percent))
            if enrollment.balance is not None:
                amount = min(amount, enrollment.balance)
        if enrollment.annual_limit is not None:
            amount = min(amount,
                max(enrollment.annual_limit - ytd[enrollment.code], 0))
        slip.lines.append(Line('posttax', enrollment.code, enrollment.name,
                amount, kind=enrollment.kind))
        left -= amount
        _employer_share(slip, enrollment)
    return left


def split_deposits(net, accounts):
    """Split `net` over the employee's deposit accounts in order: fixed
    amounts first as far as they go, the rest to the account without an
    amount (or the last one).  Return [(account, amount)]."""
    result = []
    left = net
    remainder = None
    for account, amount in accounts:
        if amount is None:
            remainder = account
            continue
        amount = min(amount, left)
        if amount > 0:
            result.append((account, amount))
        left -= amount
    if left > 0:
        if remainder is None and result:
            account, amount = result.pop()
            result.append((account, amount + left))
        elif remainder is not None:
            result.append((remainder, left))
    return result


_ONES = ("zero one two three four five six seven eight nine ten eleven "
    "twelve thirteen fourteen fifteen sixteen seventeen eighteen "
    "nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(number):
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f'-{_ONES[ones]}' if ones else '')
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f'{_ONES[hundreds]} hundred' + (
            f' {_words(rest)}' if rest else '')
    for size, name in [(10 ** 9, 'billion'), (10 ** 6, 'million'),
            (1000, 'thousand')]:
        if number >= size:
            high, rest = divmod(number, size)
            return f'{_words(high)} {name}' + (
                f' {_words(rest)}' if rest else '')


def amount_in_words(amount):
    """The amount as written on a check: 'One thousand two hundred
    thirty-four and 56/100 dollars'"""
    amount = cents(amount)
    if amount < 0:
        raise ValueError("a check cannot be negative")
    dollars = int(amount)
    text = _words(dollars)
    hundredths = int((amount - dollars) * 100)
    return f'{text[0].upper()}{text[1:]} and {hundredths:02d}/100 dollars'
