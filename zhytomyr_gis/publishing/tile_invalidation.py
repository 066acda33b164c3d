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

Given a command that starts ``tile_refresh.py`` in MapProxy's environment
(``--refresh-command``), the listener does not remove the cached tiles of
an approved change but has them drawn again in place, in the background:
a tile that was in the cache is one visitors look at, and they should not
wait for it. Until its new file replaces the old one, at most
``REFRESH_DEADLINE_S`` after the approval, a visitor gets the tile as it
was approved before; a tile not drawn by then is removed.

    python3 -m zhytomyr_gis.publishing.tile_invalidation --cache-dir DIR [--service NAME]
        [--refresh-command "PYTHON -m zhytomyr_gis.publishing.tile_refresh --config mapproxy.yaml --cache-dir DIR"]
"""

from __future__ import annotations

import argparse
import heapq
import json
import logging
import math
import os
import queue
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import approval_channel, catalog, tiles
from .approval_channel import CHANNEL

# How often the approval log of a hot standby is read (a standby passes on no notifications).
POLL_INTERVAL_S = 0.5
# How often the listener writes its state for the monitoring (zhytomyr_gis/publishing/monitor.py).
STATUS_INTERVAL_S = 5.0
# At most this many cached tiles of one approval are drawn again in place,
# the least zoomed first (the most looked at); the rest are removed. An
# approval of many records across the city touches thousands of tiles, most
# of which nobody asks for soon.
REFRESH_LIMIT = 256
# The longest a visitor may get a tile as it was before an approval: a tile
# not drawn again by then is removed. The stated freshness of the public
# maps (qgis_server/README.md): browsers may keep any map image for 10 s.
REFRESH_DEADLINE_S = 10.0

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
    return len(tiles_in_area(cache_dir, project_id, bbox_3857))


def tiles_in_area(
    cache_dir: Path,
    project_id: str,
    bbox_3857: tuple[float, float, float, float] | None,
    keep: set[TileKey] | frozenset = frozenset(),
    remove: bool = True,
) -> list[TileKey]:
    """The cached tiles of ``project_id`` in ``bbox_3857`` (all when None), removed unless ``remove`` is
    False; ``keep``: tiles neither listed nor removed."""
    return [
        key
        for folder in tiles.cache_folders(project_id)
        for key in _remove_in(cache_dir, folder, bbox_3857, keep, remove)
    ]


def _remove_in(cache_dir: Path, folder: str, bbox_3857, keep, remove: bool) -> list[TileKey]:
    root = cache_dir / folder
    removed: list[TileKey] = []
    if bbox_3857 is None:
        for z, level in _numbered(root):
            removed += [(folder, z, -1, -1) for _ in level.rglob("*.png")]  # counted, never drawn again
            shutil.rmtree(level, ignore_errors=True)
        return removed
    for r in tiles.tile_ranges(bbox_3857):
        for x, column in _numbered(root / str(r.z)):
            if not r.x0 <= x <= r.x1:
                continue
            for y, tile in _numbered(column):
                if r.y0 <= y <= r.y1 and (folder, r.z, x, y) not in keep:
                    if remove:
                        tile.unlink(missing_ok=True)
                    removed.append((folder, r.z, x, y))
    return removed


@dataclass
class _RefreshJob:
    seq: int  # jobs are numbered in the order of the approvals
    keys: list[TileKey]
    deadline: float  # time.time()


class Refresher(threading.Thread):
    """Sends the cached tiles of each approval to ``tile_refresh.py`` (a child process in MapProxy's
    environment), one approval after another, and restarts the child when it dies.

    Whatever the child cannot answer for (it died, or never started) is
    removed here, so no tile outlives its deadline by more than one drawing.
    """

    def __init__(self, command: list[str], cache_dir: Path):
        super().__init__(name="tile-refresher", daemon=True)
        self.command, self.cache_dir = command, cache_dir
        self.jobs: queue.Queue[_RefreshJob] = queue.Queue()
        self.redrawn = 0
        self.removed = 0
        # The job that last wrote a tile: a tile written by job N is never older than approval N.
        self.written_by: dict[TileKey, int] = {}
        self._seq = 0
        self._child: subprocess.Popen | None = None

    def add(self, keys: list[TileKey], deadline: float) -> int:
        """Queue the tiles of an approval; returns the job's number."""
        self._seq += 1
        self.jobs.put(_RefreshJob(self._seq, keys, deadline))
        return self._seq

    def written_since(self, seq: int) -> set[TileKey]:
        return {key for key, by in list(self.written_by.items()) if by >= seq}

    def forget_before(self, seq: int | None) -> None:
        """Forget the tiles written before job ``seq`` (every tile when None)."""
        for key, by in list(self.written_by.items()):
            if seq is None or by < seq:
                del self.written_by[key]

    def _ask(self, job: _RefreshJob) -> dict:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
            )
        self._child.stdin.write(json.dumps({"tiles": job.keys, "deadline": job.deadline}) + "\n")
        self._child.stdin.flush()
        line = self._child.stdout.readline()
        if not line:
            raise OSError(f"the tile drawing process ended ({self._child.wait()})")
        return json.loads(line)

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            started = time.monotonic()
            try:
                answer = self._ask(job)
            except (OSError, ValueError) as exc:
                log.warning("cannot draw tiles again (%s): removing them", exc)
                self._child = None
                for folder, z, x, y in job.keys:
                    (self.cache_dir / folder / str(z) / str(x) / f"{y}.png").unlink(missing_ok=True)
                self.removed += len(job.keys)
                continue
            for key in answer["written"]:
                self.written_by[tuple(key)] = job.seq
            self.redrawn += len(job.keys) - answer["error_count"]
            self.removed += answer["removed"]
            log.info(
                "drew %d of %d cached tiles again in %.3f s (%d tiles written)",
                len(job.keys) - answer["error_count"],
                len(job.keys),
                time.monotonic() - started,
                len(answer["written"]),
            )
            if answer["error_count"]:
                log.warning("removed instead (%d): %s", answer["error_count"], "; ".join(answer["errors"]))


@dataclass(order=True)
class _Pending:
    due: float
    project_ids: list[str] = field(compare=False)
    bbox_3857: tuple[float, float, float, float] | None = field(compare=False)
    # The refresher's job of the approval: tiles it wrote since are never older than the approval.
    refresh_job: int | None = field(compare=False, default=None)


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
        self, cache_dir: Path, repeat_after_s: float = tiles.SOURCE_TIMEOUT_S + 1, refresher: Refresher | None = None
    ):
        self.cache_dir = cache_dir
        self.repeat_after_s = repeat_after_s
        self.refresher = refresher
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
        """Draw again or remove what ``approval`` changed (an area the listener cannot place empties every cache)."""
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
            what = f"{approval.table} ({approval.count} approved, log {approval.id})"
            job = None
            if self.refresher is not None and area is not None:
                job = self._refresh(project_ids, area, what)
            else:
                self._remove(project_ids, area, what)
            due = time.monotonic() + self.repeat_after_s
            heapq.heappush(self._pending, _Pending(due, project_ids, area, job))
        self._remember(approval.id)

    def start_at(self, latest: int) -> None:
        """First start: nothing is known of the cache, so it is emptied once."""
        self.remove_all()
        self._remember(latest)

    def remove_all(self) -> None:
        self._remove([p.id for p in catalog.PROJECTS], None, "everything")

    def _refresh(self, project_ids: list[str], area, what: str) -> int:
        """Have the cached tiles of ``area`` drawn again in place (the least zoomed first), remove the rest;
        returns the refresher's job number."""
        cached = sorted(
            (key for pid in project_ids for key in tiles_in_area(self.cache_dir, pid, area, remove=False)),
            key=lambda k: (k[1], k),
        )
        for folder, z, x, y in cached[REFRESH_LIMIT:]:
            (self.cache_dir / folder / str(z) / str(x) / f"{y}.png").unlink(missing_ok=True)
        for pid in project_ids:
            n = sum(1 for key in cached[REFRESH_LIMIT:] if key[0] in tiles.cache_folders(pid))
            self.tiles_removed[pid] = self.tiles_removed.get(pid, 0) + n
        job = self.refresher.add(cached[:REFRESH_LIMIT], time.time() + REFRESH_DEADLINE_S)
        log.info(
            "%s: %d cached tiles to draw again, %d removed (area %s)",
            what,
            min(len(cached), REFRESH_LIMIT),
            max(0, len(cached) - REFRESH_LIMIT),
            "[" + ", ".join(f"{v:.0f}" for v in area) + "]",
        )
        return job

    def _remove(self, project_ids: list[str], area, what: str, keep: set[TileKey] | frozenset = frozenset()) -> None:
        started = time.monotonic()
        counts = {pid: len(tiles_in_area(self.cache_dir, pid, area, keep)) for pid in project_ids}
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
        """The repeat: tiles written since the approval by anyone but the refresher may hold the old data."""
        while self._pending and self._pending[0].due <= time.monotonic():
            due = heapq.heappop(self._pending)
            keep = frozenset()
            if due.refresh_job is not None and self.refresher is not None:
                keep = self.refresher.written_since(due.refresh_job)
            self._remove(due.project_ids, due.bbox_3857, "repeat", keep=keep)
            if self.refresher is not None:  # what no waiting repeat needs
                pending_jobs = [p.refresh_job for p in self._pending if p.refresh_job is not None]
                self.refresher.forget_before(min(pending_jobs, default=None))


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
    """The listener's state for the monitoring (approval_channel.write_status_file)."""
    approval_channel.write_status_file(
        path,
        {
            "pid": os.getpid(),
            "time": time.time(),
            "connected": connected,
            "position": invalidator.position,
            "notifications": invalidator.notifications,
            "ignored_notifications": invalidator.ignored_notifications,
            "approvals": invalidator.approvals,
            "tiles_removed": invalidator.tiles_removed,
            "tiles_redrawn": invalidator.refresher.redrawn if invalidator.refresher else 0,
        },
    )


def listen(
    dsn: str, invalidator: Invalidator, stop_after_s: float | None = None, status_file: Path | None = None
) -> None:
    """LISTEN and invalidate until stopped (reconnects, and catches up, when the database goes away)."""
    ends = None if stop_after_s is None else time.monotonic() + stop_after_s
    connections = 0

    def session(conn, standby: bool) -> None:
        nonlocal connections
        caught = catch_up(conn, invalidator)
        how = f"listening on {CHANNEL}"
        if standby:
            how = f"reading the approval log of a standby every {POLL_INTERVAL_S} s"
        log.info("%s%s (%d approvals caught up)", how, " again" if connections else "", caught)
        connections += 1
        last_status = 0.0
        while ends is None or time.monotonic() < ends:
            if time.monotonic() - last_status >= STATUS_INTERVAL_S or standby is False:
                write_status(status_file, invalidator, connected=True)
                last_status = time.monotonic()
            wait = invalidator.seconds_to_next()
            wait = STATUS_INTERVAL_S if wait is None else min(wait, STATUS_INTERVAL_S)
            if standby:
                # The tiles are drawn from this standby, so an approval is removed
                # from the cache only once the standby's replayed log shows it.
                time.sleep(min(wait, POLL_INTERVAL_S))
                catch_up(conn, invalidator)
            else:
                payloads = approval_channel.notifications(conn, wait)
                if payloads:
                    invalidator.notifications += len(payloads)
                    if catch_up(conn, invalidator) == 0:
                        invalidator.ignored_notifications += len(payloads)
                        log.warning("notification without a new approval (%r): nothing removed", payloads[:3])
            invalidator.run_due()

    approval_channel.listen_for_approvals(
        dsn, session, ends=ends, on_disconnected=lambda: write_status(status_file, invalidator, connected=False)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m zhytomyr_gis.publishing.tile_invalidation", description=__doc__)
    parser.add_argument("--cache-dir", required=True, help="MapProxy's cache folder (one sub-folder per project)")
    parser.add_argument("--service", default=catalog.SERVICE, help="pg_service entry to listen with")
    parser.add_argument("--status-file", type=Path, help="where to write the listener's state for the monitoring")
    parser.add_argument(
        "--refresh-command",
        help="starts tile_refresh.py in MapProxy's environment: cached tiles of an approval are drawn again in place "
        "(without it they are removed)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    refresher = None
    if args.refresh_command:
        refresher = Refresher(shlex.split(args.refresh_command), Path(args.cache_dir))
        refresher.start()
    try:
        listen(
            f"service={args.service} application_name=zhytomyr_gis_tiles",
            Invalidator(Path(args.cache_dir), refresher=refresher),
            status_file=args.status_file,
        )
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
