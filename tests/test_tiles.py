"""The tile cache's arithmetic and its invalidation, without a server."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

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


# A stand-in for tile_refresh.py (which needs MapProxy and QGIS Server; tests/server/test_server_tiles.py
# runs the real one, and test_tile_refresh_* below runs it with MapProxy's own test source): it answers
# that every tile asked for was drawn again and rewrites its file, or, for tiles of level 99, removes them.
STAND_IN = """
import json, sys
from pathlib import Path
cache = Path(sys.argv[1])
for line in sys.stdin:
    job = json.loads(line)
    written, removed = [], 0
    for folder, z, x, y in job["tiles"]:
        path = cache / folder / str(z) / str(x) / f"{y}.png"
        if z == 99:
            path.unlink(missing_ok=True); removed += 1
        else:
            path.write_bytes(b"drawn again"); written.append([folder, z, x, y])
    print(json.dumps({"written": written, "removed": removed, "errors": [], "error_count": removed}), flush=True)
"""


def _centre_tile(z: int) -> tuple[int, int]:
    (cx, cy) = tile_invalidation.bbox_to_3857([311371.6, 5569271.9, 311371.6, 5569271.9], 9836)[:2]
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**z
    return int((cx + tiles.WEB_MERCATOR_HALF) // span), int((tiles.WEB_MERCATOR_HALF - cy) // span)


def _wait(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_an_approvals_cached_tiles_are_drawn_again_in_place_and_kept_by_the_repeat(tmp_path):
    cache = tmp_path / "cache"
    refresher = tile_invalidation.Refresher([sys.executable, "-c", STAND_IN, str(cache)], cache)
    refresher.start()
    invalidator = tile_invalidation.Invalidator(cache, repeat_after_s=0, refresher=refresher)
    col, row = _centre_tile(17)
    drawn = _touch(cache, "property", 17, col, row)
    sharp = _touch(cache, "city@2x", 17, col, row)
    other_map = _touch(cache, "budget", 17, col, row)
    x, y = 311371.6, 5569271.9  # the city centre in EPSG:9836
    invalidator.apply(tile_invalidation.Approval(1, "published.property_land_parcel", 1, (x, y, x, y)))
    assert drawn.exists() and sharp.exists(), "a tile visitors look at is never missing"
    assert _wait(lambda: refresher.redrawn == 2)
    assert drawn.read_bytes() == sharp.read_bytes() == b"drawn again"
    assert other_map.read_bytes() == b"png"
    # Drawn meanwhile by a visitor's request that may have started before the approval: removed by the repeat;
    # what the refresher drew stays.
    meanwhile = _touch(cache, "property", 18, *_centre_tile(18))
    invalidator.run_due()
    assert not meanwhile.exists() and drawn.exists() and sharp.exists()
    assert refresher.written_by == {}, "nothing is kept for repeats no longer waiting"


def test_tiles_the_refresher_cannot_draw_are_removed(tmp_path):
    cache = tmp_path / "cache"
    refresher = tile_invalidation.Refresher([sys.executable, "-c", STAND_IN, str(cache)], cache)
    refresher.start()
    failed = _touch(cache, "city", 99, 1, 1)
    refresher.add([("city", 99, 1, 1)], time.time() + 5)
    assert _wait(lambda: not failed.exists())
    # The drawing process cannot start (or dies): the tiles are removed, the listener goes on.
    broken = tile_invalidation.Refresher([sys.executable, "-c", "import sys; sys.exit(3)"], cache)
    broken.start()
    tile = _touch(cache, "city", 17, 5, 5)
    broken.add([("city", 17, 5, 5)], time.time() + 5)
    assert _wait(lambda: not tile.exists()) and broken.is_alive()
    assert broken.removed == 1


def _tiles_python() -> Path | None:
    venv = Path(subprocess.run([str(ROOT / "tools" / "rundir.sh")], capture_output=True, text=True).stdout.strip())
    python = venv / "tiles-venv" / "bin" / "python"
    return python if python.exists() else None


ROOT = Path(__file__).resolve().parents[1]


def test_tile_refresh_draws_with_mapproxy_and_removes_what_it_cannot(tmp_path):
    """tile_refresh.py with MapProxy itself (its "debug" source draws without a server)."""
    python = _tiles_python()
    assert python is not None, "run make deps (the tile cache's environment)"
    cache = tmp_path / "cache"
    config = {
        "services": {"tms": {}},
        "layers": [{"name": "city", "title": "city", "sources": ["city_cache"]}],
        "caches": {
            "city_cache": {
                "grids": ["GLOBAL_WEBMERCATOR"],
                "sources": ["debug"],
                "meta_size": [4, 4],
                "cache": {"type": "file", "directory_layout": "tms", "directory": str(cache / "city")},
            }
        },
        "sources": {"debug": {"type": "debug"}},
        "globals": {"cache": {"base_dir": str(cache), "lock_dir": str(tmp_path / "locks")}},
    }
    (tmp_path / "mapproxy.yaml").write_text(json.dumps(config))
    old = _touch(cache, "city", 12, 2395, 1401)
    late = _touch(cache, "city", 12, 100, 100)
    jobs = [
        {"tiles": [["city", 12, 2395, 1401], ["city", 12, 2394, 1401], ["elsewhere", 3, 1, 1]],
         "deadline": time.time() + 60},
        {"tiles": [["city", 12, 100, 100]], "deadline": time.time() - 1},
    ]  # fmt: skip
    result = subprocess.run(
        [str(python), "-m", "zhytomyr_gis.publishing.tile_refresh", "--config", str(tmp_path / "mapproxy.yaml"),
         "--cache-dir", str(cache)],
        input="".join(json.dumps(job) + "\n" for job in jobs), capture_output=True, text=True, timeout=120,
        cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    # (The debug source draws single tiles; with QGIS Server a whole metatile is written.)
    assert first["written"] == [["city", 12, 2394, 1401], ["city", 12, 2395, 1401]]
    assert old.read_bytes().startswith(b"\x89PNG"), "the tile was drawn again in place"
    assert first["error_count"] == 1 and "elsewhere" in first["errors"][0]
    assert second == {"written": [], "removed": 1, "errors": ["city/12/100/100: deadline passed"], "error_count": 1}
    assert not late.exists()
