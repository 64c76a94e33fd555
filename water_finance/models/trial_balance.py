# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The trial balance for the Board packet, by period and by fund, from
Tryton's own figures (`account.general_ledger.account`: each account's
beginning balance, debits, credits and ending balance over a range of
periods), printed as PDF through the district's HTML template and
exported as CSV.  Each fund (the chart an account belongs to) is totalled
and told in or out of balance (`water_finance.trial_balance`)."""
from trytond.model import ModelView, fields
from trytond.modules.account.exceptions import FiscalYearNotFoundError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from ..trial_balance import Row, csv_text, sections
from .warrant_source import fund_of

PARAMETERS = ['company', 'fiscalyear', 'start_period', 'end_period', 'fund',
    'posted']


def figures(company, fiscalyear, start_period, end_period, fund=None,
        posted=True):
    """The trial balance's sections (one a fund, or `fund`'s alone) of
    `company` from `start_period` to `end_period` of `fiscalyear`"""
    LedgerAccount = Pool().get('account.general_ledger.account')
    with Transaction().set_context(company=company.id,
            fiscalyear=fiscalyear.id, start_period=start_period.id,
            end_period=end_period.id, posted=posted):
        accounts = LedgerAccount.search([])
        funds, rows = {}, []
        for ledger in accounts:
            account = ledger.account
            account_fund = fund_of(account, funds)
            if fund and account_fund != fund:
                continue
            rows.append(Row(account_fund.rec_name, account.code,
                    account.name, ledger.start_balance, ledger.debit,
                    ledger.credit, ledger.end_balance))
    return sections(rows)


class TrialBalancePrintStart(ModelView):
    "Trial Balance"
    __name__ = 'water.trial_balance.print.start'

    company = fields.Many2One('company.company', "Company", required=True)
    fiscalyear = fields.Many2One('account.fiscalyear', "Fiscal Year",
        required=True, domain=[('company', '=', Eval('company', -1))])
    start_period = fields.Many2One('account.period', "From Period",
        required=True,
        domain=[('fiscalyear', '=', Eval('fiscalyear', -1)),
            If(Eval('end_period'),
                ('start_date', '<=', Eval('end_period_start', None)),
                ())])
    end_period = fields.Many2One('account.period', "To Period",
        required=True,
        domain=[('fiscalyear', '=', Eval('fiscalyear', -1)),
            If(Eval('start_period'),
                ('start_date', '>=', Eval('start_period_start', None)),
                ())])
    start_period_start = fields.Function(fields.Date("From"),
        'on_change_with_start_period_start')
    end_period_start = fields.Function(fields.Date("To"),
        'on_change_with_end_period_start')
    fund = fields.Many2One('account.account', "Fund",
        domain=[('parent', '=', None),
            ('company', '=', Eval('company', -1))],
        help="Empty for every fund, each on its own.")
    posted = fields.Boolean("Posted Entries Only",
        help="Leave checked for the Board: drafts are not in the books.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_posted(cls):
        return True

    @classmethod
    def default_fiscalyear(cls):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        company = Transaction().context.get('company')
        try:
            return FiscalYear.find(company, test_state=False).id
        except FiscalYearNotFoundError:
            return None

    @fields.depends('start_period')
    def on_change_with_start_period_start(self, name=None):
        return self.start_period.start_date if self.start_period else None

    @fields.depends('end_period')
    def on_change_with_end_period_start(self, name=None):
        return self.end_period.start_date if self.end_period else None


class TrialBalancePrint(Wizard):
    "Trial Balance"
    __name__ = 'water.trial_balance.print'

    start = StateView('water.trial_balance.print.start',
        'water_finance.trial_balance_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("CSV", 'csv', 'tryton-save'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.trial_balance.report')
    csv = StateView('water.packet.csv',
        'water_finance.packet_csv_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def parameters(self):
        return {name: getattr(self.start, name).id
            if name != 'posted' and getattr(self.start, name) else
            getattr(self.start, name) for name in PARAMETERS}

    def do_print_(self, action):
        return action, self.parameters()

    def default_csv(self, fields):
        start = self.start
        funds = figures(start.company, start.fiscalyear, start.start_period,
            start.end_period, start.fund, start.posted)
        return {
            'file': csv_text(funds).encode('utf-8'),
            'filename': (f'trial-balance-{start.start_period.name}-'
                f'{start.end_period.name}.csv').replace(' ', '-'),
            }


class TrialBalanceReport(DistrictReport):
    "Trial Balance, by fund"
    __name__ = 'water.trial_balance.report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        context = super().get_context(records, header, data)
        models = {
            'company': pool.get('company.company'),
            'fiscalyear': pool.get('account.fiscalyear'),
            'start_period': pool.get('account.period'),
            'end_period': pool.get('account.period'),
            'fund': pool.get('account.account'),
            }
        values = {name: Model(data[name]) if data.get(name) else None
            for name, Model in models.items()}
        context.update(values)
        context['posted'] = data.get('posted', True)
        context['funds'] = figures(**values, posted=context['posted'])
        context['today'] = pool.get('ir.date').today()
        return context
