"""Attack: rewrite the history as the database owner or a superuser.

Both can switch the append-only triggers off and change rows. The hash chain
over history.event and history.configuration_change shows an altered, a
deleted and an inserted event; a chain recomputed whole after a change no
longer passes through the head exported before it.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from factories import approve, call, insert, parcel

PARCELS = "property.land_parcel"


def _make_history(db, n: int = 3) -> list[int]:
    editor = db.connect("t_property_editor")
    ids = [insert(editor, PARCELS, parcel()) for _ in range(n)]
    call(editor, "submit", PARCELS, ids)
    approve(db.connect("t_property_verifier"), PARCELS, ids)
    return ids


def _verify(conn, head=None) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM history.verify_chain(%s, %s)", head or (None, None))
        return cur.fetchall()


def _head(conn) -> tuple[int, str]:
    with conn.cursor() as cur:
        cur.execute("SELECT link_position, hash FROM history.chain_head()")
        return cur.fetchone()


def _as_superuser_without_triggers(conn, sql: str, *params) -> None:
    with conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # the append-only triggers are off
        cur.execute(sql, params)
        cur.execute("RESET session_replication_role")


def _event(conn, record_id: int, action: str) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id FROM history.event WHERE table_name = %s AND record_id = %s AND action = %s",
            (PARCELS, record_id, action),
        )
        return cur.fetchone()[0]


def test_every_change_and_decision_is_chained_and_the_chain_holds(db):
    _make_history(db)
    su = db.connect()
    assert _verify(su) == []
    with su.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM history.event e WHERE NOT EXISTS"
            " (SELECT FROM history.chain c WHERE c.source = 'event' AND c.source_id = e.id)"
        )
        assert cur.fetchone() == (0,)
    admin = db.connect("t_admin_editor")
    assert _verify(admin) == [], "GIS administrators may check it"


def test_an_altered_a_deleted_and_an_inserted_event_are_reported(db):
    ids = _make_history(db)
    su = db.connect()
    altered, deleted = _event(su, ids[0], "approve"), _event(su, ids[1], "submit")
    _as_superuser_without_triggers(su, "UPDATE history.event SET actor = 'somebody_else' WHERE id = %s", altered)
    _as_superuser_without_triggers(su, "DELETE FROM history.event WHERE id = %s", deleted)
    _as_superuser_without_triggers(
        su,
        "INSERT INTO history.event (action, table_name, record_id, version, reason)"
        " VALUES ('approve', %s, %s, 1, 'затверджено заднім числом')",
        PARCELS,
        ids[2],
    )
    problems = {(source, row_id): problem for _pos, source, row_id, problem in _verify(su)}
    assert problems[("event", altered)] == "the row was altered after it was chained"
    assert problems[("event", deleted)] == "the row was deleted after it was chained"
    inserted = [k for k, p in problems.items() if p.startswith("the row is not in the chain")]
    assert len(inserted) == 1 and inserted[0][1] > deleted


def test_a_chain_rewritten_whole_misses_the_exported_head(db, tmp_path):
    ids = _make_history(db)
    su = db.connect()
    exported = _head(su)
    # The owner alters an approval, then rebuilds every link from there on.
    altered = _event(su, ids[0], "approve")
    with su.cursor() as cur:
        cur.execute("SELECT min(position) FROM history.chain WHERE source = 'event' AND source_id = %s", (altered,))
        (from_position,) = cur.fetchone()
    _as_superuser_without_triggers(su, "UPDATE history.event SET reason = 'інша причина' WHERE id = %s", altered)
    _as_superuser_without_triggers(su, "DELETE FROM history.chain WHERE position >= %s", from_position)
    with su.cursor() as cur:
        cur.execute("SET ROLE gis_owner")
        cur.execute("SELECT history.seal(first_time => true)")
        cur.execute("RESET ROLE")
    assert _verify(su) == [], "a rewritten chain holds in itself"
    problems = _verify(su, exported)
    assert [p for *_rest, p in problems] == ["the chain no longer passes through the exported head: it was rewritten"]

    # The command line says the same, with exit code 1.
    command = [sys.executable, "-m", "zhytomyr_gis", "--dsn", db.superuser_dsn, "history", "verify"]
    holds = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert holds.returncode == 0 and "holds" in holds.stdout
    broken = subprocess.run(
        [*command, "--head", f"{exported[0]}:{exported[1]}"], cwd=ROOT, capture_output=True, text=True
    )
    assert broken.returncode == 1 and "rewritten" in broken.stdout and "Traceback" not in broken.stderr
    out = tmp_path / "heads.log"
    exported_now = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "--dsn", db.superuser_dsn, "history", "head", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert exported_now.returncode == 0 and out.read_text().strip().endswith(exported_now.stdout.split()[0])
    assert (tmp_path / "heads.log.json").exists()


def test_a_column_added_to_the_history_later_leaves_the_chain_valid(db, tmp_path):
    from conftest import upgrade_with_changelog

    _make_history(db)
    upgrade_with_changelog(db, tmp_path, "9001_history_column.sql", "ALTER TABLE history.event ADD COLUMN note text;")
    assert _verify(db.connect()) == []
