# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""NACHA (ACH) credit files: PPD credits for a payroll's direct deposits,
CCD credits for the payments to vendors (water_finance's payment runs).

The layout is that of the NACHA Operating Rules, Appendix Three: 94-character
records; a file header (1), one batch header (5), an entry detail (6) per
deposit, the batch control (8), the file control (9), padded with records of
nines to a block of ten.  A CCD entry names the receiving company where a
PPD entry names the individual; the records are otherwise the same."""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

RECORD_SIZE = 94
BLOCKING_FACTOR = 10
CHECKING_CREDIT = '22'
SAVINGS_CREDIT = '32'
CREDITS_ONLY = '220'
ENTRY_CLASSES = {'PPD', 'CCD'}


class NachaError(ValueError):
    "A value that cannot go into an ACH file as it is"


def aba_check_digit(first_eight):
    "Return the ABA check digit of the first eight digits of a routing number"
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(first_eight, weights))
    return (10 - total % 10) % 10


def valid_routing(number):
    "Tell whether `number` is nine digits whose last is the ABA check digit"
    number = (number or '').strip()
    return (len(number) == 9 and number.isdigit()
        and aba_check_digit(number[:8]) == int(number[8]))


@dataclass
class Deposit:
    "One credit to an employee's account"
    routing: str
    account: str
    amount: Decimal
    name: str
    identification: str = ''
    savings: bool = False


def _alpha(value, size):
    value = ''.join(c if 32 <= ord(c) < 127 else ' ' for c in (value or ''))
    return value.upper()[:size].ljust(size)


def _numeric(value, size):
    value = str(value)
    if not value.isdigit() or len(value) > size:
        raise NachaError(f"{value!r} does not fit {size} digits")
    return value.rjust(size, '0')


def _cents(amount, size):
    amount = Decimal(amount)
    if amount < 0:
        raise NachaError(f"negative amount {amount}")
    return _numeric(int((amount * 100).to_integral_value()), size)


def _record(*fields):
    record = ''.join(fields)
    assert len(record) == RECORD_SIZE, (len(record), record)
    return record


def ppd_file(deposits, **arguments):
    """Return the text of a PPD credit file for `deposits` (a payroll's
    direct deposits to employees); the arguments are credit_file's"""
    return credit_file(deposits, entry_class='PPD', **arguments)


def ccd_file(deposits, *, description='VENDOR PAY', **arguments):
    """Return the text of a CCD credit file for `deposits` (payments to
    vendors, each `name` the vendor's); the arguments are credit_file's"""
    return credit_file(deposits, entry_class='CCD',
        description=description, **arguments)


def credit_file(deposits, *, destination_routing, destination_name,
        origin_id, origin_name, company_name, company_id, odfi_routing,
        effective_date, created=None, description='PAYROLL',
        file_id_modifier='A', batch_number=1, entry_class='PPD'):
    """Return the text of a credit file of one batch of `entry_class`
    (PPD or CCD) for `deposits`.

    `destination_routing` is the bank receiving the file, `origin_id` the
    ten characters the bank gave the district as immediate origin (often
    its tax id prefixed with 1), `company_id` the batch's company
    identification, `odfi_routing` the district's own bank routing."""
    if entry_class not in ENTRY_CLASSES:
        raise NachaError(f"entry class {entry_class!r} is not one of "
            f"{sorted(ENTRY_CLASSES)}")
    created = created or dt.datetime.now()
    for routing in (destination_routing, odfi_routing):
        if not valid_routing(routing):
            raise NachaError(f"routing number {routing!r} fails the ABA "
                "check digit")
    records = [_record(
            '1', '01',
            ' ' + destination_routing,
            _alpha(origin_id.strip(), 10).strip().rjust(10),
            created.strftime('%y%m%d'), created.strftime('%H%M'),
            _alpha(file_id_modifier, 1), '094', '10', '1',
            _alpha(destination_name, 23), _alpha(origin_name, 23),
            ' ' * 8)]
    batch = _numeric(batch_number, 7)
    odfi = odfi_routing[:8]
    records.append(_record(
            '5', CREDITS_ONLY, _alpha(company_name, 16), ' ' * 20,
            _alpha(company_id, 10), entry_class, _alpha(description, 10),
            effective_date.strftime('%y%m%d'),
            effective_date.strftime('%y%m%d'), '   ', '1', odfi, batch))
    entry_hash = 0
    total = Decimal(0)
    for sequence, deposit in enumerate(deposits, 1):
        if not valid_routing(deposit.routing):
            raise NachaError(f"routing number {deposit.routing!r} of "
                f"{deposit.name} fails the ABA check digit")
        account = (deposit.account or '').strip()
        if not account or len(account) > 17:
            raise NachaError(f"account number of {deposit.name} is empty "
                "or longer than 17 characters")
        entry_hash += int(deposit.routing[:8])
        total += deposit.amount
        records.append(_record(
                '6', SAVINGS_CREDIT if deposit.savings else CHECKING_CREDIT,
                deposit.routing[:8], deposit.routing[8],
                _alpha(account, 17), _cents(deposit.amount, 10),
                _alpha(deposit.identification, 15), _alpha(deposit.name, 22),
                '  ', '0', odfi + _numeric(sequence, 7)))
    count = len(records) - 2
    hash_ = _numeric(entry_hash % 10 ** 10, 10)
    records.append(_record(
            '8', CREDITS_ONLY, _numeric(count, 6), hash_,
            _cents(0, 12), _cents(total, 12), _alpha(company_id, 10),
            ' ' * 19, ' ' * 6, odfi, batch))
    blocks = -(-(len(records) + 1) // BLOCKING_FACTOR)
    records.append(_record(
            '9', _numeric(1, 6), _numeric(blocks, 6), _numeric(count, 8),
            hash_, _cents(0, 12), _cents(total, 12), ' ' * 39))
    while len(records) % BLOCKING_FACTOR:
        records.append('9' * RECORD_SIZE)
    return '\r\n'.join(records) + '\r\n'
