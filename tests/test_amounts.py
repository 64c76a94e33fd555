# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"Plain tests of the one number reader of every file format."
from decimal import Decimal as D

import pytest

from water_utility.amounts import AmountError, parse_money, parse_number


@pytest.mark.parametrize('text, amount', [
        ('45.67', D('45.67')),
        ('  45.67 ', D('45.67')),
        ('5', D('5.00')),
        ('5.', D('5.00')),
        ('.5', D('0.50')),
        ('0.07', D('0.07')),
        ('+12.00', D('12.00')),
        ('-250.00', D('-250.00')),
        ('1,234.56', D('1234.56')),
        ('1,080.00', D('1080.00')),
        ('12,345,678.90', D('12345678.90')),
        ('1234567.89', D('1234567.89')),
        ('007.50', D('7.50')),
        ('$45.67', D('45.67')),
        ('$1,080.00', D('1080.00')),
        ('-$40.00', D('-40.00')),
        ('(40.00)', D('-40.00')),
        ('($1,040.00)', D('-1040.00')),
        ])
def test_money_accepted(text, amount):
    value = parse_money(text, line=7)
    assert value == amount
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize('text, reason', [
        ('12,34', "groups of three"),
        ('1,2,3', "groups of three"),
        ('1,23', "groups of three"),
        ('1,2345.00', "groups of three"),
        (',123', "groups of three"),
        ('0,123', "groups of three"),
        ('1,234.5,6', "comma after the decimal point"),
        ('1e9', "exponents"),
        ('1E9', "exponents"),
        ('2.5e-3', "exponents"),
        ('1_000', "underscores"),
        ('\u0661\u0662', "other than 0-9"),  # Arabic-Indic digits
        ('\uff11\uff12', "other than 0-9"),  # full-width digits
        ('\u221240.00', "other than 0-9"),  # a minus sign from a word processor
        ('1.2.3', "more than one decimal point"),
        ('1.005', "fractions of a cent"),
        ('45.670', "fractions of a cent"),
        ('NaN', "is not a number"),
        ('nan', "is not a number"),
        ('inf', "is not a number"),
        ('-Infinity', "is not a number"),
        ('sNaN', "is not a number"),
        ('abc', "is not a number"),
        ('12.3x', "is not a number"),
        ('1 000', "is not a number"),
        ('--5', "is not a number"),
        ('+-5', "is not a number"),
        ('$', "is not a number"),
        ('.', "is not a number"),
        ('-', "is not a number"),
        ('5-', "is not a number"),
        ('(-40.00)', "sign inside parentheses"),
        ('(40.00', "is not a number"),
        ('0x10', "is not a number"),
        ('', "is empty"),
        ('   ', "is empty"),
        ])
def test_money_refused_naming_line_and_value(text, reason):
    with pytest.raises(AmountError) as info:
        parse_money(text, line=7)
    error = info.value
    assert error.line == 7
    assert error.text == text
    assert reason in error.reason
    assert str(error).startswith(f"line 7: the amount {text!r} ")


def test_none_is_empty():
    with pytest.raises(AmountError, match="is empty"):
        parse_money(None)


def test_error_without_a_line_names_the_value():
    with pytest.raises(AmountError) as info:
        parse_money('12,34', what="debit")
    assert str(info.value).startswith("the debit '12,34' is not a number")


@pytest.mark.parametrize('text, digits, value', [
        ('1,234', 2, D('1234')),
        ('1250.5', 2, D('1250.5')),
        ('000000012345', 2, D('12345')),
        ('12.25', 2, D('12.25')),
        ('-3', 0, D('-3')),
        ('12.3456', 4, D('12.3456')),
        ])
def test_numbers_with_the_field_digits(text, digits, value):
    number = parse_number(text, digits, what="read")
    assert number == value
    # As written: a read is not rounded to the field's digits.
    assert number.as_tuple() == value.as_tuple()


@pytest.mark.parametrize('text, digits, reason', [
        ('12.345', 2, "more than 2 decimals"),
        ('12.3456789', 2, "more than 2 decimals"),
        ('1.5', 0, "more than 0 decimals"),
        ('$5', 2, "is not a number"),  # no dollars in a read
        ('(5)', 2, "is not a number"),
        ('12,34', 2, "groups of three"),
        ('1e3', 4, "exponents"),
        ])
def test_numbers_refused(text, digits, reason):
    with pytest.raises(AmountError) as info:
        parse_number(text, digits, line=3, what="read")
    assert reason in info.value.reason
    assert info.value.message.startswith(f"the read {text!r}")
