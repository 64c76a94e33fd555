# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Budget against actual for the Board packet, from Tryton's budgets
(`account_budget`): each top line of the budget a department (its
children the accounts), for a period: the month and the year to date,
budgeted and booked, what is left of the year and the share used;
printed as PDF through the district's HTML template and exported as
CSV (`water_finance.budget_vs_actual`)."""
from decimal import Decimal

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from ..budget_vs_actual import csv_text, row, totals


def line_figures(line, period):
    """(month budget, month actual, year-to-date budget, year-to-date
    actual) of a budget line, from its periods"""
    month = [p for p in line.periods if p.period == period]
    upto = [p for p in line.periods
        if p.period.start_date <= period.start_date]
    return (
        sum((p.total_amount or 0 for p in month), Decimal(0)),
        sum((p.actual_amount or 0 for p in month), Decimal(0)),
        sum((p.total_amount or 0 for p in upto), Decimal(0)),
        sum((p.actual_amount or 0 for p in upto), Decimal(0)))


def departments(budget, period):
    """[(department, rows, total)]: each top line of `budget` with its
    leaf lines' rows (a top line without children is its own row)"""
    result = []
    for top in budget.root_lines:
        leaves = list(top.children) or [top]
        rows = []
        for line in leaves:
            rows.append(row(top.current_name, line.current_name,
                    *line_figures(line, period), line.total_amount))
        result.append((top.current_name, rows, totals(rows)))
    return result


class BudgetReportStart(ModelView):
    "Budget against Actual"
    __name__ = 'water.budget_report.print.start'

    company = fields.Many2One('company.company', "Company", required=True)
    budget = fields.Many2One('account.budget', "Budget", required=True,
        domain=[('company', '=', Eval('company', -1))])
    period = fields.Many2One('account.period', "Period", required=True,
        domain=[('fiscalyear', '=', Eval('fiscalyear', -1)),
            ('type', '=', 'standard')])
    fiscalyear = fields.Function(fields.Many2One(
            'account.fiscalyear', "Fiscal Year"),
        'on_change_with_fiscalyear')

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('budget')
    def on_change_with_fiscalyear(self, name=None):
        return self.budget.fiscalyear if self.budget else None


class BudgetReportPrint(Wizard):
    "Budget against Actual"
    __name__ = 'water.budget_report.print'

    start = StateView('water.budget_report.print.start',
        'water_finance.budget_report_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("CSV", 'csv', 'tryton-save'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.budget_report')
    csv = StateView('water.packet.csv',
        'water_finance.packet_csv_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def do_print_(self, action):
        return action, {'budget': self.start.budget.id,
            'period': self.start.period.id}

    def default_csv(self, fields):
        rows = [r for _, rows, _ in departments(
                self.start.budget, self.start.period) for r in rows]
        return {
            'file': csv_text(rows).encode('utf-8'),
            'filename': (f'budget-{self.start.period.name}.csv'
                ).replace(' ', '-'),
            }


class BudgetReport(DistrictReport):
    "Budget against Actual, by department"
    __name__ = 'water.budget_report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Budget = pool.get('account.budget')
        Period = pool.get('account.period')
        context = super().get_context(records, header, data)
        budget, period = Budget(data['budget']), Period(data['period'])
        context.update(budget=budget, period=period,
            departments=departments(budget, period),
            today=pool.get('ir.date').today())
        return context
