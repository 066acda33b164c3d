"""Reads the datasets from the published copies, as the public role.

Whatever login the connection string names, the session switches to
``portal_reader`` (``SET ROLE``) before it reads, so a build can see only
the ``published`` schema: what a verifier approved, without personal
columns. All tables of one build are read in one read-only snapshot
(REPEATABLE READ), so a dataset's tables agree with each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import psycopg2
import psycopg2.extensions

from .datasets import Dataset, Resource
from .settings import Settings

PUBLIC_ROLE = "portal_reader"


class ExtractError(RuntimeError):
    """The database refused or could not be reached; the message says why."""


@dataclass
class Table:
    resource: Resource
    rows: list[tuple]  # values in the order of resource.columns
    wkb_9836: list[bytes | None]  # geometry per row (spatial resources)
    wkb_4326: list[bytes | None]


def connect(dsn: str):
    """A read-only connection in one snapshot, as ``portal_reader``."""
    try:
        conn = psycopg2.connect(dsn, application_name="zhytomyr_gis_opendata")
    except psycopg2.OperationalError as exc:
        raise ExtractError(f"cannot connect to the database: {str(exc).strip()}") from None
    try:
        conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with conn.cursor() as cur:
            cur.execute(f"SET ROLE {PUBLIC_ROLE}")
    except psycopg2.Error as exc:
        conn.close()
        raise ExtractError(
            f"the connection cannot act as {PUBLIC_ROLE} (open data is read only through the public role): "
            f"{str(exc).strip()}"
        ) from None
    return conn


def _sql(resource: Resource) -> str:
    select = ", ".join(f'{c.sql} AS "{c.name}"' for c in resource.columns)
    if resource.spatial:
        select += (
            f", ST_AsBinary({resource.geometry}) AS zgis_geom_9836"
            f", ST_AsBinary(ST_Transform({resource.geometry}, 4326)) AS zgis_geom_4326"
        )
    return f"SELECT {select} FROM {resource.from_sql} WHERE {resource.where} ORDER BY {resource.order_by}"


def read_resource(conn, resource: Resource, settings: Settings) -> Table:
    params = {
        "owner_name": settings.publisher_name,
        "owner_id": settings.publisher_edrpou,
        "authority_name": settings.permit_authority_name,
    }
    try:
        with conn.cursor() as cur:
            cur.execute(_sql(resource), params)
            fetched = cur.fetchall()
    except psycopg2.Error as exc:
        raise ExtractError(f"cannot read {resource.from_sql}: {str(exc).strip()}") from None
    n = len(resource.columns)
    rows = [tuple(row[:n]) for row in fetched]
    if resource.spatial:
        return Table(resource, rows, [bytes(r[n]) for r in fetched], [bytes(r[n + 1]) for r in fetched])
    return Table(resource, rows, [], [])


def last_approval(conn, dataset: Dataset) -> dt.datetime | None:
    """The time of the last approval among the dataset's published tables."""
    parts = " UNION ALL ".join(f"SELECT max(published_at) FROM {t}" for t in dataset.tables)
    with conn.cursor() as cur:
        cur.execute(f"SELECT max(m) FROM ({parts}) approvals(m)")
        return cur.fetchone()[0]


def database_now(conn) -> dt.datetime:
    with conn.cursor() as cur:
        cur.execute("SELECT now()")
        return cur.fetchone()[0]


def plain(value):
    """A value as JSON and spreadsheets take it (decimals as numbers, dates as ISO text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
