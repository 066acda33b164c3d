"""Keeps the tile cache fresh: removes the cached tiles of an approved change.

``workflow.approve`` sends ``NOTIFY zhytomyr_gis_published`` with
``{table, count, bbox [xmin, ymin, xmax, ymax], srid}`` when it commits.
This listener (a small service started by ``tools/server.sh``) removes,
in the cache of every project that draws that table, the tiles of every
zoom level that the changed area (old and new geometry) touches. The next
request of such a tile is drawn again by QGIS Server from the published
data; tiles elsewhere stay cached.

A tile that MapProxy was drawing while the change committed may still be
written after the removal with the old data, so every removal is repeated
once more after MapProxy's source timeout (``tiles.SOURCE_TIMEOUT_S``).
If the connection to the database is lost, notifications may have been
missed: the whole cache is emptied after reconnecting.

    python3 -m zhytomyr_gis.publishing.tile_invalidation --cache-dir DIR [--service NAME] [--status-file FILE]

With ``--status-file`` the listener writes its state there (JSON, at least
every ``STATUS_INTERVAL_S``): whether it is connected, the notifications it
handled and the tiles it removed per project; the monitoring service
(``monitor.py``) reads it for ``/health/tile-invalidation`` and ``/metrics``.
"""

from __future__ import annotations

import argparse
import heapq
import json
import logging
import math
import os
import select
import shutil
import signal
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, tiles

CHANNEL = "zhytomyr_gis_published"
RECONNECT_DELAY_S = 2.0
STATUS_INTERVAL_S = 5.0

log = logging.getLogger("zhytomyr_gis.tile_invalidation")


def bbox_to_3857(bbox: list[float], srid: int) -> tuple[float, float, float, float]:
    """The web mercator box around ``bbox`` (in EPSG:``srid``); ValueError when it has none."""
    from pyproj import Transformer  # noqa: PLC0415
    from pyproj.exceptions import ProjError  # noqa: PLC0415

    xmin, ymin, xmax, ymax = bbox
    # The corners and edge midpoints: a projected box is not a box in web mercator.
    xs = [xmin, xmax, xmin, xmax, (xmin + xmax) / 2, (xmin + xmax) / 2, xmin, xmax]
    ys = [ymin, ymin, ymax, ymax, ymin, ymax, (ymin + ymax) / 2, (ymin + ymax) / 2]
    try:
        tx, ty = Transformer.from_crs(f"EPSG:{srid}", "EPSG:3857", always_xy=True).transform(xs, ys)
    except ProjError as exc:  # an unknown srid
        raise ValueError(f"cannot transform from EPSG:{srid}: {exc}") from exc
    box = (min(tx), min(ty), max(tx), max(ty))
    if not all(math.isfinite(v) for v in box):
        raise ValueError(f"{bbox} in EPSG:{srid} lies outside web mercator")
    return box


def _numbered(folder: Path) -> Iterable[tuple[int, Path]]:
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return
    for entry in entries:
        stem = entry.name.split(".", 1)[0]
        if stem.isdigit():
            yield int(stem), entry


def remove_tiles(cache_dir: Path, project_id: str, bbox_3857: tuple[float, float, float, float] | None) -> int:
    """Remove the cached tiles of ``project_id`` that ``bbox_3857`` can alter (all when None)."""
    root = cache_dir / project_id
    removed = 0
    if bbox_3857 is None:
        for _z, level in _numbered(root):
            removed += sum(1 for _ in level.rglob("*.png"))
            shutil.rmtree(level, ignore_errors=True)
        return removed
    for r in tiles.tile_ranges(bbox_3857):
        for x, column in _numbered(root / str(r.z)):
            if not r.x0 <= x <= r.x1:
                continue
            for y, tile in _numbered(column):
                if r.y0 <= y <= r.y1:
                    tile.unlink(missing_ok=True)
                    removed += 1
    return removed


@dataclass(order=True)
class _Pending:
    due: float
    project_ids: list[str] = field(compare=False)
    bbox_3857: tuple[float, float, float, float] | None = field(compare=False)


class Invalidator:
    """Turns notifications into removals, each repeated after the source timeout."""

    def __init__(self, cache_dir: Path, repeat_after_s: float = tiles.SOURCE_TIMEOUT_S + 1):
        self.cache_dir = cache_dir
        self.repeat_after_s = repeat_after_s
        self._pending: list[_Pending] = []
        # What the monitoring counts (since the listener started).
        self.notifications = 0
        self.unreadable_notifications = 0
        self.tiles_removed: dict[str, int] = {}

    def handle(self, payload: str) -> None:
        self.notifications += 1
        try:
            message = json.loads(payload)
            table = message["table"]
            bbox = message.get("bbox")
            area = bbox_to_3857(bbox, int(message.get("srid", 9836))) if bbox else None
        except (ValueError, KeyError, TypeError) as exc:
            self.unreadable_notifications += 1
            log.warning("unreadable notification %r (%s): emptying the whole cache", payload, exc)
            self.remove_all()
            return
        project_ids = tiles.projects_showing(table)
        if not project_ids:
            return
        self._remove(project_ids, area, f"{table} ({message.get('count')} approved)")
        heapq.heappush(self._pending, _Pending(time.monotonic() + self.repeat_after_s, project_ids, area))

    def remove_all(self) -> None:
        self._remove([p.id for p in catalog.PROJECTS], None, "everything")

    def _remove(self, project_ids: list[str], area, what: str) -> None:
        started = time.monotonic()
        counts = {pid: remove_tiles(self.cache_dir, pid, area) for pid in project_ids}
        for pid, n in counts.items():
            self.tiles_removed[pid] = self.tiles_removed.get(pid, 0) + n
        log.info(
            "%s: removed %s tiles in %.3f s (area %s)",
            what,
            ", ".join(f"{pid} {n}" for pid, n in counts.items()),
            time.monotonic() - started,
            "all" if area is None else "[" + ", ".join(f"{v:.0f}" for v in area) + "]",
        )

    def seconds_to_next(self) -> float | None:
        return max(0.0, self._pending[0].due - time.monotonic()) if self._pending else None

    def run_due(self) -> None:
        while self._pending and self._pending[0].due <= time.monotonic():
            due = heapq.heappop(self._pending)
            self._remove(due.project_ids, due.bbox_3857, "repeat")


def write_status(path: Path | None, invalidator: Invalidator, connected: bool) -> None:
    """The listener's state for the monitoring, replaced atomically."""
    if path is None:
        return
    state = {
        "pid": os.getpid(),
        "time": time.time(),
        "connected": connected,
        "notifications": invalidator.notifications,
        "unreadable_notifications": invalidator.unreadable_notifications,
        "tiles_removed": invalidator.tiles_removed,
    }
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a full disk must not stop the invalidation
        log.warning("cannot write the status file %s (%s)", path, exc)


def listen(
    dsn: str, invalidator: Invalidator, stop_after_s: float | None = None, status_file: Path | None = None
) -> None:
    """LISTEN and invalidate until stopped (reconnects when the database goes away)."""
    import psycopg2  # noqa: PLC0415
    import psycopg2.extensions  # noqa: PLC0415

    ends = None if stop_after_s is None else time.monotonic() + stop_after_s
    first = True
    while ends is None or time.monotonic() < ends:
        try:
            conn = psycopg2.connect(dsn)
        except psycopg2.OperationalError as exc:
            log.warning("cannot connect (%s); retrying", str(exc).strip())
            write_status(status_file, invalidator, connected=False)
            time.sleep(RECONNECT_DELAY_S)
            continue
        try:
            conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with conn.cursor() as cur:
                cur.execute(f"LISTEN {CHANNEL}")
            # Whatever was approved while nobody listened may be cached.
            invalidator.remove_all()
            log.info("listening on %s%s", CHANNEL, "" if first else " again")
            first = False
            while ends is None or time.monotonic() < ends:
                write_status(status_file, invalidator, connected=True)
                wait = invalidator.seconds_to_next()
                wait = STATUS_INTERVAL_S if wait is None else min(wait, STATUS_INTERVAL_S)
                if select.select([conn], [], [], wait) != ([], [], []):
                    conn.poll()
                    while conn.notifies:
                        invalidator.handle(conn.notifies.pop(0).payload)
                invalidator.run_due()
        except psycopg2.Error as exc:
            log.warning("connection lost (%s); reconnecting", str(exc).strip())
            write_status(status_file, invalidator, connected=False)
            time.sleep(RECONNECT_DELAY_S)
        finally:
            conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m zhytomyr_gis.publishing.tile_invalidation", description=__doc__)
    parser.add_argument("--cache-dir", required=True, help="MapProxy's cache folder (one sub-folder per project)")
    parser.add_argument("--service", default=catalog.SERVICE, help="pg_service entry to listen with")
    parser.add_argument("--status-file", type=Path, help="where to write the listener's state for the monitoring")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        listen(
            f"service={args.service} application_name=zhytomyr_gis_tiles",
            Invalidator(Path(args.cache_dir)),
            status_file=args.status_file,
        )
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
