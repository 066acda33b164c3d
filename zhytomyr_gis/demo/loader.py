"""Puts the generated city into a migrated database through the workflow.

Nothing is written behind the workflow's back: every record is entered by a
department's demo editor (over TCP, with a password, like a person in QGIS),
submitted by that editor and approved or rejected by the department's demo
verifier, so the history, the published copies and the four-eyes rule are
exactly as if people had done it. A small deterministic share of records is
left in every other state (draft, submitted, rejected, approved and then
edited again) so that the review tools have something to show.

The load is recorded in ``meta.demo_load``; a second call finds the record
and changes nothing.

Demo login users (password :data:`DEMO_PASSWORD`, demo only):
``<dept>_editor_demo`` and ``<dept>_verifier_demo`` for every department,
``admin_editor_demo`` and ``admin_verifier_demo`` for the reference data.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from datetime import date

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from zhytomyr_gis import review
from zhytomyr_gis.demo.generator import SRID, Dataset, TableData, generate
from zhytomyr_gis.registers import STAFF_DEPARTMENTS

DEMO_PASSWORD = "zhytomyr-demo"
DEFAULT_PORT = 55432
BATCH = 5000
STATES = ("draft", "submitted", "verified", "rejected")
_LOCK_KEY = 18_04_2025  # advisory lock: one demo load at a time per database

# What a verifier writes when sending a record back.
REJECT_REASONS = {
    "property.land_parcel": "Межі ділянки не відповідають технічній документації із землеустрою",
    "property.property_object": "Площа не збігається з даними технічної інвентаризації",
    "investment.site": "Не вказано умови підключення до інженерних мереж",
    "planning.zoning_zone": "Межі зони не узгоджено з генеральним планом",
    "planning.functional_zone": "Межі зони не узгоджено з генеральним планом",
    "planning.restriction_zone": "Не вказано документ, що встановлює обмеження",
    "advertising.structure": "Місце розташування не відповідає паспорту прив'язки",
    "advertising.permit": "Строк дії дозволу не відповідає рішенню виконавчого комітету",
    "energy.building": "Опалювана площа не відповідає енергосертифікату",
    "energy.consumption": "Дані не підтверджено актами постачальника",
    "energy.measure": "Не додано акт введення в експлуатацію",
    "budget.project": "Сума не відповідає рішенню про бюджет",
    "budget.payment": "Реквізити платіжної інструкції не збігаються з казначейською випискою",
}
DEFAULT_REJECT_REASON = "Дані потребують уточнення"
ACKNOWLEDGEMENT = "Попередження перевірки переглянуто: дані відповідають документам"
# The change an editor makes to an approved record (a new draft; the public keeps the approved version).
EDITS = {
    "property.land_parcel": "note = 'Уточнено межі за результатами інвентаризації земель'",
    "property.property_object": "total_area_m2 = round(total_area_m2 * 1.02, 2)",
    "investment.site": "price_uah = round(coalesce(price_uah, 1000000) * 0.9, 2)",
    "planning.zoning_zone": "restrictions = concat_ws('; ', restrictions, 'зміни на стадії громадського обговорення')",
    "planning.functional_zone": "name_uk = name_uk || ' (уточнено)'",
    "planning.restriction_zone": "legal_basis = concat_ws('; ', legal_basis, 'уточнено межі')",
    "advertising.structure": "illuminated = NOT illuminated",
    "advertising.permit": "fee_uah_month = round(coalesce(fee_uah_month, 0) * 1.15, 2)",
    "energy.building": "heated_area_m2 = round(heated_area_m2 * 1.03, 1)",
    "energy.consumption": "cost_uah = round(cost_uah * 1.05, 2)",
    "energy.measure": "cost_uah = round(cost_uah * 1.05, 2)",
    "budget.project": "actual_uah = round(coalesce(actual_uah, 0) + planned_uah * 0.02, 2)",
    "budget.payment": "purpose = purpose || ' (уточнено призначення платежу)'",
}


class DemoLoadError(Exception):
    """The demo cannot be loaded into this database (the message says why)."""


def demo_users() -> dict[str, str]:
    """Demo login user -> the group role it belongs to."""
    users = {}
    for dept in STAFF_DEPARTMENTS:
        users[f"{dept}_editor_demo"] = f"{dept}_editor"
        users[f"{dept}_verifier_demo"] = f"{dept}_verifier"
    users["admin_editor_demo"] = "gis_admin"
    users["admin_verifier_demo"] = "gis_admin"
    return users


def load(superuser_dsn: str, size: str = "city", log: Callable[[str], None] = print) -> dict:
    """Load the demo dataset of the given size; returns the counts per table and state.

    Idempotent: when a demo load is recorded in meta.demo_load, logs that and
    returns the recorded counts without touching anything.
    """
    started = time.monotonic()
    su = psycopg2.connect(superuser_dsn)
    su.autocommit = True
    try:
        with su.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        _ensure_users(su)
        _ensure_bookkeeping(su)
        recorded = _recorded_load(su)
        if recorded is not None:
            size_done, loaded_at, counts = recorded
            log(f"demo data ({size_done}) already loaded at {loaded_at:%Y-%m-%d %H:%M}; nothing to do")
            return counts
        _refuse_partial_data(su)
        dataset = generate(size)
        log(f"generated the {size} city in {time.monotonic() - started:.1f} s")
        params = psycopg2.extensions.parse_dsn(superuser_dsn)
        session = _Session(params.get("dbname") or "postgres", int(params.get("port") or DEFAULT_PORT), su, log)
        try:
            session.load(dataset)
        finally:
            session.close()
        elapsed = round(time.monotonic() - started, 1)
        counts = {"size": size, "seed": dataset.seed, "elapsed_s": elapsed, "tables": _counts(su, dataset)}
        with su.cursor() as cur:
            cur.execute(
                "INSERT INTO meta.demo_load (size, seed, counts) VALUES (%s, %s, %s)",
                (size, dataset.seed, json.dumps(counts, ensure_ascii=False)),
            )
        _log_counts(log, counts)
        log(f"demo data ({size}) loaded in {elapsed:.1f} s")
        return counts
    finally:
        su.close()  # also releases the advisory lock


# ------------------------------------------------------------ preparation
def _ensure_users(su) -> None:
    with su.cursor() as cur:
        for user, group in demo_users().items():
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,))
            verb = "CREATE" if cur.fetchone() is None else "ALTER"
            # The documented demo password, also for a role that already existed.
            cur.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(user)), (DEMO_PASSWORD,))
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(user)))


def _ensure_bookkeeping(su) -> None:
    with su.cursor() as cur:
        cur.execute("SELECT to_regclass('meta.demo_load')")
        if cur.fetchone()[0] is None:
            cur.execute(
                """CREATE TABLE meta.demo_load (
                       size      text NOT NULL,
                       seed      integer NOT NULL,
                       loaded_at timestamptz NOT NULL DEFAULT now(),
                       counts    jsonb NOT NULL)"""
            )
            cur.execute("ALTER TABLE meta.demo_load OWNER TO gis_owner")
            cur.execute(
                "COMMENT ON TABLE meta.demo_load IS 'Loads of the generated demo dataset (zhytomyr_gis.demo.loader).'"
            )
            cur.execute("GRANT SELECT ON meta.demo_load TO gis_admin")


def _recorded_load(su):
    with su.cursor() as cur:
        cur.execute("SELECT size, loaded_at, counts FROM meta.demo_load ORDER BY loaded_at DESC LIMIT 1")
        return cur.fetchone()


def _refuse_partial_data(su) -> None:
    with su.cursor() as cur:
        cur.execute("SELECT table_name FROM workflow.register WHERE table_name <> 'ref.city_boundary' ORDER BY 1")
        for (table,) in cur.fetchall():
            cur.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(*table.split("."))))
            if cur.fetchone()[0]:
                raise DemoLoadError(
                    f"{table} already holds records, but no completed demo load is recorded in meta.demo_load: "
                    "the demo is loaded only into a freshly migrated database"
                )


# ---------------------------------------------------------------- loading
class _Session:
    """The demo users' connections and the ids of what has been loaded."""

    def __init__(self, dbname: str, port: int, su, log: Callable[[str], None]):
        self.dbname = dbname
        self.port = port
        self.su = su
        self.log = log
        self.conns: dict[str, psycopg2.extensions.connection] = {}
        self.ids: dict[str, dict[str, int]] = {}  # table -> generator key -> id
        with su.cursor() as cur:
            cur.execute("SELECT table_name, department FROM workflow.register")
            self.department = dict(cur.fetchall())

    def conn(self, user: str):
        if user not in self.conns:
            try:
                conn = psycopg2.connect(
                    host="127.0.0.1",
                    port=self.port,
                    dbname=self.dbname,
                    user=user,
                    password=DEMO_PASSWORD,
                    application_name="zhytomyr_gis demo loader",
                )
            except psycopg2.OperationalError as exc:
                raise DemoLoadError(
                    f"cannot connect as the demo user {user} to 127.0.0.1:{self.port}/{self.dbname} "
                    f"(password {DEMO_PASSWORD!r} expected): {str(exc).strip()}"
                ) from exc
            self.conns[user] = conn
        return self.conns[user]

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def users(self, table: str) -> tuple[str, str]:
        dept = self.department[table]
        return f"{dept}_editor_demo", f"{dept}_verifier_demo"

    def load(self, dataset: Dataset) -> None:
        self._load_boundary(dataset["ref.city_boundary"])
        for name, data in dataset.items():
            if name == "ref.city_boundary" or not data.rows:
                continue
            started = time.monotonic()
            self._copy(data)
            copied = time.monotonic()
            self._review(data)
            done = time.monotonic()
            self.log(
                f"  {name}: {len(data.rows)} records in {done - started:.1f} s"
                f" (entered {copied - started:.1f} s, reviewed {done - copied:.1f} s)"
            )

    # -- the boundary comes first: every other geometry must lie inside the approved one
    def _load_boundary(self, data: TableData) -> None:
        row = data.rows[0]
        editor_name, verifier_name = self.users("ref.city_boundary")
        editor, verifier = self.conn(editor_name), self.conn(verifier_name)
        ewkt = f"SRID={SRID};{row['geom']}"
        with editor.cursor() as cur:
            cur.execute(
                "SELECT id FROM published.ref_city_boundary WHERE ST_Equals(geom, ST_GeomFromEWKT(%s))", (ewkt,)
            )
            found = cur.fetchone()
        if found:
            ours = found[0]
        else:
            cols = data.columns
            values = sql.SQL(", ").join(
                sql.SQL("ST_GeomFromEWKT(%s)") if c == "geom" else sql.Placeholder() for c in cols
            )
            with editor, editor.cursor() as cur:
                cur.execute(
                    sql.SQL("INSERT INTO ref.city_boundary ({}) VALUES ({}) RETURNING id").format(
                        sql.SQL(", ").join(map(sql.Identifier, cols)), values
                    ),
                    [ewkt if c == "geom" else row[c] for c in cols],
                )
                ours = cur.fetchone()[0]
                cur.execute("SELECT workflow.submit('ref.city_boundary', %s::bigint[])", ([ours],))
            review.approve(
                verifier, "ref.city_boundary", [ours], review.versions_now(verifier, "ref.city_boundary", [ours])
            )
            self.log("  ref.city_boundary: the generated boundary approved")
        self.ids["ref.city_boundary"] = {row["_key"]: ours}
        # Any other boundary is retired through the workflow (a deletion request, approved).
        with editor, editor.cursor() as cur:
            cur.execute("SELECT id, status FROM ref.city_boundary WHERE id <> %s AND NOT deleted", (ours,))
            others = cur.fetchall()
            pending = [i for i, status in others if status in ("submitted", "rejected")]
            if pending:
                cur.execute("SELECT workflow.withdraw('ref.city_boundary', %s::bigint[])", (pending,))
            if others:
                cur.execute("DELETE FROM ref.city_boundary WHERE id = ANY(%s)", ([i for i, _s in others],))
                cur.execute("SELECT id FROM ref.city_boundary WHERE id <> %s AND deleted AND status = 'draft'", (ours,))
                retire = [r[0] for r in cur.fetchall()]
                if retire:
                    cur.execute("SELECT workflow.submit('ref.city_boundary', %s::bigint[])", (retire,))
        if others and retire:
            review.approve(
                verifier, "ref.city_boundary", retire, review.versions_now(verifier, "ref.city_boundary", retire)
            )
            self.log(f"  ref.city_boundary: {len(retire)} earlier boundary record(s) retired")

    # -- COPY as the department's editor, then the ids back by natural key
    def _copy(self, data: TableData) -> None:
        editor = self.conn(self.users(data.name)[0])
        cols = data.columns
        parents = {col: (key, self.ids[table]) for key, (col, table) in data.parents.items()}
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        resolved: list[dict] = []
        for row in data.rows:
            values = dict(row)
            for col, (key, ids) in parents.items():
                values[col] = ids[row[key]] if row.get(key) is not None else None
            resolved.append(values)
            out.writerow([_csv(c, values[c]) for c in cols])
        buf.seek(0)
        table = sql.Identifier(*data.name.split("."))
        with editor, editor.cursor() as cur:
            cur.copy_expert(
                sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)")
                .format(table, sql.SQL(", ").join(map(sql.Identifier, cols)))
                .as_string(cur),
                buf,
            )
            cur.execute(
                sql.SQL("SELECT id, {} FROM {} WHERE NOT deleted").format(
                    sql.SQL(", ").join(map(sql.Identifier, data.natural_key)), table
                )
            )
            by_key = {tuple(str(v) for v in r[1:]): r[0] for r in cur.fetchall()}
        ids = {}
        for row, values in zip(data.rows, resolved, strict=True):
            ids[row["_key"]] = by_key[tuple(str(values[c]) for c in data.natural_key)]
        self.ids[data.name] = ids

    # -- submit, approve, reject, edit again
    def _review(self, data: TableData) -> None:
        editor_name, verifier_name = self.users(data.name)
        editor, verifier = self.conn(editor_name), self.conn(verifier_name)
        ids = self.ids[data.name]
        by_state: dict[str, list[int]] = {}
        for row in data.rows:
            by_state.setdefault(row.get("_state", "verified"), []).append(ids[row["_key"]])
        to_submit = sorted(i for state, group in by_state.items() if state != "draft" for i in group)
        to_approve = sorted(by_state.get("verified", []) + by_state.get("edited", []))
        name = data.name
        for batch in _batches(to_submit):
            with editor, editor.cursor() as cur:
                cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (name, batch))
        for batch in _batches(to_approve):
            with verifier, verifier.cursor() as cur:
                # The checks ran on submit; approval needs the warnings they
                # found acknowledged, as a verifier does after looking at them.
                cur.execute(
                    "SELECT verification.acknowledge(%s, %s::bigint[], NULL, %s)", (name, batch, ACKNOWLEDGEMENT)
                )
            review.approve(verifier, name, batch, review.versions_now(verifier, name, batch))
        for batch in _batches(sorted(by_state.get("rejected", []))):
            with verifier, verifier.cursor() as cur:
                cur.execute(
                    "SELECT workflow.reject(%s, %s::bigint[], %s)",
                    (name, batch, REJECT_REASONS.get(name, DEFAULT_REJECT_REASON)),
                )
        edited = sorted(by_state.get("edited", []))
        if edited and name in EDITS:
            table = sql.Identifier(*name.split("."))
            with editor, editor.cursor() as cur:
                # An editor states the version it read: version = read version + 1.
                cur.execute(
                    sql.SQL("UPDATE {} SET {}, version = version + 1 WHERE id = ANY(%s)").format(
                        table, sql.SQL(EDITS[name])
                    ),
                    (edited,),
                )


def _batches(ids: list[int]):
    for k in range(0, len(ids), BATCH):
        yield ids[k : k + BATCH]


def _csv(column: str, value):
    if value is None:
        return None
    if column == "geom":
        return f"SRID={SRID};{value}"
    if isinstance(value, date):
        return value.isoformat()
    if value == "":
        raise ValueError(f"empty string in column {column}: the generator writes NULL for no value")
    return value


# ----------------------------------------------------------------- counts
def _counts(su, dataset: Dataset) -> dict[str, dict[str, int]]:
    counts = {}
    with su.cursor() as cur:
        cur.execute("SELECT table_name, published_table FROM workflow.register")
        published = dict(cur.fetchall())
        for name in dataset:
            table = sql.Identifier(*name.split("."))
            cur.execute(sql.SQL("SELECT status, count(*) FROM {} WHERE NOT deleted GROUP BY status").format(table))
            per_state = dict(cur.fetchall())
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(*published[name].split("."))))
            counts[name] = {
                "records": sum(per_state.values()),
                **{state: per_state.get(state, 0) for state in STATES},
                "published": cur.fetchone()[0],
            }
    return counts


def _log_counts(log: Callable[[str], None], counts: dict) -> None:
    log(f"{'table':28} {'records':>8} {'draft':>6} {'subm.':>6} {'verif.':>7} {'rej.':>5} {'public':>7}")
    for name, c in counts["tables"].items():
        log(
            f"{name:28} {c['records']:8d} {c['draft']:6d} {c['submitted']:6d} {c['verified']:7d}"
            f" {c['rejected']:5d} {c['published']:7d}"
        )
