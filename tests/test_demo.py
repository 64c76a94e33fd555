# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The demo builder creates the district the README promises."
import datetime as dt

from water_utility.demo_history import NEWEST_READ_AGE
from water_utility.district import STAFF, local_today

from .conftest import (
    DEMO_HISTORY_CYCLES, DEMO_HISTORY_MONTHS, DEMO_PREMISES, RPC, _free_port,
    listening)


def test_demo_volume(demo_district, admin_rpc):
    "At least 2,000 premises, meters and services across several routes"
    count = admin_rpc.count
    assert count('water.premise', []) >= DEMO_PREMISES
    assert count('water.meter', [('state', '=', 'installed')]) >= DEMO_PREMISES
    assert count('water.service', [
            ('state', '=', 'active'),
            ('service_type', '!=', 'sewer'),
            ]) >= 0.9 * DEMO_PREMISES
    assert count('water.service', [('service_type', '=', 'sewer')]) > 0
    assert count('water.route', []) >= 4
    assert count('water.cycle', []) >= 2
    assert count('water.main_segment', []) >= 10
    for service_type in ['residential', 'multi_family', 'commercial',
            'irrigation', 'fire']:
        assert count('water.service', [
                ('service_type', '=', service_type)]) > 0, service_type
    # Owners and tenants: tenants' premises belong to someone else.
    assert count('water.account', [('role', '=', 'owner')]) > 0
    assert count('water.account', [('role', '=', 'tenant')]) > 0
    assert count('water.premise', [
            ('owner', '!=', None),
            ('services.account.role', '=', 'tenant'),
            ]) > 0
    # Every premise has its meter installed with a first read.
    assert count('water.meter.reading', [('kind', '=', 'install')]) \
        >= DEMO_PREMISES
    assert count('water.meter.reading', [('kind', '=', 'opening')]) > 0
    # Premises keep their past services: former tenants, finally billed.
    assert count('water.service', [
            ('state', '=', 'stopped'), ('final_bill', '=', False)]) > 0
    assert count('water.meter.reading', [('kind', '=', 'closing')]) > 0
    # Progress is printed while it builds.
    assert f"premises {DEMO_PREMISES}/{DEMO_PREMISES}" in demo_district['output']
    print(f"demo built in {demo_district['seconds']:.0f} s")


def test_demo_history(admin_rpc):
    """The district has a past: posted bill runs for every cycle, bills
    paid through the bank's lockbox file, some in part and some not at
    all, and reads waiting for the clerk's first bill run"""
    count = admin_rpc.count
    cycles = DEMO_HISTORY_CYCLES
    # A cycle holds about a quarter of the premises
    billed = DEMO_PREMISES * cycles // 4
    assert count('water.bill.run', [('state', '=', 'posted')]) \
        >= DEMO_HISTORY_MONTHS * cycles
    assert count('water.bill', [('state', '=', 'posted')]) \
        >= 0.8 * billed
    assert count('water.payment.import', []) >= 1
    # Late and partial payers: what collections starts from
    assert count('account.invoice', [
            ('water_account', '!=', None), ('state', '=', 'posted'),
            ]) > 0
    assert count('account.invoice', [
            ('water_account', '!=', None), ('state', '=', 'paid'),
            ]) > 0.5 * billed
    # Every bill paid in full is marked paid (by the queued processing)
    assert count('account.invoice', [
            ('water_account', '!=', None), ('state', '=', 'posted'),
            ('move.lines.reconciliation', '!=', None),
            ]) == 0
    # The newest reads, of every cycle, are not billed yet: the next run
    # bills them (other tests' runs read later, on yesterday)
    newest = local_today() - dt.timedelta(days=NEWEST_READ_AGE)
    day = {'__class__': 'date', 'year': newest.year,
        'month': newest.month, 'day': newest.day}
    assert count('water.meter.reading', [('read_date', '=', day)]) \
        >= 0.8 * DEMO_PREMISES
    assert count('water.bill.period', [('end_date', '>=', day)]) == count(
        'water.bill.period', [('end_date', '>=', day),
            ('bill.run.read_date', '>', day)])


def test_demo_collections(admin_rpc):
    """Collections set up and at work: this year's and next year's
    holidays, the penalty rule, the ladder on the dunning levels; the
    ladder has given notices, penalty runs are posted, and today's run
    waits for finance to review and post it; today's notices wait in
    their mailing"""
    count = admin_rpc.count
    year = local_today().year

    def day(year, month, day):
        return {'__class__': 'date', 'year': year, 'month': month,
            'day': day}
    assert count('water.collection.holiday', [
            ('date', '>=', day(year, 1, 1)),
            ('date', '<=', day(year + 1, 12, 31))]) == 22
    assert count('water.collection.penalty.rule', []) == 1
    assert count('account.dunning.level', [
            ('collection_step', '!=', None)]) == 5
    assert count('water.collection.notice', [
            ('step', '=', 'late_notice')]) > 0
    assert count('water.collection.penalty.run', [
            ('state', '=', 'posted')]) >= 1
    assert count('water.collection.penalty.run', [
            ('state', '=', 'calculated')]) >= 1
    # today's notices wait in a mailing for the clerk (or were mailed by
    # the browser test); the reconnection fees and the CPI table are set
    assert count('water.collection.mailing', [
            ('date', '=', day(*local_today().timetuple()[:3]))]) >= 1
    assert count('water.collection.cpi', []) == 4
    # the clerk's calls for the telephone notices before today are logged
    # (today's wait for her)
    assert count('water.collection.notice', [
            ('step', '=', 'phone'), ('contacts', '=', None),
            ('date', '<', day(*local_today().timetuple()[:3]))]) == 0


def test_demo_books(admin_rpc):
    "A company, a water enterprise fund chart and an open fiscal year"
    count = admin_rpc.count
    assert count('company.company', []) == 1
    for code in ['1010', '1020', '1200', '2200', '4010', '4020', '4050']:
        assert count('account.account', [('code', '=', code)]) == 1, code
    assert count('account.fiscalyear', [('state', '=', 'open')]) == 2
    assert count('account.period', []) >= 12


def test_demo_staff_logins(demo_server, demo_district):
    "Every role logs in with the printed password and sees its data"
    for login in STAFF:
        rpc = RPC(demo_server, demo_district['database'], login)
        assert rpc.user_id
    clerk = RPC(demo_server, demo_district['database'], 'clerk')
    assert clerk.count('water.account', []) > 0
    payroll = RPC(demo_server, demo_district['database'], 'payroll')
    answer = payroll._post('rpc/', {
            'method': 'model.water.account.search_count',
            'params': [[], {}], 'id': 1})
    assert 'error' in answer, "payroll must not read customer accounts"


def test_demo_rerun_reuses(demo_district):
    "Running the builder again finds the district and adds nothing"
    import subprocess
    result = subprocess.run(
        demo_district['args'], env=demo_district['env'],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'reusing it' in result.stdout
    assert 'nothing to add' in result.stdout


def test_mail_sink_keeps_what_it_receives(tmp_path):
    "The demo's mail server keeps each message it is sent in its Maildir"
    import mailbox
    import smtplib
    import subprocess
    import sys
    from email.message import EmailMessage

    port = _free_port()
    sink = subprocess.Popen([sys.executable, '-m', 'water_utility.mail_sink',
            '--port', str(port), '--maildir', str(tmp_path / 'mail')])
    try:
        message = EmailMessage()
        message['From'] = 'billing@cedarcreekwater.example.org'
        message['To'] = 'shop@example.com'
        message['Subject'] = 'Your water bill'
        message.set_content('Attached.')
        listening(sink, port)
        server = smtplib.SMTP('127.0.0.1', port, timeout=5)
        with server:
            server.send_message(message)
        kept, = mailbox.Maildir(tmp_path / 'mail', create=False)
        assert kept['Subject'] == 'Your water bill'
        assert kept['To'] == 'shop@example.com'
    finally:
        sink.terminate()
        sink.wait(timeout=30)
