"""The requests the benchmark sends, the same for every server.

Tiles are 256x256 EPSG:3857 GetMap requests of the ``city`` map at random
places of the city across zoom levels 13-18 (one seed, so every run and
every server gets the same list); full maps are the whole city at
1024x768. Both servers answer the same WMS parameters.
"""

from __future__ import annotations

import math
import random
from urllib.parse import urlencode

from pyproj import Transformer

from zhytomyr_gis.publishing import catalog, download_cache

WEB_MERCATOR_HALF = 20037508.342789244
ZOOMS = tuple(range(13, 19))
PROJECT = "city"  # the overview map: parcels, buildings, streets, addresses...
PARCELS = "property_land_parcel"


# The small demo town: 800 m around the centre (zhytomyr_gis.demo.generator),
# where every dataset size has parcels and buildings.
CENTRE = (311371.6, 5569271.9)
CENTRE_RADIUS = 800.0


def city_extent_3857() -> tuple[float, float, float, float]:
    return _to_3857(catalog.CITY_EXTENT)


def centre_extent_3857() -> tuple[float, float, float, float]:
    """The square the small town fills (inscribed in its 800 m circle)."""
    half = CENTRE_RADIUS / 2**0.5
    x, y = CENTRE
    return _to_3857((x - half, y - half, x + half, y + half))


def _to_3857(extent_9836: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    to_3857 = Transformer.from_crs("EPSG:9836", "EPSG:3857", always_xy=True)
    xmin, ymin, xmax, ymax = extent_9836
    xs, ys = to_3857.transform([xmin, xmin, xmax, xmax], [ymin, ymax, ymin, ymax])
    return min(xs), min(ys), max(xs), max(ys)


def tile_bbox(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """EPSG:3857 bounds of XYZ tile (z, x, y), y counted from the top."""
    size = 2 * WEB_MERCATOR_HALF / 2**z
    xmin = -WEB_MERCATOR_HALF + x * size
    ymax = WEB_MERCATOR_HALF - y * size
    return xmin, ymax - size, xmin + size, ymax


def random_tiles(count: int, seed: int = 9836, extent_3857=None) -> list[tuple[int, int, int]]:
    """``count`` XYZ tiles inside the city (or ``extent_3857``), zoom levels spread evenly over ZOOMS."""
    rng = random.Random(seed)
    xmin, ymin, xmax, ymax = extent_3857 or city_extent_3857()
    tiles = []
    for n in range(count):
        z = ZOOMS[n % len(ZOOMS)]
        size = 2 * WEB_MERCATOR_HALF / 2**z
        px, py = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        tiles.append((z, math.floor((px + WEB_MERCATOR_HALF) / size), math.floor((WEB_MERCATOR_HALF - py) / size)))
    rng.shuffle(tiles)
    return tiles


def getmap(
    base: str, bbox: tuple[float, float, float, float], width: int, height: int, fmt: str, layers: str = PROJECT
) -> str:
    params = {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetMap",
        "LAYERS": layers,
        "STYLES": "",
        "CRS": "EPSG:3857",
        "BBOX": ",".join(f"{v:.2f}" for v in bbox),
        "WIDTH": width,
        "HEIGHT": height,
        "FORMAT": fmt,
        "TRANSPARENT": "TRUE",
    }
    return f"{base}?{urlencode(params)}"


def tile_urls(base: str, tiles: list[tuple[int, int, int]], fmt: str = "image/png") -> list[str]:
    return [getmap(base, tile_bbox(*t), 256, 256, fmt) for t in tiles]


def full_map_url(base: str, fmt: str = "image/png", layers: str = PROJECT) -> str:
    xmin, ymin, xmax, ymax = city_extent_3857()
    # Widen the shorter side to the 4:3 of the image (no distortion).
    cx, cy, w, h = (xmin + xmax) / 2, (ymin + ymax) / 2, xmax - xmin, ymax - ymin
    if w / h < 4 / 3:
        w = h * 4 / 3
    else:
        h = w * 3 / 4
    return getmap(base, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 1024, 768, fmt, layers)


def wfs_parcels_qgis(base: str, cached: bool = False) -> str:
    """All parcels as GeoJSON from QGIS Server; ``cached``: exactly the whole-layer
    request the download cache answers (zhytomyr_gis/publishing/download_cache.py),
    else the same parameters in another order, which the cache passes to QGIS Server."""
    if cached:
        return f"{base}?{download_cache.whole_layer(PARCELS)}"
    params = {
        "SERVICE": "WFS",
        "VERSION": "1.1.0",
        "REQUEST": "GetFeature",
        "OUTPUTFORMAT": "application/json",  # GeoJSON is WGS 84 whatever SRSNAME says
        "TYPENAME": PARCELS,
    }
    return f"{base}?{urlencode(params)}"


def wfs_parcels_mapserver(base: str) -> str:
    params = {
        "SERVICE": "WFS",
        "VERSION": "1.1.0",
        "REQUEST": "GetFeature",
        "TYPENAME": PARCELS,
        "OUTPUTFORMAT": "geojson",
        "SRSNAME": "EPSG:4326",
    }
    return f"{base}?{urlencode(params)}"


def ogcapi_pages_qgis(base: str, total: int, pages: int, limit: int = 100, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{base}/wfs3/collections/{PARCELS}/items.json?limit={limit}&offset={rng.randrange(max(1, total - limit))}"
        for _ in range(pages)
    ]


def ogcapi_pages_mapserver(base: str, total: int, pages: int, limit: int = 100, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{base}/ogcapi/collections/{PARCELS}/items?f=json&limit={limit}&offset={rng.randrange(max(1, total - limit))}"
        for _ in range(pages)
    ]


def postgis_geojson_sql(columns: list[str], transform: bool = True) -> str:
    """The GeoJSON of all parcels built by PostGIS itself: the floor of any WFS.

    The same document QGIS Server's WFS writes: WGS 84 (GeoJSON's CRS), 6
    decimals, every published column as a property (``columns``, without
    the geometry). With ``transform=False``, the coordinates as stored
    (EPSG:9836, 2 decimals): what is left without reprojecting.
    """
    cols = ", ".join(f't."{c}"' for c in columns)
    geom, decimals = ("ST_Transform(t.geom, 4326)", 6) if transform else ("t.geom", 2)
    return (
        'SELECT \'{"type": "FeatureCollection", "features": [\' || string_agg(ST_AsGeoJSON(s.*, \'geom\', '
        f"{decimals}), ',') || ']}}' FROM (SELECT {cols}, {geom} AS geom FROM published.{PARCELS} t) s"
    )
