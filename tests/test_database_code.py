"""The database's code has one home: every function is defined in exactly
one file of sql/app, the changelogs hold only structure and data, and an
upgrade applies the code whole or not at all."""

from __future__ import annotations

import re
import shutil

import psycopg2
import pytest

from zhytomyr_gis import migrate

OURS = ("meta", "workflow", "history", "verification", "ref", "published", "monitoring")
# The first changelog written for the layout of sql/app; the older ones are history.
FIRST_OF_THE_LAYOUT = "0400"
CODE = re.compile(
    r"\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|TRIGGER|POLICY|VIEW)\b|\bGRANT\b|\bREVOKE\b", re.IGNORECASE
)


def _functions(cur) -> set[str]:
    cur.execute(
        "SELECT DISTINCT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = ANY (%s)",
        (list(OURS),),
    )
    return {r for (r,) in cur.fetchall()}


def _defining_files(name: str) -> list[str]:
    schema, function = name.split(".")
    pattern = re.compile(rf"CREATE\s+OR\s+REPLACE\s+FUNCTION\s+{schema}\.\"?{function}\"?\s*\(", re.IGNORECASE)
    return [f.filename for f in migrate.app_files() if pattern.search(f.sql)]


def test_every_function_is_defined_in_exactly_one_file_of_the_code(db):
    with db.connect().cursor() as cur:
        in_database = _functions(cur)
    assert len(in_database) > 50
    misplaced = {name: files for name in in_database if len(files := _defining_files(name)) != 1}
    assert misplaced == {}, "each function's live definition belongs to exactly one file of sql/app"
    defined = set()
    for f in migrate.app_files():
        for schema, function in re.findall(r"CREATE\s+OR\s+REPLACE\s+FUNCTION\s+(\w+)\.\"?(\w+)", f.sql, re.I):
            defined.add(f"{schema}.{function}")
    assert defined == in_database


def test_changelogs_of_the_layout_hold_no_code():
    newer = [m for m in migrate.discover() if m.version >= FIRST_OF_THE_LAYOUT]
    assert newer, "the layout's first changelog is there"
    for m in newer:
        code = [s for _, s in migrate.statements(m.sql) if CODE.search(migrate._strip_comments(s))]
        # 0400 lets gis_owner make the upgrade's temporary tables: the one grant of a changelog.
        code = [s for s in code if "GRANT TEMPORARY ON DATABASE" not in s]
        assert code == [], f"{m.filename}: functions, triggers, policies, views and grants belong in sql/app"


def test_the_code_is_applied_when_it_changed_and_only_then(db, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(migrate.SQL_DIR, sql_dir)
    conn = psycopg2.connect(db.superuser_dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM meta.app_upgrade")
            before = cur.fetchone()[0]
        assert migrate.migrate(conn, sql_dir=sql_dir, log=lambda _m: None) == []
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM meta.app_upgrade")
            assert cur.fetchone()[0] == before, "nothing changed, nothing applied"

        topic = sql_dir / "app" / "30_workflow.sql"
        topic.write_text(
            topic.read_text(encoding="utf-8")
            + "\nCREATE OR REPLACE FUNCTION workflow.answer() RETURNS int LANGUAGE sql RETURN 42;\n",
            encoding="utf-8",
        )
        migrate.migrate(conn, sql_dir=sql_dir, log=lambda _m: None)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT workflow.answer(), (SELECT count(*) FROM meta.app_upgrade)")
            assert cur.fetchone() == (42, before + 1)
    finally:
        conn.close()


def test_a_failing_file_of_the_code_rolls_the_whole_upgrade_back(db, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(migrate.SQL_DIR, sql_dir)
    (sql_dir / "changelogs" / "9001_new_table.sql").write_text("CREATE TABLE ref.made_by_9001 (id int);\n")
    rules = sql_dir / "app" / "60_rules.sql"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nSELECT no_such_function();\n", encoding="utf-8")
    conn = psycopg2.connect(db.superuser_dsn)
    try:
        with pytest.raises(migrate.MigrationError) as failure:
            migrate.migrate(conn, sql_dir=sql_dir, log=lambda _m: None)
        assert "app/60_rules.sql" in str(failure.value) and "no_such_function" in str(failure.value)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT to_regclass('ref.made_by_9001'), (SELECT count(*) FROM meta.applied_migration"
                " WHERE version = '9001')"
            )
            assert cur.fetchone() == (None, 0)
    finally:
        conn.close()
