"""A database of the landed release, with the demo city loaded by that
release's own code, upgrades to this one keeping every record, every
history event and every configuration change; the workflow, the checks and
the privileges work on it afterwards.

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
APPENDED = "history.configuration_change"
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


def _landed_command(tree, cluster, *args):
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
            DBNAME,
            *args,
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _columns(cur) -> dict[str, list[str]]:
    """The columns of every table of ours and of the registers."""
    cur.execute(
        """SELECT c.oid::regclass::text, array_agg(quote_ident(a.attname) ORDER BY a.attnum)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND (n.nspname = ANY (%s)
                  OR n.nspname IN (SELECT split_part(table_name, '.', 1) FROM workflow.register))
            GROUP BY 1 ORDER BY 1""",
        (OURS,),
    )
    return dict(cur.fetchall())


def _fingerprints(cur, columns: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Rows and a digest of their content in the given columns, per table: a
    column a changelog adds is new content, what was there must stay."""
    result = {}
    for table, names in columns.items():
        row = f"ROW({', '.join(f't.{n}' for n in names)})::text"
        cur.execute(f"SELECT count(*), md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) FROM {table} t")
        result[table] = cur.fetchone()
    return result


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
    with landed_demo.cursor() as cur:
        columns = _columns(cur)
        before = _fingerprints(cur, columns)
        cur.execute("SELECT max(id) FROM history.configuration_change")
        (last_configuration_change,) = cur.fetchone()
        cur.execute(configuration, (last_configuration_change,))
        configuration_before = cur.fetchone()
        cur.execute("SELECT count(*) FROM history.event")
        (events,) = cur.fetchone()
    assert events > 1000, "the demo city was loaded through the workflow"

    started = time.monotonic()
    log: list[str] = []
    applied = migrate.migrate(landed_demo, log=log.append)
    took = time.monotonic() - started
    assert applied and applied[0] == "0400_app_layout.sql", applied
    landed_demo.autocommit = True

    with landed_demo.cursor() as cur:
        after = _fingerprints(cur, columns)
        kept = {t: v for t, v in before.items() if t not in REWRITTEN | {APPENDED}}
        assert {t: after.get(t) for t in kept} == kept, "records, history and configuration are unchanged"
        cur.execute(configuration, (last_configuration_change,))
        assert cur.fetchone() == configuration_before, "earlier configuration changes are kept as they were"
        cur.execute("SELECT count(*) FROM history.event")
        assert cur.fetchone()[0] == events
        # The code is the new one everywhere, with no leftovers and the allow-list.
        cur.execute("SELECT count(*) FROM meta.app_upgrade")
        assert cur.fetchone()[0] == 1
        grants = executable(cur)
        roles = department_roles(cur)
    assert set(grants) == allow_list()
    assert all(grants[f] == roles for f in allow_list("department_api", "department_checks"))
    print(f"upgrade of the landed small demo: {took:.1f} s")

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
