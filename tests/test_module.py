# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import os

from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests import test_tryton


class AgencyPayrollTestCase(CompanyTestMixin, test_tryton.ModuleTestCase):
    """Tryton's own checks on the agency_payroll module, activated alone:
    it must not need water_utility"""
    module = 'agency_payroll'


class WaterUtilityTestCase(CompanyTestMixin, test_tryton.ModuleTestCase):
    """Tryton's own checks on the water_utility module, activated beside
    agency_payroll as a district runs them"""
    module = 'water_utility'

    @classmethod
    def setUpClass(cls):
        seed_from('agency_payroll', 'water_utility')
        super().setUpClass()


def seed_from(base, module):
    """Cache `module`'s test database by activating it on the cached
    database of `base` (run just before): the modules they share (company,
    account, party...) are not activated a second time, a minute and more
    on PostgreSQL"""
    cache = test_tryton.DB_CACHE
    if (not cache
            or os.path.exists(test_tryton._db_cache_file(cache, module))
            or not os.path.exists(test_tryton._db_cache_file(cache, base))):
        return
    if test_tryton.db_exist(test_tryton.DB_NAME):
        test_tryton.drop_db()
    if test_tryton.restore_db_cache(base):
        test_tryton.activate_module(module)
        test_tryton.drop_db()
