"""Attack 5: MAP in %-escaped spellings; expressions that read the server's environment.

nginx refuses MAP before QGIS Server sees the request, in every spelling
QGIS Server would decode to MAP (the answer comes from nginx, not from
QGIS Server). Expressions of the public (EXP_FILTER, OGC filters' functions)
that call env(), var(), eval(), file or layer functions or read @variables
are refused with a 400 before they are evaluated: no yes/no oracle.
"""

from __future__ import annotations

import pytest
import requests
from server.answers import answered_by_nginx, exception_text

SPELLINGS = ["MAP", "map", "m%61p", "%6dap", "ma%70", "%6D%41%50", "M%41P", "%4d%61%70"]


def _get_as_spelled(url: str) -> requests.Response:
    """GET ``url`` byte for byte (requests would decode %61 to "a" before sending)."""
    prepared = requests.Request("GET", url).prepare()
    prepared.url = url
    with requests.Session() as session:
        return session.send(prepared, timeout=60)


@pytest.mark.parametrize("name", SPELLINGS)
def test_map_in_any_spelling_is_refused_by_nginx(public_server, name):
    url = f"{public_server.ows('city')}?SERVICE=WMS&REQUEST=GetCapabilities&{name}=/etc/passwd"
    response = _get_as_spelled(url)
    assert response.request.url.endswith(f"&{name}=/etc/passwd")
    assert "MAP parameter" in exception_text(response, 403)
    assert answered_by_nginx(response)


def _wfs(server, **params) -> requests.Response:
    return server.get(
        "property",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="property_land_parcel",
        OUTPUTFORMAT="application/vnd.geo+json",
        **params,
    )


READING_EXPRESSIONS = {
    "env": "env('PGPASSFILE') IS NOT NULL",
    "env missing": "env('NO_SUCH_VARIABLE') IS NOT NULL",
    "var": "var('project_path') LIKE '%qgs'",
    "variable": "@project_path LIKE '/%'",
    "eval": "eval('env(''HOME'')') IS NOT NULL",
    "file": "file_exists('/etc/passwd')",
    "layer source": "layer_property('property_land_parcel', 'source') LIKE '%service%'",
    "aggregate": "aggregate('property_land_parcel', 'count', \"id\") > 0",
    "nested in safe": "upper(coalesce(env('HOME'), 'x')) = 'X'",
}


@pytest.mark.parametrize("name", READING_EXPRESSIONS)
def test_exp_filter_reading_the_server_is_refused(public_server, name):
    message = exception_text(_wfs(public_server, EXP_FILTER=READING_EXPRESSIONS[name]), 400)
    assert "may not read the server's environment" in message, message


def test_refusal_is_no_oracle(public_server):
    """An existing and a missing environment variable get the same answer."""
    present = _wfs(public_server, EXP_FILTER="env('PGPASSFILE') IS NOT NULL")
    missing = _wfs(public_server, EXP_FILTER="env('NO_SUCH_VARIABLE') IS NOT NULL")
    assert present.status_code == missing.status_code == 400
    assert present.content == missing.content


def test_ogc_filter_function_reading_the_environment_is_refused(public_server):
    ogc_filter = (
        '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo>'
        '<ogc:Function name="env"><ogc:Literal>PGPASSFILE</ogc:Literal></ogc:Function>'
        "<ogc:Literal>x</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
    )
    assert "calls env()" in exception_text(_wfs(public_server, FILTER=ogc_filter), 400)


def test_plain_expressions_still_filter(public_server):
    response = _wfs(
        public_server, EXP_FILTER='upper("cadastral_number") LIKE \'1810100000:01:001:000%\' AND "area_ha" > 0.5'
    )
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["features"]) == 9  # parcels 0001-0009 of the seeded 12


def _getmap_filtered(server, wms_filter: str) -> requests.Response:
    from server.views import getmap  # noqa: PLC0415

    return server.get(
        "property", **{**getmap("property", "EPSG:3857", layers="property_land_parcel"), "FILTER": wms_filter}
    )


@pytest.mark.parametrize(
    "wms_filter",
    [
        "property_land_parcel:\"cadastral_number\" = env('HOME')",
        'property_land_parcel:"cadastral_number" = @project_path',
        '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo><ogc:Function name="var">'
        "<ogc:Literal>project_path</ogc:Literal></ogc:Function><ogc:Literal>x</ogc:Literal>"
        "</ogc:PropertyIsEqualTo></ogc:Filter>",
    ],
    ids=["env", "variable", "ogc-function"],
)
def test_wms_filter_reading_the_server_is_refused(public_server, wms_filter):
    response = _getmap_filtered(public_server, wms_filter)
    assert 400 <= response.status_code < 500 and not response.headers["Content-Type"].startswith("image/")
