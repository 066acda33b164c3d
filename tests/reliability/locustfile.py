"""The public load of the soak (tests/reliability/test_soak.py), run by Locust
from .venv-reliability: the requests of the geoportal and of GIS clients in
a mix — cached tiles, raw GetMap, GetFeatureInfo, WFS, OGC API Features.

Every answer is checked: the status, the content type, and that no text
answer holds the canary (``ZGIS_SOAK_CANARY``), a value that only
unapproved changes carry. A failed check counts as a failure in Locust's
statistics, which the test reads. Tiles are counted apart by how nginx
served them (its ``X-Cache-Status``): from the cache's file, or drawn
through MapProxy because the tile was missing (first asked for, or removed
by an approval and not yet drawn again).

Environment: ZGIS_SOAK_CENTRE_3857 ("x,y"), ZGIS_SOAK_CANARY.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task
from soak_tiles import TILE_PROJECTS, soak_tiles  # next to this file (Locust puts its folder on the path)

CENTRE_X, CENTRE_Y = (float(v) for v in os.environ["ZGIS_SOAK_CENTRE_3857"].split(","))
CANARY = os.environ["ZGIS_SOAK_CANARY"].encode()
MAP_PROJECTS = ("city", "property", "energy", "budget", "advertising", "investment", "zoning")
FEATURES = {  # project: layer (WFS type name and OGC API collection)
    "property": "property_land_parcel",
    "energy": "energy_building",
    "budget": "budget_project",
    "advertising": "advertising_structure",
}
TILES = soak_tiles(CENTRE_X, CENTRE_Y)
TILE_HIT, TILE_DRAWN = "tile (cache hit)", "tile (drawn on request)"


class PublicVisitor(HttpUser):
    wait_time = between(0.05, 0.4)

    def _check(self, response, content_type: str) -> None:
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")
        elif not response.headers.get("Content-Type", "").startswith(content_type):
            response.failure(f"content type {response.headers.get('Content-Type')}")
        elif not content_type.startswith("image/") and CANARY in response.content:
            response.failure("an unapproved value (the canary) in the answer")

    def _get(self, url: str, name: str, content_type: str, **params) -> None:
        with self.client.get(url, params=params or None, name=name, catch_response=True) as response:
            self._check(response, content_type)

    @task(8)
    def cached_tile(self) -> None:
        z, x, y = random.choice(TILES)
        project = random.choice(TILE_PROJECTS)
        url = f"/tiles/wmts/{project}/webmercator/{z}/{x}/{y}.png"
        with self.client.get(url, name=TILE_HIT, catch_response=True) as response:
            if response.headers.get("X-Cache-Status") != "HIT":
                response.request_meta["name"] = TILE_DRAWN
            self._check(response, "image/png")

    @task(3)
    def getmap(self) -> None:
        half = random.choice((300, 700, 1500))
        x, y = CENTRE_X + random.uniform(-800, 800), CENTRE_Y + random.uniform(-800, 800)
        project = random.choice(MAP_PROJECTS)
        self._get(
            f"/ows/{project}", "GetMap", "image/png",
            SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS=project, STYLES="", CRS="EPSG:3857",
            BBOX=f"{x - half},{y - half},{x + half},{y + half}", WIDTH="512", HEIGHT="512", FORMAT="image/png",
        )  # fmt: skip

    @task(3)
    def getfeatureinfo(self) -> None:
        project, layer = random.choice(list(FEATURES.items()))
        x, y = CENTRE_X + random.uniform(-900, 900), CENTRE_Y + random.uniform(-900, 900)
        self._get(
            f"/ows/{project}", "GetFeatureInfo", "application/json",
            SERVICE="WMS", VERSION="1.3.0", REQUEST="GetFeatureInfo", LAYERS=layer, QUERY_LAYERS=layer, STYLES="",
            CRS="EPSG:3857", BBOX=f"{x - 300},{y - 300},{x + 300},{y + 300}", WIDTH="256", HEIGHT="256",
            I="128", J="128", INFO_FORMAT="application/json", FEATURE_COUNT="10",
        )  # fmt: skip

    @task(2)
    def wfs(self) -> None:
        project, layer = random.choice(list(FEATURES.items()))
        self._get(
            f"/ows/{project}", "WFS GetFeature", "application/vnd.geo+json",
            SERVICE="WFS", VERSION="1.1.0", REQUEST="GetFeature", TYPENAME=layer,
            OUTPUTFORMAT="application/vnd.geo+json",
        )  # fmt: skip

    @task(2)
    def ogc_api(self) -> None:
        project, layer = random.choice(list(FEATURES.items()))
        self._get(f"/ows/{project}/wfs3/collections/{layer}/items.json", "OGC API items", "application/geo+json",
                  limit="50")  # fmt: skip
