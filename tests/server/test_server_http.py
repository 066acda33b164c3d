"""HTTP behaviour for embedding: CORS, caching headers, and QGIS Server's landing page."""

from __future__ import annotations

import requests

from zhytomyr_gis.publishing import catalog


def test_cors_preflight_for_embedding(public_server):
    response = requests.options(
        public_server.ows("city"),
        headers={"Origin": "https://zt-rada.gov.ua", "Access-Control-Request-Method": "GET"},
        timeout=30,
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_documents_are_revalidated(public_server):
    response = public_server.get("city", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetCapabilities")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_landing_page_lists_every_project(public_server):
    response = requests.get(f"{public_server.base_url}/catalog/index.json", timeout=60)
    assert response.status_code == 200
    projects = response.json()["projects"]
    titles = {p["title"] for p in projects}
    assert titles == {f"{p.title_uk} / {p.title_en}" for p in catalog.PROJECTS}
    for project in projects:
        assert "EPSG:9836" in str(project)  # the CRS list of the design, city CRS included


def test_unknown_project_is_not_found(public_server):
    response = requests.get(f"{public_server.base_url}/ows/secret?SERVICE=WMS&REQUEST=GetCapabilities", timeout=30)
    assert response.status_code == 404
