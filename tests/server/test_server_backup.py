"""A backup of the published city restored into a fresh cluster is the same city.

``python -m zhytomyr_gis backup`` dumps the public server's database (with
its roles and a manifest of every table); ``restore`` brings it into a new
cluster made for the test and compares every table, sequence and role with
the manifest; ``history verify`` passes there; a second QGIS Server reading
the restored database answers every request of the marker suite exactly as
the original does. A damaged dump and a restore over an existing database
are refused with a message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import PASSWORD, ROOT, SPARE_PGPORT, SPARE_SERVER_PORT, fresh_cluster, stop_cluster

from zhytomyr_gis.publishing.credentials import write_connection_files

from .conftest import PublicServer
from .test_server_marker import normalised, responses

RESTORED_PORT = SPARE_PGPORT
RESTORED_SERVER_PORT = SPARE_SERVER_PORT


def where_they_differ(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"from byte {at}: {a[max(0, at - 80) : at + 120]!r} / {b[max(0, at - 80) : at + 120]!r}"


def zgis(*args: str, dsn: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "--dsn", dsn, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def backup_folder(public_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("backups")
    dsn = public_server.cluster.superuser_dsn(public_server.dbname)
    result = zgis("backup", str(out), dsn=dsn)
    assert result.returncode == 0, result.stderr
    (folder,) = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return folder


@pytest.fixture(scope="module")
def restored(public_server, backup_folder):
    cluster = fresh_cluster("test-restored", RESTORED_PORT)
    try:
        result = zgis("restore", str(backup_folder), dsn=cluster.superuser_dsn())
        yield cluster, result
    finally:
        stop_cluster(cluster, remove=True)


def test_manifest_describes_every_register_published_copy_and_history(backup_folder):
    manifest = json.loads((backup_folder / "manifest.json").read_text())
    tables = manifest["tables"]
    for table in ("property.land_parcel", "published.property_land_parcel", "history.event"):
        assert tables[table]["rows"] > 0, table
    assert "history.configuration_change" in tables
    assert manifest["history_head"]["position"] > 0
    assert {"portal_reader", "gis_owner", "property_editor"} <= set(manifest["roles"])
    assert "PASSWORD" not in (backup_folder / "roles.sql").read_text().upper().replace("NO PASSWORD", "")


def test_restore_into_a_fresh_cluster_equals_the_manifest_and_the_chain_holds(public_server, restored):
    cluster, result = restored
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restored: every table" in result.stdout
    dsn = cluster.superuser_dsn(public_server.dbname)
    verify = zgis("history", "verify", dsn=dsn)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "the history's chain holds" in verify.stdout


def test_restored_database_serves_the_same_answers(public_server, restored, tmp_path):
    cluster, result = restored
    assert result.returncode == 0, result.stderr
    cluster.execute(f"ALTER ROLE portal_reader PASSWORD '{PASSWORD}'")
    run_dir = public_server.run_dir.parent / "test-restored-server"
    subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    write_connection_files(
        run_dir, host="127.0.0.1", port=cluster.port, dbname=public_server.dbname, password=PASSWORD,
        monitor_password=PASSWORD,
    )  # fmt: skip
    env = {**os.environ, "ZGIS_TILES": "0", "ZGIS_OPENDATA": "0", "ZGIS_MONITOR": "0", "ZGIS_DOWNLOAD_CACHE": "0"}
    start = subprocess.run(
        [str(ROOT / "tools" / "server.sh"), "start", str(run_dir), str(RESTORED_SERVER_PORT),
         str(public_server.run_dir / "built-projects")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert start.returncode == 0, start.stderr
    try:
        copy = PublicServer(
            f"http://127.0.0.1:{RESTORED_SERVER_PORT}", run_dir, cluster, public_server.dbname, public_server.seeded
        )
        parcels = public_server.seeded.ids["property.land_parcel"]
        original = responses(public_server, parcels)
        # OGC API links name the address asked (the copy's port): compare them as if asked of the original.
        here, there = copy.base_url.encode(), public_server.base_url.encode()
        restored_answers = {name: body.replace(here, there) for name, body in responses(copy, parcels).items()}
        assert original.keys() == restored_answers.keys()
        differing = [name for name in original if normalised(original[name]) != normalised(restored_answers[name])]
        assert differing == [], f"{len(differing)} of {len(original)} answers differ: {differing[:5]}" + "".join(
            f"\n{name}: {where_they_differ(original[name], restored_answers[name])}" for name in differing[:3]
        )
    finally:
        subprocess.run([str(ROOT / "tools" / "server.sh"), "stop", str(run_dir)], capture_output=True)


def test_damaged_backup_and_existing_database_are_refused(public_server, backup_folder, restored, tmp_path):
    cluster, _ = restored
    again = zgis("restore", str(backup_folder), dsn=cluster.superuser_dsn())
    assert again.returncode == 1
    assert f"database {public_server.dbname} exists already" in again.stderr
    assert "Traceback" not in again.stderr

    damaged = tmp_path / backup_folder.name
    shutil.copytree(backup_folder, damaged)
    with (damaged / "database.dump").open("r+b") as dump:
        dump.seek(2000)
        byte = dump.read(1)
        dump.seek(2000)
        dump.write(bytes([byte[0] ^ 0xFF]))
    refused = zgis("restore", str(damaged), "--target-dbname", "zgis_damaged", dsn=cluster.superuser_dsn())
    assert refused.returncode == 1
    assert "database.dump is not the file the backup wrote" in refused.stderr
    assert "Traceback" not in refused.stderr
    not_a_backup = zgis("restore", str(tmp_path), dsn=cluster.superuser_dsn())
    assert not_a_backup.returncode == 1 and "is not a backup" in not_a_backup.stderr
