"""Upgrades of the city database: changelogs once, the code every time.

The database has two kinds of SQL, with two lifecycles
(docs/architecture.md, "The database code"):

``sql/changelogs/NNNN_name.sql``
    Changes of data structure and data: tables, columns, constraints,
    classifier rows, register declarations. Each runs once, is recorded
    with its checksum in ``meta.applied_migration`` and is never edited
    afterwards (a changed file that was applied is refused): fix forward
    with a new file.

``sql/classifiers/<name>.csv`` and ``<name>.toml``
    The codes of each classifier ``ref.cl_<name>`` and their source
    (``zhytomyr_gis/classifiers.py``). After each changelog, and once more
    before the code, every file whose table exists and whose checksum
    differs from the one ``ref.classifier_source`` recorded is loaded: new
    codes are added, changed labels updated, codes the file no longer has
    deactivated (never deleted: records refer to them). A changelog can
    therefore rely on the codes of the files for every table that existed
    before it, and convert records to them.

``sql/app/NN_topic.sql``
    Everything that is code: functions, triggers, views, policies,
    verification rules and privileges, one topic per file. Applied after
    the changelogs on every upgrade that applies a changelog or finds the
    code changed (its checksum differs from the last one recorded in
    ``meta.app_upgrade``). Each file (re)creates its objects; whatever an
    earlier version defined and no file touches any more is dropped
    (``80_leftovers.sql``); the privileges are granted from scratch
    (``90_grants.sql``, from the lists of ``05_privileges.sql``).

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

from zhytomyr_gis import classifiers

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
        message = getattr(cause, "pgerror", None) or str(cause)
        if not statement:  # a data file, not SQL
            super().__init__(f"{filename} failed: {message.strip()}\n  the whole upgrade was rolled back")
            return
        first = " ".join(_strip_comments(statement).split())[:160]
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


def _sync_classifiers(cur, files: list[classifiers.Classifier], final: bool, log) -> None:
    """Load the classifier files that changed since they were last loaded.

    ``final``: this is the last pass of the upgrade, so a file whose table
    does not exist is an error (a classifier needs a changelog that makes
    its table) rather than a file to load later.
    """
    cur.execute("SELECT to_regclass('ref.classifier_source') IS NOT NULL")
    if not cur.fetchone()[0]:
        return  # a database from before the classifier files: a later changelog makes the table
    cur.execute("SELECT table_name, checksum FROM ref.classifier_source")
    loaded = dict(cur.fetchall())
    for c in files:
        if loaded.get(c.table) == c.checksum:
            continue
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (c.table,))
        if not cur.fetchone()[0]:
            if final:
                raise MigrationError(
                    f"classifiers/{c.name}.csv",
                    0,
                    "",
                    0,
                    ValueError(f"no table {c.table}: a classifier's table is made by a changelog"),
                )
            continue
        try:
            _load_classifier(cur, c)
        except Exception as exc:  # a database error: name the file
            raise MigrationError(f"classifiers/{c.name}.csv", 0, "", 0, exc) from exc
        cur.execute("SELECT count(*) FILTER (WHERE active), count(*) FROM " + c.table)
        active, total = cur.fetchone()
        log(f"classifier {c.name}: {active} codes in force of {total} ({c.source.citation})")


def _load_classifier(cur, c: classifiers.Classifier) -> None:
    """One file into its table, as gis_owner (so the configuration history records the change)."""
    cur.execute("SET LOCAL ROLE gis_owner")
    codes = sorted(c.codes, key=lambda k: k.code)
    cur.execute(
        f"""INSERT INTO {c.table} AS t (code, label_uk, label_en, group_code, sort_order, active)
            SELECT code, label_uk, label_en, group_code, sort_order, true
              FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[])
                   AS f(code, label_uk, label_en, group_code, sort_order)
            ON CONFLICT (code) DO UPDATE
               SET label_uk = EXCLUDED.label_uk, label_en = EXCLUDED.label_en, group_code = EXCLUDED.group_code,
                   sort_order = EXCLUDED.sort_order, active = true
             WHERE (t.label_uk, t.label_en, t.group_code, t.sort_order, t.active)
                   IS DISTINCT FROM (EXCLUDED.label_uk, EXCLUDED.label_en, EXCLUDED.group_code, EXCLUDED.sort_order,
                                     true)""",
        (
            [k.code for k in codes],
            [k.label_uk for k in codes],
            [k.label_en for k in codes],
            [k.group_code for k in codes],
            [k.sort_order for k in codes],
        ),
    )
    # A code a new edition dropped stays, out of force: records and their history refer to it.
    cur.execute(f"UPDATE {c.table} SET active = false WHERE active AND code <> ALL (%s)", ([k.code for k in codes],))
    s = c.source
    cur.execute(
        """INSERT INTO ref.classifier_source (table_name, file, checksum, title_uk, title_en, document, number,
                                              issued_by, issued_on, edition, note, citation, codes)
           VALUES (%(table)s, %(file)s, %(checksum)s, %(title_uk)s, %(title_en)s, %(document)s, %(number)s,
                   %(issued_by)s, %(date)s, %(edition)s, %(note)s, %(citation)s, %(codes)s)
           ON CONFLICT (table_name) DO UPDATE
              SET file = EXCLUDED.file, checksum = EXCLUDED.checksum, title_uk = EXCLUDED.title_uk,
                  title_en = EXCLUDED.title_en, document = EXCLUDED.document, number = EXCLUDED.number,
                  issued_by = EXCLUDED.issued_by, issued_on = EXCLUDED.issued_on, edition = EXCLUDED.edition,
                  note = EXCLUDED.note, citation = EXCLUDED.citation, codes = EXCLUDED.codes,
                  synced_at = now(), synced_by = session_user""",
        {
            "table": c.table,
            "file": f"sql/classifiers/{c.name}.csv",
            "checksum": c.checksum,
            "codes": len(codes),
            **{k: getattr(s, k) for k in ("title_uk", "title_en", "document", "number", "issued_by", "date")},
            **{k: getattr(s, k) for k in ("edition", "note", "citation")},
        },
    )
    cur.execute(
        f"COMMENT ON TABLE {c.table} IS %s",
        (f"Класифікатор: {s.title_uk} / Classifier: {s.title_en} (джерело: {s.citation})",),
    )
    cur.execute("RESET ROLE")


def _report_conversions(cur, changelogs: list[str], log) -> None:
    """One line per changelog that converted records: what it converted and what it left for a person."""
    cur.execute("SELECT to_regclass('meta.conversion_report') IS NOT NULL")
    if not changelogs or not cur.fetchone()[0]:
        return
    cur.execute(
        """SELECT changelog, count(*) FILTER (WHERE outcome = 'converted'),
                  count(*) FILTER (WHERE outcome = 'needs_human')
             FROM meta.conversion_report WHERE changelog = ANY (%s) GROUP BY changelog ORDER BY changelog""",
        (changelogs,),
    )
    for changelog, converted, human in cur.fetchall():
        log(
            f"{changelog}: {converted} values converted, {human} left for a person to decide"
            " (SELECT * FROM meta.conversion_report WHERE outcome = 'needs_human')"
        )


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
    codes = classifiers.read(sql_dir / "classifiers")  # a bad file is refused before anything is written
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
                _sync_classifiers(cur, codes, final=False, log=log)
            _sync_classifiers(cur, codes, final=True, log=log)
            _report_conversions(cur, [m.filename for m in todo], log)
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
