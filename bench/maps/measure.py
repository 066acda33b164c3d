"""One measurement each: a workload sent to one server, recorded as a row.

Every row says which dataset, which set-up (variant), which workload,
which server and how many clients, with the load generator's result.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

from zhytomyr_gis.publishing import download_cache, png_encoding

from . import load, workloads
from .instance import Cluster, PublicSide, log

QGIS, MAPSERVER, CACHE, POSTGIS = "QGIS Server", "MapServer", "MapProxy cache", "PostGIS"
POSTGIS_NATIVE = "PostGIS EPSG:9836"


@dataclass
class Bounds:
    pairs: int = 3  # QGIS Server and MapServer measured one after the other this many times (order alternating)
    tile_requests: int = 300
    tile_seconds: float = 30
    map_requests: int = 40
    map_seconds: float = 30
    wfs_repeats: int = 3
    page_requests: int = 60
    page_seconds: float = 20
    cache_requests: int = 3000
    cache_seconds: float = 10


QUICK = Bounds(1, 60, 8, 6, 8, 1, 20, 6, 500, 3)
TUNING = Bounds(1, 300, 20, 30, 20, 1, 20, 10, 500, 3)


def loadavg() -> list[float]:
    return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]


def _pid_file(path: Path) -> list[int]:
    try:
        return [int(p) for p in path.read_text().split() if p.strip().isdigit()]
    except FileNotFoundError:
        return []


@dataclass
class Bench:
    cluster: Cluster
    side: PublicSide
    size: str
    variant: str
    bounds: Bounds
    rows: list[dict] = field(default_factory=list)
    dbname: str = ""
    png_level: int = 1  # the zlib level both servers write their PNGs at

    # --------------------------------------------------------- processes
    def _postgres_pids(self) -> list[int]:
        return _pid_file(self.cluster.folder / "data" / "postmaster.pid")[:1]

    def server_pids(self, server: str) -> Callable[[], list[int]]:
        folder = self.side.folder
        own = {
            QGIS: folder / "qgis-server.pid",
            MAPSERVER: folder / "mapserver.pid",
            CACHE: folder / "tiles.pid",
            POSTGIS: None,
            POSTGIS_NATIVE: None,
        }[server]

        def pids() -> list[int]:
            roots = self._postgres_pids() + _pid_file(folder / "nginx.pid")
            if own is not None:
                roots += _pid_file(own)
            return load.process_tree(roots)

        return pids

    def base(self, server: str) -> str:
        prefix = {QGIS: "ows", MAPSERVER: "mapserver"}[server]
        return f"{self.side.base_url}/{prefix}/{workloads.PROJECT}"

    def record(self, workload: str, server: str, clients: int, result: load.Result, **extra) -> dict:
        row = {
            "size": self.size,
            "variant": self.variant,
            "png_level": self.png_level,
            "workload": workload,
            "server": server,
            "clients": clients,
            **result.as_dict(),
            "loadavg": loadavg()[0],
            **extra,
        }
        self.rows.append(row)
        log(
            f"{self.size:<6} {self.variant:<14} L{self.png_level} {workload:<12} {server:<15} c={clients} "
            f"{result.rps:8.2f} req/s  p50 {result.p50_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms"
            + (f"  cpu {result.cpu_ms_per_request} ms/req" if result.cpu_ms_per_request is not None else "")
            + f"  {result.mean_bytes / 1024:.1f} KB  load {row['loadavg']}"
            + (f"  errors {result.errors}: {result.first_error}" if result.errors else "")
        )
        return row

    # --------------------------------------------------------- workloads
    def warm_up(self, servers=(QGIS, MAPSERVER)) -> None:
        """Every worker opens the project / mapfile and its connections before anything is timed."""
        tiles = workloads.tile_urls("", workloads.random_tiles(12, seed=1))
        for server in servers:
            urls = [self.base(server) + u for u in tiles]
            load.run(urls, clients=4, max_requests=24, max_seconds=60, expect_type="image/png")
            load.run(
                [workloads.full_map_url(self.base(server))],
                clients=2,
                max_requests=4,
                max_seconds=60,
                expect_type="image/png",
            )

    def pairs(
        self,
        label: str,
        urls: Callable[[str], list[str]],
        clients: int,
        *,
        requests: int,
        seconds: float,
        repeats: int = 1,
        servers=(QGIS, MAPSERVER),
    ) -> None:
        """The same requests to each server, one right after the other, ``repeats`` times
        (the order alternating, so that a change of the machine's load favours neither)."""
        for repeat in range(repeats):
            for server in servers if repeat % 2 == 0 else tuple(reversed(servers)):
                result = load.run(
                    urls(self.base(server)),
                    clients=clients,
                    max_requests=requests,
                    max_seconds=seconds,
                    expect_type="image/png",
                    server_pids=self.server_pids(server),
                )
                self.record(label, server, clients, result, repeat=repeat)

    def tiles(
        self,
        clients_list=(1, 2, 4),
        servers=(QGIS, MAPSERVER),
        fmt: str = "image/png",
        label: str = "tiles",
        extent_3857=None,
        paired_clients: int = 2,
    ) -> None:
        """Random tiles over the city (or ``extent_3857``); at ``paired_clients`` in repeated pairs."""
        tiles = workloads.random_tiles(self.bounds.tile_requests, extent_3857=extent_3857)
        for clients in clients_list:
            self.pairs(
                label,
                lambda base: workloads.tile_urls(base, tiles, fmt),
                clients,
                requests=self.bounds.tile_requests,
                seconds=self.bounds.tile_seconds,
                repeats=self.bounds.pairs if clients == paired_clients else 1,
                servers=servers,
            )

    def tiles_by_zoom(self, servers=(QGIS, MAPSERVER), per_zoom: int = 30) -> None:
        """Latency of one client per zoom level (where does the time go?)."""
        tiles = workloads.random_tiles(per_zoom * len(workloads.ZOOMS), seed=77)
        for z in workloads.ZOOMS:
            of_zoom = [t for t in tiles if t[0] == z]
            for server in servers:
                result = load.run(
                    workloads.tile_urls(self.base(server), of_zoom),
                    clients=1,
                    max_requests=len(of_zoom),
                    max_seconds=self.bounds.tile_seconds,
                    expect_type="image/png",
                    server_pids=self.server_pids(server),
                )
                self.record(f"tile z{z}", server, 1, result)

    def full_maps(
        self,
        clients_list=(1, 2, 4),
        servers=(QGIS, MAPSERVER),
        fmt: str = "image/png",
        label: str = "full map",
        paired_clients: int = 2,
    ) -> None:
        for clients in clients_list:
            self.pairs(
                label,
                lambda base: [workloads.full_map_url(base, fmt)],
                clients,
                requests=self.bounds.map_requests,
                seconds=self.bounds.map_seconds,
                repeats=self.bounds.pairs if clients == paired_clients else 1,
                servers=servers,
            )

    def output_encoding(self, servers=(QGIS, MAPSERVER)) -> dict[str, dict[str, dict]]:
        """How each server encodes what the equal-terms workloads ask for, read from
        one answer each: a dense tile of the centre, the full map, the full map in 8 bits."""
        dense = next(t for t in workloads.random_tiles(12, extent_3857=workloads.centre_extent_3857()) if t[0] == 17)
        centre = workloads.tile_bbox(*dense)
        samples = {
            "tile": lambda base: workloads.getmap(base, centre, 256, 256, "image/png"),
            "full map": lambda base: workloads.full_map_url(base),
            "full map png8": lambda base: workloads.full_map_url(base, "image/png; mode=8bit"),
        }
        found: dict[str, dict[str, dict]] = {}
        for name, url in samples.items():
            for server in servers:
                found.setdefault(name, {})[server] = png_encoding.read(_get(url(self.base(server)))).describe()
        return found

    def image_encoding(self, servers=(QGIS, MAPSERVER)) -> None:
        """Where a full map's time goes: the city boundary alone (one line on a 1024x768
        image, next to nothing to draw) in 32-bit and 8-bit PNG: the cost of writing the image."""
        for fmt, label in (("image/png", "boundary map"), ("image/png; mode=8bit", "boundary png8")):
            for server in servers:
                result = load.run(
                    [workloads.full_map_url(self.base(server), fmt, layers="ref_city_boundary")],
                    clients=1,
                    max_requests=self.bounds.map_requests,
                    max_seconds=self.bounds.map_seconds,
                    expect_type="image/png",
                    server_pids=self.server_pids(server),
                )
                self.record(label, server, 1, result)

    def cached_tiles(self, clients_list=(1, 2, 4)) -> None:
        """The same tiles from the tile cache (filled first, timed separately).

        Production serves a cached tile from its file with nginx; the same
        tile asked of MapProxy itself (its WMTS KVP address) shows what the
        cache costs without that shortcut.
        """
        tiles = workloads.random_tiles(self.bounds.tile_requests)
        xyz = [f"{self.side.base_url}/tiles/wmts/{workloads.PROJECT}/webmercator/{z}/{x}/{y}.png" for z, x, y in tiles]
        kvp = [
            f"{self.side.base_url}/tiles/service?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={workloads.PROJECT}"
            f"&STYLE=default&TILEMATRIXSET=webmercator&TILEMATRIX={z:02d}&TILEROW={y}&TILECOL={x}&FORMAT=image/png"
            for z, x, y in tiles
        ]
        fill = load.run(xyz, clients=2, max_requests=len(xyz), max_seconds=900, expect_type="image/png")
        self.record("cache fill", CACHE, 2, fill)
        for label, urls in (("cached tiles", xyz), ("cached MapProxy", kvp)):
            for clients in clients_list:
                result = load.run(
                    urls,
                    clients=clients,
                    max_requests=self.bounds.cache_requests,
                    max_seconds=self.bounds.cache_seconds,
                    expect_type="image/png",
                    server_pids=self.server_pids(CACHE),
                )
                self.record(label, CACHE, clients, result)

    def wfs(self) -> None:
        """All parcels as GeoJSON: QGIS Server, MapServer, and PostGIS building it itself (the floor)."""
        expected = self.cluster.execute(f"SELECT count(*) FROM published.{workloads.PARCELS}", self.dbname)[0][0]
        self.wait_for_download_cache()
        for server, url in (
            (QGIS, workloads.wfs_parcels_qgis(self.base(QGIS))),
            (MAPSERVER, workloads.wfs_parcels_mapserver(self.base(MAPSERVER))),
        ):
            times, count, size = [], None, 0
            result = None
            for _ in range(self.bounds.wfs_repeats):
                result = load.run(
                    [url],
                    clients=1,
                    max_requests=1,
                    max_seconds=600,
                    expect_type="application/",
                    server_pids=self.server_pids(server),
                )
                times.append(result.p50_ms)
                size = result.mean_bytes
            body = _get(url)
            count = len(json.loads(body)["features"])
            result.p50_ms = statistics.median(times)
            result.p95_ms = max(times)
            self.record("WFS parcels", server, 1, result, features=count, expected_features=expected, bytes=size)
        self.wfs_cached(expected)
        env = self.side.env()
        os.environ["PGSERVICEFILE"], os.environ["PGPASSFILE"] = env["PGSERVICEFILE"], env["PGPASSFILE"]
        columns = [
            c
            for (c,) in self.cluster.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'published'"
                " AND table_name = %s AND column_name <> 'geom' ORDER BY ordinal_position",
                self.dbname,
                (workloads.PARCELS,),
            )
        ]
        for server, transform in ((POSTGIS, True), (POSTGIS_NATIVE, False)):
            times = []
            conn = psycopg2.connect("service=zhytomyr_gis_portal")  # the public role, over TCP like the servers
            try:
                with conn.cursor() as cur:  # warm, as the servers are: PROJ set up, pages cached
                    cur.execute(workloads.postgis_geojson_sql(columns, transform))
                for _ in range(self.bounds.wfs_repeats):
                    started = time.perf_counter()
                    with conn.cursor() as cur:
                        cur.execute(workloads.postgis_geojson_sql(columns, transform))
                        text = cur.fetchone()[0]
                    times.append(1000 * (time.perf_counter() - started))
            finally:
                conn.close()
            count = len(json.loads(text)["features"])
            median = statistics.median(times)
            floor = load.Result(
                self.bounds.wfs_repeats,
                0,
                round(sum(times) / 1000, 3),
                round(1000 / median, 3),
                round(median, 1),
                round(max(times), 1),
                len(text),
                None,
            )
            self.record("WFS parcels", server, 1, floor, features=count, expected_features=expected, bytes=len(text))

    def wait_for_download_cache(self) -> None:
        """Nothing is measured while the download cache is still asking QGIS Server for its files."""
        root = self.side.folder / "downloads"
        ends = time.monotonic() + 900
        while not (root / download_cache.IDLE_MARK).exists():
            if time.monotonic() > ends:
                raise RuntimeError(f"the download cache in {root} is still filling")
            time.sleep(0.5)

    def wfs_cached(self, expected: int) -> None:
        """The same download answered by the download cache, and nginx sending the same
        bytes as a plain static file (the speed of a file): both without compression."""
        folder = self.side.folder / "downloads" / workloads.PROJECT / workloads.PARCELS
        cached = folder / download_cache.WHOLE_LAYER_FILE
        ends = time.monotonic() + 600
        # Filled by the service after the server starts: measured once it has made every file.
        while not (cached.exists() and (folder.parents[1] / download_cache.IDLE_MARK).exists()):
            if time.monotonic() > ends:
                raise RuntimeError(f"the download cache made no {cached}")
            time.sleep(0.5)
        url = workloads.wfs_parcels_qgis(self.base(QGIS), cached=True)
        with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback)
            if response.headers.get("X-Download-Cache") != "hit":
                raise RuntimeError(f"{url} was not answered by the download cache")
        # A location of the benchmark's own (never part of the public set-up):
        # the same file as static content, and nginx told to read its configuration again.
        static = self.side.folder / "bench-static"
        static.mkdir(exist_ok=True)
        shutil.copyfile(cached, static / "parcels.geojson")
        (self.side.folder / "locations" / "bench-static.conf").write_text(
            f"location = /bench-static/parcels.geojson {{ alias {static}/parcels.geojson;"
            " types { application/vnd.geo+json geojson; } }\n"
        )
        subprocess.run(
            ["nginx", "-p", str(self.side.folder), "-c", str(self.side.folder / "nginx.conf"), "-s", "reload"],
            check=True,
        )
        time.sleep(1)
        for workload, server, target in (
            ("WFS parcels cached", QGIS, url),
            ("WFS parcels file", CACHE, f"{self.side.base_url}/bench-static/parcels.geojson"),
        ):
            times, result = [], None
            for _ in range(self.bounds.wfs_repeats):
                result = load.run(
                    [target],
                    clients=1,
                    max_requests=1,
                    max_seconds=600,
                    expect_type="application/",
                    server_pids=self.server_pids(server),
                )
                times.append(result.p50_ms)
            count = len(json.loads(_get(target))["features"])
            result.p50_ms = statistics.median(times)
            result.p95_ms = max(times)
            self.record(
                workload, server, 1, result, features=count, expected_features=expected, bytes=result.mean_bytes
            )

    def ogcapi_pages(self, clients_list=(1, 2)) -> None:
        """Pages of 100 parcels at random offsets, and the largest page the server allows (1000)."""
        total = self.cluster.execute(f"SELECT count(*) FROM published.{workloads.PARCELS}", self.dbname)[0][0]
        cells = [(clients, 100, "OGC API page") for clients in clients_list] + [(1, 1000, "OGC API 1000")]
        for clients, limit, label in cells:
            pages = self.bounds.page_requests if limit == 100 else max(3, self.bounds.page_requests // 6)
            for server, urls in (
                (QGIS, workloads.ogcapi_pages_qgis(self.base(QGIS), total, pages, limit)),
                (MAPSERVER, workloads.ogcapi_pages_mapserver(self.base(MAPSERVER), total, pages, limit)),
            ):
                result = load.run(
                    urls,
                    clients=clients,
                    max_requests=pages,
                    max_seconds=self.bounds.page_seconds,
                    expect_type="application/",
                    server_pids=self.server_pids(server),
                )
                self.record(label, server, clients, result)


def _get(url: str) -> bytes:
    import urllib.request  # noqa: PLC0415

    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 - loopback only
        return response.read()
