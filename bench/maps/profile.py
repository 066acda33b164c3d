"""``python -m bench.maps.profile``: where each server spends a map's CPU, by perf.

    python -m bench.maps.profile [--workloads full,centre,tiles] [--seconds 20]

Starts the city dataset's public side as ``bench.maps`` does (both servers
writing PNG at zlib level 1: equal terms), and for each workload and server
in turn sends the workload's requests from 2 clients while ``perf record``
samples the server's worker processes (QGIS Server's FastCGI workers, or
MapServer's; PostgreSQL is not sampled: both read the same rows). The
samples are sorted by the function they fell in into the costs the
benchmark discusses: fetching features, coordinate transformation,
labelling, symbols and styling, rasterising (Qt's raster engine or AGG),
PNG writing, memory management, the kernel (sockets, files) and the rest.
Prints a table of shares and milliseconds of CPU per request per cost for
both servers; JSON in .run/bench/profile.json.

The categories are a reading of symbol names (``COSTS`` below, first match
wins); every symbol that matched none is counted as "other", and the
largest of those are printed so the reading can be checked.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import load, workloads
from .__main__ import serve
from .instance import Cluster, PublicSide, log, run_root
from .measure import MAPSERVER, QGIS, Bench, Bounds

# (cost, pattern over "dso symbol"); the first match wins, so specific before general.
COSTS: list[tuple[str, re.Pattern]] = [
    (name, re.compile(pattern))
    for name, pattern in (
        ("PNG writing", r"libz\.|libpng|deflate|png_|QPngHandler|QImageWriter|pngdefaults|msSaveImage|saveAsPNG"),
        (
            "labelling",
            r"pal::|QgsPal|QgsLabel|QgsVectorLayerLabel|QgsTextRenderer|QgsTextFormat|msAddLabel|"
            r"msDrawLabel|labelcache|msGetLabel|msLabel|FreeType|libfreetype|QFontEngine|QTextEngine|"
            r"qt_.*[Gg]lyph|QRawFont|msGetTruetype|msComputeTextPath|textpath|QgsLabelingEngine|"
            r"libharfbuzz|hb_|QPicture|qChecksum",  # QGIS draws label text and halos through a QPicture
        ),
        # PROJ's arithmetic is libm's (sincos, atan2, hypot, asinh...); PROJ reads its proj.db through SQLite.
        (
            "coordinate transformation",
            r"libproj|QgsCoordinateTransform|proj_|pj_|msProject|QgsCoordinateReference|libm\.so|libsqlite3",
        ),
        (
            "fetching features",
            r"libpq|QgsPostgres|QgsPostgresFeatureIterator|QgsFeature(Request|Iterator)?::|"
            r"QgsAbstractFeatureIterator|fromWkb|QgsWkb|QgsGeometryFactory|QgsLineString::fromWkb|"
            r"QgsPolygon::fromWkb|msPostGIS|wkb|arcPostGIS|QgsAttributes|QVariant",
        ),
        # Qt's raster engine is libQt5Gui's (its internal functions have no symbols: addresses only);
        # MapServer's AGG lives in MapServer's own namespace "mapserver::".
        ("rasterising", r"libQt5Gui|agg::|mapserver::|agg2|libagg|qt_memfill|QRasterPaintEngine"),
        (
            "symbols and styling",
            r"QgsSymbol|QgsFillSymbol|QgsLineSymbol|QgsMarkerSymbol|QgsSimple|QgsRenderer|"
            r"QgsCategorized|QgsRuleBased|QgsExpression|QgsRenderContext|QgsMapToPixel|"
            r"QgsVectorLayerRenderer|QgsGeometry|QgsClipper|msDrawShape|msDrawLine|"
            r"msDrawShade|msClip|msTransformShape|msDrawVector|msOffset|msEval|msLayer",
        ),
        (
            "memory management",
            r"jemalloc|je_|malloc|free|realloc|memcpy|memmove|memset|operator new|operator delete|"
            r"QArrayData|QListData",
        ),
        ("kernel", r"\[kernel|kallsyms|\[unknown\] *0xffff"),
    )
]
OTHER = "other"
ORDER = [name for name, _ in COSTS] + [OTHER]


def _workload_urls(workload: str, base: str) -> list[str]:
    if workload == "full":
        return [workloads.full_map_url(base)]
    extent = workloads.centre_extent_3857() if workload == "centre" else None
    return [base + u for u in workloads.tile_urls("", workloads.random_tiles(300, seed=7, extent_3857=extent))]


def _classify(dso: str, symbol: str) -> str:
    text = f"{dso} {symbol}"
    for name, pattern in COSTS:
        if pattern.search(text):
            return name
    return OTHER


def _samples(perf_data: Path) -> collections.Counter:
    """Sample periods per (dso, symbol), the function a sample fell in (no callers)."""
    out = subprocess.run(
        ["perf", "report", "-i", str(perf_data), "--no-children", "--sort", "dso,sym", "--stdio",
         "--percent-limit", "0", "-F", "period,dso,sym", "--field-separator", "\t"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    counts: collections.Counter = collections.Counter()
    for line in out.stdout.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].strip().isdigit():
            continue
        counts[(parts[1].strip(), parts[2].strip())] += int(parts[0])
    return counts


def profile(bench: Bench, server: str, workload: str, seconds: float) -> dict:
    urls = _workload_urls(workload, bench.base(server))
    own = bench.side.folder / ("qgis-server.pid" if server == QGIS else "mapserver.pid")
    pids = load.process_tree([int(v) for v in own.read_text().split()])  # the workers (and a supervisor, idle)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "perf.data"
        perf = subprocess.Popen(
            ["perf", "record", "-F", "499", "-o", str(data), "-p", ",".join(map(str, pids))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(1)
        result = load.run(
            urls, clients=2, max_requests=100_000, max_seconds=seconds, expect_type="image/png",
            server_pids=lambda: pids,
        )  # fmt: skip
        perf.send_signal(2)
        perf.wait(timeout=60)
        counts = _samples(data)
    total = sum(counts.values()) or 1
    by_cost: collections.Counter = collections.Counter()
    others: collections.Counter = collections.Counter()
    for (dso, symbol), n in counts.items():
        cost = _classify(dso, symbol)
        by_cost[cost] += n
        if cost == OTHER:
            others[f"{dso} {symbol}"] += n
    cpu_ms = result.cpu_ms_per_request or 0.0
    return {
        "server": server,
        "workload": workload,
        "requests": result.requests,
        "cpu_ms_per_request": cpu_ms,
        "share": {cost: by_cost[cost] / total for cost in ORDER},
        "ms": {cost: round(cpu_ms * by_cost[cost] / total, 2) for cost in ORDER},
        "largest_other": [(name, round(n / total, 4)) for name, n in others.most_common(8)],
        "errors": result.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.maps.profile", description=__doc__)
    parser.add_argument("--workloads", default="full,centre,tiles")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    root = run_root()
    cluster, side = Cluster(root / "pg"), PublicSide(root / "server")
    cluster.start()
    rows = []
    try:
        dbname = serve(cluster, side, "city")
        bench = Bench(cluster, side, "city", "production", Bounds(), dbname=dbname)
        bench.warm_up()
        for workload in args.workloads.split(","):
            for server in (QGIS, MAPSERVER):
                log(f"perf: {workload} on {server}")
                rows.append(profile(bench, server, workload, args.seconds))
    finally:
        side.stop()
        cluster.stop()
    (root / "profile.json").write_text(json.dumps(rows, indent=1))
    for workload in args.workloads.split(","):
        pair = [r for r in rows if r["workload"] == workload]
        print(f"\n{workload}: CPU ms per request (share)")
        print(f"{'cost':<28}" + "".join(f"{r['server']:>24}" for r in pair))
        for cost in ORDER:
            print(f"{cost:<28}" + "".join(f"{r['ms'][cost]:>13.2f} ({100 * r['share'][cost]:4.1f} %)" for r in pair))
        print(
            f"{'total':<28}"
            + "".join(f"{r['cpu_ms_per_request']:>13.2f} ({r['requests']} req)".rjust(24) for r in pair)
        )
        for r in pair:
            print(
                f"  largest 'other' of {r['server']}: "
                + "; ".join(f"{n} {100 * s:.1f} %" for n, s in r["largest_other"][:5])
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
