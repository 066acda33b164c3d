"""The tile cache of the embedded maps: MapProxy configuration and tile paths.

One MapProxy layer per published project: the map as the geoportal opens
it (the project's layers shown at start over the city's base layers, see
``catalog.start_view``), drawn by QGIS Server (its WMS at ``/ows/<id>``,
and ``/ows/city`` for the base layers) and cached as 256x256 8-bit PNG tiles in
the web mercator grid,
served under ``/tiles`` as WMTS (KVP and RESTful); the RESTful address
``/tiles/wmts/<id>/webmercator/{z}/{x}/{y}.png`` is also the XYZ address
that web maps use (the grid's origin is the north-west corner). For screens
of high pixel density (phones) a second grid, ``webmercator_2x``, has the
same tiles at twice the pixels: 512x512 drawn by QGIS Server at twice the
DPI, so lines and labels keep their size and stay sharp
(``/tiles/wmts/<id>/webmercator_2x/{z}/{x}/{y}.png``, the ``@2x`` tiles of
web maps, with tile z/x/y numbered as in the 256 px grid). The configuration is
written as JSON (which MapProxy reads as YAML) from ``catalog``, so the
cache knows the same projects and layers as the server.

The cache stores tiles in MapProxy's ``tms`` directory layout,
``<cache>/<id>/<z>/<x>/<y>.png`` (``<cache>/<id>@2x/...`` for the
high-density grid) in the grid's own numbering (rows from the top, as
XYZ), which the invalidation (``tile_invalidation``) uses to remove the
tiles of a changed area. Pure Python: no Qt, no MapProxy import.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import catalog

WEB_MERCATOR_HALF = 20037508.342789244
GRID = "webmercator"
HIDPI_GRID = "webmercator_2x"
HIDPI_SUFFIX = "@2x"  # cache folder of a map's high-density tiles: <id>@2x
LEVELS = 21  # zoom 0..20
TILE_SIZE = 256
HIDPI_RATIO = 2
# QGIS Server draws with the OGC standard pixel (0.28 mm, about 90.7 DPI;
# OGC 06-042 WMS 1.3.0, 7.2.4.6.9) unless given DPI; the 512 px tiles are drawn at
# twice that, so a symbol or a label covers the same ground as in a 256 px tile.
HIDPI_DPI = round(HIDPI_RATIO * 25.4 / 0.28)
META_SIZE = 4  # tiles a side of a metatile (one QGIS request draws 4x4 tiles)
META_BUFFER = 128  # pixels drawn around a metatile, so labels are not cut at its edges
# Upper bound of one QGIS Server request made by MapProxy: a tile being
# drawn when a change is approved is finished (or abandoned) within it.
SOURCE_TIMEOUT_S = 30
TILE_FORMAT = "image/png"
# Cached tiles are 8-bit PNG with a palette of 256 colours and alpha (MapProxy's
# own default, "image.paletted"; Pillow's fast octree, which keeps transparency).
# QGIS Server draws 32-bit tiles with thousands of colours, nearly all of them
# anti-aliasing shades. Measured on every map of the city dataset at zooms 12,
# 14 and 16 (768 px, composed over white): 99 % of pixels within 13 of 255 per
# channel, 99.9 % within 27, at most 0.56 % more than 16 off (the zoning plan,
# the most colourful), no fill changed to the eye; the tiles are 3-8 times
# smaller: what a phone on a slow network waits for (bench/README.md).
TILE_COLOURS = 256
TILE_IMAGE = {"transparent": True, "colors": TILE_COLOURS, "encoding_options": {"quantizer": "fastoctree"}}


def city_bbox_3857() -> tuple[float, float, float, float]:
    from pyproj import Transformer  # noqa: PLC0415 - only config writing and invalidation need PROJ

    to_3857 = Transformer.from_crs("EPSG:9836", "EPSG:3857", always_xy=True)
    xmin, ymin, xmax, ymax = catalog.CITY_EXTENT
    xs, ys = to_3857.transform([xmin, xmin, xmax, xmax], [ymin, ymax, ymin, ymax])
    return min(xs), min(ys), max(xs), max(ys)


def projects_showing(published_table: str) -> list[str]:
    """Ids of the projects whose cached tiles draw ``published_table``."""
    return [
        p.id
        for p in catalog.PROJECTS
        if any(layer.published_table == published_table for layer in catalog.start_view(p))
    ]


def cache_folders(project_id: str) -> list[str]:
    """The cache folders of a map's tiles: the 256 px grid's and the high-density grid's."""
    return [project_id, project_id + HIDPI_SUFFIX]


def _wms_source(
    upstream: str, project_id: str, layers: list[catalog.Layer], coverage: dict, dpi: int | None = None
) -> dict:
    request = {
        "url": f"{upstream.rstrip('/')}/ows/{project_id}",
        # WMS draws the last name on top; the declaration lists the top layer first.
        "layers": ",".join(layer.name for layer in reversed(layers)),
        "transparent": True,
    }
    if dpi:
        request["dpi"] = dpi  # MapProxy passes further keys on as WMS parameters
    return {
        "type": "wms",
        "req": request,
        "wms_opts": {"version": "1.3.0"},
        "supported_srs": ["EPSG:3857"],
        "coverage": coverage,
        "http": {"client_timeout": SOURCE_TIMEOUT_S},
    }


def mapproxy_config(upstream: str, cache_dir: Path, lock_dir: Path) -> dict:
    """MapProxy's configuration: WMTS + XYZ (TMS with a north-west origin) of every project.

    ``upstream`` is the address at which MapProxy reaches QGIS Server
    (the local nginx), e.g. ``http://127.0.0.1:8080``.
    """
    coverage = {"bbox": [round(v, 2) for v in city_bbox_3857()], "srs": "EPSG:3857"}
    layers, caches, sources = [], {}, {}
    for spec in catalog.PROJECTS:
        # MapProxy lays its sources bottom first: the city's base layers, then the project's.
        own = [layer for layer in spec.layers if layer.shown_at_start]
        base = list(catalog.base_layers_under(spec))
        layers.append(
            {
                "name": spec.id,
                "title": f"{spec.title_uk} / {spec.title_en}",
                "md": {"abstract": f"{spec.abstract_uk}\n\n{spec.abstract_en}"},
                "sources": [f"{spec.id}_cache"],
                # WMTS/XYZ offer both grids; WMS requests keep to the 256 px cache.
                "tile_sources": [f"{spec.id}_cache", f"{spec.id}_2x_cache"],
            }
        )
        for suffix, grid, dpi, meta_buffer in (
            ("", GRID, None, META_BUFFER),
            ("_2x", HIDPI_GRID, HIDPI_DPI, 2 * META_BUFFER),
        ):
            cache_sources = [f"{spec.id}{suffix}_wms"]
            sources[f"{spec.id}{suffix}_wms"] = _wms_source(upstream, spec.id, own, coverage, dpi)
            if base:
                cache_sources.insert(0, f"{spec.id}_base{suffix}_wms")
                sources[f"{spec.id}_base{suffix}_wms"] = _wms_source(
                    upstream, catalog.BASE_MAP_PROJECT, base, coverage, dpi
                )
            folder = cache_folders(spec.id)[1 if suffix else 0]
            caches[f"{spec.id}{suffix}_cache"] = {
                "grids": [grid],
                "sources": cache_sources,
                "format": TILE_FORMAT,
                "image": TILE_IMAGE,
                "meta_size": [META_SIZE, META_SIZE],
                "meta_buffer": meta_buffer,
                "cache": {"type": "file", "directory_layout": "tms", "directory": str(cache_dir / folder)},
            }
    return {
        "services": {
            "wmts": {
                "restful": True,
                "restful_template": "/{Layer}/{TileMatrixSet}/{TileMatrix}/{TileCol}/{TileRow}.{Format}",
                "kvp": True,
                "md": {
                    "title": "Житомир: тайли карт / Zhytomyr map tiles",
                    "abstract": catalog.ACCESS_CONSTRAINTS,
                    "access_constraints": catalog.ACCESS_CONSTRAINTS,
                    "fees": catalog.FEES,
                    "contact": {
                        "organization": catalog.CONTACT["organization"],
                        "email": catalog.CONTACT["mail"],
                    },
                },
            },
        },
        "layers": layers,
        "caches": caches,
        "sources": sources,
        "grids": {
            GRID: {"base": "GLOBAL_WEBMERCATOR", "num_levels": LEVELS},
            # The same tiles (bounds and z/x/y) at twice the pixels: half the resolution.
            HIDPI_GRID: {
                "base": "GLOBAL_WEBMERCATOR",
                "num_levels": LEVELS,
                "tile_size": [TILE_SIZE * HIDPI_RATIO, TILE_SIZE * HIDPI_RATIO],
            },
        },
        "globals": {
            "cache": {
                "base_dir": str(cache_dir),
                "lock_dir": str(lock_dir / "meta"),
                "tile_lock_dir": str(lock_dir / "tile"),
            },
            # Each cache says how its tiles are encoded (TILE_IMAGE); nothing else is re-encoded.
            "image": {"paletted": False},
        },
    }


def write_config(path: Path, upstream: str, cache_dir: Path, lock_dir: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(mapproxy_config(upstream, cache_dir, lock_dir), ensure_ascii=False, indent=1) + "\n")
    return path


# ------------------------------------------------------------- tile ranges
@dataclass(frozen=True)
class TileRange:
    """Tiles of one zoom level: columns x0..x1 and rows y0..y1 (inclusive, rows from the top)."""

    z: int
    x0: int
    x1: int
    y0: int
    y1: int


def resolution(z: int) -> float:
    """Metres per pixel of zoom level ``z``."""
    return 2 * WEB_MERCATOR_HALF / (TILE_SIZE * 2**z)


def tile_ranges(bbox_3857: tuple[float, float, float, float], margin_px: int = META_BUFFER) -> Iterator[TileRange]:
    """The tiles of every level that a change inside ``bbox_3857`` can alter.

    The box grows by ``margin_px`` pixels of each level: symbols and labels
    of a feature reach beyond its geometry.
    """
    xmin, ymin, xmax, ymax = bbox_3857
    for z in range(LEVELS):
        res = resolution(z)
        pad = margin_px * res
        span = TILE_SIZE * res
        last = 2**z - 1

        def clamp(n: int) -> int:
            return min(last, max(0, n))  # noqa: B023

        yield TileRange(
            z,
            clamp(math.floor((xmin - pad + WEB_MERCATOR_HALF) / span)),
            clamp(math.floor((xmax + pad + WEB_MERCATOR_HALF) / span)),
            clamp(math.floor((WEB_MERCATOR_HALF - (ymax + pad)) / span)),
            clamp(math.floor((WEB_MERCATOR_HALF - (ymin - pad)) / span)),
        )
