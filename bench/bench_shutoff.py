#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A main break taking the water from PREMISES premises: its services
selected and its call list produced, then its door hangers printed.

    .venv/bin/python bench/bench_shutoff.py [--premises 2000]
        [--db-uri postgresql:///] [--reuse]

Builds the demo district of PREMISES premises (outside the timing), opens
an emergency event as the clerk and times, as the clerk's buttons do:

1. Select Services from every main segment of the network (the services,
   why each is called first, its phone, the people it serves), then the
   call list as the event's form reads it (critical first, then as the
   crew walks); target under 30 s;
2. the door hangers, one a premise, one PDF a route, kept on the event;
   target under 2 minutes.

Rolled back: the district is left as it was built."""
import argparse
import time

from district import attempt, district_options, started_pool
from district import district as built_district

DATABASE = 'water_bench_shutoff'
TARGETS = {'call list': 30, 'door hangers': 120}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--premises', type=int, default=2000)
    district_options(parser)
    args = parser.parse_args()
    with built_district(DATABASE, args.premises, args.db_uri, args.reuse):
        run(args)


def run(args):
    pool = started_pool(DATABASE)
    clerk = attempt(DATABASE, pool, lambda: pool.get('res.user').search(
            [('login', '=', 'clerk')])[0].id)
    figures = attempt(DATABASE, pool, lambda: main_break(pool), user=clerk)
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"\nbackend: {backend}; premises in the district: "
        f"{args.premises}")
    print(f"services affected: {figures['services']}; premises: "
        f"{figures['premises']}; people: {figures['people']}; critical: "
        f"{figures['critical']}; routes: {figures['routes']}")
    print(f"door hanger pages: {figures['pages']}")
    for step in ['select', 'call list read', 'call list',
            'door hangers']:
        target = TARGETS.get(step)
        verdict = ''
        if target:
            verdict = (f" (target {target} s: "
                f"{'met' if figures[step] < target else 'MISSED'})")
        print(f"{step}: {figures[step]:.2f} s{verdict}")


def main_break(pool):
    "The clerk's main break, timed step by step; rolled back by attempt"
    from water_desk.models.event_notice import door_hangers
    from water_desk.models.event_select import add_services
    Event = pool.get('water.desk.event')
    Segment = pool.get('water.main_segment')
    Line = pool.get('water.desk.event.service')
    Attachment = pool.get('ir.attachment')
    event, = Event.create([{'name': "Bench main break"}])
    figures = {}

    started = time.monotonic()
    segments = Segment.search([])
    add_services(event, [('main_segment', 'in', [s.id for s in segments])])
    figures['select'] = time.monotonic() - started

    started = time.monotonic()
    lines = Line.search([('event', '=', event.id)])
    rows = Line.read([l.id for l in lines], ['rank', 'reasons', 'name',
            'address', 'phone', 'people', 'route', 'last_outcome',
            'call_done'])
    figures['call list read'] = time.monotonic() - started
    figures['call list'] = figures['select'] + figures['call list read']
    event = Event(event.id)
    figures.update(services=len(rows),
        premises=len({l.premise.id for l in lines}),
        people=event.people_count, critical=event.critical_count,
        routes=len({r['route'] for r in rows}))

    started = time.monotonic()
    door_hangers(event, 'emergency', lines)
    figures['door hangers'] = time.monotonic() - started
    figures['pages'] = count_pages(Attachment.search([
                ('resource', '=', str(event)),
                ('name', 'like', 'door-hangers-%')]))
    return figures


def count_pages(attachments):
    import io

    from pypdf import PdfReader
    return sum(len(PdfReader(io.BytesIO(a.data)).pages)
        for a in attachments)


if __name__ == '__main__':
    main()
