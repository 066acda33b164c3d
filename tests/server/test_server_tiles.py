"""The tile cache of the embedded maps (MapProxy behind the same nginx).

Tiles are drawn by QGIS Server once and then served from the cache; an
approval has the cached tiles of the changed area drawn again in place
(the listener on ``zhytomyr_gis_published``) before anyone asks, while
tiles elsewhere stay cached. Unapproved changes never reach a tile.
"""

from __future__ import annotations

import math
import time

import psycopg2
import pytest
from conftest import CENTRE
from factories import approve
from pyproj import Transformer

from zhytomyr_gis.publishing import catalog, tile_invalidation, tiles

from . import images

TABLE = "property.land_parcel"
PROJECT = "property"
ZOOM = 17
PARCEL_INDEX = 5  # seed.py: 100 m square at (-360, 160) from the centre, lease status "private" (grey)
PARCEL_CENTRE = (-310, 210)
FAR_AWAY = (0, 2000)  # the line between the two districts, 2 km north: another metatile
# Approval to the changed tile: the listener has it drawn again within its deadline (qgis_server/README.md).
TILE_FRESHNESS_S = tile_invalidation.REFRESH_DEADLINE_S + 1
FREE_GREEN = (0x33, 0xA0, 0x2C)  # catalog.LEASE_COLOURS["free"]

_to_3857 = Transformer.from_crs("EPSG:9836", "EPSG:3857", always_xy=True)


def tile_at(dx: float, dy: float, z: int = ZOOM) -> tuple[int, int, int, int, int]:
    """XYZ tile (z, x, y) holding the point (dx, dy) from the centre, and the pixel of the point in it."""
    x, y = _to_3857.transform(CENTRE[0] + dx, CENTRE[1] + dy)
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**z
    fx, fy = (x + tiles.WEB_MERCATOR_HALF) / span, (tiles.WEB_MERCATOR_HALF - y) / span
    col, row = math.floor(fx), math.floor(fy)
    return z, col, row, int((fx - col) * 256), int((fy - row) * 256)


def is_free_green(rgba: tuple[int, int, int, int]) -> bool:
    """The parcel's fill is the "free" colour (drawn at 60 % opacity: rounding moves channels a little)."""
    return is_colour(rgba, FREE_GREEN)


def is_colour(rgba: tuple[int, int, int, int], rgb: tuple[int, int, int]) -> bool:
    return rgba[3] > 0 and all(abs(a - b) <= 4 for a, b in zip(rgba[:3], rgb, strict=True))


def fetch(server, z: int, x: int, y: int, cache_status: str | None = None) -> bytes:
    """The tile's bytes; ``cache_status`` HIT: sent from the cache's file, MISS: drawn on this request."""
    import requests  # noqa: PLC0415

    response = requests.get(f"{server.base_url}/tiles/wmts/{PROJECT}/webmercator/{z}/{x}/{y}.png", timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if cache_status is not None:
        assert response.headers.get("X-Cache-Status") == cache_status
    return response.content


def cached_file(server, z: int, x: int, y: int):
    return server.run_dir / "tiles" / "cache" / PROJECT / str(z) / str(x) / f"{y}.png"


def _connect(server, user: str):
    conn = psycopg2.connect(server.dsn(user))
    conn.autocommit = True
    return conn


def _change_lease_status(editor, record_id: int, lease_status: str) -> None:
    with editor.cursor() as cur:
        cur.execute(f"SELECT version FROM {TABLE} WHERE id = %s", (record_id,))
        version = cur.fetchone()[0]
        cur.execute(
            f"UPDATE {TABLE} SET lease_status = %s, version = %s WHERE id = %s", (lease_status, version + 1, record_id)
        )


@pytest.fixture(scope="module")
def parcel(public_server):
    """The parcel the test changes; published again as it was afterwards (other tests compare maps)."""
    record_id = public_server.seeded.ids[TABLE][PARCEL_INDEX]
    editor = _connect(public_server, "t_property_editor")
    verifier = _connect(public_server, "t_property_verifier")
    with editor.cursor() as cur:
        cur.execute(f"SELECT lease_status FROM {TABLE} WHERE id = %s", (record_id,))
        original = cur.fetchone()[0]
    try:
        yield record_id, editor, verifier
    finally:
        with editor.cursor() as cur:
            cur.execute(f"SELECT lease_status, status FROM {TABLE} WHERE id = %s", (record_id,))
            now, status = cur.fetchone()
        if now != original or status != "verified":
            if status == "submitted":
                with editor.cursor() as cur:
                    cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [record_id]))
            _change_lease_status(editor, record_id, original)
            with editor.cursor() as cur:
                cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
            with verifier.cursor() as cur:
                approve(verifier, TABLE, [record_id])
        editor.close()
        verifier.close()


def test_tiles_are_cached_and_an_approval_refreshes_only_the_changed_area(public_server, parcel):
    record_id, editor, verifier = parcel
    z, x, y, px, py = tile_at(*PARCEL_CENTRE)
    far = tile_at(*FAR_AWAY)[:3]

    # First requests draw the tiles through QGIS Server and store them.
    before = fetch(public_server, z, x, y)
    far_before = fetch(public_server, *far)
    assert images.non_blank_share(before) > 0.05
    # Stored and sent as 8-bit PNG with a palette and its transparency (tiles.TILE_IMAGE).
    assert 0 < images.palette_size(before) <= tiles.TILE_COLOURS
    assert cached_file(public_server, z, x, y).exists() and cached_file(public_server, *far).exists()
    far_stamp = cached_file(public_server, *far).stat().st_mtime_ns
    assert not is_free_green(images.pixel(before, px, py))

    # An unapproved change (a draft, then submitted) never reaches the tile,
    # nor removes it (a removed tile would be drawn again, alike, by the next request).
    stamp = cached_file(public_server, z, x, y).stat().st_mtime_ns
    _change_lease_status(editor, record_id, "free")
    assert fetch(public_server, z, x, y) == before
    with editor.cursor() as cur:
        cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
    time.sleep(0.5)  # time enough for a (wrong) invalidation to show
    assert cached_file(public_server, z, x, y).stat().st_mtime_ns == stamp
    assert fetch(public_server, z, x, y) == before
    # A tile drawn now, for the first time, shows the published parcel, not the change.
    fresh = tile_at(*PARCEL_CENTRE, z=ZOOM + 1)
    assert not cached_file(public_server, *fresh[:3]).exists()
    assert not is_free_green(images.pixel(fetch(public_server, *fresh[:3]), *fresh[3:]))

    # The approval: the cached tile of the parcel is drawn again.
    approve(verifier, TABLE, [record_id])
    approved_at = time.monotonic()
    while True:
        now = fetch(public_server, z, x, y)
        elapsed = time.monotonic() - approved_at
        if now != before or elapsed > 10:
            break
        time.sleep(0.05)
    print(f"\ntile freshness (approval to the new tile): {elapsed:.3f} s")
    assert is_free_green(images.pixel(now, px, py))
    assert elapsed < TILE_FRESHNESS_S
    # ... and served from the cache again afterwards.
    assert cached_file(public_server, z, x, y).exists()
    assert fetch(public_server, z, x, y) == now

    # Tiles elsewhere were not touched.
    assert cached_file(public_server, *far).stat().st_mtime_ns == far_stamp
    assert fetch(public_server, *far) == far_before


def test_an_approved_change_is_drawn_again_before_a_visitor_asks(public_server, parcel):
    record_id, editor, verifier = parcel
    z, x, y, px, py = tile_at(*PARCEL_CENTRE)
    leased = tuple(int(catalog.LEASE_COLOURS["leased"][i : i + 2], 16) for i in (1, 3, 5))
    fetch(public_server, z, x, y)
    before = fetch(public_server, z, x, y, cache_status="HIT")
    assert not is_colour(images.pixel(before, px, py), leased)
    stamp = cached_file(public_server, z, x, y).stat().st_mtime_ns

    with editor.cursor() as cur:
        cur.execute(f"SELECT status FROM {TABLE} WHERE id = %s", (record_id,))
        assert cur.fetchone()[0] == "verified"
    _change_lease_status(editor, record_id, "leased")
    with editor.cursor() as cur:
        cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
    approve(verifier, TABLE, [record_id])

    # Nobody asks for the tile: the listener has MapProxy draw it again.
    path, approved_at = cached_file(public_server, z, x, y), time.monotonic()

    def cached_shows_the_change() -> bool:
        try:
            return is_colour(images.pixel(path.read_bytes(), px, py), leased)
        except (FileNotFoundError, OSError):
            return False

    while not cached_shows_the_change() and time.monotonic() - approved_at < 10:
        time.sleep(0.05)
    print(f"\napproval to the tile drawn again: {time.monotonic() - approved_at:.3f} s")
    assert cached_shows_the_change(), "the tile was not drawn again with the approved change"
    assert path.stat().st_mtime_ns != stamp
    assert is_colour(images.pixel(fetch(public_server, z, x, y, cache_status="HIT"), px, py), leased)


def test_wmts_capabilities_list_every_project(public_server):
    from owslib.wmts import WebMapTileService  # noqa: PLC0415

    wmts = WebMapTileService(f"{public_server.base_url}/tiles/wmts/1.0.0/WMTSCapabilities.xml")
    assert set(wmts.contents) == {p.id for p in catalog.PROJECTS}
    assert "webmercator" in wmts.tilematrixsets
    tile = wmts.gettile(layer="city", tilematrixset="webmercator", tilematrix="15", row=11073, column=18993)
    assert tile.read().startswith(b"\x89PNG")
