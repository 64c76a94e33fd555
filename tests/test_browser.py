# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The web client, driven in headless Chromium as the clerk would use it.

Needs Debian's chromium (`.ci/run` installs it); without it the test is
skipped, unless REQUIRE_BROWSER is set (as in CI), where it fails."""
import contextlib
import datetime as dt
import os
import re
import shutil
from decimal import Decimal

import pytest

from water_utility import cash

from .conftest import PASSWORD, ROOT, RPC, listening

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync']


@pytest.fixture(scope='module')
def browser():
    if not CHROMIUM:
        if os.environ.get('REQUIRE_BROWSER'):
            pytest.fail("chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    from playwright.sync_api import expect

    # A save or a button is a round trip to a server that shares two
    # cores with pytest and Chromium under CI: 5 s, Playwright's own
    # wait, is too short for the slowest of them.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tmp_path(request):
    """Each test's folder, for its screenshots (a PNG a step) and files:
    test-results/browser/<test>/, for a person to open after the run"""
    folder = ROOT / 'test-results' / 'browser' / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@contextlib.contextmanager
def open_page(browser, tmp_path, **options):
    """A page of the web client, closed at the end; on a failure its
    screenshot is saved in `tmp_path` and the messages the client showed
    (an error dialog, say) are added to the failure"""
    page = browser.new_page(
        viewport={'width': 1400, 'height': 900}, **options)
    try:
        yield page
    except Exception as error:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(tmp_path / 'failure.png'))
            error.add_note(f"Screenshot: {tmp_path / 'failure.png'}")
        with contextlib.suppress(Exception):
            for text in page.locator(
                    '.modal-dialog:visible, .alert:visible'
                    ).all_inner_texts():
                error.add_note(f"The web client showed: {text.strip()}")
        raise
    finally:
        page.close()


def login(page, url, database, user, menu='Water Utility'):
    "Log in as `user` and wait for the top entry `menu` of the user's menu"
    page.goto(url + '/')
    # With several databases on the server, sao asks which one, once it
    # has the server's list.
    page.wait_for_function(
        "(document.querySelector('select#database')?.options.length > 0)"
        " || !!document.querySelector('input#database')?.value")
    chooser = page.locator('select#database')
    if chooser.is_visible():
        chooser.select_option(database)
    page.fill('#login', user)
    page.click('button:has-text("Login")')
    page.locator('input[type=password]:visible').fill(PASSWORD)
    page.keyboard.press('Enter')
    page.locator('#menu').get_by_text(menu, exact=True).wait_for()


def open_menu(page, *path):
    "Open the menu entry at `path`, expanding its parents like a person"
    *parents, entry = path
    menu = page.locator('#menu')
    for parent in parents:
        menu.locator('tr', has_text=parent).first.locator(
            '.expander').click()
    menu.get_by_text(entry, exact=True).click()


def settled(page):
    """Wait until the web client has no call to the server in flight: sao
    sends them all through jQuery, which counts them.  Until then an
    answer may still redisplay the form under what is being typed.

    Idle over two frames running: sao chains a call on the answer of
    another in a callback of its own, after jQuery counted the first done."""
    page.evaluate("window.idleFrames = 0")
    page.wait_for_function(
        "() => (window.idleFrames = jQuery.active === 0"
        " ? window.idleFrames + 1 : 0) >= 2", polling='raf')


def reload_until(page, field, expected, rounds=600):
    """Reload the record until `field` shows `expected` (a value, or a
    test of the value), as a clerk does waiting on the queue.  Each round
    waits for the client to settle; the rounds bound a stuck queue."""
    from playwright.sync_api import expect
    shows = expected if callable(expected) else expected.__eq__
    reload = page.locator('[title="Reload/Undo"]:visible')
    def value():
        # a field hidden while empty shows nothing
        return field.input_value() if field.count() else ''

    for _ in range(rounds):
        settled(page)
        if shows(value()):
            return
        reload.click()
    if callable(expected):
        raise AssertionError(f"{field} shows {value()!r}")
    expect(field).to_have_value(expected)


def click_button(page, label, method):
    """Click the form's button `label` and wait until the client has the
    server's answer to `method` and has reloaded the record: a Reload
    clicked before then finds the record half-way through the button's
    round (saved, called, read again) and asks whether to save it"""
    with page.expect_response(
            lambda r: f'"{method}"' in (r.request.post_data or '')):
        page.get_by_role('button', name=label).click()
    settled(page)


def filter_list(page, model, text):
    """Search the open list for `text` as a clerk does (typed in the
    filter, Enter) and wait for the server's answer to that search.

    Typed once the tab's list has loaded (the menu is a list too: its
    rows do not count).  sao loads whichever search answers last: the
    list's first search, still loading on a busy machine, replaced the
    filtered rows with the unfiltered first page."""
    from playwright.sync_api import expect
    expect(page.locator('#tabs .treeview:visible tbody tr').first
        ).to_be_visible()
    settled(page)
    search = page.locator('input[placeholder=Search]:visible')
    search.fill(text)
    with page.expect_response(lambda r: (
            f'"model.{model}.search' in (r.request.post_data or '')
            and text in (r.request.post_data or ''))):
        search.press('Enter')
    settled(page)


def new_record(page, field, cursor=None):
    """Click New and wait until the new record is on the form: its
    defaults arrived (`field` among them) and sao put the cursor in the
    form, its last step; on `cursor` when the view names it.

    A key pressed before the cursor lands goes wherever sao then puts it:
    an F2 meant for a search then opens the first field's record (the
    receipt's drawer) in a dialog over the form."""
    from playwright.sync_api import expect
    page.locator('[title="New"]:visible').click()
    expect(page.locator(f'[name={field}]:visible')).not_to_have_value('')
    if cursor:
        expect(page.locator(f'[name={cursor}]:visible')).to_be_focused()
    else:
        page.wait_for_function(
            "() => !!document.activeElement?.closest('.form')"
            " && document.activeElement.matches('input, select, textarea')")
    settled(page)


def pick(page, field, text, title='Search', row_text=None):
    """Choose the record `text` finds in the Many2One input `field` through
    its search dialog (F2), as a clerk does; `title` names the dialog, and
    `row_text` the row to choose when it does not show `text`.

    The form must have settled first (new_record, settled): an answer of
    the server redisplaying it clears the input, and may take the cursor
    and the F2 elsewhere."""
    from playwright.sync_api import expect
    dialogs = page.locator('.modal-dialog:visible')
    settled(page)
    opened = dialogs.count()
    field.fill(text)
    field.press('F2')
    search = page.locator('.modal-dialog', has_text=title)
    expect(search).to_be_visible()
    # The search alone: the F2 opened no other record over the form.
    expect(dialogs).to_have_count(opened + 1)
    # The dialog searches what the input held: its filter shows it.
    search_filter = search.locator('input[placeholder=Search]')
    if text not in search_filter.input_value():
        search_filter.fill(text)
        search_filter.press('Enter')
    row = search.locator('tr', has_text=row_text or text).first
    row.click()
    search.get_by_role('button', name='OK', exact=True).click()
    expect(search).to_be_hidden()
    expect(field).not_to_have_value('')


def type_into(page, locator, text):
    """Type like a person: sao formats numbers and dates on the way.

    Typed once the client has settled, so that no answer of the server
    (an on_change of an earlier field) writes the form over it; typed
    again should one still have.  `text` is a number."""
    def number(value):
        value = re.sub(r'[^\d.-]', '', value)
        return Decimal(value) if value else None

    for _ in range(3):
        settled(page)
        locator.click()
        locator.press('Control+a')
        page.keyboard.type(text)
        page.keyboard.press('Tab')
        settled(page)
        if number(locator.input_value()) == Decimal(text):
            return
    raise AssertionError(f"{text!r} would not stay typed")


def choose(select, label):
    """Choose `label` in a dropdown as a person does: the dropdown takes
    the focus first, so the field left behind hands its value to the form.

    (Playwright's select_option alone leaves the focus where it was: a
    name typed there and not yet handed over is then redisplayed blank by
    the next answer of the server.)"""
    select.focus()
    select.select_option(label=label)


def test_clerk_starts_service_for_new_customer(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    "A clerk starts service at a vacant premise for a new customer"
    from playwright.sync_api import expect

    # A vacant house: water off, no service, its meter still installed.
    premise_id, = admin_rpc('model.water.premise.search', [
            ('water_on', '=', False), ('services', '=', None)], 0, 1, None)
    premise, = admin_rpc(
        'model.water.premise.read', [premise_id], ['code', 'meters'])
    meter_id, = premise['meters']
    last, = admin_rpc('model.water.meter.reading.search_read', [
            ('meter', '=', meter_id)], 0, 1, [('read_date', 'DESC')],
        ['value'])
    opening = Decimal(last['value']['decimal']) + 37

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Start Service')

        wizard = page.locator(
            '.modal-dialog', has=page.locator('input[name=mailing_street]'))
        expect(wizard).to_be_visible()
        pick(page, wizard.locator('input[name=premise]'), premise['code'],
            'Search Premise')
        # At a practised clerk's speed: the premise's on_change may still
        # be on its way while she changes her mind on type and role.
        service_type = wizard.locator('select[name=service_type]')
        role = wizard.locator('select[name=role]')
        choose(service_type, "Commercial")
        choose(role, "Owner")
        choose(service_type, "Residential")
        wizard.locator('input[name=name]').fill("Rosa Delgado")
        choose(role, "Tenant")
        wizard.locator('input[name=phone]').fill("+1 209 555 0199")
        wizard.locator('input[name=email]').fill("rosa@example.com")
        wizard.locator('input[name=mailing_street]').fill("P.O. Box 412")
        wizard.locator('input[name=mailing_city]').fill("Cedar Creek")
        wizard.locator('input[name=mailing_postal_code]').fill("95999")
        expect(wizard.locator('input[name=meter]')).not_to_have_value('')
        type_into(page, wizard.locator('input[name=read]:visible'),
            str(opening))
        expect(service_type).to_have_value('"residential"')
        expect(role).to_have_value('"tenant"')
        page.screenshot(path=str(tmp_path / 'start_service_form.png'))
        wizard.locator('button:has-text("Next")').click()

        # The server shows what it will save, from what it received.
        confirm = page.locator('.modal-dialog',
            has=page.locator('textarea[name=mailing_address]'))
        expect(confirm).to_be_visible()
        expect(confirm.locator('select[name=service_type]')).to_have_value(
            '"residential"')
        expect(confirm.locator('select[name=role]')).to_have_value(
            '"tenant"')
        expect(confirm.locator('input[name=customer]')).to_have_value(
            "Rosa Delgado")
        expect(confirm.locator('input[name=premise]')).to_have_value(
            re.compile(premise['code']))
        expect(confirm.locator('textarea[name=mailing_address]')
            ).to_have_value(re.compile("P.O. Box 412"))
        page.screenshot(path=str(tmp_path / 'start_service_confirm.png'))
        confirm.locator('button:has-text("Start Service")').click()

        # The new service opens in its form, active.
        expect(page.locator('input[name=account]:visible')).to_have_value(
            re.compile("Rosa Delgado$"))
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"active"')
        page.screenshot(path=str(tmp_path / 'service_form.png'))

    # What the clerk did is in the database, to the read.
    service, = admin_rpc('model.water.service.search_read', [
            ('premise', '=', premise_id)], 0, None, None,
        ['state', 'account', 'service_type'])
    assert service['state'] == 'active'
    assert service['service_type'] == 'residential'
    account, = admin_rpc('model.water.account.read', [service['account']],
        ['party.name', 'role', 'mailing_address.street', 'email', 'number'])
    assert account['party.']['name'] == "Rosa Delgado"
    assert account['role'] == 'tenant'
    assert account['mailing_address.']['street'] == "P.O. Box 412"
    assert account['email'] == "rosa@example.com"
    read, = admin_rpc('model.water.meter.reading.search_read', [
            ('service', '=', service['id'])], 0, None, None,
        ['value', 'kind'])
    assert read['kind'] == 'opening'
    assert Decimal(read['value']['decimal']) == opening
    order, = admin_rpc('model.water.service.order.search_read', [
            ('service', '=', service['id'])], 0, None, None,
        ['type', 'state'])
    assert (order['type'], order['state']) == ('turn_on', 'requested')

    # The clerk's own session sees it too (not only the administrator).
    clerk = RPC(demo_server, demo_district['database'], 'clerk')
    assert clerk.count('water.service', [('id', '=', service['id'])]) == 1


def test_clerk_imports_a_read_file(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    "A clerk imports the reading system's file and sees its result"
    from playwright.sync_api import expect

    # Three metered houses with a service: a day's reads of their meters.
    services = admin_rpc('model.water.service.search_read', [
            ('state', '=', 'active'), ('service_type', '=', 'residential'),
            ], 0, 3, [('id', 'ASC')], ['premise'])
    lines = ['Meter_ID,Register_Number,Read,Read_Unit,Read_Time']
    for service in services:
        meter_id, = admin_rpc('model.water.premise.read',
            [service['premise']], ['meters'])[0]['meters']
        meter, = admin_rpc('model.water.meter.read', [meter_id],
            ['serial', 'unit'])
        last, = admin_rpc('model.water.meter.reading.search_read', [
                ('meter', '=', meter_id)], 0, 1,
            [('read_date', 'DESC'), ('id', 'DESC')], ['value'])
        value = Decimal(last['value']['decimal']) + 1
        unit = {'gal': 'GAL', 'cf': 'CUBIC_FEET', 'hcf': 'CCF'}[meter['unit']]
        lines.append(f"{meter['serial']},,{value},{unit},"
            f"{_today()} 06:00:00")
    lines.append(f"NO-SUCH-METER,,5,GAL,{_today()} 06:00:00")
    path = tmp_path / 'beacon-route.csv'
    path.write_text('\r\n'.join(lines) + '\r\n')

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Meter Reads', 'Import Meter Reads')
        wizard = page.locator('.modal-dialog', has_text='Import Meter Reads')
        wizard.locator('input[type=file]').set_input_files(str(path))
        wizard.locator('select[name=format]').select_option(
            label="Badger BEACON billing read export (CSV)")
        wizard.locator('button:has-text("Import")').click()
        result = page.locator('.modal-dialog', has_text='Open Exceptions')
        expect(result.locator('textarea[name=message]')).to_have_value(
            re.compile(r"4 rows read, 3 reads created, 1 rows skipped"))
        expect(result.locator('textarea[name=message]')).to_have_value(
            re.compile(r'Line 5: unknown meter "NO-SUCH-METER"'))
        page.screenshot(path=str(tmp_path / 'import_result.png'))
        result.locator('button:has-text("Close")').click()
    imports = admin_rpc('model.water.meter.reading.import.search_read', [
            ('file_name', '=', 'beacon-route.csv')], 0, None, None,
        ['created', 'skipped'])
    assert [(i['created'], i['skipped']) for i in imports] == [(3, 1)]


def test_clerk_types_a_route_book_and_prints_its_sheet(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    "A clerk opens a route book, prints its sheet, types a read and posts"
    from playwright.sync_api import expect

    # The last route: the other browser tests read meters elsewhere.
    route, = admin_rpc('model.water.route.search_read', [], 0, 1,
        [('code', 'DESC')], ['code'])
    premise, = admin_rpc('model.water.premise.search_read', [
            ('route', '=', route['id']), ('meters', '!=', None)], 0, 1,
        [('read_sequence', 'ASC'), ('id', 'ASC')], ['code', 'meters'])
    meter_id, = premise['meters']
    last, = admin_rpc('model.water.meter.reading.search_read', [
            ('meter', '=', meter_id)], 0, 1,
        [('read_date', 'DESC'), ('id', 'DESC')], ['value'])
    value = Decimal(last['value']['decimal']) + 42

    with open_page(browser, tmp_path, accept_downloads=True) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Meter Reads', 'Route Books')
        new_record(page, 'read_date')
        # F2 opens the search, whatever the completion list is doing: Tab
        # does nothing while the completion drop-down happens to be open.
        pick(page, page.locator('input[name=route]:visible'), route['code'],
            'Search Route')
        page.locator('[title="Save"]:visible').click()

        # Saved, the book lists the route's meters in walk order.
        first = page.locator(
            'tr', has=page.locator('td[data-title="Read: "]')).first
        expect(first).to_contain_text(premise['code'])

        # The route sheet for the reader, as a PDF.
        page.locator('[title="Print report"]:visible').click()
        with page.expect_download() as download:
            page.get_by_role('menuitem', name='Route Sheet').click()
        sheet = download.value
        assert sheet.suggested_filename.startswith('Route Sheet')
        assert open(sheet.path(), 'rb').read(5) == b'%PDF-'

        # The sheet comes back: the clerk types the first read and posts.
        cell = first.locator('td[data-title="Read: "]')
        cell.click()
        cell.click()
        expect(cell.locator('input[name=value]:visible')).to_be_focused()
        page.keyboard.type(str(value))
        page.keyboard.press('Tab')
        page.locator('[title="Save"]:visible').click()
        expect(page.locator('input[name=entered]:visible')).to_have_value(
            '1')
        page.get_by_role('button', name='Post').click()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"posted"')
        page.screenshot(path=str(tmp_path / 'route_book_posted.png'))

    book, = admin_rpc('model.water.route.book.search_read', [
            ('route', '=', route['id'])], 0, None, None,
        ['state', 'entered', 'posted_by.login'])
    assert book['state'] == 'posted'
    assert book['posted_by.']['login'] == 'clerk'
    # Its read, whatever others the meter has from the office (an opening
    # read, should the clerk's new service have started there).
    read, = admin_rpc('model.water.meter.reading.search_read', [
            ('meter', '=', meter_id), ('source', '=', 'office'),
            ('value', '=', {'__class__': 'Decimal', 'decimal': str(value)}),
            ], 0, None, None, ['value', 'kind'])
    assert Decimal(read['value']['decimal']) == value
    assert read['kind'] == 'regular'


def test_clerk_types_a_read_that_raises_an_exception(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """A customer phones in her read and the clerk types it into Meter
    Reads: the same number as the last read.  Zero use at an occupied
    house is suspicious (a stuck meter): the read raises a zero-usage
    exception, as an imported read would, shown on the read and holding
    the bill"""
    from playwright.sync_api import expect

    # A house of the last residential services, not read since the day
    # before yesterday (no other test read it today), away from the routes
    # the billing and route book tests read
    import datetime
    last_route, = admin_rpc('model.water.route.search_read', [], 0, 1,
        [('code', 'DESC')], ['code'])
    for service in admin_rpc('model.water.service.search_read', [
                ('state', '=', 'active'),
                ('service_type', '=', 'residential'),
                ('premise.route.code', 'not in',
                    ['R14', last_route['code']]),
                ], 0, 20, [('id', 'DESC')], ['premise']):
        meter_id, = admin_rpc('model.water.premise.read',
            [service['premise']], ['meters'])[0]['meters']
        last, = admin_rpc('model.water.meter.reading.search_read', [
                ('meter', '=', meter_id)], 0, 1,
            [('read_date', 'DESC'), ('id', 'DESC')],
            ['value', 'read_date'])
        if datetime.date(**{k: last['read_date'][k]
                    for k in ['year', 'month', 'day']}) < _yesterday():
            break
    else:
        pytest.skip("every house was read since yesterday")
    meter, = admin_rpc('model.water.meter.read', [meter_id], ['serial'])
    value = Decimal(last['value']['decimal']).quantize(Decimal('0.01'))

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Meter Reads')
        new_record(page, 'read_date')
        pick(page, page.locator('input[name=meter]:visible'),
            meter['serial'], 'Search Meter')
        type_into(page, page.locator('input[name=value]:visible'),
            str(value))
        page.locator('[title="Save"]:visible').click()
        expect(page.locator('.form').get_by_text(
                'Zero Usage').first).to_be_visible()
        page.screenshot(path=str(tmp_path / 'typed_read_exception.png'))

    read, = admin_rpc('model.water.meter.reading.search_read', [
            ('meter', '=', meter_id), ('source', '=', 'office'),
            ('read_date', '>=', {'__class__': 'date',
                    'year': _yesterday().year, 'month': _yesterday().month,
                    'day': _yesterday().day}),
            ], 0, None, None, ['exceptions', 'usage'])
    assert Decimal(read['usage']['decimal']) == 0
    exceptions = admin_rpc('model.water.meter.reading.exception.read',
        read['exceptions'], ['kind', 'state', 'service'])
    assert [(e['kind'], e['state']) for e in exceptions] == [
        ('zero', 'open')]
    assert exceptions[0]['service'] == service['id']


def test_billing_runs_a_route_and_opens_a_bill(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The billing clerk bills a route of a cycle, posts it, opens a bill,
    and delivers the run: the mail server is down, so the print file is
    made and the run stops on the reason; Resume, once the server is up,
    emails the rest"""
    number = billing_flow(browser, demo_server, demo_district['database'],
        admin_rpc, tmp_path)
    delivery_flow(browser, demo_server, demo_district, admin_rpc, tmp_path,
        number)


def billing_flow(browser, url, database, admin_rpc, tmp_path, code='R14'):
    from playwright.sync_api import expect

    # This month's reads of the route's metered services, as an import
    # would bring them: 12 units more than the last read, yesterday.
    route, = admin_rpc('model.water.route.search_read', [
            ('code', '=', code)], 0, 1, None, ['cycle.code'])
    premises = admin_rpc('model.water.premise.search_read', [
            ('route', '=', route['id']), ('services.state', '=', 'active'),
            ('meters', '!=', None)], 0, None, None, ['meters'])
    reads = []
    for meter in sorted({m for p in premises for m in p['meters']}):
        for register in admin_rpc('model.water.meter.read', [meter],
                ['registers'])[0]['registers']:
            last, = admin_rpc('model.water.meter.reading.search_read', [
                    ('meter', '=', meter), ('register', '=', register)],
                0, 1, [('read_date', 'DESC'), ('id', 'DESC')], ['value'])
            reads.append({'meter': meter, 'register': register,
                    'read_date': {'__class__': 'date',
                        'year': _yesterday().year,
                        'month': _yesterday().month,
                        'day': _yesterday().day},
                    'value': {'__class__': 'Decimal', 'decimal': str(
                            Decimal(last['value']['decimal']) + 12)},
                    'source': 'ami'})
    admin_rpc('model.water.meter.reading.create', reads)

    with open_page(browser, tmp_path, accept_downloads=True) as page:
        page.set_default_timeout(60_000)
        login(page, url, database, 'billing')
        open_menu(page, 'Water Utility', 'Billing', 'Bill Runs')
        new_record(page, 'bill_date')
        pick(page, page.locator('input[name=cycle]:visible'),
            route['cycle.']['code'], 'Search Cycle')
        routes = page.locator('input[name=routes]:visible')
        routes.fill(code)
        # sao completes the route's code: pick it from the list
        page.locator('.dropdown-menu:visible').get_by_text(
            re.compile(f'^{code} - ')).click()
        expect(page.locator('tr', has_text=f'{code}').filter(
                has=page.locator('td')).first).to_be_visible()
        page.locator('[title="Save"]:visible').click()
        expect(page.locator('input[name=number]:visible')).not_to_have_value(
            '')
        state = page.locator('select[name=state]:visible')
        page.get_by_role('button', name='Calculate').click()
        # expect() waits 5 s unless told: calculating a route on
        # PostgreSQL under CI load can take longer.
        expect(state).to_have_value('"calculated"', timeout=60_000)
        bills = int(page.locator('input[name=bill_count]:visible')
            .input_value())
        assert bills > 0
        page.screenshot(path=str(tmp_path / 'bill_run_calculated.png'))
        number = page.locator('input[name=number]:visible').input_value()
        page.get_by_role('button', name='Post').click()
        if _long_first_bills(admin_rpc, number):
            # A service that moved in since its cycle was last billed:
            # posting asks first, and the clerk posts knowingly.
            warning = page.locator('.modal-dialog',
                has_text='first bills longer than')
            expect(warning).to_be_visible()
            page.screenshot(path=str(tmp_path / 'bill_run_long_first.png'))
            warning.get_by_role('button', name='Yes').click()
        # The queue posts the bills: the screen answers at once, the run
        # shows Posting and its progress, and Reload shows it posted.
        expect(state).not_to_have_value('"calculated"')
        page.screenshot(path=str(tmp_path / 'bill_run_posting.png'))
        reload_until(page, state, '"posted"')
        expect(page.locator('input[name=posted_by]:visible')
            ).not_to_have_value('')

        # The bills of the run, and one of them as the customer gets it
        open_menu(page, 'Bills')
        expect(page.get_by_role(
                'button', name='Water Utility / Billing / Bills',
                exact=True)).to_be_visible()
        row = page.locator('tr:visible', has_text=number).first
        expect(row).to_contain_text('Posted')
        row.click()
        printing = page.locator('[title="Print report"]:visible')
        expect(printing).to_be_enabled()
        printing.click()
        with page.expect_download() as download:
            page.get_by_role('menuitem', name='Bill', exact=True).click()
        pdf = download.value
        assert open(pdf.path(), 'rb').read(5) == b'%PDF-'

    run, = admin_rpc('model.water.bill.run.search_read', [
            ('number', '=', number)], 0, None, None, ['state', 'bills'])
    assert run['state'] == 'posted'
    assert len(run['bills']) == bills
    # A bill of nothing (a fire line without a size, say) is paid as posted
    invoices = admin_rpc('model.account.invoice.search_count', [
            ('water_account', '!=', None),
            ('state', 'in', ['posted', 'paid']),
            ('description', '=', number)])
    assert invoices == bills
    return number


def delivery_flow(browser, url, district, admin_rpc, tmp_path, number):
    import mailbox
    import subprocess
    import sys

    from playwright.sync_api import expect

    run, = admin_rpc('model.water.bill.run.search_read', [
            ('number', '=', number)], 0, None, None, ['bills'])
    bills = admin_rpc('model.water.bill.read', run['bills'],
        ['account.paperless', 'account.email'])
    paperless = sum(1 for b in bills
        if b['account.']['paperless'] and b['account.']['email'])
    assert 0 < paperless < len(bills), "the route needs both kinds of bill"
    maildir = tmp_path / 'mail'
    with open_page(browser, tmp_path) as page:
        page.set_default_timeout(60_000)
        login(page, url, district['database'], 'billing')
        open_menu(page, 'Water Utility', 'Billing', 'Bill Runs')
        page.get_by_role('tab', name='Posted').click()
        page.locator('tr:visible', has_text=number).first.dblclick()
        state = page.locator('select[name=state]:visible')
        expect(state).to_have_value('"posted"')
        click_button(page, 'Deliver', 'model.water.bill.run.deliver')
        expect(state).to_have_value('"delivering"')
        failure = page.locator('[name=failure]:visible')
        reload_until(page, failure, lambda value: 'email' in value)
        expect(state).to_have_value('"delivering"')
        page.screenshot(path=str(tmp_path / 'delivery_failed.png'))
        printed, = admin_rpc('model.water.bill.run.search_read', [
                ('number', '=', number)], 0, None, None,
            ['print_file_name', 'pieces_mailed', 'emailed'])
        assert printed['print_file_name'] == f'{number}-bills.pdf'
        assert printed['pieces_mailed'] == len(bills) - paperless
        assert not printed['emailed']

        sink = subprocess.Popen([sys.executable, '-m',
                'water_utility.mail_sink', '--port',
                str(district['mail_port']), '--maildir', str(maildir)])
        try:
            listening(sink, district['mail_port'])
            click_button(page, 'Resume', 'model.water.bill.run.resume')
            reload_until(page, state, '"delivered"')
        finally:
            sink.terminate()
            sink.wait(timeout=30)
        expect(failure).to_have_count(0)
        page.get_by_role('tab', name='Delivery').click()
        expect(page.locator('input[name=emailed]:visible')).to_have_value(
            str(paperless))
        page.screenshot(path=str(tmp_path / 'delivery_resumed.png'))
    assert len(mailbox.Maildir(maildir, create=False)) == paperless


def _long_first_bills(admin_rpc, number, most=45):
    "Whether run `number` has a first bill longer than `most` days"
    import datetime

    def date(value):
        return datetime.date(value['year'], value['month'], value['day'])
    periods = admin_rpc('model.water.bill.period.search_read', [
            ('bill.run.number', '=', number), ('first', '=', True)],
        0, None, None, ['start_date', 'end_date'])
    return any((date(p['end_date']) - date(p['start_date'])).days > most
        for p in periods)


def _yesterday():
    import datetime
    return datetime.date.today() - datetime.timedelta(days=1)


def _today():
    "Yesterday by the machine's clock: never in the district's future"
    import datetime
    return (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def test_cashier_takes_a_cash_payment_at_the_counter(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """A cashier opens her drawer, takes a cash payment and prints it,
    counts and closes the drawer; the finance manager verifies it"""
    from playwright.sync_api import expect

    cashier = second_cashier(admin_rpc)

    account, = admin_rpc('model.water.account.search_read', [
            ('services', '!=', None)], 0, 1, [('number', 'ASC')],
        ['number', 'balance'])
    before = Decimal(account['balance']['decimal'])
    # Her day starts without a drawer: one left open and empty (by an
    # earlier run on this district) goes, one with receipts stops the test.
    left = admin_rpc('model.water.cash.drawer.search_read', [
            ('clerk.login', '=', cashier), ('state', '=', 'open')],
        0, None, None, ['receipts'])
    assert not any(d['receipts'] for d in left), left
    if left:
        admin_rpc('model.water.cash.drawer.delete', [d['id'] for d in left])

    with open_page(browser, tmp_path, accept_downloads=True) as page:
        login(page, demo_server, demo_district['database'], cashier)
        open_menu(page, 'Water Utility', 'Counter', 'Cash Drawers')
        new_record(page, 'opening_float')
        page.locator('[title="Save"]:visible').click()
        number = page.locator('input[name=number]:visible')
        expect(number).to_have_value(re.compile(r'^CD-\d+$'))
        drawer = number.input_value()

        page.locator('#menu').get_by_text('Receipts', exact=True).click()
        # The receipts open in a tab of their own: the drawer's form (and
        # the New of its receipts list) goes out of sight.
        expect(page.locator('input[name=opening_float]:visible')
            ).to_have_count(0)
        # The receipt goes in the drawer she opened; the cursor waits in
        # the account, what she types first.
        new_record(page, 'drawer', cursor='customer_account')
        expect(page.locator('input[name=drawer]:visible')).to_have_value(
            re.compile(rf'^{drawer} '))
        pick(page, page.locator('input[name=customer_account]:visible'),
            account['number'], 'Search Account')
        # The account's balance and bills come back from the server: what
        # is typed before they do is written over.
        expect(page.locator('input[name=balance]:visible')
            ).not_to_have_value('')
        type_into(page, page.locator('input[name=amount]:visible'), '25.00')
        type_into(page, page.locator('input[name=tendered]:visible'),
            '40.00')
        expect(page.locator('input[name=change]:visible')).to_have_value(
            re.compile(r'^15(\.00)?$'), timeout=15_000)
        page.screenshot(path=str(tmp_path / 'receipt_form.png'))
        page.get_by_role('button', name='Post').click()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"posted"')
        expect(page.locator('input[name=number]:visible')).to_have_value(
            re.compile(r'^R-\d+$'))

        # The receipt for the customer, from the receipt printer
        page.locator('[title="Print report"]:visible').click()
        with page.expect_download() as download:
            page.get_by_role('menuitem', name='Receipt', exact=True).click()
        receipt_pdf = download.value
        assert receipt_pdf.suggested_filename.startswith('Receipt')
        assert open(receipt_pdf.path(), 'rb').read(5) == b'%PDF-'

        count_and_close(page, drawer, tmp_path)
    # Her supervisor verifies the count: never the cashier herself.
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'finance')
        open_menu(page, 'Water Utility', 'Counter', 'Cash Drawers')
        page.locator('tr:visible', has_text=drawer).first.dblclick()
        state = page.locator('select[name=state]:visible')
        expect(state).to_have_value('"closed"')
        page.get_by_role('button', name='Verify').click()
        expect(state).to_have_value('"verified"')
        page.locator('a', has_text='Signatures').click()
        expect(page.locator('input[name=supervisor]:visible')
            ).to_have_value(re.compile('Frank'))
        page.screenshot(path=str(tmp_path / 'drawer_verified.png'))

    # Posted to the ledger: the account's balance fell by the payment.
    receipt, = admin_rpc('model.water.cash.receipt.search_read', [
            ('customer_account', '=', account['id']),
            ('state', '=', 'posted')], 0, None, None,
        ['amount', 'tendered', 'number', 'drawer.number'])
    assert Decimal(receipt['amount']['decimal']) == Decimal('25.00')
    assert receipt['drawer.']['number'] == drawer
    account, = admin_rpc('model.water.account.read', [account['id']],
        ['balance'])
    assert Decimal(account['balance']['decimal']) == before - Decimal('25.00')


def second_cashier(admin_rpc, login='cashier2'):
    """A second cashier at the counter, in the demo cashier's groups: her
    drawer of the day is her own (a clerk has one a day), and the demo
    cashier's stays open for the integrity tests"""
    if not admin_rpc('model.res.user.search', [('login', '=', login)]):
        cashier, = admin_rpc('model.res.user.search_read', [
                ('login', '=', 'cashier')], 0, 1, None,
            ['groups', 'company', 'companies'])
        admin_rpc('model.res.user.create', [{
                    'name': "Dana Cruz", 'login': login,
                    'password': PASSWORD,
                    'groups': [['add', cashier['groups']]],
                    'company': cashier['company'],
                    'companies': [['add', cashier['companies']]],
                    }])
    return login


def count_and_close(page, drawer, tmp_path):
    """The cashier counts her drawer as she would at the end of the day:
    the first denomination's pieces opened once, then the pieces of each
    denomination typed and Enter to the next; no checks nor cards taken,
    so none typed.  The count ties to what the drawer should hold."""
    from playwright.sync_api import expect

    page.locator('#tablist a', has_text='Cash Drawers').click()
    page.locator('[title="Reload/Undo"]:visible').click()
    settled(page)
    expected = Decimal(re.sub(r'[^\d.]', '', page.locator(
                'input[name=opening_float]:visible').input_value())) + 25
    page.locator('a', has_text='Close-Out').click()
    rows = page.locator('tr:visible',
        has=page.locator('td[data-title="Pieces: "]'))
    expect(rows).to_have_count(len(cash.DENOMINATIONS))
    left = expected
    first = rows.first.locator('td[data-title="Pieces: "]')
    first.click()
    first.click()
    for denomination, _ in cash.DENOMINATIONS:
        pieces = int(left // cash.denomination_value(denomination))
        left -= pieces * cash.denomination_value(denomination)
        expect(page.locator('input[name=pieces]:focus')).to_have_count(1)
        if pieces:
            page.keyboard.press('Control+a')
            page.keyboard.type(str(pieces))
        page.keyboard.press('Enter')
        settled(page)
    assert not left
    page.locator('[title="Save"]:visible').click()
    counted = page.locator('input[name=counted_cash]:visible')
    expect(counted).to_have_value(
        page.locator('input[name=expected_cash]:visible').input_value())
    expect(page.locator('input[name=over_short]:visible')).to_have_value(
        re.compile(r'^0(\.00)?$'))
    page.screenshot(path=str(tmp_path / 'drawer_counted.png'))
    page.locator('button[name=close]:visible').click()
    expect(page.locator('select[name=state]:visible')).to_have_value(
        '"closed"')
    assert Decimal(re.sub(r'[^\d.]', '', counted.input_value())) == expected


def test_clerk_credits_an_account_for_a_leak(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    "The clerk credits a customer for a leak and posts the adjustment"
    from playwright.sync_api import expect

    account, = admin_rpc('model.water.account.search_read', [
            ('services', '!=', None)], 1, 1, [('number', 'ASC')],
        ['number', 'balance'])
    before = Decimal(account['balance']['decimal'])

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Customer Accounts', 'Adjustments')
        new_record(page, 'date')
        for name, text in [('account', account['number']),
                ('reason', 'LEAK')]:
            pick(page, page.locator(f'input[name={name}]:visible'), text)
        type_into(page, page.locator('input[name=amount]:visible'), '15.00')
        page.locator('textarea[name=description]:visible').fill(
            "Leak at the hose bib repaired; half the excess credited.")
        # Leave the description as a person does before posting.
        page.keyboard.press('Tab')
        page.screenshot(path=str(tmp_path / 'adjustment_form.png'))
        page.get_by_role('button', name='Post').click()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"posted"')
        expect(page.locator('input[name=number]:visible')).to_have_value(
            re.compile(r'^ADJ-\d+$'))

    # In the ledger: a credit note, and the account owes 15.00 less.
    adjustment, = admin_rpc('model.water.account.adjustment.search_read', [
            ('account', '=', account['id']),
            ('state', '=', 'posted')], 0, None, None,
        ['amount', 'invoice'])
    assert Decimal(adjustment['amount']['decimal']) == Decimal('15.00')
    assert adjustment['invoice']
    account, = admin_rpc('model.water.account.read', [account['id']],
        ['balance'])
    assert Decimal(account['balance']['decimal']) == before - Decimal('15.00')


def test_clerk_opens_an_account_from_the_list(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """A double-click opens the record, in the menu and in the list: the
    menu's Customer Accounts (an entry with entries under it) opens its
    list once, and an account's row opens that account"""
    from playwright.sync_api import expect

    # The list's first row: the newest account
    first, = admin_rpc('model.water.account.search_read', [], 0, 1,
        [('number', 'DESC'), ('id', 'DESC')], ['number'])
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        menu = page.locator('#menu')
        menu.locator('tr', has_text='Water Utility').first.locator(
            '.expander').click()
        menu.get_by_text('Customer Accounts', exact=True).dblclick()
        tab = page.locator('#tablist a', has_text='Customer Accounts')
        expect(tab).to_have_count(1)
        row = page.locator('tr:visible', has_text=first['number']).first
        expect(row).to_be_visible()
        settled(page)
        expect(tab).to_have_count(1)
        # on the number: the customer's name is a link to the party
        row.get_by_text(first['number'], exact=True).dblclick()
        expect(page.locator('input[name=number]:visible')).to_have_value(
            first['number'])
        expect(tab).to_have_count(1)
        page.screenshot(path=str(tmp_path / 'account_form.png'))


def test_finance_manager_approves_a_pay_run(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The payroll clerk cannot approve the run she computed; the finance
    manager reviews it and approves it"""
    from playwright.sync_api import expect

    # The demo's run waiting for approval: the first computed (the
    # integrity tests, when they run first, compute runs of their own)
    run, = admin_rpc('model.payroll.run.search_read', [
            ('state', '=', 'computed')], 0, 1, [('id', 'ASC')],
        ['name', 'slip_count'])
    assert run['slip_count'] > 0

    def open_run(page, login_):
        page.set_default_timeout(60_000)
        login(page, demo_server, demo_district['database'], login_,
            'Payroll')
        open_menu(page, 'Payroll', 'Pay Runs')
        page.locator('tr', has_text=run['name']).filter(
            has=page.locator('td')).first.dblclick()
        state = page.locator('select[name=state]:visible')
        expect(state).to_have_value('"computed"')
        # The register under review: the slips and their totals
        expect(page.locator('tr', has_text='Maria Lopez').first
            ).to_be_visible()
        return state

    with open_page(browser, tmp_path) as page:
        open_run(page, 'payroll')
        expect(page.get_by_role('button', name='Approve')).to_be_disabled()

    with open_page(browser, tmp_path) as page:
        state = open_run(page, 'finance')
        page.screenshot(path=str(tmp_path / 'pay_run_computed.png'))
        page.get_by_role('button', name='Approve').click()
        expect(state).to_have_value('"approved"')
        page.screenshot(path=str(tmp_path / 'pay_run_approved.png'))

    # Signed by the finance manager's employee record
    run, = admin_rpc('model.payroll.run.read', [run['id']],
        ['state', 'approved_by.rec_name'])
    assert run['state'] == 'approved'
    assert run['approved_by.']['rec_name'] == "Frank Moreno"


def test_clerk_is_refused_a_turn_off_the_law_forbids(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The clerk asks for a turn-off for nonpayment of a late payer whose
    bill got its late notice; the manager (every office role) tries to
    schedule it and is refused, with each rule, its section and the day it
    opens: nobody overrides the statute"""
    from playwright.sync_api import expect

    notice, = admin_rpc('model.water.collection.notice.search_read', [
            ('step', '=', 'late_notice'),
            ('account.services.service_type', '=', 'residential'),
            ], 0, 1, None, ['account'])
    account, = admin_rpc('model.water.account.read', [notice['account']],
        ['number', 'services', 'shutoff_holds'])
    service, = admin_rpc('model.water.service.read',
        account['services'][:1], ['premise'])
    line, = admin_rpc('model.account.move.line.search_read', [
            ('water_account', '=', account['id']),
            ('reconciliation', '=', None), ('debit', '>', 0),
            ('maturity_date', '!=', None)], 0, 1,
        [('maturity_date', 'ASC')], ['maturity_date'])
    due = dt.date(**{k: line['maturity_date'][k]
            for k in ['year', 'month', 'day']})
    lawful = (due + dt.timedelta(days=61)).strftime('%m/%d/%Y')
    clerk = RPC(demo_server, demo_district['database'], 'clerk')
    order_id, = clerk('model.water.service.order.create', [{
                'type': 'turn_off', 'nonpayment': True,
                'premise': service['premise'],
                'service': account['services'][0]}])
    order, = clerk('model.water.service.order.read', [order_id], ['number'])

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'manager')
        open_menu(page, 'Water Utility', 'Service Orders')
        row = page.locator('tr:visible', has_text=order['number']).first
        row.get_by_text(order['number'], exact=True).dblclick()
        expect(page.locator('input[name=number]:visible')).to_have_value(
            order['number'])
        settled(page)
        page.get_by_role('button', name='Schedule').click()
        refusal = page.locator('.modal-dialog:visible')
        expect(refusal).to_contain_text('cannot be on')
        expect(refusal).to_contain_text(
            f'has not been delinquent 60 days until {lawful}')
        expect(refusal).to_contain_text(
            'No disconnect notice has been given')
        expect(refusal).to_have_css('opacity', '1')
        page.screenshot(path=str(tmp_path / 'turn_off_refused.png'))

    # Nothing was scheduled
    order, = admin_rpc('model.water.service.order.read', [order_id],
        ['state'])
    assert order['state'] == 'requested'


def test_clerk_sets_up_a_payment_arrangement(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """On a late payer's account (its row in the list) the clerk launches
    Set Up a Payment Arrangement, enters six months and the day the customer signed, sees
    the six installments, and saves it: it is in force"""
    from playwright.sync_api import expect

    account, = admin_rpc('model.water.account.search_read', [
            ('notices.step', '=', 'late_notice'),
            ('arrangements', '=', None),
            ], 1, 1, [('id', 'ASC')], ['number', 'balance'])
    balance = Decimal(account['balance']['decimal'])
    from water_utility.district import local_today
    today = local_today().strftime('%m/%d/%Y')

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, demo_district['database'], 'clerk')
        open_menu(page, 'Water Utility', 'Customer Accounts')
        filter_list(page, 'water.account', account['number'])
        rows = page.locator('tr:visible', has_text=account['number'])
        expect(rows).to_have_count(1)
        # The account's row selected, its actions launched from the list
        rows.locator('input[name^=tree-selection]').check()
        settled(page)
        page.locator('button[title="Launch action"]:visible').click()
        page.locator('.dropdown-menu:visible a',
            has_text='Set Up a Payment Arrangement').click()

        wizard = page.locator('.modal-dialog',
            has=page.locator('input[name=signed_date]'))
        expect(wizard).to_be_visible()
        expect(wizard.locator('input[name=amount]:visible')
            ).not_to_have_value('')
        type_into(page, wizard.locator('input[name=months]:visible'), '6')
        signed = wizard.locator('input[name=signed_date]:visible')
        signed.fill(today)
        signed.press('Tab')
        settled(page)
        page.screenshot(path=str(tmp_path / 'arrangement_terms.png'))
        wizard.get_by_role('button', name='Show Schedule').click()

        preview = page.locator('.modal-dialog',
            has=page.locator('textarea[name=schedule]'))
        expect(preview).to_be_visible()
        schedule = preview.locator('textarea[name=schedule]')
        expect(schedule).not_to_have_value('')
        lines = schedule.input_value().splitlines()
        assert len(lines) == 6, lines
        assert lines[0].startswith(today), lines
        page.screenshot(path=str(tmp_path / 'arrangement_schedule.png'))
        preview.get_by_role('button', name='Save').click()

        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"active"')
        page.screenshot(path=str(tmp_path / 'arrangement_form.png'))

    arrangement, = admin_rpc('model.water.collection.arrangement.search_read',
        [('account', '=', account['id'])], 0, None, None,
        ['state', 'installments', 'amount', 'created_by'])
    assert arrangement['state'] == 'active'
    assert len(arrangement['installments']) == 6
    assert Decimal(arrangement['amount']['decimal']) == balance
    clerk = RPC(demo_server, demo_district['database'], 'clerk')
    assert arrangement['created_by'] == clerk.user_id


@contextlib.contextmanager
def mail_sink(demo_district, maildir):
    """The demo's mail server listening on its port while the block runs,
    keeping what the server sends in `maildir`"""
    import subprocess
    import sys
    sink = subprocess.Popen([sys.executable, '-m', 'water_utility.mail_sink',
            '--port', str(demo_district['mail_port']),
            '--maildir', str(maildir)])
    try:
        listening(sink, demo_district['mail_port'])
        yield
    finally:
        sink.terminate()
        sink.wait(timeout=30)


def test_clerk_prints_and_mails_todays_notices(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The clerk opens the mailing of the notices the ladder gave today
    (the demo leaves it for her), presses Print and Mail and confirms: the
    letters are printed for the presort, the paperless customers emailed,
    the pieces counted, and the mailing is sealed"""
    import mailbox

    from playwright.sync_api import expect

    mailings = admin_rpc('model.water.collection.mailing.search_read', [
            ('state', '=', 'draft'),
            ('step', 'in', ['late_notice', 'disconnect_notice']),
            ], 0, 1, [('id', 'ASC')], ['rec_name', 'date', 'step'])
    assert mailings, "the demo leaves today's notices to mail"
    mailing, = mailings
    maildir = tmp_path / 'mail'
    with mail_sink(demo_district, maildir):
        with open_page(browser, tmp_path) as page:
            login(page, demo_server, demo_district['database'], 'clerk')
            open_menu(page, 'Water Utility', 'Collections',
                'Notice Mailings')
            step, day = mailing['rec_name'].rsplit(' ', 1)
            row = page.locator('tr:visible', has_text=day).filter(
                has_text=step)
            row.first.dblclick()
            state = page.locator('select[name=state]:visible')
            expect(state).to_have_value('"draft"')
            settled(page)
            page.get_by_role('button', name='Print and Mail').click()
            confirm = page.locator('.modal-dialog:visible',
                has_text='The mailing is then sealed')
            expect(confirm).to_have_css('opacity', '1')
            with page.expect_response(lambda r: (
                        '"model.water.collection.mailing.mail"'
                        in (r.request.post_data or ''))):
                confirm.get_by_role('button', name='OK').click()
            settled(page)
            expect(state).to_have_value('"mailed"')
            letters = page.locator('input[name=letters]:visible')
            expect(letters).not_to_have_value('0')
            page.screenshot(path=str(tmp_path / 'mailing_mailed.png'))

    mailed, = admin_rpc('model.water.collection.mailing.read',
        [mailing['id']], ['letters', 'pieces_mailed', 'emailed',
            'print_file_name', 'postage_entry', 'notices'])
    assert mailed['letters'] > 0
    assert mailed['pieces_mailed'] + mailed['emailed'] >= mailed['letters']
    assert len(mailbox.Maildir(maildir, create=False)) == mailed['emailed']
    if mailed['pieces_mailed']:
        assert mailed['print_file_name']
        entry, = admin_rpc('model.water.postage.entry.read',
            [mailed['postage_entry']], ['pieces'])
        assert entry['pieces'] == mailed['pieces_mailed']
    # Each of the day's notices of the step is in it; a second mailing of
    # the day finds none
    given = admin_rpc('model.water.collection.notice.search_count', [
            ('step', '=', mailing['step']), ('date', '=', mailing['date']),
            ('mailing', '=', None)])
    assert given == 0


def _notice_reached(admin_rpc, step):
    """The ladder's `step` reached today by one account's bill, as Tryton's
    accounting takes a bill there by hand: its dunning (today's late
    notice) set to that level, then Process Dunnings; (notice id, account
    number)"""
    wizard = 'wizard.account.dunning.process'
    saved = admin_rpc.context
    # as sao calls: with the user's preferences (the company) as context
    admin_rpc.context = admin_rpc('model.res.user.get_preferences', True)
    try:
        level, = admin_rpc('model.account.dunning.level.search', [
                ('collection_step', '=', step)])
        dunning, = admin_rpc('model.account.dunning.search_read', [
                ('state', '=', 'waiting'),
                ('level.collection_step', '=', 'late_notice'),
                ('line.water_account', '!=', None),
                ], 0, 1, [('id', 'DESC')], ['line.water_account.number'])
        admin_rpc('model.account.dunning.write', [dunning['id']],
            {'level': level, 'state': 'draft'})
        action_id = admin_rpc('model.ir.model.data.get_id',
            'account_dunning', 'wizard_dunning_process')
        session, _, _ = admin_rpc(f'{wizard}.create')
        admin_rpc.context = {**admin_rpc.context,
            'active_model': 'account.dunning', 'active_id': dunning['id'],
            'active_ids': [dunning['id']], 'action_id': action_id}
        admin_rpc(f'{wizard}.execute', session, {}, 'process')
        admin_rpc(f'{wizard}.delete', session)
    finally:
        admin_rpc.context = saved
    notice, = admin_rpc('model.water.collection.notice.search', [
            ('dunning', '=', dunning['id']), ('step', '=', step)])
    return notice, dunning['line.']['water_account.']['number']


def _record_contact(page, account, step, outcome, phone=None):
    """On Collections > Calls and Door Notices, New: the notice of `step`
    searched by its account, the number called typed when asked, the
    outcome chosen, saved"""
    from playwright.sync_api import expect
    open_menu(page, 'Water Utility', 'Collections',
        'Calls and Door Notices')
    new_record(page, 'date')
    # the crew does not read accounts: the notice's row shows its step
    pick(page, page.locator('input[name=notice]:visible'), account,
        row_text=step)
    settled(page)
    if phone is not None:
        number = page.locator('input[name=phone]:visible')
        if not number.input_value():
            number.fill(phone)
    choose(page.locator('select[name=outcome]:visible'), outcome)
    page.keyboard.press('Tab')
    settled(page)
    page.locator('[title="Save"]:visible').click()
    settled(page)
    expect(page.locator('input[name=recorded_by]:visible')).not_to_have_value(
        '')


def test_clerk_logs_a_call_and_the_crew_a_door_notice(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The ladder asks for a telephone attempt on one account and for a
    door notice on another.  The clerk calls, leaves a message and logs it
    on the notice; the crew posts the door notice and records it.  Each is
    stamped with who recorded it, and the notice lists it."""
    from playwright.sync_api import expect

    calls = {}
    for login_, step, outcome in [
            ('clerk', 'phone', "Left a Message"),
            ('field', 'door_notice', "Posted at the Premises")]:
        notice, account = _notice_reached(admin_rpc, step)
        with open_page(browser, tmp_path) as page:
            login(page, demo_server, demo_district['database'], login_)
            _record_contact(page, account,
                "Telephone Attempt" if step == 'phone' else "Door Notice",
                outcome, phone='209-555-0147' if step == 'phone' else None)
            page.screenshot(path=str(tmp_path / f'{step}_recorded.png'))
            if login_ == 'field':
                # the crew's Collections menu: the notices and their
                # calls and postings, the holidays
                page.locator('#menu').screenshot(
                    path=str(tmp_path / 'field_menu.png'))
            kind = page.locator('select[name=kind]:visible')
            expect(kind).to_have_value(
                '"phone"' if step == 'phone' else '"door"')
        calls[step] = notice, login_

    for step, (notice, login_) in calls.items():
        contact, = admin_rpc('model.water.collection.contact.search_read', [
                ('notice', '=', notice)], 0, None, None,
            ['outcome', 'recorded_by.login', 'phone', 'premise'])
        assert contact['recorded_by.']['login'] == login_
        if step == 'phone':
            assert contact['outcome'] == 'message' and contact['phone']
        else:
            assert contact['outcome'] == 'posted' and contact['premise']


def _open_from_tab(page, path, tab, field, value):
    """Open the menu entry at `path`, its list's `tab`, and the record
    whose `field` shows `value` in it"""
    from playwright.sync_api import expect
    open_menu(page, *path)
    settled(page)
    page.locator('#tabs .nav-tabs a:visible', has_text=tab).click()
    # the tab's list loaded again: a double-click before then is lost
    settled(page)
    row = page.locator('#tabs tr:visible', has_text=value).first
    row.get_by_text(value, exact=True).dblclick()
    expect(page.locator(f'input[name={field}]:visible')).to_have_value(
        value)
    settled(page)


def _open_waiting_requisition(page, description):
    """Open Purchases > Requisitions, its Waiting tab, and the
    requisition `description` in it"""
    _open_from_tab(page, ['Purchases', 'Requisitions'], 'Waiting',
        'description', description)


def test_manager_approves_a_requisition(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Water Operations' superintendent approves the meter boxes her crew
    asked for, within her department's limit; the forty meters are above
    it, and the policy refuses her, naming the General Manager, who then
    approves them.  Each approval is signed by the approver's employee."""
    from playwright.sync_api import expect

    database = demo_district['database']
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'approver', 'Purchases')
        _open_waiting_requisition(page, "Meter boxes and lids")
        page.screenshot(path=str(tmp_path / 'requisition_waiting.png'))
        page.get_by_role('button', name='Approve').click()
        state = page.locator('select[name=state]:visible')
        expect(state).not_to_have_value('"waiting"')
        page.get_by_role('tab', name='Approvals').click()
        expect(page.locator('tr:visible', has_text='Gloria Park').filter(
                has_text='Department Manager').first).to_be_visible()
        page.screenshot(path=str(tmp_path / 'requisition_approved.png'))

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'approver', 'Purchases')
        _open_waiting_requisition(page, "Meters for the summer change-outs")
        page.get_by_role('button', name='Approve').click()
        refusal = page.locator('.modal-dialog:visible')
        expect(refusal).to_contain_text('needs the approval of the General '
            'Manager')
        expect(refusal).to_have_css('opacity', '1')
        page.screenshot(path=str(tmp_path / 'requisition_refused.png'))

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'manager', 'Purchases')
        _open_waiting_requisition(page, "Meters for the summer change-outs")
        page.get_by_role('button', name='Approve').click()
        expect(page.locator('select[name=state]:visible')).not_to_have_value(
            '"waiting"')
        page.screenshot(path=str(tmp_path / 'requisition_gm_approved.png'))

    approvals = admin_rpc('model.water.purchase.approval.search_read', [
            ('requisition.description', 'in', [
                    "Meter boxes and lids",
                    "Meters for the summer change-outs"]),
            ], 0, None, None,
        ['requisition.description', 'level', 'employee.rec_name', 'amount'])
    assert sorted((a['requisition.']['description'], a['level'],
            a['employee.']['rec_name'], Decimal(a['amount']['decimal']))
        for a in approvals) == [
        ("Meter boxes and lids", 'department', "Gloria Park",
            Decimal('930.00')),
        ("Meters for the summer change-outs", 'general_manager',
            "Diane Walsh", Decimal('7400.00')),
        ]


def _open_posted_bill(page, reference):
    """Open Financial > Invoices > Supplier Invoices, its Posted tab, the
    bill of the vendor's number `reference`, and its match"""
    _open_from_tab(page, ['Financial', 'Invoices', 'Supplier Invoices'],
        'Posted', 'reference', reference)
    page.get_by_role('tab', name='Match and Approval').click()
    settled(page)


def test_clerk_emails_a_purchase_order_to_its_vendor(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Ana opens the order of meter boxes being received, prints it on the
    letterhead and presses Email to Vendor: Pacific Pipe gets the PDF and
    the order shows whom it went to and who sent it."""
    import email
    import mailbox

    from playwright.sync_api import expect
    from pypdf import PdfReader

    purchase, = admin_rpc('model.purchase.purchase.search_read', [
            ('state', '=', 'processing'),
            ('invoices.reference', '=', 'INV-20417'),
            ], 0, 1, None, ['number'])
    maildir = tmp_path / 'mail'
    with mail_sink(demo_district, maildir):
        with open_page(browser, tmp_path, accept_downloads=True) as page:
            login(page, demo_server, demo_district['database'], 'clerk')
            # Purchases > Purchases: the entry, once its parent is open
            menu = page.locator('#menu')
            menu.locator('tr', has_text='Purchases').first.locator(
                '.expander').click()
            expect(menu.get_by_text('Requisitions', exact=True)
                ).to_be_visible()
            menu.get_by_text('Purchases', exact=True).nth(1).click()
            settled(page)
            page.locator('#tabs .nav-tabs a:visible',
                has_text='Processing').click()
            settled(page)
            page.locator('#tabs tr:visible', has_text=purchase['number']
                ).first.get_by_text(purchase['number'], exact=True
                ).dblclick()
            expect(page.locator('input[name=number]:visible')
                ).to_have_value(purchase['number'])
            settled(page)
            page.locator('[title="Print report"]:visible').click()
            with page.expect_download() as download:
                page.get_by_role('menuitem',
                    name='Purchase Order (Letterhead)').click()
            text = ' '.join(' '.join(p.extract_text().split())
                for p in PdfReader(download.value.path()).pages)
            for words in ['PURCHASE ORDER ' + purchase['number'],
                    'Pacific Pipe & Meter Supply', 'Meter box']:
                assert words in text, words
            page.get_by_role('button', name='Email to Vendor').click()
            page.locator('.modal-dialog:visible',
                has_text='Email this purchase order').get_by_role(
                'button', name='OK').click()
            settled(page)
            page.get_by_role('tab', name='Other Info').click()
            expect(page.locator('input[name=emailed_to]:visible')
                ).to_have_value('orders@pacific.example')
            page.screenshot(path=str(tmp_path / 'purchase_emailed.png'))

    sent, = mailbox.Maildir(maildir, create=False)
    message = email.message_from_bytes(sent.as_bytes())
    assert message['To'] == 'orders@pacific.example'
    assert [p.get_filename() for p in message.walk() if p.get_filename()
        ] == [f"purchase-order-{purchase['number']}.pdf"]
    stamped, = admin_rpc('model.purchase.purchase.read', [purchase['id']],
        ['emailed_by.login'])
    assert stamped['emailed_by.']['login'] == 'clerk'


def test_clerk_imports_the_months_small_bills(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Ana imports the vendors' bills that came as a spreadsheet: the
    bill is entered and posted, and the same file again enters nothing."""
    from playwright.sync_api import expect

    bills = tmp_path / 'bills.csv'
    bills.write_text("Vendor,Invoice,Date,Amount,Account,Description\n"
        "Valley Office Products,VOP 90500,"
        f"{dt.date.today().strftime('%m/%d/%Y')},45.10,5060,Toner\n")
    database = demo_district['database']
    for expected in ["Bills entered and posted from the file: 1.",
            "already entered as the bill"]:
        with open_page(browser, tmp_path) as page:
            login(page, demo_server, database, 'clerk', 'Financial')
            open_menu(page, 'Financial', 'Invoices', 'Import Supplier Bills')
            dialog = page.locator('.modal-dialog:visible')
            expect(dialog).to_be_visible()
            dialog.locator('input[type=file]').set_input_files(str(bills))
            settled(page)
            dialog.get_by_role('button', name='Import').click()
            expect(page.locator('.modal-dialog:visible textarea')
                ).to_have_value(re.compile(re.escape(expected)))
            page.screenshot(path=str(tmp_path / 'bills_imported.png'))
    bill, = admin_rpc('model.account.invoice.search_read', [
            ('type', '=', 'in'), ('reference', '=', 'VOP 90500')],
        0, None, None, ['state', 'total_amount', 'match_state'])
    assert (bill['state'], bill['total_amount']['decimal'],
        bill['match_state']) == ('posted', '45.10', 'no_order')


def test_finance_approves_a_bill_for_payment(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Finance opens the month's bills: Pacific Pipe's INV-20417 billed 24
    meter boxes of which 12 were received, held with the reason, and
    Approve for Payment refuses it; Valley Office Products' matched bill
    is approved, signed by Frank."""
    from playwright.sync_api import expect

    database = demo_district['database']
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'finance', 'Financial')
        _open_posted_bill(page, 'INV-20417')
        expect(page.locator('textarea[name=hold_reason]:visible')
            ).to_have_value(re.compile('24 billed.*12 received'))
        page.get_by_role('button', name='Approve for Payment').click()
        page.locator('.modal-dialog:visible').get_by_role(
            'button', name='OK').click()
        refusal = page.locator('.modal-dialog:visible', has_text='held')
        expect(refusal).to_contain_text('held by its three-way match')
        expect(refusal).to_have_css('opacity', '1')
        page.screenshot(path=str(tmp_path / 'bill_held.png'))

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'finance', 'Financial')
        _open_posted_bill(page, 'VOP 88123')
        page.get_by_role('button', name='Approve for Payment').click()
        page.locator('.modal-dialog:visible').get_by_role(
            'button', name='OK').click()
        expect(page.locator('input[name=payment_approved_by]:visible')
            ).to_have_value('Frank Moreno')
        page.screenshot(path=str(tmp_path / 'bill_approved.png'))

    bills = admin_rpc('model.account.invoice.search_read', [
            ('type', '=', 'in'),
            ('reference', 'in', ['INV-20417', 'VOP 88123']),
            ], 0, None, None,
        ['reference', 'match_state', 'payment_approved_by.rec_name'])
    assert sorted((b['reference'], b['match_state'],
            (b['payment_approved_by.'] or {}).get('rec_name'))
        for b in bills) == [
        ('INV-20417', 'held', None),
        ('VOP 88123', 'matched', 'Frank Moreno'),
        ]


def test_finance_voids_a_jammed_check_and_reissues_it(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Pacific Pipe's check 10040 of the week's run jammed in the printer:
    Frank opens the payment, voids the check with the reason and reissues
    it; the new check (10041) downloads as PDF, and 10040 stays on record
    as voided, by him."""
    from playwright.sync_api import expect

    database = demo_district['database']
    with open_page(browser, tmp_path, accept_downloads=True) as page:
        login(page, demo_server, database, 'finance', 'Financial')
        open_menu(page, 'Financial', 'Payments', 'Payable Payments')
        settled(page)
        page.locator('#tabs .nav-tabs a:visible', has_text='All').click()
        settled(page)
        row = page.locator('#tabs tr:visible',
            has_text='Operating Account Checks').first
        row.get_by_text('930.00').dblclick()
        expect(page.locator('input[name=reference]:visible')).to_have_value(
            'INV-20388')
        settled(page)
        page.get_by_role('tab', name='Check').click()
        expect(page.locator('input[name=check_number]:visible')
            ).to_have_value('10040')
        page.get_by_role('button', name='Void Check').click()
        dialog = page.locator('.modal-dialog:visible')
        expect(dialog.locator('input[name=check_number]')).to_have_value(
            '10040')
        settled(page)
        dialog.locator('textarea[name=reason]').fill(
            "Jammed in the printer")
        page.screenshot(path=str(tmp_path / 'check_void.png'))
        with page.expect_download() as download:
            dialog.get_by_role('button', name='Void').click()
        assert open(download.value.path(), 'rb').read(5) == b'%PDF-'
        reload_until(page, page.locator('input[name=check_number]:visible'),
            '10041')
        page.screenshot(path=str(tmp_path / 'check_reissued.png'))

    voids = admin_rpc('model.water.check.void.search_read', [], 0, None,
        None, ['check_number', 'reissued_number', 'reason',
            'voided_by.rec_name'])
    assert [(v['check_number'], v['reissued_number'], v['reason'],
            v['voided_by.']['rec_name']) for v in voids] == [
        ('10040', '10041', "Jammed in the printer", 'Frank Moreno')]


def test_finance_prints_the_warrant_list(
        browser, demo_server, demo_district, tmp_path):
    """Frank opens last month's warrant list, ratified by the Board at
    this month's meeting, and prints it for the Board packet; this
    month's, computed by Ana, waits in the Draft tab for him to present."""
    from playwright.sync_api import expect
    from pypdf import PdfReader

    database = demo_district['database']
    with open_page(browser, tmp_path, accept_downloads=True) as page:
        login(page, demo_server, database, 'finance', 'Financial')
        open_menu(page, 'Financial', 'Payments', 'Warrant Lists')
        settled(page)
        drafts = page.locator('#tabs tr:visible', has_text='Warrant List, ')
        expect(drafts).to_have_count(1)
        page.locator('#tabs .nav-tabs a:visible', has_text='All').click()
        settled(page)
        row = page.locator('#tabs tr:visible', has_text='Closed').first
        row.dblclick()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"closed"')
        settled(page)
        page.get_by_role('tab', name='Certification and Board').click()
        expect(page.locator('input[name=minute_order]:visible')).to_have_value(
            re.compile(r'^MO \d{4}-\d+$'))
        minute_order = page.locator(
            'input[name=minute_order]:visible').input_value()
        page.screenshot(path=str(tmp_path / 'warrant_list.png'))
        page.locator('[title="Print report"]:visible').click()
        with page.expect_download() as download:
            page.get_by_role('menuitem', name='Warrant List').click()
        pdf = download.value
        assert pdf.suggested_filename.startswith('Warrant List')
        text = ' '.join(' '.join(p.extract_text().split())
            for p in PdfReader(pdf.path()).pages)
        for words in ['Register of Demands', 'Payroll: net pay',
                'Totals by fund', 'Water Enterprise Fund', 'I certify that',
                'Ratified by the Board of Directors', minute_order]:
            assert words in text, words


def test_clerk_runs_the_discrepancy_finder(
        browser, demo_server, demo_district, tmp_path):
    """Before last month is closed, Ana opens its close checklist and runs
    the discrepancy finder: the findings list what is wrong, each with
    the record to open; the checklist is not cleared."""
    from playwright.sync_api import expect

    database = demo_district['database']
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'clerk', 'Financial')
        open_menu(page, 'Financial', 'Processing',
            'Period Close Checklists')
        settled(page)
        page.locator('#tabs tr:visible').filter(
            has=page.locator('td')).first.dblclick()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"open"')
        settled(page)
        page.get_by_role('button', name='Run Discrepancy Finder').click()
        findings = page.locator('#tabs tr:visible', has_text='bank statement')
        expect(findings.first).to_be_visible()
        expect(page.locator(
            'input[type=checkbox][name=findings_cleared]:visible')
            ).not_to_be_checked()
        page.screenshot(path=str(tmp_path / 'close_checklist.png'))


def test_clerk_takes_a_message_the_recipient_sees_at_login(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """Ana takes a call for Paula, the payroll clerk; Paula logs in, her
    bell shows the unread message, she opens it from the bell and marks it
    handled with a note."""
    from playwright.sync_api import expect

    database = demo_district['database']
    topic = "Asks when her W-2 correction will be mailed"
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'clerk')
        open_menu(page, 'Desk', 'Messages')
        settled(page)
        new_record(page, 'kind')
        page.locator('input[name=caller]:visible').fill("Rosa Diaz")
        page.locator('input[name=callback]:visible').fill("209-555-0162")
        page.locator('input[name=topic]:visible').fill(topic)
        pick(page, page.locator('input[name=recipient_user]:visible'),
            "Paula Chen")
        settled(page)
        page.locator('[title="Save"]:visible').click()
        settled(page)
        expect(page.locator('input[name=taken_by]:visible')).to_have_value(
            'Ana Reyes')

    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'payroll', 'Payroll')
        badge = page.locator('.notification-badge:visible').first
        expect(badge).to_have_text(re.compile(r'^[1-9]\d*$'))
        page.screenshot(path=str(tmp_path / 'message_badge.png'))
        badge.click()
        item = page.locator('.notification-menu .notification-item',
            has_text=topic)
        expect(item).to_be_visible()
        item.click()
        expect(page.locator('input[name=topic]:visible')).to_have_value(
            topic)
        settled(page)
        page.locator('textarea[name=handled_note]:visible').fill(
            "Called back: mailed Friday.")
        page.keyboard.press('Tab')
        settled(page)
        page.get_by_role('button', name='Handled').click()
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"handled"')
        page.screenshot(path=str(tmp_path / 'message_handled.png'))

    message, = admin_rpc('model.water.desk.message.search_read', [
            ('topic', '=', topic)], 0, None, None,
        ['state', 'taken_by.login', 'handled_by.login'])
    assert (message['state'], message['taken_by.']['login'],
        message['handled_by.']['login']) == ('handled', 'clerk', 'payroll')


def test_clerk_logs_radio_entries_and_calls_on_an_event(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """The crew radios about the planned valve replacement: Ana types two
    entries in its radio log from the keyboard, then calls the first
    customer of its call list and logs the outcome; the server stamps
    her, and what is left to call goes down."""
    from playwright.sync_api import expect

    database = demo_district['database']
    event, = admin_rpc('model.water.desk.event.search_read', [
            ('name', '=', "Valve replacement")], 0, 1, None,
        ['calls_left', 'services'])
    first, = admin_rpc('model.water.desk.event.service.search_read', [
            ('event', '=', event['id'])], 0, 1, None, ['name'])
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'clerk')
        _open_from_tab(page, ['Desk', 'Shut-Offs'], 'Planned', 'name',
            "Valve replacement")
        page.get_by_role('tab', name='Radio Log').click()
        log = page.locator('.form-one2many:visible')
        for crew, text in [("Crew 3", "On site, valve box uncovered"),
                ("Crew 3", "Old gate valve seized, cutting it out")]:
            log.locator('[title="New"]').click()
            settled(page)
            log.locator('input[name=crew]:visible').click()
            page.keyboard.type(crew)
            page.keyboard.press('Tab')
            log.locator('input[name=text]:visible').click()
            page.keyboard.type(text)
            page.keyboard.press('Tab')
            settled(page)
        page.locator('[title="Save"]:visible').click()
        settled(page)
        expect(log.locator('tbody tr', has_text="cutting it out")
            ).to_contain_text('Ana Reyes')

        page.get_by_role('tab', name='Calls').click()
        calls = page.locator('.form-one2many:visible')
        calls.locator('[title="New"]').click()
        settled(page)
        pick(page, calls.locator('input[name=line]:visible'), first['name'])
        choose(calls.locator('select[name=outcome]:visible'), 'Reached')
        calls.locator('input[name=note]:visible').fill("Will fill jugs")
        page.keyboard.press('Tab')
        settled(page)
        page.locator('[title="Save"]:visible').click()
        settled(page)
        expect(page.locator('input[name=calls_left]:visible')).to_have_value(
            str(event['calls_left'] - 1))
        page.screenshot(path=str(tmp_path / 'event_calls.png'))

    entries = admin_rpc('model.water.desk.event.log.search_read', [
            ('event', '=', event['id'])], 0, None, None,
        ['text', 'crew', 'logged_by.login'])
    assert [(e['crew'], e['logged_by.']['login']) for e in entries
        if 'valve' in e['text']] == [('Crew 3', 'clerk'), ('Crew 3', 'clerk')]
    call, = admin_rpc('model.water.desk.event.call.search_read', [
            ('event', '=', event['id'])], 0, None, None,
        ['outcome', 'called_by.login', 'line.name'])
    assert (call['outcome'], call['called_by.']['login'],
        call['line.']['name']) == ('reached', 'clerk', first['name'])


def test_clerk_records_a_complaint_and_orders_a_leak_check(
        browser, demo_server, demo_district, admin_rpc, tmp_path):
    """A customer calls about a high bill: Ana records the complaint on
    the account, assigns it to Ben in billing and orders a leak check at
    the premise; the order shows on the complaint."""
    from playwright.sync_api import expect

    database = demo_district['database']
    subject = "Bill tripled since the new meter"
    service, = admin_rpc('model.water.service.search_read', [
            ('state', '=', 'active'), ('service_type', '=', 'residential'),
            ], 0, 1, [('id', 'DESC')], ['account.number', 'premise.code'])
    with open_page(browser, tmp_path) as page:
        login(page, demo_server, database, 'clerk')
        open_menu(page, 'Desk', 'Complaints')
        settled(page)
        new_record(page, 'state')
        choose(page.locator('select[name=category]:visible'), 'High Bill')
        page.locator('input[name=subject]:visible').fill(subject)
        settled(page)
        pick(page, page.locator('input[name=account]:visible'),
            service['account.']['number'])
        pick(page, page.locator('input[name=premise]:visible'),
            service['premise.']['code'])
        pick(page, page.locator('input[name=assigned_to]:visible'),
            "Ben Ortiz")
        page.locator('[title="Save"]:visible').click()
        settled(page)
        page.get_by_role('tab', name='Stamps').click()
        expect(page.locator('input[name=received_by]:visible')
            ).to_have_value('Ana Reyes')
        click_button(page, 'Assign', 'model.water.desk.complaint.assign')
        expect(page.locator('select[name=state]:visible')).to_have_value(
            '"assigned"')
        page.get_by_role('tab', name='Service Orders').click()
        click_button(page, 'Order Leak Check',
            'model.water.desk.complaint.request_leak_check')
        expect(page.locator('.form-one2many:visible tbody tr').first
            ).to_contain_text('Leak Check')
        page.screenshot(path=str(tmp_path / 'complaint_leak_check.png'))

    complaint, = admin_rpc('model.water.desk.complaint.search_read', [
            ('subject', '=', subject)], 0, None, None,
        ['state', 'received_by.login', 'assigned_to.login',
            'service_orders'])
    assert (complaint['state'], complaint['received_by.']['login'],
        complaint['assigned_to.']['login']) == (
        'assigned', 'clerk', 'billing')
    order, = admin_rpc('model.water.service.order.search_read', [
            ('id', 'in', complaint['service_orders'])], 0, None, None,
        ['type', 'state', 'premise.code'])
    assert (order['type'], order['state'], order['premise.']['code']) == (
        'leak_check', 'requested', service['premise.']['code'])
