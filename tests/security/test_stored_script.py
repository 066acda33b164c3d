"""Attack 2: an approved value that is script must not run on the portal's origin.

QGIS Server 3.22 writes attribute values unescaped into HTML GetFeatureInfo
and the OGC API ``.html`` pages. A record whose every text field holds
``<img onerror=...>`` and ``<script>`` is approved through the workflow;
each HTML answer of /ows/ that shows it is opened in Chromium: no dialog
opens and the window flag the script would set stays unset. The feature
info is escaped (the value shows as text); every /ows/ answer carries
``Content-Security-Policy: sandbox`` and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import pytest
import requests
from server.views import getfeatureinfo

from .conftest import LAYER, PROJECT, SIZE, SPOT, payload


def _pages(server, site_id: int) -> dict[str, str]:
    ows = server.ows(PROJECT)
    gfi = getfeatureinfo(LAYER, SPOT[0] + SIZE / 2, SPOT[1] + SIZE / 2, "text/html")
    api = f"{ows}/wfs3/collections/{LAYER}"
    return {
        "GetFeatureInfo text/html": requests.Request("GET", ows, params=gfi).prepare().url,
        "OGC API item .html": f"{api}/items/{site_id}.html",
        "OGC API items .html": f"{api}/items.html?limit=100",
        "OGC API item, HTML by Accept": f"{api}/items/{site_id}",
    }


@pytest.mark.parametrize(
    "page_name",
    ["GetFeatureInfo text/html", "OGC API item .html", "OGC API items .html", "OGC API item, HTML by Accept"],
)
def test_no_script_runs_from_an_approved_value(public_server, hostile_site, browser, page_name):
    site_id, fields = hostile_site
    assert {"name_uk", "name_en", "terms_uk", "terms_en"} <= set(fields), fields
    url = _pages(public_server, site_id)[page_name]
    raw = requests.get(url, headers={"Accept": "text/html"}, timeout=60)
    assert raw.status_code == 200 and raw.headers["Content-Type"].startswith("text/html"), raw.text[:300]
    assert raw.headers["Content-Security-Policy"] == "sandbox"
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert "onerror" in raw.text  # the hostile value is in the answer: the test shows something
    page = browser.new_page(extra_http_headers={"Accept": "text/html"})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)  # an onerror handler runs after the image fails
        assert dialogs == []
        assert page.evaluate("() => window.zgisXss") is None
    finally:
        page.close()


def test_feature_info_html_shows_the_values_as_text(public_server, hostile_site, browser):
    site_id, fields = hostile_site
    page = browser.new_page()
    try:
        page.goto(_pages(public_server, site_id)["GetFeatureInfo text/html"], wait_until="load")
        text = page.inner_text("body")
        for field in fields:
            assert payload(field) in text, field  # escaped: the markup is shown, not interpreted
        assert page.locator("img").count() == 0 and page.locator("script").count() == 0
    finally:
        page.close()
