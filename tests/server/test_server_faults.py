"""A QGIS Server worker killed under load: the other serves, the killed one is replaced.

The workers run under multiwatch (tools/server.sh), which starts a new one
when one dies; nginx passes a request whose worker died before answering
once more, to another worker (the socket is named twice in the upstream).
Two clients send maps and features while one worker is killed with
SIGKILL: every request is answered correctly, and a new worker is there
within seconds and answers too.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from load_loop import Loop, failures, summary

from .views import getfeatureinfo, getmap


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def public_requests(server) -> list[tuple[str, str]]:
    import requests  # noqa: PLC0415

    def url(project: str, path: str = "", **params) -> str:
        return requests.Request("GET", server.ows(project) + path, params=params or None).prepare().url

    return [
        ("GetMap city", url("city", **getmap("city", "EPSG:3857"))),
        ("GetMap energy", url("energy", **getmap("energy", "EPSG:9836"))),
        ("GetFeatureInfo", url("property", **getfeatureinfo("property_land_parcel", -430, 90, "application/json"))),
        ("WFS", url("budget", SERVICE="WFS", VERSION="1.1.0", REQUEST="GetFeature", TYPENAME="budget_project")),
        ("OGC API", url("advertising", "/wfs3/collections/advertising_structure/items.json")),
    ]


def test_killed_worker_is_replaced_and_no_request_fails(public_server):
    before = public_server.worker_pids()
    assert len(before) == 2, before
    victim = before[0]
    loop = Loop(public_requests(public_server), clients=2, seconds=12, max_requests=600).start()
    time.sleep(3)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    while True:
        now = public_server.worker_pids()
        if len(now) == 2 and victim not in now:
            replaced_after = time.monotonic() - killed_at
            break
        assert time.monotonic() - killed_at < 10, f"no new worker 10 s after the kill: {now}"
        time.sleep(0.05)
    (newcomer,) = set(now) - set(before)
    started_ticks = _cpu_ticks(newcomer)
    answers = loop.join()
    print(f"\nworker {victim} killed: replaced by {newcomer} in {replaced_after:.2f} s; {summary(answers)}")
    after_kill = [a for a in answers if a.started > killed_at]
    assert len(after_kill) > 20, summary(answers)
    assert failures(answers) == [], [(a.name, a.status, a.body[:200]) for a in failures(answers)][:5]
    assert replaced_after < 5
    # The new worker took requests: it loaded a project and drew (CPU time well beyond starting up).
    for _ in range(40):
        public_server.get("city", **getmap("city", "EPSG:3857"))
    assert _cpu_ticks(newcomer) > started_ticks, "the new worker answered nothing"
