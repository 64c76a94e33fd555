# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Payment arrangements to the cent and to the day (HSC 116910)."""
import datetime as dt
from decimal import Decimal

import pytest

from water_collection.arrangement_rules import (
    ArrangementError, default_date, installments, unpaid_installments)

D = dt.date
M = Decimal


def test_amortization_twelve_months_last_takes_the_rounding():
    "$1,000.00 over 12 months: eleven of $83.33 and one of $83.37"
    schedule = installments('amortization', M('1000.00'), 12, D(2026, 1, 31))
    assert [a for _, a in schedule] == [M('83.33')] * 11 + [M('83.37')]
    assert sum(a for _, a in schedule) == M('1000.00')
    # Month ends kept: Feb 28, then the 31st where the month has one
    assert [d for d, _ in schedule][:3] == [
        D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]


def test_reduced_payment_until_paid():
    "$250.00 at $60.00 a month: four of $60.00 and one of $10.00"
    schedule = installments('reduced', M('250.00'), None, D(2026, 3, 15),
        payment=M('60.00'))
    assert schedule == [
        (D(2026, 3, 15), M('60.00')), (D(2026, 4, 15), M('60.00')),
        (D(2026, 5, 15), M('60.00')), (D(2026, 6, 15), M('60.00')),
        (D(2026, 7, 15), M('10.00'))]


def test_deferral_one_payment_later():
    assert installments('deferral', M('312.40'), 3, D(2026, 11, 30)) == [
        (D(2027, 2, 28), M('312.40'))]


def test_longer_than_allowed_refused():
    with pytest.raises(ArrangementError) as error:
        installments('amortization', M('900.00'), 13, D(2026, 1, 1))
    assert error.value.code == 'months'
    assert error.value.values == {'months': 13, 'most': 12}
    with pytest.raises(ArrangementError):
        installments('reduced', M('900.00'), None, D(2026, 1, 1),
            payment=M('50.00'))


def test_nothing_to_arrange_refused():
    with pytest.raises(ArrangementError) as error:
        installments('amortization', M('0.00'), 6, D(2026, 1, 1))
    assert error.value.code == 'amount'


def test_payments_applied_oldest_first():
    schedule = [(D(2026, 1, 1), M('50.00')), (D(2026, 2, 1), M('50.00')),
        (D(2026, 3, 1), M('50.00'))]
    assert unpaid_installments(schedule, M('70.00')) == [
        (D(2026, 2, 1), M('30.00')), (D(2026, 3, 1), M('50.00'))]
    assert unpaid_installments(schedule, M('150.00')) == []


def test_default_sixty_days_after_an_unpaid_installment():
    "HSC 116910(b): in default once 60 days past the missed due date"
    schedule = [(D(2026, 1, 1), M('50.00')), (D(2026, 2, 1), M('50.00'))]
    assert default_date(schedule, M('50.00'), None, D(2026, 4, 1)) is None
    assert default_date(schedule, M('50.00'), None, D(2026, 4, 2)) == D(
        2026, 2, 1)
    assert default_date(schedule, M('100.00'), None, D(2026, 12, 1)) is None


def test_default_on_current_charges_unpaid():
    "Current charges unpaid 60 days default the arrangement too"
    schedule = [(D(2026, 1, 1), M('50.00'))]
    assert default_date(schedule, M('50.00'), D(2026, 2, 20),
        D(2026, 4, 21)) == D(2026, 2, 20)
    assert default_date(schedule, M('50.00'), D(2026, 2, 20),
        D(2026, 4, 20)) is None
