"""Upgrades: from empty, re-applied, and a failing one rolled back whole."""

from __future__ import annotations

import psycopg2
import pytest

from zhytomyr_gis import migrate


@pytest.fixture
def empty_db(pg_cluster):
    name = "zgis_test_empty"
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_cluster.execute(f"CREATE DATABASE {name}")
    conn = psycopg2.connect(pg_cluster.superuser_dsn(name))
    yield conn
    conn.close()
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_migrations_apply_from_empty_and_reapply_as_no_op(empty_db):
    applied = migrate.migrate(empty_db, log=lambda _m: None)
    assert applied == [m.filename for m in migrate.discover()]
    assert migrate.migrate(empty_db, log=lambda _m: None) == []
    with empty_db.cursor() as cur:
        cur.execute("SELECT count(*) FROM meta.applied_migration")
        assert cur.fetchone()[0] == len(applied)
        # every register declared, each with a published copy
        cur.execute("SELECT table_name, published_table FROM workflow.register ORDER BY 1")
        registers = dict(cur.fetchall())
    for expected in [
        "property.land_parcel",
        "property.property_object",
        "investment.site",
        "planning.functional_zone",
        "planning.zoning_zone",
        "advertising.structure",
        "advertising.permit",
        "energy.building",
        "energy.consumption",
        "energy.measure",
        "budget.project",
        "ref.city_boundary",
        "ref.district",
        "ref.street",
        "ref.address",
        "ref.organisation",
    ]:
        assert expected in registers, expected
        assert registers[expected] == "published." + expected.replace(".", "_")


def test_objects_are_owned_by_gis_owner(empty_db):
    migrate.migrate(empty_db, log=lambda _m: None)
    with empty_db.cursor() as cur:
        cur.execute("""SELECT n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner)
                         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('ref', 'property', 'investment', 'planning', 'advertising',
                                            'energy', 'budget', 'workflow', 'history', 'published')
                          AND c.relkind IN ('r', 'v', 'p')
                          AND pg_get_userbyid(c.relowner) <> 'gis_owner'""")
        assert cur.fetchall() == []


def test_epsg_9836_is_registered_and_transforms(empty_db):
    migrate.migrate(empty_db, log=lambda _m: None)
    with empty_db.cursor() as cur:
        # The centre of Zhytomyr in UCS-2000 / LCS-18 (PROJ: cs2cs EPSG:4326 EPSG:9836).
        cur.execute(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(" "ST_SetSRID(ST_MakePoint(28.6578, 50.2544), 4326), 9836) p"
        )
        x, y = cur.fetchone()
    assert x == pytest.approx(311371.6, abs=1.0)
    assert y == pytest.approx(5569271.9, abs=1.0)


def _changelogs(tmp_path):
    (tmp_path / "changelogs").mkdir()
    return tmp_path / "changelogs"


def test_failing_upgrade_rolls_back_whole_and_names_file_and_statement(empty_db, tmp_path):
    changelogs = _changelogs(tmp_path)
    (changelogs / "0001_good.sql").write_text("-- migrate: superuser\nCREATE TABLE public.good_one (id int);\n")
    (changelogs / "0002_bad.sql").write_text(
        "-- migrate: superuser\n"
        "CREATE TABLE public.half_done (id int);\n"
        "INSERT INTO public.half_done VALUES (1);\n"
        "\n"
        "SELECT no_such_function();\n"
    )
    with pytest.raises(migrate.MigrationError) as failure:
        migrate.migrate(empty_db, sql_dir=tmp_path, log=lambda _m: None)
    message = str(failure.value)
    assert "0002_bad.sql" in message
    assert "statement 3" in message and "line 5" in message
    assert "no_such_function" in message
    # One upgrade, one transaction: the good file before the bad one is gone too.
    with empty_db.cursor() as cur:
        cur.execute("SELECT to_regclass('public.good_one'), to_regclass('public.half_done')")
        assert cur.fetchone() == (None, None)
        cur.execute("SELECT to_regclass('meta.applied_migration')")
        assert cur.fetchone() == (None,)


def test_changed_changelog_is_refused(empty_db, tmp_path):
    path = _changelogs(tmp_path) / "0001_one.sql"
    path.write_text("-- migrate: superuser\nCREATE TABLE public.one (id int);\n")
    migrate.migrate(empty_db, sql_dir=tmp_path, log=lambda _m: None)
    path.write_text("-- migrate: superuser\nCREATE TABLE public.one (id bigint);\n")
    with pytest.raises(ValueError, match="changed after it was applied"):
        migrate.migrate(empty_db, sql_dir=tmp_path, log=lambda _m: None)


def test_statement_splitting_keeps_function_bodies_whole():
    sql = (
        "-- header\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  RETURN 1; -- inside\nEND\n$$;\n\nSELECT 1;\n"
    )
    parts = migrate.statements(sql)
    assert [line for line, _ in parts] == [2, 8]
    assert "RETURN 1;" in parts[0][1]
