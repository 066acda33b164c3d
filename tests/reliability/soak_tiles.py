"""The tiles the soak's visitors ask for: 3x3 around the soak's centre on levels 14-17, in five maps.
Shared by the Locust file (which asks for them) and the test (which fills the cache with them first)."""

from __future__ import annotations

import math

HALF = 20037508.342789244
TILE_PROJECTS = ("city", "property", "energy", "budget", "advertising")
LEVELS = (14, 15, 16, 17)


def soak_tiles(centre_x: float, centre_y: float) -> list[tuple[int, int, int]]:
    """(z, x, y) of the tiles around the centre (EPSG:3857), rows from the top."""
    found = []
    for z in LEVELS:
        span = 2 * HALF / 2**z
        col, row = math.floor((centre_x + HALF) / span), math.floor((HALF - centre_y) / span)
        found += [(z, col + dx, row + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return found
