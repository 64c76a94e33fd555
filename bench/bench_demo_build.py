#!/usr/bin/env python3
# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Time the demo builder's server-side batch creation.

    .venv/bin/python bench/bench_demo_build.py [--premises 2000] [--history-months 13] [--db-uri postgresql:///]

Builds a fresh demo district in a temporary folder (SQLite) or in a
PostgreSQL database `water_bench` (dropped first), and prints the time spent
creating the premises with their meters, installs, customers, accounts,
services and reads, as premises per second.  The database set-up itself
(module activation, chart, fiscal year) is reported apart, and so is the
history: the months read, billed through bill runs and paid by lockbox."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--premises', type=int, default=2000)
    parser.add_argument('--history-months', type=int, default=13)
    parser.add_argument('--db-uri', help="PostgreSQL URI; SQLite if absent")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        cmd = [sys.executable, '-u', '-m', 'water_utility.demo',
            '--state-dir', state, '--database', 'water_bench',
            '--premises', str(args.premises),
            '--history-months', str(args.history_months)]
        if args.db_uri:
            from water_utility.pg import drop_database
            drop_database(args.db_uri, 'water_bench')
            cmd += ['--db-type', 'postgresql', '--db-uri', args.db_uri]
        env = {k: v for k, v in os.environ.items()
            if not k.startswith(('TRYTOND_', 'DB_'))}
        started = time.monotonic()
        output = subprocess.run(
            cmd, env=env, capture_output=True, text=True, check=True).stdout
        total = time.monotonic() - started
    stamps = {}
    for line in output.splitlines():
        if m := re.match(r'\[demo (\d\d:\d\d:\d\d)\] (.*)', line):
            stamp = datetime.strptime(m.group(1), '%H:%M:%S')
            if 'creating' in m.group(2) and 'more' in m.group(2):
                stamps['start'] = stamp
            if m.group(2) == 'demo data complete':
                stamps['end'] = stamp
            if m.group(2).startswith('history:'):
                stamps.setdefault('history', stamp)
                stamps['history_end'] = stamp
    seconds = (stamps['end'] - stamps['start']).total_seconds()
    backend = 'PostgreSQL' if args.db_uri else 'SQLite'
    print(f"backend: {backend}")
    print(f"premises: {args.premises}")
    print(f"whole build (database, set-up, data): {total:.1f} s")
    print(f"data batches: {seconds:.0f} s "
        f"({args.premises / max(seconds, 1):.0f} premises/s, each with "
        "meter, install, install read, customer, account, service(s), "
        "opening read)")
    if 'history' in stamps:
        history = (stamps['history_end'] - stamps['history']).total_seconds()
        print(f"history: {args.history_months} months read, billed and "
            f"paid in {history:.0f} s")


if __name__ == '__main__':
    main()
