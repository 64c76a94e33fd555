# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the pay slip arithmetic, leave accrual and the NACHA file"
import datetime as dt
from decimal import Decimal as D

import pytest

from agency_payroll import leave, nacha, paycheck, withholding

TABLES = withholding.read_tables(withholding.tables_path(2026))
SUNDAY = dt.date(2026, 11, 29)
TYPES = {
    'REG': paycheck.EarningType('REG', "Regular", 'regular'),
    'OT': paycheck.EarningType('OT', "Overtime", 'overtime', D('1.5'),
        pensionable=False),
    'STBY': paycheck.EarningType('STBY', "Standby", 'standby',
        flat_rate=D('3.00'), pensionable=False),
    'CB': paycheck.EarningType('CB', "Call-Back", 'callback',
        minimum_hours=D(2)),
    'HOL': paycheck.EarningType('HOL', "Holiday", 'holiday'),
    'SICK': paycheck.EarningType('SICK', "Sick Leave", 'leave'),
    }
W4 = {'filing_status': 'single'}
DE4 = {'filing_status': 'single', 'allowances': 1}


def day(n):
    return SUNDAY + dt.timedelta(days=n)


def hourly(hours, flsa='non_exempt', rate='30.00'):
    return paycheck.earnings(
        pay_type='hourly', flsa=flsa, rate=D(rate), schedule='biweekly',
        hours=[paycheck.Hours(day(d), code, D(h)) for d, code, h in hours],
        types=TYPES, period_start=SUNDAY)


def amounts(earnings):
    return {e.code: (e.hours, e.amount) for e in earnings}


def test_overtime_is_over_40_hours_in_the_workweek():
    # 10 hours Monday to Thursday of week one (40) + 8 on Friday: 8 over
    # 40; week two 36 hours, no overtime (the weeks do not average)
    result = amounts(hourly(
            [(d, 'REG', 10) for d in range(1, 5)] + [(5, 'REG', 8)]
            + [(d, 'REG', 9) for d in range(8, 12)]))
    assert result['REG'] == (D(76), D('2280.00'))  # (48 + 36 - 8) x 30
    assert result['OT'] == (D(8), D('360.00'))  # 8 x 45.00


def test_overtime_rate_counts_standby_pay():
    # 29 CFR 778.223: pay for standby is part of the regular rate.
    # Week one: 44 hours worked, 10 hours standby at $3 = $30;
    # regular rate (44 x 30 + 30) / 44 = 30.681818; overtime 4 hours x
    # (30 + 30.681818 / 2) = 4 x 45.340909 = 181.36
    result = amounts(hourly(
            [(d, 'REG', 11) for d in range(1, 5)] + [(6, 'STBY', 10)]))
    assert result['OT'] == (D(4), D('181.36'))
    assert result['REG'] == (D(40), D('1200.00'))
    assert result['STBY'] == (D(10), D('30.00'))


def test_leave_and_holiday_are_not_hours_worked():
    result = amounts(hourly(
            [(d, 'REG', 10) for d in range(1, 5)] + [(5, 'HOL', 8)]))
    assert 'OT' not in result
    assert result['HOL'] == (D(8), D('240.00'))


def test_callback_paid_at_least_its_minimum():
    result = amounts(hourly([(3, 'CB', D('0.5'))]))
    assert result['CB'] == (D('2.00'), D('60.00'))


def test_exempt_staff_get_no_overtime():
    result = amounts(hourly([(d, 'REG', 12) for d in range(1, 6)], 'exempt'))
    assert 'OT' not in result
    assert result['REG'] == (D(60), D('1800.00'))


def test_overtime_cannot_be_entered():
    with pytest.raises(paycheck.PaycheckError) as error:
        hourly([(1, 'OT', 2)])
    assert error.value.reason == 'overtime_entered'


def test_salary_shows_leave_out_of_it():
    # $62,400 / 26 = $2,400.00; 16 sick hours at 62,400 / 2,080 = $30.00
    result = amounts(paycheck.earnings(
            pay_type='salaried', flsa='exempt', rate=D('62400'),
            schedule='biweekly',
            hours=[paycheck.Hours(day(2), 'SICK', D(8)),
                paycheck.Hours(day(3), 'SICK', D(8))],
            types=TYPES, period_start=SUNDAY))
    assert result['REG'] == (D(64), D('1920.00'))
    assert result['SICK'] == (D(16), D('480.00'))


def slip(gross, **kw):
    earnings = [paycheck.Earning('REG', "Regular", 'regular', D(80),
            D(gross) / 80, D(gross))]
    kw.setdefault('w4', W4)
    kw.setdefault('de4', DE4)
    return paycheck.gross_to_net(
        earnings=earnings, tables=TABLES, schedule='biweekly', **kw)


def line(result, category, code):
    found = [l for l in result.lines
        if l.category == category and l.code == code]
    return found[0].amount if found else None


def test_section_125_reduces_medicare_457_does_not():
    result = slip('3000.00', enrollments=[
            paycheck.Enrollment('457', "457", 'deferred_457b', D(200)),
            paycheck.Enrollment('MED', "Medical", 'section_125', D(100))])
    assert result.wages['income_tax'] == D('2700.00')
    assert result.wages['medicare'] == D('2900.00')
    assert line(result, 'tax', 'MEDICARE') == D('42.05')  # 2,900 x 1.45%


def test_calpers_pick_up_is_before_income_tax_not_medicare():
    result = slip('3000.00', retirement=paycheck.Retirement(
            'PERS', "CalPERS", D('0.07'), D('0.1247')))
    assert line(result, 'pretax', 'PERS') == D('210.00')
    assert line(result, 'employer', 'PERS') == D('374.10')
    assert result.wages['income_tax'] == D('2790.00')
    assert result.wages['medicare'] == D('3000.00')


def test_pepra_pay_capped_by_the_compensation_limit():
    result = slip('3000.00', retirement=paycheck.Retirement(
            'PEPRA', "PEPRA", D('0.0775'), D('0.08'), D('150000')),
        ytd={'pensionable': D('148000')})
    assert result.wages['pensionable'] == D('2000')
    assert line(result, 'pretax', 'PEPRA') == D('155.00')


def test_457_stops_at_the_annual_limit():
    result = slip('3000.00', enrollments=[paycheck.Enrollment(
                '457', "457", 'deferred_457b', D(500),
                annual_limit=TABLES['limits']['deferred_compensation_457b'])],
        ytd={'457': D('24200')})
    assert line(result, 'pretax', '457') == D('300')  # 24,500 - 24,200


def test_social_security_only_under_section_218_to_the_wage_base():
    assert line(slip('3000.00'), 'tax', 'OASDI') is None
    result = slip('3000.00', section_218=True,
        ytd={'social_security': D('183000')})
    # 2026 wage base $184,500: 1,500 left, x 6.2% = 93.00 each side
    assert result.wages['social_security'] == D('1500')
    assert line(result, 'tax', 'OASDI') == D('93.00')
    assert line(result, 'employer', 'OASDI') == D('93.00')


def test_additional_medicare_over_200000_employee_only():
    result = slip('10000.00', ytd={'medicare': D('195000')})
    # 10,000 x 1.45% = 145.00, + 0.9% x 5,000 over $200,000 = 45.00
    assert line(result, 'tax', 'MEDICARE') == D('190.00')
    assert line(result, 'employer', 'MEDICARE') == D('145.00')


def test_sdi_only_when_elected():
    assert line(slip('3000.00'), 'tax', 'SDI') is None
    assert line(slip('3000.00', sdi_elected=True), 'tax', 'SDI') == D(
        '39.00')  # 1.3%


def test_garnishment_limited_to_its_share_of_disposable_earnings():
    result = slip('2000.00', enrollments=[paycheck.Enrollment(
                'GARN', "Order", 'garnishment', D(900),
                garnishment_percent=D('0.20'), balance=D(5000))])
    taxes = result.total('tax')
    assert line(result, 'posttax', 'GARN') == paycheck.cents(
        (D('2000.00') - taxes) * D('0.20'))


def test_garnishment_stops_at_the_balance():
    result = slip('2000.00', enrollments=[paycheck.Enrollment(
                'GARN', "Order", 'garnishment', D(300),
                garnishment_percent=D('0.20'), balance=D('12.34'))])
    assert line(result, 'posttax', 'GARN') == D('12.34')


def test_negative_net_pay_refused():
    with pytest.raises(paycheck.PaycheckError) as error:
        slip('500.00', enrollments=[
                paycheck.Enrollment('LOAN', "Loan", 'after_tax', D(900))])
    assert error.value.reason == 'net_negative'


def test_net_is_gross_less_everything_withheld():
    result = slip('3000.00', retirement=paycheck.Retirement(
            'PERS', "CalPERS", D('0.07'), D('0.1247')),
        enrollments=[
            paycheck.Enrollment('MED', "Medical", 'section_125', D(100),
                employer_amount=D(800)),
            paycheck.Enrollment('DUES', "Dues", 'after_tax', D(25))])
    assert result.net == (D('3000.00') - result.total('pretax')
        - result.total('tax') - result.total('posttax'))
    assert line(result, 'employer', 'MED') == D(800)


def test_split_deposits_fixed_first_rest_to_the_remainder():
    assert paycheck.split_deposits(D('1000'), [
            ('savings', D(200)), ('checking', None)]) == [
        ('savings', D(200)), ('checking', D(800))]
    # fixed amounts stop at net pay
    assert paycheck.split_deposits(D('150'), [
            ('savings', D(200)), ('checking', None)]) == [
        ('savings', D(150))]
    # no remainder account: the last fixed one takes the rest
    assert paycheck.split_deposits(D('1000'), [('a', D(100))]) == [
        ('a', D(1000))]


# -- leave -----------------------------------------------------------------

def test_sick_leave_per_hour_worked_up_to_the_cap():
    plan = leave.Plan('per_hour', rate_per_hour=D('0.0333'), cap=D(80))
    assert leave.accrue(plan, balance=D(10), worked_hours=D(80),
        years_of_service=0, new_year=False) == [('accrual', D('2.6640'))]
    assert leave.accrue(plan, balance=D(79), worked_hours=D(80),
        years_of_service=0, new_year=False) == [('accrual', D(1))]


def test_front_loaded_sick_leave_tops_up_each_year():
    plan = leave.Plan('front_load', front_load_hours=D(40))
    assert leave.accrue(plan, balance=D(12), worked_hours=D(80),
        years_of_service=3, new_year=True) == [('front_load', D(28))]
    assert leave.accrue(plan, balance=D(12), worked_hours=D(80),
        years_of_service=3, new_year=False) == []


def test_vacation_tiers_and_carry_over():
    plan = leave.Plan('per_period', tiers=[(0, D('3.0769')),
            (5, D('4.6154'))], cap=D(240), carry_over=D(160))
    assert leave.accrue(plan, balance=D(200), worked_hours=D(80),
        years_of_service=6, new_year=True) == [
        ('forfeit', D(-40)), ('accrual', D('4.6154'))]


def test_california_sick_leave_minimums():
    ok = leave.Plan('per_hour', rate_per_hour=D('0.0333'), cap=D(80),
        california_sick=True)
    assert leave.sick_leave_shortfall(ok, 26) is None
    assert leave.sick_leave_shortfall(
        leave.Plan('per_hour', rate_per_hour=D('0.025')), 26) == 'rate'
    assert leave.sick_leave_shortfall(
        leave.Plan('front_load', front_load_hours=D(24)), 26) == 'front_load'
    assert leave.sick_leave_shortfall(
        leave.Plan('per_hour', rate_per_hour=D('0.0333'), cap=D(48)),
        26) == 'cap'
    assert leave.sick_leave_shortfall(leave.Plan(
            'per_period', tiers=[(0, D('1.0'))]), 26) == 'rate'  # 26 h/yr


# -- NACHA -----------------------------------------------------------------

@pytest.mark.parametrize('routing, valid', [
        ('121000358', True),  # Bank of America, California
        ('322271627', True),  # Chase, California
        ('011000015', True),  # Federal Reserve Bank of Boston
        ('121000357', False),
        ('12100035', False),
        ('12100035X', False),
        ])
def test_aba_check_digit(routing, valid):
    assert nacha.valid_routing(routing) is valid


def test_ppd_file_layout():
    text = nacha.ppd_file(
        [nacha.Deposit('322271627', '4412789', D('200.00'), 'Ann Lee', '7',
                savings=True),
            nacha.Deposit('121000358', '99', D('1000.01'), 'Bo Kim', '8')],
        destination_routing='121000358', destination_name='Bank',
        origin_id='1946000123', origin_name='Agency', company_name='Agency',
        company_id='1946000123', odfi_routing='121000358',
        effective_date=dt.date(2026, 12, 18),
        created=dt.datetime(2026, 12, 16, 14, 5))
    records = text.split('\r\n')[:-1]
    assert len(records) == 10 and all(len(r) == 94 for r in records)
    header, batch, first, second, control, trailer = records[:6]
    assert header[23:33] == '2612161405'
    assert first[1:3] == '32' and second[1:3] == '22'
    assert second[29:39] == '0000100001'
    assert control[4:10] == '000002'
    assert control[10:20] == str(32227162 + 12100035).rjust(10, '0')
    assert control[32:44] == '000000120001'
    assert trailer[13:21] == '00000002'
    assert records[6:] == ['9' * 94] * 4


def test_ccd_file_names_the_vendor_and_the_entry_class():
    text = nacha.ccd_file(
        [nacha.Deposit('322271627', '55012', D('1450.00'),
                'Sierra Leak Detection', 'PAY0007')],
        destination_routing='121000358', destination_name='Bank',
        origin_id='1946000123', origin_name='Agency', company_name='Agency',
        company_id='1946000123', odfi_routing='121000358',
        effective_date=dt.date(2026, 12, 18),
        created=dt.datetime(2026, 12, 16, 14, 5))
    header, batch, entry, control = text.split('\r\n')[:4]
    assert batch[50:53] == 'CCD' and batch[53:63] == 'VENDOR PAY'
    assert entry[1:3] == '22' and entry[29:39] == '0000145000'
    assert entry[39:54] == 'PAY0007'.ljust(15)
    assert entry[54:76] == 'SIERRA LEAK DETECTION '
    assert control[32:44] == '000000145000'


def test_credit_file_refuses_an_unknown_entry_class():
    with pytest.raises(nacha.NachaError):
        nacha.credit_file([], entry_class='WEB',
            destination_routing='121000358', destination_name='',
            origin_id='1', origin_name='', company_name='', company_id='1',
            odfi_routing='121000358', effective_date=dt.date(2026, 1, 2))


def test_ppd_file_refuses_a_bad_routing_number():
    with pytest.raises(nacha.NachaError):
        nacha.ppd_file(
            [nacha.Deposit('121000357', '1', D(1), 'X')],
            destination_routing='121000358', destination_name='',
            origin_id='1', origin_name='', company_name='', company_id='1',
            odfi_routing='121000358', effective_date=dt.date(2026, 1, 2))


@pytest.mark.parametrize('amount, words', [
        ('1774.41', "One thousand seven hundred seventy-four and 41/100 "
            "dollars"),
        ('0.05', "Zero and 05/100 dollars"),
        ('100', "One hundred and 00/100 dollars"),
        ('2000000.10', "Two million and 10/100 dollars"),
        ('15019.99', "Fifteen thousand nineteen and 99/100 dollars"),
        ])
def test_check_amount_in_words(amount, words):
    assert paycheck.amount_in_words(D(amount)) == words
