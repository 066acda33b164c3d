"""Reports of the review, without Qt: the status of every department's
registers and the verification report, exported as CSV, HTML or JSON.

    status_report(conn, waiting_days)     records per register and state
    verification_report(conn, table)      the standing findings, with words and places
    export(rows, path)                    CSV / HTML / JSON by the file's extension
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extras

from .errors import DatabaseRefusal
from .registers import BY_TABLE

FORMATS = ("csv", "html", "json")


def _query(conn, sql: str, params: Sequence[Any] = ()) -> list[psycopg2.extras.DictRow]:
    try:
        with conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    except psycopg2.Error as error:
        raise DatabaseRefusal.from_error(error) from error


# ------------------------------------------------------------ status report
@dataclass(frozen=True)
class StatusRow:
    department: str
    department_title_uk: str
    department_title_en: str
    table: str
    title_uk: str
    title_en: str
    draft: int
    submitted: int
    verified: int
    rejected: int
    deletion_requests: int
    waiting_over_days: int  # submitted longer ago than the report's limit
    oldest_submitted_at: dt.datetime | None
    errors: int  # standing findings
    warnings: int


STATUS_COLUMNS = {
    # attribute: (Ukrainian heading, English heading)
    "department_title_uk": ("Підрозділ", "Department"),
    "title_uk": ("Реєстр", "Register"),
    "table": ("Таблиця", "Table"),
    "draft": ("Чернетки", "Drafts"),
    "submitted": ("На перевірці", "Submitted"),
    "verified": ("Затверджено", "Verified"),
    "rejected": ("Відхилено", "Rejected"),
    "deletion_requests": ("Запити на видалення", "Deletion requests"),
    "waiting_over_days": ("Чекають понад N днів", "Waiting over N days"),
    "oldest_submitted_at": ("Найстаріше подання", "Oldest submission"),
    "errors": ("Помилки перевірки", "Check errors"),
    "warnings": ("Попередження", "Warnings"),
}


def status_report(conn, waiting_days: int = 7) -> list[StatusRow]:
    """Records per register and state in the caller's departments (all of
    them for the GIS administrator); reviews waiting longer than
    ``waiting_days`` counted separately."""
    if waiting_days < 0:
        raise DatabaseRefusal("ZG005", "Кількість днів не може бути від'ємною", "The number of days cannot be negative")
    rows = _query(conn, "SELECT * FROM verification.status_report(%s)", (waiting_days,))
    return [
        StatusRow(
            department=r["department"],
            department_title_uk=r["department_title_uk"],
            department_title_en=r["department_title_en"],
            table=r["table_name"],
            title_uk=r["title_uk"],
            title_en=r["title_en"],
            draft=r["draft"],
            submitted=r["submitted"],
            verified=r["verified"],
            rejected=r["rejected"],
            deletion_requests=r["deletion_requests"],
            waiting_over_days=r["waiting_over_days"],
            oldest_submitted_at=r["oldest_submitted_at"],
            errors=r["errors"],
            warnings=r["warnings"],
        )
        for r in rows
    ]


def by_department(rows: Iterable[StatusRow]) -> dict[str, dict[str, int]]:
    """Totals per department: counts per state and the long waits."""
    totals: dict[str, dict[str, int]] = {}
    for r in rows:
        t = totals.setdefault(
            r.department,
            dict.fromkeys(("draft", "submitted", "verified", "rejected", "deletion_requests", "waiting_over_days"), 0),
        )
        for key in t:
            t[key] += getattr(r, key)
    return totals


# ------------------------------------------------------ verification report
@dataclass(frozen=True)
class IssueRow:
    department: str
    table: str
    register_uk: str
    record_id: int
    record_version: int
    is_current: bool
    record_status: str | None
    rule_id: str
    severity: str
    message_uk: str
    message_en: str
    hint_uk: str
    detail: str
    checked_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    x: float | None  # a point of the problem, EPSG:9836
    y: float | None


REPORT_COLUMNS = {
    "register_uk": ("Реєстр", "Register"),
    "table": ("Таблиця", "Table"),
    "record_id": ("Запис", "Record"),
    "record_status": ("Стан запису", "Record state"),
    "severity": ("Вага", "Severity"),
    "rule_id": ("Правило", "Rule"),
    "message_uk": ("Повідомлення", "Message (uk)"),
    "message_en": ("Message", "Message (en)"),
    "hint_uk": ("Як виправити", "Hint"),
    "detail": ("Подробиці", "Detail"),
    "checked_at": ("Перевірено", "Checked at"),
    "acknowledged_by": ("Підтвердив", "Acknowledged by"),
    "x": ("X (EPSG:9836)", "X (EPSG:9836)"),
    "y": ("Y (EPSG:9836)", "Y (EPSG:9836)"),
}


def detail_text(detail: dict[str, Any] | None) -> str:
    return "; ".join(f"{k}: {v}" for k, v in (detail or {}).items())


def verification_report(conn, table: str | None = None, run_checks: bool = False) -> list[IssueRow]:
    """The standing findings of a register (or of every register the caller
    may see), as stored; ``run_checks`` runs the checks first."""
    tables = [table] if table else None
    if run_checks:
        for t in tables or [r[0] for r in _query(conn, "SELECT table_name FROM workflow.register ORDER BY 1")]:
            if _query(conn, "SELECT verification.may_see(%s)", (t,))[0][0]:
                _query(conn, "SELECT count(*) FROM verification.check(%s)", (t,))
    rows = _query(
        conn,
        """SELECT i.*, ST_X(m.g) AS x, ST_Y(m.g) AS y
             FROM verification.issues(%s) i CROSS JOIN LATERAL verification.marker(i.geom) AS m(g)
            WHERE i.is_current""",
        (table,),
    )
    return [
        IssueRow(
            department=r["department"],
            table=r["table_name"],
            register_uk=BY_TABLE[r["table_name"]].title_uk if r["table_name"] in BY_TABLE else r["table_name"],
            record_id=r["record_id"],
            record_version=r["record_version"],
            is_current=r["is_current"],
            record_status=r["record_status"],
            rule_id=r["rule_id"],
            severity=r["severity"],
            message_uk=r["message_uk"],
            message_en=r["message_en"],
            hint_uk=r["hint_uk"],
            detail=detail_text(r["detail"]),
            checked_at=r["checked_at"],
            acknowledged_by=r["acknowledged_by"],
            acknowledged_at=r["acknowledged_at"],
            x=r["x"],
            y=r["y"],
        )
        for r in rows
    ]


# ----------------------------------------------------------------- export
def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export(
    rows: Sequence[Any],
    path: str | Path,
    columns: dict[str, tuple[str, str]],
    title: str = "",
    language: str = "uk",
    fmt: str | None = None,
) -> Path:
    """Write dataclass rows as CSV, HTML or JSON (by ``fmt`` or the file's
    extension); ``columns`` maps attributes to (Ukrainian, English) headings."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise DatabaseRefusal(
            "ZG005",
            f"Невідомий формат звіту «{fmt}»: оберіть CSV, HTML або JSON",
            f'Unknown report format "{fmt}": choose CSV, HTML or JSON',
        )
    heading = {k: (uk if language == "uk" else en) for k, (uk, en) in columns.items()}
    records = [{k: _plain(getattr(r, k)) for k in columns} for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        # UTF-8 with BOM: spreadsheet programs then read the Cyrillic right.
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(heading.values())
            writer.writerows([["" if v is None else v for v in rec.values()] for rec in records])
    elif fmt == "json":
        document = {
            "title": title,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(),
            "columns": {k: {"uk": uk, "en": en} for k, (uk, en) in columns.items()},
            "rows": records,
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text(_html(title, heading, records, language), encoding="utf-8")
    return path


def _html(title: str, heading: dict[str, str], records: list[dict[str, Any]], language: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heading.values())
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in rec.values()) + "</tr>"
        for rec in records
    )
    generated = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
th, td {{ border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
th {{ background: #e8eef5; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(generated)} · {len(records)}</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


def as_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(r) for r in rows]
