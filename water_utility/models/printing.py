# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A print file (a bill run's paper bills, a mailing's notices) rendered
on every core, then joined.

weasyprint lays a bill out in about a tenth of a second on one core, so a
10,000-bill cycle is a quarter of an hour of one process.  Large print
files are therefore split in as many contiguous parts as the machine has
cores (`[water] render_processes` in trytond's configuration to set it),
each rendered by a process of its own on the committed bills, and the
parts joined in order with pypdf: the presort order is kept.

    python -m water_utility.models.printing DATABASE USER CONTEXT JOB OUTPUT

is one such process: it renders the job JOB (a JSON file: the report, the
model, the ids or the report's data entries) to OUTPUT.
It gets the server's configuration through its environment
(`TRYTOND_SECTION__OPTION` variables, readable by its own user only), and
only the sections rendering needs: no file holds the database password."""
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from trytond import config
from trytond.pool import Pool
from trytond.transaction import Transaction

# Below this, starting processes (a few seconds each) does not pay.
PARALLEL_MIN = 400
# Bills per weasyprint document in a process: bounds its memory.
CHUNK = 500
# The configuration sections a rendering process reads: the database it
# opens, its caches, report and attachment settings and the district's own.
# Not the email, session, password or web ones.
RENDER_SECTIONS = {'database', 'cache', 'report', 'attachment', 'water'}


def processes():
    return config.getint(
        'water', 'render_processes', default=os.cpu_count() or 1)


def render_bills(ids, workers=None):
    "The PDF of the bills `ids`, in that order"
    return render('water.bill.report', 'water.bill', ids, workers=workers)


def render(report, model, items, key=None, workers=None):
    """The PDF of `report` on `items`, in their order, on every core.

    `items` are the ids of `model`'s records, one page or more each; with
    `key`, they are the entries the report reads in its data under `key`
    (each a list whose first element is a record's id: a notice's copies),
    in the order their pages print."""
    workers = processes() if workers is None else workers
    transaction = Transaction()
    database = transaction.database.name
    job = {'report': report, 'model': model, 'key': key}
    if (workers <= 1 or len(items) < PARALLEL_MIN
            or database == ':memory:'):
        return _render(dict(job, items=items))
    size = -(-len(items) // workers)
    parts = [items[i:i + size] for i in range(0, len(items), size)]
    context = {k: v for k, v in transaction.context.items()
        if k in {'company', 'language', 'employee'}}
    env = child_environ()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        children = []
        for index, part in enumerate(parts):
            (folder / f'{index}.job').write_text(
                json.dumps(dict(job, items=part)))
            children.append(subprocess.Popen([
                        sys.executable, '-m', __name__, database,
                        str(transaction.user), json.dumps(context),
                        str(folder / f'{index}.job'),
                        str(folder / f'{index}.pdf')],
                    env=env, stderr=subprocess.PIPE))
        errors = []
        for child in children:
            _, stderr = child.communicate()
            if child.returncode:
                errors.append(stderr.decode(errors='replace')[-2000:])
        if errors:
            raise RuntimeError("rendering the print file failed:\n"
                + '\n'.join(errors))
        return join([folder / f'{i}.pdf' for i in range(len(parts))])


def child_environ(environ=None, parser=None):
    """The environment of a rendering process: this one's without its
    TRYTOND_ variables, plus the options of RENDER_SECTIONS this server runs
    with (set in files, the environment or code alike) as TRYTOND_ variables,
    which trytond reads when it starts"""
    environ = os.environ if environ is None else environ
    parser = config if parser is None else parser
    env = {k: v for k, v in environ.items() if not k.startswith('TRYTOND_')}
    for section in sorted(RENDER_SECTIONS):
        if not parser.has_section(section):
            continue
        for option in parser.options(section):
            value = parser.get(section, option)
            if value is not None:
                env[f'TRYTOND_{section.upper()}__{option.upper()}'] = value
    return env


def _render(job):
    "The PDF of a job's items, CHUNK pages at a time"
    items = job['items']
    if len(items) > CHUNK:
        return join([_render(dict(job, items=items[i:i + CHUNK]))
                for i in range(0, len(items), CHUNK)])
    Report = Pool().get(job['report'], type='report')
    key = job.get('key')
    ids = items if key is None else sorted({item[0] for item in items})
    data = {'model': job['model'], 'id': ids[0], 'ids': ids}
    if key is not None:
        data[key] = items
    _, content, _, _ = Report.execute(ids, data)
    return bytes(content)


def join(parts):
    "One PDF of the PDFs `parts` (bytes or paths), pages in order"
    from pypdf import PdfWriter
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part) if isinstance(part, bytes)
            else str(part))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def main(database, user, context, job_file, output):
    Pool.start()
    pool = Pool(database)
    pool.init()
    job = json.loads(Path(job_file).read_text())
    with Transaction().start(database, int(user), readonly=True,
            context=json.loads(context)):
        Path(output).write_bytes(_render(job))


if __name__ == '__main__':
    main(*sys.argv[1:])
