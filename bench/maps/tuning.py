"""Tuning choices, each measured against the production set-up.

A variant changes one thing of the production set-up (the QGIS Server
environment, the worker count, the projects, the database, or the image
format asked for); it is measured on the city dataset with the same
tiles and full maps at 2 clients as the production set-up, right before
or after it, and kept only if it helps. MapServer runs alongside in the
same set-up, so every row also has its ratio to the peer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import workloads
from .instance import Cluster, PublicSide, ensure_dataset, log
from .measure import MAPSERVER, QGIS, Bench, Bounds


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    env: dict[str, str] = field(default_factory=dict)  # QGIS Server environment overrides
    workers: int | None = None  # FastCGI workers of each server
    build: tuple[str, ...] = ()  # project builder options
    fmt: str = "image/png"
    before_sql: str | None = None  # run on the database before measuring
    after_sql: str | None = None  # and after (restores the production state)
    wfs: bool = False  # also measure the WFS download of all parcels


PRODUCTION = Variant("production", "the production set-up (qgis_server/, projects from the builder)")


def prepare(variant: Variant, side: PublicSide, cluster: Cluster, dbname: str) -> Path:
    """The projects folder the variant serves (built with its options)."""
    if not variant.build:
        return side.projects
    folder = side.folder / f"projects-{variant.name}"
    side.build_projects(folder, variant.build)
    return folder


def server_env(variant: Variant, side: PublicSide, png_zlib_level: int) -> dict[str, str]:
    """The environment of tools/server.sh for ``variant``, QGIS Server's PNGs at ``png_zlib_level``
    (the mapfiles are written at the same level)."""
    env: dict[str, str] = {}
    settings = {"ZGIS_PNG_ZLIB_LEVEL": str(png_zlib_level), **variant.env}
    overrides = side.folder / f"env-{variant.name}"
    overrides.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    env["ZGIS_QGIS_ENV_OVERRIDES"] = str(overrides)
    if variant.workers:
        env["ZGIS_WORKERS"] = str(variant.workers)
    return env


STATISTICS_OF_PUBLISHED = "(SELECT oid FROM pg_class WHERE relnamespace = 'published'::regnamespace)"

BIG_LAYERS = ("property_land_parcel", "property_property_object", "ref_address")

VARIANTS: tuple[Variant, ...] = (
    Variant(
        "no-spatial-index",
        "the GiST indexes of the three big published tables dropped (production: every published table has one)",
        before_sql="; ".join(f"DROP INDEX published.{t}_geom_idx" for t in BIG_LAYERS),
        after_sql="; ".join(
            f"CREATE INDEX IF NOT EXISTS {t}_geom_idx ON published.{t} USING gist (geom)" for t in BIG_LAYERS
        )
        + "; ANALYZE",
    ),
    Variant(
        "no-statistics",
        "published tables without planner statistics (production: ANALYZE after load and approvals)",
        before_sql=f"DELETE FROM pg_statistic WHERE starelid IN {STATISTICS_OF_PUBLISHED}",
        after_sql="ANALYZE",
    ),
    Variant(
        "no-labels",
        "diagnostic only, never deployed: projects without labels (what labelling costs)",
        build=("--no-labels",),
    ),
    Variant(
        "centroid-labels",
        "polygon labels over the centroid instead of searching the polygon for room",
        build=("--polygon-labels", "centroid"),
    ),
    Variant(
        "few-label-positions",
        "the labelling engine tries 1 position a cm of line and 0.5 a cm² of polygon (QGIS: 5 and 2.5)",
        build=("--label-candidates", "1", "0.5"),
    ),
    Variant("trust-metadata", "projects trust their stored layer metadata", build=("--trust-metadata", "yes")),
    Variant(
        "qt-png-defaults",
        "QGIS Server's own PNG writing: the encoder defaults library (qgis_server/png) not preloaded, "
        "so libpng tries five row filters a row and zlib works at level 6",
        env={"LD_PRELOAD": "libjemalloc.so.2"},
    ),
    Variant("png8", "8-bit (palette) PNG: FORMAT=image/png; mode=8bit", fmt="image/png; mode=8bit"),
    Variant(
        "glibc-malloc",
        "glibc's malloc instead of jemalloc in the QGIS Server workers",
        env={"LD_PRELOAD": "@RUN_DIR@/lib/libzgis-pngdefaults.so"},
        wfs=True,
    ),
    Variant(
        "round-line-caps",
        "QGIS draws streets with round line ends (as before) instead of square ones (MapServer's mapfiles keep square)",
        build=("--line-cap", "round"),
    ),
    Variant(
        "round-halo-joins",
        "label halos with round corners (QGIS's default) instead of bevelled ones",
        build=("--halo-join", "round"),
    ),
    Variant(
        "parallel",
        "parallel rendering inside each QGIS worker (2 threads)",
        env={"QGIS_SERVER_PARALLEL_RENDERING": "true", "QGIS_SERVER_MAX_THREADS": "2"},
    ),
    Variant(
        "no-access-plugin",
        "diagnostic only, never deployed: the access-control server plugin not loaded (its cost)",
        env={"QGIS_PLUGINPATH": "/nonexistent"},
    ),
    Variant("workers-1", "1 FastCGI worker per server", workers=1),
    Variant("workers-3", "3 FastCGI workers per server", workers=3),
    Variant("workers-4", "4 FastCGI workers per server", workers=4),
)


def _measure(bench: Bench, variant: Variant) -> None:
    bench.variant = variant.name
    bench.warm_up()
    label = "tiles" if variant.fmt == "image/png" else "tiles png8"
    bench.tiles(clients_list=(2,), fmt=variant.fmt, label=label)
    bench.tiles(clients_list=(2,), fmt=variant.fmt, label=f"{label} centre", extent_3857=workloads.centre_extent_3857())
    bench.full_maps(
        clients_list=(2,), fmt=variant.fmt, label="full map" if variant.fmt == "image/png" else "full map png8"
    )
    if variant.wfs:
        bench.wfs()


def _qgis(rows: list[dict], variant: str, workload: str, server: str = QGIS) -> dict | None:
    return next(
        (r for r in rows if r["variant"] == variant and r["workload"] == workload and r["server"] == server),
        None,
    )


def run_all(cluster: Cluster, side: PublicSide, bounds: Bounds, rows: list[dict], serve, only=()) -> list[dict]:
    """Every variant right after a production run; one summary row per variant."""
    summary = []
    # An interrupted run may have left a variant's change behind: restore production first.
    city = ensure_dataset(cluster, "city")
    for restore in (v.after_sql for v in VARIANTS if v.after_sql):
        cluster.execute(restore, city)
    for variant in VARIANTS:
        if only and variant.name not in only:
            continue
        bench_rows: list[dict] = []
        dbname = serve(cluster, side, "city", PRODUCTION)
        bench = Bench(cluster, side, "city", "production", bounds, bench_rows, dbname)
        _measure(bench, replace(PRODUCTION, wfs=variant.wfs))
        if variant.before_sql:
            cluster.execute(variant.before_sql, dbname)
        try:
            serve(cluster, side, "city", variant)
            _measure(bench, variant)
        finally:
            if variant.after_sql:
                cluster.execute(variant.after_sql, dbname)
        for r in bench_rows:
            r["tuning_pair"] = variant.name
            if r["variant"] == "production":  # kept apart from the production figures of the main section
                r["variant"] = f"before {variant.name}"
        rows.extend(bench_rows)
        entry = {"variant": variant.name, "description": variant.description}
        for workload in ("tiles", "tiles centre", "full map", *(("WFS parcels",) if variant.wfs else ())):
            # The 8-bit variant's rows carry the format in their names.
            measured = _png8_name(workload) if variant.fmt != "image/png" else workload
            base = _qgis(bench_rows, f"before {variant.name}", workload)
            new = _qgis(bench_rows, variant.name, measured)
            peer = _qgis(bench_rows, variant.name, measured, MAPSERVER)
            key = workload.replace(" ", "_")
            entry[key] = {
                "rps": [base["rps"], new["rps"]],
                "cpu_ms_per_request": [base["cpu_ms_per_request"], new["cpu_ms_per_request"]],
                # CPU per request is what the choice changes; requests per second also
                # follow whatever else the shared machine is doing at the moment.
                "cpu_change": _change(base["cpu_ms_per_request"], new["cpu_ms_per_request"]),
                "rps_change": _change(base["rps"], new["rps"]),
                "vs_mapserver_rps": round(new["rps"] / peer["rps"], 2) if peer and peer["rps"] else None,
                "mean_bytes": [base["mean_bytes"], new["mean_bytes"]],
            }
        entry["loadavg"] = [float(v) for v in open("/proc/loadavg").read().split()[:3]]
        tiles_change, map_change = entry["tiles"]["cpu_change"], entry["full_map"]["cpu_change"]
        log(f"tuning {variant.name}: CPU per tile {tiles_change:+.0%}, per full map {map_change:+.0%}")
        summary.append(entry)
    return summary


def _png8_name(workload: str) -> str:
    return {"tiles": "tiles png8", "tiles centre": "tiles png8 centre", "full map": "full map png8"}[workload]


def _change(before: float | None, after: float | None) -> float | None:
    return round(after / before - 1, 3) if before and after is not None else None


def table(summary: list[dict]) -> str:
    """One line per variant: QGIS Server's CPU per request (and req/s), production -> variant."""
    cells = (("tiles", "tiles"), ("tiles_centre", "centre tiles"), ("full_map", "full map"))
    head = f"{'variant':<20}|" + "|".join(f" {name + ' cpu ms':>22} {'change':>6} " for _, name in cells)
    head += "| QGIS/MS req/s t, c, m"
    lines = ["QGIS Server, city, 2 clients; each variant right after production", head, "-" * len(head)]
    for e in summary:
        line = f"{e['variant']:<20}|"
        for key, _ in cells:
            cell = e[key]
            before, after = cell["cpu_ms_per_request"]
            change = f"{cell['cpu_change']:+.0%}" if cell["cpu_change"] is not None else "?"
            line += f" {before!s:>10} -> {after!s:<8} {change:>6} |"
        line += " " + ", ".join(str(e[key]["vs_mapserver_rps"]) for key, _ in cells)
        if "WFS_parcels" in e:  # variants that also measure the download of all parcels
            cell = e["WFS_parcels"]
            line += f" | WFS cpu {cell['cpu_ms_per_request'][0]} -> {cell['cpu_ms_per_request'][1]} ms"
            line += f" ({cell['cpu_change']:+.0%})" if cell["cpu_change"] is not None else ""
        lines.append(line)
    return "\n".join(lines)
