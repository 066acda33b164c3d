"""Health endpoints and metrics of the public side, as a city's monitoring reads them."""

from __future__ import annotations

import psycopg2
import requests
from conftest import CENTRE
from prometheus_client.parser import text_string_to_metric_families

from .conftest import PROJECT_IDS

TABLE = "property.land_parcel"


def _metrics(server) -> dict[tuple[str, tuple], float]:
    response = requests.get(server.base_url + "/metrics", timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def test_nginx_answers_its_own_health(public_server):
    response = requests.get(public_server.base_url + "/health/nginx", timeout=30)
    assert response.status_code == 200 and response.json()["status"] == "ok"
    status = requests.get(public_server.base_url + "/health/nginx/status", timeout=30)
    assert status.status_code == 200 and "Active connections" in status.text  # prometheus-nginx-exporter reads it


def test_every_service_is_healthy(public_server):
    response = requests.get(public_server.base_url + "/health", timeout=60)
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok", body
    expected = {"nginx", "postgresql", "tiles", "tile-invalidation", "download-cache"}
    expected |= {f"ows/{p}" for p in PROJECT_IDS}
    assert set(body["checks"]) == expected
    assert all(check["ok"] for check in body["checks"].values()), body


def test_one_check_and_an_unknown_one(public_server):
    one = requests.get(public_server.base_url + "/health/ows/budget", timeout=60)
    assert one.status_code == 200 and list(one.json()["checks"]) == ["ows/budget"]
    unknown = requests.get(public_server.base_url + "/health/nosuch", timeout=60)
    assert unknown.status_code == 404 and "postgresql" in unknown.json()["checks"]


def test_metrics_count_pending_reviews_and_approvals(public_server):
    before = _metrics(public_server)
    labels = (("department", "property"), ("register", TABLE))
    pending = before[("zgis_pending_reviews", labels)]
    approvals = before[("zgis_history_events_total", (("action", "approve"),))]
    assert before[("zgis_up", (("check", "postgresql"),))] == 1.0
    assert before[("zgis_monitor_database_up", ())] == 1.0
    assert before[("zgis_history_bytes", ())] > 0
    assert approvals >= 13  # every seeded table was approved at least once
    # A new parcel submitted for review shows as one more pending review.
    editor = psycopg2.connect(public_server.dsn("t_property_editor"))
    x, y = CENTRE[0] + 2500, CENTRE[1] + 2500
    try:
        with editor, editor.cursor() as cur:
            cur.execute(
                "INSERT INTO property.land_parcel (cadastral_number, area_ha, land_use_code, ownership, lease_status,"
                " geom) VALUES ('1810100000:01:001:0999', 0.01, '03.15', 'communal', 'free',"
                " ST_GeomFromText(%s, 9836)) RETURNING id",
                (f"MULTIPOLYGON((({x} {y},{x + 10} {y},{x + 10} {y + 10},{x} {y + 10},{x} {y})))",),
            )
            parcel = cur.fetchone()[0]
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (TABLE, [parcel]))
        during = _metrics(public_server)
        assert during[("zgis_pending_reviews", labels)] == pending + 1
        assert during[("zgis_register_records", (*labels[:1], ("register", TABLE), ("status", "submitted")))] >= 1
    finally:
        with editor, editor.cursor() as cur:
            cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [parcel]))
            cur.execute("DELETE FROM property.land_parcel WHERE id = %s", (parcel,))
        editor.close()
    after = _metrics(public_server)
    assert after[("zgis_pending_reviews", labels)] == pending
    assert (
        after[("zgis_history_events_total", (("action", "submit"),))]
        > before[("zgis_history_events_total", (("action", "submit"),))]
    )


def test_tile_invalidation_is_counted(public_server):
    values = _metrics(public_server)
    assert values[("zgis_up", (("check", "tile-invalidation"),))] == 1.0
    assert values[("zgis_tile_invalidation_state_age_seconds", ())] < 30
    assert ("zgis_tile_invalidation_notifications_total", ()) in values
    assert ("zgis_tiles_redrawn_total", ()) in values


def test_download_cache_is_healthy_and_counted(public_server):
    body = requests.get(public_server.base_url + "/health/download-cache", timeout=60).json()
    assert body["checks"]["download-cache"]["ok"], body
    values = _metrics(public_server)
    assert values[("zgis_up", (("check", "download-cache"),))] == 1.0
    assert ("zgis_download_cache_layers", ()) in values and ("zgis_download_cache_fills_total", ()) in values


def test_health_details_are_for_the_monitoring_only(public_server):
    """Another client address gets 403 for /health/... and /metrics (their details name hosts and errors)."""
    from .test_server_limits import _FromAddress  # noqa: PLC0415

    client = requests.Session()
    client.mount("http://", _FromAddress("127.0.0.3"))
    assert client.get(public_server.base_url + "/metrics", timeout=30).status_code == 403
    assert client.get(public_server.base_url + "/health", timeout=30).status_code == 403
    assert client.get(public_server.base_url + "/health/nginx", timeout=30).status_code == 200
