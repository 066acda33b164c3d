"""Connections to the city database.

Credentials never live in code or projects: connections name a pg_service
entry (``service=zhytomyr_gis``) or a libpq DSN; passwords come from the
pgpass file or the QGIS authentication manager.
"""

from __future__ import annotations

import contextlib

import psycopg2
import psycopg2.extras


def connect(dsn: str, **kwargs):
    """A psycopg2 connection; ``dsn`` is any libpq string or URI."""
    conn = psycopg2.connect(dsn, **kwargs)
    return conn


@contextlib.contextmanager
def transaction(conn):
    """Commit on success, roll back on any error."""
    try:
        yield conn.cursor()
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
