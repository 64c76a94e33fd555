# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Income tax withholding of 2026 against amounts worked by hand from the
published tables: IRS Publication 15-T (2026) Worksheet 1A and Annual
Percentage Method tables, and the California Withholding Schedules for
2026 (DE 44) Method B, Tables 1 to 5.  No Tryton, no database.

Every expected amount is worked in the comments from the table rows, not
taken from the code."""
import copy
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / 'agency_payroll' / 'withholding.py'
DATA = ROOT / 'agency_payroll' / 'data' / 'tax_tables' / '2026.json'

# Loaded by path: the module is plain Python, and this keeps the test clear
# of the Tryton module's package __init__
_spec = importlib.util.spec_from_file_location(
    'agency_payroll_withholding', MODULE)
withholding = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(withholding)

D = Decimal


@pytest.fixture(scope='module')
def tables():
    return withholding.read_tables(withholding.tables_path(2026))


def fit(tables, wages, schedule, status, **w4):
    return withholding.federal_income_tax(
        tables, D(wages), schedule, status, **w4)


def pit(tables, wages, schedule, status, **de4):
    return withholding.california_income_tax(
        tables, D(wages), schedule, status, **de4)


# --- the data file ---------------------------------------------------------

def test_shipped_2026_tables_load(tables):
    assert withholding.tables_path(2026) == DATA
    assert tables['year'] == 2026
    assert isinstance(tables['notes'], list)
    assert isinstance(tables['federal']['source'], str)
    # Pub 15-T 2026 Worksheet 1A line 1g
    assert tables['federal']['line_1g'] == {
        'married_jointly': D(12900), 'single': D(8600),
        'head_of_household': D(8600)}
    # Pub 15-T 2026, STANDARD, Single, row at least $19,900
    assert tables['federal']['standard']['single'][2] == [
        D(19900), D('1240.00'), D('0.12')]
    assert tables['fica']['social_security_wage_base'] == D(184500)
    assert tables['california']['sdi_rate'] == D('0.013')
    assert tables['california']['sdi_wage_base'] is None
    biweekly = tables['california']['periods']['biweekly']
    assert biweekly['exemption_allowance'] == D('6.47')
    assert biweekly['exemption_allowance_by_count'][2] == D('12.95')
    assert tables['limits']['deferred_compensation_457b'] == D(24500)
    assert tables['limits']['deferred_compensation_457b_catch_up'] == D(8000)
    for period in withholding.PERIODS:
        assert period in tables['california']['periods']


def test_data_file_has_only_string_amounts():
    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f'{path}.{key}')
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f'{path}[{i}]')
        else:
            assert not isinstance(value, float), path
            if isinstance(value, int) and not isinstance(value, bool):
                assert path == '.year', path
    raw = json.loads(DATA.read_text(encoding='utf-8'))
    walk(raw, '')
    for section in ['federal', 'fica', 'california', 'limits']:
        assert raw[section]['source']


def test_brackets_tie_out():
    "Each row's base is the previous base + rate x width, as printed"
    tables = withholding.read_tables(DATA)
    # Pub 15-T prints Step 2 Single from the unrounded 108,937.50 and
    # 136,162.50, so those two rows do not tie to the printed thresholds
    loose = {('step2', 'single', 5), ('step2', 'single', 7)}
    for schedule in ['standard', 'step2']:
        for status, rows in tables['federal'][schedule].items():
            for i in range(1, len(rows)):
                over, base, rate = rows[i - 1]
                expected = base + (rows[i][0] - over) * rate
                if (schedule, status, i) not in loose:
                    assert rows[i][1] == expected, (schedule, status, i)
    for name, period in tables['california']['periods'].items():
        for status, rows in period['rates'].items():
            for i in range(1, len(rows)):
                over, base, rate = rows[i - 1]
                expected = base + (rows[i][0] - over) * rate
                assert abs(rows[i][1] - expected) <= D('0.01'), (
                    name, status, i)


def test_read_tables_text_and_path(tables):
    text = DATA.read_text(encoding='utf-8')
    assert withholding.read_tables(text) == tables
    assert withholding.read_tables(str(DATA)) == tables


@pytest.mark.parametrize('drop, message', [
        (('california',), 'california'),
        (('fica',), 'fica'),
        (('federal', 'step2'), 'federal.step2'),
        (('federal', 'standard', 'head_of_household'),
            'federal.standard.head_of_household'),
        (('california', 'periods', 'monthly'), 'california.periods.monthly'),
        (('california', 'periods', 'biweekly', 'standard_deduction'),
            'california.periods.biweekly.standard_deduction'),
        (('limits', 'deferred_compensation_457b'),
            'limits.deferred_compensation_457b'),
        ])
def test_read_tables_rejects_missing_section(drop, message):
    raw = json.loads(DATA.read_text(encoding='utf-8'))
    broken = copy.deepcopy(raw)
    parent = broken
    for key in drop[:-1]:
        parent = parent[key]
    del parent[drop[-1]]
    with pytest.raises(ValueError, match=message.replace('.', r'\.')):
        withholding.read_tables(json.dumps(broken))


def test_read_tables_rejects_json_numbers():
    raw = json.loads(DATA.read_text(encoding='utf-8'))
    raw['fica']['medicare_rate'] = 0.0145
    with pytest.raises(ValueError, match=r'fica\.medicare_rate'):
        withholding.read_tables(json.dumps(raw))


# --- bracket_tax -----------------------------------------------------------

def test_bracket_tax_row_rules():
    rows = [[D(0), D(0), D('0.10')], [D(100), D('10.00'), D('0.20')]]
    assert withholding.bracket_tax(rows, D(0)) == 0
    assert withholding.bracket_tax(rows, D(50)) == D('5.00')
    # "over 100": 100 stays in the first row, 10% x 100
    assert withholding.bracket_tax(rows, D(100)) == D('10.00')
    assert withholding.bracket_tax(rows, D(150)) == D('20.00')
    # "at least 100": 100 takes the second row, 10.00 + 20% x 0
    assert withholding.bracket_tax(rows, D(100), at_least=True) == D('10.00')


# --- federal: Pub 15-T 2026 Worksheet 1A -----------------------------------

def test_federal_biweekly_single_standard(tables):
    # 1a 2,000.00, 1b 26, 1c 52,000; 1g 8,600; 1i 43,400
    # Pub 15-T 2026, Annual Percentage Method table, STANDARD, Single,
    # row at least $19,900 but less than $57,900: 1,240.00 + 12%
    # 2f 1,240.00 + 0.12 x (43,400 - 19,900 = 23,500) = 1,240 + 2,820 = 4,060
    # 2g 4,060 / 26 = 156.1538 -> 156.15
    assert fit(tables, '2000.00', 'biweekly', 'single') == D('156.15')


def test_federal_biweekly_married_standard(tables):
    # 1c 3,000 x 26 = 78,000; 1g 12,900; 1i 65,100
    # Pub 15-T 2026, STANDARD, Married Filing Jointly, row at least
    # $44,100 but less than $120,100: 2,480.00 + 12%
    # 2f 2,480 + 0.12 x 21,000 = 2,480 + 2,520 = 5,000
    # 2g 5,000 / 26 = 192.3077 -> 192.31
    assert fit(tables, '3000.00', 'biweekly', 'married_jointly') == D(
        '192.31')


def test_federal_biweekly_head_of_household_standard(tables):
    # 1c 2,500 x 26 = 65,000; 1g 8,600; 1i 56,400
    # Pub 15-T 2026, STANDARD, Head of Household, row at least $33,250
    # but less than $83,000: 1,770.00 + 12%
    # 2f 1,770 + 0.12 x 23,150 = 1,770 + 2,778 = 4,548
    # 2g 4,548 / 26 = 174.9231 -> 174.92
    assert fit(tables, '2500.00', 'biweekly', 'head_of_household') == D(
        '174.92')


def test_federal_biweekly_single_step2_checkbox(tables):
    # 1c 52,000; Step 2 box checked: 1g 0; 1i 52,000
    # Pub 15-T 2026, Form W-4 Step 2 Checkbox, Single, row at least
    # $33,250 but less than $60,900: 2,900.00 + 22%
    # 2f 2,900 + 0.22 x 18,750 = 2,900 + 4,125 = 7,025
    # 2g 7,025 / 26 = 270.1923 -> 270.19
    assert fit(tables, '2000.00', 'biweekly', 'single', step2=True) == D(
        '270.19')


def test_federal_step2_checkbox_head_of_household_top_row(tables):
    # 1c 15,000 x 26 = 390,000; 1i 390,000
    # Pub 15-T 2026, Step 2 Checkbox, Head of Household, row at least
    # $332,375: 95,585.50 + 37%
    # 2f 95,585.50 + 0.37 x 57,625 = 95,585.50 + 21,321.25 = 116,906.75
    # 2g 116,906.75 / 26 = 4,496.4135 -> 4,496.41
    assert fit(tables, '15000.00', 'biweekly', 'head_of_household',
        step2=True) == D('4496.41')


def test_federal_step3_credits(tables):
    # As the married biweekly case: 2f 5,000, 2g 192.3077
    # 3a 4,400 (two children x 2,200); 3b 4,400 / 26 = 169.2308
    # 3c 192.3077 - 169.2308 = 600 / 26 = 23.0769 -> 23.08
    assert fit(tables, '3000.00', 'biweekly', 'married_jointly',
        step3=D(4400)) == D('23.08')


def test_federal_step3_credits_not_below_zero(tables):
    # 2g 192.3077; 3b 6,600 / 26 = 253.8462; 3c below zero -> 0
    # 4a 15.00; 4b 0 + 15.00
    assert fit(tables, '3000.00', 'biweekly', 'married_jointly',
        step3=D(6600), step4c=D('15.00')) == D('15.00')


def test_federal_step4a_4b_4c(tables):
    # 1c 2,000 x 26 = 52,000; 1d 5,000; 1e 57,000
    # 1f 10,000; 1g 8,600; 1h 18,600; 1i 57,000 - 18,600 = 38,400
    # Pub 15-T 2026, STANDARD, Single, row at least $19,900: 1,240.00 + 12%
    # 2f 1,240 + 0.12 x 18,500 = 1,240 + 2,220 = 3,460
    # 2g 3,460 / 26 = 133.0769
    # 4a 25.00; 4b 133.0769 + 25.00 = 158.0769 -> 158.08
    assert fit(tables, '2000.00', 'biweekly', 'single', step4a=D(5000),
        step4b=D(10000), step4c=D(25)) == D('158.08')


def test_federal_below_threshold_is_zero(tables):
    # 1c 500 x 26 = 13,000; 1g 8,600; 1i 4,400
    # Pub 15-T 2026, STANDARD, Single, row at least $0 but less than
    # $7,500: 0.00 + 0%
    assert fit(tables, '500.00', 'biweekly', 'single') == D('0.00')
    # 1c 300 x 26 = 7,800 - 8,600 < 0: 1i is 0
    assert fit(tables, '300.00', 'biweekly', 'single') == D('0.00')
    assert fit(tables, '0', 'biweekly', 'married_jointly') == D('0.00')
    # Step 4(c) is still added (line 4b = 3c + 4a)
    assert fit(tables, '500.00', 'biweekly', 'single',
        step4c=D(10)) == D('10.00')


def test_federal_monthly_married(tables):
    # 1a 12,000, 1b 12, 1c 144,000; 1g 12,900; 1i 131,100
    # Pub 15-T 2026, STANDARD, Married Filing Jointly, row at least
    # $120,100 but less than $230,700: 11,600.00 + 22%
    # 2f 11,600 + 0.22 x 11,000 = 11,600 + 2,420 = 14,020
    # 2g 14,020 / 12 = 1,168.3333 -> 1,168.33
    assert fit(tables, '12000.00', 'monthly', 'married_jointly') == D(
        '1168.33')


def test_federal_row_is_at_least(tables):
    # 1c 9,000 x 12 = 108,000; 1d 938; 1i 108,938 (Step 2 box checked)
    # Pub 15-T 2026, Step 2 Checkbox, Single: 108,938 is "at least" the row
    # $108,938 but less than $136,163: 20,512.00 + 32% x 0 = 20,512.00
    # (the row below would give 8,983 + 24% x 48,038 = 20,512.12)
    # 2g 20,512.00 / 12 = 1,709.3333 -> 1,709.33
    assert fit(tables, '9000.00', 'monthly', 'single', step2=True,
        step4a=D(938)) == D('1709.33')


def test_federal_accepts_w4_integers(tables):
    # the W-4 amounts may come as plain integers
    assert fit(tables, '3000.00', 'biweekly', 'married_jointly',
        step3=4400) == D('23.08')


def test_federal_rejects_unknown(tables):
    with pytest.raises(ValueError):
        fit(tables, '1000', 'biweekly', 'married')
    with pytest.raises(ValueError):
        fit(tables, '1000', 'daily', 'single')


# --- California: DE 44 2026 Method B ---------------------------------------

def test_california_biweekly_single_one_allowance(tables):
    # Step 1: 2,000 > 727 (DE 44 2026 Table 1 Biweekly Single)
    # Step 2: no additional allowances
    # Step 3: 2,000 - 219 (Table 3 Biweekly Single) = 1,781
    # Step 4: DE 44 2026 Table 5 Biweekly Single, row over $1,594 not over
    # $2,214: 43.24 + 6.6% x (1,781 - 1,594 = 187) = 43.24 + 12.342 = 55.582
    # Step 5: 55.582 - 6.47 (Table 4 Biweekly, 1 allowance) = 49.112 -> 49.11
    assert pit(tables, '2000.00', 'biweekly', 'single',
        allowances=1) == D('49.11')


def test_california_biweekly_married_three_plus_one_additional(tables):
    # 3 regular + 1 estimated-deduction allowance: 4 in all, married
    # '2 or more' column
    # Step 1: 3,000 > 1,454 (Table 1 Biweekly Married 2 or more)
    # Step 2: 3,000 - 38 (Table 2 Biweekly, 1 allowance) = 2,962
    # Step 3: 2,962 - 439 (Table 3 Biweekly Married 2 or more) = 2,523
    # Step 4: DE 44 2026 Table 5 Biweekly Married, row over $2,020 not over
    # $3,188: 35.07 + 4.4% x 503 = 35.07 + 22.132 = 57.202
    # Step 5: 57.202 - 19.42 (Table 4 Biweekly, 3 allowances; the
    # estimated-deduction allowance gets no credit) = 37.782 -> 37.78
    assert pit(tables, '3000.00', 'biweekly', 'married', allowances=3,
        additional_allowances=1) == D('37.78')


def test_california_biweekly_head_of_household(tables):
    # Step 1: 2,800 > 1,454 (Table 1 Biweekly Unmarried Head of Household)
    # Step 3: 2,800 - 439 (Table 3 Biweekly HoH) = 2,361
    # Step 4: DE 44 2026 Table 5 Biweekly Unmarried Head of Household, row
    # over $2,020 not over $2,604: 35.07 + 4.4% x 341 = 35.07 + 15.004
    # = 50.074
    # Step 5: 50.074 - 12.95 (Table 4 Biweekly, 2 allowances, as printed;
    # not 2 x 6.47 = 12.94) = 37.124 -> 37.12
    assert pit(tables, '2800.00', 'biweekly', 'head_of_household',
        allowances=2) == D('37.12')


def test_california_low_income_exemption(tables):
    # Step 1: wages "less than, or equal to" Table 1 withhold nothing
    # DE 44 2026 Table 1 Biweekly Single: $727
    assert pit(tables, '727.00', 'biweekly', 'single',
        allowances=1) == D('0.00')
    # Table 1 Biweekly Married 2 or more allowances: $1,454
    assert pit(tables, '1400.00', 'biweekly', 'married',
        allowances=2) == D('0.00')
    # The same wages with 0 or 1 allowance are over that column's $727:
    # Step 3: 1,400 - 219 = 1,181
    # Step 4: Table 5 Biweekly Married, row over $852 not over $2,020:
    # 9.37 + 2.2% x 329 = 9.37 + 7.238 = 16.608
    # Step 5: 16.608 - 6.47 = 10.138 -> 10.14
    assert pit(tables, '1400.00', 'biweekly', 'married',
        allowances=1) == D('10.14')


def test_california_married_column_counts_all_allowances(tables):
    # 1 regular + 1 estimated-deduction allowance: 2 claimed on the DE 4,
    # so the married '2 or more' column: 1,400 <= 1,454 (Table 1)
    assert pit(tables, '1400.00', 'biweekly', 'married', allowances=1,
        additional_allowances=1) == D('0.00')


def test_california_weekly_single(tables):
    # Step 1: 1,000 > 363 (DE 44 2026 Table 1 Weekly Single)
    # Step 3: 1,000 - 110 (Table 3 Weekly Single) = 890
    # Step 4: DE 44 2026 Table 5 Weekly Single, row over $797 not over
    # $1,107: 21.61 + 6.6% x 93 = 21.61 + 6.138 = 27.748
    # Step 5: 0 allowances, no credit: 27.748 -> 27.75
    assert pit(tables, '1000.00', 'weekly', 'single') == D('27.75')


def test_california_monthly_married(tables):
    # Step 1: 8,000 > 3,149 (DE 44 2026 Table 1 Monthly Married 2 or more)
    # Step 3: 8,000 - 951 (Table 3 Monthly Married 2 or more) = 7,049
    # Step 4: DE 44 2026 Table 5 Monthly Married, row over $6,908 not over
    # $9,592: 187.36 + 6.6% x 141 = 187.36 + 9.306 = 196.666
    # Step 5: 196.666 - 28.05 (Table 4 Monthly, 2 allowances) = 168.616
    # -> 168.62
    assert pit(tables, '8000.00', 'monthly', 'married',
        allowances=2) == D('168.62')


def test_california_semi_monthly_single(tables):
    # Step 3: 3,000 - 238 (Table 3 Semi-monthly Single) = 2,762
    # Step 4: DE 44 2026 Table 5 Semi-monthly Single, row over $2,398 not
    # over $3,030: 91.12 + 8.8% x 364 = 91.12 + 32.032 = 123.152
    # Step 5: 123.152 - 7.01 (Table 4 Semi-monthly, 1 allowance) = 116.142
    # -> 116.14
    assert pit(tables, '3000.00', 'semi_monthly', 'single',
        allowances=1) == D('116.14')


def test_california_more_than_ten_allowances(tables):
    # Table 4 prints 0 to 10 allowances; above 10 the one-allowance amount
    # times the number claimed: 12 x 6.47 = 77.64
    # Step 3: 5,000 - 439 = 4,561
    # Step 4: Table 5 Biweekly Married, row over $4,428 not over $5,596:
    # 168.30 + 8.8% x 133 = 168.30 + 11.704 = 180.004
    # Step 5: 180.004 - 77.64 = 102.364 -> 102.36
    assert pit(tables, '5000.00', 'biweekly', 'married',
        allowances=12) == D('102.36')


def test_california_top_row(tables):
    # Step 3: 40,000 - 219 = 39,781
    # Step 4: DE 44 2026 Table 5 Biweekly Single, row over $38,462:
    # 4,393.12 + 14.63% x 1,319 = 4,393.12 + 192.9697 = 4,586.0897
    # Step 5: 4,586.0897 - 6.47 = 4,579.6197 -> 4,579.62
    assert pit(tables, '40000.00', 'biweekly', 'single',
        allowances=1) == D('4579.62')


def test_california_credit_not_below_zero(tables):
    # Step 3: 800 - 219 = 581
    # Step 4: Table 5 Biweekly Single, row over $426 not over $1,010:
    # 4.69 + 2.2% x 155 = 4.69 + 3.41 = 8.10
    # Step 5: 8.10 - 19.42 (3 allowances) < 0 -> 0
    assert pit(tables, '800.00', 'biweekly', 'single',
        allowances=3) == D('0.00')


def test_california_rejects_unknown(tables):
    with pytest.raises(ValueError):
        pit(tables, '1000', 'biweekly', 'married_jointly')
    with pytest.raises(ValueError):
        pit(tables, '1000', 'biweekly', 'single', allowances=-1)
