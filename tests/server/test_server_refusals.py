"""What the public services refuse: writes, other projects, abuse.

Every refusal is an OGC exception (or an OGC API error document) with a
4xx status, never a 500, an HTML error page or a stack trace.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from .views import getmap

TRACEBACK_SIGNS = ("Traceback", 'File "/', "Internal Server Error", "Segmentation", "psycopg2", "PGRES", "ERROR:  ")

DELETE_PARCEL = """<wfs:Transaction service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"
    xmlns:ogc="http://www.opengis.net/ogc"><wfs:Delete typeName="property_land_parcel">
    <ogc:Filter><ogc:FeatureId fid="property_land_parcel.1"/></ogc:Filter></wfs:Delete></wfs:Transaction>"""
INSERT_PARCEL = """<wfs:Transaction service="WFS" version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs"
    xmlns:qgs="http://www.qgis.org/gml"><wfs:Insert><qgs:property_land_parcel>
    <qgs:cadastral_number>1810100000:01:001:9999</qgs:cadastral_number></qgs:property_land_parcel></wfs:Insert>
    </wfs:Transaction>"""


def assert_ogc_exception(response: requests.Response, status: set[int] | None = None) -> ET.Element:
    # 501 is what OGC services answer for OperationNotSupported; any other 5xx is a failure.
    assert response.status_code < 500 or (
        response.status_code == 501 and b"OperationNotSupported" in response.content
    ), (response.status_code, response.text[:500])
    if status:
        assert response.status_code in status, (response.status_code, response.text[:500])
    for sign in TRACEBACK_SIGNS:
        assert sign not in response.text, response.text[:1000]
    root = ET.fromstring(response.content)
    assert root.tag.endswith("ServiceExceptionReport") or root.tag.endswith("ExceptionReport"), response.text[:300]
    return root


def _published_parcel_count(server) -> int:
    return len(
        server.get(
            "property",
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
            OUTPUTFORMAT="application/vnd.geo+json",
        ).json()["features"]
    )


@pytest.mark.parametrize("body", [DELETE_PARCEL, INSERT_PARCEL], ids=["delete", "insert"])
def test_wfs_t_transaction_refused_and_nothing_changes(public_server, body):
    before = _published_parcel_count(public_server)
    response = requests.post(
        public_server.ows("property") + "?SERVICE=WFS",
        data=body.encode(),
        headers={"Content-Type": "text/xml"},
        timeout=60,
    )
    root = assert_ogc_exception(response, {403})
    assert "read-only" in ET.tostring(root, encoding="unicode")
    response = public_server.get("property", SERVICE="WFS", VERSION="1.1.0", REQUEST="Transaction")
    assert_ogc_exception(response, {403})
    assert _published_parcel_count(public_server) == before


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_ogc_api_writes_refused(public_server, method):
    url = public_server.ows("property") + "/wfs3/collections/property_land_parcel/items"
    if method != "POST":
        url += "/1"
    response = requests.request(method, url, json={"type": "Feature", "properties": {}, "geometry": None}, timeout=60)
    assert response.status_code in {403, 405}
    assert_ogc_exception(response)
    assert public_server.get("property", "/wfs3/collections/property_land_parcel/items/1.json").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["MAP=/etc/passwd", "map=../projects/city.qgs", "%4DAP=/etc/passwd", "Map=%2Fetc%2Fpasswd"],
)
def test_map_parameter_refused(public_server, query):
    response = requests.get(f"{public_server.ows('city')}?SERVICE=WMS&REQUEST=GetCapabilities&{query}", timeout=60)
    assert "MAP parameter" in ET.tostring(assert_ogc_exception(response, {403}), encoding="unicode")


def test_map_parameter_in_a_post_body_refused(public_server):
    """nginx cannot see a POST body: the server plugin refuses it."""
    response = requests.post(
        public_server.ows("city"),
        data={"SERVICE": "WMS", "REQUEST": "GetCapabilities", "MAP": "/etc/passwd"},
        timeout=60,
    )
    assert "MAP parameter" in ET.tostring(assert_ogc_exception(response, {403}), encoding="unicode")


def test_oversized_map_refused(public_server):
    params = getmap("city", "EPSG:3857")
    params["WIDTH"] = "100000"
    response = public_server.get("city", **params)
    root = assert_ogc_exception(response, {400})
    assert "too large" in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    "params",
    [
        {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap"},
        {**getmap("city", "EPSG:3857"), "BBOX": "a,b,c,d"},
        {**getmap("city", "EPSG:3857"), "CRS": "EPSG:999999"},
        {**getmap("city", "EPSG:3857"), "LAYERS": "no_such_layer"},
        {**getmap("city", "EPSG:3857"), "WIDTH": "-5"},
        {**getmap("city", "EPSG:3857"), "FORMAT": "image/x-evil"},
        {"SERVICE": "WMS", "REQUEST": "NoSuchRequest"},
        {"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": "workflow_register"},
        {
            "SERVICE": "WFS",
            "VERSION": "1.1.0",
            "REQUEST": "GetFeature",
            "TYPENAME": "property_land_parcel",
            "FILTER": "<ogc:Filter><unclosed",
        },
    ],
    ids=[
        "no-params",
        "bad-bbox",
        "bad-crs",
        "unknown-layer",
        "negative-width",
        "bad-format",
        "bad-request",
        "non-public-layer",
        "malformed-filter",
    ],
)
def test_malformed_requests_get_ogc_exceptions(public_server, params):
    assert_ogc_exception(public_server.get("city" if params["SERVICE"] == "WMS" else "property", **params))


INJECTIONS = [
    "1810100000:01:001:0001' OR '1'='1",
    "x'; DROP TABLE published.property_land_parcel; --",
    "x' UNION SELECT user_person_name FROM property.land_parcel --",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_in_filters_finds_nothing_and_breaks_nothing(public_server, value):
    literal = value.replace("&", "&amp;").replace("<", "&lt;")
    ogc_filter = (
        '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo>'
        f"<ogc:PropertyName>cadastral_number</ogc:PropertyName><ogc:Literal>{literal}</ogc:Literal>"
        "</ogc:PropertyIsEqualTo></ogc:Filter>"
    )
    response = public_server.get(
        "property",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="property_land_parcel",
        OUTPUTFORMAT="application/vnd.geo+json",
        FILTER=ogc_filter,
    )
    assert response.status_code == 200 and response.json()["features"] == []
    # An expression filter is the client's own expression: whatever it says,
    # it selects among published rows only and reaches no other table.
    exp = public_server.get(
        "property",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="property_land_parcel",
        OUTPUTFORMAT="application/vnd.geo+json",
        EXP_FILTER=f"cadastral_number = '{value}'",
    )
    assert exp.status_code < 500 and "Петренко" not in exp.text
    if exp.status_code == 200:
        assert len(exp.json()["features"]) <= 12
    api = public_server.get("property", "/wfs3/collections/property_land_parcel/items.json", cadastral_number=value)
    assert api.status_code < 500 and len(api.json().get("features", [])) <= 12 and "Петренко" not in api.text
    assert _published_parcel_count(public_server) == 12


def test_personal_columns_cannot_be_asked_for(public_server):
    response = public_server.get(
        "property",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="property_land_parcel",
        PROPERTYNAME="user_person_name",
        OUTPUTFORMAT="application/vnd.geo+json",
    )
    assert response.status_code < 500 and "Петренко" not in response.text
