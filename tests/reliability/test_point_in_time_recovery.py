"""Point-in-time recovery: back to a moment between two approvals.

A cluster that archives its WAL (``PG_WAL_ARCHIVE``, as docs/operations.md
sets up a real server) gets a base backup (``python -m zhytomyr_gis pitr
base``), then two approvals a few seconds apart. The cluster is stopped, its
data folder put aside as if lost, and ``pitr prepare`` makes a new one from
the base backup and the archive with the moment between the approvals as
target. Started, PostgreSQL replays up to that moment: the first approval is
published, the second is not (its record is still submitted), and the
history's chain holds.
"""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg2
from conftest import ROOT, SPARE_PGPORT, Cluster, _pgcluster, build_database, fresh_cluster, stop_cluster
from factories import approve, insert, parcel

DBNAME = "zgis_pitr"
PORT = SPARE_PGPORT + 1


def zgis(cluster: Cluster, *args: str, dbname: str = "postgres") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "--dsn", cluster.superuser_dsn(dbname), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def submit_new_parcels(cluster: Cluster, *cadastral_numbers: str) -> list[int]:
    editor = psycopg2.connect(cluster.user_dsn("t_property_editor", DBNAME))
    try:
        with editor, editor.cursor() as cur:
            ids = [insert(editor, "property.land_parcel", parcel(cadastral_number=n)) for n in cadastral_numbers]
            cur.execute("SELECT workflow.submit('property.land_parcel', %s::bigint[])", (ids,))
        return ids
    finally:
        editor.close()


def approve_parcel(cluster: Cluster, parcel_id: int) -> None:
    verifier = psycopg2.connect(cluster.user_dsn("t_property_verifier", DBNAME))
    try:
        with verifier:
            approve(verifier, "property.land_parcel", [parcel_id])
    finally:
        verifier.close()


def wait_archived(cluster: Cluster) -> None:
    """Switch to a new WAL segment and wait until the finished one is in the archive."""
    conn = psycopg2.connect(cluster.superuser_dsn())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_walfile_name(pg_switch_wal())")
            (segment,) = cur.fetchone()
            for _ in range(300):
                cur.execute("SELECT last_archived_wal FROM pg_stat_archiver")
                (archived,) = cur.fetchone()
                if archived is not None and archived >= segment:
                    return
                time.sleep(0.1)
    finally:
        conn.close()
    raise AssertionError(f"WAL segment {segment} was not archived within 30 s")


def test_recovery_to_a_moment_between_two_approvals(tmp_path):
    archive = ROOT / ".run" / "rel-pitr-wal"
    subprocess.run(["rm", "-rf", str(archive)], check=True)
    cluster = fresh_cluster("rel-pitr", PORT, PG_WAL_ARCHIVE=str(archive))
    try:
        build_database(cluster, DBNAME)
        zgis(cluster, "pitr", "base", str(tmp_path / "base"))
        (base,) = (tmp_path / "base").iterdir()

        first, second = submit_new_parcels(cluster, "1810100000:01:001:0001", "1810100000:01:001:0002")
        approve_parcel(cluster, first)
        time.sleep(1.5)
        conn = psycopg2.connect(cluster.superuser_dsn(DBNAME))
        with conn, conn.cursor() as cur:
            cur.execute("SELECT clock_timestamp()")
            (between,) = cur.fetchone()
        conn.close()
        time.sleep(1.5)
        approve_parcel(cluster, second)
        wait_archived(cluster)

        stop_cluster(cluster)
        (cluster.run_dir / "data").rename(cluster.run_dir / "data.lost")
        zgis(cluster, "pitr", "prepare", str(base), str(cluster.run_dir / "data"),
             "--wal-archive", str(archive), "--target-time", between.isoformat())  # fmt: skip
        _pgcluster("start", str(cluster.run_dir), str(PORT))
        conn = psycopg2.connect(cluster.superuser_dsn(DBNAME))
        conn.autocommit = True
        with conn.cursor() as cur:
            for _ in range(300):  # recovery ends with a promotion
                cur.execute("SELECT pg_is_in_recovery()")
                if not cur.fetchone()[0]:
                    break
                time.sleep(0.1)
            cur.execute("SELECT id FROM published.property_land_parcel WHERE id IN (%s, %s)", (first, second))
            published = {row[0] for row in cur.fetchall()}
            cur.execute("SELECT id, status FROM property.land_parcel WHERE id IN (%s, %s) ORDER BY id", (first, second))
            states = dict(cur.fetchall())
        conn.close()
        assert published == {first}, f"published after recovery to {between}: {published}"
        assert states == {first: "verified", second: "submitted"}
        log = (cluster.run_dir / "postgres.log").read_text(errors="replace")
        assert "recovery stopping before commit" in log
        assert "the history's chain holds" in zgis(cluster, "history", "verify", dbname=DBNAME)
    finally:
        stop_cluster(cluster, remove=True)
        subprocess.run(["rm", "-rf", str(archive)], check=True)
