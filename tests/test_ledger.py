# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The bulk posting of bill runs and payment files writes exactly the
ledger stock posting writes (tests/ledger_compare.py)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def unnamed(message):
    "An error message without the name of the record it names"
    return re.sub(r'in record ".*?" ', '', message)


def test_bulk_posting_matches_stock(tmp_path):
    """Same invoices, statements, lines, moves, move lines, payments,
    numbers, reconciliations"""
    cmd = [sys.executable, str(HERE / 'ledger_compare.py'), str(tmp_path)]
    uri = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
    if uri.startswith('postgresql'):
        cmd += ['--db-uri', uri]
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout)
    compared = report['bills']['compared']
    # A sample worth the name: tens of bills, their lines and moves, and a
    # zero bill, which Tryton reconciles at posting.
    assert compared['account_invoice'] >= 20, compared
    assert compared['account_invoice_line'] > compared['account_invoice']
    assert compared['account_move_line'] > compared['account_invoice_line']
    assert compared['account_move_reconciliation'] >= 1, compared
    assert compared['water_bill'] == compared['account_invoice']
    assert report['bills']['differences'] == [], json.dumps(
        report['bills']['differences'][:5], indent=1)

    # The lockbox file: several statements, payments of the bills with
    # bills reconciled, and the rows for no account.
    compared = report['lockbox']['compared']
    assert compared['account_statement'] >= 4, compared
    assert compared['account_statement_line'] >= 20, compared
    assert compared['account_invoice-account_move_line'] >= 20, compared
    assert compared['account_move_reconciliation'] >= 10, compared
    assert compared['water_payment_import_line'] >= 20, compared
    assert report['lockbox']['differences'] == [], json.dumps(
        report['lockbox']['differences'][:5], indent=1)

    # A closed revenue account, and one ended before the bill date: both
    # ways refuse the run with Tryton's own error.
    refusals = report['refusals']
    for case in ['closed', 'ended']:
        stock, bulk = refusals['stock'][case], refusals['bulk'][case]
        assert stock is not None, f"stock posted with the account {case}"
        assert bulk is not None, f"bulk posted with the account {case}"
        # The same error on the same field and account, of the same model;
        # the line's name carries its invoice's number once posted.
        assert [bulk[0], unnamed(bulk[1])] == [
            stock[0], unnamed(stock[1])], refusals

    # With invoice history and analytic invoices: the bulk way posts as the
    # stock way, going the stock way and saying why (on SQLite only).
    if uri.startswith('postgresql'):
        assert 'modules' not in report
        return
    modules = report['modules']
    assert modules['bills']['compared']['account_invoice'] >= 20, modules
    assert modules['bills']['differences'] == [], json.dumps(
        modules['bills']['differences'][:5], indent=1)
    assert modules['lockbox']['differences'] == [], json.dumps(
        modules['lockbox']['differences'][:5], indent=1)
    bills_reason, _ = modules['reasons']
    assert 'analytic_invoice' in bills_reason, modules['reasons']
    assert any(bills_reason in w for w in modules['warnings']), modules
