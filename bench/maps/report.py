"""The results: a table on the terminal, JSON, and a plot (PNG)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .measure import CACHE, MAPSERVER, POSTGIS, POSTGIS_NATIVE, QGIS


def _cell(row: dict | None) -> str:
    if row is None:
        return f"{'':>27}"
    return f"{row['rps']:8.2f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "


def table(rows: list[dict]) -> str:
    """QGIS Server and MapServer side by side, one line per workload, dataset, set-up and client count."""
    keyed: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in rows:
        keyed[(r["size"], r["variant"], r["workload"], r["clients"])][r["server"]] = r
    head = (
        f"{'dataset':<7} {'set-up':<16} {'workload':<13} {'cl':>2} | "
        f"{'QGIS req/s':>10} {'p50 ms':>8} {'p95 ms':>8} | {'MapServer':>9} {'p50 ms':>8} {'p95 ms':>8} | "
        f"{'QGIS/MS':>7} | {'cpu ms/req Q/MS':>15}"
    )
    lines = [head, "-" * len(head)]
    for (size, variant, workload, clients), by in keyed.items():
        q, m = by.get(QGIS), by.get(MAPSERVER)
        other = by.get(CACHE) or by.get(POSTGIS)
        if workload == "WFS parcels":
            parts = [
                f"{name} {row['p50_ms'] / 1000:.2f} s ({row.get('features')} features)" for name, row in by.items()
            ]
            floor = by.get(POSTGIS)
            ratio = f"QGIS/floor {q['p50_ms'] / floor['p50_ms']:.2f}x" if q and floor else ""
            lines.append(f"{size:<7} {variant:<16} {workload:<13} {clients:>2} | " + "; ".join(parts) + f"  {ratio}")
            continue
        if q is None and m is None and other is not None:
            lines.append(f"{size:<7} {variant:<16} {workload:<13} {clients:>2} | {other['server']}: {_cell(other)}")
            continue
        ratio = f"{q['rps'] / m['rps']:6.2f}x" if q and m and m["rps"] else f"{'':>7}"
        cpu = f"{(q or {}).get('cpu_ms_per_request')}/{(m or {}).get('cpu_ms_per_request')}"
        lines.append(
            f"{size:<7} {variant:<16} {workload:<13} {clients:>2} |{_cell(q)}|{'':1}{_cell(m)}| {ratio} | {cpu:>15}"
        )
    return "\n".join(lines)


def _find(rows: list[dict], size: str, workload: str, server: str, clients: int) -> dict | None:
    return next(
        (
            r
            for r in rows
            if r["variant"] == "production"
            and r["size"] == size
            and r["workload"] == workload
            and r["server"] == server
            and r["clients"] == clients
        ),
        None,
    )


def targets(rows: list[dict]) -> list[dict]:
    """The targets of the benchmark, each with its measured figure and whether it is met."""
    out: list[dict] = []

    def ratio(a: dict | None, b: dict | None, key: str) -> float | None:
        return round(a[key] / b[key], 2) if a and b and b[key] else None

    for workload in ("tiles", "full map"):
        q, m = _find(rows, "city", workload, QGIS, 2), _find(rows, "city", workload, MAPSERVER, 2)
        rps = ratio(q, m, "rps")
        cpu = ratio(m, q, "cpu_ms_per_request")  # MapServer's CPU per request over QGIS's: > 1 when QGIS is cheaper
        out.append(
            {
                "target": f"raw GetMap {workload}, 2 clients: QGIS Server >= MapServer",
                "req_per_s_ratio": rps,
                "cpu_per_request_ratio": cpu,
                "met": bool(rps and rps >= 1.0),
            }
        )
    raw, cached = _find(rows, "city", "tiles", QGIS, 2), _find(rows, "city", "cached tiles", CACHE, 2)
    times = ratio(cached, raw, "rps")
    out.append(
        {
            "target": "cached tiles >= 10x raw GetMap tiles (2 clients)",
            "ratio": times,
            "met": bool(times and times >= 10),
        }
    )
    wfs, floor = _find(rows, "city", "WFS parcels", QGIS, 1), _find(rows, "city", "WFS parcels", POSTGIS, 1)
    over = ratio(wfs, floor, "p50_ms")
    out.append(
        {
            "target": "WFS GeoJSON of all parcels within 2x the PostGIS floor",
            "ratio": over,
            "met": bool(over and over <= 2),
        }
    )

    def per_size(workload: str, key: str) -> dict[str, float | None]:
        return {size: (_find(rows, size, workload, QGIS, 2) or {}).get(key) for size in ("small", "city", "large")}

    def growth(values: dict[str, float | None]) -> float | None:
        known = [v for v in values.values() if v]
        return round(max(known) / min(known), 2) if len(known) >= 2 else None

    centre_cpu, centre_p50 = per_size("tiles centre", "cpu_ms_per_request"), per_size("tiles centre", "p50_ms")
    out.append(
        {
            # Tiles of the centre, where the small town has data too: the same
            # places drawn from 459, 38,743 and 108,448 parcels.
            "target": "tile time flat from the small to the large dataset (QGIS, tiles of the centre, 2 clients)",
            "cpu_ms_per_tile": centre_cpu,
            "p50_ms": centre_p50,
            "cpu_largest_over_smallest": growth(centre_cpu),
            "p50_largest_over_smallest": growth(centre_p50),
            "whole_city_cpu_ms_per_tile": per_size("tiles", "cpu_ms_per_request"),
            "met": bool(growth(centre_cpu) and growth(centre_cpu) <= 1.25),
        }
    )
    return out


def targets_text(items: list[dict]) -> str:
    lines = ["Targets:"]
    for t in items:
        figures = ", ".join(f"{k} {v}" for k, v in t.items() if k not in ("target", "met"))
        lines.append(f"  [{'met' if t['met'] else 'NOT met'}] {t['target']}: {figures}")
    return "\n".join(lines)


def save_json(path: Path, meta: dict, rows: list[dict], tuning: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"meta": meta, "targets": targets(rows), "results": rows, "tuning": tuning}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def _legend(ax) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend()


def plot(path: Path, rows: list[dict], title: str) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    base = [r for r in rows if r["variant"] == "production" and r["size"] == "city"]
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    colours = {QGIS: "#1f77b4", MAPSERVER: "#ff7f0e", CACHE: "#2ca02c", POSTGIS: "#7f7f7f", POSTGIS_NATIVE: "#bfbfbf"}

    def by_clients(ax, workload: str, servers, log_scale=False) -> None:
        for server in servers:
            pts = sorted((r["clients"], r["rps"]) for r in base if r["workload"] == workload and r["server"] == server)
            if pts:
                ax.plot(*zip(*pts, strict=True), marker="o", label=server, color=colours[server])
        ax.set_xlabel("concurrent clients")
        ax.set_ylabel("requests / s")
        ax.set_xticks([1, 2, 4])
        if log_scale:
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        _legend(ax)

    by_clients(axes[0][0], "tiles", (QGIS, MAPSERVER), log_scale=True)
    for workload, label, style in (
        ("cached tiles", "cache (nginx)", "-"),
        ("cached MapProxy", "cache (MapProxy)", "--"),
    ):
        cached = sorted((r["clients"], r["rps"]) for r in base if r["workload"] == workload)
        if cached:
            axes[0][0].plot(*zip(*cached, strict=True), style, marker="s", label=label, color=colours[CACHE])
    axes[0][0].set_title("256x256 tiles, zoom 13-18 (city)")
    _legend(axes[0][0])
    by_clients(axes[0][1], "full map", (QGIS, MAPSERVER))
    for server in (QGIS, MAPSERVER):
        png8 = [(r["clients"], r["rps"]) for r in base if r["workload"] == "full map png8" and r["server"] == server]
        if png8:
            axes[0][1].plot(*zip(*png8, strict=True), "D", label=f"{server}, 8-bit PNG", color=colours[server])
    _legend(axes[0][1])
    axes[0][1].set_title("full city 1024x768")

    ax = axes[1][0]
    wfs = [r for r in base if r["workload"] == "WFS parcels"]
    ax.bar([r["server"] for r in wfs], [r["p50_ms"] / 1000 for r in wfs], color=[colours[r["server"]] for r in wfs])
    ax.set_ylabel("seconds")
    ax.set_title("all parcels as GeoJSON (lower is better)")
    ax.grid(alpha=0.3, axis="y")

    ax = axes[1][1]
    workload = "tiles centre" if any(r["workload"] == "tiles centre" for r in rows) else "tiles"
    scaling = [r for r in rows if r["variant"] == "production" and r["workload"] == workload and r["clients"] == 2]
    sizes = [s for s in ("small", "city", "large") if any(r["size"] == s for r in scaling)]
    for server in (QGIS, MAPSERVER):
        of = {r["size"]: r for r in scaling if r["server"] == server}
        ax.plot(
            sizes,
            [of[s]["cpu_ms_per_request"] for s in sizes],
            marker="o",
            label=f"{server}: CPU",
            color=colours[server],
        )
        ax.plot(
            sizes, [of[s]["p50_ms"] for s in sizes], "--", marker=".", label=f"{server}: p50", color=colours[server]
        )
    ax.set_ylabel("ms per tile (2 clients)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{workload} from the small to the large dataset")
    ax.grid(alpha=0.3)
    _legend(ax)
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
