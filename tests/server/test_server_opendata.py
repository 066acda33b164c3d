"""The open data as the public downloads them: nginx serves the listener's
release at stable addresses with ETag and Last-Modified, and answers a
client that already has the file with 304.
"""

from __future__ import annotations

import csv
import datetime
import email.utils
import io
import json
import time

import pytest
import requests

FIRST_RELEASE_S = 180


@pytest.fixture(scope="module")
def opendata(public_server):
    """The base address once the listener has published its first release."""
    base = f"{public_server.base_url}/opendata"
    deadline = time.monotonic() + FIRST_RELEASE_S
    while True:
        response = requests.get(f"{base}/index.json", timeout=30)
        if response.status_code == 200:
            return base
        log = (public_server.run_dir / "logs" / "opendata.log").read_text()
        assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
        assert time.monotonic() < deadline, f"no open data after {FIRST_RELEASE_S} s:\n{log[-3000:]}"
        time.sleep(1)


def test_files_are_served_with_their_types_and_validators(opendata):
    index = requests.get(f"{opendata}/index.json", timeout=30).json()
    land = next(d for d in index["datasets"] if d["id"] == "municipal-land")
    response = requests.get(f"{opendata}/municipal-land/parcels.csv", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["ETag"].strip('"')
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # Last-Modified is the dataset's last change (the last approval), not the time of the build.
    modified = email.utils.parsedate_to_datetime(response.headers["Last-Modified"])
    assert modified.timestamp() == int(datetime.datetime.fromisoformat(land["modified"]).timestamp())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == land["records"]["parcels"] and rows[0]["id"].startswith("18101")
    for path, media_type in (
        ("municipal-land/parcels.wgs84.geojson", "application/geo+json; charset=utf-8"),
        ("municipal-land/parcels.epsg9836.gpkg", "application/geopackage+sqlite3"),
        ("municipal-land/parcels.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("catalog.jsonld", "application/ld+json; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("municipal-land/parcels.schema.json", "application/json; charset=utf-8"),
    ):
        r = requests.get(f"{opendata}/{path}", timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"] == media_type, (path, r.headers)
    catalog = requests.get(f"{opendata}/catalog.jsonld", timeout=30).json()
    urls = [
        d["dcat:downloadURL"]["@id"]
        for node in catalog["@graph"]
        if node.get("@type") == "dcat:Dataset"
        for d in node["dcat:distribution"]
    ]
    assert urls and all(u.startswith(opendata + "/") for u in urls)  # the catalogue names this server
    assert requests.head(urls[0], timeout=30).status_code == 200


def test_a_client_with_the_current_file_gets_304(opendata):
    first = requests.get(f"{opendata}/municipal-land/parcels.csv", timeout=30)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = requests.get(f"{opendata}/municipal-land/parcels.csv", headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.content == b""
    since = requests.get(f"{opendata}/municipal-land/parcels.csv", headers={"If-Modified-Since": modified}, timeout=30)
    assert since.status_code == 304
    stale = requests.get(f"{opendata}/municipal-land/parcels.csv", headers={"If-None-Match": '"0-0"'}, timeout=30)
    assert stale.status_code == 200 and stale.content == first.content


def test_only_reading_is_accepted_and_nothing_outside_the_release(opendata):
    assert requests.post(f"{opendata}/municipal-land/parcels.csv", data=b"x", timeout=30).status_code == 403
    assert requests.get(f"{opendata}/../pg_service.conf", timeout=30).status_code in (400, 404)
    assert requests.get(f"{opendata}/releases/", timeout=30).status_code == 404
    assert requests.get(f"{opendata}/no-such-dataset/x.csv", timeout=30).status_code == 404


def test_the_catalogue_lists_every_file_the_server_has(opendata):
    index = requests.get(f"{opendata}/index.json", timeout=30).json()
    for dataset in index["datasets"]:
        for f in dataset["files"]:
            response = requests.head(
                f"{opendata}/{dataset['id']}/{f['name']}", headers={"Accept-Encoding": "identity"}, timeout=30
            )
            assert response.status_code == 200, f["name"]
            assert int(response.headers["Content-Length"]) == f["bytes"]
        package = requests.get(f"{opendata}/{dataset['id']}/datapackage.json", timeout=30)
        assert json.loads(package.content)["name"] == dataset["id"]
