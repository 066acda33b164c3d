"""Keeps the tile cache fresh: removes the cached tiles of an approved change.

Every approval's publication is a row of ``published.approval_log`` (the
published table and the area the change covers, old and new geometry),
written by the database's ``workflow.publish()`` only; the commit then
sends ``NOTIFY zhytomyr_gis_published``. This listener (a small service
started by ``tools/server.sh``) reads the log rows it has not seen yet and
removes, in the cache of every project that draws that table, the tiles of
every zoom level the area touches. The next request of such a tile is drawn
again by QGIS Server from the published data; tiles elsewhere stay cached.

Any database role may send a notification on any channel, so a
notification only wakes the listener: what it removes comes from the log.
A forged notification finds nothing new and removes nothing.

Connected to a hot standby (a public server reading a streaming replica,
docs/operations.md), which takes no LISTEN, the listener reads the
replayed approval log every ``POLL_INTERVAL_S`` instead: a tile is removed
once the replica the tiles are drawn from has the approval.

The position in the log is kept in a file next to the cache: after a
restart, or a lost connection, the listener catches up on every approval
made meanwhile. Without that file (the first start) it empties the cache
once. A tile that MapProxy was drawing while the change committed may
still be written after the removal with the old data, so every removal is
repeated once more after MapProxy's source timeout (``tiles.SOURCE_TIMEOUT_S``).

Given MapProxy's socket (``--warm-socket``), the listener then asks MapProxy
for the tiles it removed, in the background: a tile that was in the cache
is one visitors look at, and they should not wait for it to be drawn again.
The tiles are removed first and drawn after, never the reverse, so a
visitor gets either the new tile or waits for it, never the old one.

    python3 -m zhytomyr_gis.publishing.tile_invalidation --cache-dir DIR [--service NAME] [--warm-socket PATH]
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import logging
import math
import os
import queue
import select
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, tiles

CHANNEL = "zhytomyr_gis_published"
RECONNECT_DELAY_S = 2.0
# How often the approval log of a hot standby is read (a standby passes on no notifications).
POLL_INTERVAL_S = 0.5
# How often the listener writes its state for the monitoring (zhytomyr_gis/publishing/monitor.py).
STATUS_INTERVAL_S = 5.0
# At most this many removed tiles of one removal are drawn again ahead of
# visitors, the least zoomed first (the most looked at): an approval of many
# records across the city removes thousands, most of which nobody asks for soon.
WARM_LIMIT = 256

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


TileKey = tuple[str, int, int, int]  # cache folder, z, x, y (rows from the top, as in the tile's address)


def remove_tiles(cache_dir: Path, project_id: str, bbox_3857: tuple[float, float, float, float] | None) -> int:
    """Remove the cached tiles of ``project_id`` that ``bbox_3857`` can alter (all when None),
    in both grids (the high-density tiles have the same z/x/y as the 256 px ones)."""
    return len(removed_tiles(cache_dir, project_id, bbox_3857))


def removed_tiles(
    cache_dir: Path, project_id: str, bbox_3857: tuple[float, float, float, float] | None
) -> list[TileKey]:
    """As ``remove_tiles``, returning which tiles were removed."""
    return [key for folder in tiles.cache_folders(project_id) for key in _remove_in(cache_dir, folder, bbox_3857)]


def _remove_in(cache_dir: Path, folder: str, bbox_3857: tuple[float, float, float, float] | None) -> list[TileKey]:
    root = cache_dir / folder
    removed: list[TileKey] = []
    if bbox_3857 is None:
        for z, level in _numbered(root):
            removed += [(folder, z, -1, -1) for _ in level.rglob("*.png")]  # not drawn again: no place needed
            shutil.rmtree(level, ignore_errors=True)
        return removed
    for r in tiles.tile_ranges(bbox_3857):
        for x, column in _numbered(root / str(r.z)):
            if not r.x0 <= x <= r.x1:
                continue
            for y, tile in _numbered(column):
                if r.y0 <= y <= r.y1:
                    tile.unlink(missing_ok=True)
                    removed.append((folder, r.z, x, y))
    return removed


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP to a server on a unix socket (MapProxy under gunicorn), past nginx and its rate limits."""

    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def tile_path(key: TileKey) -> str:
    """The address of a cached tile at MapProxy (``tiles.conf.in``: /tiles/wmts/<id>/<grid>/z/x/y.png)."""
    folder, z, x, y = key
    project_id, hidpi = folder.removesuffix(tiles.HIDPI_SUFFIX), folder.endswith(tiles.HIDPI_SUFFIX)
    return f"/tiles/wmts/{project_id}/{tiles.HIDPI_GRID if hidpi else tiles.GRID}/{z}/{x}/{y}.png"


class Warmer(threading.Thread):
    """Asks MapProxy, one after another, for tiles just removed, so it draws and stores them again.

    A tile asked for is drawn from the published data as it is now, after
    the removal, so a warmed tile is never older than the approval. Failures
    (QGIS Server restarting, a full disk) are logged and the tile is left to
    the next visitor, as without warming.
    """

    def __init__(self, socket_path: str, timeout_s: float = tiles.SOURCE_TIMEOUT_S + 5):
        super().__init__(name="tile-warmer", daemon=True)
        self.socket_path, self.timeout_s = socket_path, timeout_s
        self.jobs: queue.Queue[list[TileKey]] = queue.Queue()
        self.warmed = 0
        self.failed = 0

    def add(self, keys: list[TileKey]) -> None:
        placed = sorted({k for k in keys if k[2] >= 0}, key=lambda k: (k[1], k))
        if placed:
            self.jobs.put(placed[:WARM_LIMIT])

    def fetch(self, key: TileKey) -> int:
        conn = _UnixHTTPConnection(self.socket_path, self.timeout_s)
        try:
            conn.request("GET", tile_path(key), headers={"User-Agent": "zhytomyr-gis-tile-warmer"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def run(self) -> None:
        while True:
            keys = self.jobs.get()
            started, warmed, errors = time.monotonic(), 0, []
            for key in keys:
                try:
                    status = self.fetch(key)
                except OSError as exc:
                    status = f"{type(exc).__name__}: {exc}"
                if status == 200:
                    warmed += 1
                else:
                    errors.append(f"{tile_path(key)}: {status}")
            self.warmed += warmed
            self.failed += len(errors)
            log.info("drew again %d of %d removed tiles in %.3f s", warmed, len(keys), time.monotonic() - started)
            if errors:
                log.warning("tiles left to the next visitor (%d): %s", len(errors), "; ".join(errors[:3]))


@dataclass(order=True)
class _Pending:
    due: float
    project_ids: list[str] = field(compare=False)
    bbox_3857: tuple[float, float, float, float] | None = field(compare=False)


@dataclass(frozen=True)
class Approval:
    """One row of published.approval_log."""

    id: int
    table: str
    count: int
    bbox: tuple[float, float, float, float] | None  # EPSG:9836; None for a table without geometry


POSITION_FILE = ".approval_log_position"


class Invalidator:
    """Turns approvals into removals, each repeated after the source timeout,
    and remembers how far in the approval log it got."""

    def __init__(
        self, cache_dir: Path, repeat_after_s: float = tiles.SOURCE_TIMEOUT_S + 1, warmer: Warmer | None = None
    ):
        self.cache_dir = cache_dir
        self.repeat_after_s = repeat_after_s
        self.warmer = warmer
        self._pending: list[_Pending] = []
        self._position: int | None = None
        # What the monitoring counts (since the listener started).
        self.notifications = 0
        self.ignored_notifications = 0  # woke the listener, but no new approval: forged or duplicate
        self.approvals = 0
        self.tiles_removed: dict[str, int] = {}

    @property
    def position(self) -> int | None:
        """The last approval handled; None before the first start."""
        if self._position is not None:
            return self._position
        try:
            return int((self.cache_dir / POSITION_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None

    def _remember(self, approval_id: int) -> None:
        # Kept in memory too: a full disk must not stop the invalidation (the
        # file is for the next start, which empties the cache when it is missing).
        self._position = approval_id
        path = self.cache_dir / POSITION_FILE
        part = path.with_name(path.name + ".part")
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            part.write_text(str(approval_id), encoding="ascii")
            part.replace(path)
        except OSError as exc:
            log.warning("cannot write the log position %s (%s); kept in memory", path, exc)
            part.unlink(missing_ok=True)

    def apply(self, approval: Approval) -> None:
        """Remove what ``approval`` changed (an area the listener cannot place empties every cache)."""
        self.approvals += 1
        project_ids = tiles.projects_showing(approval.table)
        try:
            area = bbox_to_3857(list(approval.bbox), 9836) if approval.bbox else None
        except ValueError as exc:
            log.warning("approval %s: %s; emptying the whole cache", approval.id, exc)
            self.remove_all()
            self._remember(approval.id)
            return
        if project_ids:
            self._remove(project_ids, area, f"{approval.table} ({approval.count} approved, log {approval.id})")
            heapq.heappush(self._pending, _Pending(time.monotonic() + self.repeat_after_s, project_ids, area))
        self._remember(approval.id)

    def start_at(self, latest: int) -> None:
        """First start: nothing is known of the cache, so it is emptied once."""
        self.remove_all()
        self._remember(latest)

    def remove_all(self) -> None:
        self._remove([p.id for p in catalog.PROJECTS], None, "everything")

    def _remove(self, project_ids: list[str], area, what: str) -> None:
        started = time.monotonic()
        removed = {pid: removed_tiles(self.cache_dir, pid, area) for pid in project_ids}
        counts = {pid: len(keys) for pid, keys in removed.items()}
        for pid, n in counts.items():
            self.tiles_removed[pid] = self.tiles_removed.get(pid, 0) + n
        if self.warmer is not None and area is not None:
            self.warmer.add([key for keys in removed.values() for key in keys])
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


def approvals_after(conn, position: int) -> list[Approval]:
    """The approval log's rows after ``position``, oldest first."""
    with conn.cursor() as cur:
        cur.execute(
            """SELECT id, table_name, record_count, ST_XMin(area), ST_YMin(area), ST_XMax(area), ST_YMax(area)
                 FROM published.approval_log WHERE id > %s ORDER BY id""",
            (position,),
        )
        return [
            Approval(i, table, count, None if xmin is None else (xmin, ymin, xmax, ymax))
            for i, table, count, xmin, ymin, xmax, ymax in cur.fetchall()
        ]


def catch_up(conn, invalidator: Invalidator) -> int:
    """Apply every approval the invalidator has not seen; returns how many."""
    position = invalidator.position
    with conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM published.approval_log")
        (latest,) = cur.fetchone()
    if position is None or position > latest:  # first start, or a cache kept from another database
        invalidator.start_at(latest)
        return 0
    new = approvals_after(conn, position)
    for approval in new:
        invalidator.apply(approval)
    return len(new)


def write_status(path: Path | None, invalidator: Invalidator, connected: bool) -> None:
    """The listener's state for the monitoring, replaced atomically."""
    if path is None:
        return
    state = {
        "pid": os.getpid(),
        "time": time.time(),
        "connected": connected,
        "position": invalidator.position,
        "notifications": invalidator.notifications,
        "ignored_notifications": invalidator.ignored_notifications,
        "approvals": invalidator.approvals,
        "tiles_removed": invalidator.tiles_removed,
        "tiles_warmed": invalidator.warmer.warmed if invalidator.warmer else 0,
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
    """LISTEN and invalidate until stopped (reconnects, and catches up, when the database goes away)."""
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
                cur.execute("SELECT pg_is_in_recovery()")
                (standby,) = cur.fetchone()
                if not standby:
                    cur.execute(f"LISTEN {CHANNEL}")
            caught = catch_up(conn, invalidator)
            log.info(
                "%s%s (%d approvals caught up)",
                f"reading the approval log of a standby every {POLL_INTERVAL_S} s"
                if standby
                else f"listening on {CHANNEL}",
                "" if first else " again",
                caught,
            )
            first = False
            last_status = 0.0
            while ends is None or time.monotonic() < ends:
                if time.monotonic() - last_status >= STATUS_INTERVAL_S or standby is False:
                    write_status(status_file, invalidator, connected=True)
                    last_status = time.monotonic()
                wait = invalidator.seconds_to_next()
                wait = STATUS_INTERVAL_S if wait is None else min(wait, STATUS_INTERVAL_S)
                if standby:
                    # A hot standby takes no LISTEN and passes on no NOTIFY: its
                    # approval log, replayed from the primary, is read instead. The
                    # tiles are drawn from this standby, so an approval is removed
                    # from the cache only once the standby shows it.
                    time.sleep(min(wait, POLL_INTERVAL_S))
                    catch_up(conn, invalidator)
                elif select.select([conn], [], [], wait) != ([], [], []):
                    conn.poll()
                    payloads = [n.payload for n in conn.notifies]
                    del conn.notifies[:]
                    invalidator.notifications += len(payloads)
                    if payloads and catch_up(conn, invalidator) == 0:
                        invalidator.ignored_notifications += len(payloads)
                        log.warning("notification without a new approval (%r): nothing removed", payloads[:3])
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
    parser.add_argument(
        "--warm-socket", help="MapProxy's unix socket: draw the removed tiles again ahead of visitors (off without it)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    warmer = None
    if args.warm_socket:
        warmer = Warmer(args.warm_socket)
        warmer.start()
    try:
        listen(
            f"service={args.service} application_name=zhytomyr_gis_tiles",
            Invalidator(Path(args.cache_dir), warmer=warmer),
            status_file=args.status_file,
        )
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
