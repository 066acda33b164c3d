"""The open data follow approvals: the listener publishes an approved change
within the regeneration window (a short debounce here), and an unapproved
one never.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from conftest import ROOT
from opendata_city import create, drop, text_of, workflow
from register_rows import VERIFIER

from zhytomyr_gis.opendata.listener import Debouncer, approvals_after, latest_approval

# The window the product promises: within a minute of the last approval.
WINDOW_S = 60


@pytest.fixture(scope="module")
def city(pg_cluster):
    city = create(pg_cluster)
    try:
        yield city
    finally:
        drop(city)


@pytest.fixture
def listener(city, tmp_path):
    root = tmp_path / "opendata"
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"debounce_s": 1, "max_delay_s": 3}), encoding="utf-8")
    log = open(tmp_path / "listener.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "zhytomyr_gis", "opendata", "--db", city.dsn("portal_reader"),
         "--settings", str(settings), "listen", str(root)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not (root / "current" / "index.json").is_file():
            assert process.poll() is None, (tmp_path / "listener.log").read_text()
            assert time.monotonic() < deadline, "the first release did not appear"
            time.sleep(0.5)
        yield root, process, tmp_path / "listener.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def files_text(folder: Path) -> str:
    return "\n".join(text_of(p) for p in sorted(folder.rglob("*")) if p.is_file())


def submitted_canary_id(city) -> int:
    conn = psycopg2.connect(city.superuser_dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM property.land_parcel WHERE address_text = %s", (city.canaries["submitted"],))
            return cur.fetchone()[0]
    finally:
        conn.close()


def test_an_approval_reaches_the_files_within_the_window_and_nothing_else_does(city, listener):
    root, process, log = listener
    first = (root / "current").resolve()
    assert city.canaries["submitted"] not in files_text(first)

    verifier = psycopg2.connect(city.dsn(VERIFIER["property"]))
    verifier.autocommit = True
    approved_at = time.monotonic()
    workflow(verifier, "approve", submitted_canary_id(city), "перевірено")
    verifier.close()

    parcels = None
    while time.monotonic() - approved_at < WINDOW_S:
        current = (root / "current").resolve()
        if current != first and city.canaries["submitted"] in (current / "municipal-land" / "parcels.csv").read_text(
            encoding="utf-8"
        ):
            parcels = current
            break
        assert process.poll() is None, log.read_text()
        time.sleep(0.2)
    assert parcels is not None, f"not published within {WINDOW_S} s:\n{log.read_text()}"
    # Every format of the dataset has it, and its last change is the approval's time.
    for name in ("parcels.json", "parcels.xlsx", "parcels.wgs84.geojson", "parcels.epsg9836.gpkg"):
        assert city.canaries["submitted"] in text_of(parcels / "municipal-land" / name), name
    conn = psycopg2.connect(city.dsn("portal_reader"))
    with conn.cursor() as cur:
        cur.execute("SELECT max(published_at) FROM published.property_land_parcel")
        last = cur.fetchone()[0]
    conn.close()
    passport = {e["key"]: e["value"] for e in json.loads((parcels / "municipal-land" / "passport.json").read_text())}
    assert passport["modified"] == last.isoformat(timespec="seconds")
    # Only the changed datasets were built again: the others are the same files.
    assert (parcels / "budget-projects" / "projects.csv").stat().st_ino == (
        first / "budget-projects" / "projects.csv"
    ).stat().st_ino
    # The changes still waiting for approval are in no file.
    text = files_text(parcels)
    for state in ("draft", "rejected", "edited"):
        assert city.canaries[state] not in text, state


def test_debounce_waits_for_quiet_but_not_forever():
    d = Debouncer(debounce_s=10, max_delay_s=40)
    assert d.due_at() is None
    d.add({"municipal-land"}, now=0)
    assert d.due_at() == 10
    d.add({"budget-projects"}, now=8)  # another approval: wait for quiet again
    assert d.due_at() == 18
    for t in range(16, 60, 8):  # a steady stream of approvals
        d.add({"municipal-land"}, now=t)
    assert d.due_at() == 40  # never later than max_delay_s after the first
    assert d.take() == {"municipal-land", "budget-projects"} and d.due_at() is None
    d.retry({"energy-efficiency"}, at=100)  # a failed build is not retried at once
    assert d.due_at() >= 100


def test_approvals_map_to_the_datasets_that_read_the_table(db):
    su = db.connect()
    start = latest_approval(su)
    with su.cursor() as cur:
        cur.execute(
            "INSERT INTO published.approval_log (table_name, record_count) VALUES"
            " ('published.property_land_parcel', 1), ('published.ref_district', 1)"
        )
    latest, changed = approvals_after(su, start)
    assert latest == start + 2 and changed == {"municipal-land", "budget-projects"}
    assert approvals_after(su, latest) == (latest, set()), "a notification without a new approval changes nothing"
