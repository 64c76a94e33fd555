# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The one reader of numbers in files: payment files, bank statements and
meter read files.

A number is written the American way: an optional sign, ASCII digits
with commas between groups of three (1,234.56) or none (1234.56), at most
one decimal point and at most `digits` decimals.  Money may carry a dollar
sign after the sign (-$40.00) or be written in parentheses for a negative
amount ((40.00)), as bank exports do.

Anything else is refused rather than guessed: 12,34 (a European decimal
comma, or a typo), 1,2,3, 1e9, 1_000, digits of other scripts, NaN and
infinity, 1.005 for money.  A file's figure that is read wrong pays or
bills the wrong amount, so a refusal naming the line and the value is
always better."""
import re
from decimal import Decimal

NUMBER = re.compile(r'''
    (?P<sign>[+-])?
    (?P<dollar>\$)?
    (?P<integer>[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)?
    (?:\.(?P<fraction>[0-9]*))?
    ''', re.VERBOSE)


class AmountError(ValueError):
    """A number of a file that cannot be read: `line` is the file's line
    number (None when not known), `text` the value as written, `reason`
    why it is refused"""

    def __init__(self, text, reason, line=None, what="amount"):
        self.text = text
        self.reason = reason
        self.line = line
        self.what = what
        self.message = f"the {what} {text!r} {reason}"
        super().__init__(
            f"line {line}: {self.message}" if line else self.message)


def _reason(text):
    "Why `text` is not a number, in the words a clerk reads"
    if not text.isascii():
        return "is not a number: it has characters other than 0-9"
    if '_' in text:
        return "is not a number: underscores are not digit separators"
    if re.search(r'[eE]', text) and re.search(r'[0-9]', text):
        return "is not a number: exponents (1e9) are not accepted"
    if text.count('.') > 1:
        return "is not a number: it has more than one decimal point"
    if ',' in text.partition('.')[2]:
        return "is not a number: a comma after the decimal point"
    if ',' in text:
        return ("is not a number: commas must separate groups of three "
            "digits (1,234.56)")
    return "is not a number"


def parse_number(text, digits, line=None, what="amount", money=False):
    """The Decimal written in `text`, as written (no rounding), with at
    most `digits` decimals.  `money` also accepts a dollar sign and
    parentheses for a negative amount.  Raises AmountError naming `line`
    and the value."""
    if text is None:
        text = ''
    written = text
    text = text.strip()
    if not text:
        raise AmountError(written, "is empty", line, what)
    negative = False
    if money and text.startswith('(') and text.endswith(')'):
        negative = True
        text = text[1:-1].strip()
        if text[:1] in {'+', '-'}:
            raise AmountError(written,
                "is not a number: a sign inside parentheses", line, what)
    match = NUMBER.fullmatch(text)
    if (not match
            or not (match['integer'] or match['fraction'])
            or (match['dollar'] and not money)):
        raise AmountError(written, _reason(text), line, what)
    fraction = match['fraction'] or ''
    if len(fraction) > digits:
        if digits == 2 and money:
            reason = "has fractions of a cent"
        else:
            reason = f"has more than {digits} decimals"
        raise AmountError(written, reason, line, what)
    integer = (match['integer'] or '0').replace(',', '')
    value = Decimal(f"{integer}.{fraction}" if fraction else integer)
    if (match['sign'] == '-') != negative:
        value = -value
    return value


def parse_money(text, line=None, what="amount"):
    """An amount of money in `text`, in cents (Decimal('5.00') for 5);
    see `parse_number`"""
    return parse_number(text, 2, line, what, money=True).quantize(
        Decimal('0.01'))
