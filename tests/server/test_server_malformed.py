"""Malformed requests, as a fuzzer sends them: each a 4xx with a clear OGC exception.

QGIS Server 3.22 answered these with 500 (GetMap without BBOX, legends of
absurd size, HEAD on OGC API items), 501 (an empty or unknown REQUEST or
VERSION), an error with status 200 (an unknown SERVICE, a POST of garbage)
or the landing page (unknown OGC API paths). The zhytomyr_access plugin
and nginx refuse them before any work (qgis_server/README.md).
"""

from __future__ import annotations

import pytest
import requests

from .answers import answered_by_nginx, exception_text
from .views import getmap

ITEMS = "/wfs3/collections/property_land_parcel/items"
LEGEND = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "FORMAT": "image/png"}


def _getmap_without(name: str) -> dict[str, str]:
    params = getmap("city", "EPSG:3857")
    del params[name]
    return params


KVP_CASES = {
    "getmap-without-bbox": ("city", _getmap_without("BBOX"), "MissingParameterValue", "BBOX"),
    "getmap-empty-bbox": ("city", {**getmap("city", "EPSG:3857"), "BBOX": ""}, "MissingParameterValue", "BBOX"),
    "getmap-inverted-bbox": (
        "city",
        {**getmap("city", "EPSG:3857"), "BBOX": "3,4,1,2"},
        "InvalidParameterValue",
        "BBOX",
    ),
    "getmap-dpi": ("city", {**getmap("city", "EPSG:3857"), "DPI": "100000"}, "InvalidParameterValue", "DPI"),
    "getmap-format-options-dpi": (
        "city",
        {**getmap("city", "EPSG:3857"), "FORMAT_OPTIONS": "dpi:100000"},
        "InvalidParameterValue",
        "dpi",
    ),
    "legend-unknown-rule": (
        "advertising",
        {**LEGEND, "LAYER": "advertising_structure", "RULE": "no such rule"},
        "InvalidParameterValue",
        "RULE",
    ),
    "legend-negative-width-huge-symbol": (
        "city",
        {**LEGEND, "LAYER": "ref_street", "WIDTH": "-1", "SYMBOLWIDTH": "1e9"},
        "InvalidParameterValue",
        "WIDTH",
    ),
    "legend-huge-symbol": (
        "city",
        {**LEGEND, "LAYER": "ref_street", "SYMBOLWIDTH": "1e9"},
        "InvalidParameterValue",
        "SYMBOLWIDTH",
    ),
    "legend-too-large-in-sum": (
        "advertising",
        {**LEGEND, "LAYER": "advertising_structure", "SYMBOLHEIGHT": "100", "SYMBOLSPACE": "100", "DPI": "600"},
        "InvalidParameterValue",
        "legend would be larger",
    ),
    "legend-dpi": ("city", {**LEGEND, "LAYER": "ref_street", "DPI": "100000"}, "InvalidParameterValue", "DPI"),
    "legend-nan-height": (
        "city",
        {**LEGEND, "LAYER": "ref_street", "HEIGHT": "nan"},
        "InvalidParameterValue",
        "HEIGHT",
    ),
    "empty-request": ("city", {"SERVICE": "WMS", "REQUEST": ""}, "MissingParameterValue", "REQUEST"),
    "unknown-request": ("city", {"SERVICE": "WMS", "REQUEST": "GetSecrets"}, "OperationNotSupported", "REQUEST"),
    "empty-version": ("city", {**getmap("city", "EPSG:3857"), "VERSION": ""}, "InvalidParameterValue", "VERSION"),
    "unknown-version": (
        "city",
        {**getmap("city", "EPSG:3857"), "VERSION": "9.9.9"},
        "InvalidParameterValue",
        "VERSION",
    ),
    "garbage-service": (
        "city",
        {"SERVICE": "garbage", "REQUEST": "GetCapabilities"},
        "InvalidParameterValue",
        "SERVICE",
    ),
    "no-service": ("city", {"REQUEST": "GetCapabilities"}, "MissingParameterValue", "SERVICE"),
    "wcs-service": ("city", {"SERVICE": "WCS", "REQUEST": "GetCapabilities"}, "InvalidParameterValue", "SERVICE"),
    "wfs-negative-startindex": (
        "property",
        {
            "SERVICE": "WFS",
            "VERSION": "1.1.0",
            "REQUEST": "GetFeature",
            "TYPENAME": "property_land_parcel",
            "STARTINDEX": "-5",
        },
        "InvalidParameterValue",
        "STARTINDEX",
    ),
    "wfs-negative-maxfeatures": (
        "property",
        {
            "SERVICE": "WFS",
            "VERSION": "1.1.0",
            "REQUEST": "GetFeature",
            "TYPENAME": "property_land_parcel",
            "MAXFEATURES": "-1",
        },
        "InvalidParameterValue",
        "MAXFEATURES",
    ),
    "wfs-text-maxfeatures": (
        "property",
        {
            "SERVICE": "WFS",
            "VERSION": "1.1.0",
            "REQUEST": "GetFeature",
            "TYPENAME": "property_land_parcel",
            "MAXFEATURES": "all",
        },
        "InvalidParameterValue",
        "MAXFEATURES",
    ),
}


@pytest.mark.parametrize("case", KVP_CASES, ids=list(KVP_CASES))
def test_malformed_kvp_request_is_a_400_naming_the_parameter(public_server, case):
    project, params, code, parameter = KVP_CASES[case]
    message = exception_text(public_server.get(project, **params), 400)
    assert code in message and parameter in message, message


def test_a_valid_rule_still_draws_its_legend(public_server):
    """The RULE check refuses unknown entries only: a real category of the legend is drawn."""
    refused = exception_text(
        public_server.get("advertising", **{**LEGEND, "LAYER": "advertising_structure", "RULE": "?"}), 400
    )
    entry = refused.split("entries: '", 1)[1].split("'", 1)[0]
    params = {**LEGEND, "LAYER": "advertising_structure", "RULE": entry}
    assert "WIDTH" in exception_text(public_server.get("advertising", **params), 400)  # an entry's image needs a size
    response = public_server.get("advertising", **params, WIDTH="20", HEIGHT="20")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png", response.text[:300]


@pytest.mark.parametrize(
    "body", [b"<<<garbage", b"", b"<Nonsense/>", b"\x00\xff\xfe"], ids=["garbage", "empty", "unknown-root", "binary"]
)
def test_post_of_garbage_is_a_400(public_server, body):
    response = requests.post(public_server.ows("city"), data=body, headers={"Content-Type": "text/xml"}, timeout=60)
    assert exception_text(response, 400)


def test_post_of_a_real_xml_request_still_works(public_server):
    body = b'<GetCapabilities xmlns="http://www.opengis.net/wfs" service="WFS" version="1.1.0"/>'
    response = requests.post(public_server.ows("property"), data=body, headers={"Content-Type": "text/xml"}, timeout=60)
    assert response.status_code == 200 and b"property_land_parcel" in response.content, response.text[:300]


def test_head_on_ogc_api_items_answers_like_get_without_a_body(public_server):
    url = public_server.ows("property") + ITEMS + "/1.json"
    head = requests.head(url, timeout=60)
    get = requests.get(url, timeout=60)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"] == "application/geo+json"


@pytest.mark.parametrize(
    "path",
    ["/wfs3/nosuch", "/wfs3/collections/property_land_parcel/nosuch", "/wfs3/../wfs3x", "/anything", "/wfs3/api/extra"],
)
def test_unknown_ogc_api_path_is_404_not_the_landing_page(public_server, path):
    response = requests.get(public_server.ows("property") + path, timeout=60)
    message = exception_text(response, 404)
    assert "links" not in response.text and "Not found" in message


def test_a_7500_character_item_id_is_refused_before_any_work(public_server):
    response = requests.get(public_server.ows("property") + ITEMS + "/" + "1" * 7500, timeout=60)
    assert "Not found" in exception_text(response, 404)
    assert answered_by_nginx(response)  # QGIS Server never scanned the table for it


def test_missing_item_is_404(public_server):
    response = requests.get(public_server.ows("property") + ITEMS + "/987654321.json", timeout=60)
    assert "Not found" in exception_text(response, 404)


def test_ogc_api_limit_above_the_cap_is_refused(public_server):
    response = requests.get(public_server.ows("property") + ITEMS + ".json?limit=1000000", timeout=60)
    assert response.status_code == 400, response.text[:300]
