# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal as D

import pytest

from water_finance.positive_pay import (
    IssuedCheck, PositivePayError, amount_text, layout_columns,
    positive_pay_csv)

CHECKS = [
    IssuedCheck('000123456789', '10041', dt.date(2026, 12, 4),
        D('1010.63'), 'Pacific Pipe & Meter Supply'),
    IssuedCheck('000123456789', '10040', dt.date(2026, 12, 4),
        D('32.00'), 'Valley Office Products, Inc.', void=True),
    ]


def test_the_default_layout_lists_issues_and_voids():
    assert positive_pay_csv(CHECKS).split('\r\n') == [
        'Account Number,Check Number,Issue Date,Amount,Payee,Issue or Void',
        '000123456789,10041,12/04/2026,1010.63,Pacific Pipe & Meter Supply,I',
        '000123456789,10040,12/04/2026,32.00,'
        '"Valley Office Products, Inc.",V',
        '']


def test_a_bank_layout_in_cents_without_header():
    text = positive_pay_csv(CHECKS[:1], layout='number, amount, date',
        date_format='%Y%m%d', amount_style='cents', header=False)
    assert text == '10041,101063,20261204\r\n'


@pytest.mark.parametrize('layout', ['', 'number,memo', 'number,number'])
def test_a_layout_the_file_cannot_follow_is_refused(layout):
    with pytest.raises(PositivePayError):
        layout_columns(layout)


@pytest.mark.parametrize('amount, style, text', [
        ('1010.6', 'dollars', '1010.60'),
        ('0.07', 'cents', '7'),
        ('1450', 'cents', '145000'),
        ])
def test_amount_text(amount, style, text):
    assert amount_text(D(amount), style) == text


@pytest.mark.parametrize('amount, style', [('0', 'dollars'),
        ('-5.00', 'cents'), ('5.00', 'euros')])
def test_amount_text_refuses(amount, style):
    with pytest.raises(PositivePayError):
        amount_text(D(amount), style)
