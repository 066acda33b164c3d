"""Whole-layer downloads answered from files, emptied by approvals.

The geoportal's download of a layer (its WFS pages) and a plain client's
whole layer as GeoJSON are sent by nginx from files that
``zhytomyr_gis/publishing/download_cache.py`` keeps; the answer is the one
QGIS Server gives, and an approval of the layer's table removes the files
before anyone can download the old data again.
"""

from __future__ import annotations

import json
import time

import requests
from factories import approve

from zhytomyr_gis.publishing import catalog, download_cache

from .test_server_tiles import PROJECT, TABLE, _change_lease_status, parcel  # noqa: F401 (a fixture)

LAYER = catalog.PARCELS.name
FILL_WAIT_S = 60.0  # the service fills every layer of every project after the server starts
# Approval to the removal of the files: the notification's round trip. A
# download after this must show the approved value (README "Freshness": the
# services show an approval in 0.01-0.03 s).
REMOVAL_S = 1.0


def _url(server, query: str) -> str:
    return f"{server.ows(PROJECT)}?{query}"


def _folder(server):
    return server.run_dir / "downloads" / PROJECT / LAYER


def _portal_download(server) -> tuple[list[requests.Response], list[dict]]:
    """The geoportal's pages of a whole-layer download, as allPages() asks them."""
    responses, features = [], []
    while True:
        response = requests.get(_url(server, download_cache.portal_page(LAYER, len(features))), timeout=60)
        assert response.status_code == 200, response.text[:300]
        responses.append(response)
        page = response.json()["features"]
        features += page
        if not page:
            return responses, features


def _wait_for_files(server) -> None:
    ends = time.monotonic() + FILL_WAIT_S
    while not (_folder(server) / download_cache.WHOLE_LAYER_FILE).exists():
        assert time.monotonic() < ends, (server.run_dir / "logs" / "download-cache.log").read_text()[-2000:]
        time.sleep(0.2)


def _lease_status(features: list[dict], record_id: int) -> str:
    [feature] = [f for f in features if f["properties"]["id"] == record_id]
    return feature["properties"]["lease_status"]


def test_whole_layer_downloads_are_files_equal_to_wfs(public_server):
    _wait_for_files(public_server)
    responses, features = _portal_download(public_server)
    assert len(responses) >= 2 and features  # the pages and the empty one that ends the download
    queries = [download_cache.portal_page(LAYER, start) for start in (0, len(features))]
    queries.append(download_cache.whole_layer(LAYER))
    for query in queries:
        cached = requests.get(_url(public_server, query), timeout=60)
        drawn = requests.get(_url(public_server, query), headers={"X-Download-Cache": "fill"}, timeout=60)
        assert cached.headers.get("X-Download-Cache") == "hit", query
        assert "X-Download-Cache" not in drawn.headers
        assert cached.content == drawn.content, query
        assert (query, cached.headers["Content-Type"]) == (query, drawn.headers["Content-Type"])
        for header in ("Access-Control-Allow-Origin", "Content-Security-Policy", "X-Content-Type-Options"):
            assert cached.headers[header] == drawn.headers[header]
        # Compressed beforehand, the same document.
        gz = requests.get(_url(public_server, query), headers={"Accept-Encoding": "gzip"}, timeout=60)
        assert gz.headers.get("Content-Encoding") == "gzip" and gz.content == drawn.content
    # A plain client asking with "/" unescaped gets the same file.
    plain = requests.get(_url(public_server, download_cache.whole_layer(LAYER).replace("%2F", "/")), timeout=60)
    assert plain.headers.get("X-Download-Cache") == "hit"
    assert json.loads(plain.content)["features"]


def test_other_requests_go_to_qgis_server(public_server):
    _wait_for_files(public_server)
    page = download_cache.portal_page(LAYER, 0)
    for query in (
        page + "&EXP_FILTER=id%3E0",  # a filtered download (a thematic view's selection)
        page.replace("SORTBY=id+ASC&", ""),
        page.replace("TYPENAME=", "typename="),
        page + "&map=/etc/passwd",
    ):
        response = requests.get(_url(public_server, query), timeout=60)
        assert "X-Download-Cache" not in response.headers, query
    posted = requests.post(_url(public_server, page), timeout=60)
    assert "X-Download-Cache" not in posted.headers


def test_an_approval_empties_the_layer_before_the_next_download(public_server, parcel):  # noqa: F811
    record_id, editor, verifier = parcel
    _wait_for_files(public_server)
    before = _lease_status(_portal_download(public_server)[1], record_id)
    changed = "free" if before != "free" else "municipal"

    # A change under review never reaches the files.
    _change_lease_status(editor, record_id, changed)
    with editor.cursor() as cur:
        cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
    time.sleep(0.5)
    responses, features = _portal_download(public_server)
    assert all(r.headers.get("X-Download-Cache") == "hit" for r in responses)
    assert _lease_status(features, record_id) == before

    approve(verifier, TABLE, [record_id])
    approved_at = time.monotonic()
    while (_folder(public_server) / download_cache.WHOLE_LAYER_FILE).exists():
        assert time.monotonic() - approved_at < REMOVAL_S, "the files outlived the approval"
        time.sleep(0.005)
    removed_s = time.monotonic() - approved_at
    # From now on every download shows the approved value, from QGIS Server
    # until the files are made again, then from them.
    hits = 0
    while hits == 0:
        responses, features = _portal_download(public_server)
        assert _lease_status(features, record_id) == changed
        hits = sum(r.headers.get("X-Download-Cache") == "hit" for r in responses)
        assert time.monotonic() - approved_at < FILL_WAIT_S
        time.sleep(0.1)
    print(
        f"\ndownload files removed {removed_s:.3f} s after the approval, cached again after "
        f"{time.monotonic() - approved_at:.1f} s"
    )
    whole = requests.get(_url(public_server, download_cache.whole_layer(LAYER)), timeout=60)
    assert _lease_status(whole.json()["features"], record_id) == changed
