"""The public server's request rules as plain functions (no server): refusals,
limits, the escaped feature info and the public OpenAPI document."""

from __future__ import annotations

import pytest

from zhytomyr_gis.publishing import access, feature_info, limits, openapi

GETMAP = {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "BBOX": "1,2,3,4", "LAYERS": "city"}
GETFEATURE = {"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": "property_land_parcel"}


def refused(check, *args, **kwargs) -> access.Refusal:
    with pytest.raises(access.Refusal) as caught:
        check(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    "params, words",
    [
        ({**GETMAP, "SLD": "file:///etc/hostname"}, "SLD"),
        ({**GETMAP, "sld": "http://127.0.0.1:9/x.sld"}, "SLD"),
        ({**GETMAP, "LAYERS": "EXTERNAL_WMS:ext"}, "LAYERS"),
        ({**GETMAP, "ext:url": "http://127.0.0.1:9/wms"}, "EXT:URL"),
        ({**GETMAP, "SLD_BODY": '<sld><OnlineResource xlink:href="file:///etc/passwd"/></sld>'}, "SLD_BODY"),
        ({**GETMAP, "SLD_BODY": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'}, "SLD_BODY"),
    ],
)
def test_requests_naming_something_to_fetch_are_refused(params, words):
    refusal = refused(access.check_request, params)
    assert refusal.status == 403 and words in refusal.message and "read nothing" in refusal.message


def test_refusal_does_not_depend_on_the_address():
    messages = {
        refused(access.check_request, {**GETMAP, "SLD": f"file://{p}"}).message for p in ("/etc/hostname", "/x")
    }
    assert len(messages) == 1


def test_a_body_with_an_external_reference_is_refused_but_namespaces_are_not():
    body = b'<GetMap xmlns="http://www.opengis.net/sld"><x xlink:href="http://h/"/></GetMap>'
    assert refused(access.check_request, {}, "", "POST", body).status == 403
    access.check_request({}, "", "POST", b'<GetCapabilities xmlns="http://www.opengis.net/wfs" service="WFS"/>')


@pytest.mark.parametrize(
    "functions, variables",
    [
        ({"env": ("General",)}, ()),
        ({"upper": ("String",), "var": ("General",)}, ()),
        ({"file_exists": ("Files and Paths",)}, ()),
        ({"overlay_intersects": ("GeometryGroup",)}, ()),
        ({"exif_geotag": ("GeometryGroup",)}, ()),
        ({"aggregate": ("Aggregates",)}, ()),
        ({"no_such_function": ()}, ()),
        ({}, ("project_path",)),
    ],
)
def test_expressions_reading_the_server_are_refused(functions, variables):
    refusal = refused(access.check_expression, functions, variables, "EXP_FILTER")
    assert refusal.status == 400 and "EXP_FILTER" in refusal.message


def test_expressions_computing_with_values_pass():
    access.check_expression(
        {"upper": ("String",), "coalesce": ("Conditionals",), "$area": ("GeometryGroup",), "$id": ("Record",)},
        (),
        "EXP_FILTER",
    )


def test_functions_of_an_ogc_filter_are_found():
    text = "<Filter><ogc:Function name=\"env\"><Literal>X</Literal></ogc:Function><Function name='upper'/></Filter>"
    assert access.ogc_filter_functions(text) == ["env", "upper"]


@pytest.mark.parametrize(
    "params, status, parameter",
    [
        ({**GETMAP, "BBOX": ""}, 400, "BBOX"),
        ({k: v for k, v in GETMAP.items() if k != "BBOX"}, 400, "BBOX"),
        ({**GETMAP, "BBOX": "1,2,3"}, 400, "BBOX"),
        ({**GETMAP, "BBOX": "1,2,inf,4"}, 400, "BBOX"),
        ({**GETMAP, "DPI": "601"}, 400, "DPI"),
        ({**GETMAP, "FORMAT_OPTIONS": "dpi:100000"}, 400, "dpi"),
        ({**GETMAP, "VERSION": ""}, 400, "VERSION"),
        ({"SERVICE": "garbage", "REQUEST": "GetCapabilities"}, 400, "SERVICE"),
        ({"SERVICE": "WMS", "REQUEST": ""}, 400, "REQUEST"),
        ({"SERVICE": "WFS", "REQUEST": "GetMap"}, 400, "REQUEST"),
        ({**GETFEATURE, "STARTINDEX": "-5"}, 400, "STARTINDEX"),
        ({**GETFEATURE, "MAXFEATURES": "0"}, 400, "MAXFEATURES"),
        (
            {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetLegendGraphic", "WIDTH": "-1", "SYMBOLWIDTH": "1e9"},
            400,
            "WIDTH",
        ),
        ({"SERVICE": "WMS", "REQUEST": "GetLegendGraphic", "SYMBOLHEIGHT": "nan"}, 400, "SYMBOLHEIGHT"),
        ({"SERVICE": "WMS", "REQUEST": "GetLegendGraphic", "RULE": "x"}, 400, "WIDTH"),
    ],
)
def test_malformed_requests_are_400_naming_the_parameter(params, status, parameter):
    refusal = refused(limits.check_request, params)
    assert refusal.status == status and parameter in refusal.message


def test_wfs_feature_cap_and_feature_info_cap():
    capped = limits.Limits(wfs_max_features=100, feature_info_max_features=5)
    assert limits.check_request(GETFEATURE, limits=capped) == {"MAXFEATURES": "100"}
    assert limits.check_request({**GETFEATURE, "MAXFEATURES": "1000000"}, limits=capped) == {"MAXFEATURES": "100"}
    assert limits.check_request({**GETFEATURE, "MAXFEATURES": "7"}, limits=capped) == {}
    gfi = {**GETMAP, "REQUEST": "GetFeatureInfo", "FEATURE_COUNT": "500"}
    assert limits.check_request(gfi, limits=capped) == {"FEATURE_COUNT": "5"}


def test_getcapabilities_negotiates_any_version_and_ogc_api_is_left_to_nginx_and_the_api():
    assert limits.check_request({"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "9.9"}) == {}
    assert limits.check_request({"limit": "5"}, "/ows/city/wfs3/collections") == {}
    assert limits.check_request({}, "/catalog/index.json") == {}
    assert refused(limits.check_request, {}, "/ows/city").status == 400


def test_limits_are_settings():
    assert limits.Limits.from_environ({"ZGIS_WFS_MAX_FEATURES": "250", "ZGIS_MAX_DPI": "300"}) == limits.Limits(
        wfs_max_features=250, max_dpi=300
    )
    with pytest.raises(ValueError, match="ZGIS_WFS_MAX_FEATURES"):
        limits.Limits.from_environ({"ZGIS_WFS_MAX_FEATURES": "many"})
    with pytest.raises(ValueError, match="at least 1"):
        limits.Limits.from_environ({"ZGIS_MAX_DPI": "0"})


def test_post_bodies_must_be_requests():
    assert refused(limits.check_post_body, b"<<<").status == 400
    assert refused(limits.check_post_body, b"<Nonsense/>").status == 400
    limits.check_post_body(b'<GetFeature xmlns="http://www.opengis.net/wfs" service="WFS"/>')


def test_legend_rule_must_name_an_entry():
    limits.check_legend_rule("беклайт", ["тумба", "беклайт"])
    assert "беклайт" in refused(limits.check_legend_rule, "x", ["тумба", "беклайт"]).message
    limits.check_legend_rule("x", None)  # an unknown layer is QGIS Server's to answer


def test_feature_info_html_escapes_every_value():
    xml = (
        b'<GetFeatureInfoResponse><Layer name="investment_site"><Feature id="7">'
        b'<Attribute name="&lt;b&gt;Name" value="&lt;img src=x onerror=alert(1)&gt;"/></Feature></Layer>'
        b"</GetFeatureInfoResponse>"
    )
    html = feature_info.html_from_xml(xml).decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "&lt;b&gt;Name" in html and "investment_site" in html
    with pytest.raises(ValueError):
        feature_info.html_from_xml(b"<ServiceExceptionReport/>")


def test_openapi_document_keeps_reads_only_and_the_cap():
    doc = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "http://h/ows/city/wfs3/"}],
        "components": {"parameters": {"limit": {"name": "limit", "in": "query", "schema": {"maximum": 10000}}}},
        "paths": {
            "/wfs3/collections/a/items/{featureId}": {
                "get": {"operationId": "getFeature", "responses": {"200": {"description": "ok"}}},
                "put": {"operationId": "getFeaturePUT", "responses": {"200": {"description": "ok"}}},
                "delete": {"operationId": "getFeatureDELETE", "responses": {"200": {"description": "ok"}}},
            },
            "/wfs3/collections/b/items/{featureId}": {
                "get": {"operationId": "getFeature", "responses": {"200": {"description": "ok"}}},
            },
        },
    }
    public = openapi.public_document(doc, max_limit=1000)
    assert public["servers"] == [{"url": "http://h/ows/city"}]
    assert public["components"]["parameters"]["limit"]["schema"]["maximum"] == 1000
    items = public["paths"]["/wfs3/collections/a/items/{featureId}"]
    assert set(items) == {"get"}
    assert {"$ref": "#/components/parameters/featureId"} in items["get"]["parameters"]
    ids = [item["get"]["operationId"] for item in public["paths"].values()]
    assert len(set(ids)) == 2
    assert doc["paths"]["/wfs3/collections/a/items/{featureId}"].get("put")  # the input is left as it was
