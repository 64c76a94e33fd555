# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The district's written policy on discontinuation of residential water
service for nonpayment (HSC 116906): printed from the district's own
configuration (its ladder, its penalty rule, its reconnection fees and
the CPI table) in the language asked, English, Spanish, Chinese, Tagalog,
Vietnamese or Korean (116906(b)), for the website and the counter."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from water_utility.models.report import DistrictReport

from .. import arrangement_rules, penalty_rules, shutoff_rules


class PolicyPrintStart(ModelView):
    "The language of the written policy"
    __name__ = 'water.collection.policy.print.start'

    language = fields.Many2One(
        'ir.lang', "Language", required=True,
        domain=[('translatable', '=', True)],
        help="The languages turned on in the district.")

    @classmethod
    def default_language(cls):
        Lang = Pool().get('ir.lang')
        code = Transaction().language
        langs = Lang.search([('code', '=', code)], limit=1)
        return langs[0].id if langs else None


class PolicyPrint(Wizard):
    "Print the written policy on discontinuation for nonpayment"
    __name__ = 'water.collection.policy.print'

    start = StateView('water.collection.policy.print.start',
        'water_collection.policy_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('water.collection.policy.report')

    def do_print_(self, action):
        return action, {'language': self.start.language.code}


class PolicyReport(DistrictReport):
    "The written policy, in the language asked"
    __name__ = 'water.collection.policy.report'
    _number_lang = 'en'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['language'] = data.get('language') or 'en'
        with without_check_access():
            context['policy'] = policy_facts(context['company'])
        context['percent'] = penalty_rules.percent_text
        return context


def policy_facts(company):
    "What the policy says of the district's own terms, as a dict"
    pool = Pool()
    Configuration = pool.get('water.configuration')
    AccountConfiguration = pool.get('account.configuration')
    Rule = pool.get('water.collection.penalty.rule')
    Cpi = pool.get('water.collection.cpi')
    today = pool.get('ir.date').today()
    procedure = AccountConfiguration(1).default_dunning_procedure
    ladder = {}
    for level in (procedure.levels if procedure else []):
        if level.collection_step and level.overdue is not None:
            ladder.setdefault(level.collection_step, level.overdue.days)
    configuration = Configuration(1)
    factor = Cpi.factor(today)
    rule = Rule.in_force(today, company.id) if company else None
    return {
        'ladder': ladder,
        'delinquent_days': shutoff_rules.DELINQUENT_DAYS,
        'notice_days': shutoff_rules.NOTICE_BUSINESS_DAYS,
        'default_days': shutoff_rules.ARRANGEMENT_DEFAULT_DAYS,
        'final_notice_days': shutoff_rules.FINAL_NOTICE_BUSINESS_DAYS,
        'max_months': arrangement_rules.MAX_MONTHS,
        'rule': rule,
        'reconnect_fee': configuration.reconnect_fee,
        'reconnect_fee_after_hours': configuration.reconnect_fee_after_hours,
        'cap': penalty_rules.reconnect_cap(cpi_factor=factor),
        'cap_after_hours': penalty_rules.reconnect_cap(
            after_hours=True, cpi_factor=factor),
        'waiver_months': penalty_rules.WAIVER_MONTHS,
        }
