"""The OpenAPI document of OGC API Features: valid OpenAPI 3.0, and true.

Validated with openapi-spec-validator; its statements are checked against
what the server does: reads only, the page size it caps at, a server
address under which the paths exist, the collections it serves.
"""

from __future__ import annotations

import pytest
import requests
from openapi_spec_validator import OpenAPIV30SpecValidator

from zhytomyr_gis.publishing import catalog

from .conftest import PROJECT_IDS

API_MAX_LIMIT = 1000  # QGIS_SERVER_API_WFS3_MAX_LIMIT in qgis_server/qgis-server.env.in


def _document(server, project_id: str) -> dict:
    response = server.get(project_id, "/wfs3/api.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_document_is_valid_openapi(public_server, project_id):
    errors = [str(e)[:300] for e in OpenAPIV30SpecValidator(_document(public_server, project_id)).iter_errors()]
    assert errors == []


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_document_tells_the_truth(public_server, project_id):
    doc = _document(public_server, project_id)
    methods = {m for item in doc["paths"].values() for m in item if m not in ("parameters", "summary", "description")}
    assert methods == {"get"}  # writes are refused, so none is advertised
    operation_ids = [op["operationId"] for item in doc["paths"].values() for m, op in item.items() if m == "get"]
    assert len(operation_ids) == len(set(operation_ids))
    limit = doc["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == API_MAX_LIMIT
    spec = catalog.project(project_id)
    served = {layer.name for layer in (*spec.layers, *spec.tables)}
    assert {p.split("/")[3] for p in doc["paths"] if p.startswith("/wfs3/collections/")} == served
    # The paths exist under the server address the document names...
    base = doc["servers"][0]["url"]
    assert base == public_server.ows(project_id)
    for path in ("/wfs3/collections", f"/wfs3/collections/{sorted(served)[0]}/items"):
        assert path in doc["paths"]
        assert requests.get(base + path + ".json", timeout=60).status_code == 200
    # ...and what the document says of a limit above the cap is what the server does.
    over = requests.get(f"{base}/wfs3/collections/{sorted(served)[0]}/items.json?limit={API_MAX_LIMIT + 1}", timeout=60)
    assert over.status_code == 400
    # Collections are described by their id, as they are served.
    assert doc["components"]["schemas"]["collectionInfo"]["required"] == ["id", "links"]
    assert "trs" not in str(doc["components"]["schemas"]["extent"]["properties"]["temporal"]["properties"]["interval"])
