"""Whole-layer downloads answered from files, emptied by every approval.

A whole-layer download is the same WFS ``GetFeature`` again and again: the
geoportal's «Завантажити» reads a layer in pages (``portal/src/lib/ows.js``,
``allPages``: GeoJSON in WGS 84, ``SORTBY=id ASC``, ``STARTINDEX`` from 0 on,
``MAXFEATURES`` the rest of its 100,000 cap, until an empty page), and a
plain client asks for the whole layer as GeoJSON in one request. QGIS
Server writes such an answer at about twice the cost of PostGIS building
it (bench/README.md), every time. This service keeps the answers as files
that nginx sends for exactly these requests (``qgis_server/nginx.conf.in``,
``$zgis_download``; ``qgis_server/location.conf.in``) with
``X-Download-Cache: hit``; any other request, and any of these whose file
is missing, goes to QGIS Server as before.

The files are QGIS Server's own answers: the service asks the server for
each request (through nginx, with ``X-Download-Cache: fill`` so that nginx
passes it on), so a file is byte for byte what the public WFS answers, with
the public attributes only (the access plugin decides them as for any
request). What the public sees must be exactly what was approved, so:

- every approval's publication is a row of ``published.approval_log``
  (``workflow.publish()`` writes it; the commit notifies
  ``zhytomyr_gis_published``); the number of rows per table is the table's
  generation, read on every notification (counted, not compared by id:
  identities are taken before commit, so log rows may commit out of order);
- when a table's generation moves, its files are removed at once, in this
  process's main thread (never behind a fill), so the next request goes to
  QGIS Server; new files are made ``REFILL_DELAY_S`` later in a thread;
- a fill reads the table's generation before its first request and again
  before it puts the files in place (one rename of the layer's folder,
  under the same lock as the removals); a moved generation discards it;
- at start and at exit every file is removed (``tools/server.sh`` also
  empties the folder before starting this service).

A file can therefore be served only between an approval's commit and the
removal it causes (the notification's round trip, milliseconds), as a WFS
answer already under way can. Connected to a hot standby (no LISTEN), the
log is read every ``POLL_INTERVAL_S``.

With ``--status-file`` the service writes its state for the monitoring
(``monitor.py``: ``/health/download-cache`` and the ``zgis_download_cache_*``
metrics) every ``STATUS_INTERVAL_S``: connected or not, the layers in
files, the removals and fills so far.

    python3 -m zhytomyr_gis.publishing.download_cache --cache-dir DIR --base-url http://HOST:PORT [--status-file F]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import approval_channel, catalog
from .approval_channel import CHANNEL
from .tile_invalidation import POLL_INTERVAL_S, STATUS_INTERVAL_S

# The geoportal's cap of a download (portal/src/lib/download.js, MAX_FEATURES):
# its pages ask for MAXFEATURES = this minus the features read so far.
PORTAL_LIMIT = 100000
# Approvals often come in a row (a verifier approving a list): refill once they pause.
REFILL_DELAY_S = 1.0
# A fill that failed (the server or the database away) is tried again after this.
RETRY_S = 30.0
FILL_TIMEOUT_S = 300.0
# The request header that makes nginx pass a cacheable request to QGIS Server (nginx.conf.in).
FILL_HEADER = "X-Download-Cache"

log = logging.getLogger("zhytomyr_gis.download_cache")


@dataclass(frozen=True)
class Layer:
    project: str
    name: str  # the WFS type name
    table: str  # published.<table>


def layers() -> list[Layer]:
    """Every layer of every project's WFS (maps and their non-spatial tables)."""
    return [
        Layer(p.id, layer.name, layer.published_table) for p in catalog.PROJECTS for layer in (*p.layers, *p.tables)
    ]


def _query(pairs: list[tuple[str, str]]) -> str:
    # As the browser's URLSearchParams writes it (application/x-www-form-urlencoded):
    # space as "+", everything but ALPHA / DIGIT / "*-._" escaped.
    return "&".join(f"{k}={quote(v, safe='*-._ ').replace(' ', '+')}" for k, v in pairs)


def portal_page(layer: str, start: int, limit: int = PORTAL_LIMIT) -> str:
    """The query string of one page of the geoportal's download of ``layer``."""
    return _query(
        [
            ("SERVICE", "WFS"),
            ("VERSION", "1.1.0"),
            ("REQUEST", "GetFeature"),
            ("TYPENAME", layer),
            ("OUTPUTFORMAT", "application/vnd.geo+json"),
            ("SRSNAME", "EPSG:4326"),
            ("SORTBY", "id ASC"),
            ("STARTINDEX", str(start)),
            ("MAXFEATURES", str(limit - start)),
        ]
    )


def whole_layer(layer: str) -> str:
    """The query string of a plain client's whole layer as GeoJSON (one request)."""
    return _query(
        [
            ("SERVICE", "WFS"),
            ("VERSION", "1.1.0"),
            ("REQUEST", "GetFeature"),
            ("TYPENAME", layer),
            ("OUTPUTFORMAT", "application/json"),
        ]
    )


def page_file(start: int, limit: int = PORTAL_LIMIT) -> str:
    """Where a portal page is kept in its layer's folder (the name nginx.conf.in's map gives)."""
    return f"pages/{start}-{limit - start}.geojson"


IDLE_MARK = ".idle"  # in the cache folder while nothing waits to be filled
WHOLE_LAYER_FILE = "all.geojson"  # QGIS Server answers application/json as application/vnd.geo+json


class FillError(Exception):
    pass


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={FILL_HEADER: "fill", "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=FILL_TIMEOUT_S) as response:  # noqa: S310 (our own server)
            body = response.read()
            if response.status != 200 or not response.headers.get("Content-Type", "").startswith("application/"):
                raise FillError(f"{url}: {response.status} {response.headers.get('Content-Type')}")
            return body
    except (OSError, urllib.error.URLError) as exc:
        raise FillError(f"{url}: {exc}") from exc


def _features(body: bytes, url: str) -> int:
    try:
        return len(json.loads(body)["features"])
    except (ValueError, KeyError, TypeError) as exc:
        raise FillError(f"{url}: not a feature collection ({exc})") from exc


class Cache:
    """The files of one server (``root/<project>/<layer>/...``)."""

    def __init__(self, root: Path, base_url: str):
        self.root = root
        self.base_url = base_url.rstrip("/")
        self.lock = threading.Lock()  # removals against a fill's putting its files in place
        self.closed = False  # set at exit: no fill puts files in place after the last removal
        self.removals = 0  # layers whose files an approval removed (for the monitoring)

    def cached_layers(self) -> int:
        return sum(1 for layer in layers() if self.folder(layer).exists())

    def folder(self, layer: Layer) -> Path:
        return self.root / layer.project / layer.name

    def remove(self, tables: set[str]) -> int:
        removed = 0
        with self.lock:
            for layer in layers():
                if layer.table in tables and self.folder(layer).exists():
                    shutil.rmtree(self.folder(layer))
                    removed += 1
            self.removals += removed
        return removed

    def remove_all(self, close: bool = False) -> None:
        with self.lock:
            self.closed = self.closed or close
            self.root.mkdir(parents=True, exist_ok=True)
            for entry in self.root.iterdir():
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()

    def fill(self, layer: Layer, generation, still) -> int | None:
        """Ask the server for every cached request of ``layer`` and put the answers in place
        if ``still(generation)``; returns the bytes written, None when discarded."""
        base = f"{self.base_url}/ows/{layer.project}"
        tmp = self.root / layer.project / f".{layer.name}.{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "pages").mkdir(parents=True)
        written = 0
        try:
            files = [(WHOLE_LAYER_FILE, f"{base}?{whole_layer(layer.name)}")]
            count = 0
            while True:  # the geoportal's pages, as allPages() reads them
                url = f"{base}?{portal_page(layer.name, count)}"
                body = _get(url)
                n = _features(body, url)
                written += self._write(tmp / page_file(count), body)
                count += n
                if n == 0 or count >= PORTAL_LIMIT:
                    break
            for name, url in files:
                written += self._write(tmp / name, _get(url))
            with self.lock:
                if self.closed or not still(layer.table, generation):
                    return None
                target = self.folder(layer)
                if target.exists():
                    shutil.rmtree(target)
                tmp.rename(target)
            return written
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def _write(path: Path, body: bytes) -> int:
        path.write_bytes(body)
        # nginx sends the compressed copy to clients that take gzip (gzip_static),
        # rather than compressing megabytes on every download.
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(body, 6))
        return len(body)


def generations(conn) -> dict[str, int]:
    """Approvals logged per published table (the log is append-only)."""
    with conn.cursor() as cur:
        cur.execute("SELECT table_name, count(*) FROM published.approval_log GROUP BY table_name")
        return dict(cur.fetchall())


class Filler(threading.Thread):
    """Makes the files of layers whose tables changed, after REFILL_DELAY_S without a change."""

    def __init__(self, cache: Cache, dsn: str):
        super().__init__(daemon=True, name="download-cache-fill")
        self.cache = cache
        self.dsn = dsn
        self._due: dict[Layer, float] = {}
        self._cond = threading.Condition()
        self._conn = None
        self._scheduled = False
        self.fills = 0  # layers whose files were made (for the monitoring)
        self.failures = 0  # fills that failed and wait for another try

    def schedule(self, tables: set[str] | None, delay: float = REFILL_DELAY_S) -> None:
        at = time.monotonic() + delay
        with self._cond:
            self._scheduled = True
            for layer in layers():
                if tables is None or layer.table in tables:
                    self._due[layer] = at
            self._cond.notify()

    def _take(self) -> Layer:
        with self._cond:
            while True:
                now = time.monotonic()
                ready = [(at, layer) for layer, at in self._due.items() if at <= now]
                if ready:
                    layer = min(ready, key=lambda item: item[0])[1]
                    del self._due[layer]
                    self._idle(False)
                    return layer
                if not self._due and self._scheduled:  # (not before the first layers are due)
                    self._idle(True)
                wait = min(self._due.values()) - now if self._due else None
                self._cond.wait(wait)

    def _idle(self, idle: bool) -> None:
        # A mark for whoever must not measure while files are being made (bench/maps).
        mark = self.cache.root / IDLE_MARK
        try:
            if idle:
                mark.touch()
            else:
                mark.unlink(missing_ok=True)
        except OSError:
            pass

    def _generation(self, table: str) -> int:
        import psycopg2  # noqa: PLC0415

        for _ in range(2):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg2.connect(self.dsn, application_name="zhytomyr_gis_download_fill")
                    self._conn.autocommit = True
                return generations(self._conn).get(table, 0)
            except psycopg2.Error:
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
        raise FillError("cannot read the approval log")

    def still(self, table: str, generation: int) -> bool:
        return self._generation(table) == generation

    def run(self) -> None:
        while True:
            layer = self._take()
            started = time.monotonic()
            try:
                generation = self._generation(layer.table)
                written = self.cache.fill(layer, generation, self.still)
            except FillError as exc:
                log.warning("%s/%s not cached (%s); trying again in %.0f s", layer.project, layer.name, exc, RETRY_S)
                self.failures += 1
                self.schedule({layer.table}, RETRY_S)
                continue
            if written is None:
                log.info("%s/%s: approved again while filling; discarded", layer.project, layer.name)
            else:
                self.fills += 1
                log.info(
                    "%s/%s: cached %d bytes in %.2f s", layer.project, layer.name, written, time.monotonic() - started
                )


def write_status(path: Path | None, cache: Cache, filler: Filler, connected: bool) -> None:
    """The service's state for the monitoring (approval_channel.write_status_file)."""
    approval_channel.write_status_file(
        path,
        {
            "pid": os.getpid(),
            "time": time.time(),
            "connected": connected,
            "cached_layers": cache.cached_layers(),
            "layers": len(layers()),
            "removals": cache.removals,
            "fills": filler.fills,
            "fill_failures": filler.failures,
        },
    )


def listen(
    dsn: str, cache: Cache, filler: Filler, stop_after_s: float | None = None, status_file: Path | None = None
) -> None:
    """Remove the files of every table an approval changes, at once; the filler makes them again."""
    ends = None if stop_after_s is None else time.monotonic() + stop_after_s
    known: dict[str, int] | None = None

    def session(conn, standby: bool) -> None:
        nonlocal known
        now = generations(conn)
        if known is None:  # the first connection: nothing cached yet, fill everything
            filler.schedule(None, 0)
        else:  # approvals made while the connection was down
            _changed(cache, filler, known, now)
        known = now
        log.info("%s", "reading the approval log of a standby" if standby else f"listening on {CHANNEL}")
        last_status = 0.0
        while ends is None or time.monotonic() < ends:
            if time.monotonic() - last_status >= STATUS_INTERVAL_S:
                write_status(status_file, cache, filler, connected=True)
                last_status = time.monotonic()
            if standby:
                time.sleep(POLL_INTERVAL_S)
            elif approval_channel.notifications(conn, STATUS_INTERVAL_S) is None:
                continue
            now = generations(conn)
            _changed(cache, filler, known, now)
            known = now

    approval_channel.listen_for_approvals(
        dsn,
        session,
        application_name="zhytomyr_gis_download_cache",
        ends=ends,
        on_disconnected=lambda: write_status(status_file, cache, filler, connected=False),
    )


def _changed(cache: Cache, filler: Filler, before: dict[str, int], now: dict[str, int]) -> None:
    tables = {t for t, n in now.items() if before.get(t, 0) != n}
    if tables:
        started = time.monotonic()
        removed = cache.remove(tables)
        log.info(
            "approved %s: removed %d cached layers in %.3f s",
            ", ".join(sorted(tables)),
            removed,
            time.monotonic() - started,
        )
        filler.schedule(tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m zhytomyr_gis.publishing.download_cache", description=__doc__)
    parser.add_argument("--cache-dir", required=True, type=Path, help="the folder nginx serves the files from")
    parser.add_argument("--base-url", required=True, help="the server to ask (nginx in front of QGIS Server)")
    parser.add_argument("--service", default=catalog.SERVICE, help="pg_service entry to listen with")
    parser.add_argument("--status-file", type=Path, help="where to write the service's state for the monitoring")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cache = Cache(args.cache_dir, args.base_url)
    cache.remove_all()
    dsn = f"service={args.service}"
    filler = Filler(cache, dsn)
    filler.start()
    try:
        listen(dsn, cache, filler, status_file=args.status_file)
    except KeyboardInterrupt:
        pass
    finally:
        # Nobody will remove the files of the next approval: remove them all now.
        cache.remove_all(close=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
