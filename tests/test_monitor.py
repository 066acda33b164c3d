"""The monitoring's checks and its database role, without a server."""

from __future__ import annotations

import json
import os
import time

import psycopg2
import pytest

from zhytomyr_gis.publishing.monitor import (
    LISTENER_STALE_S,
    Settings,
    WorkflowCollector,
    check_download_cache,
    check_postgresql,
    check_tile_invalidation,
)


def _settings(tmp_path, **state) -> Settings:
    path = tmp_path / "listener-status.json"
    if state:
        path.write_text(json.dumps(state))
    return Settings(base_url="http://127.0.0.1:9", listener_status=path)


def _download_settings(tmp_path, **state) -> Settings:
    path = tmp_path / "download-status.json"
    if state:
        path.write_text(json.dumps(state))
    return Settings(base_url="http://127.0.0.1:9", listener_status=None, download_status=path)


def test_listener_running_connected_and_recent_is_healthy(tmp_path):
    check = check_tile_invalidation(_settings(tmp_path, pid=os.getpid(), time=time.time(), connected=True))
    assert check.ok, check.detail


SERVICES = {  # the two listening services' checks, with their settings from a state file
    "listener": (check_tile_invalidation, _settings),
    "download cache": (check_download_cache, _download_settings),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize(
    "state, words",
    [
        ({}, "has not started"),
        ({"pid": "self", "age": LISTENER_STALE_S + 5, "connected": True}, "old"),
        ({"pid": "self", "age": 0, "connected": False}, "not connected"),
        ({"pid": 2**22 + 12345, "age": 0, "connected": True}, "not running"),
    ],
    ids=["no-state", "stale", "disconnected", "dead"],
)
def test_service_problems_are_reported(tmp_path, service, state, words):
    check_service, settings = SERVICES[service]
    if state:  # the state as the service would have written it just now (not when the tests were collected)
        state = {
            "pid": os.getpid() if state["pid"] == "self" else state["pid"],
            "time": time.time() - state["age"],
            "connected": state["connected"],
        }
    check = check_service(settings(tmp_path, **state))
    assert not check.ok and f"the {service}" in check.detail and words in check.detail, check.detail


def test_download_cache_running_connected_and_recent_is_healthy(tmp_path):
    state = {"pid": os.getpid(), "time": time.time(), "connected": True, "cached_layers": 7, "layers": 9}
    check = check_download_cache(_download_settings(tmp_path, **state))
    assert check.ok and "7 of 9 layers" in check.detail, check.detail
    assert check_download_cache(Settings(base_url="", listener_status=None)).ok, "not part of every server"


def test_download_cache_figures_are_metrics(tmp_path):
    state = {"pid": 1, "time": time.time(), "connected": True, "cached_layers": 5, "removals": 3, "fills": 12,
             "fill_failures": 1}  # fmt: skip
    collector = WorkflowCollector(_download_settings(tmp_path, **state))
    values = {
        sample.name: sample.value for family in collector._download_cache(*_families()) for sample in family.samples
    }
    assert values == {
        "zgis_download_cache_layers": 5.0,
        "zgis_download_cache_removals_total": 3.0,
        "zgis_download_cache_fills_total": 12.0,
        "zgis_download_cache_fill_failures_total": 1.0,
    }


def _families():
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily  # noqa: PLC0415

    return GaugeMetricFamily, CounterMetricFamily


def test_postgresql_check_fails_cleanly_without_a_server(tmp_path, monkeypatch):
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text("[nowhere]\nhost=127.0.0.1\nport=9\ndbname=x\nuser=x\nconnect_timeout=2\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    check = check_postgresql(Settings(base_url="", listener_status=None, portal_service="nowhere"))
    assert not check.ok and "cannot connect" in check.detail


def test_monitor_role_reads_aggregates_and_nothing_else(db):
    monitor = db.connect("zgis_monitor")
    with monitor.cursor() as cur:
        cur.execute("SELECT table_name, status, records FROM monitoring.register_records()")
        rows = cur.fetchall()
        assert ("ref.city_boundary", "verified", 1) in rows
        cur.execute("SELECT action, events FROM monitoring.history_events()")
        assert dict(cur.fetchall())["approve"] == 1
        cur.execute("SELECT monitoring.history_bytes()")
        assert cur.fetchone()[0] > 0
        for table in ("property.land_parcel", "history.event", "published.ref_city_boundary", "workflow.register"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f"SELECT count(*) FROM {table}")


def test_departments_cannot_call_the_monitoring_functions(db):
    editor = db.connect("t_property_editor")
    with editor.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cur.execute("SELECT * FROM monitoring.register_records()")
