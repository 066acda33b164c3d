"""The tile cache's arithmetic and its invalidation, without a server."""

from __future__ import annotations

import http.server
import socketserver
import threading
import time

from zhytomyr_gis.publishing import catalog, tile_invalidation, tiles


def _touch(root, project: str, z: int, x: int, y: int):
    path = root / project / str(z) / str(x) / f"{y}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"png")
    return path


def test_tile_ranges_cover_the_changed_area_with_a_margin_on_every_level():
    # One web mercator tile of level 10 (x 599, y 350 from the top).
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**10
    xmin = -tiles.WEB_MERCATOR_HALF + 599 * span
    ymax = tiles.WEB_MERCATOR_HALF - 350 * span
    inner = (xmin + span * 0.4, ymax - span * 0.6, xmin + span * 0.6, ymax - span * 0.4)
    ranges = {r.z: r for r in tiles.tile_ranges(inner)}
    assert sorted(ranges) == list(range(tiles.LEVELS))
    # Level 10: pixels 102-154 of the tile, and 128 px around them reach the neighbours.
    assert ranges[10] == tiles.TileRange(10, 598, 600, 349, 351)
    # Level 12: pixels 410-614 of the 4x4 tiles, 282-742 with the margin: the middle two.
    assert ranges[12] == tiles.TileRange(12, 2397, 2398, 1401, 1402)
    # Level 16: 4096-6554 px in 16384, a margin of 128 px is half a tile.
    assert ranges[16] == tiles.TileRange(16, 599 * 64 + 25, 599 * 64 + 38, 350 * 64 + 25, 350 * 64 + 38)
    assert ranges[0] == tiles.TileRange(0, 0, 0, 0, 0)


def test_removal_takes_the_tiles_of_the_area_and_keeps_the_rest(tmp_path):
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**16
    x, y = 37984, 22153
    xmin = -tiles.WEB_MERCATOR_HALF + x * span
    ymax = tiles.WEB_MERCATOR_HALF - y * span
    changed = _touch(tmp_path, "property", 16, x, y)
    neighbour = _touch(tmp_path, "property", 16, x - 1, y)  # west, within the 128 px margin
    far = _touch(tmp_path, "property", 16, x + 10, y)
    other_project = _touch(tmp_path, "budget", 16, x, y)
    removed = tile_invalidation.remove_tiles(tmp_path, "property", (xmin + 10, ymax - 20, xmin + 20, ymax - 10))
    assert removed == 2
    assert not changed.exists() and not neighbour.exists()
    assert far.exists() and other_project.exists()
    assert tile_invalidation.remove_tiles(tmp_path, "property", None) == 1
    assert not far.exists() and other_project.exists()


def test_an_approval_reaches_the_projects_that_draw_the_table(tmp_path):
    parcels = "published.property_land_parcel"
    assert tiles.projects_showing(parcels) == ["city", "property"]
    x, y = 311371.6, 5569271.9  # the city centre in EPSG:9836
    invalidator = tile_invalidation.Invalidator(tmp_path, repeat_after_s=0)
    # The tile of level 18 under the city centre, in every project.
    (cx, cy) = tile_invalidation.bbox_to_3857([x, y, x, y], 9836)[:2]
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**18
    col, row = int((cx + tiles.WEB_MERCATOR_HALF) // span), int((tiles.WEB_MERCATOR_HALF - cy) // span)
    paths = {p.id: _touch(tmp_path, p.id, 18, col, row) for p in catalog.PROJECTS}
    invalidator.apply(tile_invalidation.Approval(7, parcels, 1, (x - 1, y - 1, x + 1, y + 1)))
    assert {pid for pid, path in paths.items() if not path.exists()} == {"city", "property"}
    assert invalidator.position == 7, "the position in the approval log is kept"
    # The repeat (after MapProxy's source timeout; zero here) removes what was drawn meanwhile.
    redrawn = _touch(tmp_path, "city", 18, col, row)
    invalidator.run_due()
    assert not redrawn.exists()


def test_each_cached_map_is_the_portal_start_view_over_the_base_map(tmp_path):
    config = tiles.mapproxy_config("http://127.0.0.1:8080", tmp_path / "cache", tmp_path / "locks")
    # The city map: its layers shown at start (address points are off), drawn by its own WMS.
    assert config["caches"]["city_cache"]["sources"] == ["city_wms"]
    city = config["sources"]["city_wms"]["req"]
    assert city["url"] == "http://127.0.0.1:8080/ows/city"
    assert city["layers"].split(",") == [
        "ref_city_boundary",
        "ref_district",
        "ref_street",
        "property_land_parcel",
        "property_property_object",
    ]  # bottom first, as WMS draws them
    # The property map lacks the districts: the city's WMS draws them under it (MapProxy layers bottom first).
    assert config["caches"]["property_cache"]["sources"] == ["property_base_wms", "property_wms"]
    base = config["sources"]["property_base_wms"]["req"]
    assert (base["url"], base["layers"]) == ("http://127.0.0.1:8080/ows/city", "ref_district")
    assert "ref_district" not in config["sources"]["property_wms"]["req"]["layers"]


def test_base_map_changes_reach_every_cached_map_and_hidden_layers_none():
    assert tiles.projects_showing("published.ref_street") == [p.id for p in catalog.PROJECTS]
    assert tiles.projects_showing("published.budget_project") == ["budget"]
    assert tiles.projects_showing("published.ref_address") == []  # off at start: in no cached map


def test_an_area_the_listener_cannot_place_empties_every_cache(tmp_path):
    """Never serve stale tiles: an area outside web mercator empties the caches."""
    invalidator = tile_invalidation.Invalidator(tmp_path, repeat_after_s=0)
    tile = _touch(tmp_path, "city", 18, 1, 1)
    invalidator.apply(tile_invalidation.Approval(3, "published.ref_street", 1, (0, 0, 1e300, 1e300)))
    assert not tile.exists()
    assert invalidator.position == 3


def test_high_density_tiles_are_the_same_tiles_at_twice_the_pixels_and_dpi(tmp_path):
    config = tiles.mapproxy_config("http://127.0.0.1:8080", tmp_path / "cache", tmp_path / "locks")
    grid = config["grids"][tiles.HIDPI_GRID]
    assert grid["base"] == config["grids"][tiles.GRID]["base"] and grid["tile_size"] == [512, 512]
    layer = next(layer for layer in config["layers"] if layer["name"] == "property")
    assert layer["tile_sources"] == ["property_cache", "property_2x_cache"]
    cache = config["caches"]["property_2x_cache"]
    assert cache["grids"] == [tiles.HIDPI_GRID] and cache["cache"]["directory"] == str(
        tmp_path / "cache" / "property@2x"
    )
    assert cache["sources"] == ["property_base_2x_wms", "property_2x_wms"]
    # QGIS Server's default pixel is 0.28 mm (90.7 DPI): twice that keeps symbols their size on the ground.
    assert config["sources"]["property_2x_wms"]["req"]["dpi"] == 181
    assert "dpi" not in config["sources"]["property_wms"]["req"]
    assert config["sources"]["property_2x_wms"]["req"]["layers"] == config["sources"]["property_wms"]["req"]["layers"]


def test_removal_takes_the_high_density_tiles_of_the_area_too(tmp_path):
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**16
    x, y = 37984, 22153
    xmin = -tiles.WEB_MERCATOR_HALF + x * span
    ymax = tiles.WEB_MERCATOR_HALF - y * span
    normal = _touch(tmp_path, "property", 16, x, y)
    sharp = _touch(tmp_path, "property@2x", 16, x, y)
    far = _touch(tmp_path, "property@2x", 16, x + 10, y)
    removed = tile_invalidation.remove_tiles(tmp_path, "property", (xmin + 10, ymax - 20, xmin + 20, ymax - 10))
    assert removed == 2 and not normal.exists() and not sharp.exists() and far.exists()


class _TileRequests(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """A stand-in for MapProxy's socket that records the tiles asked for (the warmer's only peer here;
    tests/server/test_server_tiles.py has the listener warm the real MapProxy)."""

    daemon_threads = True

    def __init__(self, path: str):
        self.paths: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                self.paths.append(handler.path)
                handler.send_response(404 if "/99/" in handler.path else 200)
                handler.end_headers()

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(path, Handler)


def test_removed_tiles_are_asked_for_again_least_zoomed_first(tmp_path):
    sock = str(tmp_path / "tiles.sock")
    server = _TileRequests(sock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        warmer = tile_invalidation.Warmer(sock)
        warmer.start()
        invalidator = tile_invalidation.Invalidator(tmp_path / "cache", repeat_after_s=0, warmer=warmer)
        x, y = 311371.6, 5569271.9  # the city centre in EPSG:9836
        (cx, cy) = tile_invalidation.bbox_to_3857([x, y, x, y], 9836)[:2]
        expected = []
        for z, folder in ((18, "property"), (15, "property@2x"), (17, "city")):
            span = 2 * tiles.WEB_MERCATOR_HALF / 2**z
            col, row = int((cx + tiles.WEB_MERCATOR_HALF) // span), int((tiles.WEB_MERCATOR_HALF - cy) // span)
            _touch(tmp_path / "cache", folder, z, col, row)
            grid = "webmercator_2x" if folder.endswith("@2x") else "webmercator"
            expected.append((z, f"/tiles/wmts/{folder.removesuffix('@2x')}/{grid}/{z}/{col}/{row}.png"))
        _touch(tmp_path / "cache", "budget", 17, 1, 1)  # another map: neither removed nor asked for
        invalidator.apply(tile_invalidation.Approval(1, "published.property_land_parcel", 1, (x, y, x, y)))
        deadline = time.monotonic() + 10
        while warmer.warmed < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.paths == [path for _z, path in sorted(expected)]
        assert warmer.warmed == 3 and warmer.failed == 0
        # Emptying every cache (an area the listener cannot place) asks for nothing.
        invalidator.remove_all()
        time.sleep(0.2)
        assert len(server.paths) == 3
    finally:
        server.shutdown()
        server.server_close()


def test_a_tile_the_cache_cannot_draw_is_left_to_the_next_visitor(tmp_path):
    sock = str(tmp_path / "tiles.sock")
    server = _TileRequests(sock)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        warmer = tile_invalidation.Warmer(sock)
        warmer.start()
        warmer.add([("city", 99, 1, 1), ("city", 16, 1, 1)])
        warmer.add([("city", 17, 1, 1)])
        deadline = time.monotonic() + 10
        while warmer.warmed + warmer.failed < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (warmer.warmed, warmer.failed) == (2, 1)
        server.server_close()
        (tmp_path / "tiles.sock").unlink()
        warmer.add([("city", 16, 2, 2)])  # MapProxy gone: logged, not raised
        deadline = time.monotonic() + 10
        while warmer.failed < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert warmer.failed == 2 and warmer.is_alive()
    finally:
        server.shutdown()
