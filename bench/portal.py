"""``python -m bench.portal``: how soon the geoportal's viewer shows the city, in Chromium.

    python -m bench.portal [--size city] [--runs 9] [--map city]

Serves a dataset (the benchmarks' private cluster, ``bench.maps.instance``)
with the public side as ``tools/server.sh`` starts it, fills the tile cache
with one visit, then opens the viewer ``--runs`` times per profile, each in
a new browser context (a cold browser cache), and reads from the page:

first tile    the end of the first cached tile's response (Resource Timing)
canvas drawn  OpenLayers' first ``rendercomplete`` (every image of the view drawn)
ready         the viewer has built the rest of itself (``body[data-ready]``)

both from the start of the navigation. Profiles: ``loopback`` (desktop
1280x800, no throttling) and ``phone`` (390x844 at 3 device pixels per CSS
pixel, so it gets the 512 px tiles; Chrome DevTools Protocol network
emulation of 150 ms round trip and 1.6 Mbit/s down, 750 kbit/s up, and the
CPU 4x slower), and ``phone-network``, the same without the CPU throttling
(what the network alone costs). Prints a table with the targets; JSON in
.run/bench/portal.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from zhytomyr_gis.publishing.credentials import write_connection_files

from .maps.instance import PORTAL_PASSWORD, ROOT, Cluster, PublicSide, ensure_dataset, log, run_root

CHROMIUM = os.environ.get("ZGIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PROFILES = {
    "loopback": {"viewport": {"width": 1280, "height": 800}, "scale": 1, "network": None, "cpu": 1},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "scale": 3,
        "network": {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8},
        "cpu": 4,
    },
    # The same phone with its CPU at the host's speed: how much of the phone's time is the network's.
    "phone-network": {
        "viewport": {"width": 390, "height": 844},
        "scale": 3,
        "network": {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8},
        "cpu": 1,
    },
}
# Targets (ms): first tile and canvas drawn, per profile.
TARGETS = {
    "loopback": {"first_tile": 500, "canvas_drawn": 800},
    "phone": {"first_tile": 2000, "canvas_drawn": 2000},
    "phone-network": {"first_tile": 2000, "canvas_drawn": 2000},
}

# Records the first rendercomplete of the viewer's map as soon as the page creates it.
RECORD_DRAWN = """
Object.defineProperty(window, 'zgisViewer', {
  configurable: true,
  get() { return this.__zgisViewer; },
  set(viewer) {
    this.__zgisViewer = viewer;
    viewer.map.once('rendercomplete', () => { window.__zgisDrawn = performance.now(); });
  },
});
// ... and when the page has built the rest of itself (the viewer sets body[data-ready]).
new MutationObserver((changes, observer) => {
  if (document.body?.dataset.ready === 'true') {
    window.__zgisReady = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
"""

READ_TIMINGS = """() => {
  const resources = performance.getEntriesByType('resource');
  const tiles = resources.filter((r) => r.name.includes('/tiles/'));
  const end = (part) => { const r = resources.find((e) => e.name.includes(part)); return r ? r.responseEnd : null; };
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    first_tile: tiles.length ? Math.min(...tiles.map((r) => r.responseEnd)) : null,
    first_tile_request: tiles.length ? Math.min(...tiles.map((r) => r.startTime)) : null,
    canvas_drawn: window.__zgisDrawn ?? null,
    html: nav ? nav.responseEnd : null,
    config: end('/config'),
    ready: window.__zgisReady ?? null,
    strings: end('/i18n/'),
    tiles: tiles.length,
    bytes: resources.reduce((sum, r) => sum + (r.transferSize || 0), 0) + (nav ? nav.transferSize : 0),
  };
}"""


def serve(cluster: Cluster, size: str) -> PublicSide:
    dbname = ensure_dataset(cluster, size)
    side = PublicSide(run_root() / "portal-side")
    side.folder.mkdir(parents=True, exist_ok=True)
    cluster.execute(f"ALTER ROLE portal_reader WITH LOGIN PASSWORD '{PORTAL_PASSWORD}'")
    write_connection_files(side.folder, host="127.0.0.1", port=cluster.port, dbname=dbname, password=PORTAL_PASSWORD)
    side.build_projects(side.projects)
    log(f"serving {dbname} with the portal at {side.base_url}")
    subprocess.run(
        [str(ROOT / "tools" / "server.sh"), "start", str(side.folder), str(side.port), str(side.projects)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return side


def visit(browser, url: str, profile: dict) -> dict:
    context = browser.new_context(viewport=profile["viewport"], device_scale_factor=profile["scale"], locale="uk-UA")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_DRAWN)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        if profile["network"]:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile["network"]})
        if profile["cpu"] > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        page.goto(url)
        page.wait_for_function("() => window.__zgisDrawn !== undefined", timeout=60_000)
        page.wait_for_function("() => window.__zgisReady !== undefined", timeout=60_000)
        timings = page.evaluate(READ_TIMINGS)
        # CPU time of the page (throttled time on the phone profile): how much of the wait is work.
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        timings["script_ms"] = metrics.get("ScriptDuration", 0) * 1000
        timings["task_ms"] = metrics.get("TaskDuration", 0) * 1000
        return timings
    finally:
        context.close()


def measure(base_url: str, map_id: str, runs: int) -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    url = f"{base_url}/map.html#map={map_id}"
    results: dict[str, list[dict]] = {name: [] for name in PROFILES}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for profile in PROFILES.values():
                visit(browser, url, profile)  # fills the tile cache of this view and size (not counted)
            # The profiles take turns: a slower spell of a shared machine falls on all of them alike.
            for _ in range(runs):
                for name, profile in PROFILES.items():
                    results[name].append(visit(browser, url, profile))
            log(f"{runs} cold visits per profile")
        finally:
            browser.close()
    return results


def summary(results: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for name, visits in results.items():
        row = {"profile": name, "runs": len(visits)}
        keys = (
            "html",
            "config",
            "strings",
            "first_tile_request",
            "first_tile",
            "canvas_drawn",
            "ready",
            "tiles",
            "bytes",
        )
        for key in (*keys, "script_ms", "task_ms"):
            values = [v[key] for v in visits if v[key] is not None]
            row[key] = statistics.median(values) if values else None
        for key, target in TARGETS[name].items():
            row[f"{key}_target"] = target
            row[f"{key}_ok"] = row[key] is not None and row[key] <= target
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "profile        runs  html  config strings tile asked  first tile (target)   canvas drawn (target)"
        "  ready  tiles  kB  cpu ms",
    ]

    def ms(row, key):
        return f"{row[key]:6.0f}" if row[key] is not None else "     -"

    for r in rows:
        verdict = {key: "ok" if r[f"{key}_ok"] else "MISSED" for key in ("first_tile", "canvas_drawn")}
        lines.append(
            f"{r['profile']:<13} {r['runs']:>4} {ms(r, 'html')} {ms(r, 'config')} {ms(r, 'strings')}"
            f" {ms(r, 'first_tile_request'):>10}"
            f"  {ms(r, 'first_tile')} ms ({r['first_tile_target']:>4}) {verdict['first_tile']:<6}"
            f"  {ms(r, 'canvas_drawn')} ms ({r['canvas_drawn_target']:>4}) {verdict['canvas_drawn']:<6}"
            f" {ms(r, 'ready')} {r['tiles']:>5.0f} {r['bytes'] / 1024:5.0f} {r['task_ms']:6.0f}"
        )
    lines.append("(medians in ms from the start of the navigation; cold browser cache, warm tile cache;")
    lines.append(" ready: the viewer built (layers, search, pop-ups); config: the map's part of config.json;")
    lines.append(" kB and cpu ms: until ready; cpu ms is the main thread's task time, throttled on the phone)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.portal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="city", help="dataset (small, city, large; default city)")
    parser.add_argument("--runs", type=int, default=9, help="cold visits per profile (default 9)")
    parser.add_argument("--map", default="city", help="the map opened (default city)")
    args = parser.parse_args(argv)
    out_dir = run_root()
    load_before = os.getloadavg()
    cluster = Cluster(out_dir / "pg")
    cluster.start()
    side = serve(cluster, args.size)
    try:
        results = measure(side.base_url, args.map, args.runs)
    finally:
        side.stop()
    rows = summary(results)
    print(table(rows))
    print(f"load average before/after: {load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    document = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        # Other work on the machine slows the browser as much as anything measured: keep it with the figures.
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "size": args.size,
        "map": args.map,
        "profiles": PROFILES,
        "summary": rows,
        "visits": results,
    }
    path = Path(out_dir) / "portal.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    log(f"results in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
