"""The review of submitted changes, without Qt: everything the verifiers'
dock shows and does, over a psycopg2 connection of the person at the desk.

The database decides (sql/app/30_workflow.sql, sql/app/40_verification.sql):
this module reads what it needs for the screen and calls the workflow
functions, one transaction per action, turning refusals into
:class:`~zhytomyr_gis.errors.DatabaseRefusal` with the Ukrainian message.

    queue(conn)                        submitted changes waiting for the caller
    findings(conn, table, id)          what the checks found (stored, not re-run)
    check(conn, table, ids)            run the checks now
    diff(conn, table, id)              attributes and geometry against the published version
    approve / approve_many / reject / acknowledge
    timeline(conn, table, id)          who, when, what changed, why, decision
    version(conn, table, id, k)        an earlier version, for the map
    restore(conn, table, id, k)        an earlier version back as a new draft
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import psycopg2.extras

from . import registers
from .errors import DatabaseRefusal
from .importing.evidence import ImportEvidence

# The history's actions as the timeline names them.
ACTION_LABELS = {
    "insert": ("створено", "created"),
    "update": ("змінено", "edited"),
    "delete": ("видалено", "deleted"),
    "submit": ("подано на перевірку", "submitted"),
    "withdraw": ("повернуто в чернетку", "withdrawn"),
    "approve": ("затверджено", "approved"),
    "reject": ("відхилено", "rejected"),
    "restore": ("відновлено з історії", "restored"),
    "acknowledge": ("попередження підтверджено", "warnings acknowledged"),
    "convert": ("перетворено під час оновлення бази", "converted by a database upgrade"),
}
DECISIONS = {"approve", "reject", "acknowledge"}
# Columns a person edits, as the diff and the timeline show them.
_NOT_CONTENT = set(registers.WORKFLOW_COLUMNS) | {"id", "geom"}
# A display expression the database can evaluate: quoted columns, literals, ||.
_SQL_SAFE_EXPRESSION = re.compile(r'^(\s*("[a-z_][a-z0-9_]*"|\'[^\']*\'|\|\|)\s*)+$')


@contextlib.contextmanager
def _action(conn) -> Iterator[Any]:
    """One transaction; a database refusal comes out as DatabaseRefusal."""
    try:
        with conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
            yield cur
    except psycopg2.Error as error:
        raise DatabaseRefusal.from_error(error) from error


def _register(table: str) -> registers.Register:
    try:
        return registers.register(table)
    except KeyError:
        raise DatabaseRefusal(
            "ZG005",
            f"«{table}» не є реєстром міської ГІС",
            f'"{table}" is not a register of the city GIS',
        ) from None


def _label_of(reg: registers.Register, name: str, language: str = "uk") -> str:
    if name == "geom":
        return "Geometry" if language == "en" else "Геометрія"
    try:
        f = reg.field(name)
    except KeyError:
        return name
    return f.label_en if language == "en" else f.label_uk


# ------------------------------------------------------------------- queue
@dataclass(frozen=True)
class QueueItem:
    table: str
    record_id: int
    version: int
    label: str
    department: str
    register_title_uk: str
    register_title_en: str
    submitted_by: str | None
    submitted_at: dt.datetime | None
    note: str | None
    is_new: bool
    is_deletion: bool
    errors: int
    warnings: int
    unacknowledged: int
    own_change: bool
    checked_version: int | None

    @property
    def can_approve(self) -> bool:
        """Approvable by the caller now: not their change, nothing blocking."""
        return not self.own_change and self.errors == 0 and self.unacknowledged == 0

    def days_waiting(self, now: dt.datetime | None = None) -> float:
        if self.submitted_at is None:
            return 0.0
        now = now or dt.datetime.now(self.submitted_at.tzinfo)
        return (now - self.submitted_at).total_seconds() / 86400


def display_labels(cur, table: str, ids: Sequence[int]) -> dict[int, str]:
    """Display names of records by the register's display expression."""
    if not ids:
        return {}
    expression = _register(table).display_expression
    if not _SQL_SAFE_EXPRESSION.match(expression):
        return {}
    cur.execute(f"SELECT id, ({expression})::text FROM {table} WHERE id = ANY (%s)", (list(ids),))
    return {record_id: text for record_id, text in cur.fetchall() if text}


def queue(
    conn,
    department: str | None = None,
    table: str | None = None,
    text: str | None = None,
    only_approvable: bool = False,
) -> list[QueueItem]:
    """Submitted changes the caller may review, oldest first, filtered by
    department, register, words in the name or note, or approvability."""
    with _action(conn) as cur:
        cur.execute("SELECT * FROM verification.review_queue(%s)", (department,))
        rows = [r for r in cur.fetchall() if table is None or r["table_name"] == table]
        by_table: dict[str, list[int]] = {}
        for r in rows:
            by_table.setdefault(r["table_name"], []).append(r["record_id"])
        labels = {t: display_labels(cur, t, ids) for t, ids in by_table.items()}
    items = []
    for r in rows:
        reg = _register(r["table_name"])
        items.append(
            QueueItem(
                table=r["table_name"],
                record_id=r["record_id"],
                version=r["version"],
                label=labels[r["table_name"]].get(r["record_id"], f"#{r['record_id']}"),
                department=r["department"],
                register_title_uk=reg.title_uk,
                register_title_en=reg.title_en,
                submitted_by=r["submitted_by"],
                submitted_at=r["submitted_at"],
                note=r["submit_note"],
                is_new=r["is_new"],
                is_deletion=r["deleted"],
                errors=r["errors"],
                warnings=r["warnings"],
                unacknowledged=r["unacknowledged"],
                own_change=r["own_change"],
                checked_version=r["checked_version"],
            )
        )
    if text:
        needle = text.casefold()
        items = [i for i in items if needle in i.label.casefold() or needle in (i.note or "").casefold()]
    if only_approvable:
        items = [i for i in items if i.can_approve]
    return items


# ----------------------------------------------------------------- findings
@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str  # error | warning
    table: str
    record_id: int
    record_version: int
    message_uk: str
    message_en: str
    hint_uk: str
    hint_en: str
    detail: dict[str, Any]
    location_wkt: str | None  # where on the map; None: the record's own geometry
    checked_at: dt.datetime
    acknowledged_by: str | None = None
    acknowledged_at: dt.datetime | None = None
    acknowledgement_note: str | None = None

    @property
    def blocks_approval(self) -> bool:
        return self.severity == "error" or self.acknowledged_at is None

    def message(self, language: str = "uk") -> str:
        return self.message_en if language == "en" else self.message_uk

    def hint(self, language: str = "uk") -> str:
        return self.hint_en if language == "en" else self.hint_uk

    def detail_text(self) -> str:
        """The detail as 'key: value' pairs, in the rule's own terms."""
        return "; ".join(f"{k}: {v}" for k, v in self.detail.items())


_FINDINGS_SQL = """
    SELECT res.rule_id, ru.severity, res.table_name, res.record_id, res.record_version,
           ru.message_uk, ru.message_en, ru.hint_uk, ru.hint_en, res.detail, ST_AsText(res.location) AS location_wkt,
           res.checked_at, res.acknowledged_by, res.acknowledged_at, res.acknowledgement_note
      FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
     WHERE res.table_name = %s AND (%s::bigint[] IS NULL OR res.record_id = ANY (%s))
     ORDER BY res.record_id, ru.severity, ru.sort_order, res.rule_id, res.id
"""


def _finding(row) -> Finding:
    return Finding(
        rule_id=row["rule_id"],
        severity=row["severity"],
        table=row["table_name"],
        record_id=row["record_id"],
        record_version=row["record_version"],
        message_uk=row["message_uk"],
        message_en=row["message_en"],
        hint_uk=row["hint_uk"],
        hint_en=row["hint_en"],
        detail=row["detail"] or {},
        location_wkt=row["location_wkt"],
        checked_at=row["checked_at"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=row["acknowledged_at"],
        acknowledgement_note=row["acknowledgement_note"],
    )


def findings(conn, table: str, record_id: int | None = None) -> list[Finding]:
    """The stored findings of a record (or the whole register): what the
    checks found when the record was submitted or last checked."""
    _register(table)
    ids = None if record_id is None else [record_id]
    with _action(conn) as cur:
        cur.execute(_FINDINGS_SQL, (table, ids, ids))
        return [_finding(r) for r in cur.fetchall()]


def check(conn, table: str, ids: Iterable[int] | None = None) -> list[Finding]:
    """Run the register's checks now over the records (None: all) and return the findings."""
    _register(table)
    id_list = None if ids is None else list(ids)
    with _action(conn) as cur:
        cur.execute("SELECT count(*) FROM verification.check(%s, %s)", (table, id_list))
        cur.execute(_FINDINGS_SQL, (table, id_list, id_list))
        return [_finding(r) for r in cur.fetchall()]


# --------------------------------------------------------------------- diff
@dataclass(frozen=True)
class FieldChange:
    name: str
    label_uk: str
    label_en: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RecordDiff:
    table: str
    record_id: int
    version: int
    published_version: int | None  # None: never published (a new record)
    is_deletion: bool
    changes: list[FieldChange]
    geometry_changed: bool
    geometry_before_wkt: str | None  # the published geometry
    geometry_after_wkt: str | None  # the geometry under review

    @property
    def is_new(self) -> bool:
        return self.published_version is None


def diff(conn, table: str, record_id: int) -> RecordDiff:
    """The record under review against its published version (the last
    approved one, personal columns included for the verifier)."""
    reg = _register(table)
    with _action(conn) as cur:
        cur.execute(f"SELECT to_jsonb(t) AS row FROM {table} t WHERE t.id = %s", (record_id,))
        current = cur.fetchone()
        if current is None:
            raise DatabaseRefusal(
                "ZG005", f"Запису {record_id} немає в реєстрі «{reg.title_uk}»", f"No record {record_id} in {table}"
            )
        after = current["row"]
        cur.execute(
            """SELECT new_values FROM history.event
                WHERE table_name = %s AND record_id = %s AND action = 'approve'
                ORDER BY id DESC LIMIT 1""",
            (table, record_id),
        )
        approved = cur.fetchone()
        before = approved["new_values"] if approved else {}
        geometry_before = geometry_after = None
        geometry_changed = False
        if reg.geometry:
            cur.execute(
                f"""SELECT ST_AsText(w.geom), ST_AsText(p.geom), p.geom IS DISTINCT FROM w.geom
                      FROM {table} w LEFT JOIN {reg.published_table} p ON p.id = w.id WHERE w.id = %s""",
                (record_id,),
            )
            geometry_after, geometry_before, geometry_changed = cur.fetchone()
    names = [f.name for f in reg.fields if f.name not in _NOT_CONTENT]
    names += sorted(k for k in after if k not in _NOT_CONTENT and k not in names)
    changes = [
        FieldChange(n, _label_of(reg, n, "uk"), _label_of(reg, n, "en"), before.get(n), after.get(n))
        for n in names
        if before.get(n) != after.get(n)
    ]
    return RecordDiff(
        table=table,
        record_id=record_id,
        version=after["version"],
        published_version=before.get("version") if approved else None,
        is_deletion=bool(after["deleted"]),
        changes=changes,
        geometry_changed=bool(geometry_changed),
        geometry_before_wkt=geometry_before,
        geometry_after_wkt=geometry_after,
    )


# ---------------------------------------------------------------- decisions
@dataclass(frozen=True)
class ApprovalOutcome:
    approved: list[int]
    left: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (reason uk, reason en)


def versions_now(conn, table: str, ids: Sequence[int]) -> list[int]:
    """The versions of the records as the caller sees them now, in the order of ``ids``
    (what a verifier reviews; the approval then names them)."""
    reg = _register(table)
    with _action(conn) as cur:
        cur.execute(
            f"SELECT r.id, t.version FROM unnest(%s::bigint[]) WITH ORDINALITY AS r(id, n)"
            f" LEFT JOIN {reg.table} t ON t.id = r.id ORDER BY r.n",
            (list(ids),),
        )
        return [version for _id, version in cur.fetchall()]


def approve(conn, table: str, ids: Sequence[int], expected_versions: Sequence[int], note: str | None = None) -> int:
    """Approve all the records or none, in the versions the verifier reviewed
    (``expected_versions``, one per record): refused while a check finds an
    error or a warning is not acknowledged, when the change is the caller's
    own, or when a record changed since it was reviewed."""
    _register(table)
    with _action(conn) as cur:
        cur.execute(
            "SELECT workflow.approve(%s, %s::bigint[], %s, %s::int[])",
            (table, list(ids), note, list(expected_versions)),
        )
        return cur.fetchone()[0]


def approve_many(
    conn, table: str, ids: Sequence[int], expected_versions: Sequence[int], note: str | None = None
) -> ApprovalOutcome:
    """Approve those of the records, in the versions reviewed, that can be
    approved; the others stay submitted and come back with the reason."""
    _register(table)
    with _action(conn) as cur:
        cur.execute(
            "SELECT * FROM verification.approve_clear(%s, %s::bigint[], %s::int[], %s)",
            (table, list(ids), list(expected_versions), note),
        )
        outcome = ApprovalOutcome(approved=[])
        for record_id, approved, reason_uk, reason_en in cur.fetchall():
            if approved:
                outcome.approved.append(record_id)
            else:
                outcome.left[record_id] = (reason_uk, reason_en)
        return outcome


def reject(conn, table: str, ids: Sequence[int], reason: str) -> int:
    """Send records back to the editor; the reason is required."""
    _register(table)
    if not reason or len(reason.strip()) < 3:
        raise DatabaseRefusal(
            "ZG005",
            "Вкажіть причину відхилення: редактор має знати, що виправити",
            "A reason is required to reject a change",
        )
    with _action(conn) as cur:
        cur.execute("SELECT workflow.reject(%s, %s::bigint[], %s)", (table, list(ids), reason.strip()))
        return cur.fetchone()[0]


def acknowledge(
    conn, table: str, ids: Sequence[int], rule_ids: Sequence[str] | None = None, note: str | None = None
) -> int:
    """Acknowledge the warnings on records (all, or those of the given
    rules): seen, and approvable anyway for the reason in ``note``."""
    _register(table)
    with _action(conn) as cur:
        cur.execute(
            "SELECT verification.acknowledge(%s, %s::bigint[], %s::text[], %s)",
            (table, list(ids), list(rule_ids) if rule_ids is not None else None, note),
        )
        return cur.fetchone()[0]


# ----------------------------------------------------------------- history
@dataclass(frozen=True)
class TimelineEntry:
    event_id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    action_uk: str
    action_en: str
    version: int | None
    status_before: str | None
    status_after: str | None
    changed: list[FieldChange]
    reason: str | None
    evidence: ImportEvidence | None = None  # the imported file the change came from

    @property
    def is_decision(self) -> bool:
        return self.action in DECISIONS


def timeline(conn, table: str, record_id: int) -> list[TimelineEntry]:
    """Every event of a record, oldest first: who, when, what changed, why."""
    reg = _register(table)
    with _action(conn) as cur:
        cur.execute("SELECT * FROM workflow.timeline(%s, %s)", (table, record_id))
        events = cur.fetchall()
        files = import_files(cur, {e["import_file_id"] for e in events if e["import_file_id"]})
    entries = []
    for e in events:
        old, new = e["old_values"] or {}, e["new_values"] or {}
        names = [c for c in (e["changed_columns"] or []) if c not in _NOT_CONTENT or c == "geom"]
        if e["action"] in ("insert", "restore") and not e["changed_columns"]:
            names = [k for k in new if k not in _NOT_CONTENT]
        changed = [
            FieldChange(n, _label_of(reg, n, "uk"), _label_of(reg, n, "en"), old.get(n), new.get(n)) for n in names
        ]
        uk, en = ACTION_LABELS.get(e["action"], (e["action"], e["action"]))
        entries.append(
            TimelineEntry(
                event_id=e["id"],
                occurred_at=e["occurred_at"],
                actor=e["actor"],
                action=e["action"],
                action_uk=uk,
                action_en=en,
                version=e["version"],
                status_before=e["status_before"],
                status_after=e["status_after"],
                changed=changed,
                reason=e["reason"],
                evidence=files.get(e["import_file_id"]),
            )
        )
    return entries


def import_files(cur, ids: set[int]) -> dict[int, ImportEvidence]:
    """The imported files (history.import_file) by id, as evidence of the changes they made."""
    if not ids:
        return {}
    cur.execute(
        """SELECT id, file_name, sha256, source_format, file_date, format_version, coordinate_system,
                  surveyor, surveyor_edrpou
             FROM history.import_file WHERE id = ANY (%s)""",
        (sorted(ids),),
    )
    return {r[0]: ImportEvidence(*r[1:]) for r in cur.fetchall()}


@dataclass(frozen=True)
class VersionSnapshot:
    table: str
    record_id: int
    version: int
    values: dict[str, Any]  # the content columns
    geometry_wkt: str | None


def version(conn, table: str, record_id: int, version_number: int) -> VersionSnapshot:
    """The content of an earlier version, to show on the map and in a form."""
    _register(table)
    with _action(conn) as cur:
        cur.execute(
            """SELECT coalesce(new_values, old_values) AS content,
                      ST_AsText(ST_GeomFromGeoJSON(coalesce(new_values, old_values) -> 'geom')) AS wkt
                 FROM history.event
                WHERE table_name = %s AND record_id = %s AND version = %s
                ORDER BY id DESC LIMIT 1""",
            (table, record_id, version_number),
        )
        row = cur.fetchone()
    if row is None:
        raise DatabaseRefusal(
            "ZG005",
            f"В історії запису {record_id} немає версії {version_number}",
            f"Record {record_id} has no version {version_number} in its history",
        )
    content = {k: v for k, v in row["content"].items() if k not in _NOT_CONTENT}
    return VersionSnapshot(table, record_id, version_number, content, row["wkt"])


def restore(conn, table: str, record_id: int, version_number: int) -> int:
    """Bring an earlier version back as a new draft; returns the new version."""
    _register(table)
    with _action(conn) as cur:
        cur.execute("SELECT workflow.restore(%s, %s::bigint, %s)", (table, record_id, version_number))
        return cur.fetchone()[0]
