# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests import test_tryton


class WaterUtilityTestCase(CompanyTestMixin, test_tryton.ModuleTestCase):
    "Tryton's own checks on the water_utility module"
    module = 'water_utility'


class AgencyPayrollTestCase(CompanyTestMixin, test_tryton.ModuleTestCase):
    "Tryton's own checks on the agency_payroll module"
    module = 'agency_payroll'
