# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import os

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction


class ListActionMixin:
    "Checks on the module's menu actions, as the web client uses them"

    @with_transaction()
    def test_list_action_opens_form(self):
        """A list action whose model has a form view lists it too:
        without it a double-click in the list opens no record"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action.act_window')
        View = pool.get('ir.ui.view')
        for data in ModelData.search([
                    ('module', '=', self.module),
                    ('model', '=', 'ir.action.act_window'),
                    ]):
            action = Action(data.db_id)
            types = [v.view.type for v in action.act_window_views]
            # No view at all: the client takes the model's list and form.
            if 'tree' not in types or not View.search([
                        ('model', '=', action.res_model),
                        ('type', '=', 'form'),
                        ('inherit', '=', None),
                        ]):
                continue
            with self.subTest(action=data.fs_id):
                self.assertIn('form', types)


class AgencyPayrollTestCase(
        ListActionMixin, CompanyTestMixin, test_tryton.ModuleTestCase):
    """Tryton's own checks on the agency_payroll module, activated alone:
    it must not need water_utility"""
    module = 'agency_payroll'


class WaterUtilityTestCase(
        ListActionMixin, CompanyTestMixin, test_tryton.ModuleTestCase):
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
