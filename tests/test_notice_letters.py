# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The collections notices' letter: every word translated in the six
languages of HSC 116906(b) (English and Spanish checked as printed,
Chinese, Tagalog, Vietnamese and Korean shipped as translation files),
what the statute requires a disconnect notice to say, and each copy
inside the page's margins."""
import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from .test_customer_documents import Catalog, overflows, render, strings

MODULE = Path(__file__).resolve().parent.parent / 'water_collection'
TEMPLATE = 'notice_letter.html'
REPORT = 'water.collection.notice.letter'
LANGUAGES = ['es', 'zh_CN', 'tl', 'vi', 'ko']


@pytest.mark.parametrize('lang', LANGUAGES)
def test_translated(lang):
    "Every word of the notices has its translation in each language"
    catalog = Catalog(REPORT, lang, MODULE)
    assert sorted(strings(TEMPLATE, MODULE) - set(catalog.strings)) == []


def letter(step, kind, deadline=dt.date(2026, 3, 12)):
    account = SimpleNamespace(number='1000123')
    return SimpleNamespace(
        step=step, kind=kind, account=account,
        holder="Guadalupe Hernández",
        name=None if kind in {'occupant', 'posted'} else (
            "Rosa Vega" if kind == 'third_party'
            else "Guadalupe Hernández"),
        address=["5 Alder Way", "Cedar Creek, CA 95999"],
        service_addresses=["12 Birch Court, Cedar Creek"],
        amount=Decimal('1234.56'), date=dt.date(2026, 3, 2),
        deadline=deadline)


def text_of(lang, *letters):
    html = render(TEMPLATE, REPORT, lang, module=MODULE,
        letters=list(letters), account_language=lambda account: lang,
        dollars=lambda value: f'${value:,.2f}')
    return html, ' '.join(html.split())


# What HSC 116908(a)(1)(C) requires the disconnect notice to say, by
# language: the amount delinquent, the date, the extension, the
# arrangements, bill review and appeal
DISCONNECT = {
    'en': ["The amount delinquent is $1,234.56.",
        "pay the amount delinquent or make a payment arrangement with the "
        "district by 03/12/2026.",
        "to ask for an extension of time to pay",
        "an amortization of the unpaid balance over up to 12 months, an "
        "alternative payment schedule, a partial or reduced payment, or a "
        "temporary deferral of payment",
        "ask for a bill review", "appeal to the district's Board",
        "Guadalupe Hernández", "12 Birch Court, Cedar Creek"],
    'es': ["El monto en mora es $1,234.56.",
        "haga un arreglo de pago con el distrito a más tardar el "
        "03/12/2026.",
        "pedir una prórroga del plazo de pago",
        "la amortización del saldo pendiente en un plazo de hasta 12 "
        "meses",
        "pida una revisión de la factura",
        "puede apelar ante la Junta Directiva del distrito"],
    }


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_disconnect_notice_says_what_the_statute_requires(lang):
    html, text = text_of(lang, letter('disconnect_notice', 'holder'))
    for sentence in DISCONNECT[lang]:
        assert sentence in text, sentence
    assert overflows(html) == []


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_copies_say_who_they_are_for(lang):
    "The occupant's copy is addressed to the occupant, with the tenant's "
    "right; the third party's names whose contact they are"
    html, text = text_of(lang,
        letter('disconnect_notice', 'occupant'),
        letter('disconnect_notice', 'third_party'))
    expected = {
        'en': ["Occupant", "If you are a tenant",
            "the notice contact that Guadalupe Hernández named for account "
            "1000123."],
        'es': ["Ocupante", "Si es inquilino",
            "el contacto para avisos que Guadalupe Hernández nombró para la "
            "cuenta 1000123."],
        }[lang]
    for sentence in expected:
        assert sentence in text, sentence
    assert overflows(html) == []


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_late_and_door_notices(lang):
    html, text = text_of(lang, letter('late_notice', 'holder', None),
        letter('door_notice', 'posted'),
        letter('door_notice', 'posted', None))
    expected = {
        'en': ["Our records show $1,234.56 past due on your water account "
            "as of 03/02/2026.",
            "This notice was posted at the service address on 03/02/2026.",
            "unless the amount delinquent of $1,234.56 is paid or a payment "
            "arrangement is made by 03/12/2026.",
            "may be discontinued for nonpayment unless"],
        'es': ["Nuestros registros muestran $1,234.56 vencidos en su cuenta "
            "de agua al 03/02/2026.",
            "Este aviso se colocó en la dirección del servicio el "
            "03/02/2026.",
            "o se haga un arreglo de pago a más tardar el 03/12/2026.",
            "puede suspenderse por falta de pago"],
        }[lang]
    for sentence in expected:
        assert sentence in text, sentence
    assert overflows(html) == []


# The written policy (HSC 116906), from the district's configuration
POLICY = 'policy.html'
POLICY_REPORT = 'water.collection.policy.report'


@pytest.mark.parametrize('lang', LANGUAGES)
def test_policy_translated(lang):
    "Every word of the written policy has its translation in each language"
    catalog = Catalog(POLICY_REPORT, lang, MODULE)
    assert sorted(strings(POLICY, MODULE) - set(catalog.strings)) == []


def policy_text(lang):
    rule = SimpleNamespace(current_percent=Decimal(10),
        monthly_percent=Decimal(1), grace_days=15)
    policy = {
        'ladder': {'late_notice': 10, 'disconnect_notice': 45, 'phone': 50,
            'door_notice': 55},
        'delinquent_days': 60, 'notice_days': 7, 'default_days': 60,
        'final_notice_days': 5, 'max_months': 12, 'rule': rule,
        'reconnect_fee': Decimal('75.00'),
        'reconnect_fee_after_hours': Decimal('175.00'),
        'cap': Decimal('57.88'), 'cap_after_hours': Decimal('173.65'),
        'waiver_months': 12}
    html = render(POLICY, POLICY_REPORT, lang, module=MODULE,
        policy=policy, language=lang, percent=str,
        dollars=lambda value: f'${value:,.2f}')
    return html, ' '.join(html.split())


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_policy_says_what_the_statute_requires(lang):
    """HSC 116906(a): deferred or reduced payments, alternative schedules,
    a way to contest or appeal a bill, a telephone number; the district's
    own terms filled in"""
    html, text = policy_text(lang)
    expected = {
        'en': ["call Customer Service at +1 209-555-0100.",
            "over up to 12 months, an alternative payment schedule, a "
            "partial or reduced payment, or a temporary deferral of payment",
            "ask for a bill review", "may appeal to the district's Board",
            "A late charge of 10% of the current charges",
            "Interest of 1% a month",
            "mailed 45 days after the due date, at least 7 business days",
            "$75.00 during business hours and $175.00 after hours",
            "no more than $57.88 during business hours and $173.65 after "
            "hours"],
        'es': ["llame a Servicio al Cliente al +1 209-555-0100.",
            "en un plazo de hasta 12 meses, un calendario de pagos "
            "alternativo",
            "puede pedir una revisión de la factura",
            "puede apelar ante la Junta Directiva del distrito",
            "Se agrega un cargo por atraso del 10% de los cargos",
            "no excede $57.88 en horario de oficina y $173.65 fuera de "
            "horario"],
        }[lang]
    for sentence in expected:
        assert sentence in text, sentence
    assert overflows(html) == []


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_each_letter_is_one_page(lang):
    "A copy is one sheet: the mail house folds it, the postage counts it"
    import weasyprint
    for step in ['late_notice', 'disconnect_notice', 'door_notice']:
        for kind in ['holder', 'occupant', 'third_party']:
            html, _ = text_of(lang, letter(step, kind))
            pages = weasyprint.HTML(string=html).render().pages
            assert len(pages) == 1, (step, kind)


# The printed payment arrangement, in the account's language
AGREEMENT = 'arrangement_agreement.html'
AGREEMENT_REPORT = 'water.collection.arrangement.agreement'


@pytest.mark.parametrize('lang', LANGUAGES)
def test_agreement_translated(lang):
    catalog = Catalog(AGREEMENT_REPORT, lang, MODULE)
    assert sorted(strings(AGREEMENT, MODULE) - set(catalog.strings)) == []


@pytest.mark.parametrize('lang', ['en', 'es'])
def test_agreement_prints_the_schedule_on_one_page(lang):
    import weasyprint
    installments = [SimpleNamespace(due_date=dt.date(2026, m, 15),
            amount=Decimal('41.15')) for m in range(1, 13)]
    arrangement = SimpleNamespace(
        account=SimpleNamespace(number='1000123',
            party=SimpleNamespace(rec_name="Guadalupe Hernández")),
        kind='amortization', amount=Decimal('493.80'),
        installments=installments, signed_date=dt.date(2025, 12, 20))
    html = render(AGREEMENT, AGREEMENT_REPORT, lang, module=MODULE,
        records=[arrangement], account_language=lambda account: lang,
        service_addresses=lambda account: ["5 Alder Way, Cedar Creek"],
        dollars=lambda value: f'${value:,.2f}', default_days=60,
        final_notice_days=5)
    text = ' '.join(html.split())
    expected = {
        'en': ["Payment Arrangement Agreement", "$493.80",
            "paid in equal monthly installments", "12/15/2026",
            "unpaid for 60 days or more", "no sooner than 5 business days",
            "Customer's signature and date"],
        'es': ["Convenio de Arreglo de Pago", "$493.80",
            "cuotas mensuales iguales", "12/15/2026",
            "durante 60 días o más", "no antes de 5 días hábiles",
            "Firma y fecha del cliente"],
        }[lang]
    for sentence in expected:
        assert sentence in text, sentence
    assert overflows(html) == []
    assert len(weasyprint.HTML(string=html).render().pages) == 1
