"""The results: a table on the terminal, JSON, and a plot (PNG)."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

from .measure import CACHE, MAPSERVER, POSTGIS, POSTGIS_NATIVE, QGIS


def _median(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 2) if known else None


def summarise(rows: list[dict]) -> list[dict]:
    """One row per cell (dataset, set-up, PNG level, workload, clients, server): the medians over its
    repeated measurements, with each repeat's req/s and CPU kept (``runs``)."""
    cells: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        key = (r["size"], r["variant"], r.get("png_level", 1), r["workload"], r["clients"], r["server"])
        cells[key].append(r)
    out = []
    for key, measured in cells.items():
        level = key[2]
        first = measured[0]
        out.append(
            {
                **first,
                "png_level": level,
                "rps": _median([m["rps"] for m in measured]),
                "p50_ms": _median([m["p50_ms"] for m in measured]),
                "p95_ms": _median([m["p95_ms"] for m in measured]),
                "cpu_ms_per_request": _median([m["cpu_ms_per_request"] for m in measured]),
                "mean_bytes": _median([m["mean_bytes"] for m in measured]),
                "runs": [
                    {"rps": m["rps"], "cpu_ms_per_request": m["cpu_ms_per_request"], "loadavg": m.get("loadavg")}
                    for m in measured
                ],
            }
        )
    return out


def _cell(row: dict | None) -> str:
    if row is None:
        return f"{'':>36}"
    return f"{row['rps']:8.2f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['mean_bytes'] / 1024:7.1f} "


def table(rows: list[dict]) -> str:
    """QGIS Server and MapServer side by side, one line per workload, dataset, set-up, PNG level and
    client count (medians of the repeated pairs)."""
    keyed: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in summarise(rows):
        keyed[(r["size"], r["variant"], r["png_level"], r["workload"], r["clients"])][r["server"]] = r
    head = (
        f"{'dataset':<7} {'set-up':<16} {'zl':>2} {'workload':<13} {'cl':>2} | "
        f"{'QGIS req/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7} | {'MapServer':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'KB':>7} | {'QGIS/MS':>7} | {'cpu ms/req Q/MS':>15}"
    )
    lines = [head, "-" * len(head)]
    for (size, variant, level, workload, clients), by in keyed.items():
        q, m = by.get(QGIS), by.get(MAPSERVER)
        other = by.get(CACHE) or by.get(POSTGIS)
        start = f"{size:<7} {variant:<16} {level:>2} {workload:<13} {clients:>2} | "
        if workload.startswith("WFS parcels"):
            parts = [
                f"{name} {row['p50_ms'] / 1000:.2f} s ({row.get('features')} features)" for name, row in by.items()
            ]
            floor = by.get(POSTGIS)
            ratio = f"QGIS/floor {q['p50_ms'] / floor['p50_ms']:.2f}x" if q and floor else ""
            lines.append(start + "; ".join(parts) + f"  {ratio}")
            continue
        if q is None and m is None and other is not None:
            lines.append(start + f"{other['server']}: {_cell(other)}")
            continue
        ratio = f"{q['rps'] / m['rps']:6.2f}x" if q and m and m["rps"] else f"{'':>7}"
        cpu = f"{(q or {}).get('cpu_ms_per_request')}/{(m or {}).get('cpu_ms_per_request')}"
        lines.append(start[:-2] + f"|{_cell(q)}|{'':1}{_cell(m)}| {ratio} | {cpu:>15}")
    return "\n".join(lines)


def _find(rows: list[dict], size: str, workload: str, server: str, clients: int, png_level: int = 1) -> dict | None:
    """The summarised production cell (medians of its repeats)."""
    return next(
        (
            r
            for r in summarise(rows)
            if r["variant"] == "production"
            and r["size"] == size
            and r["workload"] == workload
            and r["server"] == server
            and r["clients"] == clients
            and r["png_level"] == png_level
        ),
        None,
    )


# QGIS Server over MapServer on equal terms (city, 2 clients), in req/s and in CPU per request.
EQUAL_TERMS_TARGETS = {"tiles": 1.3, "tiles centre": 1.2, "full map": 1.2, "full map png8": None}


def equal_terms(rows: list[dict]) -> list[dict]:
    """Both servers writing the same PNG (level, filters, pixels): one entry per PNG level and workload."""
    out = []
    levels = sorted({r.get("png_level", 1) for r in rows if r["variant"] == "production" and r["size"] == "city"})
    for level in levels:
        for workload, target in EQUAL_TERMS_TARGETS.items():
            q = _find(rows, "city", workload, QGIS, 2, level)
            m = _find(rows, "city", workload, MAPSERVER, 2, level)
            if not q or not m or not m["rps"] or not q["cpu_ms_per_request"]:
                continue
            pairs = [round(a["rps"] / b["rps"], 2) for a, b in zip(q["runs"], m["runs"], strict=False) if b["rps"]]
            rps_ratio = round(q["rps"] / m["rps"], 2)
            cpu_ratio = round(m["cpu_ms_per_request"] / q["cpu_ms_per_request"], 2)
            out.append(
                {
                    "png_level": level,
                    "workload": workload,
                    "qgis_rps": q["rps"],
                    "mapserver_rps": m["rps"],
                    "rps_ratio": rps_ratio,
                    "pair_ratios": pairs,
                    "qgis_cpu_ms": q["cpu_ms_per_request"],
                    "mapserver_cpu_ms": m["cpu_ms_per_request"],
                    "cpu_ratio": cpu_ratio,  # MapServer's CPU per request over QGIS's: above 1 when QGIS is cheaper
                    "qgis_kb": round(q["mean_bytes"] / 1024, 1),
                    "mapserver_kb": round(m["mean_bytes"] / 1024, 1),
                    "loadavg": [r["loadavg"] for r in q["runs"] + m["runs"]],
                    "target": target,
                    "met": None if target is None else (rps_ratio >= target and cpu_ratio >= target),
                }
            )
    return out


def equal_terms_text(entries: list[dict], encoding: dict, differences: list[str]) -> str:
    lines = [
        "Equal terms: the city, 2 clients, the same requests; QGIS Server and MapServer measured one after the",
        "other in repeated pairs (medians; each pair's req/s ratio in brackets). cpu: the server's processes",
        "(workers, nginx, PostgreSQL) per answered request; ratio = MapServer's over QGIS's.",
        "",
        f"{'zlib':>4} {'workload':<14}| {'QGIS req/s':>10} {'cpu ms':>7} {'KB':>6} | {'MS req/s':>9} {'cpu ms':>7} "
        f"{'KB':>6} | {'req/s ratio':>11} {'(pairs)':<18} {'cpu ratio':>9} | target",
    ]
    lines.append("-" * len(lines[-1]))
    for e in entries:
        verdict = "" if e["target"] is None else f">= {e['target']}: {'met' if e['met'] else 'NOT met'}"
        pairs = "(" + " ".join(f"{p:.2f}" for p in e["pair_ratios"]) + ")"
        lines.append(
            f"{e['png_level']:>4} {e['workload']:<14}| {e['qgis_rps']:>10.2f} {e['qgis_cpu_ms']:>7.1f} "
            f"{e['qgis_kb']:>6.1f} | {e['mapserver_rps']:>9.2f} {e['mapserver_cpu_ms']:>7.1f} "
            f"{e['mapserver_kb']:>6.1f} "
            f"| {e['rps_ratio']:>10.2f}x {pairs:<18} {e['cpu_ratio']:>8.2f}x | {verdict}"
        )
    if encoding:
        lines += ["", "What each server wrote (read from its answers):"]
        for level, samples in encoding.items():
            for sample, by_server in samples.items():
                described = "; ".join(
                    f"{server}: " + ", ".join(f"{v}" for v in found.values()) for server, found in by_server.items()
                )
                lines.append(f"  zlib {level}, {sample}: {described}")
    mismatched = encoding_differences(encoding)
    lines += ["", "Settings that still differ:"]
    lines += [f"  - {d}" for d in (*mismatched, *differences)] or ["  none"]
    return "\n".join(lines)


def encoding_differences(encoding: dict) -> list[str]:
    """Every property of the PNGs in which the two servers' answers differ."""
    found = []
    for level, samples in encoding.items():
        for sample, by_server in samples.items():
            q, m = by_server.get(QGIS, {}), by_server.get(MAPSERVER, {})
            for key in q:
                if q[key] != m.get(key):
                    found.append(f"zlib {level}, {sample}: {key} {q[key]} (QGIS) vs {m.get(key)} (MapServer)")
    return found


def targets(rows: list[dict]) -> list[dict]:
    """The targets of the benchmark, each with its measured figure and whether it is met."""
    out: list[dict] = []

    def ratio(a: dict | None, b: dict | None, key: str) -> float | None:
        return round(a[key] / b[key], 2) if a and b and b[key] else None

    for e in equal_terms(rows):
        if e["target"] is None:
            continue
        out.append(
            {
                "target": f"{e['workload']}, zlib {e['png_level']}, 2 clients: QGIS Server >= {e['target']}x MapServer"
                " (req/s and CPU per request)",
                "req_per_s_ratio": e["rps_ratio"],
                "pairs": e["pair_ratios"],
                "cpu_per_request_ratio": e["cpu_ratio"],
                "met": e["met"],
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
            "target": "WFS GeoJSON of all parcels (not cached) within 1.5x the PostGIS floor",
            "ratio": over,
            "met": bool(over and over <= 1.5),
        }
    )
    cached_wfs = _find(rows, "city", "WFS parcels cached", QGIS, 1)
    opendata = _find(rows, "city", "WFS parcels file", CACHE, 1)
    file_ratio = ratio(cached_wfs, opendata, "p50_ms")
    out.append(
        {
            "target": "a repeated whole-layer download at file speed (within 1.5x nginx sending a file of it)",
            "cached_s": cached_wfs and round(cached_wfs["p50_ms"] / 1000, 3),
            "file_s": opendata and round(opendata["p50_ms"] / 1000, 3),
            "ratio": file_ratio,
            "cached_vs_floor": ratio(cached_wfs, floor, "p50_ms"),
            "uncached_vs_cached": ratio(wfs, cached_wfs, "p50_ms"),
            "met": bool(file_ratio and file_ratio <= 1.5),
        }
    )
    for workload in ("OGC API page", "OGC API deep page"):
        q, m = _find(rows, "city", workload, QGIS, 2), _find(rows, "city", workload, MAPSERVER, 2)
        if q and m:
            pages = ratio(q, m, "rps")
            out.append(
                {
                    "target": f"{workload} (100 parcels), 2 clients: QGIS Server >= MapServer",
                    "req_per_s_ratio": pages,
                    "cpu_per_request_ratio": ratio(m, q, "cpu_ms_per_request"),
                    "met": bool(pages and pages >= 1.0),
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

    summary = [r for r in summarise(rows) if r["variant"] == "production" and r["png_level"] == 1]
    base = [r for r in summary if r["size"] == "city"]
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
    scaling = [r for r in summary if r["workload"] == workload and r["clients"] == 2]
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


def plot_equal_terms(path: Path, entries: list[dict], title: str, differences: list[str]) -> None:
    """The equal-terms comparison: req/s, CPU per request and bytes per answer of both servers,
    for each workload at each PNG level, with the ratios and targets written on the bars."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    labels = [f"{e['workload']}\nzlib {e['png_level']}" for e in entries]
    xs = range(len(entries))
    width = 0.38
    colours = {QGIS: "#1f77b4", MAPSERVER: "#ff7f0e"}
    panels = (
        ("requests / s (higher is better)", "qgis_rps", "mapserver_rps", "rps_ratio"),
        ("CPU ms per request (lower is better)", "qgis_cpu_ms", "mapserver_cpu_ms", "cpu_ratio"),
        ("KB per answer", "qgis_kb", "mapserver_kb", None),
    )
    fig, axes = plt.subplots(3, 1, figsize=(12, 11), sharex=True)
    for ax, (ylabel, q_key, m_key, ratio_key) in zip(axes, panels, strict=True):
        ax.bar([x - width / 2 for x in xs], [e[q_key] for e in entries], width, label=QGIS, color=colours[QGIS])
        ax.bar(
            [x + width / 2 for x in xs], [e[m_key] for e in entries], width, label=MAPSERVER, color=colours[MAPSERVER]
        )
        if ratio_key:
            for x, e in zip(xs, entries, strict=True):
                top = max(e[q_key], e[m_key])
                target = f" (target {e['target']}x)" if e["target"] else ""
                ax.annotate(f"{e[ratio_key]:.2f}x{target}", (x, top), ha="center", va="bottom", fontsize=8)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3, axis="y")
        ax.legend(loc="upper right")
    axes[-1].set_xticks(list(xs))
    axes[-1].set_xticklabels(labels, fontsize=8)
    note = "Still different: " + "; ".join(differences) if differences else "No setting differs."
    fig.suptitle(title)
    fig.text(0.01, 0.005, note, fontsize=7, wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
