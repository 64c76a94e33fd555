# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The demo district built by the demo builder, served by trytond with the
web client, for the demo-volume and browser tests.

Built once per test run on the database backend under test (the
TRYTOND_DATABASE_URI that `make test` sets), in a fresh database."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from water_utility.demo import queue_worker, server_config
from water_utility.pg import drop_database

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATABASE = 'water_demo_test'
DEMO_PREMISES = 2000
# Months of bills and payments behind the tests' district, of one cycle:
# enough to show every kind of record (`make demo` builds 13 months of
# every cycle) and to keep CI under its 30 minutes
DEMO_HISTORY_MONTHS = 1
DEMO_HISTORY_CYCLES = 1
# The year's earlier pay runs paid in the tests' district (all in the demo)
DEMO_PAYROLL_EARLIER_RUNS = 2
PASSWORD = 'water-demo-2026'


def _backend_uri():
    return os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')


@pytest.fixture(scope='session', autouse=True)
def demo_template(tmp_path_factory):
    """One activated database for all the districts the tests build (the
    browser tests', tests/ledger_compare.py's, tests/resume_run.py's):
    the first keeps it, the others start from a copy"""
    from water_utility.demo import TEMPLATE_ENV, template_database
    folder = tmp_path_factory.mktemp('template')
    os.environ[TEMPLATE_ENV] = str(folder)
    yield folder
    del os.environ[TEMPLATE_ENV]
    if (folder / 'template.postgresql').exists():
        drop_database(_backend_uri(), template_database(folder))


@pytest.fixture(scope='session')
def demo_district(tmp_path_factory):
    "Build the demo district from scratch, as `make demo` does"
    state = tmp_path_factory.mktemp('demo')
    uri = _backend_uri()
    mail_port = _free_port()
    args = [sys.executable, '-m', 'water_utility.demo',
        '--state-dir', str(state), '--database', DEMO_DATABASE,
        '--premises', str(DEMO_PREMISES), '--host', '127.0.0.1',
        '--history-months', str(DEMO_HISTORY_MONTHS),
        '--history-cycles', str(DEMO_HISTORY_CYCLES),
        '--payroll-earlier-runs', str(DEMO_PAYROLL_EARLIER_RUNS),
        '--port', str(_free_port()),
        # nothing listens there until a test starts a mail sink
        '--mail-port', str(mail_port),
        '--sao', str(ROOT / '.sao' / 'package')]
    if uri.startswith('postgresql'):
        drop_database(uri, DEMO_DATABASE)
        args += ['--db-type', 'postgresql', '--db-uri', uri]
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'DB_'))}
    started = time.monotonic()
    result = subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {
        'state': state,
        'conf': state / 'trytond.conf',
        'database': DEMO_DATABASE,
        'mail_port': mail_port,
        'output': result.stdout,
        'seconds': time.monotonic() - started,
        'args': args,
        'env': env,
        }


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def listening(process, port):
    "Wait until `process` accepts connections on `port` (or has exited)"
    while True:
        with contextlib.suppress(ConnectionRefusedError), \
                socket.create_connection(('127.0.0.1', port), timeout=5):
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
        assert process.poll() is None, f"{process.args} exited"


@pytest.fixture(scope='session')
def demo_server(demo_district):
    "Serve the demo district (started with -d, as trytond 8.0.12 needs)"
    port = _free_port()
    conf = demo_district['conf']
    text = conf.read_text()
    conf.write_text('\n'.join(
            f'listen = 127.0.0.1:{port}' if line.startswith('listen =')
            else line for line in text.splitlines()) + '\n')
    # As `make demo` serves it: posting and delivering left to the queue
    conf = server_config(conf)
    trytond = Path(sys.executable).parent / 'trytond'
    log = open(demo_district['state'] / 'server.log', 'w')
    server = subprocess.Popen(
        # -vv: every call and its time, for a failing browser test
        [str(trytond), '-c', str(conf), '-d', demo_district['database'],
            '-vv'],
        env=demo_district['env'], stdout=log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen(queue_worker(conf, demo_district['database'],
            'postgresql' if _backend_uri().startswith('postgresql')
            else 'sqlite'),
        env=demo_district['env'], stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + '/', timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "trytond exited; see server.log"
                time.sleep(0.5)
        else:
            pytest.fail("trytond did not answer within 60 s")
        yield url
    finally:
        for process in [server, worker]:
            process.terminate()
            process.wait(timeout=30)
        log.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    "Show the end of the demo server's log under a test that failed on it"
    report = yield
    if (report.when == 'call' and report.failed
            and 'demo_server' in item.fixturenames):
        district = item.funcargs.get('demo_district')
        log = district and district['state'] / 'server.log'
        if log and log.exists():
            # Werkzeug's lines (one per request, images too) say less
            # than the dispatcher's: the call, the user and its time.
            tail = [l for l in log.read_text(errors='replace').splitlines()
                if ' werkzeug ' not in l][-60:]
            report.sections.append(
                ("trytond's log, last 60 lines", '\n'.join(tail)))
    return report


class RPC:
    "A JSON-RPC session on the trytond server, as one user"

    def __init__(self, url, database, login, password=PASSWORD):
        self.url, self.database = url, database
        self.cookie = None
        self.user_id = self._post('session/login', {
                'params': [login, {'password': password}, 'en']})[0]

    def _post(self, path, data):
        headers = {'Content-Type': 'application/json'}
        if self.cookie:
            headers['Cookie'] = self.cookie
        request = urllib.request.Request(
            f'{self.url}/{self.database}/{path}',
            json.dumps(data).encode(), headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            # The session cookie is Secure: send it by hand over plain HTTP.
            if cookie := response.headers.get('Set-Cookie'):
                self.cookie = cookie.split(';')[0]
            return json.loads(response.read())

    # the context sent with each call; sao sends the user's preferences
    context = {}

    def __call__(self, method, *params):
        answer = self._call(method, params)
        assert 'error' not in answer, answer
        return answer['result']

    def error(self, method, *params):
        """The error trytond answers the call with (for a user error
        ['UserError', [message, description, domain]]), None on success"""
        return self._call(method, params).get('error')

    def _call(self, method, params):
        return self._post('rpc/', {
                'method': method, 'params': [*params, self.context],
                'id': 1})

    def count(self, model, domain):
        return self(f'model.{model}.search_count', domain)


@pytest.fixture(scope='session')
def admin_rpc(demo_server, demo_district):
    return RPC(demo_server, demo_district['database'], 'admin')
