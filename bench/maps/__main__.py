"""``python -m bench.maps``: QGIS Server against MapServer 8, side by side.

    python -m bench.maps [--sections main,scaling,tuning,wfs] [--sizes small,city,large] [--quick]

main     the city dataset, both servers writing PNG at zlib level 1 and then both
         at level 6 (equal terms): tiles over the city and of the dense centre,
         full maps and 8-bit full maps at 2 clients in repeated pairs (at level 1
         also 1 and 4 clients); at level 1 also the cost of writing the image,
         cached tiles, WFS of all parcels against the PostGIS floor, OGC API
         pages, tiles by zoom
scaling  on every dataset size: tiles at 2 clients over the whole city and
         over the centre (where every size has data), full maps, WFS
tuning   each tuning choice against the production set-up (bench/maps/tuning.py)
wfs      the city's parcels as GeoJSON only: QGIS Server, MapServer, the download
         cache, nginx sending the same file, the PostGIS floor (part of main)

Prints the table, writes .run/bench/maps.json and .run/bench/maps.png.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys

from zhytomyr_gis.publishing import mapfile

from . import report, tuning, workloads
from .instance import Cluster, PublicSide, ensure_dataset, feature_counts, geometry_stats, run_root
from .measure import QUICK, TUNING, Bench, Bounds

# Both servers write their PNGs at each of these zlib levels in turn: QGIS
# Server's production level first, then zlib's default (MapServer's own).
PNG_LEVELS = (1, 6)


def _loadavg() -> list[float]:
    return [float(v) for v in open("/proc/loadavg").read().split()[:3]]


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], capture_output=True, text=True, cwd=os.path.dirname(__file__))
    return out.stdout.strip()


def serve(
    cluster: Cluster, side: PublicSide, size: str, variant: tuning.Variant | None = None, png_level: int = 1
) -> str:
    """Start the public side on the ``size`` database in the set-up of ``variant``,
    both servers writing PNG at zlib level ``png_level``."""
    dbname = ensure_dataset(cluster, size)
    side.prepare(cluster, dbname, png_level)
    variant = variant or tuning.PRODUCTION
    projects = tuning.prepare(variant, side, cluster, dbname)
    side.start(extra_env=tuning.server_env(variant, side, png_level), projects=projects)
    return dbname


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.maps", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sections", default="main,scaling,tuning")
    parser.add_argument("--sizes", default="small,city,large", help="datasets of the scaling section")
    parser.add_argument("--variants", default="", help="tuning variants to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="a few requests per cell (a smoke run)")
    args = parser.parse_args(argv)
    sections = args.sections.split(",")
    bounds = QUICK if args.quick else Bounds()
    out_dir = run_root()
    cluster = Cluster(out_dir / "pg")
    side = PublicSide(out_dir / "server")
    cluster.start()
    rows: list[dict] = []
    tuning_rows: list[dict] = []
    meta = {
        "started": datetime.datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "loadavg_start": _loadavg(),
        "quick": args.quick,
        "bounds": bounds.__dict__,
        "workers": {
            "qgis": int(os.environ.get("ZGIS_WORKERS", "2")),
            "mapserver": int(os.environ.get("ZGIS_WORKERS", "2")),
        },
        "datasets": {},
    }
    try:
        if "main" in sections:
            meta["encoding"] = {}
            for level in PNG_LEVELS:
                dbname = serve(cluster, side, "city", png_level=level)
                meta["datasets"]["city"] = feature_counts(cluster, dbname)
                meta["geometry_city"] = geometry_stats(cluster, dbname)
                bench = Bench(cluster, side, "city", "production", bounds, rows, dbname, png_level=level)
                bench.warm_up()
                meta["encoding"][level] = bench.output_encoding()
                first = level == PNG_LEVELS[0]
                bench.tiles(clients_list=(1, 2, 4) if first else (2,))
                bench.tiles(clients_list=(2,), label="tiles centre", extent_3857=workloads.centre_extent_3857())
                bench.full_maps(clients_list=(1, 2, 4) if first else (2,))
                bench.full_maps(clients_list=(2,), fmt="image/png; mode=8bit", label="full map png8")
                if not first:
                    continue
                bench.image_encoding()
                bench.cached_tiles()
                bench.wfs()
                bench.ogcapi_pages()
                bench.tiles_by_zoom()
            meta["loadavg_after_main"] = _loadavg()
        if "wfs" in sections and "main" not in sections:  # the downloads alone (main measures them too)
            dbname = serve(cluster, side, "city")
            meta["datasets"]["city"] = feature_counts(cluster, dbname)
            bench = Bench(cluster, side, "city", "production", bounds, rows, dbname)
            bench.warm_up()
            bench.wfs()
            meta["loadavg_after_wfs"] = _loadavg()
        if "scaling" in sections:
            for size in args.sizes.split(","):
                if size == "city" and "main" in sections:
                    continue  # measured above with the same requests
                dbname = serve(cluster, side, size)
                meta["datasets"][size] = feature_counts(cluster, dbname)
                bench = Bench(cluster, side, size, "production", bounds, rows, dbname)
                bench.warm_up()
                # Where every size has data (the small town's 800 m around the centre).
                bench.tiles(clients_list=(2,), label="tiles centre", extent_3857=workloads.centre_extent_3857())
                bench.tiles(clients_list=(2,))
                bench.full_maps(clients_list=(2,))
                bench.wfs()
            meta["loadavg_after_scaling"] = _loadavg()
        if "tuning" in sections:
            wanted = [v for v in args.variants.split(",") if v]
            tuning_bounds = QUICK if args.quick else TUNING
            tuning_rows = tuning.run_all(cluster, side, tuning_bounds, rows, serve, only=wanted)
            meta["loadavg_after_tuning"] = _loadavg()
    finally:
        side.stop()
        cluster.stop()
    meta["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    meta["loadavg_end"] = _loadavg()
    print(report.table(rows))
    equal = report.equal_terms(rows)
    differences = list(mapfile.DIFFERENCES_FROM_QGIS)
    meta["still_different"] = report.encoding_differences(meta.get("encoding", {})) + differences
    if equal:
        print()
        print(report.equal_terms_text(equal, meta.get("encoding", {}), differences))
    print()
    print(report.targets_text(report.targets(rows)))
    if tuning_rows:
        print()
        print(tuning.table(tuning_rows))
    json_path = out_dir / "maps.json"
    report.save_json(json_path, meta, rows, tuning_rows)
    png = out_dir / "maps.png"
    report.plot(
        png,
        rows,
        f"Zhytomyr public maps: QGIS Server vs MapServer 8 ({meta['started']}, load {meta['loadavg_start'][0]:.1f})",
    )
    if equal:
        report.plot_equal_terms(
            out_dir / "equal-terms.png",
            equal,
            f"QGIS Server vs MapServer 8 on equal terms, city, 2 clients ({meta['started']}, "
            f"load {meta['loadavg_start'][0]:.1f} at the start)",
            meta["still_different"],
        )
    print(
        f"\nresults: {json_path}\nplots: {png}, {out_dir / 'equal-terms.png'}"
        f"\nload average at start {meta['loadavg_start']}, end {meta['loadavg_end']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
