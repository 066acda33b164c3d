"""Upgrades of the city database: changelogs once, the code every time.

The database has two kinds of SQL, with two lifecycles
(docs/architecture.md, "The database code"):

``sql/changelogs/NNNN_name.sql``
    Changes of data structure and data: tables, columns, constraints,
    classifier rows, register declarations. Each runs once, is recorded
    with its checksum in ``meta.applied_migration`` and is never edited
    afterwards (a changed file that was applied is refused): fix forward
    with a new file.

``sql/app/NN_topic.sql``
    Everything that is code: functions, triggers, views, policies,
    verification rules and privileges, one topic per file. Applied after
    the changelogs on every upgrade that applies a changelog or finds the
    code changed (its checksum differs from the last one recorded in
    ``meta.app_upgrade``). Each file (re)creates its objects; whatever an
    earlier version defined and no file touches any more is dropped
    (``80_leftovers.sql``); the privileges are granted from scratch
    (``90_grants.sql``).

An upgrade is one transaction: the database is at the new version or at
the old one, never in between. A failing statement is reported with its
file, statement number and line. Files run as gis_owner, the role that
owns every object and that nobody logs in as, unless a changelog's first
line is ``-- migrate: superuser``.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import sqlparse

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_CHANGELOG = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_APP_FILE = re.compile(r"^\d{2}_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """An upgrade failed; nothing of it was applied."""

    def __init__(self, filename: str, index: int, statement: str, line: int, cause: Exception):
        self.filename = filename
        self.index = index
        self.statement = statement
        self.line = line
        self.cause = cause
        first = " ".join(_strip_comments(statement).split())[:160]
        message = getattr(cause, "pgerror", None) or str(cause)
        super().__init__(
            f"{filename} failed at statement {index} (line {line}): {first}\n"
            f"  {message.strip()}\n  the whole upgrade was rolled back"
        )


@dataclass(frozen=True)
class Migration:
    """One changelog file."""

    version: str
    filename: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def as_superuser(self) -> bool:
        return self.sql.lstrip().startswith("-- migrate: superuser")


@dataclass(frozen=True)
class AppFile:
    """One file of the database code."""

    filename: str
    sql: str


def _strip_comments(statement: str) -> str:
    return sqlparse.format(statement, strip_comments=True).strip()


def discover(sql_dir: Path = SQL_DIR) -> list[Migration]:
    """The changelogs, in order."""
    found = []
    for path in sorted((sql_dir / "changelogs").glob("*.sql")):
        m = _CHANGELOG.match(path.name)
        if not m:
            raise ValueError(f"{path.name}: changelog files are named NNNN_description.sql")
        found.append(Migration(m.group(1), path.name, path, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two changelog files share a number")
    return found


def app_files(sql_dir: Path = SQL_DIR) -> list[AppFile]:
    """The files of the database code, in the order they are applied."""
    found = []
    for path in sorted((sql_dir / "app").glob("*.sql")):
        if not _APP_FILE.match(path.name):
            raise ValueError(f"{path.name}: files of sql/app are named NN_topic.sql")
        found.append(AppFile(f"app/{path.name}", path.read_text(encoding="utf-8")))
    return found


def app_checksum(files: list[AppFile]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.filename.encode() + b"\0" + f.sql.encode() + b"\0")
    return digest.hexdigest()


def statements(sql: str) -> list[tuple[int, str]]:
    """Split a file into (line of the statement's first code, statement)."""
    result = []
    offset = 0
    for raw in sqlparse.split(sql):
        pos = sql.find(raw, offset)
        if pos < 0:  # sqlparse normalised something: fall back to the previous position
            pos = offset
        offset = pos + len(raw)
        code = _strip_comments(raw)
        if not code:
            continue
        first = code.split("\n", 1)[0]
        at = sql.find(first, pos)
        result.append((sql.count("\n", 0, at if at >= 0 else pos) + 1, raw))
    return result


def _ensure_bookkeeping(cur) -> None:
    cur.execute(
        """
        CREATE SCHEMA IF NOT EXISTS meta;
        CREATE TABLE IF NOT EXISTS meta.applied_migration (
            version    text PRIMARY KEY,
            filename   text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by text NOT NULL DEFAULT session_user
        );
        """
    )


def applied(conn) -> dict[str, tuple[str, str]]:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('meta.applied_migration') IS NOT NULL")
        if not cur.fetchone()[0]:
            return {}
        cur.execute("SELECT version, filename, checksum FROM meta.applied_migration")
        return {v: (f, c) for v, f, c in cur.fetchall()}


def _last_app_checksum(cur) -> str | None:
    cur.execute("SELECT to_regclass('meta.app_upgrade') IS NOT NULL")
    if not cur.fetchone()[0]:
        return None
    cur.execute("SELECT checksum FROM meta.app_upgrade ORDER BY id DESC LIMIT 1")
    row = cur.fetchone()
    return row[0] if row else None


def _run_file(cur, filename: str, sql: str) -> None:
    for index, (line, statement) in enumerate(statements(sql), start=1):
        try:
            cur.execute(statement)
        except Exception as exc:  # any database error: report it where it happened
            raise MigrationError(filename, index, statement, line, exc) from exc


def pending(conn, sql_dir: Path = SQL_DIR) -> list[Migration]:
    """The changelogs not applied yet; refuses if an applied one was changed."""
    done = applied(conn)
    result = []
    for m in discover(sql_dir):
        if m.version in done:
            filename, checksum = done[m.version]
            if checksum != m.checksum:
                raise ValueError(
                    f"changelog {m.filename} was changed after it was applied "
                    f"(as {filename}); add a new changelog instead"
                )
            continue
        result.append(m)
    return result


def migrate(conn, sql_dir: Path = SQL_DIR, log=print, reapply_app: bool = False) -> list[str]:
    """Upgrade the database: pending changelogs, then the code; return the changelogs applied.

    ``conn`` must be a superuser connection (psycopg2) to the target
    database; the transaction is managed here. ``reapply_app`` applies the
    code even when nothing changed.
    """
    conn.autocommit = False
    started = time.monotonic()
    todo = pending(conn, sql_dir)
    code = app_files(sql_dir)
    app_applied = False
    try:
        with conn.cursor() as cur:
            # The history's hash chain is made by deferred triggers at commit;
            # during an upgrade they run at the end of each statement, so that
            # a changelog may alter a table that has new history rows.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for m in todo:
                if not m.as_superuser:
                    cur.execute("SET LOCAL ROLE gis_owner")
                _run_file(cur, f"changelogs/{m.filename}", m.sql)
                cur.execute("RESET ROLE")
                _ensure_bookkeeping(cur)
                cur.execute(
                    "INSERT INTO meta.applied_migration (version, filename, checksum) VALUES (%s, %s, %s)",
                    (m.version, m.filename, m.checksum),
                )
                log(f"applied {m.filename}")
            checksum = app_checksum(code)
            if code and (todo or reapply_app or _last_app_checksum(cur) != checksum):
                app_started = time.monotonic()
                del conn.notices[:]
                cur.execute("SET LOCAL ROLE gis_owner")
                for f in code:
                    _run_file(cur, f.filename, f.sql)
                cur.execute("RESET ROLE")
                for notice in conn.notices:
                    if "upgrade:" in notice:
                        log(notice.strip().removeprefix("NOTICE:").strip())
                cur.execute(
                    "INSERT INTO meta.app_upgrade (checksum, changelogs, duration_ms) VALUES (%s, %s, %s)",
                    (checksum, [m.filename for m in todo], round((time.monotonic() - app_started) * 1000, 1)),
                )
                log(f"applied the database code (sql/app, {len(code)} files)")
                app_applied = True
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    if todo or app_applied:
        log(f"upgrade done in {time.monotonic() - started:.1f} s")
    return [m.filename for m in todo]
