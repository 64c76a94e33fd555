# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The test databases the suite starts from, activated once a run.

Activating the modules is the slow part of a test database (a minute and
more each on PostgreSQL): agency_payroll is activated once, water_utility
on top of it, the district set up on that; every test class and scenario
starts from a copy of one of them (trytond's DB_CACHE).  With DB_CACHE a
folder the copies are dump files; with `postgresql://` (make test on
PostgreSQL) template databases."""
import os

from trytond.tests import test_tryton

DISTRICT = 'water_utility--setup_district'
COLLECTION_DISTRICT = 'water_collection--setup_district'
FINANCE_DISTRICT = 'water_finance--setup_district'
DESK_DISTRICT = 'water_desk--setup_district'


def cached(name):
    "Whether trytond's test cache holds the database `name`"
    cache = test_tryton.DB_CACHE
    path = test_tryton._db_cache_file(cache, name)
    if cache.startswith('postgresql://'):
        return test_tryton.db_exist(path[len(cache) + 1:])
    return os.path.exists(path)


def seed_from(base, module, name=None):
    """Cache `module`'s test database (as `name`, the module's name by
    default) by activating it on the cached database of `base`: the
    modules they share (company, account, party...) are not activated a
    second time"""
    name = name or module
    if (not test_tryton.DB_CACHE or cached(name)
            or not cached(base)):
        return
    test_tryton.drop_db()
    if test_tryton.restore_db_cache(base):
        test_tryton.activate_module(module)
        if name != module:
            test_tryton.backup_db_cache(name)
        test_tryton.drop_db()


def module_caches():
    """Cache agency_payroll activated alone, then water_utility activated
    on it (as a district runs them, both modules); return whether the
    second is cached"""
    if not test_tryton.DB_CACHE:
        return False
    if not cached('agency_payroll'):
        test_tryton.drop_db()
        test_tryton.activate_module('agency_payroll')
        test_tryton.drop_db()
    seed_from('agency_payroll', 'water_utility')
    return cached('water_utility')


def seed_district_cache():
    """Give the scenarios' district (`activate_modules('water_utility',
    setup_district)`) its cached database from the module's own: the
    district is then set up on it once, and water_utility is not
    activated a second time"""
    from trytond.tests.tools import _get_config
    from water_utility.district import setup_district
    if not module_caches() or cached(DISTRICT):
        return
    test_tryton.drop_db()
    if test_tryton.restore_db_cache('water_utility'):
        setup_district(config=_get_config())
        test_tryton.backup_db_cache(DISTRICT)
        test_tryton.drop_db()


def seed_collection_district_cache():
    """Give the collections scenarios' district
    (`activate_modules('water_collection', setup_district)`) its cached
    database: the district set up on water_collection's own"""
    seed_district_on_module('water_collection', COLLECTION_DISTRICT)


def seed_finance_district_cache():
    """Give the finance scenarios' district
    (`activate_modules('water_finance', setup_district)`) its cached
    database: the district set up on water_finance's own"""
    seed_district_on_module('water_finance', FINANCE_DISTRICT)


def seed_desk_district_cache():
    """Give the desk scenarios' district (`activate_modules('water_desk',
    setup_district)`) its cached database"""
    seed_district_on_module('water_desk', DESK_DISTRICT)


def seed_district_on_module(module, name):
    """Cache as `name` the district set up on `module`'s cached database
    (activated once a run, on water_utility's), as `activate_modules`
    does it: the module activated, then the district set up.  The
    module's own tests (test_module.py) use that cache too, so its
    modules are activated once a run, not a second time on the
    district's"""
    from trytond.tests.tools import _get_config
    from water_utility.district import setup_district
    if not module_caches() or cached(name):
        return
    seed_from('water_utility', module)
    test_tryton.drop_db()
    if test_tryton.restore_db_cache(module):
        setup_district(config=_get_config())
        test_tryton.backup_db_cache(name)
        test_tryton.drop_db()
