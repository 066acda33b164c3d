"""PostgreSQL restarted under load (make reliability).

Two clients send maps, feature info, WFS and OGC API requests to the public
server while the database stops for three seconds and starts again. QGIS
Server is not restarted: its workers reconnect by themselves. Measured: the
window in which requests fail (from the stop to the first correct answer
after the start); asserted: no failure outside it, and every answer with
status 200 — during the window too — is the correct one (no empty map, no
partial list). A parcel is approved at once after the start, before the
tile-invalidation listener has reconnected: it catches up from the
approval log and the cached tile shows the change.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import psycopg2
import pytest
from conftest import _pgcluster
from factories import approve
from load_loop import Loop, summary
from server import images
from server.test_server_faults import public_requests
from server.test_server_marker import normalised
from server.test_server_tiles import (
    PARCEL_CENTRE,
    PARCEL_INDEX,
    TABLE,
    _change_lease_status,
    fetch,
    is_free_green,
    tile_at,
)

from zhytomyr_gis.publishing import catalog

DOWN_S = 3.0
RECOVERED_WITHIN_S = 10.0  # the stated time for the public side to answer again after the database is back


def _connect(server, user: str):
    conn = psycopg2.connect(server.dsn(user))
    conn.autocommit = True
    return conn


def _publish_lease_status(server, record_id: int, lease_status: str) -> None:
    """Edit, submit and approve the parcel's lease status, each on a new connection."""
    editor, verifier = _connect(server, "t_property_editor"), _connect(server, "t_property_verifier")
    try:
        with editor.cursor() as cur:
            cur.execute(f"SELECT status FROM {TABLE} WHERE id = %s", (record_id,))
            if cur.fetchone()[0] == "submitted":
                cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [record_id]))
        _change_lease_status(editor, record_id, lease_status)
        with editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
        approve(verifier, TABLE, [record_id])
    finally:
        editor.close()
        verifier.close()


@pytest.fixture
def parcel_id(public_server):
    """The parcel the test approves; published again as it was afterwards (other tests compare maps)."""
    record_id = public_server.seeded.ids[TABLE][PARCEL_INDEX]
    conn = _connect(public_server, "t_property_editor")
    with conn.cursor() as cur:
        cur.execute(f"SELECT lease_status FROM {TABLE} WHERE id = %s", (record_id,))
        original = cur.fetchone()[0]
    conn.close()
    yield record_id
    _publish_lease_status(public_server, record_id, original)


def test_database_restart_under_load(public_server, parcel_id):
    record_id = parcel_id
    # Requests of maps that do not draw the parcel approved during the test: their answers never change.
    published = "published." + TABLE.replace(".", "_")
    showing = {p.id for p in catalog.PROJECTS if any(layer.published_table == published for layer in p.layers)}
    requests_ = [
        r
        for r in public_requests(public_server)
        if not any(f"/ows/{pid}?" in r[1] or f"/ows/{pid}/" in r[1] for pid in showing)
    ]
    assert len(requests_) >= 3, requests_
    expected = {name: normalised(public_server_get(url)) for name, url in requests_}
    z, x, y, px, py = tile_at(*PARCEL_CENTRE)
    before = fetch(public_server, z, x, y)
    assert not is_free_green(images.pixel(before, px, py))
    workers = public_server.worker_pids()
    cluster = public_server.cluster

    loop = Loop(requests_, clients=2, seconds=25, max_requests=4000).start()
    time.sleep(4)
    stopped_at = time.monotonic()
    _pgcluster("stop", str(cluster.run_dir))
    time.sleep(DOWN_S)
    _pgcluster("start", str(cluster.run_dir), str(cluster.port))
    started_at = time.monotonic()
    # At once, while the listener is still away: an approval it must catch up on.
    _publish_lease_status(public_server, record_id, "free")
    approved_at = time.monotonic()
    status_file = public_server.run_dir / "tiles" / "listener-status.json"
    status = json.loads(status_file.read_text())
    conn = _connect(public_server, "t_property_verifier")
    with conn.cursor() as cur:
        cur.execute("SELECT max(id) FROM published.approval_log")
        (approval,) = cur.fetchone()
    conn.close()
    while True:  # the listener reconnects and reads the approval from the log
        now_status = json.loads(status_file.read_text())
        if (
            now_status["connected"] and (now_status["position"] or 0) >= approval
        ) or time.monotonic() - approved_at > 30:
            break
        time.sleep(0.05)
    caught_up = time.monotonic() - approved_at
    answers = loop.join()

    first_ok = min((a.ended for a in answers if a.started >= started_at and a.status == 200), default=None)
    assert first_ok is not None, summary(answers)
    window = (stopped_at, first_ok)
    outside = [a for a in answers if a.status != 200 and not (window[0] <= a.ended and a.started <= window[1])]
    inside = [a for a in answers if window[0] <= a.ended and a.started <= window[1]]
    # A WFS answer streams its features after its header: when the database fails
    # meanwhile, it ends with the exception and is no longer a well-formed document.
    wrong = [
        a.name for a in answers if a.status == 200 and normalised(a.body) != expected[a.name] and well_formed(a.body)
    ]
    broken = sum(1 for a in answers if a.status == 200 and not well_formed(a.body))
    statuses_inside: dict[str, int] = {}
    for a in inside:
        key = f"{a.name} {a.status}"
        statuses_inside[key] = statuses_inside.get(key, 0) + 1
    print(
        f"\ndatabase stopped to started {started_at - stopped_at:.2f} s; {summary(answers)};"
        f" failing window {window[1] - window[0]:.2f} s"
        f" (answering again {first_ok - started_at:.2f} s after the start); inside it: {statuses_inside};"
        f" streamed answers ended with an error: {broken}"
    )
    assert outside == [], [(a.name, a.status) for a in outside][:5]
    wrong_answers = [
        a for a in answers if a.status == 200 and normalised(a.body) != expected[a.name] and well_formed(a.body)
    ]
    assert wrong == [], (
        f"answers with status 200 but wrong content: {wrong[:5]}"
        + "".join(
            f"\n{a.name} at {a.started - stopped_at:+.2f} s: {a.body[:300]!r}"
            for a in wrong_answers[:1] + wrong_answers[-1:]
        )
        + f"\nexpected {expected[wrong_answers[0].name]!r:.300}"
    )
    assert first_ok - started_at < RECOVERED_WITHIN_S
    assert public_server.worker_pids() == workers, "QGIS Server's workers were restarted"
    assert len([a for a in answers if a.started > first_ok]) > 20

    # The listener was away at the approval, and caught up.
    assert status["connected"] is False, status
    print(f"the listener caught up on the approval made while it was away {caught_up:.2f} s after it")
    assert now_status["connected"] and now_status["position"] >= approval, now_status
    now = fetch(public_server, z, x, y)
    assert is_free_green(images.pixel(now, px, py))


def well_formed(body: bytes) -> bool:
    if body.startswith(b"\x89PNG"):
        return True
    try:
        json.loads(body)
        return True
    except ValueError:
        pass
    try:
        ET.fromstring(body)
        return True
    except ET.ParseError:
        return False


def public_server_get(url: str) -> bytes:
    import requests  # noqa: PLC0415

    response = requests.get(url, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.content
