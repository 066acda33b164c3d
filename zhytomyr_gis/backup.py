"""Backups of the city database, their restore and their proof.

``python -m zhytomyr_gis backup OUT`` writes a folder ``OUT/<db>-<UTC time>/``:

    database.dump   pg_dump -Fc of the database (registers, published copies,
                    history, configuration, the upgrade's bookkeeping)
    roles.sql       pg_dumpall --roles-only --no-role-passwords: the group roles
                    and the people's login roles with their memberships
    manifest.json   rows and a checksum of every table, every sequence's
                    position, the history chain's head, the roles, and the
                    SHA-256 of the two files

The manifest is computed in the snapshot the dump is taken from
(``pg_export_snapshot`` and ``pg_dump --snapshot``), so it describes exactly
what the dump holds.

``python -m zhytomyr_gis restore BACKUP [--target-dbname NAME]`` checks the
files against the manifest, creates the missing roles, restores into a new
database in one transaction (a failure leaves no database behind), applies
the database's own owner and privileges, then recomputes the manifest and
walks the history chain: it exits 1 unless every table, sequence and the
chain are as they were. Passwords are not in a backup: set them again
(``ALTER ROLE … PASSWORD``, ``python -m zhytomyr_gis.publishing credentials``).

Point-in-time recovery (WAL archiving, ``pitr-base`` and ``pitr-prepare``):
docs/operations.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from . import migrate

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
DUMP = "database.dump"
ROLES = "roles.sql"
MANIFEST = "manifest.json"
FORMAT = 1

# The schemas of PostgreSQL itself: everything else is the city's (and PostGIS's).
_SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
# The row text a checksum is taken of must not depend on the session's settings.
_STABLE_OUTPUT = (
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
    " SET extra_float_digits = 1; SET bytea_output = 'hex'"
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Difference:
    what: str  # "table ref.street", "sequence ...", "role ...", "history chain"
    expected: object
    found: object

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected}, found {self.found}"


def _tool(name: str) -> str:
    path = PGBIN / name
    if not path.exists():
        raise BackupError(f"{path} not found (install postgresql-15, or set PGBIN)")
    return str(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(cmd: list[str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result


# ------------------------------------------------------------------ manifest
def tables(cur) -> list[str]:
    cur.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL (%s) AND n.nspname NOT LIKE 'pg_temp%%'
            ORDER BY 1""",
        (list(_SYSTEM_SCHEMAS),),
    )
    return [name for (name,) in cur.fetchall()]


def sequences(cur) -> list[str]:
    cur.execute(
        """SELECT format('%%I.%%I', schemaname, sequencename) FROM pg_sequences
            WHERE schemaname <> ALL (%s) ORDER BY 1""",
        (list(_SYSTEM_SCHEMAS),),
    )
    return [name for (name,) in cur.fetchall()]


def table_state(cur, table: str) -> dict:
    """Rows and a checksum of the rows' text, independent of their physical order."""
    cur.execute(
        f"SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '')"
        f" FROM (SELECT md5(t::text) AS h FROM {table} t) rows"
    )
    rows, checksum = cur.fetchone()
    return {"rows": rows, "md5": checksum}


def database_state(conn) -> dict:
    """The manifest's description of a database, read in the connection's current transaction."""
    with conn.cursor() as cur:
        cur.execute(_STABLE_OUTPUT)
        state = {"tables": {t: table_state(cur, t) for t in tables(cur)}, "sequences": {}}
        for seq in sequences(cur):
            cur.execute(f"SELECT last_value, is_called FROM {seq}")
            last, called = cur.fetchone()
            state["sequences"][seq] = {"last_value": last, "is_called": called}
        cur.execute("SELECT to_regprocedure('history.chain_head()') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT link_position, hash FROM history.chain_head()")
            head = cur.fetchone()
            state["history_head"] = None if head is None else {"position": head[0], "hash": head[1]}
        cur.execute(
            """SELECT r.rolname, r.rolcanlogin,
                      coalesce(array_agg(g.rolname ORDER BY g.rolname) FILTER (WHERE g.rolname IS NOT NULL), '{}')
                 FROM pg_roles r LEFT JOIN pg_auth_members m ON m.member = r.oid
                 LEFT JOIN pg_roles g ON g.oid = m.roleid
                WHERE r.rolname !~ '^pg_' GROUP BY r.rolname, r.rolcanlogin ORDER BY 1"""
        )
        state["roles"] = {name: {"login": login, "member_of": list(groups)} for name, login, groups in cur.fetchall()}
    return state


def compare(expected: dict, found: dict) -> list[Difference]:
    """What differs between two manifests' database states (roles: only those expected must exist alike)."""
    differences = []
    for kind in ("tables", "sequences"):
        for name in sorted(set(expected[kind]) | set(found[kind])):
            want, got = expected[kind].get(name), found[kind].get(name)
            if want != got:
                differences.append(Difference(f"{kind[:-1]} {name}", want or "absent", got or "absent"))
    if expected.get("history_head") != found.get("history_head"):
        differences.append(Difference("history chain head", expected.get("history_head"), found.get("history_head")))
    for role, want in expected["roles"].items():
        got = found["roles"].get(role)
        if got is None or got["login"] != want["login"] or not set(want["member_of"]) <= set(got["member_of"]):
            differences.append(Difference(f"role {role}", want, got or "absent"))
    return differences


# -------------------------------------------------------------------- backup
def backup(dsn: str, out: Path, log: Callable[[str], None] = print) -> Path:
    """Dump the database of ``dsn`` (a superuser's connection) into a new folder under ``out``."""
    conn = psycopg2.connect(dsn)
    try:
        conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with conn.cursor() as cur:
            cur.execute("SELECT current_database(), pg_export_snapshot(), now(), version()")
            dbname, snapshot, taken_at, version = cur.fetchone()
        stamp = taken_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = out / f"{dbname}-{stamp}"
        if folder.exists():
            raise BackupError(f"{folder} exists already: choose another folder or wait a second")
        part = out / f".{folder.name}.part"
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
        log(f"backup of {dbname}: dumping (snapshot {snapshot})")
        _run(
            [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--file", str(part / DUMP), dsn],
            "pg_dump",
        )
        state = database_state(conn)
    finally:
        conn.close()
    _run([_tool("pg_dumpall"), "--roles-only", "--no-role-passwords", "--file", str(part / ROLES), "-d", dsn],
         "pg_dumpall --roles-only")  # fmt: skip
    manifest = {
        "format": FORMAT,
        "database": dbname,
        "taken_at": taken_at.astimezone(dt.UTC).isoformat(),
        "server_version": version,
        "files": {name: _sha256(part / name) for name in (DUMP, ROLES)},
        **state,
    }
    (part / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    for name in (DUMP, ROLES, MANIFEST):
        with (part / name).open("rb") as f:
            os.fsync(f.fileno())
    part.rename(folder)
    rows = sum(t["rows"] for t in state["tables"].values())
    log(f"backup of {dbname}: {len(state['tables'])} tables, {rows} rows, in {folder}")
    return folder


# ------------------------------------------------------------------- restore
def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder, after checking that its files are the ones it names."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: {MANIFEST} missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not readable JSON: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown manifest format {manifest.get('format')!r}")
    for name, digest in manifest["files"].items():
        if not (folder / name).is_file():
            raise BackupError(f"{folder / name} missing")
        if _sha256(folder / name) != digest:
            raise BackupError(f"{folder / name} is not the file the backup wrote (SHA-256 differs): damaged or altered")
    return manifest


def restore_roles(conn, roles_sql: str, log: Callable[[str], None] = print) -> int:
    """Create the roles of ``roles.sql`` that the cluster lacks and give every membership; returns roles created."""
    created = 0
    conn.autocommit = True
    # psql's meta-commands (\\restrict, \\unrestrict of pg_dumpall 15.14 and later) are not SQL.
    sql = "\n".join(line for line in roles_sql.splitlines() if not line.startswith("\\"))
    with conn.cursor() as cur:
        for _line, statement in migrate.statements(sql):
            if not "\n".join(x for x in statement.splitlines() if not x.lstrip().startswith("--")).strip():
                continue
            create = re.match(r'CREATE ROLE ("?)([^";\s]+)\1', statement.strip())
            if create:
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (create.group(2),))
                if cur.fetchone():
                    continue
                created += 1
            try:
                cur.execute(statement)
            except psycopg2.errors.DuplicateObject:
                pass  # a membership the cluster already has
    log(f"roles: {created} created")
    return created


def _database_statements(dump: Path, source_name: str) -> list[str]:
    """The database's own owner, privileges and settings from the dump, its name as ``@DB@``."""
    text = _run([_tool("pg_restore"), "--create", "--schema-only", "-f", "-", str(dump)], "pg_restore").stdout
    out = []
    for line in text.splitlines():
        if re.match(r"^(ALTER DATABASE|GRANT .* ON DATABASE|REVOKE .* ON DATABASE)", line):
            for name in (f'"{source_name}"', source_name):
                line = line.replace(f" {name} ", " @DB@ ").replace(f" {name};", " @DB@;")
            out.append(line)
    return [s for s in out if "@DB@" in s]


def restore(
    dsn: str, folder: Path, target_dbname: str | None = None, log: Callable[[str], None] = print
) -> list[Difference]:
    """Restore ``folder`` into a new database of the cluster of ``dsn`` (a superuser's
    connection to any database); returns what differs from the manifest (nothing, when it worked)."""
    manifest = read_manifest(folder)
    name = target_dbname or manifest["database"]
    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone():
                raise BackupError(
                    f"database {name} exists already: restore into a new name (--target-dbname) or drop it first"
                )
        restore_roles(admin, (folder / ROLES).read_text(encoding="utf-8"), log)
        statements = _database_statements(folder / DUMP, manifest["database"])
        quote = psycopg2.extensions.quote_ident
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {quote(name, cur)} TEMPLATE template0 ENCODING 'UTF8'")
        try:
            target = psycopg2.extensions.make_dsn(dsn, dbname=name)
            log(f"restoring into {name}")
            _run(
                [
                    _tool("pg_restore"),
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    target,
                    str(folder / DUMP),
                ],
                "pg_restore",
            )
            with admin.cursor() as cur:
                for statement in statements:
                    cur.execute(statement.replace("@DB@", quote(name, cur)))
        except Exception:
            with admin.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {quote(name, cur)} WITH (FORCE)")
            raise
    finally:
        admin.close()
    return verify(psycopg2.extensions.make_dsn(dsn, dbname=name), manifest, log)


def verify(dsn: str, manifest: dict, log: Callable[[str], None] = print) -> list[Difference]:
    """Compare a database with a backup's manifest and walk its history chain."""
    conn = psycopg2.connect(dsn)
    try:
        conn.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        differences = compare(manifest, database_state(conn))
        with conn.cursor() as cur:
            cur.execute("SELECT to_regprocedure('history.verify_chain(bigint,text)') IS NOT NULL")
            if cur.fetchone()[0]:
                cur.execute("SELECT count(*) FROM history.verify_chain(NULL, NULL)")
                broken = cur.fetchone()[0]
                if broken:
                    differences.append(Difference("history chain", "holds", f"{broken} broken link(s)"))
    finally:
        conn.close()
    tables_ok = len(manifest["tables"]) - sum(d.what.startswith("table ") for d in differences)
    log(f"verified: {tables_ok} of {len(manifest['tables'])} tables equal, {len(differences)} difference(s)")
    return differences


# ------------------------------------------------------ point-in-time recovery
def base_backup(dsn: str, out: Path, log: Callable[[str], None] = print) -> Path:
    """A base backup of the whole cluster (pg_basebackup, plain format, its WAL streamed along)
    into a new folder under ``out``: the start of a point-in-time recovery."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = out / f"base-{stamp}"
    if folder.exists():
        raise BackupError(f"{folder} exists already")
    out.mkdir(parents=True, exist_ok=True)
    _run(
        [_tool("pg_basebackup"), "--dbname", dsn, "--pgdata", str(folder), "--format=plain", "--wal-method=stream",
         "--checkpoint=fast", "--no-password"],
        "pg_basebackup",
    )  # fmt: skip
    log(f"base backup in {folder}")
    return folder


def prepare_recovery(
    base: Path, data_dir: Path, wal_archive: Path, target_time: dt.datetime, log: Callable[[str], None] = print
) -> None:
    """Make ``data_dir`` a copy of the base backup that, when started, replays the archived WAL
    up to ``target_time`` (the last transaction committed at or before it) and then opens.
    Run as root, the copy is given to the owner of the folder it is in (postgres)."""
    if not (base / "PG_VERSION").is_file() or not (base / "backup_label").is_file():
        raise BackupError(f"{base} is not a base backup (PG_VERSION or backup_label missing)")
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"{data_dir} is not empty: recover into a new folder")
    if not wal_archive.is_dir():
        raise BackupError(f"{wal_archive}: no such WAL archive folder")
    if target_time.tzinfo is None:
        raise BackupError("the recovery target time needs a time zone (e.g. 2024-05-01T10:15:00+03:00)")
    shutil.copytree(base, data_dir, symlinks=True, dirs_exist_ok=True)
    for leftover in ("postmaster.pid", "postmaster.opts"):
        (data_dir / leftover).unlink(missing_ok=True)
    with (data_dir / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            "\n# point-in-time recovery (python -m zhytomyr_gis pitr prepare)\n"
            f'restore_command = \'cp "{wal_archive}/%f" "%p"\'\n'
            f"recovery_target_time = '{target_time.isoformat()}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (data_dir / "recovery.signal").touch()
    if os.geteuid() == 0:  # PostgreSQL runs as the owner of the folder it lives in (postgres)
        owner = data_dir.parent.stat()
        for path in [data_dir, *data_dir.rglob("*")]:
            os.lchown(path, owner.st_uid, owner.st_gid)
    data_dir.chmod(0o700)
    log(f"{data_dir}: start it to recover up to {target_time.isoformat()}")
