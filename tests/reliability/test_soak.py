"""The soak: mixed public load while editors and verifiers work (make soak, make reliability).

Locust (tests/reliability/locustfile.py, from .venv-reliability) sends the
public mix — cached tiles, raw GetMap, GetFeatureInfo, WFS, OGC API — to the
public server for ``ZGIS_SOAK_SECONDS`` (make soak: 1800; make reliability:
120). Meanwhile an editor and a verifier work in cycles: an edit approved
(its freshness measured through WFS and OGC API), and an edit carrying the
canary that is rejected, plus a draft and a submitted change that carry it
all along. Asserted, with the figures printed and written to
.run/reliability/soak.json:

- no failed request (status, content type, canary) and a p95 latency per
  kind of request under its bound, tiles counted apart as sent from the
  cache or drawn on request (the visitors' tiles are cached before the load
  starts; an approval's tiles are drawn again in place by the listener, so
  at least ``TILE_HIT_SHARE`` of the tiles come from the cache);
- every approval visible in WFS and OGC API within the stated freshness
  (10 s, qgis_server/README.md "Freshness");
- the workers' memory: none restarted, none grown beyond ``MEMORY_GROWTH_MB``
  from the first minute to the end.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import psycopg2
import requests
from conftest import CENTRE, ROOT
from factories import approve
from pyproj import Transformer

from .soak_tiles import TILE_PROJECTS, soak_tiles

SECONDS = int(os.environ.get("ZGIS_SOAK_SECONDS", "120"))
USERS = int(os.environ.get("ZGIS_SOAK_USERS", "6"))
LOCUST = ROOT / ".venv-reliability" / "bin" / "locust"
REPORTS = ROOT / ".run" / "reliability"
TABLE = "property.land_parcel"
FRESHNESS_S = 10.0  # the stated freshness of the public services
MEMORY_GROWTH_MB = 64.0  # per QGIS Server worker, from the first minute to the end
P95_BOUND_MS = {
    "tile (cache hit)": 100,  # a file sent by nginx
    "tile (drawn on request)": 3000,  # a 4x4 metatile drawn by QGIS Server, as GetMap
    "GetMap": 3000,
    "GetFeatureInfo": 2000,
    "WFS GetFeature": 2000,
    "OGC API items": 2000,
}
# Tiles sent from the cache's file: the rest were missing, most of them
# removed by an approval (one every CYCLE_S here, near the tiles asked for)
# and asked for before the listener had them drawn again.
TILE_HIT_SHARE = 0.95
CYCLE_S = 5.0
TILE_NAMES = ("tile (cache hit)", "tile (drawn on request)")  # as locustfile.py names them


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def _connect(server, user: str):
    conn = psycopg2.connect(server.dsn(user))
    conn.autocommit = True
    return conn


def _edit(conn, record_id: int, note: str) -> None:
    with conn.cursor() as cur:
        cur.execute(f"SELECT version, status FROM {TABLE} WHERE id = %s", (record_id,))
        version, status = cur.fetchone()
        if status == "submitted":
            cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [record_id]))
        elif status == "rejected":
            cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [record_id]))
        cur.execute(f"UPDATE {TABLE} SET note = %s, version = %s WHERE id = %s", (note, version + 1, record_id))
        cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))


class Departments(threading.Thread):
    """An editor and a verifier at work until ``ends``: approvals measured, canary changes rejected."""

    def __init__(self, server, approved_ids: list[int], rejected_id: int, canary: str, ends: float):
        super().__init__(daemon=True)
        self.server, self.approved_ids, self.rejected_id = server, approved_ids, rejected_id
        self.canary, self.ends = canary, ends
        self.freshness: list[float] = []
        self.late: list[tuple[str, float]] = []
        self.error: BaseException | None = None

    def visible(self, record_id: int, token: str) -> bool:
        wfs = requests.get(
            self.server.ows("property"),
            params={"SERVICE": "WFS", "VERSION": "1.1.0", "REQUEST": "GetFeature", "TYPENAME": "property_land_parcel",
                    "OUTPUTFORMAT": "application/vnd.geo+json", "FEATUREID": f"property_land_parcel.{record_id}"},
            timeout=30,
        )  # fmt: skip
        item = requests.get(
            self.server.ows("property") + f"/wfs3/collections/property_land_parcel/items/{record_id}.json", timeout=30
        )
        return token in wfs.text and token in item.text

    def run(self) -> None:
        try:
            editor, verifier = _connect(self.server, "t_property_editor"), _connect(self.server, "t_property_verifier")
            n = 0
            while time.monotonic() < self.ends - CYCLE_S:
                started = time.monotonic()
                record_id = self.approved_ids[n % len(self.approved_ids)]
                token = f"SOAK-{n}-{uuid.uuid4().hex[:6]}"
                _edit(editor, record_id, token)
                approve(verifier, TABLE, [record_id])
                approved_at = time.monotonic()
                while not self.visible(record_id, token):
                    if time.monotonic() - approved_at > 30:
                        break
                    time.sleep(0.05)
                seen = time.monotonic() - approved_at
                self.freshness.append(seen)
                if seen > FRESHNESS_S:
                    self.late.append((token, seen))
                # A change carrying the canary, submitted and rejected: never public.
                _edit(editor, self.rejected_id, f"{self.canary} {n}")
                with verifier.cursor() as cur:
                    cur.execute(
                        "SELECT workflow.reject(%s, %s::bigint[], %s)", (TABLE, [self.rejected_id], "Не затверджено")
                    )
                n += 1
                time.sleep(max(0.0, CYCLE_S - (time.monotonic() - started)))
            editor.close()
            verifier.close()
        except BaseException as exc:  # reported by the test
            self.error = exc


def _stats(path: Path) -> dict[str, dict]:
    with path.open(newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def test_soak(public_server):
    assert LOCUST.exists(), "run tools/install-deps.sh reliability (make reliability does)"
    REPORTS.mkdir(parents=True, exist_ok=True)
    canary = f"CANARY-UNAPPROVED-{uuid.uuid4().hex[:8]}"
    parcels = public_server.seeded.ids[TABLE]
    approved_ids, rejected_id, draft_id, submitted_id = parcels[:3], parcels[3], parcels[4], parcels[6]
    editor = _connect(public_server, "t_property_editor")
    _edit(editor, submitted_id, f"{canary} submitted")  # waits for review the whole time
    _edit(editor, draft_id, f"{canary} draft")
    with editor.cursor() as cur:
        cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [draft_id]))
    editor.close()

    x, y = Transformer.from_crs("EPSG:9836", "EPSG:3857", always_xy=True).transform(*CENTRE)
    # A city's cache is warm: the visitors' tiles are drawn once before the load starts (the
    # time a cold cache takes is measured by make bench).
    for project in TILE_PROJECTS:
        for z, tx, ty in soak_tiles(x, y):
            url = f"{public_server.base_url}/tiles/wmts/{project}/webmercator/{z}/{tx}/{ty}.png"
            tile = requests.get(url, timeout=60)
            assert tile.status_code == 200, tile.text[:300]
    prefix = REPORTS / "soak"
    for old in REPORTS.glob("soak_*.csv"):
        old.unlink()
    locust = subprocess.Popen(
        [str(LOCUST), "-f", str(ROOT / "tests" / "reliability" / "locustfile.py"), "--headless",
         "--users", str(USERS), "--spawn-rate", str(USERS), "--run-time", f"{SECONDS}s", "--stop-timeout", "30",
         "--host", public_server.base_url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        env={**os.environ, "ZGIS_SOAK_CENTRE_3857": f"{x},{y}", "ZGIS_SOAK_CANARY": canary},
        cwd=REPORTS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    started = time.monotonic()
    departments = Departments(public_server, approved_ids, rejected_id, canary, started + SECONDS)
    departments.start()
    time.sleep(min(60, SECONDS / 4))  # warmed up: projects loaded, tiles cached
    workers = public_server.worker_pids()
    memory_start = {pid: _rss_mb(pid) for pid in workers}
    output, _ = locust.communicate(timeout=SECONDS + 180)
    departments.join(timeout=120)
    memory_end = {pid: _rss_mb(pid) for pid in public_server.worker_pids() if pid in memory_start}
    (REPORTS / "soak-locust.txt").write_text(output)

    stats = _stats(Path(f"{prefix}_stats.csv"))
    total = stats["Aggregated"]
    requests_n, failures_n = int(total["Request Count"]), int(total["Failure Count"])
    p95 = {name: float(row["95%"]) for name, row in stats.items()}
    tile_counts = {name: int(stats[name]["Request Count"]) if name in stats else 0 for name in TILE_NAMES}
    tile_hit_share = tile_counts[TILE_NAMES[0]] / max(sum(tile_counts.values()), 1)
    freshness = sorted(departments.freshness)
    figures = {
        "seconds": SECONDS,
        "users": USERS,
        "requests": requests_n,
        "requests per second": round(requests_n / SECONDS, 1),
        "failures": failures_n,
        "error rate": failures_n / max(requests_n, 1),
        "p95 ms": p95,
        "tiles (from the cache, drawn on request)": list(tile_counts.values()),
        "tiles from the cache": round(tile_hit_share, 4),
        "approvals": len(freshness),
        "freshness s (median, max)": [freshness[len(freshness) // 2], freshness[-1]] if freshness else None,
        "worker memory MB (start, end)": {str(p): [round(memory_start[p]), round(memory_end[p])] for p in memory_end},
    }
    (REPORTS / "soak.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    print("\n" + json.dumps(figures, ensure_ascii=False))
    assert locust.returncode in (0, 1), output[-3000:]  # 1: some request failed (asserted below with details)
    assert departments.error is None, repr(departments.error)
    failures_file = Path(f"{prefix}_failures.csv")
    assert failures_n == 0, failures_file.read_text()[:3000] if failures_file.exists() else output[-3000:]
    assert requests_n > SECONDS * 5, figures
    for name, bound in P95_BOUND_MS.items():
        if name != TILE_NAMES[1] or name in p95:  # every tile may have come from the cache
            assert p95[name] <= bound, f"{name}: p95 {p95[name]} ms above {bound} ms"
    assert tile_hit_share >= TILE_HIT_SHARE, figures
    assert len(freshness) >= SECONDS / (CYCLE_S * 4), figures
    assert departments.late == [], f"approvals seen later than {FRESHNESS_S} s: {departments.late[:5]}"
    assert set(memory_end) == set(memory_start), f"workers restarted: {workers} -> {public_server.worker_pids()}"
    grown = {
        p: memory_end[p] - memory_start[p] for p in memory_end if memory_end[p] - memory_start[p] > MEMORY_GROWTH_MB
    }
    assert not grown, f"workers grew beyond {MEMORY_GROWTH_MB} MB: {grown}"
