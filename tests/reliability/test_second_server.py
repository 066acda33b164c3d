"""A second public server: two hosts behind a balancer, reading a streaming replica.

The set-up of docs/operations.md on one machine: the tests' cluster is the
primary (the departments' database); ``tools/pgcluster.sh replica`` makes a
hot standby of it; two public servers (``tools/server.sh``, each with its
own QGIS Server workers, tile cache and invalidation listener) read the
standby; ``tools/balancer.sh`` puts one address in front of them. Measured
and asserted:

- freshness through the replica: an approval on the primary is visible on
  both hosts (OGC API) within the stated 10 s;
- tile invalidation from the replica's approval log (a standby passes on no
  NOTIFY): the cached tile of an approved change is drawn anew on both hosts;
- one host stopped under load: no request through the balancer fails.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import psycopg2
import pytest
import requests
from conftest import PASSWORD, ROOT, SPARE_PGPORT, SPARE_SERVER_PORT, Cluster, run_folder, stop_cluster
from factories import approve
from load_loop import Loop, failures, summary
from server import images
from server.conftest import PublicServer
from server.test_server_faults import public_requests
from server.test_server_tiles import PARCEL_CENTRE, PARCEL_INDEX, TABLE, _change_lease_status, is_free_green, tile_at

from zhytomyr_gis.publishing.credentials import write_connection_files

REPLICA_PORT = SPARE_PGPORT + 2
HOST_PORTS = (SPARE_SERVER_PORT + 1, SPARE_SERVER_PORT + 2)
BALANCER_PORT = SPARE_SERVER_PORT + 3
FRESHNESS_S = 10.0
APPROVALS = 8


def _sh(*cmd: str, env: dict | None = None) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, f"{' '.join(cmd)}: {result.stdout}\n{result.stderr}"


def _connect(dsn: str):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def second_server(public_server):
    import os  # noqa: PLC0415

    primary = public_server.cluster
    replica = Cluster(run_folder() / "rel-replica", REPLICA_PORT)
    stop_cluster(replica, remove=True)
    hosts: list[PublicServer] = []
    balancer = run_folder() / "rel-balancer"
    try:
        _sh(str(ROOT / "tools" / "pgcluster.sh"), "replica", str(replica.run_dir), str(REPLICA_PORT),
            str(primary.run_dir), str(primary.port))  # fmt: skip
        for n, port in enumerate(HOST_PORTS, start=1):
            run_dir = run_folder() / f"rel-host-{n}"
            subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)
            shutil.rmtree(run_dir, ignore_errors=True)
            run_dir.mkdir()
            write_connection_files(run_dir, host="127.0.0.1", port=REPLICA_PORT, dbname=public_server.dbname,
                                   password=PASSWORD, monitor_password=PASSWORD)  # fmt: skip
            _sh(str(ROOT / "tools" / "server.sh"), "start", str(run_dir), str(port),
                str(public_server.run_dir / "built-projects"), env={**os.environ, "ZGIS_OPENDATA": "0"})  # fmt: skip
            hosts.append(PublicServer(f"http://127.0.0.1:{port}", run_dir, replica, public_server.dbname,
                                      public_server.seeded))  # fmt: skip
        _sh(str(ROOT / "tools" / "balancer.sh"), "start", str(balancer), str(BALANCER_PORT),
            *(f"127.0.0.1:{p}" for p in HOST_PORTS))  # fmt: skip
        front = PublicServer(f"http://127.0.0.1:{BALANCER_PORT}", balancer, replica, public_server.dbname,
                             public_server.seeded)  # fmt: skip
        yield primary, replica, hosts, front
    finally:
        subprocess.run([str(ROOT / "tools" / "balancer.sh"), "stop", str(balancer)], capture_output=True)
        for host in hosts:
            subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(host.run_dir)], capture_output=True)
        stop_cluster(replica, remove=True)


def _item_shows(host: PublicServer, record_id: int, token: str) -> bool:
    response = requests.get(
        host.ows("property") + f"/wfs3/collections/property_land_parcel/items/{record_id}.json", timeout=30
    )
    return response.status_code == 200 and token in response.text


def test_approvals_on_the_primary_reach_both_hosts_within_the_freshness(public_server, second_server):
    primary, _replica, hosts, _front = second_server
    record_id = public_server.seeded.ids[TABLE][1]
    editor = _connect(primary.user_dsn("t_property_editor", public_server.dbname))
    verifier = _connect(primary.user_dsn("t_property_verifier", public_server.dbname))
    seen: list[list[float]] = []
    for n in range(APPROVALS):
        token = f"REPLICA-{n}-{uuid.uuid4().hex[:6]}"
        with editor.cursor() as cur:
            cur.execute(f"SELECT version FROM {TABLE} WHERE id = %s", (record_id,))
            (version,) = cur.fetchone()
            cur.execute(f"UPDATE {TABLE} SET note = %s, version = %s WHERE id = %s", (token, version + 1, record_id))
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
        approve(verifier, TABLE, [record_id])
        approved_at = time.monotonic()
        times = [None] * len(hosts)
        while None in times and time.monotonic() - approved_at < 30:
            for i, host in enumerate(hosts):
                if times[i] is None and _item_shows(host, record_id, token):
                    times[i] = time.monotonic() - approved_at
            time.sleep(0.01)
        seen.append(times)
    admin = _connect(primary.superuser_dsn())
    with admin.cursor() as cur:
        cur.execute("SELECT state, replay_lag::text FROM pg_stat_replication")
        replication = cur.fetchall()
    admin.close()
    editor.close()
    verifier.close()
    flat = sorted(t for times in seen for t in times if t is not None)
    print(f"\napproval on the primary to the change on both hosts: {seen}; median {flat[len(flat) // 2]:.3f} s,"
          f" max {flat[-1]:.3f} s; replication {replication}")  # fmt: skip
    assert all(None not in times for times in seen), seen
    assert flat[-1] < FRESHNESS_S


def test_tiles_of_an_approval_are_drawn_anew_on_both_hosts(public_server, second_server):
    primary, _replica, hosts, _front = second_server
    record_id = public_server.seeded.ids[TABLE][PARCEL_INDEX]
    editor = _connect(primary.user_dsn("t_property_editor", public_server.dbname))
    verifier = _connect(primary.user_dsn("t_property_verifier", public_server.dbname))
    z, x, y, px, py = tile_at(*PARCEL_CENTRE)

    def tile(host: PublicServer) -> bytes:
        response = requests.get(f"{host.base_url}/tiles/wmts/property/webmercator/{z}/{x}/{y}.png", timeout=60)
        assert response.status_code == 200, response.text[:300]
        return response.content

    with editor.cursor() as cur:
        cur.execute(f"SELECT lease_status FROM {TABLE} WHERE id = %s", (record_id,))
        (original,) = cur.fetchone()
    try:
        for host in hosts:
            assert not is_free_green(images.pixel(tile(host), px, py))  # drawn and cached now
            assert (host.run_dir / "tiles" / "cache" / "property" / str(z) / str(x) / f"{y}.png").exists()
            assert (
                "reading the approval log of a standby" in (host.run_dir / "logs" / "tile-invalidation.log").read_text()
            )
        _change_lease_status(editor, record_id, "free")
        with editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
        approve(verifier, TABLE, [record_id])
        approved_at = time.monotonic()
        times = [None] * len(hosts)
        while None in times and time.monotonic() - approved_at < 40:
            for i, host in enumerate(hosts):
                if times[i] is None and is_free_green(images.pixel(tile(host), px, py)):
                    times[i] = time.monotonic() - approved_at
            time.sleep(0.05)
        print(f"\napproval on the primary to the new tile on each host: {times}")
        assert None not in times, times
        assert max(times) < 5.0
    finally:
        with editor.cursor() as cur:
            cur.execute(f"SELECT status FROM {TABLE} WHERE id = %s", (record_id,))
            if cur.fetchone()[0] == "submitted":
                cur.execute("SELECT workflow.withdraw(%s, %s::bigint[])", (TABLE, [record_id]))
        _change_lease_status(editor, record_id, original)
        with editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
        approve(verifier, TABLE, [record_id])
        editor.close()
        verifier.close()


def test_one_host_stopped_under_load_fails_no_request(second_server):
    _primary, _replica, hosts, front = second_server
    loop = Loop(public_requests(front), clients=2, seconds=20, max_requests=3000).start()
    time.sleep(6)
    stopped_at = time.monotonic()
    _sh(str(ROOT / "tools" / "server.sh"), "stop", str(hosts[1].run_dir))
    answers = loop.join()
    after = [a for a in answers if a.started > stopped_at]
    print(f"\nhost 2 stopped {stopped_at - answers[0].started:.1f} s into the load: {summary(answers)},"
          f" {len(after)} after the stop")  # fmt: skip
    assert len(after) > 50, summary(answers)
    assert failures(answers) == [], [(a.name, a.status) for a in failures(answers)][:5]
    # The other host carried everything after the stop.
    log = (hosts[0].run_dir / "logs" / "nginx-access.log").read_text()
    assert log.count("GET /ows/") > len(after) // 2
