# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Build (or reuse) the demo district and serve it with the web client.

    python -m water_utility.demo --help

Creates the database with trytond-admin, sets up the district's books and
staff through proteus, then creates the premises, meters, customers and
services server-side in batches (one transaction per batch, progress
printed).  Running it again finds the district and only tops it up.
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from . import usage as usage_arithmetic

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = 'water-demo-2026'
FIRST_NAMES = """Maria Jose Juan Ana Luis Carmen Carlos Rosa Miguel Elena David
Sarah Michael Jennifer Robert Linda James Patricia John Barbara Wei Mei Li Hana
Minh Thi Nguyen Jin Soo Priya Arjun Fatima Omar Grace Daniel Olivia Ethan Emma
Noah Ava Liam Sofia Mateo Isabella Diego Lucia Gabriel Camila""".split()
LAST_NAMES = """Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez
Ramirez Torres Flores Rivera Gomez Diaz Reyes Smith Johnson Williams Brown Jones
Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Nguyen Tran
Pham Kim Park Chen Wang Liu Singh Patel Khan Ali Cohen Murphy O'Brien Silva
Santos Costa Rossi Bianchi""".split()
STREETS = """Oak Elm Pine Cedar Willow Maple Sycamore Walnut Almond Orchard
Vineyard Mission Canal Levee Ridge Creek River Valley Foothill Sierra Granite
Quail Heron Juniper Manzanita Poppy Lupine Sage Olive Citrus""".split()
STREET_KINDS = ["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way"]
LANDLORDS = """Valley Rentals LLC|Sierra Property Management|Oakwood Homes Trust
|Hilltop Apartments LLC|Cedar Creek Housing Authority|Riverbend Properties
|Golden State Realty|Mission Bay Holdings|Foothill Investments LP
|Central Valley Homes""".replace('\n', '').split('|')
SIZES = ['5/8'] * 70 + ['3/4'] * 15 + ['1'] * 8 + ['1.5'] * 3 + ['2'] * 3 + ['4']
UNITS = ['gal'] * 6 + ['cf'] * 3 + ['hcf']


def log(message):
    print(f"[demo {time.strftime('%H:%M:%S')}] {message}", flush=True)


def write_config(args):
    "Write the trytond configuration the demo server and builder share"
    state = Path(args.state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    (state / 'db').mkdir(exist_ok=True)
    (state / 'attachments').mkdir(exist_ok=True)
    if args.db_type == 'sqlite':
        database = f"uri = sqlite://\npath = {state / 'db'}\n"
    else:
        database = f"uri = {args.db_uri}\n"
    sao = Path(args.sao).resolve()
    conf = state / 'trytond.conf'
    conf.write_text(
        "[database]\n" + database
        + f"[web]\nlisten = {args.host}:{args.port}\nroot = {sao}\n"
        + f"[attachment]\npath = {state / 'attachments'}\n"
        + "[session]\ntimeout = 28800\n"
        # The demo's own mail server (mail_sink), started with the web
        # server: delivered bills land in the state folder's mail/.
        + f"[email]\nuri = smtp://127.0.0.1:{args.mail_port}?timeout=30\n"
        + "from = billing@cedarcreekwater.example.org\n"
        + "[password]\nforbidden =\n")
    return conf


# What the demo district runs: the water utility, its collections, the
# agency's payroll and its purchasing
MODULES = ['water_utility', 'water_collection', 'agency_payroll',
    'water_finance', 'water_desk']


def database_ready(database):
    "Tell whether the database exists with water_utility activated"
    from trytond import backend

    if backend.name != 'sqlite' and not _server_has(database):
        # Connecting to a database that does not exist makes the pool
        # retry and log errors: ask the server first.
        return False
    db = backend.Database(database)
    try:
        db.connect()
        if not db.test():
            return False
    except Exception:
        return False
    return 'water_utility' in activated(database)


def activated(database):
    "The names of the modules activated in the database"
    from sql import Table

    from trytond.transaction import Transaction

    module = Table('ir_module')
    with Transaction().start(database, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(*module.select(module.name,
                where=module.state == 'activated'))
        return {name for name, in cursor}


def create_empty_database(database):
    "Create the empty database trytond-admin initialises"
    from trytond import backend, config
    from trytond.transaction import Transaction

    if backend.name == 'sqlite':
        Path(config.get('database', 'path'), f'{database}.sqlite').touch()
        return
    if not _server_has(database):
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            transaction.database.create(transaction.connection, database)


def _server_has(database):
    "Tell whether the PostgreSQL server has the database, Tryton's or not"
    from sql import Table

    from trytond.transaction import Transaction

    pg_database = Table('pg_database')
    with Transaction().start(None, 0, close=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(*pg_database.select(pg_database.datname,
                where=pg_database.datname == database))
        return cursor.fetchone() is not None


def create_database(conf, database):
    template = os.environ.get(TEMPLATE_ENV)
    if template and copy_template(template, database):
        log(f"database {database!r} copied from the template in {template}")
        return
    log(f"creating database {database!r} and activating water_utility "
        "(a few minutes the first time)")
    create_empty_database(database)
    passfile = Path(conf).parent / 'admin.pass'
    passfile.write_text(DEMO_PASSWORD + '\n')
    admin(conf, database, '--all', '--activate-dependencies', '-u', *MODULES,
        '-l', 'es', '--email', 'admin@cedarcreekwater.example.org',
        env={'TRYTONPASSFILE': str(passfile)})
    if template:
        save_template(template, database)


def activate_missing(conf, database):
    """Activate the demo's modules a database built by an earlier version
    lacks (agency_payroll came after water_utility)"""
    missing = [m for m in MODULES if m not in activated(database)]
    if missing:
        log(f"activating {', '.join(missing)} in {database!r}")
        admin(conf, database, '--activate-dependencies', '-u', *missing)


def admin(conf, database, *args, env=None):
    "Run trytond-admin on the database"
    command = Path(sys.executable).parent / 'trytond-admin'
    subprocess.run([str(command), '-c', str(conf), '-d', database, *args],
        env={**os.environ, **(env or {})}, check=True)


# A folder where the freshly activated database is kept, for the next
# district built with the same variable to start from a copy: the test
# suite builds several, and activating the modules takes a minute or two.
TEMPLATE_ENV = 'WATER_DEMO_TEMPLATE'


def template_database(folder):
    "The PostgreSQL database name of the template kept for `folder`"
    import hashlib
    digest = hashlib.sha256(str(Path(folder).resolve()).encode())
    return 'water_template_' + digest.hexdigest()[:12]


def save_template(folder, database):
    "Keep the activated `database` as the template of `folder`"
    import shutil

    from trytond import backend, config
    from trytond.transaction import Transaction

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if backend.name == 'sqlite':
        shutil.copyfile(
            Path(config.get('database', 'path'), f'{database}.sqlite'),
            folder / 'template.sqlite')
        return
    template = template_database(folder)
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
        cursor.execute(
            f'CREATE DATABASE "{template}" TEMPLATE "{database}"')
    (folder / 'template.postgresql').write_text(template + '\n')


def copy_template(folder, database):
    """Create `database` as a copy of the template kept in `folder`;
    False when there is none yet"""
    import shutil

    from trytond import backend, config
    from trytond.transaction import Transaction

    folder = Path(folder)
    if backend.name == 'sqlite':
        if not (folder / 'template.sqlite').exists():
            return False
        shutil.copyfile(folder / 'template.sqlite',
            Path(config.get('database', 'path'), f'{database}.sqlite'))
        return True
    if not (folder / 'template.postgresql').exists() or _server_has(
            database):
        return False
    template = template_database(folder)
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        transaction.connection.cursor().execute(
            f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    return True


def build(conf, database, premises, today=None, payroll=True,
        history_months=0, history_cycles=None, payroll_earlier=None):
    """Set up the district if needed and top its premises up to
    `premises`; with `payroll`, the agency's payroll too; with
    `history_months`, that many months read, billed and paid"""
    from proteus import config as pconfig, Model

    from water_utility import district

    today = today or district.local_today()
    config = pconfig.set_trytond(database, config_file=str(conf))
    Company = Model.get('company.company')
    if not Company.find([]):
        log("setting up the district: company, chart of accounts, "
            "fiscal year, staff users")
        district.setup_district(
            config=config, today=today, password=DEMO_PASSWORD)
    if not Model.get('water.rate.schedule').find([]):
        log("rate schedules")
        # In force since before the first meter went in (2018)
        district.create_rates(dt.date(2015, 7, 1), config=config)
    company, = Company.find([])
    from water_collection import demo as collections
    collections.set_up(config, today, log)
    if payroll and not Model.get('payroll.run').find([]):
        from agency_payroll.demo import build_payroll
        build_payroll(company, today, log=log, config=config,
            earlier=payroll_earlier)
    from water_finance import demo as finance
    finance.set_up(config, today, log)
    populate(database, company.id, premises, today)
    if history_months:
        from .demo_history import build_history
        build_history(database, company.id, history_months, log,
            history_cycles, after_month=collections.after_month(
                database, company.id, log))
        collections.open_work(database, company.id, log)
    ready_for_billing(database, company.id)
    from water_desk import demo as desk
    desk.set_up(config, today, log, maildir=Path(conf).parent / 'mail')


def ready_for_billing(database, company_id):
    """Give every service its current reads and billed-through date, once:
    the first bill run then bills a month, not years"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(
            database, 1, context={'company': company_id}) as transaction:
        pool = Pool()
        if pool.get('water.service').search(
                [('billed_through', '!=', None)], limit=1):
            return
        log("reads for the next bill run; services billed through the "
            "old system's last bill")
        add_billing_reads(pool)
        transaction.commit()


def populate(database, company_id, target, today):
    "Create premises with meters, customers and services, in batches"
    from trytond.transaction import Transaction

    from trytond.pool import Pool
    with Transaction().start(database, 1, readonly=True):
        existing = Pool().get('water.premise').search_count([])
    if existing >= target:
        log(f"{existing} premises already there: nothing to add")
        return
    log(f"{existing} premises found; creating {target - existing} more")
    rng = random.Random(20261126 + existing)
    batch = 250
    done = existing
    while done < target:
        size = min(batch, target - done)
        with Transaction().start(
                database, 1, context={'company': company_id}) as transaction:
            _create_batch(rng, done, size, today)
            transaction.commit()
        done += size
        log(f"premises {done}/{target}")
    log("demo data complete")


def add_billing_reads(pool):
    """Read every metered service 40 and 10 days ago and mark it billed up
    to the first read, as if the old system had: every cycle is then ready
    for a bill run (the bill-run benchmark and the ledger test)"""
    from trytond.transaction import Transaction

    from water_utility.models.bulk import insert_rows
    Service = pool.get('water.service')
    Reading = pool.get('water.meter.reading')
    today = pool.get('ir.date').today()
    if Service.search([('billed_through', '!=', None)], limit=1):
        # Done already (the demo does it when it builds the district)
        return
    services = Service.search([('state', '=', 'active')])
    meters = {s.meter for s in services if s.meter}
    chains = Reading.register_chains(
        {(m.id, r) for m in meters for r in m.registers})
    rows = []
    for meter in meters:
        for register in meter.registers:
            chain = chains.get((meter.id, register))
            last = chain[-1] if chain else None
            value = last.value if last else Decimal(0)
            previous_date = last.read_date if last else None
            for days, advance in [(40, 9), (10, 8 + meter.id % 9)]:
                date = today - dt.timedelta(days=days)
                value += advance
                limit = Decimal(10) ** meter.dials
                rows.append({
                        'meter': meter.id, 'register': register,
                        'read_date': date, 'value': value % limit,
                        'rollover': value >= limit, 'kind': 'regular',
                        'source': 'ami', 'leak': False, 'tamper': False,
                        'usage': (Decimal(advance) * meter.multiplier
                            if previous_date else None),
                        'usage_days': ((date - previous_date).days
                            if previous_date else None),
                        })
                value %= limit
                previous_date = date
    insert_rows(Reading, rows)
    table = Service.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.update(
            [table.billed_through], [today - dt.timedelta(days=40)],
            where=table.state == 'active'))
    cursor.execute(*table.update(
            [table.final_bill], [False], where=table.state == 'stopped'))
    print(f"{len(rows)} reads added for {len(services)} services",
        flush=True)


def _network(pool):
    "Return the routes and main segments, creating them the first time"
    Cycle = pool.get('water.cycle')
    Route = pool.get('water.route')
    Segment = pool.get('water.main_segment')
    routes = Route.search([])
    if not routes:
        cycles = Cycle.create([
                {'code': f'C{i}', 'name': f"Cycle {i}"} for i in range(1, 5)])
        vlist = []
        for i in range(16):
            street = STREETS[i]
            vlist.append({
                    'code': f'R{i + 1:02d}',
                    'name': f"{street} District",
                    'cycle': cycles[i % 4].id,
                    })
        routes = Route.create(vlist)
        Segment.create([{
                    'code': f'M{i + 1:03d}',
                    'name': f"{STREETS[i % len(STREETS)]} main, "
                    f"block {100 * (i // len(STREETS) + 1)}",
                    'main': f"{['6', '8', '12'][i % 3]}\" "
                    f"{['PVC', 'ductile iron', 'AC'][i % 3]}",
                    'valves': f"V-{2 * i + 1:04d}, V-{2 * i + 2:04d}",
                    'pressure_zone': f"Zone {i % 3 + 1}",
                    } for i in range(48)])
    return routes, Segment.search([])


def _create_batch(rng, offset, size, today):
    "Create `size` premises numbered after `offset` with their customers"
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Premise = pool.get('water.premise')
    Meter = pool.get('water.meter')
    Installation = pool.get('water.meter.installation')
    Reading = pool.get('water.meter.reading')
    Account = pool.get('water.account')
    Service = pool.get('water.service')
    Lang = pool.get('ir.lang')

    routes, segments = _network(pool)
    state = _state(pool)
    landlords = Party.search([('name', 'in', LANDLORDS)])
    if not landlords:
        landlords = Party.create([{
                    'name': name,
                    'addresses': [('create', [{
                                    'street': f"{100 + i} Commerce Plaza",
                                    'city': "Modesto",
                                    'postal_code': "95354", **state}])],
                    } for i, name in enumerate(LANDLORDS)])
    spanish, = Lang.search([('code', '=', 'es')]) or [None]
    english, = Lang.search([('code', '=', 'en')])
    installed_on = dt.date(2018, 7, 2)

    premises, meters, plans = _premise_rows(
        rng, offset, size, routes, segments)
    premises = Premise.create(premises)
    meters = Meter.create(meters)
    installations, reads, parties, party_plans = _customer_rows(
        rng, premises, meters, plans, installed_on, spanish, english, state)
    Installation.create(installations)
    Reading.create(reads)
    parties = Party.create(parties)
    accounts, owners = _account_rows(rng, parties, party_plans, landlords)
    accounts = Account.create(accounts)
    to_write = []
    for (premise, *_), owner in zip(party_plans, owners):
        to_write.extend(([premise], {'owner': owner}))
    Premise.write(*to_write)
    services, opening, history = _service_rows(
        rng, accounts, party_plans, today, installed_on)
    services = Service.create(services)
    for read in opening:
        read['service'] = services[read.pop('service_index')].id
    Reading.create(opening)
    _create_former_tenants(rng, history, installed_on, state)


def _state(pool):
    """The district's country and state, as the values of an address in
    it: bills and letters print "Cedar Creek, CA 95999" from them"""
    from water_utility.district import COUNTRY, STATE
    Country = pool.get('country.country')
    Subdivision = pool.get('country.subdivision')
    country, = Country.search([('code', '=', COUNTRY[0])])
    subdivision, = Subdivision.search([('code', '=', STATE[0])])
    return {'country': country.id, 'subdivision': subdivision.id}


def _premise_rows(rng, offset, size, routes, segments):
    """The rows of `size` premises numbered after `offset`, their meters,
    and what each premise is (a house, a business, vacant...)"""
    premises, meters, plans = [], [], []
    for n in range(offset, offset + size):
        route = routes[n % len(routes)]
        # Each route walks its own streets, 25 houses to a block.
        house = n // len(routes)
        street = f"{100 + 2 * (house % 25)} {route.name.split()[0]} " \
            f"{STREET_KINDS[house // 25 % len(STREET_KINDS)]}"
        kind = rng.choices(
            ['residential', 'multi_family', 'commercial', 'irrigation',
                'fire', 'vacant'],
            weights=[80, 6, 6, 3, 1, 4])[0]
        premises.append({
                'code': f'L-{n + 1:06d}',
                'street': street,
                'city': "Cedar Creek",
                'postal_code': rng.choice(['95999', '95998', '95997']),
                'parcel': f"{rng.randint(1, 99):03d}-"
                f"{rng.randint(1, 999):03d}-{rng.randint(1, 99):03d}",
                'route': route.id,
                'read_sequence': 10 * (n // len(routes) + 1),
                'zone': f"Zone {n % 3 + 1}",
                'pressure_zone': f"PZ-{n % 3 + 1}",
                'main_segment': segments[n % len(segments)].id,
                'water_on': kind != 'vacant',
                })
        meters.append({
                'serial': f'DM-{n + 1:07d}',
                'make': rng.choice(["Badger", "Neptune", "Sensus", "Itron"]),
                'model': rng.choice(["M25", "T-10", "iPERL", "E-Series"]),
                'size': ('2' if kind == 'fire' else
                    rng.choice(SIZES) if kind != 'residential'
                    else rng.choice(['5/8', '5/8', '3/4', '1'])),
                'unit': rng.choice(UNITS),
                'dials': 7 if kind != 'commercial' else 8,
                'multiplier': Decimal(1),
                'compound': kind == 'commercial' and rng.random() < 0.3,
                'state': 'installed',
                })
        plans.append(kind)
    return premises, meters, plans


def _customer_rows(rng, premises, meters, plans, installed_on, spanish,
        english, state):
    """The meters' installations and install reads, and the customers of
    the premises not vacant (their addresses in `state`), with what each
    customer takes"""
    installations, reads = [], []
    parties, party_plans = [], []
    for premise, meter, kind in zip(premises, meters, plans):
        purpose = {'irrigation': 'irrigation', 'fire': 'fire'}.get(
            kind, 'domestic')
        installations.append({
                'meter': meter.id, 'premise': premise.id,
                'purpose': purpose, 'install_date': installed_on})
        start_read = Decimal(rng.randint(0, 400) * 10)
        registers = ['low', 'high'] if meter.compound else ['single']
        for register in registers:
            reads.append({
                    'meter': meter.id, 'register': register,
                    'read_date': installed_on, 'value': start_read,
                    'kind': 'install', 'source': 'field'})
        if kind == 'vacant':
            continue
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        if kind in {'commercial', 'irrigation', 'fire'}:
            name = f"{last} {rng.choice(['Market', 'Farms', 'Auto', 'Dental', 'Cafe', 'Hardware'])}"
        elif kind == 'multi_family':
            name = rng.choice(LANDLORDS)
        else:
            name = f"{first} {last}"
        tenant = kind == 'residential' and rng.random() < 0.35
        parties.append({
                'name': name,
                'lang': (spanish.id if spanish and rng.random() < 0.3
                    else english.id),
                'addresses': [('create', [{
                                'street': (premise.street if rng.random() < 0.9
                                    else f"P.O. Box {rng.randint(1, 999)}"),
                                'city': premise.city,
                                'postal_code': premise.postal_code,
                                **state}])],
                'contact_mechanisms': [('create', [{
                                'type': 'phone',
                                'value': f"+1209555{rng.randint(0, 9999):04d}",
                                }])],
                })
        party_plans.append((premise, meter, kind, tenant, start_read,
                registers))
    return installations, reads, parties, party_plans


def _account_rows(rng, parties, party_plans, landlords):
    "The customers' accounts, and each premise's owner"
    accounts, owners = [], []
    for party, (premise, meter, kind, tenant, start_read, registers) in zip(
            parties, party_plans):
        accounts.append({
                'party': party.id,
                'role': 'tenant' if tenant else 'owner',
                'mailing_address': party.addresses[0].id,
                'lang': party.lang.id if party.lang else None,
                'paperless': rng.random() < 0.2,
                'email': f"customer{premise.id}@example.com",
                })
        owners.append(rng.choice(landlords).id if tenant else party.id)
    return accounts, owners


def _service_rows(rng, accounts, party_plans, today, installed_on):
    """The accounts' services (a sewer service with some), their opening
    reads, and the rentals that had a tenant before"""
    services, opening, history = [], [], []
    for account, plan in zip(accounts, party_plans):
        premise, meter, kind, tenant, start_read, registers = plan
        start = today - dt.timedelta(days=rng.randint(40, 2500))
        services.append({
                'premise': premise.id, 'account': account.id,
                'service_type': kind,
                'dwelling_units': (rng.randint(2, 24)
                    if kind == 'multi_family' else 1),
                'start_date': start,
                'state': 'active',
                })
        # The register advanced since the install at a household's pace
        # (120 to 350 gallons a day, more for larger services); the
        # opening read is what the move-in clerk wrote down.
        gallons = (start - installed_on).days * rng.randint(120, 350) * (
            1 if kind == 'residential' else rng.randint(2, 8))
        opening_value = start_read + usage_arithmetic.convert(
            gallons, 'gal', meter.unit, digits=2)
        opening.extend({
                'meter': meter.id, 'register': register,
                'read_date': start, 'value': opening_value,
                'kind': 'opening', 'source': 'field',
                'service_index': len(services) - 1,
                } for register in registers)
        if (tenant and rng.random() < 0.4
                and (start - installed_on).days > 400):
            history.append((plan, start, opening_value))
        if kind in {'residential', 'multi_family'} and rng.random() < 0.3:
            services.append({
                    'premise': premise.id, 'account': account.id,
                    'service_type': 'sewer',
                    'dwelling_units': services[-1]['dwelling_units'],
                    'start_date': start,
                    'state': 'active',
                    })
    return services, opening, history


def _create_former_tenants(rng, history, installed_on, state):
    """Give some rentals the tenant before the current one: a stopped,
    finally billed service whose closing read is the next opening read;
    their addresses in `state`."""
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Account = pool.get('water.account')
    Service = pool.get('water.service')
    Reading = pool.get('water.meter.reading')
    if not history:
        return
    parties = Party.create([{
                'name': f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                'addresses': [('create', [{
                                'street': premise.street,
                                'city': premise.city,
                                'postal_code': premise.postal_code,
                                **state}])],
                } for (premise, *_), _, _ in history])
    accounts = Account.create([{
                'party': party.id,
                'role': 'tenant',
                'mailing_address': party.addresses[0].id,
                } for party in parties])
    services, starts = [], []
    for account, ((premise, _, kind, *_), start, _) in zip(accounts, history):
        old_start = start - dt.timedelta(
            days=rng.randint(200, (start - installed_on).days - 30))
        starts.append(old_start)
        services.append({
                'premise': premise.id, 'account': account.id,
                'service_type': kind, 'dwelling_units': 1,
                'start_date': old_start, 'end_date': start,
                'state': 'stopped', 'final_bill': False,
                })
    services = Service.create(services)
    reads = []
    for service, old_start, (plan, start, closing_value) in zip(
            services, starts, history):
        _, meter, _, _, start_read, registers = plan
        # The register ran at the same pace before the former tenant came.
        share = Decimal((old_start - installed_on).days) / (
            start - installed_on).days
        old_opening = start_read + ((closing_value - start_read) * share
            ).quantize(Decimal('0.01'))
        for register in registers:
            reads.append({
                    'meter': meter.id, 'register': register,
                    'read_date': old_start,
                    'value': old_opening,
                    'kind': 'opening', 'source': 'field',
                    'service': service.id})
            reads.append({
                    'meter': meter.id, 'register': register,
                    'read_date': start, 'value': closing_value,
                    'kind': 'closing', 'source': 'field',
                    'service': service.id})
    Reading.create(reads)


def serve(conf, database, host, port, mail_port, db_type='sqlite'):
    """Run the server in the foreground (Ctrl-C to stop), and beside it
    the demo's mail server keeping what the district emails and the queue
    worker posting and delivering bill runs"""
    trytond = Path(sys.executable).parent / 'trytond'
    maildir = Path(conf).parent / 'mail'
    subprocess.Popen([sys.executable, '-m', 'water_utility.mail_sink',
            '--port', str(mail_port), '--maildir', str(maildir)])
    conf = server_config(conf)
    subprocess.Popen(queue_worker(conf, database, db_type))
    print_banner(host, port, database)
    print(f"  Email sent by the district lands in {maildir} "
        "(one file a message).\n", flush=True)
    os.execv(str(trytond), [str(trytond), '-c', str(conf), '-d', database])


def server_config(conf):
    """The server's configuration: the builder's, with long work (posting,
    delivering a run) left to the queue worker, so that the clerk's screen
    answers at once and shows the run's progress"""
    conf = Path(conf)
    server = conf.with_name('trytond-server.conf')
    server.write_text(conf.read_text() + "[queue]\nworker = True\n")
    return server


def queue_worker(conf, database, db_type='sqlite'):
    """The command running the queue's tasks: trytond's worker on
    PostgreSQL, the demo's polling one on SQLite (no notifications)"""
    if db_type == 'postgresql':
        return [str(Path(sys.executable).parent / 'trytond-worker'),
            '-c', str(conf), '-d', database, '-n', '1']
    return [sys.executable, '-m', 'water_utility.queue_runner',
        '-c', str(conf), '-d', database]


def print_banner(host, port, database):
    shown = 'localhost' if host in {'0.0.0.0', '127.0.0.1'} else host
    print(f"""
Water Utility demo is ready.

  Web client:  http://{shown}:{port}/
  Database:    {database}
  Logins (password {DEMO_PASSWORD} for all):
    admin     Tryton administrator
    clerk     Customer Service/Accounts Specialist
    billing   Billing clerk
    cashier   Counter cash receipts
    finance   Finance Manager
    payroll   Payroll
    approver  Purchasing approval
    field     Field crew (also an employee)
    manager   Water utility administration (all office roles)

Stop the server with Ctrl-C; `make demo` again reuses the database.
""", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='water_demo')
    parser.add_argument('--db-type', choices=['sqlite', 'postgresql'],
        default='sqlite')
    parser.add_argument('--db-uri',
        default=os.environ.get('DEMO_DB_URI', 'postgresql:///'),
        help="PostgreSQL server URI, with --db-type postgresql")
    parser.add_argument('--premises', type=int, default=2000)
    parser.add_argument('--state-dir', default=str(ROOT / '.demo'))
    parser.add_argument('--sao', default=str(ROOT / '.sao' / 'package'))
    parser.add_argument('--host', default='localhost')
    parser.add_argument('--port', type=int, default=8000)
    parser.add_argument('--mail-port', type=int, default=8025,
        help="the demo's mail server, on 127.0.0.1")
    parser.add_argument('--serve', action='store_true',
        help="start the server once the database is built")
    parser.add_argument('--history-months', type=int, default=13,
        help="months of reads, bill runs and payments behind the district "
        "(0 for none)")
    parser.add_argument('--history-cycles', type=int,
        help="bill the history of this many cycles only (all if absent)")
    parser.add_argument('--payroll-earlier-runs', type=int,
        help="pay this many of the year's earlier runs only (all if "
        "absent)")
    parser.add_argument('--without-payroll', action='store_true',
        help="leave the payroll demo out (the billing tests' districts)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    conf = write_config(args)
    # Read by trytond when it is first imported, just below.
    os.environ['TRYTOND_CONFIG'] = str(conf)
    if database_ready(args.database):
        log(f"database {args.database!r} found: reusing it")
        activate_missing(conf, args.database)
    else:
        create_database(conf, args.database)
    started = time.monotonic()
    build(conf, args.database, args.premises,
        payroll=not args.without_payroll,
        history_months=args.history_months,
        history_cycles=args.history_cycles,
        payroll_earlier=args.payroll_earlier_runs)
    log(f"district ready in {time.monotonic() - started:.0f} s")
    if args.serve:
        serve(conf, args.database, args.host, args.port, args.mail_port,
            args.db_type)
    else:
        print_banner(args.host, args.port, args.database)


if __name__ == '__main__':
    main()
