# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A PostgreSQL server seen from outside Tryton, for the demo builder's
callers, the tests and the benchmarks: its maintenance database, and
dropping a database there."""


def maintenance_uri(db_uri):
    """The server's maintenance database:
    postgresql:/// -> postgresql:///postgres"""
    return (db_uri if db_uri.endswith('/') else db_uri + '/') + 'postgres'


def drop_database(db_uri, database):
    """Drop `database` of the server at `db_uri` if it exists, closing the
    connections left to it"""
    import psycopg
    from psycopg import sql
    with psycopg.connect(maintenance_uri(db_uri), autocommit=True) as conn:
        conn.execute(sql.SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)')
            .format(sql.Identifier(database)))


# trytond's test database caches, when DB_CACHE is postgresql://: one
# template database a set of modules (and setup), named after its hash
TEST_CACHE = r'^test-[0-9a-f]{40}$'


def drop_test_caches(db_uri):
    """Drop the test database caches of the server at `db_uri`: a cache
    left by an earlier run would hide the changes made to the modules"""
    import psycopg
    with psycopg.connect(maintenance_uri(db_uri), autocommit=True) as conn:
        names = [name for name, in conn.execute(
                "SELECT datname FROM pg_database WHERE datname ~ %s",
                (TEST_CACHE,))]
    for name in names:
        drop_database(db_uri, name)


if __name__ == '__main__':
    import sys
    # python -m water_utility.pg drop-test-caches URI (make test)
    command, uri = sys.argv[1:]
    assert command == 'drop-test-caches', command
    drop_test_caches(uri)
