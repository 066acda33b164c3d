"""WFS 1.1.0 of every published project: capabilities, GML and GeoJSON."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from owslib.wfs import WebFeatureService

from zhytomyr_gis.publishing import catalog
from zhytomyr_gis.publishing.access import public_attributes

from .conftest import PROJECT_IDS
from .seed import rows

NS = {"gml": "http://www.opengis.net/gml", "qgs": "http://www.qgis.org/gml", "wfs": "http://www.opengis.net/wfs"}


def _expected_count(table: str) -> int:
    return {"ref.address": 5, "ref.city_boundary": 1}.get(table) or len(rows()[table])


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_capabilities_list_every_layer_with_urls_with_port(public_server, project_id):
    spec = catalog.project(project_id)
    wfs = WebFeatureService(public_server.ows(project_id), version="1.1.0", timeout=60)
    served = (*spec.layers, *spec.tables)  # non-spatial tables too (permits, consumption)
    assert set(wfs.contents) == {layer.name for layer in served}
    for layer in served:
        assert wfs[layer.name].title == f"{layer.register.title_uk} / {layer.register.title_en}"
    url = wfs.getOperationByName("GetFeature").methods[0]["url"]
    assert url.startswith(public_server.ows(project_id)), url


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_getfeature_geojson_has_every_published_record_and_public_attributes_only(public_server, project_id):
    for layer in catalog.project(project_id).layers:
        response = public_server.get(
            project_id,
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME=layer.name,
            OUTPUTFORMAT="application/vnd.geo+json",
        )
        assert response.status_code == 200, response.text[:300]
        features = response.json()["features"]
        assert len(features) == _expected_count(layer.table), layer.name
        allowed = set(public_attributes(layer.published_table))
        for feature in features:
            assert set(feature["properties"]) <= allowed, set(feature["properties"]) - allowed
            assert feature["geometry"]["type"] in {"Point", "MultiPolygon", "MultiLineString"}
            # GeoJSON is in WGS 84, around Zhytomyr, with 6 decimals (about 10 cm).
            first = feature["geometry"]["coordinates"]
            while isinstance(first[0], list):
                first = first[0]
            assert 28.6 < first[0] < 28.72 and 50.2 < first[1] < 50.3
            assert all(len(repr(v).split(".")[-1]) <= 6 for v in first)


def test_getfeature_gml_in_the_city_crs_northing_first(public_server):
    response = public_server.get(
        "property",
        SERVICE="WFS",
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="property_land_parcel",
        MAXFEATURES="3",
    )
    assert response.status_code == 200
    doc = ET.fromstring(response.content)
    members = doc.findall("gml:featureMember", NS)
    assert len(members) == 3
    parcel = members[0].find("qgs:property_land_parcel", NS)
    assert parcel.find("qgs:cadastral_number", NS).text.startswith("1810100000:01:001:")
    assert parcel.find("qgs:user_person_name", NS) is None
    pos = [float(v) for v in doc.find(".//gml:posList", NS).text.split()]
    northing, easting = pos[0], pos[1]
    assert 5_560_000 < northing < 5_580_000 and 300_000 < easting < 323_000
    # 2 decimals (centimetres) in the city's metric CRS.
    assert all(len(v.split(".")[-1]) <= 2 for v in doc.find(".//gml:posList", NS).text.split())


def test_describe_feature_type_lists_public_fields_only(public_server):
    response = public_server.get(
        "property", SERVICE="WFS", VERSION="1.1.0", REQUEST="DescribeFeatureType", TYPENAME="property_land_parcel"
    )
    names = {e.get("name") for e in ET.fromstring(response.content).iter("{http://www.w3.org/2001/XMLSchema}element")}
    assert "cadastral_number" in names and "published_at" in names
    assert not names & {"user_person_name", "user_person_rnokpp", "status", "created_by", "updated_by"}


def test_non_spatial_tables_are_wfs_only_and_public_only(public_server):
    """Permits and consumption are offered as WFS/OGC API tables, never as WMS layers, without personal columns."""
    for spec in catalog.PROJECTS:
        if not spec.tables:
            continue
        capabilities = public_server.get(spec.id, SERVICE="WMS", VERSION="1.3.0", REQUEST="GetCapabilities").text
        for table in spec.tables:
            assert f"<Name>{table.name}</Name>" not in capabilities, table.name
            response = public_server.get(
                spec.id,
                SERVICE="WFS",
                VERSION="1.1.0",
                REQUEST="GetFeature",
                TYPENAME=table.name,
                OUTPUTFORMAT="application/vnd.geo+json",
            )
            assert response.status_code == 200
            personal = {f.name for f in table.register.fields if f.personal}
            for feature in response.json()["features"]:
                assert feature["geometry"] is None
                assert not personal & set(feature["properties"]), table.name
