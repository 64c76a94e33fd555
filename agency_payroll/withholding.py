# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Income tax withholding from the dated tax tables, with no database.

The tables of a tax year are one JSON file, data/tax_tables/<year>.json,
with every amount a decimal string and its sources beside it.  `read_tables`
loads one with the amounts as Decimal.  `federal_income_tax` follows IRS
Publication 15-T Worksheet 1A (percentage method for automated payroll
systems, Form W-4 from 2020 or later) and `california_income_tax` follows
the California Withholding Schedules (DE 44) Method B, exact calculation.

Decimal only, never float; the amount withheld is rounded half up to the
cent once, at the end."""
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

CENT = Decimal('0.01')
ZERO = Decimal(0)

PERIODS = {'weekly': 52, 'biweekly': 26, 'semi_monthly': 24, 'monthly': 12}

FEDERAL_STATUSES = ('married_jointly', 'single', 'head_of_household')
CALIFORNIA_STATUSES = ('single', 'married', 'head_of_household')
CALIFORNIA_COLUMNS = (
    'single', 'married_0_1', 'married_2_plus', 'head_of_household')

# Keys whose values are text, not amounts
_TEXT_KEYS = {'source', 'notes'}

_REQUIRED = {
    'federal': ['source', 'line_1g', 'standard', 'step2'],
    'fica': ['source', 'social_security_rate', 'social_security_wage_base',
        'medicare_rate', 'additional_medicare_rate',
        'additional_medicare_threshold'],
    'california': ['source', 'sdi_rate', 'sdi_wage_base', 'periods'],
    'limits': ['source', 'deferred_compensation_457b',
        'deferred_compensation_457b_catch_up', 'pepra_compensation_limit',
        'pepra_compensation_limit_no_social_security'],
    }
_PERIOD_KEYS = ['low_income_exemption', 'estimated_deduction',
    'standard_deduction', 'exemption_allowance', 'rates']


def cents(value):
    "`value` rounded half up to the cent"
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value, name):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError(f'{name} must be a Decimal, not a float')
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'{name} is not an amount: {value!r}') from None


def tables_path(year):
    "Path of the shipped tax tables of `year`"
    return Path(__file__).resolve().parent / 'data' / 'tax_tables' / (
        f'{int(year)}.json')


def _amounts(value, path):
    "`value` with every amount string turned into Decimal"
    if isinstance(value, dict):
        return {key: (item if key in _TEXT_KEYS
                else _amounts(item, f'{path}.{key}' if path else key))
            for key, item in value.items()}
    if isinstance(value, list):
        return [_amounts(item, f'{path}[{i}]')
            for i, item in enumerate(value)]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(
                f'tax tables: {path} is not an amount: {value!r}') from None
    if isinstance(value, float):
        raise ValueError(
            f'tax tables: {path} is a JSON number; amounts must be strings')
    return value  # None, int (the year), bool


def _need(mapping, keys, where):
    if not isinstance(mapping, dict):
        raise ValueError(f'tax tables: {where} is missing or not an object')
    missing = [k for k in keys if k not in mapping]
    if missing:
        raise ValueError('tax tables: missing '
            + ', '.join(f'{where}.{k}' if where else k for k in missing))


def _check_rows(rows, where):
    if not isinstance(rows, list) or not rows:
        raise ValueError(f'tax tables: {where} has no bracket rows')
    previous = None
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != 3 or any(
                not isinstance(v, Decimal) for v in row):
            raise ValueError(
                f'tax tables: {where}[{i}] is not [over, base, rate]')
        if previous is None and row[0] != 0:
            raise ValueError(f'tax tables: {where} must start over 0')
        if previous is not None and row[0] <= previous:
            raise ValueError(f'tax tables: {where} is not ascending at {i}')
        previous = row[0]


def _validate(tables):
    _need(tables, ['year', 'federal', 'fica', 'california', 'limits'], '')
    for section, keys in _REQUIRED.items():
        _need(tables[section], keys, section)
    federal = tables['federal']
    _need(federal['line_1g'], FEDERAL_STATUSES, 'federal.line_1g')
    for schedule in ['standard', 'step2']:
        _need(federal[schedule], FEDERAL_STATUSES, f'federal.{schedule}')
        for status in FEDERAL_STATUSES:
            _check_rows(federal[schedule][status],
                f'federal.{schedule}.{status}')
    periods = tables['california']['periods']
    _need(periods, list(PERIODS), 'california.periods')
    for name in PERIODS:
        where = f'california.periods.{name}'
        period = periods[name]
        _need(period, _PERIOD_KEYS, where)
        for table in ['low_income_exemption', 'standard_deduction']:
            _need(period[table], CALIFORNIA_COLUMNS, f'{where}.{table}')
        _need(period['rates'], CALIFORNIA_STATUSES, f'{where}.rates')
        for status in CALIFORNIA_STATUSES:
            _check_rows(period['rates'][status], f'{where}.rates.{status}')


def read_tables(text_or_path):
    """Return the tax tables in `text_or_path` (JSON text, or the path of
    a JSON file) with the same structure and every amount a Decimal.

    Raise ValueError naming what is missing when a section, table or row
    the withholding needs is not there."""
    if isinstance(text_or_path, Path):
        text = text_or_path.read_text(encoding='utf-8')
    elif isinstance(text_or_path, bytes):
        text = text_or_path.decode('utf-8')
    elif isinstance(text_or_path, str) and text_or_path.lstrip()[:1] in {
            '{', '['}:
        text = text_or_path
    else:
        text = Path(text_or_path).read_text(encoding='utf-8')
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f'tax tables: not JSON: {error}') from None
    if not isinstance(raw, dict):
        raise ValueError('tax tables: not a JSON object')
    tables = _amounts(raw, '')
    _validate(tables)
    return tables


def bracket_tax(rows, amount, *, at_least=False):
    """Tax on `amount` by the bracket `rows` ([over, base, rate],
    ascending, first over 0): the base of the row `amount` falls in plus
    the rate times the excess over the row's lower bound.  Not rounded.

    The row is the last one whose lower bound `amount` exceeds, as DE 44
    prints its rate tables ("over ... but not over").  With `at_least` the
    row is the last whose lower bound `amount` reaches, as Pub 15-T prints
    its annual tables ("at least ... but less than"); the two differ only
    on a lower bound, where a table's printed base is rounded."""
    amount = _decimal(amount, 'amount')
    if amount <= 0:
        return ZERO
    chosen = None
    for over, base, rate in rows:
        over = _decimal(over, 'over')
        if amount > over or (at_least and amount == over):
            chosen = (over, _decimal(base, 'base'), _decimal(rate, 'rate'))
        else:
            break
    if chosen is None:
        return ZERO
    over, base, rate = chosen
    return base + (amount - over) * rate


def _periods(schedule):
    try:
        return PERIODS[schedule]
    except KeyError:
        raise ValueError(f'unknown pay schedule: {schedule!r}') from None


def federal_income_tax(tables, wages, schedule, filing_status, step2=False,
        step3=ZERO, step4a=ZERO, step4b=ZERO, step4c=ZERO):
    """Federal income tax to withhold from one pay period's `wages`, by
    IRS Publication 15-T Worksheet 1A (Employer's Withholding Worksheet
    for Percentage Method Tables for Automated Payroll Systems) for a
    Form W-4 from 2020 or later.

    `wages` are the period's wages subject to federal income tax (after
    pre-tax deductions); `schedule` a key of PERIODS; `filing_status`
    'single' (also married filing separately), 'married_jointly' or
    'head_of_household'; `step2` the W-4 Step 2 checkbox; `step3` (credits),
    `step4a` (other income) and `step4b` (deductions) the annual amounts
    of the W-4, `step4c` the extra withholding per period.

    Step 1 (lines 1a-1i) annualizes the wages, adds 4(a), subtracts 4(b)
    and, unless the Step 2 box is checked, the line 1g amount; Step 2
    (2a-2g) looks the Adjusted Annual Wage Amount up in the STANDARD or
    Step 2 checkbox Annual Percentage Method table and divides by the pay
    periods; Step 3 (3a-3c) takes off the credits per period, not below
    zero; Step 4 (4a-4b) adds 4(c).  Rounded half up to the cent at the
    end only."""
    if filing_status not in FEDERAL_STATUSES:
        raise ValueError(f'unknown federal filing status: {filing_status!r}')
    federal = tables['federal']
    wages = _decimal(wages, 'wages')
    # 1a total taxable wages this payroll period: `wages`
    # 1b number of pay periods per year
    periods = _periods(schedule)
    # 1c 1a x 1b
    annual = wages * periods
    # 1d Step 4(a) other income; 1e 1c + 1d
    line_1e = annual + _decimal(step4a, 'step4a')
    # 1f Step 4(b) deductions
    line_1f = _decimal(step4b, 'step4b')
    # 1g 0 if the Step 2 box is checked, else $12,900 MFJ / $8,600 others
    line_1g = ZERO if step2 else federal['line_1g'][filing_status]
    # 1h 1f + 1g
    line_1h = line_1f + line_1g
    # 1i 1e - 1h, not below 0: the Adjusted Annual Wage Amount
    line_1i = max(line_1e - line_1h, ZERO)
    # 2a-2f the row of the STANDARD (box not checked) or Form W-4, Step 2,
    # Checkbox schedule where 1i is "at least" column A "but less than"
    # column B: column C + column D x (1i - column A)
    rows = federal['step2' if step2 else 'standard'][filing_status]
    line_2f = bracket_tax(rows, line_1i, at_least=True)
    # 2g 2f / 1b: the Tentative Withholding Amount
    line_2g = line_2f / periods
    # 3a Step 3 credits; 3b 3a / 1b; 3c 2g - 3b, not below 0
    line_3b = _decimal(step3, 'step3') / periods
    line_3c = max(line_2g - line_3b, ZERO)
    # 4a Step 4(c) extra withholding; 4b 3c + 4a: withhold this period
    line_4b = line_3c + _decimal(step4c, 'step4c')
    return cents(line_4b)


def _by_count(period, table, count):
    """Table 2 or 4 amount for `count` allowances: the printed row for 1 to
    10 allowances (each rounded on its own, not n x the one-allowance
    amount), the one-allowance amount x `count` above 10 (DE 44 footnote)"""
    if count <= 0:
        return ZERO
    rows = period.get(f'{table}_by_count')
    if rows is not None and count < len(rows):
        return rows[count]
    return period[table] * count


def california_income_tax(tables, wages, schedule, filing_status,
        allowances=0, additional_allowances=0):
    """California income tax to withhold from one pay period's `wages`, by
    the California Withholding Schedules (DE 44) Method B - Exact
    Calculation Method, with the tables of the payroll period.

    `wages` are the period's wages subject to California income tax (after
    pre-tax deductions); `filing_status` 'single' (also dual income married
    and married with multiple employers), 'married' or 'head_of_household'
    (unmarried head of household); `allowances` the regular withholding
    allowances (DE 4 line 1a) and `additional_allowances` the allowances
    for estimated deductions (DE 4 line 1b).

    Step 1: wages less than or equal to Table 1 (Low Income Exemption)
    withhold nothing.  Step 2: subtract Table 2 (Estimated Deduction) for
    the additional allowances.  Step 3: subtract Table 3 (Standard
    Deduction): the taxable income.  Step 4: the Table 5 tax rate table of
    the period and status gives the computed tax.  Step 5: subtract the
    Table 4 (Exemption Allowance) credit for the regular allowances only,
    not below zero.  For married employees Tables 1 and 3 take the
    '0 or 1' or '2 or more' column by the total allowances claimed
    (regular + additional).  Rounded half up to the cent at the end."""
    if filing_status not in CALIFORNIA_STATUSES:
        raise ValueError(
            f'unknown California filing status: {filing_status!r}')
    allowances = int(allowances)
    additional_allowances = int(additional_allowances)
    if allowances < 0 or additional_allowances < 0:
        raise ValueError('allowances cannot be negative')
    _periods(schedule)
    period = tables['california']['periods'][schedule]
    wages = _decimal(wages, 'wages')
    if filing_status == 'married':
        column = ('married_2_plus'
            if allowances + additional_allowances >= 2 else 'married_0_1')
    else:
        column = filing_status
    # Step 1: Table 1, low income exemption ("less than, or equal to")
    if wages <= period['low_income_exemption'][column]:
        return cents(ZERO)
    # Step 2: Table 2, estimated deduction for the additional allowances
    subject = wages - _by_count(
        period, 'estimated_deduction', additional_allowances)
    # Step 3: Table 3, standard deduction: taxable income
    taxable = max(subject - period['standard_deduction'][column], ZERO)
    # Step 4: Table 5, tax rate table ("over ... but not over")
    computed = bracket_tax(period['rates'][filing_status], taxable)
    # Step 5: Table 4, exemption allowance credit, regular allowances only
    credit = _by_count(period, 'exemption_allowance', allowances)
    return cents(max(computed - credit, ZERO))
