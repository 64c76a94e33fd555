# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
from types import SimpleNamespace

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction

from .db_cache import module_caches, seed_from


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
        module_caches()
        super().setUpClass()


class SeededOnWaterUtility:
    "A module's checks on a database activated from water_utility's cache"

    @classmethod
    def setUpClass(cls):
        if module_caches():
            seed_from('water_utility', cls.module)
        super().setUpClass()


class WaterCollectionTestCase(SeededOnWaterUtility,
        ListActionMixin, CompanyTestMixin, test_tryton.ModuleTestCase):
    """Tryton's own checks on the water_collection module, activated on
    water_utility and Tryton's dunning modules"""
    module = 'water_collection'

    @with_transaction()
    def test_report_directives_not_stacked(self):
        """A process rendering a notice letter again and again (a mailing's
        emails) leaves the cached template as it was: trytond adds its
        i18n directives to a shallow copy at each render, and genshi
        merged them into the lists the copy shares with the cached
        template; a thousand renders overflowed the recursion limit"""
        import copy
        from io import BytesIO
        from pathlib import Path

        from genshi.template import MarkupTemplate
        from genshi.template.base import SUB

        import water_collection
        Letter = Pool().get('water.collection.notice.letter', type='report')
        path = (Path(water_collection.__file__).parent / 'reports'
            / 'notice_letter.html')
        cached = MarkupTemplate(BytesIO(path.read_bytes()))

        def directives(stream):
            for kind, data, _ in stream:
                if kind is SUB:
                    yield len(data[0])
                    yield from directives(data[1])
        before = list(directives(cached._stream))
        for _ in range(3):
            Letter._callback_loader(
                SimpleNamespace(translatable=True), copy.copy(cached))
        self.assertEqual(list(directives(cached._stream)), before)


class WaterFinanceTestCase(SeededOnWaterUtility,
        ListActionMixin, CompanyTestMixin, test_tryton.ModuleTestCase):
    """Tryton's own checks on the water_finance module, activated on
    water_utility and Tryton's purchase modules"""
    module = 'water_finance'


class WaterDeskTestCase(SeededOnWaterUtility,
        ListActionMixin, CompanyTestMixin, test_tryton.ModuleTestCase):
    "Tryton's own checks on the water_desk module, activated on water_utility"
    module = 'water_desk'
