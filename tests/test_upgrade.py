"""A database of the landed release, with the demo city loaded by that
release's own code, upgrades to this one keeping every record, every
history event and every configuration change; the workflow, the checks and
the privileges work on it afterwards. The records whose codes the state's
classifiers replaced are converted, each as a new version recorded in the
history as the upgrade's change, with the same values in the public copy
and a report of what was converted and what needs a person.

The landed release is taken from the repository's history (git), so the
database is built exactly as the city's servers have it.
"""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg2
import pytest
from conftest import ROOT
from test_privileges import allow_list, department_roles, executable

from zhytomyr_gis import migrate

# The last release that landed before the database code moved to sql/app.
LANDED = "63f6f8f05ea3c497af4b1761c6d966203b8f3dc4"
DBNAME = "zgis_test_upgrade"
OURS = ["meta", "workflow", "history", "verification", "ref", "published", "monitoring"]
# What an upgrade may legitimately rewrite: the registers' derived columns and
# the re-declared rules (their history is appended to, never changed).
REWRITTEN = {"workflow.register", "verification.rule", "meta.app_upgrade", "meta.applied_migration"}
APPENDED = {"history.configuration_change", "history.event", "verification.setting"}
# The classifiers the files now give, and the registers whose codes 0431 converts
# (the columns it may change; checked one by one below).
CLASSIFIERS = "ref.cl_"
CONVERTED = {
    "property.land_parcel": {"land_use_code", "land_category"},
    "planning.zoning_zone": {"zone_code"},
    "planning.restriction_zone": {"kind"},
    "investment.site": {"zone_code"},
    "ref.city_boundary": {"katottg"},
    "ref.district": {"katottg"},
    "budget.project": {"fund", "kfkvk"},
}
CHANGELOG = "0431_convert_codes.sql"
DEMO_PASSWORD = "zhytomyr-demo"


def _landed_tree(tmp_path):
    archive = tmp_path / "landed.tar"
    result = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), LANDED, "zhytomyr_gis", "sql"],
        capture_output=True,
        text=True,
    )
    assert (
        result.returncode == 0
    ), f"the landed release {LANDED[:7]} is not in this clone's history (clone without --depth): {result.stderr}"
    tree = tmp_path / "landed"
    tree.mkdir()
    subprocess.run(["tar", "-x", "-f", str(archive), "-C", str(tree)], check=True)
    return tree


def _landed_command(tree, cluster, *args, dbname: str = DBNAME):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhytomyr_gis",
            "--socket-dir",
            str(cluster.socket_dir),
            "--port",
            str(cluster.port),
            "--dbname",
            dbname,
            *args,
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _rows_of(cur, table: str, columns: set[str]) -> dict[int, dict]:
    """The records of a table by id, in the given columns."""
    cur.execute(f"SELECT id, to_jsonb(t) FROM {table} t")
    return {i: {k: v for k, v in row.items() if k in columns} for i, row in cur.fetchall()}


def _columns(cur) -> dict[str, list[str]]:
    """The columns of each table of ours and of the registers."""
    cur.execute(
        """SELECT c.oid::regclass::text, array_agg(a.attname::text ORDER BY a.attnum)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND (n.nspname = ANY (%s)
                  OR n.nspname IN (SELECT split_part(table_name, '.', 1) FROM workflow.register))
            GROUP BY 1 ORDER BY 1""",
        (OURS,),
    )
    return dict(cur.fetchall())


def _fingerprints(cur, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Rows and a digest of their content in the given columns (a column added later does not count)."""
    result = {}
    for table, names in columns.items():
        if not _exists(cur, table):
            continue
        cur.execute(
            f"""SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))
                  FROM (SELECT (SELECT jsonb_object_agg(k, v) FROM jsonb_each(to_jsonb(t)) e(k, v)
                                 WHERE k = ANY (%s)) AS r FROM {table} t) rows""",
            (names,),
        )
        result[table] = cur.fetchone()
    return result


def _exists(cur, table: str) -> bool:
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
    return cur.fetchone()[0]


@pytest.fixture
def landed_demo(pg_cluster, tmp_path):
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")
    tree = _landed_tree(tmp_path)
    _landed_command(tree, pg_cluster, "setup")
    _landed_command(tree, pg_cluster, "demo", "--size", "small")
    conn = psycopg2.connect(pg_cluster.superuser_dsn(DBNAME))
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()
        pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")


def test_the_landed_demo_city_upgrades_keeping_everything(landed_demo, pg_cluster):
    configuration = (
        "SELECT count(*), md5(string_agg(c::text, '|' ORDER BY c.id))"
        " FROM history.configuration_change c WHERE c.id <= %s"
    )
    workflow_columns = {"version", "updated_by", "updated_at"}
    with landed_demo.cursor() as cur:
        columns_before = _columns(cur)
        # The events as they were, in the columns they had (a changelog may add one).
        event_row = "ROW(" + ", ".join(f'e."{c}"' for c in columns_before["history.event"]) + ")::text"
        events_of_before = (
            f"SELECT count(*), md5(string_agg({event_row}, '|' ORDER BY e.id)) FROM history.event e WHERE e.id <= %s"
        )
        before = _fingerprints(cur, columns_before)
        cur.execute("SELECT max(id) FROM history.configuration_change")
        (last_configuration_change,) = cur.fetchone()
        cur.execute(configuration, (last_configuration_change,))
        configuration_before = cur.fetchone()
        cur.execute("SELECT max(id) FROM history.event")
        (last_event,) = cur.fetchone()
        cur.execute(events_of_before, (last_event,))
        events_before = cur.fetchone()
        unchanged = {t: set(columns_before[t]) - cols - workflow_columns for t, cols in CONVERTED.items()}
        records_before = {t: _rows_of(cur, t, unchanged[t]) for t in CONVERTED}
        cur.execute("SELECT id, land_use_code FROM property.land_parcel WHERE land_use_code = '18.00' AND NOT deleted")
        public_land = dict(cur.fetchall())
        cur.execute("SELECT count(*) FROM planning.zoning_zone WHERE zone_code = 'К-1'")
        (k1_zones,) = cur.fetchone()
    assert events_before[0] > 1000, "the demo city was loaded through the workflow"
    assert public_land and k1_zones, "the landed demo has codes the classifiers replaced"

    started = time.monotonic()
    log: list[str] = []
    applied = migrate.migrate(landed_demo, log=log.append)
    took = time.monotonic() - started
    assert applied and applied[0] == "0400_app_layout.sql", applied
    assert CHANGELOG in applied
    landed_demo.autocommit = True

    with landed_demo.cursor() as cur:
        after = _fingerprints(cur, columns_before)
        kept = {
            t: v
            for t, v in before.items()
            if t not in REWRITTEN | APPENDED
            and not t.startswith(CLASSIFIERS)
            and t not in CONVERTED
            and t.split(".")[1] not in {c.replace(".", "_") for c in CONVERTED}
        }
        assert {t: after.get(t) for t in kept} == kept, "records, history and configuration are unchanged"
        # Every record is kept, and of the converted ones only the converted columns changed.
        for table in before:
            if not table.startswith("meta."):
                assert after[table][0] >= before[table][0], table
        for table in CONVERTED:
            assert after[table][0] == before[table][0], table
            assert _rows_of(cur, table, unchanged[table]) == records_before[table], table
        cur.execute(configuration, (last_configuration_change,))
        assert cur.fetchone() == configuration_before, "earlier configuration changes are kept as they were"
        cur.execute(events_of_before, (last_event,))
        assert cur.fetchone() == events_before, "earlier history events are kept as they were"
        # The code is the new one everywhere, with no leftovers and the allow-list.
        cur.execute("SELECT count(*) FROM meta.app_upgrade")
        assert cur.fetchone()[0] == 1
        # What the upgrade says it dropped is gone: no function it re-creates is named.
        dropped = [
            line.split("dropping function ", 1)[1].split(" (no longer")[0]
            for line in log
            if "dropping function" in line
        ]
        for signature in dropped:
            cur.execute("SELECT to_regprocedure(%s)", (signature,))
            assert cur.fetchone()[0] is None, f"the upgrade said it dropped {signature}, which is still defined"
        grants = executable(cur)
        roles = department_roles(cur)
    assert set(grants) == allow_list()
    assert all(grants[f] == roles for f in allow_list("department_api", "department_checks"))
    print(f"upgrade of the landed small demo: {took:.1f} s")
    _assert_conversions(landed_demo, public_land, last_event, log)

    # The workflow works on the upgraded database: an approved record changes
    # as a draft, and reaches the public when approved.
    def login(user):
        return psycopg2.connect(
            f"host=127.0.0.1 port={pg_cluster.port} user={user} password={DEMO_PASSWORD} dbname={DBNAME}"
        )

    editor, verifier = login("property_editor_demo"), login("property_verifier_demo")
    editor.autocommit = verifier.autocommit = True
    try:
        with editor.cursor() as cur:
            cur.execute(
                "SELECT id, version FROM property.land_parcel"
                " WHERE status = 'verified' AND NOT deleted ORDER BY id LIMIT 1"
            )
            record, version = cur.fetchone()
            cur.execute(
                "UPDATE property.land_parcel SET note = 'після оновлення', version = %s WHERE id = %s",
                (version + 1, record),
            )
            cur.execute("SELECT workflow.submit('property.land_parcel', %s::bigint)", (record,))
        with verifier.cursor() as cur:
            cur.execute("SELECT workflow.approve('property.land_parcel', %s::bigint, %s)", (record, version + 1))
        with landed_demo.cursor() as cur:
            cur.execute("SELECT note, published_version FROM published.property_land_parcel WHERE id = %s", (record,))
            assert cur.fetchone() == ("після оновлення", version + 1)
            cur.execute(
                "SELECT array_agg(action ORDER BY id) FROM history.event WHERE table_name = 'property.land_parcel'"
                " AND record_id = %s AND id > (SELECT max(id) - 3 FROM history.event)",
                (record,),
            )
            assert cur.fetchone()[0] == ["update", "submit", "approve"]
    finally:
        editor.close()
        verifier.close()


def _assert_conversions(conn, public_land: dict[int, str], last_event: int, log: list[str]) -> None:
    """The codes moved to the classifiers' ones, as the history and the report tell."""
    with conn.cursor() as cur:
        # Streets and parks of КВЦПЗ 18.00: 12.13 or 07.08, or left (18.00) for a person.
        cur.execute("SELECT id, land_use_code FROM property.land_parcel WHERE id = ANY (%s)", (list(public_land),))
        now = dict(cur.fetchall())
        # (the small demo's one such parcel is the square, Соборний майдан: a square, 12.13)
        assert set(now.values()) <= {"12.13", "07.08", "18.00"} and "12.13" in now.values()
        cur.execute(
            "SELECT record_id, outcome, new_value FROM meta.conversion_report"
            " WHERE changelog = %s AND table_name = 'property.land_parcel' AND column_name = 'land_use_code'",
            (CHANGELOG,),
        )
        report = {i: (outcome, new) for i, outcome, new in cur.fetchall()}
        assert set(report) == set(public_land)
        for record, code in now.items():
            assert report[record] == (("needs_human", None) if code == "18.00" else ("converted", code))
        # Each converted record: one new version, one event of the upgrade with the rule as its reason,
        # and the public copy of an approved record shows the new codes at the new version.
        cur.execute(
            """SELECT p.id, p.version, p.status, e.version, e.changed_columns, e.reason, e.actor,
                      e.old_values ->> 'land_use_code', e.new_values ->> 'land_use_code'
                 FROM property.land_parcel p
                 JOIN history.event e ON e.table_name = 'property.land_parcel' AND e.record_id = p.id
                                     AND e.action = 'convert' AND e.id > %s
                WHERE p.id = ANY (%s)""",
            (last_event, list(public_land)),
        )
        events = cur.fetchall()
        converted = [i for i, code in now.items() if code != "18.00"]
        assert sorted(e[0] for e in events) == sorted(public_land)  # the land category too: every parcel
        for record, version, _status, event_version, columns, reason, actor, old, new in events:
            assert event_version == version and old == "18.00" and new == now[record]
            assert "land_category" in columns and ("land_use_code" in columns) == (record in converted)
            assert reason.startswith(f"Оновлення бази ({CHANGELOG}): ") and actor == "postgres"
        cur.execute(
            """SELECT count(*) FROM property.land_parcel w JOIN published.property_land_parcel p ON p.id = w.id
                WHERE w.status = 'verified' AND NOT w.deleted
                  AND (p.land_use_code, p.land_category, p.published_version)
                      IS DISTINCT FROM (w.land_use_code, w.land_category, w.version)"""
        )
        assert cur.fetchone() == (0,), "the public copies of approved parcels are the converted records"
        # Zones, restrictions, the hromada's codes, the budget's funds.
        cur.execute("SELECT count(*) FROM planning.zoning_zone WHERE zone_code = 'К-1'")
        assert cur.fetchone() == (0,)
        cur.execute("SELECT count(*) FROM published.planning_zoning_zone WHERE zone_code = 'К-1'")
        assert cur.fetchone() == (0,)
        cur.execute("SELECT DISTINCT kind FROM planning.restriction_zone ORDER BY 1")
        assert {k for (k,) in cur.fetchall()} <= {"01.02", "05.02", "03.01", "01.08"}
        cur.execute("SELECT katottg FROM ref.city_boundary UNION ALL SELECT katottg FROM ref.district ORDER BY 1")
        assert [k for (k,) in cur.fetchall()] == ["UA18040190010057814", "UA18040190010115253", "UA18040190010281147"]
        cur.execute("SELECT count(*) FILTER (WHERE fund = 'development'), count(*) FROM budget.project")
        developed, projects = cur.fetchone()
        assert developed == projects > 0
        # The report in the upgrade's log, and the codes out of force kept (deactivated) for the history.
        cur.execute(
            "SELECT count(*) FILTER (WHERE outcome = 'converted'), count(*) FILTER (WHERE outcome = 'needs_human')"
            " FROM meta.conversion_report WHERE changelog = %s",
            (CHANGELOG,),
        )
        converted_values, for_a_person = cur.fetchone()
        assert (
            f"{CHANGELOG}: {converted_values} values converted, {for_a_person} left for a person to decide"
            in " ".join(log)
        )
        cur.execute("SELECT active FROM ref.cl_zone_code WHERE code = 'К-1'")
        assert cur.fetchone() == (False,)
        cur.execute("SELECT count(*) FROM ref.classifier_source")
        assert cur.fetchone()[0] == len(list((migrate.SQL_DIR / "classifiers").glob("*.csv")))
