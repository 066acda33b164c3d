"""«Завантажити» in the viewer: a layer, or the thematic view's selection,
as CSV, GeoJSON and XLSX with the fields' Ukrainian labels, from the
published WFS — whole, however low the server's cap of features a request.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
import requests

from zhytomyr_gis.registers import register

from .conftest import PORTAL_PORT, start_portal_server, stop_portal_server
from .pages import lonlat, map_url, open_page
from .test_portal_themes import open_theme

LAYER = "budget_project"
STATUS_LABELS = ("заплановано", "закупівля", "виконується", "завершено", "призупинено", "скасовано")


def download(page, fmt: str):
    with page.expect_download() as info:
        page.locator(f".downloads button[data-format={fmt}]").click()
    page.locator("#download-status", has_text="Завантажено").wait_for()
    return info.value


def published_count(portal) -> int:
    response = requests.get(
        portal.url("/ows/budget"),
        params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": LAYER,
                "RESULTTYPE": "hits"},
        timeout=60,
    )  # fmt: skip
    return int(response.text.split('numberOfFeatures="')[1].split('"')[0])


def test_a_layer_downloads_in_three_formats_with_ukrainian_labels(portal, page, tmp_path):
    open_page(page, map_url(portal, "budget", lonlat((0, -200)), zoom=15))
    page.select_option("#download-layer", LAYER)
    labels = [f.label_uk for f in register("budget.project").public_fields]
    total = published_count(portal)

    got = download(page, "csv")
    assert got.suggested_filename == f"{LAYER}.csv"
    rows = list(csv.reader(io.StringIO(open(got.path(), encoding="utf-8").read())))
    assert rows[0] == labels and len(rows) - 1 == total
    status = rows[0].index("Стан")
    # Classifier codes are written as their labels.
    assert {r[status] for r in rows[1:]} <= set(STATUS_LABELS) and len({r[status] for r in rows[1:]}) > 1

    got = download(page, "geojson")
    collection = json.loads(open(got.path(), encoding="utf-8").read())
    assert len(collection["features"]) == total
    assert "Назва проєкту" in collection["features"][0]["properties"]
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert 28.4 < lon < 28.9 and 50.1 < lat < 50.4

    got = download(page, "xlsx")
    got.save_as(tmp_path / got.suggested_filename)
    sheet = openpyxl.load_workbook(tmp_path / f"{LAYER}.xlsx", read_only=True).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == labels and len(table) - 1 == total
    assert page.console.errors == []


def test_the_thematic_selection_downloads_only_what_it_shows(portal, page):
    open_theme(portal, page, "budget")
    page.locator("#theme g.bar[data-key=completed]").click()
    page.click("#tab-layers")
    page.select_option("#download-layer", LAYER)
    got = download(page, "csv")
    rows = list(csv.DictReader(io.StringIO(open(got.path(), encoding="utf-8").read())))
    assert rows and len(rows) < published_count(portal)
    assert {r["Стан"] for r in rows} == {"завершено"}  # the selected status only, as its label
    assert "поточним вибором" in page.locator("#download-status").inner_text()
    assert page.console.errors == []


CAP = 2  # features a GetFeature, below the test city's three projects (production: 5000)


@pytest.fixture(scope="module")
def capped_portal(pg_cluster):
    """A second portal whose server answers at most CAP features a GetFeature."""
    server = start_portal_server(pg_cluster, port=PORTAL_PORT + 1, name="test-portal-capped", wfs_max_features=CAP)
    try:
        yield server
    finally:
        stop_portal_server(pg_cluster, server)


def test_a_layer_beyond_the_servers_cap_downloads_whole(capped_portal, page):
    total = len(capped_portal.ids["budget.project"])  # published by the seed
    one_request = requests.get(
        capped_portal.url("/ows/budget"),
        params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": LAYER,
                "OUTPUTFORMAT": "application/vnd.geo+json"},
        timeout=60,
    ).json()  # fmt: skip
    assert len(one_request["features"]) == CAP < total  # what a single request would have given

    open_page(page, map_url(capped_portal, "budget", lonlat((0, -200)), zoom=15))
    page.select_option("#download-layer", LAYER)
    got = download(page, "geojson")
    collection = json.loads(open(got.path(), encoding="utf-8").read())
    titles = [f["properties"]["Назва проєкту"] for f in collection["features"]]
    assert len(titles) == total and len(set(titles)) == total, titles  # every project, none twice
    assert f"{total}" in page.locator("#download-status").inner_text()
    assert page.console.errors == []
