"""WMS 1.3.0 and 1.1.1 of every published project, read as clients do."""

from __future__ import annotations

from pathlib import Path

import pytest
from owslib.wms import WebMapService

from zhytomyr_gis.publishing import catalog, png_encoding
from zhytomyr_gis.publishing.access import public_attributes

from . import images
from .conftest import PROJECT_IDS
from .seed import PROBES
from .views import ARTEFACTS, SIZE, getfeatureinfo, getmap, pixel_of

PERSONAL_VALUES = ("Петренко", "Іваненко")


@pytest.mark.parametrize("project_id", PROJECT_IDS)
@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_capabilities_list_layers_crs_extent_and_urls_with_port(public_server, project_id, version):
    spec = catalog.project(project_id)
    wms = WebMapService(public_server.ows(project_id), version=version, timeout=60)
    assert wms.identification.title == f"{spec.title_uk} / {spec.title_en}"
    assert "Житомирська міська рада" in wms.provider.contact.organization
    assert "CC BY 4.0" in wms.identification.accessconstraints
    assert "Житомир" in wms.identification.keywords
    for layer in spec.layers:
        content = wms[layer.name]
        assert content.title == f"{layer.register.title_uk} / {layer.register.title_en}"
        assert layer.abstract_uk in content.abstract
        assert {"EPSG:9836", "EPSG:3857", "EPSG:4326", "EPSG:5561"} <= {
            c[4] if isinstance(c, tuple) else c for c in content.crsOptions
        }
        lon0, lat0, lon1, lat1 = content.boundingBoxWGS84[:4]
        assert 28.4 < lon0 <= lon1 < 28.9 and 50.1 < lat0 <= lat1 < 50.4, (layer.name, content.boundingBoxWGS84)
    for operation in ("GetMap", "GetFeatureInfo", "GetLegendGraphic" if version == "1.3.0" else "GetMap"):
        url = wms.getOperationByName(operation).methods[0]["url"]
        assert url.startswith(public_server.ows(project_id)), url
    image = wms.getmap(
        layers=[project_id],
        styles=[""],
        srs="EPSG:3857",
        bbox=(3189171.7, 6489450.5, 3191171.7, 6491450.5),
        size=(256, 256),
        format="image/png",
    )
    assert images.non_blank_share(image.read()) > 0


@pytest.mark.parametrize("project_id", PROJECT_IDS)
@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:9836"])
def test_getmap_matches_reference(public_server, project_id, crs):
    response = public_server.get(project_id, **getmap(project_id, crs))
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=10"
    assert images.non_blank_share(response.content) > 0.002
    images.compare(f"getmap_{project_id}_{crs.replace(':', '')}", response.content, ARTEFACTS)


def test_workers_preload_jemalloc_and_the_png_encoder_defaults(public_server):
    """LD_PRELOAD of qgis_server/qgis-server.env.in reaches every worker (as the systemd units read it)."""
    pids = public_server.worker_pids()
    assert len(pids) == 2, pids
    for pid in pids:
        mapped = Path(f"/proc/{pid}/maps").read_text()
        assert "libjemalloc.so.2" in mapped, f"worker {pid} runs without jemalloc"
        assert "libzgis-pngdefaults.so" in mapped, f"worker {pid} runs without the PNG encoder defaults"


def test_maps_are_written_with_the_png_encoder_defaults(public_server):
    """Unfiltered rows at zlib level 1, transparent and opaque maps alike
    (the pixels are checked against the references above)."""
    for transparent in ("true", "false"):
        params = {**getmap("city", "EPSG:3857"), "TRANSPARENT": transparent}
        response = public_server.get("city", **params)
        assert response.status_code == 200, response.text[:500]
        written = png_encoding.read(response.content)
        assert (written.width, written.bit_depth) == (SIZE, 8)
        assert written.row_filters == {0}, written
        assert written.zlib_level_class == 0, written


def test_axis_order_of_epsg_9836_in_wms_1_3_0_and_1_1_1(public_server):
    """1.3.0 takes the BBOX northing first, 1.1.1 easting first: both draw the same map."""
    v13 = public_server.get("energy", **getmap("energy", "EPSG:9836", "1.3.0")).content
    v11 = public_server.get("energy", **getmap("energy", "EPSG:9836", "1.1.1")).content
    assert images.load(v13).tolist() == images.load(v11).tolist()
    # The class A building (green in the energy legend) is where it lies.
    r, g, b, _ = images.pixel(v13, *pixel_of(*PROBES["energy.building"]))
    assert g > r + 60 and g > b + 40, (r, g, b)


def queried_layer(project_id: str) -> catalog.Layer:
    """The project's first layer drawn at the scale of the test view (about 1:10 000)."""
    return next(x for x in catalog.project(project_id).layers if not x.min_scale or x.min_scale > 10000)


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_getfeatureinfo_returns_published_attributes_only(public_server, project_id):
    layer = queried_layer(project_id)
    params = getfeatureinfo(layer.name, *PROBES[layer.table], "application/json")
    response = public_server.get(project_id, **params)
    assert response.status_code == 200, response.text[:500]
    features = response.json()["features"]
    assert features, f"no feature of {layer.name} at {params['I']},{params['J']}"
    labels = {f.label_uk for f in layer.register.public_fields} | {"Опубліковано", "Версія"}
    for feature in features:
        assert set(feature["properties"]) <= labels, set(feature["properties"]) - labels
    assert set(public_attributes(layer.published_table)) >= {f.name for f in layer.register.public_fields}


def test_getfeatureinfo_html_in_ukrainian_with_classifier_labels(public_server):
    layer = catalog.PARCELS
    params = getfeatureinfo(layer.name, *PROBES[layer.table], "text/html")
    html = public_server.get("property", **params).text
    assert "Кадастровий номер" in html and "1810100000:01:001:0001" in html
    assert "використовується балансоутримувачем" in html  # own_use, shown by its label
    for value in PERSONAL_VALUES:
        assert value not in html


def test_personal_data_never_in_feature_info(public_server):
    """Parcel 2 and building 2 have private persons as users in the working tables."""
    for project_id, table, offset, public_value in (
        ("property", "property.land_parcel", (120, 0), "1810100000:01:001:0002"),
        ("property", "property.property_object", (120, 0), "10310002"),
    ):
        layer = next(x for x in catalog.project(project_id).layers if x.table == table)
        dx, dy = PROBES[table]
        for fmt in ("text/html", "application/json", "text/xml", "application/vnd.ogc.gml"):
            text = public_server.get(project_id, **getfeatureinfo(layer.name, dx + offset[0], dy, fmt)).text
            assert public_value in text, (table, fmt)  # the answer is about record 2 itself
            for value in PERSONAL_VALUES:
                assert value not in text, (table, fmt)


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_legend_graphic(public_server, project_id):
    layer = catalog.project(project_id).layers[0]
    response = public_server.get(
        project_id,
        SERVICE="WMS",
        VERSION="1.3.0",
        REQUEST="GetLegendGraphic",
        LAYER=layer.name,
        FORMAT="image/png",
        SLD_VERSION="1.1.0",
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png", response.text[:300]
    rows, cols = images.load(response.content).shape[:2]
    assert rows >= 20 and cols > 50
    assert images.non_blank_share(response.content) > 0.02
