"""Draws cached tiles again in place, for the tile invalidation listener.

The listener (``tile_invalidation.py``) starts this as a child process in
MapProxy's own environment and sends it, one JSON line per approval, the
cached tiles the approval can alter and a deadline. For each tile MapProxy
draws its metatile again from QGIS Server and replaces the files (MapProxy
writes a temporary file and renames it), so a visitor gets the old tile or
the new one, never a missing one, and never waits for a drawing. A tile not
drawn by the deadline, or whose drawing fails, is removed instead: the next
visitor has it drawn, as without this process. The answer, one JSON line,
lists every tile written (all tiles of the metatiles drawn) and how many
were removed.

MapProxy draws while holding its lock of the metatile, the lock every
drawing of that metatile takes. A drawing that started before the approval
committed (and so read the old data) finishes before this one starts, and
this one overwrites it: a tile drawn here is never older than the approval.

    python3 -m zhytomyr_gis.publishing.tile_refresh --config mapproxy.yaml

Only MapProxy and the standard library are imported (requirements-tiles.txt).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger("zhytomyr_gis.tile_refresh")
# Every tile is older than this: MapProxy takes it as expired and draws it again.
DRAW_EVERYTHING_AGAIN = 2**62


def tile_managers(config: str) -> dict[str, object]:
    """MapProxy's tile managers of the configuration, by the name of their cache folder."""
    from mapproxy.config.loader import load_configuration  # noqa: PLC0415 - MapProxy's environment only

    managers = {}
    for cache in load_configuration(config).caches.values():
        for _grid, _extent, manager in cache.caches():
            manager._expire_timestamp = DRAW_EVERYTHING_AGAIN  # as mapproxy-seed's refresh_before does
            managers[Path(manager.cache.cache_dir).name] = manager
    return managers


def refresh(managers: dict[str, object], cache_dir: Path, keys: list[list], deadline: float) -> dict:
    """Draw the tiles ``keys`` ([folder, z, x, y]) again; remove those that cannot be drawn by ``deadline``."""
    from mapproxy.cache.tile import Tile  # noqa: PLC0415

    written: set[tuple] = set()
    removed, errors = 0, []
    for folder, z, x, y in keys:
        if (folder, z, x, y) in written:  # drawn with a neighbour of its metatile
            continue
        manager = managers.get(folder)
        error = None
        if manager is None:
            error = f"{folder}: no such cache"
        elif time.time() > deadline:
            error = "deadline passed"
        else:
            try:
                with manager.session():
                    created = manager.creator().create_tiles([Tile((x, y, z))])
                written.update((folder, t.coord[2], t.coord[0], t.coord[1]) for t in created if t.coord)
                if (folder, z, x, y) not in written:
                    error = "not drawn"
            except Exception as exc:  # noqa: BLE001 - any failure of a source: the tile is removed
                error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            try:
                (cache_dir / folder / str(z) / str(x) / f"{y}.png").unlink()
                removed += 1
            except FileNotFoundError:
                pass
            errors.append(f"{folder}/{z}/{x}/{y}: {error}")
    return {"written": sorted(written), "removed": removed, "errors": errors[:5], "error_count": len(errors)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m zhytomyr_gis.publishing.tile_refresh", description=__doc__)
    parser.add_argument("--config", required=True, help="MapProxy's configuration (tiles-config writes it)")
    parser.add_argument("--cache-dir", required=True, type=Path, help="the cache folder (one sub-folder per map)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    managers = tile_managers(os.path.abspath(args.config))
    for line in sys.stdin:
        job = json.loads(line)
        answer = refresh(managers, args.cache_dir, job["tiles"], job["deadline"])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
