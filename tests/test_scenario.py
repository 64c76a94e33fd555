# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Run every scenario_*.rst doctest as one pytest test.

pytest ignores unittest's load_tests, so Tryton's own doctest loader never
runs under it: this wrapper builds the same suite per file (same setUp,
tearDown, checker and option flags) and fails when any example fails."""
import doctest
import io
import pathlib
import unittest

import pytest

from trytond.tests import test_tryton

from .db_cache import (
    seed_collection_district_cache, seed_desk_district_cache,
    seed_district_cache, seed_finance_district_cache)

HERE = pathlib.Path(__file__).parent
SCENARIOS = sorted(HERE.glob('scenario_*.rst'))


def scenario_setup(test):
    test_tryton.doctest_setup(test)
    if 'scenario_collection' in test.name:
        seed_collection_district_cache()
    elif 'scenario_finance' in test.name:
        seed_finance_district_cache()
    elif 'scenario_desk' in test.name:
        seed_desk_district_cache()
    else:
        seed_district_cache()


@pytest.mark.parametrize(
    'scenario', SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_scenario(scenario):
    optionflags = (
        doctest.REPORT_ONLY_FIRST_FAILURE
        | doctest.ELLIPSIS
        | doctest.IGNORE_EXCEPTION_DETAIL)
    if test_tryton.backend.name == 'sqlite':
        optionflags |= test_tryton.STRIP_DECIMAL
    suite = doctest.DocFileSuite(
        str(scenario), module_relative=False,
        setUp=scenario_setup,
        tearDown=test_tryton.doctest_teardown,
        encoding='utf-8', checker=test_tryton.doctest_checker,
        optionflags=optionflags)
    output = io.StringIO()
    result = unittest.TextTestRunner(stream=output, verbosity=0).run(suite)
    assert result.testsRun == 1, f"{scenario.name} did not run"
    assert result.wasSuccessful(), output.getvalue()


def test_every_doctest_file_is_a_scenario():
    """A doctest file not named scenario_*.rst is a test that never runs:
    every .rst file here must be one this wrapper runs"""
    assert {p.name for p in HERE.glob('*.rst')} == {
        s.name for s in SCENARIOS}
