# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The bulk posting of bill runs and payment files writes exactly the
ledger stock posting writes (tests/ledger_compare.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


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
