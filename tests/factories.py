"""Valid example rows for every register, inside the tests' city boundary.

Tests change one value at a time to show what the database refuses.
"""

from __future__ import annotations

from itertools import count

import psycopg2
from conftest import CENTRE

_serial = count(1)


def square(dx: float = 0, dy: float = 0, size: float = 20) -> str:
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"


def point(dx: float = 0, dy: float = 0) -> str:
    return f"POINT({CENTRE[0] + dx} {CENTRE[1] + dy})"


def parcel(**overrides) -> dict:
    n = next(_serial)
    row = {
        "cadastral_number": f"1810100000:01:{n // 10000:03d}:{n % 10000:04d}",
        "area_ha": 0.04,
        "land_use_code": "02.01",
        "ownership": "communal",
        "lease_status": "free",
        "balance_holder_edrpou": "04053625",
        "geom": square(dx=(n % 100) * 25, dy=(n // 100) * 25),
    }
    row.update(overrides)
    return row


def insert(conn, table: str, row: dict) -> int:
    """INSERT one row (geometry given as WKT in EPSG:9836); returns its id."""
    cols = list(row)
    values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) RETURNING id", [row[c] for c in cols])
        return cur.fetchone()[0]


def update(conn, table: str, record_id: int, based_on_version: int | None = None, **values) -> None:
    """UPDATE as a careful client does: stating the version it read."""
    with conn.cursor() as cur:
        if based_on_version is None:
            cur.execute(f"SELECT version FROM {table} WHERE id = %s", (record_id,))
            based_on_version = cur.fetchone()[0]
        sets = ", ".join(f"{c} = %s" for c in values)
        cur.execute(
            f"UPDATE {table} SET {sets}, version = %s WHERE id = %s",
            [*values.values(), based_on_version + 1, record_id],
        )


def call(conn, function: str, table: str, *args):
    """SELECT workflow.<function>(table, args...)."""
    placeholders = ", ".join(["%s"] * len(args))
    with conn.cursor() as cur:
        cur.execute(f"SELECT workflow.{function}(%s, {placeholders})", (table, *args))
        return cur.fetchone()[0]


def one(conn, sql: str, *params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def approve(conn, table: str, ids: list[int], note: str | None = None) -> int:
    """workflow.approve of the records in the versions the verifier sees now
    (what a person reviewing them would state)."""
    with conn.cursor() as cur:
        try:
            cur.execute(
                f"SELECT array_agg(t.version ORDER BY r.n) FROM unnest(%s::bigint[]) WITH ORDINALITY AS r(id, n)"
                f" LEFT JOIN {table} t ON t.id = r.id",
                (list(ids),),
            )
            versions = cur.fetchone()[0]
        except psycopg2.Error:  # a table the caller may not read: the workflow says why
            conn.rollback()
            versions = None
        if not versions or None in versions:
            versions = [0] * len(ids)
        cur.execute("SELECT workflow.approve(%s, %s::bigint[], %s, %s::int[])", (table, list(ids), note, versions))
        return cur.fetchone()[0]
