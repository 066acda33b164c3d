"""Health and metrics of the public side, for a city's monitoring.

A small WSGI application (run by Debian's gunicorn on a unix socket,
``tools/server.sh``; nginx passes it ``/health/...`` and ``/metrics``):

- ``/health``: every check below, JSON; 200 when all pass, else 503;
- ``/health/<check>``: one check: ``nginx``, ``postgresql`` (the public
  role connects), ``tiles`` (the tile cache answers), ``tile-invalidation``
  (the listener runs, is connected and wrote its state lately),
  ``download-cache`` (the service of whole-layer download files runs, is
  connected and wrote its state lately), ``ows/<id>`` (QGIS Server answers
  project ``<id>``);
- ``/metrics``: Prometheus text format (prometheus_client): the checks
  (``zgis_up``), records per register and state and the reviews waiting
  (``zgis_pending_reviews``), history events per action (approvals,
  rejections) and the history's size, the tile invalidations, the
  download files.

The workflow's figures are read as ``zgis_monitor`` through the functions
of schema ``monitoring`` (sql/app/75_monitoring.sql): aggregates only.
Settings come from the environment (``Settings.from_environ``).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .credentials import MONITOR_SERVICE

# The tile listener and the download cache write their state every 5 s
# (tile_invalidation.STATUS_INTERVAL_S); older than this a service is taken for stopped or stuck.
LISTENER_STALE_S = 30.0
TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


@dataclass(frozen=True)
class Settings:
    base_url: str  # nginx in front of QGIS Server, e.g. http://127.0.0.1:8080
    listener_status: Path | None  # the tile-invalidation listener's state file; None: no tile cache
    download_status: Path | None = None  # the download cache's state file; None: no download cache
    portal_service: str = catalog.SERVICE
    monitor_service: str = MONITOR_SERVICE
    projects: tuple[str, ...] = tuple(p.id for p in catalog.PROJECTS)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        status = environ.get("ZGIS_MONITOR_LISTENER_STATUS") or ""
        downloads = environ.get("ZGIS_MONITOR_DOWNLOAD_STATUS") or ""
        return cls(
            base_url=environ.get("ZGIS_MONITOR_BASE_URL", "http://127.0.0.1:8080").rstrip("/"),
            listener_status=Path(status) if status else None,
            download_status=Path(downloads) if downloads else None,
        )


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 - our own nginx
            return response.status, response.read(4096)
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc).encode()


def check_nginx(settings: Settings) -> Check:
    status, _ = _get(settings.base_url + "/health/nginx")
    return Check(status == 200, f"GET /health/nginx: {status or 'no answer'}")


def check_project(settings: Settings, project_id: str) -> Check:
    status, body = _get(f"{settings.base_url}/ows/{project_id}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities")
    ok = status == 200 and b"WMS_Capabilities" in body
    return Check(ok, f"WMS GetCapabilities of {project_id}: {status or 'no answer'}")


def check_tiles(settings: Settings) -> Check:
    if settings.listener_status is None:
        return Check(True, "the tile cache is not part of this server")
    status, _ = _get(settings.base_url + "/tiles/wmts/1.0.0/WMTSCapabilities.xml")
    return Check(status == 200, f"tile cache WMTS capabilities: {status or 'no answer'}")


def _connect(service: str):
    import psycopg2  # noqa: PLC0415 - only where a database is asked

    return psycopg2.connect(f"service={service}", connect_timeout=3)


def check_postgresql(settings: Settings) -> Check:
    try:
        conn = _connect(settings.portal_service)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the answer
        return Check(False, f"cannot connect as the public role: {str(exc).strip()[:200]}")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        return Check(True, "the public role connects")
    finally:
        conn.close()


def listener_state(settings: Settings) -> dict | None:
    return _state(settings.listener_status)


def _state(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _check_service_state(path: Path | None, what: str, now: float | None) -> tuple[Check | None, dict]:
    """The common part of a listening service's check: a failed Check, or None and its state."""
    state = _state(path)
    if state is None:
        return Check(False, f"no state in {path.name}: the {what} has not started"), {}
    age = (now or time.time()) - float(state.get("time", 0))
    if not _alive(int(state.get("pid", 0))):
        return Check(False, f"the {what} (pid {state.get('pid')}) is not running"), state
    if age > LISTENER_STALE_S:
        return Check(False, f"the {what}'s state is {age:.0f} s old (stuck?)"), state
    if not state.get("connected"):
        return Check(False, f"the {what} is not connected to the database (it retries)"), state
    return None, state


def check_tile_invalidation(settings: Settings, now: float | None = None) -> Check:
    if settings.listener_status is None:
        return Check(True, "the tile cache is not part of this server")
    failed, state = _check_service_state(settings.listener_status, "listener", now)
    return failed or Check(
        True, f"listening; {state.get('approvals', 0)} approvals applied, log position {state.get('position')}"
    )


def check_download_cache(settings: Settings, now: float | None = None) -> Check:
    if settings.download_status is None:
        return Check(True, "the download cache is not part of this server")
    failed, state = _check_service_state(settings.download_status, "download cache", now)
    return failed or Check(
        True,
        f"listening; {state.get('cached_layers', 0)} of {state.get('layers', 0)} layers in files, "
        f"{state.get('fill_failures', 0)} fills failed",
    )


def checks(settings: Settings) -> dict[str, Callable[[], Check]]:
    """Every check by its name in /health/<name>."""
    named: dict[str, Callable[[], Check]] = {
        "nginx": lambda: check_nginx(settings),
        "postgresql": lambda: check_postgresql(settings),
        "tiles": lambda: check_tiles(settings),
        "tile-invalidation": lambda: check_tile_invalidation(settings),
        "download-cache": lambda: check_download_cache(settings),
    }
    for project_id in settings.projects:
        named[f"ows/{project_id}"] = lambda p=project_id: check_project(settings, p)
    return named


class WorkflowCollector:
    """Prometheus metrics, collected when scraped."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def collect(self) -> Iterable:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily  # noqa: PLC0415

        up = GaugeMetricFamily("zgis_up", "1 when the check passes (see /health/<check>)", labels=["check"])
        for name, run in checks(self.settings).items():
            up.add_metric([name], 1.0 if run().ok else 0.0)
        yield up
        yield from self._workflow(GaugeMetricFamily, CounterMetricFamily)
        yield from self._tile_invalidation(GaugeMetricFamily, CounterMetricFamily)
        yield from self._download_cache(GaugeMetricFamily, CounterMetricFamily)

    def _workflow(self, gauge, counter) -> Iterable:
        database_up = gauge("zgis_monitor_database_up", "1 when the monitoring role could read the workflow's figures")
        try:
            conn = _connect(self.settings.monitor_service)
        except Exception:  # noqa: BLE001 - reported as a metric
            database_up.add_metric([], 0.0)
            yield database_up
            return
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT table_name, department, status, records FROM monitoring.register_records()")
                records = cur.fetchall()
                cur.execute("SELECT action, events FROM monitoring.history_events()")
                events = cur.fetchall()
                cur.execute("SELECT monitoring.history_bytes()")
                history_bytes = cur.fetchone()[0]
        finally:
            conn.close()
        database_up.add_metric([], 1.0)
        yield database_up
        by_state = gauge(
            "zgis_register_records",
            "Records of a register in a workflow state",
            labels=["register", "department", "status"],
        )
        pending = gauge(
            "zgis_pending_reviews", "Records submitted and waiting for a verifier", labels=["register", "department"]
        )
        waiting: dict[tuple[str, str], int] = {}
        for table, department, status, count in records:
            by_state.add_metric([table, department, status], float(count))
            waiting.setdefault((table, department), 0)
            if status == "submitted":
                waiting[(table, department)] += count
        for (table, department), count in sorted(waiting.items()):
            pending.add_metric([table, department], float(count))
        yield by_state
        yield pending
        history = counter(
            "zgis_history_events", "Events in the history by action (approve: approvals)", labels=["action"]
        )
        for action, count in events:
            history.add_metric([action], float(count))
        yield history
        size = gauge("zgis_history_bytes", "Size of the history on disk (table and indexes)")
        size.add_metric([], float(history_bytes))
        yield size

    def _tile_invalidation(self, gauge, counter) -> Iterable:
        state = listener_state(self.settings)
        if state is None:
            return
        notifications = counter("zgis_tile_invalidation_notifications", "Approval notifications the listener handled")
        notifications.add_metric([], float(state.get("notifications", 0)))
        yield notifications
        ignored = counter(
            "zgis_tile_invalidation_ignored_notifications", "Notifications without a new approval (forged or repeated)"
        )
        ignored.add_metric([], float(state.get("ignored_notifications", 0)))
        yield ignored
        removed = counter("zgis_tiles_removed", "Cached tiles removed after approvals", labels=["project"])
        for project_id, count in sorted(state.get("tiles_removed", {}).items()):
            removed.add_metric([project_id], float(count))
        yield removed
        redrawn = counter("zgis_tiles_redrawn", "Cached tiles drawn again in place after approvals")
        redrawn.add_metric([], float(state.get("tiles_redrawn", 0)))
        yield redrawn
        age = gauge("zgis_tile_invalidation_state_age_seconds", "Seconds since the listener last wrote its state")
        age.add_metric([], max(0.0, time.time() - float(state.get("time", 0))))
        yield age

    def _download_cache(self, gauge, counter) -> Iterable:
        state = _state(self.settings.download_status)
        if state is None:
            return
        cached = gauge("zgis_download_cache_layers", "Layers whose whole-layer downloads are sent from files")
        cached.add_metric([], float(state.get("cached_layers", 0)))
        yield cached
        for name, key, text in (
            ("zgis_download_cache_removals", "removals", "Layers' download files removed after approvals"),
            ("zgis_download_cache_fills", "fills", "Layers' download files made from QGIS Server's answers"),
            ("zgis_download_cache_fill_failures", "fill_failures", "Fills that failed (tried again later)"),
        ):
            family = counter(name, text)
            family.add_metric([], float(state.get(key, 0)))
            yield family


def make_app(settings: Settings | None = None):
    """The WSGI application."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest  # noqa: PLC0415

    settings = settings or Settings.from_environ()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WorkflowCollector(settings))

    def reply(start_response, status: str, content_type: str, body: bytes):
        start_response(status, [("Content-Type", content_type), ("Cache-Control", "no-store")])
        return [body]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return reply(start_response, "200 OK", CONTENT_TYPE_LATEST, generate_latest(registry))
        named = checks(settings)
        if path in ("/health", "/health/"):
            results = {name: run() for name, run in named.items()}
        elif path.startswith("/health/") and path[len("/health/") :] in named:
            name = path[len("/health/") :]
            results = {name: named[name]()}
        else:
            body = json.dumps({"status": "unknown", "checks": sorted(named)}).encode()
            return reply(start_response, "404 Not Found", "application/json", body)
        ok = all(r.ok for r in results.values())
        body = json.dumps(
            {
                "status": "ok" if ok else "failing",
                "checks": {name: {"ok": r.ok, "detail": r.detail} for name, r in results.items()},
            },
            ensure_ascii=False,
        ).encode()
        return reply(start_response, "200 OK" if ok else "503 Service Unavailable", "application/json", body)

    return app
