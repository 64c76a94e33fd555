# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo district's collections: set up once (holidays, the penalty
rule, the ladder), then each month of the history the office's work, on
its own day: the ladder run (Tryton's dunnings created and processed, the
notices logged), the month's penalty run, calculated by the billing
clerk and posted by the finance manager, and the crew's day: the
reconnections requested since (each charged its fee) and a couple of
shut-offs the law allows.  The late and partial payers of
the history so stand at every step of the ladder on the first login."""
from trytond.pool import Pool
from trytond.transaction import Transaction

from water_utility.demo_history import as_of, committed

from .models.customer import RESIDENTIAL


def set_up(config, today, log):
    "The collections set-up, once"
    from proteus import Model

    from .district import setup_collections
    if Model.get('water.collection.holiday', config=config).find([]):
        return
    log("collections: holidays, penalty rule, the ladder")
    setup_collections(config=config, today=today)


def user_id(database, login):
    with Transaction().start(database, 0, readonly=True):
        user, = Pool().get('res.user').search([('login', '=', login)])
        return user.id


def collections_day(database, company_id, day):
    """The ladder run and the month's penalties on `day`; return (notices
    given, accounts charged)"""
    context = {'company': company_id}
    notices = committed(database, context,
        lambda: ladder(Pool(), day))
    run_id = committed(database, context,
        lambda: calculate_penalties(Pool(), day),
        user=user_id(database, 'billing'))
    charged = committed(database, context,
        lambda: post_penalties(Pool(), day, run_id),
        user=user_id(database, 'finance'))
    committed(database, context, lambda: record_contacts(
            Pool(), day, 'phone'), user=user_id(database, 'clerk'))
    committed(database, context, lambda: record_contacts(
            Pool(), day, 'door_notice'), user=user_id(database, 'field'))
    committed(database, context, lambda: field_work(Pool(), day),
        user=user_id(database, 'field'))
    return notices, charged


# How the clerk's calls went, in turn
CALL_OUTCOMES = ['message', 'no_answer', 'reached', 'message', 'bad_number']


def record_contacts(pool, day, step):
    """The calls the clerk made for the telephone notices given until
    `day`, or the door notices the crew posted, each recorded once on
    `day`; how many"""
    Contact = pool.get('water.collection.contact')
    Notice = pool.get('water.collection.notice')
    values = []
    for i, notice in enumerate(Notice.search([
                ('step', '=', step), ('date', '<=', day),
                ('contacts', '=', None)], order=[('id', 'ASC')])):
        if step == 'phone':
            values.append({'notice': notice.id, 'kind': 'phone',
                    'date': day, 'outcome': CALL_OUTCOMES[i % 5],
                    'phone': notice.account.party.phone or '209-555-0100'})
        elif premises := notice.premises():
            values.append({'notice': notice.id, 'kind': 'door',
                    'date': day, 'outcome': 'posted',
                    'premise': premises[0].id})
    with as_of(pool, day):
        Contact.create(values)
    return len(values)


def ladder(pool, day):
    "Run the ladder on `day`: the dunnings created and processed"
    Dunning = pool.get('account.dunning')
    Notice = pool.get('water.collection.notice')
    before = Notice.search_count([])
    with as_of(pool, day):
        Dunning.generate_dunnings(date=day)
        Dunning.process(Dunning.search([('state', '=', 'draft')]))
    return Notice.search_count([]) - before


def draft_mailings(pool, day):
    """A mailing of each step that gave notices on `day`, left for the
    clerk to print and mail; how many"""
    Mailing = pool.get('water.collection.mailing')
    Notice = pool.get('water.collection.notice')
    sent = dict(Mailing.step.selection)
    steps = sorted({n.step for n in Notice.search([
                    ('date', '=', day), ('mailing', '=', None)])
            if n.step in sent})
    Mailing.create([{'date': day, 'step': s} for s in steps])
    return len(steps)


# Shut-offs the crew does on a collections day, at most: a small district
# shuts off a few households a month
SHUTOFFS = 2


def field_work(pool, day):
    """The crew's day: the reconnections requested (each charged its fee),
    and the first SHUTOFFS turn-offs for nonpayment the law allows that
    day, the meter read as the valve is locked"""
    Order = pool.get('water.service.order')
    with as_of(pool, day):
        reconnections = Order.search([
                ('type', '=', 'turn_on'), ('nonpayment', '=', True),
                ('state', '=', 'requested'),
                ('requested_date', '<=', day)])
        for order in reconnections:
            order.done_date = day
        Order.save(reconnections)
        Order.do(reconnections)
        done = []
        for order in Order.search([
                    ('type', '=', 'turn_off'), ('nonpayment', '=', True),
                    ('state', '=', 'requested'),
                    ('requested_date', '<=', day)],
                order=[('requested_date', 'ASC'), ('id', 'ASC')]):
            if len(done) >= SHUTOFFS:
                break
            if shut_off(pool, order, day):
                done.append(order)
    return len(reconnections), len(done)


def shut_off(pool, order, day):
    """Do the turn-off `order` on `day` if the guard allows it and its
    meter has a single register; whether it was done"""
    Order = pool.get('water.service.order')
    Reading = pool.get('water.meter.reading')
    service = order.service
    meter = service.meter
    if (not meter or meter.compound or service.account.shutoff_holds_on(
                day, residential=service.service_type in RESIDENTIAL)):
        return False
    last = Reading.search([('meter', '=', meter.id)],
        order=[('read_date', 'DESC'), ('id', 'DESC')], limit=1)
    order.done_date = day
    order.reading = last[0].value if last else 0
    order.save()
    Order.do([order])
    return True


def calculate_penalties(pool, day):
    "The penalty run of `day`, calculated; its id"
    Run = pool.get('water.collection.penalty.run')
    with as_of(pool, day):
        run, = Run.create([{'date': day}])
        Run.calculate([run])
    return run.id


def post_penalties(pool, day, run_id):
    "Post the penalty run; return how many accounts it charged"
    Run = pool.get('water.collection.penalty.run')
    with as_of(pool, day), Transaction().set_context(_skip_warnings=True):
        run = Run(run_id)
        Run.post([run])
        return run.charged


# Days after a month's read the office runs the ladder and the penalties:
# after the bank's lockbox payments (16 days), before the next bills
COLLECTIONS_DAY = 20


def after_month(database, company_id, log):
    "The history's monthly hook: the month's collections on their day"
    import datetime as dt

    def collect(read_date, today):
        day = read_date + dt.timedelta(days=COLLECTIONS_DAY)
        if day >= today:
            return
        notices, charged = collections_day(database, company_id, day)
        log(f"collections: {day} {notices} notices given, "
            f"{charged} accounts charged penalties")
    return collect


def open_work(database, company_id, log):
    """Today's ladder run, and today's penalty run calculated by the
    billing clerk, waiting for finance to review and post it; once"""
    context = {'company': company_id}
    with Transaction().start(database, 1, context=context, readonly=True):
        pool = Pool()
        Run = pool.get('water.collection.penalty.run')
        if Run.search([('state', '=', 'calculated')], limit=1):
            return
        today = pool.get('ir.date').today()
    notices = committed(database, context, lambda: ladder(Pool(), today))
    mailings = committed(database, context,
        lambda: draft_mailings(Pool(), today),
        user=user_id(database, 'clerk'))
    run_id = committed(database, context,
        lambda: calculate_penalties(Pool(), today),
        user=user_id(database, 'billing'))
    log(f"collections: today's notices wait in {mailings} mailings for "
        "the clerk to print and mail")
    log(f"collections: today's ladder run gave {notices} notices; the "
        f"penalty run of {today} is calculated (run {run_id}), waiting "
        "for finance")
