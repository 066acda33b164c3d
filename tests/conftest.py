"""Fixtures: a private PostgreSQL + PostGIS cluster for the whole test run.

The cluster lives in .run/test-pg on port 55433 (never the demo's 55432),
is started at the beginning of the session and stopped at its end. A
template database is built once from the real migrations, with an approved
city boundary entered through the workflow; every test that writes gets its
own copy of it (CREATE DATABASE ... TEMPLATE), dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhytomyr_gis import migrate  # noqa: E402
from zhytomyr_gis.registers import STAFF_DEPARTMENTS  # noqa: E402

TEST_PORT = int(os.environ.get("ZGIS_TEST_PGPORT", "55433"))
# Further private clusters of the reliability tests (a restore target, a
# replica, a recovered cluster): ports SPARE_PGPORT .. SPARE_PGPORT + 3, and
# their servers and exporters SPARE_SERVER_PORT .. SPARE_SERVER_PORT + 6.
SPARE_PGPORT = int(os.environ.get("ZGIS_TEST_SPARE_PGPORT", "55440"))
SPARE_SERVER_PORT = int(os.environ.get("ZGIS_TEST_SPARE_SERVER_PORT", "18090"))
# The long reliability checks run with `make reliability` only.
collect_ignore = [] if os.environ.get("ZGIS_RELIABILITY") == "1" else ["reliability"]
TEMPLATE = "zgis_test_template"
PASSWORD = "test-password"
DEPARTMENTS = list(STAFF_DEPARTMENTS)

# Boundary used by the tests: a 6 km square around the centre of Zhytomyr
# (EPSG:9836, x = easting, y = northing).
CENTRE = (311371.6, 5569271.9)
_X0, _Y0, _X1, _Y1 = CENTRE[0] - 3000, CENTRE[1] - 3000, CENTRE[0] + 3000, CENTRE[1] + 3000
TEST_BOUNDARY_WKT = f"MULTIPOLYGON((({_X0} {_Y0},{_X1} {_Y0},{_X1} {_Y1},{_X0} {_Y1},{_X0} {_Y0})))"


def wait_for(condition, seconds: float = 10) -> bool:
    """Whether ``condition()`` holds within ``seconds`` (asked every 50 ms): for what a service does on its own."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def login_users() -> dict[str, list[str]]:
    """Login users of the test cluster and the group roles they belong to."""
    users: dict[str, list[str]] = {}
    for d in DEPARTMENTS:
        users[f"t_{d}_editor"] = [f"{d}_editor"]
        users[f"t_{d}_editor2"] = [f"{d}_editor"]
        users[f"t_{d}_verifier"] = [f"{d}_verifier"]
        users[f"t_{d}_verifier2"] = [f"{d}_verifier"]
    # A person of a small department who both edits and verifies.
    users["t_property_both"] = ["property_editor", "property_verifier"]
    users["t_admin_editor"] = ["gis_admin"]
    users["t_admin_verifier"] = ["gis_admin"]
    return users


@dataclass
class Cluster:
    run_dir: Path
    port: int

    @property
    def socket_dir(self) -> Path:
        return self.run_dir / "socket"

    def superuser_dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user=postgres dbname={dbname}"

    def user_dsn(self, user: str, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={user} password={PASSWORD} dbname={dbname}"

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        conn = psycopg2.connect(self.superuser_dsn(dbname))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()


def _pgcluster(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [str(ROOT / "tools" / "pgcluster.sh"), *args], check=True, stdout=subprocess.DEVNULL, env=env or None
    )


def run_folder() -> Path:
    return Path(
        subprocess.run([str(ROOT / "tools" / "rundir.sh")], check=True, capture_output=True, text=True).stdout.strip()
    )


def fresh_cluster(name: str, port: int, **settings: str) -> Cluster:
    """A new, empty private cluster in .run/<name> (made again from nothing), started.

    ``settings`` are environment variables of tools/pgcluster.sh (PG_WAL_ARCHIVE=...).
    Stop it with stop_cluster()."""
    cluster = Cluster(run_folder() / name, port)
    stop_cluster(cluster)
    shutil.rmtree(cluster.run_dir, ignore_errors=True)
    _pgcluster("start", str(cluster.run_dir), str(port), env={**os.environ, **settings})
    return cluster


def stop_cluster(cluster: Cluster, remove: bool = False) -> None:
    if (cluster.run_dir / "data" / "PG_VERSION").exists():
        _pgcluster("stop", str(cluster.run_dir))
    if remove:
        shutil.rmtree(cluster.run_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster(run_folder() / "test-pg", TEST_PORT)
    _pgcluster("stop", str(cluster.run_dir))  # a cluster left by an interrupted run
    _pgcluster("start", str(cluster.run_dir), str(cluster.port))
    try:
        build_database(cluster, TEMPLATE)
        yield cluster
    finally:
        _pgcluster("stop", str(cluster.run_dir))


def build_database(cluster: Cluster, dbname: str) -> None:
    """A database made from the real migrations, the tests' login users
    (cluster-wide) and the test boundary approved: what every test starts from."""
    cluster.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    cluster.execute(f"CREATE DATABASE {dbname}")
    conn = psycopg2.connect(cluster.superuser_dsn(dbname))
    try:
        migrate.migrate(conn, log=lambda _msg: None)
    finally:
        conn.close()
    for user, groups in login_users().items():
        cluster.execute(
            f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN
                      CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}';
                  END IF;
                END $$;
                GRANT {", ".join(groups)} TO {user};"""
        )
    cluster.execute(f"ALTER ROLE portal_reader PASSWORD '{PASSWORD}'")
    cluster.execute(f"ALTER ROLE zgis_monitor PASSWORD '{PASSWORD}'")
    _approve_boundary(cluster, dbname)


def _approve_boundary(cluster: Cluster, dbname: str) -> None:
    editor = psycopg2.connect(cluster.user_dsn("t_admin_editor", dbname))
    verifier = psycopg2.connect(cluster.user_dsn("t_admin_verifier", dbname))
    try:
        with editor, editor.cursor() as cur:
            cur.execute(
                "INSERT INTO ref.city_boundary (name_uk, name_en, katottg, geom)"
                " VALUES ('Житомирська міська територіальна громада', 'Zhytomyr urban hromada', 'UA18040190000029215',"
                " ST_GeomFromText(%s, 9836))"
                " RETURNING id",
                (TEST_BOUNDARY_WKT,),
            )
            boundary_id = cur.fetchone()[0]
            cur.execute("SELECT workflow.submit('ref.city_boundary', %s::bigint)", (boundary_id,))
        with verifier, verifier.cursor() as cur:
            cur.execute("SELECT workflow.approve('ref.city_boundary', %s::bigint, 1)", (boundary_id,))
    finally:
        editor.close()
        verifier.close()


class Database:
    """A throw-away copy of the migrated template, with helpers to connect as a user."""

    def __init__(self, cluster: Cluster, name: str):
        self.cluster = cluster
        self.name = name
        self._conns: list = []

    @property
    def superuser_dsn(self) -> str:
        return self.cluster.superuser_dsn(self.name)

    def dsn(self, user: str) -> str:
        return self.cluster.user_dsn(user, self.name)

    def connect(self, user: str | None = None, autocommit: bool = True):
        conn = psycopg2.connect(self.dsn(user) if user else self.superuser_dsn)
        conn.autocommit = autocommit
        self._conns.append(conn)
        return conn

    def close(self) -> None:
        for conn in self._conns:
            conn.close()


@pytest.fixture
def db(pg_cluster):
    name = f"zgis_test_{uuid.uuid4().hex[:10]}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    database = Database(pg_cluster, name)
    try:
        yield database
    finally:
        database.close()
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def upgrade_with_changelog(database: Database, tmp_path: Path, filename: str, sql: str) -> list[str]:
    """Upgrade ``database`` as a release adding the changelog ``filename`` would.

    The repository's sql/ is copied next to the new file, so the upgrade
    runs the real changelogs and code; returns what the upgrade logged.
    """
    sql_dir = tmp_path / "sql"
    shutil.copytree(migrate.SQL_DIR, sql_dir)
    (sql_dir / "changelogs" / filename).write_text(sql, encoding="utf-8")
    log: list[str] = []
    conn = psycopg2.connect(database.superuser_dsn)
    try:
        migrate.migrate(conn, sql_dir=sql_dir, log=log.append)
    finally:
        conn.close()
    return log


@pytest.fixture
def fresh_db(db):
    """Superuser DSN of a freshly migrated database (with the test boundary approved)."""
    return db.superuser_dsn


@pytest.fixture(scope="session")
def public_server(pg_cluster):
    """The small published city behind nginx + QGIS Server (tests/server/conftest.py), one per session."""
    from server.conftest import serve_public_city  # noqa: PLC0415 - the server suites only

    yield from serve_public_city(pg_cluster)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the session (geoportal and security tests)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - the browser suites only
    from web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: PLC0415

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
