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
