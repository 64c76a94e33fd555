# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A run's print file: its paper bills rendered on every core, then joined.

weasyprint lays a bill out in about a tenth of a second on one core, so a
10,000-bill cycle is a quarter of an hour of one process.  Large print
files are therefore split in as many contiguous parts as the machine has
cores (`[water] render_processes` in trytond's configuration to set it),
each rendered by a process of its own on the committed bills, and the
parts joined in order with pypdf: the presort order is kept.

    python -m water_utility.models.printing DATABASE USER CONTEXT IDS OUTPUT

is one such process: it renders the bills IDS (a file of ids) to OUTPUT.
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
    workers = processes() if workers is None else workers
    transaction = Transaction()
    database = transaction.database.name
    if (workers <= 1 or len(ids) < PARALLEL_MIN
            or database == ':memory:'):
        return _render(ids)
    size = -(-len(ids) // workers)
    parts = [ids[i:i + size] for i in range(0, len(ids), size)]
    context = {k: v for k, v in transaction.context.items()
        if k in {'company', 'language', 'employee'}}
    env = child_environ()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        children = []
        for index, part in enumerate(parts):
            (folder / f'{index}.ids').write_text(
                ','.join(map(str, part)))
            children.append(subprocess.Popen([
                        sys.executable, '-m', __name__, database,
                        str(transaction.user), json.dumps(context),
                        str(folder / f'{index}.ids'),
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


def _render(ids):
    pool = Pool()
    BillReport = pool.get('water.bill.report', type='report')
    if len(ids) <= CHUNK:
        _, content, _, _ = BillReport.execute(ids, {
                'model': 'water.bill', 'id': ids[0], 'ids': ids})
        return bytes(content)
    return join([_render(ids[i:i + CHUNK])
            for i in range(0, len(ids), CHUNK)])


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


def main(database, user, context, ids_file, output):
    Pool.start()
    pool = Pool(database)
    pool.init()
    ids = [int(i) for i in Path(ids_file).read_text().split(',')]
    with Transaction().start(database, int(user), readonly=True,
            context=json.loads(context)):
        Path(output).write_bytes(_render(ids))


if __name__ == '__main__':
    main(*sys.argv[1:])
