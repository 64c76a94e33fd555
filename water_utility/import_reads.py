# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Import the meter read files of a folder (the reading system's scheduled
download folder), one transaction per file.

    water-import-reads -c /etc/trytond.conf -d district --format beacon \\
        --user clerk /srv/reads/incoming

Each file's result is printed; the exit status is 1 when a file was
refused (not in the format claimed), 0 otherwise.  A file imported before
creates nothing, so the folder can be imported again safely."""
import argparse
import os
import sys

from water_utility.read_formats import FORMATS


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('-c', '--config', required=True,
        help="trytond configuration file")
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--format', choices=sorted(FORMATS), required=True)
    parser.add_argument('--user', default='admin',
        help="login the reads are imported as (default: admin)")
    parser.add_argument('folder')
    args = parser.parse_args(argv)
    os.environ['TRYTOND_CONFIG'] = args.config
    from trytond.pool import Pool

    from water_utility.models.reading_import import import_folder
    Pool.start()
    Pool(args.database).init()
    refused = import_folder(args.database, args.folder, args.format,
        args.user)
    return 1 if refused else 0


if __name__ == '__main__':
    sys.exit(main())
