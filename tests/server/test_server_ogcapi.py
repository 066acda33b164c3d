"""OGC API Features at /ows/<id>/wfs3: collections and paged items.

QGIS Server 3.22 names item properties by their aliases and gives
classifier values by their labels (the project's form settings): the
public sees Ukrainian names and labels here, codes in WFS.
"""

from __future__ import annotations

import pytest
import requests

from zhytomyr_gis.publishing import catalog
from zhytomyr_gis.registers import register

from .conftest import PROJECT_IDS

PUBLICATION_LABELS = {"Опубліковано", "Версія"}


def public_labels(table: str) -> set[str]:
    return {f.label_uk for f in register(table).public_fields} | PUBLICATION_LABELS


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_collections_are_the_project_layers(public_server, project_id):
    response = public_server.get(project_id, "/wfs3/collections.json")
    assert response.status_code == 200
    collections = {c["id"]: c for c in response.json()["collections"]}
    spec = catalog.project(project_id)
    served = (*spec.layers, *spec.tables)  # non-spatial tables too (permits, consumption)
    assert set(collections) == {layer.name for layer in served}
    for layer in served:
        assert collections[layer.name]["title"].startswith(layer.register.title_uk)
        for link in collections[layer.name]["links"]:
            assert link["href"].startswith(public_server.ows(project_id)), link


def test_items_are_paged_and_public_only(public_server):
    seen: list[int] = []
    url = public_server.ows("property") + "/wfs3/collections/property_land_parcel/items.json?limit=5"
    pages = 0
    while url:
        page = requests.get(url, timeout=60).json()
        pages += 1
        assert page["numberMatched"] == 12
        for feature in page["features"]:
            seen.append(feature["properties"]["Ідентифікатор"])
            assert set(feature["properties"]) <= public_labels("property.land_parcel")
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        assert pages < 10
    assert pages == 3 and len(seen) == 12 and len(set(seen)) == 12


def test_single_item_and_html(public_server):
    item = public_server.get("budget", "/wfs3/collections/budget_project/items/1.json").json()
    assert item["properties"]["Назва проєкту"] == "Капітальний ремонт ліцею № 1"
    assert item["properties"]["Стан"] == "заплановано"  # project_status 'planned', by its label
    html = public_server.get("budget", "/wfs3/collections/budget_project/items.html")
    assert html.status_code == 200 and "text/html" in html.headers["Content-Type"]
