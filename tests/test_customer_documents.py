# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The customer's documents in each language they print in: every word
of their templates translated in the module's locale/*.po, and their
lines inside the page's margins, laid out by weasyprint as trytond
renders them."""
import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
import weasyprint
from genshi.filters.i18n import Translator, extract
from genshi.template import MarkupTemplate

MODULE = Path(__file__).resolve().parent.parent / 'water_utility'
LANGUAGES = ['en', 'es']
# The templates of what the district sends its customers, and the reports
# that print them (each has its own translations)
CUSTOMER_DOCUMENTS = {
    'bill.html': ['water.bill.report'],
    'receipt.html': [
        'water.cash.receipt.report', 'water.cash.receipt.letter'],
    'customer_statement.html': ['water.account.statement.report'],
    'leak_letter.html': ['water.service.order.leak_letter'],
    }


class Catalog:
    "A report's translations, as trytond's report translator asks for them"

    def __init__(self, report_name, lang, module=MODULE):
        self.strings = {}
        path = module / 'locale' / f'{lang}.po'
        if path.exists():
            self.strings = {e.msgid: e.msgstr for e in polib.pofile(path)
                if e.msgctxt == f'report:{report_name}:' and e.msgstr}

    def gettext(self, text):
        return self.strings.get(text, text)

    def ngettext(self, text, text_plural, n):
        return self.gettext(text if n == 1 else text_plural)


def strings(template, module=MODULE):
    "The strings of `template` that trytond's report translation extracts"
    with open(module / 'reports' / template, 'rb') as fp:
        return {s for _, _, s, _ in extract(fp, [], [], {})}


@pytest.mark.parametrize('template', sorted(CUSTOMER_DOCUMENTS))
def test_translated(template):
    "Every word a customer document prints has its Spanish"
    for report_name in CUSTOMER_DOCUMENTS[template]:
        catalog = Catalog(report_name, 'es')
        missing = sorted(strings(template) - set(catalog.strings))
        assert missing == [], report_name


def test_translated_finds_missing():
    "A string the translations lack is found"
    assert 'Payment Receipt' in strings('receipt.html')
    assert 'Payment Receipt' not in Catalog('water.bill.report', 'es').strings


def render(template, report_name, lang, module=MODULE, **context):
    "The HTML of `template` in `lang`, as trytond's Report.render gives it"
    template = MarkupTemplate(BytesIO((module / 'reports' / template)
            .read_bytes()))
    translator = Translator(Catalog(report_name, lang, module))
    template.filters.append(translator)
    template.add_directives(Translator.NAMESPACE, translator)
    context.setdefault('set_lang', lambda language=None: '')
    context.setdefault('district', DISTRICT)
    context.setdefault('format_date', lambda value: value.strftime(
            '%m/%d/%Y'))
    context.setdefault('number', lambda value, digits=2: (
            f'{value:,.{digits}f}' if value is not None else ''))
    context.setdefault('money', lambda value: f'{value or 0:,.2f}')
    return template.generate(**context).render()


def overflows(html):
    """The texts of `html` laid out past the right margin of their page,
    with how far past it in points"""
    document = weasyprint.HTML(string=html).render()
    found = []
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            text = getattr(child, 'text', None)
            end = child.position_x + child.margin_width()
            if text and end > right + 0.5:
                found.append((text, round(end - right, 1)))
    return found


DISTRICT = {
    'name': "Cedar Creek Water District",
    'address': ["1400 Cedar Creek Road", "Cedar Creek, CA 95999"],
    'phone': "+1 209-555-0100",
    }


# The demo district's rate components, by language
COMPONENTS = {
    'en': ["Service charge", "Water usage", "Sewer service"],
    'es': ["Cargo por servicio", "Consumo de agua",
        "Servicio de alcantarillado"],
    }
# How the lines' rates read (msg_bill_line_*), by language
TERMS = {
    'en': ["31 days: 1.5 months at $3.12", "first 1,234.50 HCF at $3.12",
        "over 1,234.50 HCF at $3.12", "$3.12 a day × 31 days"],
    'es': ["31 días: 1.5 meses a $3.12", "primeros 1,234.50 HCF a $3.12",
        "más de 1,234.50 HCF a $3.12", "$3.12 al día × 31 días"],
    }
# The district's office hours and ways to pay, by language
PAYING = {
    'en': ("Monday to Friday, 8:00 am to 5:00 pm",
        ["Online at www.cedarcreekwater.example/pay, any time",
            "By phone with a card, 24 hours: +1 209 555 0199"]),
    'es': ("lunes a viernes, de 8:00 a 17:00",
        ["En línea en www.cedarcreekwater.example/pay, a cualquier hora",
            "Por teléfono con tarjeta, las 24 horas: +1 209 555 0199"]),
    }

# Charges on lines of their own and an arrangement's installment, by
# language (water_collection's msg_bill_*)
CHARGES = {
    'en': ["Late charge", "Reconnection fee, after hours",
        "Installment 12 of 12, due 06/01/2026"],
    'es': ["Cargo por pago atrasado", "Cargo por reconexión, fuera de horario",
        "Pago 12 de 12, vence el 06/01/2026"],
    }


def bill_facts(lang):
    "A multi-family bill in `lang` as long as the district's bills get"
    start, end = dt.date(2026, 4, 10), dt.date(2026, 5, 11)
    period = SimpleNamespace(
        start_date=start, end_date=end, days=31, usage=Decimal('1234.56'),
        previous_read=Decimal(1234567), previous_read_date=start,
        current_read=Decimal(1235801), current_read_date=end,
        estimated=True)

    def line(name, terms, tier=None, quantity=Decimal('1234.56'),
            start=start):
        return {
            'name': name, 'terms': terms, 'tier': tier,
            'quantity': quantity, 'amount': Decimal('12345.67'),
            'start': start, 'end': end}
    service, usage, sewer = COMPONENTS[lang]
    months, first, over, days = TERMS[lang]
    office_hours, payment_options = PAYING[lang]
    # A rate change cuts the usage lines: they print their days.
    cut = dt.date(2026, 4, 25)
    return SimpleNamespace(
        lang=lang, account=SimpleNamespace(number='1000123'),
        name="Guadalupe Hernández-Villaseñor",
        address=["12345 Cedar Creek Boulevard Apt 101",
            "Cedar Creek, CA 95999"],
        due_date=dt.date(2026, 6, 1), amount_due=Decimal('12345.67'),
        previous_balance=Decimal('1234.56'), payments=Decimal('-1234.56'),
        charges=[(dt.date(2026, 4, 20), CHARGES[lang][0], Decimal('123.45')),
            (dt.date(2026, 5, 1), CHARGES[lang][1], Decimal('175.00'))],
        schedule=[(CHARGES[lang][2], Decimal('1234.56'))],
        schedule_due=Decimal('13580.23'),
        current=Decimal('12345.67'), messages=[], unit_short='HCF',
        services=[{
                'period': period,
                'address': "12345 Cedar Creek Boulevard, Cedar Creek",
                'type': "Multifamiliar",
                'meter': 'DM-0001234',
                'gallons_per_day': Decimal(29793),
                'lines': [
                    line(service, months, quantity=Decimal('1.5')),
                    line(usage, first, tier=1, start=cut),
                    line(usage, over, tier=2, start=cut),
                    line(sewer, days, quantity=Decimal(31)),
                    ],
                }],
        office_hours=office_hours, payment_options=payment_options,
        chart=lambda: '')


@pytest.mark.parametrize('lang', LANGUAGES)
def test_bill_within_margins(lang):
    "Every line of the bill, its meter and charge lines too, fits the page"
    facts = bill_facts(lang)
    bill = SimpleNamespace(
        run=SimpleNamespace(bill_date=dt.date(2026, 5, 12), message=None))
    html = render('bill.html', 'water.bill.report', lang,
        records=[bill], facts=lambda bill: facts,
        dollars=lambda value: f'${value:,.2f}')
    assert {'en': 'Meter', 'es': 'Medidor'}[lang] in html
    assert CHARGES[lang][1] in html and '13,580.23' in html
    assert overflows(html) == []


def receipt(lang, tender):
    "A receipt paying two bills, as long as the counter's receipts get"
    bill = SimpleNamespace(number='INV-0001234',
        invoice_date=dt.date(2026, 4, 12))
    line = SimpleNamespace(invoice=bill, amount=Decimal('1234.56'))
    return SimpleNamespace(
        number='R-0001234', date=dt.date(2026, 5, 12),
        posted_at=dt.datetime(2026, 5, 12, 21, 5), state='voided',
        voided_at=dt.datetime(2026, 5, 12, 22, 15),
        void_reason="Taken on the wrong account, paid again on the right",
        drawer=SimpleNamespace(
            clerk=SimpleNamespace(rec_name="Carla Nguyen-Villaseñor")),
        customer_account=SimpleNamespace(number='1000123',
            party=SimpleNamespace(rec_name="Guadalupe Hernández"),
            balance=Decimal('-1234.56'), lang=lang),
        lines=[line, line], unapplied=Decimal('1234.56'),
        amount=Decimal('3703.68'), tender=tender, check_number='100234',
        check_bank="Sierra Community Bank", card_reference='A1B2C3',
        tendered=Decimal('3703.68'), change=Decimal(0))


@pytest.mark.parametrize('paper', ['roll', 'letter'])
@pytest.mark.parametrize('tender', ['cash', 'check', 'card'])
@pytest.mark.parametrize('lang', LANGUAGES)
def test_receipt_within_margins(lang, tender, paper):
    "Every line of the receipt fits the roll and the letter paper"
    report_name = {'roll': 'water.cash.receipt.report',
        'letter': 'water.cash.receipt.letter'}[paper]
    html = render('receipt.html', report_name, lang,
        records=[receipt(lang, tender)], paper=paper,
        account_language=lambda account: account.lang)
    assert {'en': 'Payment Receipt', 'es': 'Recibo de Pago'}[lang] in html
    assert overflows(html) == []


@pytest.mark.parametrize('leak_found', [True, False])
@pytest.mark.parametrize('lang', LANGUAGES)
def test_leak_letter(lang, leak_found):
    "The leak letter reads in the account's language, inside its margins"
    order = SimpleNamespace(number='SO-0001234', done_date=dt.date(
            2026, 5, 12), leak_found=leak_found,
        leak_location="irrigation valve by the driveway")
    facts = SimpleNamespace(
        name="Guadalupe Hernández", address=["5 Alder Way",
            "Cedar Creek, CA 95999"],
        account=SimpleNamespace(number='1000123'),
        service_address="5 Alder Way, Cedar Creek",
        usage=Decimal('30.75'), unit_short='HCF', days=30,
        gallons_per_day=Decimal(767), usual_gallons_per_day=Decimal(200))
    html = render('leak_letter.html', 'water.service.order.leak_letter',
        lang, records=[order], letter=lambda order: facts,
        account_language=lambda account: lang,
        today=dt.date(2026, 5, 13))
    text = ' '.join(html.split())
    expected = {
        'en': ["On 05/12/2026 our field crew checked the water meter at "
            "5 Alder Way, Cedar Creek.",
            "Questions? Call Customer Service at +1 209-555-0100, and "
            "have your account number ready."],
        'es': ["El 05/12/2026 nuestra cuadrilla revisó el medidor de agua "
            "en 5 Alder Way, Cedar Creek.",
            "¿Preguntas? Llame a Servicio al Cliente al +1 209-555-0100 y "
            "tenga a mano su número de cuenta."],
        }[lang]
    for sentence in expected:
        assert sentence in text
    assert overflows(html) == []


def test_overflows_found():
    "A line too long for the page is found"
    html = ('<html><body><div style="white-space: nowrap">'
        + 'Consumo de agua ' * 20 + '</div></body></html>')
    assert overflows(html)
