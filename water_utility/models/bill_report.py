# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The printed bill (its facts, chart and messages, in the account's
language) and the billing register with its revenue summary."""
from collections import defaultdict
from decimal import Decimal

from genshi.input import XML
from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .. import rates, usage as usage_arithmetic
from .bulk import as_decimal
from .report import (
    CustomerReport, DistrictReport, account_language, address_lines)




class BillReport(CustomerReport):
    "The customer's bill: one page with its remittance stub"
    __name__ = 'water.bill.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        facts = BillFacts.of(records)
        context['facts'] = lambda bill: facts[bill.id]
        return context


class BillFacts:
    """What one bill prints, gathered from the bill and its history, in
    the account's notice language"""

    @classmethod
    def of(cls, bills):
        """The facts of `bills` by id, gathered a language at a time with
        the records read together and one history query"""
        pool = Pool()
        Bill = pool.get('water.bill')
        Configuration = pool.get('water.configuration')
        Period = pool.get('water.bill.period')
        languages = defaultdict(list)
        for bill in bills:
            languages[account_language(bill.account)].append(bill.id)
        result = {}
        for lang, ids in languages.items():
            with Transaction().set_context(language=lang):
                records = Bill.browse(ids)
                services = {p.service.id for b in records for p in b.periods}
                history = defaultdict(list)
                for sub_ids in map(list,
                        grouped_slice(sorted(services), 1000)):
                    for period in Period.search([
                                ('service', 'in', list(sub_ids)),
                                ('bill.state', '=', 'posted'),
                                ], order=[('end_date', 'DESC'),
                                ('id', 'DESC')]):
                        history[period.service.id].append(period)
                # The district's words (office hours, ways to pay) in
                # the accounts' language
                configuration = Configuration(1)
                schedules = Bill.bill_schedules(records)
                for bill in records:
                    result[bill.id] = cls(bill, history, configuration,
                        schedules.get(bill.id, []))
        return result

    def __init__(self, bill, history, configuration, schedule=()):
        self.bill = bill
        self.account = account = bill.account
        self.name = account.party.rec_name
        self.address = address_lines(account.mailing_address)
        unit = configuration.billing_unit
        self.unit = usage_arithmetic.UNIT_NAMES[unit]
        self.unit_short = usage_arithmetic.UNIT_SYMBOLS[unit]
        self.lang = account_language(account)
        self.office_hours = configuration.office_hours or ''
        self.payment_options = [l.strip() for l in (
                configuration.payment_options or '').splitlines()
            if l.strip()]
        self.services = []
        for period in bill.periods:
            premise = period.service.premise
            meter = period.current_reading.meter if (
                period.current_reading) else None
            gallons = None
            if period.usage is not None and period.days:
                gallons = (usage_arithmetic.convert(
                        period.usage, configuration.billing_unit, 'gal', 4)
                    / period.days).quantize(Decimal(1))
            self.services.append({
                    'period': period,
                    'address': ', '.join(
                        p for p in [premise.street, premise.city] if p),
                    'type': period.service.service_type_string,
                    'meter': meter.serial if meter else '',
                    'gallons_per_day': gallons,
                    'lines': [{
                            'name': l.component.name,
                            'terms': l.terms(self.unit_short),
                            'tier': (l.tier if len(l.component.tiers) > 1
                                else None),
                            'quantity': l.quantity,
                            'amount': l.amount,
                            'start': l.start_date,
                            'end': l.end_date,
                            } for l in period.lines],
                    })
        self.current = sum((l['amount'] for s in self.services
                for l in s['lines']), Decimal(0))
        self.previous_balance = bill.previous_balance or Decimal(0)
        # Charges posted since the previous bill on lines of their own
        # (late charges, a reconnection fee): kept by the bill as it posted
        self.charges = [(c.date, c.description, c.amount)
            for c in bill.charges]
        self.payments = bill.payments or Decimal(0)
        self.amount_due = (bill.amount_due if bill.amount_due is not None
            else self.previous_balance + self.payments + self.current
            + sum((c[2] for c in self.charges), Decimal(0)))
        # What an agreed schedule (a payment arrangement) asks of this
        # bill besides its current charges
        self.schedule = list(schedule)
        self.schedule_due = schedule_due(self.current, self.schedule)
        self.due_date = bill.due_date
        last = max(p.end_date for p in bill.periods)
        self.history = sorted((p for s in {p.service.id for p in bill.periods}
                for p in history[s] if p.end_date <= last),
            key=lambda p: (p.end_date, p.id), reverse=True)
        self.messages = self._messages()

    def _messages(self):
        "Per-account messages: estimates, final bills, usage against last year"
        messages = []
        for service in self.services:
            period = service['period']
            if period.estimated:
                messages.append(gettext('water_utility.msg_bill_estimated',
                        address=service['address']))
            if period.final:
                messages.append(gettext('water_utility.msg_bill_final',
                        address=service['address']))
            last_year = [p for p in self.history
                if p.service == period.service
                and abs((period.end_date - p.end_date).days - 365) <= 20]
            if last_year and last_year[0].usage and period.usage is not None:
                change = ((period.usage - last_year[0].usage)
                    / last_year[0].usage * 100).quantize(Decimal(1))
                if abs(change) >= 20:
                    messages.append(gettext(
                            'water_utility.msg_bill_usage_above'
                            if change > 0 else
                            'water_utility.msg_bill_usage_below',
                            percent=abs(change)))
        return messages

    def chart(self):
        "The last 13 periods' usage as an SVG bar chart"
        bars = defaultdict(Decimal)
        for period in self.history:
            bars[period.end_date.replace(day=1)] += period.usage or 0
        for service in self.services:
            period = service['period']
            if period.bill.state != 'posted':
                bars[period.end_date.replace(day=1)] += period.usage or 0
        months = sorted(bars)[-13:]
        if not months:
            return ''
        top = max(bars[m] for m in months) or Decimal(1)
        width, height, gap = 300, 90, 4
        bar = (width - gap * 13) / 13
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height + 24}" '
            f'viewBox="0 0 {width} {height + 24}">']
        for i, month in enumerate(months):
            value = bars[month]
            h = float(value / top) * height
            x = i * (bar + gap)
            fill = '#1f4e79' if i == len(months) - 1 else '#8fb3d9'
            parts.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}" fill="{fill}"/>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 10}" '
                'font-size="7" text-anchor="middle">'
                f'{month.strftime("%m/%y")}</text>')
            parts.append(f'<text x="{x + bar / 2:.1f}" '
                f'y="{max(height - h - 2, 7):.1f}" font-size="6" '
                f'text-anchor="middle">{value:.0f}</text>')
        parts.append('</svg>')
        # A stream of elements, not text: the report's translator would
        # escape a text event.
        return XML(''.join(parts))


def schedule_due(current, schedule):
    """What a bill asks under an agreed `schedule` ([(label, amount)]):
    its `current` charges and the schedule's amounts; None without one"""
    if not schedule:
        return None
    return current + sum((amount for _, amount in schedule), Decimal(0))


class BillingRegister(DistrictReport):
    "A run's billing register and its revenue summary against the ledger"
    __name__ = 'water.bill.run.register'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Configuration = pool.get('water.configuration')
        context = super().get_context(records, header, data)
        context['summary'] = revenue_summary
        context['first_bill_max_days'] = (
            Configuration(1).first_bill_max_days)
        return context


def revenue_summary(run):
    """Return [(account, register amount, ledger amount)] of the run's
    revenue accounts and the same for the receivable: what the register
    billed against what its invoices put in the ledger"""
    pool = Pool()
    MoveLine = pool.get('account.move.line')
    register = defaultdict(Decimal)
    receivable = Decimal(0)
    for bill in run.bills:
        for line in bill.lines:
            register[line.component.product.account_revenue_used] += (
                line.amount)
            receivable += line.amount
    # An aggregate of the run's own moves, read as the report's owner
    # reads the register: by SQL, without opening the journal to the user.
    Account = pool.get('account.account')
    AccountType = pool.get('account.account.type')
    line = MoveLine.__table__()
    account = Account.__table__()
    type_ = AccountType.__table__()
    cursor = Transaction().connection.cursor()
    ledger = defaultdict(Decimal)
    ledger_receivable = Decimal(0)
    moves = [b.invoice.move.id for b in run.bills
        if b.invoice and b.invoice.move]
    for sub in map(list, grouped_slice(moves, 1000)):
        cursor.execute(*line.join(account,
                condition=line.account == account.id).join(type_,
                condition=account.type == type_.id).select(
                line.account, type_.receivable,
                Sum(line.credit - line.debit),
                where=fields.SQL_OPERATORS['in'](line.move, sub),
                group_by=[line.account, type_.receivable]))
        for account_id, receivable_type, amount in cursor:
            # SQLite sums in floating point
            amount = as_decimal(amount).quantize(rates.CENT)
            if receivable_type:
                ledger_receivable -= amount
            else:
                ledger[Account(account_id)] += amount
    accounts = sorted(set(register) | set(ledger), key=lambda a: a.code)
    rows = [(a, register.get(a, Decimal(0)),
            ledger.get(a, Decimal(0)) if moves else None) for a in accounts]
    return rows, (receivable, ledger_receivable if moves else None)
