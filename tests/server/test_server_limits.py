"""Limits enforced before the work starts: features per WFS request, request rate per client.

The test server runs with a WFS cap of ``WFS_MAX_FEATURES`` (15) and a rate
of ``RATE_LIMIT`` requests a second (burst ``RATE_BURST``) per client
address (tests/server/conftest.py); production defaults are in
qgis_server/qgis-server.env.in and tools/server.sh.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import requests
from conftest import CENTRE
from factories import approve

from .conftest import RATE_BURST, WFS_MAX_FEATURES
from .seed import publish

CROWD = 12  # addresses published on top of the 5 seeded: 17, above the cap of 15
TABLE = "ref.address"
CLIENT_THREADS = 6


@pytest.fixture(scope="module")
def crowded_addresses(public_server):
    """More published addresses than the WFS cap, removed again through the workflow afterwards."""
    dsn_of = public_server.dsn
    street = public_server.seeded.ids["ref.street"][0]
    rows = [
        {
            "street_id": street,
            "house_number": f"{100 + n}",
            "postcode": "10014",
            "geom": f"POINT({CENTRE[0] - 650 + n * 20} {CENTRE[1] + 650})",
        }
        for n in range(CROWD)
    ]
    ids = publish(dsn_of, TABLE, rows)
    try:
        yield 5 + CROWD
    finally:
        editor = psycopg2.connect(dsn_of("t_admin_editor"))
        verifier = psycopg2.connect(dsn_of("t_admin_verifier"))
        try:
            with editor, editor.cursor() as cur:
                cur.execute(f"DELETE FROM {TABLE} WHERE id = ANY(%s)", (ids,))
                cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (TABLE, ids))
            with verifier:
                approve(verifier, TABLE, ids)
        finally:
            editor.close()
            verifier.close()


def _addresses(server, **params) -> list[dict]:
    response = server.get(
        "city",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="ref_address",
        OUTPUTFORMAT="application/vnd.geo+json",
        **params,
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()["features"]


@pytest.mark.parametrize("maxfeatures", [None, "1000000", str(WFS_MAX_FEATURES + 1)])
def test_wfs_answers_at_most_the_cap(public_server, crowded_addresses, maxfeatures):
    params = {"MAXFEATURES": maxfeatures} if maxfeatures else {}
    assert len(_addresses(public_server, **params)) == WFS_MAX_FEATURES < crowded_addresses


def test_wfs_pages_past_the_cap_with_startindex(public_server, crowded_addresses):
    first = _addresses(public_server, MAXFEATURES="1000000")
    rest = _addresses(public_server, STARTINDEX=str(WFS_MAX_FEATURES))
    ids = [f["id"] for f in first + rest]
    assert len(ids) == len(set(ids)) == crowded_addresses


def test_a_smaller_maxfeatures_is_kept(public_server, crowded_addresses):
    assert len(_addresses(public_server, MAXFEATURES="3")) == 3


class _FromAddress(requests.adapters.HTTPAdapter):
    """Connections from another loopback address: another client for nginx's rate limit."""

    def __init__(self, address: str, pool: int = 1):
        self.address = address
        super().__init__(pool_connections=pool, pool_maxsize=pool)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def test_a_client_above_the_rate_gets_429_with_retry_after_and_others_are_served(public_server):
    client = requests.Session()
    client.mount("http://", _FromAddress("127.0.0.2", pool=CLIENT_THREADS))
    url = public_server.ows("city") + "?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0"
    # A bounded burst from several connections at once: well above the rate
    # and burst whatever each request costs on a busy machine.
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        responses = list(pool.map(lambda _: client.get(url, timeout=60), range(RATE_BURST * 8)))
    statuses = [r.status_code for r in responses]
    assert set(statuses) == {200, 429}, statuses
    assert statuses.count(200) >= RATE_BURST  # the burst is served
    refused = next(r for r in responses if r.status_code == 429)
    assert refused.headers["Retry-After"] == "1"
    assert "TooManyRequests" in refused.text and refused.headers["Content-Type"].startswith("text/xml")
    # Another client (the tests' own address) is not slowed down by it...
    assert requests.get(url, timeout=60).status_code == 200
    # ...and the limited one is served again after the time it was told.
    time.sleep(float(refused.headers["Retry-After"]) + 0.5)
    assert client.get(url, timeout=60).status_code == 200
