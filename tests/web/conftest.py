"""The geoportal under test: the small published city behind nginx + QGIS
Server on a private port, the built portal (``make portal``) served by the
same nginx, and Debian's Chromium driven by Playwright.

Everything is real: data enters through the workflow, the projects are
built by the command line, ``tools/server.sh`` deploys projects and portal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import PASSWORD, ROOT, TEMPLATE

from zhytomyr_gis.publishing.credentials import write_connection_files

from . import data

PORTAL_PORT = int(os.environ.get("ZGIS_TEST_PORTAL_PORT", "18100"))
DBNAME = "zgis_portal_test"
CHROMIUM = os.environ.get("ZGIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / ".run" / "screenshots"


@dataclass
class PortalServer:
    base_url: str
    run_dir: Path
    ids: dict[str, list[int]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def start_portal_server(
    cluster, port: int = PORTAL_PORT, name: str = "test-portal", wfs_max_features: int | None = None
) -> PortalServer:
    """Publish the test city into a database of its own and serve projects and portal.

    ``name`` names the database and the run folder (two portals may run at
    once); ``wfs_max_features`` lowers the server's WFS feature cap."""
    if not (ROOT / "portal" / "dist" / "index.html").exists():
        raise RuntimeError("portal/dist is missing: run `make portal` (make test does)")
    dbname = _dbname(name)
    cluster.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    cluster.execute(f"CREATE DATABASE {dbname} TEMPLATE {TEMPLATE}")
    # A hand-made corner of a city, not whole plans (its zones do not tile
    # the city): the verification rules are off so that it is published as drawn.
    cluster.execute("UPDATE verification.rule SET enabled = false", dbname)
    ids = data.seed(lambda user: cluster.user_dsn(user, dbname))
    run_dir = cluster.run_dir.parent / name
    subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    write_connection_files(run_dir, host="127.0.0.1", port=cluster.port, dbname=dbname, password=PASSWORD)
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PGSERVICEFILE": str(run_dir / "pg_service.conf"),
        "PGPASSFILE": str(run_dir / "pgpass"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    projects = run_dir / "built-projects"
    _run(
        [sys.executable, "-m", "zhytomyr_gis.publishing", "build", "--out", str(projects), "--base-url", base_url], env
    )
    server_env = dict(os.environ)
    if wfs_max_features is not None:
        overrides = run_dir / "limits.env"
        overrides.write_text(f"ZGIS_WFS_MAX_FEATURES={wfs_max_features}\n")
        server_env["ZGIS_QGIS_ENV_OVERRIDES"] = str(overrides)
    _run([str(ROOT / "tools" / "server.sh"), "start", str(run_dir), str(port), str(projects)], server_env)
    return PortalServer(base_url, run_dir, ids)


def stop_portal_server(cluster, server: PortalServer) -> None:
    subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(server.run_dir)], capture_output=True)
    cluster.execute(f"DROP DATABASE IF EXISTS {_dbname(server.run_dir.name)} WITH (FORCE)")


def _dbname(name: str) -> str:
    return DBNAME if name == "test-portal" else "zgis_" + name.replace("-", "_")


@pytest.fixture(scope="session")
def portal(pg_cluster):
    server = start_portal_server(pg_cluster)
    try:
        yield server
    finally:
        stop_portal_server(pg_cluster, server)


class ConsoleWatch:
    """Console errors, uncaught exceptions and failed requests of one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"exception: {exc}"))
        page.on("requestfailed", lambda req: self.errors.append(f"request failed: {req.url} {req.failure}"))
        page.on("response", lambda resp: resp.status >= 400 and self.errors.append(f"HTTP {resp.status}: {resp.url}"))


@pytest.fixture
def page(browser, request):
    """A fresh browser page (desktop size unless the test asks for a phone)."""
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport, locale="uk-UA")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.console = ConsoleWatch(tab)
    try:
        yield tab
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot as a test artefact under .run/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
