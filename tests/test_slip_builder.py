# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Plain tests of the steps that build a pay slip's values from an
employee's records (agency_payroll/slip_builder.py), with plain objects
standing for the records."""
import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace as Record

import pytest

from agency_payroll import leave, paycheck, slip_builder
from agency_payroll.slip_builder import Missing

PAY_DATE = dt.date(2026, 12, 11)
LIMITS = {
    'pepra_compensation_limit': D('155081'),
    'pepra_compensation_limit_no_social_security': D('186096'),
    'deferred_compensation_457b': D('24500'),
    }


def plan(**values):
    defaults = dict(code='pers', name="CalPERS Misc", rec_name="CalPERS Misc",
        formula='classic', compensation_limit=None, member_rate=D('7'),
        employer_rate=D('10.5'))
    return Record(**{**defaults, **values})


def test_no_retirement_plan():
    assert slip_builder.retirement(None, LIMITS, True) is None


def test_classic_plan_has_no_compensation_limit():
    assert slip_builder.retirement(plan(), LIMITS, True) == (
        paycheck.Retirement('pers', "CalPERS Misc", D('7'), D('10.5'), None))


def test_pepra_limit_from_the_year_with_or_without_social_security():
    pepra = plan(formula='pepra')
    assert slip_builder.retirement(pepra, LIMITS, True).compensation_limit \
        == D('155081')
    assert slip_builder.retirement(pepra, LIMITS, False).compensation_limit \
        == D('186096')
    # The plan's own limit comes first
    own = plan(formula='pepra', compensation_limit=D('150000'))
    assert slip_builder.retirement(own, LIMITS, True).compensation_limit \
        == D('150000')


def test_pepra_without_a_limit_is_missing():
    with pytest.raises(Missing) as raised:
        slip_builder.retirement(plan(formula='pepra'), {}, True)
    assert raised.value.message == 'msg_pepra_limit_missing'
    assert raised.value.values == {'plan': "CalPERS Misc"}


def enrollment(code, kind, active=True, **values):
    type_ = Record(code=code, name=code.upper(), kind=kind,
        annual_limit=values.pop('annual_limit', None))
    defaults = dict(amount=D(0), percent=None, employer_amount=None,
        garnishment_percent=None, balance=None)
    return Record(type=type_, active_on=lambda date: active,
        **{**defaults, **values})


def test_enrollments_active_on_the_pay_date_with_limits_and_balances():
    records = [
        enrollment('457', 'deferred_457b', amount=D(200)),
        enrollment('gym', 'after_tax', active=False, amount=D(20)),
        enrollment('loan', 'after_tax', amount=D(50), balance=D(400)),
        ]
    ytd = {'posttax:loan': D(150)}
    result = slip_builder.enrollments(records, PAY_DATE, LIMITS, ytd)
    assert [(e.code, e.annual_limit, e.balance, e.percent)
        for e in result] == [
        ('457', D('24500'), None, D(0)),
        ('loan', None, D(250), D(0)),
        ]


def test_withholding_forms_default_to_zero():
    employee = Record(w4_filing_status='single', w4_step2=None,
        w4_step3=None, w4_step4a=D(10), w4_step4b=None, w4_step4c=None,
        de4_filing_status='single', de4_allowances=2,
        de4_additional_allowances=None)
    assert slip_builder.w4(employee) == {'filing_status': 'single',
        'step2': False, 'step3': D(0), 'step4a': D(10), 'step4b': D(0),
        'step4c': D(0)}
    assert slip_builder.de4(employee) == {'filing_status': 'single',
        'allowances': 2, 'additional_allowances': 0}


def test_lines_link_what_they_pay():
    slip = Record(lines=[
            paycheck.Line('earning', 'REG', "Regular", D('1000')),
            paycheck.Line('pretax', 'pers', "CalPERS", D('70'),
                kind='retirement'),
            paycheck.Line('posttax', 'loan', "Loan", D('50')),
            paycheck.Line('tax', 'medicare', "Medicare", D('13.48')),
            ])
    loan = Record(id=7, code='loan')
    employee = Record(enrollments=[Record(type=loan)],
        retirement_plan=Record(id=3))
    rows = slip_builder.lines(slip, employee, {'REG': Record(id=1)})
    assert [(r['sequence'], r['code'], r.get('earning_type'),
            r.get('retirement_plan'), r.get('deduction_type'))
        for r in rows] == [
        (0, 'REG', 1, None, None),
        (1, 'pers', None, 3, None),
        (2, 'loan', None, None, 7),
        (3, 'medicare', None, None, None),
        ]


def test_deposits_fixed_amount_then_the_rest():
    savings = Record(routing='121000358', number='111', kind='savings',
        amount=D(100))
    checking = Record(routing='121000358', number='222', kind='checking',
        amount=None)
    assert slip_builder.deposits(D('812.34'), [savings, checking]) == [
        {'routing': '121000358', 'number': '111', 'kind': 'savings',
            'amount': D(100)},
        {'routing': '121000358', 'number': '222', 'kind': 'checking',
            'amount': D('712.34')},
        ]


def earning(code, kind, hours):
    return Record(code=code, kind=kind, hours=D(hours), name=code)


def sick_plan():
    return Record(id=5, earning_type=Record(code='SICK'),
        plain=lambda: leave.Plan(method='per_hour',
            rate_per_hour=D(1) / D(30), cap=D(80)))


def test_leave_taken_and_accrued_on_hours_worked():
    employee = Record(id=9, start_date=dt.date(2020, 1, 6),
        leave_plans=[sick_plan()])
    earnings = [earning('REG', 'regular', 72), earning('SICK', 'leave', 8)]
    entries = slip_builder.leave_entries(employee, earnings,
        {(9, 5): D(40)}, dt.date(2026, 12, 5), new_year=False)
    assert [(e['kind'], e['hours']) for e in entries] == [
        ('taken', D(-8)), ('accrual', D('2.40'))]
    assert slip_builder.worked_hours(earnings) == D(72)


def test_leave_without_its_plan_is_missing():
    employee = Record(id=9, start_date=None, leave_plans=[])
    with pytest.raises(Missing) as raised:
        slip_builder.leave_entries(employee,
            [earning('VAC', 'leave', 8)], {}, dt.date(2026, 12, 5),
            new_year=False)
    assert raised.value.message == 'msg_leave_plan_missing'
    assert raised.value.values == {'leave': 'VAC'}


def test_slip_row_totals_and_wages():
    slip = paycheck.Slip(lines=[
            paycheck.Line('earning', 'REG', "Regular", D(1000)),
            paycheck.Line('pretax', 'pers', "CalPERS", D(70)),
            paycheck.Line('tax', 'medicare', "Medicare", D('13.49')),
            paycheck.Line('employer', 'pers', "CalPERS", D(105)),
            ], gross=D(1000), net=D('916.51'), wages={'medicare': D(930)})
    row = slip_builder.slip_row(Record(id=1), Record(id=2,
            department=Record(id=3)), D('25.00'), slip, D(40))
    assert (row['gross'], row['pretax'], row['taxes'], row['net'],
        row['employer_cost'], row['medicare_wages'], row['sdi_wages']) == (
        D(1000), D(70), D('13.49'), D('916.51'), D(105), D(930), D(0))
