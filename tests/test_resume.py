# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A run whose posting server is killed half-way resumes with no duplicate
(tests/resume_run.py)."""
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_killed_run_resumes_without_duplicates(tmp_path):
    cmd = [sys.executable, str(HERE / 'resume_run.py'), str(tmp_path)]
    uri = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
    if uri.startswith('postgresql'):
        cmd += ['--db-uri', uri]
    result = subprocess.run(
        cmd, capture_output=True, text=True, timeout=900, cwd=HERE)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout)
    killed = report['after_kill']
    # Killed half-way: runs still posting, some bills posted, each with
    # its one invoice; the batch being posted left nothing behind.
    assert killed['runs_posting'] >= 1, killed
    assert 0 < killed['bills_posted'] < killed['bills'], killed
    assert killed['bills_with_invoice'] == killed['bills_posted'], killed
    assert killed['invoices'] == killed['bills_posted'], killed
    assert killed['moves'] == killed['invoices'], killed
    assert killed['services_behind'] == 0, killed
    for stage in ['after_resume', 'after_again']:
        counts = report[stage]
        assert counts['runs_posting'] == 0, (stage, counts)
        assert counts['bills_posted'] == counts['bills'], (stage, counts)
        assert counts['invoices'] == counts['bills'], (stage, counts)
        assert counts['posted_invoices'] == counts['invoices'], (stage, counts)
        assert counts['moves'] == counts['invoices'], (stage, counts)
        assert counts['distinct_invoice_numbers'] == counts['invoices'], (
            stage, counts)
        assert counts['invoices_of_two_bills'] == 0, (stage, counts)
        assert counts['services_behind'] == 0, (stage, counts)
    assert report['after_again'] == report['after_resume']
