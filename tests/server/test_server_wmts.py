"""WMTS of every published project: the whole map and each layer as tiles."""

from __future__ import annotations

import pytest
from owslib.wmts import WebMapTileService

from zhytomyr_gis.publishing import catalog

from . import images
from .conftest import PROJECT_IDS

# Web Mercator tile at zoom 14 with the centre of the test city.
ZOOM, COL, ROW = 14, 9496, 5538


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_capabilities_and_a_tile(public_server, project_id):
    wmts = WebMapTileService(public_server.ows(project_id), version="1.0.0")
    spec = catalog.project(project_id)
    assert project_id in wmts.contents
    assert {layer.name for layer in spec.layers} <= set(wmts.contents)
    assert "EPSG:3857" in wmts.tilematrixsets
    tile = wmts.gettile(
        layer=project_id, tilematrixset="EPSG:3857", tilematrix=str(ZOOM), row=ROW, column=COL, format="image/png"
    )
    data = tile.read()
    assert images.load(data).shape[:2] == (256, 256)
    assert images.non_blank_share(data) > 0.002, "the tile with the city centre is blank"


def test_gettile_kvp_headers_fit_for_embedding(public_server):
    response = public_server.get(
        "city",
        SERVICE="WMTS",
        VERSION="1.0.0",
        REQUEST="GetTile",
        LAYER="city",
        STYLE="default",
        TILEMATRIXSET="EPSG:3857",
        TILEMATRIX=str(ZOOM),
        TILEROW=str(ROW),
        TILECOL=str(COL),
        FORMAT="image/png",
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=10"
