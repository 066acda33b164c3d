"""Ordered SQL migrations with a record of what was applied.

Each file ``sql/NNNN_name.sql`` runs once, in one transaction, statement by
statement, so that a failure can name the file, the statement number and
its first line; the whole file is then rolled back. Files run as gis_owner
(the role that owns every object) unless their first line is
``-- migrate: superuser``. A changed file that was already applied is
refused: migrations are history, fix forward with a new file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlparse

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """A migration failed; nothing of that file was applied."""

    def __init__(self, filename: str, index: int, statement: str, line: int, cause: Exception):
        self.filename = filename
        self.index = index
        self.statement = statement
        self.line = line
        self.cause = cause
        first = " ".join(_strip_comments(statement).split())[:160]
        message = getattr(cause, "pgerror", None) or str(cause)
        super().__init__(
            f"migration {filename} failed at statement {index} (line {line}): {first}\n"
            f"  {message.strip()}\n  the whole file was rolled back"
        )


@dataclass(frozen=True)
class Migration:
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


def _strip_comments(statement: str) -> str:
    return sqlparse.format(statement, strip_comments=True).strip()


def discover(sql_dir: Path = SQL_DIR) -> list[Migration]:
    found = []
    for path in sorted(sql_dir.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise ValueError(f"{path.name}: migration files are named NNNN_description.sql")
        found.append(Migration(m.group(1), path.name, path, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two migration files share a number")
    return found


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


def migrate(conn, sql_dir: Path = SQL_DIR, log=print) -> list[str]:
    """Apply the pending migrations; return the file names applied.

    ``conn`` must be a superuser connection (psycopg2) to the target
    database; autocommit is managed here.
    """
    conn.autocommit = False
    done = applied(conn)
    ran = []
    for m in discover(sql_dir):
        if m.version in done:
            filename, checksum = done[m.version]
            if checksum != m.checksum:
                raise ValueError(
                    f"migration {m.filename} was changed after it was applied "
                    f"(as {filename}); add a new migration instead"
                )
            continue
        with conn.cursor() as cur:
            try:
                if not m.as_superuser:
                    cur.execute("SET LOCAL ROLE gis_owner")
                for index, (line, statement) in enumerate(statements(m.sql), start=1):
                    try:
                        cur.execute(statement)
                    except Exception as exc:  # any database error: report it where it happened
                        raise MigrationError(m.filename, index, statement, line, exc) from exc
                _ensure_bookkeeping(cur)
                cur.execute("RESET ROLE")
                cur.execute(
                    "INSERT INTO meta.applied_migration (version, filename, checksum) VALUES (%s, %s, %s)",
                    (m.version, m.filename, m.checksum),
                )
            except Exception:
                conn.rollback()
                raise
        conn.commit()
        ran.append(m.filename)
        log(f"applied {m.filename}")
    return ran
