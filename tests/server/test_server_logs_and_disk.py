"""Bad days: logs rotated, a full disk under the tile cache.

Log rotation: every service of the run folder keeps writing to its current
log file after ``logrotate -f`` with the configuration tools/server.sh
writes (and the private PostgreSQL's, from tools/pgcluster.sh): no process
holds a rotated or deleted file open, and new lines arrive in the new files.

A full disk under the tile cache (a tmpfs of a few hundred KB the test
fills, mounted over the cache folder): tiles are still served, drawn by
QGIS Server and equal to the tiles drawn once there is room again; the
failure to store them is logged; the invalidation listener keeps working.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from factories import approve

from . import images
from .test_server_tiles import PROJECT, TABLE, _change_lease_status, parcel, tile_at  # noqa: F401 - the fixture

ZOOM = 19  # tiles nobody else asks for: drawn, not cached, during the test


def _log_files_held(pid: int, logs: Path) -> list[tuple[str, bool]]:
    """(path, still the file at that path) for every file of ``logs`` the process has open."""
    held = []
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:  # ended meanwhile (a short-lived child)
        return held
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(logs)):
            path = target.removesuffix(" (deleted)")
            current = Path(path).exists() and os.stat(fd).st_ino == os.stat(path).st_ino
            held.append((target, current))
    return held


def _service_pids(server) -> list[int]:
    run = server.run_dir
    pids = []
    for name in (
        "nginx.pid",
        "tiles.pid",
        "monitor.pid",
        "tiles-listener.pid",
        "opendata-listener.pid",
        "downloads.pid",
    ):
        if (run / name).exists():
            pids += [int(p) for p in (run / name).read_text().split()]
    children = []
    for pid in pids:
        children += [
            int(c) for c in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        ]
    return pids + children + server.worker_pids()


def test_logrotate_keeps_every_service_logging(public_server):
    run, logs = public_server.run_dir, public_server.run_dir / "logs"
    assert (run / "logrotate.conf").exists()
    requests.get(public_server.ows("city"), params={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}, timeout=60)
    result = subprocess.run(
        ["logrotate", "-f", "-s", str(run / "logrotate.state"), str(run / "logrotate.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    cluster = public_server.cluster.run_dir
    result = subprocess.run(
        ["logrotate", "-f", "-s", str(cluster / "logrotate.state"), str(cluster / "logrotate.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in ("nginx-access.log", "qgis-server.log", "tiles.log", "tile-invalidation.log"):
        assert (logs / f"{name}.1").exists(), sorted(p.name for p in logs.iterdir())
    assert (cluster / "postgres.log.1").exists()

    # New lines reach the new files: a request (nginx), a refused login (PostgreSQL).
    time.sleep(0.5)  # nginx's workers reopen their logs after the master's signal
    requests.get(public_server.ows("city"), params={"SERVICE": "WMS", "REQUEST": "GetCapabilities"}, timeout=60)
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(public_server.cluster.user_dsn("t_property_editor", "postgres").replace("test-password", "x"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (
        "GetCapabilities" in (logs / "nginx-access.log").read_text() and (cluster / "postgres.log").stat().st_size
    ):
        time.sleep(0.1)
    assert "GetCapabilities" in (logs / "nginx-access.log").read_text()
    assert "password authentication failed" in (cluster / "postgres.log").read_text()
    # Nobody writes into a rotated or deleted file.
    stale = {
        pid: held
        for pid in _service_pids(public_server)
        for held in [_log_files_held(pid, logs)]
        if any(not ok for _, ok in held)
    }
    assert stale == {}, stale


@pytest.fixture
def full_tile_disk(public_server):
    cache = public_server.run_dir / "tiles" / "cache"
    www = pwd.getpwnam("www-data")
    options = f"size=512k,uid={www.pw_uid},gid={www.pw_gid},mode=0770"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "zgis-full-tiles", str(cache)], check=True)
    try:
        subprocess.run(["dd", "if=/dev/zero", f"of={cache}/filler", "bs=4k"], capture_output=True)
        yield cache
    finally:
        subprocess.run(["umount", "-l", str(cache)], check=True)


def test_full_tile_disk_serves_uncached_tiles_and_logs_it(public_server, parcel, full_tile_disk):  # noqa: F811
    assert (
        subprocess.run(["df", "--output=avail", str(full_tile_disk)], capture_output=True, text=True).stdout.split()[-1]
        == "0"
    )
    log = public_server.run_dir / "logs" / "tiles.log"
    logged_before = log.read_text()
    tiles = [tile_at(dx, dy, ZOOM)[:3] for dx, dy in ((-310, 210), (-430, 90), (140, 140), (-450, -40))]
    url = f"{public_server.base_url}/tiles/wmts/{PROJECT}/webmercator/{{}}/{{}}/{{}}.png"
    served = {}
    for tile in tiles * 2:  # twice: nothing half-written is served the second time
        response = requests.get(url.format(*tile), timeout=60)
        assert response.status_code == 200, response.text[:300]
        assert response.headers["Content-Type"] == "image/png"
        images.load(response.content)
        served.setdefault(tile, set()).add(response.content)
    assert all(len(bodies) == 1 for bodies in served.values())
    new_lines = log.read_text()[len(logged_before) :]
    assert "No space left on device" in new_lines or "unable to store" in new_lines.lower(), new_lines[-2000:]
    # The invalidation listener works on while the disk is full: an approval's tiles
    # are removed, the log position cannot be written (kept in memory), it stays.
    record_id, editor, verifier = parcel
    listener = int((public_server.run_dir / "tiles-listener.pid").read_text())
    listener_log = public_server.run_dir / "logs" / "tile-invalidation.log"
    listened_before = listener_log.stat().st_size
    _change_lease_status(editor, record_id, "free")
    with editor.cursor() as cur:
        cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
    approve(verifier, TABLE, [record_id])
    deadline = time.monotonic() + 10
    while "cannot write the log position" not in listener_log.read_text()[listened_before:]:
        assert time.monotonic() < deadline, listener_log.read_text()[listened_before:]
        time.sleep(0.1)
    time.sleep(0.5)
    assert Path(f"/proc/{listener}").exists(), listener_log.read_text()[listened_before:]
    assert "removed" in listener_log.read_text()[listened_before:]
    # Once there is room again the same tiles are drawn and cached: equal to what was served.
    (full_tile_disk / "filler").unlink()
    for tile, bodies in served.items():
        if tile == tiles[0]:
            continue  # the approved parcel's tile has changed since
        again = requests.get(url.format(*tile), timeout=60).content
        assert again in bodies, tile
