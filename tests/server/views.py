"""Map views the server tests ask for, around the centre of the test city."""

from __future__ import annotations

from conftest import CENTRE, ROOT

ARTEFACTS = ROOT / ".run" / "test-artifacts" / "server"

SIZE = 512
# EPSG:9836 (x = easting, y = northing): 1.4 km around the centre.
HALF = 700.0
E0, N0, E1, N1 = CENTRE[0] - HALF, CENTRE[1] - HALF, CENTRE[0] + HALF, CENTRE[1] + HALF
BBOX_9836_WMS13 = f"{N0},{E0},{N1},{E1}"  # WMS 1.3.0: the CRS's axis order, northing first
BBOX_9836_WMS11 = f"{E0},{N0},{E1},{N1}"  # WMS 1.1.1: always x, y
# EPSG:3857 around the same centre (3190171.7, 6490450.5): about 1.3 km on the ground.
BBOX_3857 = "3189171.7,6489450.5,3191171.7,6491450.5"


def pixel_of(dx: float, dy: float) -> tuple[int, int]:
    """Image column and row of a point (dx, dy metres from the centre) in the EPSG:9836 view."""
    return round((dx + HALF) / (2 * HALF) * SIZE), round((HALF - dy) / (2 * HALF) * SIZE)


def getmap(project_id: str, crs: str, version: str = "1.3.0", layers: str | None = None) -> dict[str, str]:
    bbox = BBOX_3857 if crs == "EPSG:3857" else (BBOX_9836_WMS13 if version == "1.3.0" else BBOX_9836_WMS11)
    return {
        "SERVICE": "WMS",
        "VERSION": version,
        "REQUEST": "GetMap",
        "LAYERS": layers or project_id,
        "STYLES": "",
        ("CRS" if version == "1.3.0" else "SRS"): crs,
        "BBOX": bbox,
        "WIDTH": str(SIZE),
        "HEIGHT": str(SIZE),
        "FORMAT": "image/png",
        "TRANSPARENT": "false",
    }


def getfeatureinfo(layer: str, dx: float, dy: float, info_format: str) -> dict[str, str]:
    i, j = pixel_of(dx, dy)
    return {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetFeatureInfo",
        "LAYERS": layer,
        "QUERY_LAYERS": layer,
        "STYLES": "",
        "CRS": "EPSG:9836",
        "BBOX": BBOX_9836_WMS13,
        "WIDTH": str(SIZE),
        "HEIGHT": str(SIZE),
        "I": str(i),
        "J": str(j),
        "INFO_FORMAT": info_format,
        "FEATURE_COUNT": "10",
        "FI_POINT_TOLERANCE": "8",
        "FI_LINE_TOLERANCE": "6",
    }
