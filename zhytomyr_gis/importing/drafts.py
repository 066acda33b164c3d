"""Entering imported records as drafts, all in the importing editor's one
transaction, then submitting them for review in one batch.

The database decides: every row goes through its rules (constraints,
classifiers, the geometry trigger, the editor's rights) inside a savepoint,
so a refused row is reported with the database's own Ukrainian words and
the others go on being checked. Whether anything is kept is decided by the
caller: a file enters whole or not at all.

A record is found by its natural key (the cadastral number…). Only the
columns the source speaks about are compared and written; a record whose
columns and geometry are the same is left alone, so importing the same file
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import psycopg2
import psycopg2.extras

from zhytomyr_gis.errors import DatabaseRefusal

CHUNK = 500


class RowRefused(Exception):
    def __init__(self, message_uk: str, message_en: str, rule: str | None = None):
        super().__init__(message_uk)
        self.message_uk = message_uk
        self.message_en = message_en
        self.rule = rule


@dataclass
class Row:
    """One record to enter: ``values`` for a new record (every column it needs),
    ``determined`` the columns the source states (compared and updated on an
    existing record); ``wkb`` the geometry in EPSG:9836 or None."""

    key: str
    values: dict
    determined: tuple[str, ...]
    wkb: bytes | None
    tag: object = None  # the caller's own reference (a parcel, a row number)
    # Refuses the row if it would change an existing record (the record was
    # imported from a newer file); a new record or an unchanged one passes.
    change_refused: RowRefused | None = None


@dataclass
class Outcome:
    row: Row
    action: str | None = None  # insert | update | unchanged; None when refused
    record_id: int | None = None
    refusal: RowRefused | None = None


@dataclass
class DraftBatch:
    conn: object
    table: str
    key_column: str
    geometry_tolerance_m: float
    ids: list[int] = field(default_factory=list)
    column_types: dict[str, str] = field(default_factory=dict)
    _savepoints: int = 0

    def __post_init__(self):
        schema, name = self.table.split(".")
        with self.conn.cursor() as cur:
            cur.execute(
                """SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                     FROM pg_attribute a
                    WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped""",
                (self.table,),
            )
            self.column_types = dict(cur.fetchall())
        if not self.column_types:
            raise RowRefused(
                f"Таблиці {self.table} немає або у вас немає до неї доступу",
                f"No table {self.table}, or no access to it",
            )

    # ------------------------------------------------------------------ API
    def write(self, rows: list[Row]) -> list[Outcome]:
        """Enter a chunk of rows; returns one outcome per row."""
        keys = [r.key for r in rows]
        with self.conn.cursor() as cur:
            cur.execute(
                f"SELECT {self.key_column}::text FROM {self.table} WHERE {self.key_column}::text = ANY(%s)", (keys,)
            )
            existing = {k for (k,) in cur.fetchall()}
        fresh = [r for r in rows if r.key not in existing]
        outcomes: dict[int, Outcome] = {}
        if fresh and len({r.key for r in fresh}) == len(fresh):
            # New records in one statement; if the database refuses any of them,
            # row by row below finds which and why.
            self._insert_all(fresh, outcomes)
        for row in rows:
            if id(row) not in outcomes:
                outcomes[id(row)] = self._one(row)
        result = [outcomes[id(r)] for r in rows]
        self.ids.extend(o.record_id for o in result if o.action in ("insert", "update"))
        return result

    def submit(self, note: str) -> int:
        if not self.ids:
            return 0
        with self.conn.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint[], %s)", (self.table, self.ids, note))
            return cur.fetchone()[0]

    # ------------------------------------------------------------ internals
    def _cast(self, column: str) -> str:
        return f"CAST(%s AS {self.column_types.get(column, 'text')})"

    def _savepoint(self) -> str:
        self._savepoints += 1
        return f"import_row_{self._savepoints}"

    def _insert_all(self, rows: list[Row], outcomes: dict[int, Outcome]) -> bool:
        columns = list(rows[0].values)
        if any(list(r.values) != columns for r in rows):
            return False
        geometry = rows[0].wkb is not None
        template = "(" + ", ".join(
            [self._cast(c) for c in columns] + (["ST_GeomFromWKB(%s, 9836)"] if geometry else [])
        )
        template += ")"
        names = ", ".join(columns + (["geom"] if geometry else []))
        args = [[_param(r.values[c]) for c in columns] + ([psycopg2.Binary(r.wkb)] if geometry else []) for r in rows]
        sp = self._savepoint()
        with self.conn.cursor() as cur:
            cur.execute(f"SAVEPOINT {sp}")
            try:
                ids = psycopg2.extras.execute_values(
                    cur,
                    f"INSERT INTO {self.table} ({names}) VALUES %s RETURNING id",
                    args,
                    template=template,
                    page_size=len(rows),
                    fetch=True,
                )
            except psycopg2.Error:
                cur.execute(f"ROLLBACK TO SAVEPOINT {sp}")
                return False
            cur.execute(f"RELEASE SAVEPOINT {sp}")
        for row, (record_id,) in zip(rows, ids, strict=True):
            outcomes[id(row)] = Outcome(row, "insert", record_id)
        return True

    def _one(self, row: Row) -> Outcome:
        sp = self._savepoint()
        with self.conn.cursor() as cur:
            cur.execute(f"SAVEPOINT {sp}")
            try:
                outcome = self._upsert(cur, row)
            except psycopg2.Error as error:
                cur.execute(f"ROLLBACK TO SAVEPOINT {sp}")
                refusal = DatabaseRefusal.from_error(error)
                return Outcome(row, refusal=RowRefused(refusal.message_uk, refusal.message_en, refusal.rule))
            except RowRefused as refusal:
                cur.execute(f"ROLLBACK TO SAVEPOINT {sp}")
                return Outcome(row, refusal=refusal)
            cur.execute(f"RELEASE SAVEPOINT {sp}")
            return outcome

    def _upsert(self, cur, row: Row) -> Outcome:
        determined = [c for c in row.determined if c in row.values]
        same = [f"(t.{c} IS NOT DISTINCT FROM {self._cast(c)})" for c in determined]
        params: list = [_param(row.values[c]) for c in determined]
        if row.wkb is not None:
            same.append("coalesce(ST_HausdorffDistance(t.geom, ST_GeomFromWKB(%s, 9836)) <= %s, false)")
            params += [psycopg2.Binary(row.wkb), self.geometry_tolerance_m]
        cur.execute(
            f"SELECT t.id, t.version, t.status, ARRAY[{', '.join(same) or 'true'}]"
            f" FROM {self.table} t WHERE t.{self.key_column}::text = %s FOR UPDATE",
            [*params, row.key],
        )
        found = cur.fetchone()
        if found is None:
            columns = list(row.values)
            values = [self._cast(c) for c in columns]
            args = [_param(row.values[c]) for c in columns]
            if row.wkb is not None:
                columns.append("geom")
                values.append("ST_GeomFromWKB(%s, 9836)")
                args.append(psycopg2.Binary(row.wkb))
            cur.execute(
                f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({', '.join(values)}) RETURNING id", args
            )
            return Outcome(row, "insert", cur.fetchone()[0])
        record_id, version, status, equal = found
        changed = [c for c, e in zip(determined, equal, strict=False) if not e]
        geometry_changed = row.wkb is not None and not equal[-1]
        if not changed and not geometry_changed:
            return Outcome(row, "unchanged", record_id)
        if row.change_refused is not None:
            raise row.change_refused
        sets = [f"{c} = {self._cast(c)}" for c in changed]
        args = [_param(row.values[c]) for c in changed]
        if geometry_changed:
            sets.append("geom = ST_GeomFromWKB(%s, 9836)")
            args.append(psycopg2.Binary(row.wkb))
        # The version read + 1: the database refuses it if someone changed the record meanwhile.
        cur.execute(
            f"UPDATE {self.table} SET {', '.join(sets)}, version = %s WHERE id = %s",
            [*args, version + 1, record_id],
        )
        return Outcome(row, "update", record_id)


def _param(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
