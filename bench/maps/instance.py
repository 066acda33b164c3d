"""The benchmark's own instance: a private PostgreSQL with one loaded
database per dataset size, and the public side (QGIS Server and, for the
comparison only, MapServer) serving one of them.

Loading the city takes minutes, so each size is loaded once into its own
database of the cluster in ``.run/bench/pg`` and marked as loaded (a
comment on the database); later runs reuse it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from zhytomyr_gis import migrate
from zhytomyr_gis.publishing.credentials import write_connection_files

ROOT = Path(__file__).resolve().parents[2]
PGPORT = int(os.environ.get("ZGIS_BENCH_MAPS_PGPORT", "55504"))
HTTP_PORT = int(os.environ.get("ZGIS_BENCH_MAPS_PORT", "18120"))
PORTAL_PASSWORD = "bench-portal"  # a private cluster on loopback, dropped with it
LOADED_MARK = "zhytomyr_gis bench dataset loaded: "


def run_root() -> Path:
    out = subprocess.run([str(ROOT / "tools" / "rundir.sh")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip()) / "bench"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Cluster:
    folder: Path
    port: int = PGPORT

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def superuser_dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user=postgres dbname={dbname}"

    def start(self) -> None:
        subprocess.run(
            [str(ROOT / "tools" / "pgcluster.sh"), "start", str(self.folder), str(self.port)],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        subprocess.run([str(ROOT / "tools" / "pgcluster.sh"), "stop", str(self.folder)], stdout=subprocess.DEVNULL)

    def execute(self, sql: str, dbname: str = "postgres", params=None) -> list[tuple]:
        conn = psycopg2.connect(self.superuser_dsn(dbname))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()


def database_name(size: str) -> str:
    return f"bench_{size}"


def _load_seed(cluster: Cluster, dbname: str) -> None:
    """The server tests' small fixed city (a quick smoke run of the benchmark)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import conftest  # noqa: PLC0415
    from server import seed  # noqa: PLC0415

    for user, groups in conftest.login_users().items():
        cluster.execute(
            f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN
                      CREATE ROLE {user} LOGIN PASSWORD '{conftest.PASSWORD}';
                  END IF;
                END $$;
                GRANT {", ".join(groups)} TO {user};"""
        )
    test_cluster = conftest.Cluster(cluster.folder, cluster.port)
    conftest._approve_boundary(test_cluster, dbname)
    seed.seed(lambda user: test_cluster.user_dsn(user, dbname))


def _load(cluster: Cluster, dbname: str, size: str) -> None:
    if size == "seed":
        _load_seed(cluster, dbname)
        return
    from zhytomyr_gis.demo import loader  # noqa: PLC0415 - the loader is needed only on the first run

    loader.load(cluster.superuser_dsn(dbname), size=size)


def ensure_dataset(cluster: Cluster, size: str) -> str:
    """The database holding the ``size`` dataset, loaded on first use."""
    dbname = database_name(size)
    rows = cluster.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", params=(dbname,)
    )
    if rows and (rows[0][0] or "").startswith(LOADED_MARK):
        conn = psycopg2.connect(cluster.superuser_dsn(dbname))
        try:  # the schema of the checkout being measured (migrations are fix-forward)
            applied = migrate.migrate(conn, log=lambda _msg: None)
        finally:
            conn.close()
        log(f"dataset {size}: reusing database {dbname}" + (f" (applied {', '.join(applied)})" if applied else ""))
        return dbname
    log(f"dataset {size}: loading into {dbname} (first run only)")
    started = time.monotonic()
    cluster.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    cluster.execute(f"CREATE DATABASE {dbname}")
    conn = psycopg2.connect(cluster.superuser_dsn(dbname))
    try:
        migrate.migrate(conn, log=lambda _msg: None)
    finally:
        conn.close()
    _load(cluster, dbname, size)
    cluster.execute("VACUUM ANALYZE", dbname)
    cluster.execute(f"COMMENT ON DATABASE {dbname} IS %s", params=(f"{LOADED_MARK}{size}",))
    log(f"dataset {size}: loaded in {time.monotonic() - started:.0f} s")
    return dbname


def feature_counts(cluster: Cluster, dbname: str) -> dict[str, int]:
    rows = cluster.execute(
        "SELECT format('%s.%s', schemaname, relname), n_live_tup FROM pg_stat_user_tables"
        " WHERE schemaname = 'published' ORDER BY 1",
        dbname,
    )
    counts = {}
    for table, _estimate in rows:
        counts[table] = cluster.execute(f"SELECT count(*) FROM {table}", dbname)[0][0]
    return counts


def geometry_stats(cluster: Cluster, dbname: str) -> dict[str, dict]:
    """Features and vertices of every published layer: what generalising geometry could save."""
    tables = cluster.execute(
        "SELECT f_table_name, f_geometry_column FROM geometry_columns WHERE f_table_schema = 'published' ORDER BY 1",
        dbname,
    )
    stats = {}
    for table, column in tables:
        count, vertices, largest = cluster.execute(
            f'SELECT count(*), coalesce(sum(ST_NPoints("{column}")), 0), coalesce(max(ST_NPoints("{column}")), 0)'
            f" FROM published.{table}",
            dbname,
        )[0]
        stats[table] = {
            "features": count,
            "vertices": int(vertices),
            "mean_vertices": round(vertices / count, 1) if count else 0,
            "max_vertices": largest,
        }
    return stats


@dataclass
class PublicSide:
    """nginx + QGIS Server (+ MapServer) serving one database, as tools/server.sh starts them."""

    folder: Path
    port: int = HTTP_PORT

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PGSERVICEFILE": str(self.folder / "pg_service.conf"),
            "PGPASSFILE": str(self.folder / "pgpass"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }

    def _run(self, *cmd: str, env: dict[str, str] | None = None) -> None:
        result = subprocess.run(cmd, cwd=ROOT, env=env or self.env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")

    def prepare(self, cluster: Cluster, dbname: str, png_zlib_level: int) -> None:
        """Connection files, the QGIS projects and the mapfiles (PNGs at ``png_zlib_level``) for ``dbname``."""
        cluster.execute(f"ALTER ROLE portal_reader WITH LOGIN PASSWORD '{PORTAL_PASSWORD}'")
        write_connection_files(
            self.folder, host="127.0.0.1", port=cluster.port, dbname=dbname, password=PORTAL_PASSWORD
        )
        self.build_projects(self.projects)
        self._run(
            sys.executable,
            "-m",
            "zhytomyr_gis.publishing",
            "mapfiles",
            "--out",
            str(self.mapfiles),
            "--base-url",
            self.base_url,
            "--png-zlib-level",
            str(png_zlib_level),
        )

    def build_projects(self, folder: Path, options: tuple[str, ...] = ()) -> None:
        self._run(
            sys.executable,
            "-m",
            "zhytomyr_gis.publishing",
            "build",
            "--out",
            str(folder),
            "--base-url",
            self.base_url,
            *options,
        )

    @property
    def projects(self) -> Path:
        return self.folder / "built-projects"

    @property
    def mapfiles(self) -> Path:
        return self.folder / "built-mapfiles"

    def start(self, extra_env: dict[str, str] | None = None, projects: Path | None = None) -> None:
        # The WFS workload downloads the whole parcels layer in one request, as
        # MapServer serves it; the public set-up caps a request at 5000 features.
        env = {
            **os.environ,
            "ZGIS_MAPFILES": str(self.mapfiles),
            "ZGIS_WFS_MAX_FEATURES": "10000000",
            **(extra_env or {}),
        }
        self._run(
            str(ROOT / "tools" / "server.sh"),
            "start",
            str(self.folder),
            str(self.port),
            str(projects or self.projects),
            env=env,
        )

    def stop(self) -> None:
        subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(self.folder)], capture_output=True)
