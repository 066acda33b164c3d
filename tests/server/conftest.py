"""The public side under test: PostGIS with a small published city, the
projects generated against it, and nginx + QGIS Server FastCGI serving them
on a private port with a run folder of their own.

Everything goes through the real pieces: data enters through the workflow
as the departments' users, the projects are built by the command line
(``python -m zhytomyr_gis.publishing build``) and audited by ``check``,
the server is started and stopped by ``tools/server.sh``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests
from conftest import PASSWORD, ROOT, TEMPLATE

from zhytomyr_gis.publishing import catalog
from zhytomyr_gis.publishing.credentials import write_connection_files

from . import seed as seed_data

SERVER_PORT = int(os.environ.get("ZGIS_TEST_SERVER_PORT", "18081"))
DBNAME = "zgis_server_test"
PROJECT_IDS = [p.id for p in catalog.PROJECTS]
SERVER_SUITES = ("server", "security")
WFS_MAX_FEATURES = 15
RATE_LIMIT = 2  # requests a second per client address
RATE_BURST = 5


@dataclass
class PublicServer:
    base_url: str
    run_dir: Path
    cluster: object
    dbname: str
    seeded: seed_data.Seeded

    def ows(self, project_id: str) -> str:
        return f"{self.base_url}/ows/{project_id}"

    def dsn(self, user: str) -> str:
        return self.cluster.user_dsn(user, self.dbname)

    def get(self, project_id: str, path: str = "", **params) -> requests.Response:
        return requests.get(self.ows(project_id) + path, params=params or None, timeout=60)

    def worker_pids(self) -> list[int]:
        """The QGIS Server workers: the children of multiwatch, whose pid spawn-fcgi wrote."""
        return worker_pids(self.run_dir)

    def env(self) -> dict[str, str]:
        """Environment of a client process using the public role's connection files."""
        return {
            **os.environ,
            "PGSERVICEFILE": str(self.run_dir / "pg_service.conf"),
            "PGPASSFILE": str(self.run_dir / "pgpass"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }


def worker_pids(run_dir: Path) -> list[int]:
    supervisor = (run_dir / "qgis-server.pid").read_text().split()
    if not supervisor:
        return []
    found = subprocess.run(["pgrep", "-P", supervisor[0]], capture_output=True, text=True).stdout.split()
    return sorted(int(pid) for pid in found)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def serve_public_city(pg_cluster):
    """Publish the small city and serve it on SERVER_PORT until the generator is closed.

    The fixture ``public_server`` (tests/conftest.py) runs it once per test
    session for the server and security tests.
    """
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")
    pg_cluster.execute(f"CREATE DATABASE {DBNAME} TEMPLATE {TEMPLATE}")
    # The seed is a hand-made corner of a city, not whole plans: its zones do
    # not tile the city, its structures stand in the historic area. The
    # verification rules (tests/test_verification_rules.py) are off here so
    # that the workflow publishes it as drawn.
    pg_cluster.execute("UPDATE verification.rule SET enabled = false", DBNAME)
    seeded = seed_data.seed(lambda user: pg_cluster.user_dsn(user, DBNAME))

    run_dir = pg_cluster.run_dir.parent / "test-server"
    subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    write_connection_files(
        run_dir, host="127.0.0.1", port=pg_cluster.port, dbname=DBNAME, password=PASSWORD, monitor_password=PASSWORD
    )
    server = PublicServer(f"http://127.0.0.1:{SERVER_PORT}", run_dir, pg_cluster, DBNAME, seeded)
    projects = run_dir / "built-projects"
    py = sys.executable
    _run(
        [py, "-m", "zhytomyr_gis.publishing", "build", "--out", str(projects), "--base-url", server.base_url],
        server.env(),
    )
    _run([py, "-m", "zhytomyr_gis.publishing", "check", *map(str, sorted(projects.glob("*.qgs")))], server.env())
    # Limits low enough for the small city to reach them: the WFS feature cap
    # above every seeded layer (12 parcels at most), and a request rate that
    # a test client (from an address other than 127.0.0.1, see
    # test_server_limits.py) exceeds in a few requests.
    overrides = run_dir / "limits.env"
    overrides.write_text(f"ZGIS_WFS_MAX_FEATURES={WFS_MAX_FEATURES}\n")
    server_env = {
        **os.environ,
        "ZGIS_QGIS_ENV_OVERRIDES": str(overrides),
        "ZGIS_RATE_LIMIT": str(RATE_LIMIT),
        "ZGIS_RATE_BURST": str(RATE_BURST),
    }
    _run([str(ROOT / "tools" / "server.sh"), "start", str(run_dir), str(SERVER_PORT), str(projects)], server_env)
    try:
        yield server
    finally:
        subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")


def pytest_collection_modifyitems(items):
    """Server and security tests run after the others (they share one slow fixture)."""
    items.sort(key=lambda item: any(f"tests/{d}/" in str(item.fspath).replace(os.sep, "/") for d in SERVER_SUITES))
