"""The register declarations agree with the database built by the migrations."""

from __future__ import annotations

import subprocess
import sys

from zhytomyr_gis.registers import DEPARTMENTS, REGISTERS, WORKFLOW_COLUMNS


def _columns(conn, table):
    with conn.cursor() as cur:
        cur.execute(
            """SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass
                       AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
            (table,),
        )
        return [r[0] for r in cur.fetchall()]


def test_every_column_declared_and_nothing_invented(db):
    su = db.connect()
    with su.cursor() as cur:
        cur.execute("SELECT table_name, department, personal_columns FROM workflow.register")
        in_db = {t: (d, set(p)) for t, d, p in cur.fetchall()}
    assert set(in_db) == {r.table for r in REGISTERS}
    for reg in REGISTERS:
        columns = [c for c in _columns(su, reg.table) if c not in WORKFLOW_COLUMNS and c != "geom"]
        declared = [f.name for f in reg.fields]
        assert len(declared) == len(set(declared)), reg.table
        assert set(declared) == set(columns), (reg.table, set(declared) ^ set(columns))
        department, personal = in_db[reg.table]
        assert reg.department == department
        assert {f.name for f in reg.fields if f.personal} == personal, reg.table
        assert all(g in {k for k, _, _ in reg.groups} for g in {f.group for f in reg.fields}), reg.table


def test_departments_are_those_of_the_database(db):
    with db.connect().cursor() as cur:
        cur.execute("SELECT code, title_uk, title_en, editor_role, verifier_role FROM workflow.department")
        in_db = set(cur.fetchall())
    assert in_db == {(d.code, d.title_uk, d.title_en, d.editor_role, d.verifier_role) for d in DEPARTMENTS}
    assert {r.department for r in REGISTERS} <= {d.code for d in DEPARTMENTS}


def test_register_titles_are_those_of_the_database(db):
    with db.connect().cursor() as cur:
        cur.execute("SELECT table_name, title_uk, title_en FROM workflow.register")
        in_db = set(cur.fetchall())
    assert in_db == {(r.table, r.title_uk, r.title_en) for r in REGISTERS}


def test_classifiers_and_relations_exist(db):
    su = db.connect()
    with su.cursor() as cur:
        for reg in REGISTERS:
            for f in reg.fields:
                if f.widget == "classifier":
                    cur.execute(f"SELECT count(*) FROM ref.{f.classifier}")
                    assert cur.fetchone()[0] > 0, (reg.table, f.name)
                if f.widget == "relation":
                    cur.execute("SELECT to_regclass(%s)", (f.relation,))
                    assert cur.fetchone()[0] is not None


def test_core_imports_no_qt():
    """The core stays importable without Qt: the plugin's GUI is a thin layer over it."""
    code = (
        "import sys, zhytomyr_gis, zhytomyr_gis.registers, zhytomyr_gis.migrate, zhytomyr_gis.db;"
        "import zhytomyr_gis.review, zhytomyr_gis.review_filter, zhytomyr_gis.reports, zhytomyr_gis.errors;"
        "import zhytomyr_gis.publishing.catalog, zhytomyr_gis.publishing.access, zhytomyr_gis.publishing.checker;"
        "import zhytomyr_gis.publishing.credentials, zhytomyr_gis.publishing.__main__;"
        "import zhytomyr_gis.publishing.styling, zhytomyr_gis.publishing.mapfile, zhytomyr_gis.publishing.tiles;"
        "import zhytomyr_gis.publishing.tile_invalidation, zhytomyr_gis.publishing.print_qr;"
        "import zhytomyr_gis.opendata.cli, zhytomyr_gis.opendata.release, zhytomyr_gis.opendata.listener;"
        "import zhytomyr_gis.opendata.ckan, zhytomyr_gis.opendata.catalogue;"
        "import zhytomyr_gis.portal.config, zhytomyr_gis.portal.settings, zhytomyr_gis.portal.__main__;"
        "bad = [m for m in sys.modules if m.startswith(('PyQt5', 'qgis'))]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
