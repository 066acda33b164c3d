"""Who may call which function and read which table: exactly what
sql/app/05_privileges.sql lists, and nothing by default.

PostgreSQL lets PUBLIC execute every new function, and its per-schema
default-privilege form cannot take that away; the upgrade takes every
privilege from everyone and grants from the allow-list. These tests read
the database's own access control lists.
"""

from __future__ import annotations

import re

import psycopg2
import pytest
from conftest import upgrade_with_changelog

from zhytomyr_gis import migrate

OURS = ("meta", "workflow", "history", "verification", "ref", "published", "monitoring")
GRANTS_FILE = migrate.SQL_DIR / "app" / "05_privileges.sql"


def allow_list(*names: str) -> set[str]:
    """The signatures of the EXECUTE lists of 05_privileges.sql (all of them by default)."""
    text = GRANTS_FILE.read_text(encoding="utf-8")
    listed = set()
    for name in names or ("department_api", "department_checks", "admin_api", "monitor_api"):
        block = re.search(rf"{name} regprocedure\[\] := ARRAY\[(.*?)\]::regprocedure\[\];", text, re.S)
        assert block, f"{name} not found in {GRANTS_FILE.name}"
        listed |= {_normal(s) for s in re.findall(r"'([^']+)'", block.group(1))}
    return listed


def executable(cur) -> dict[str, set[str]]:
    """Function signature -> roles (PUBLIC included) that may execute it, other than its owner."""
    cur.execute(
        """SELECT p.oid::regprocedure::text,
                  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
            WHERE n.nspname = ANY (%s) AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner""",
        (list(OURS),),
    )
    result: dict[str, set[str]] = {}
    for signature, grantee in cur.fetchall():
        result.setdefault(_normal(signature), set()).add(grantee)
    return result


def _normal(signature: str) -> str:
    return signature.replace('"', "").replace(" ", "")


def department_roles(cur) -> set[str]:
    cur.execute("SELECT editor_role FROM workflow.department UNION SELECT verifier_role FROM workflow.department")
    return {r for (r,) in cur.fetchall()}


def test_every_executable_function_is_on_the_allow_list_and_nobody_else_may_call(db):
    with db.connect().cursor() as cur:
        grants = executable(cur)
        roles = department_roles(cur)
    outside = {f: g for f, g in grants.items() if f not in allow_list()}
    assert outside == {}, f"functions executable but not on the allow-list: {outside}"
    for signature in allow_list("department_api", "department_checks"):
        assert grants.get(signature) == roles, (signature, grants.get(signature))
    for signature in allow_list("admin_api"):
        assert grants.get(signature) == {"gis_admin"}, (signature, grants.get(signature))
    for signature in allow_list("monitor_api"):
        assert grants.get(signature) == {"zgis_monitor"}, (signature, grants.get(signature))
    assert not any("PUBLIC" in g or "portal_reader" in g for g in grants.values())


def test_internal_functions_are_refused_to_departments_and_the_public(db):
    editor = db.connect("t_property_editor")
    public = db.connect("portal_reader")
    for conn, call in [
        (editor, "SELECT workflow.publish(workflow.register_of('property.land_parcel'), ARRAY[1]::bigint[])"),
        (editor, "SELECT workflow.attach_register('property.land_parcel')"),
        (editor, "SELECT verification.run_rules(workflow.register_of('property.land_parcel'), NULL, 'demand')"),
        (editor, "SELECT meta.apply_privileges()"),
        (editor, "SELECT verification.declare_standard_rules(workflow.register_of('property.land_parcel'))"),
        (public, "SELECT workflow.my_departments()"),
        (public, "SELECT ref.is_valid_edrpou('04053625')"),
    ]:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege), conn.cursor() as cur:
            cur.execute(call)


def test_the_public_reads_the_published_copies_and_nothing_else(db):
    su = db.connect()
    with su.cursor() as cur:
        cur.execute(
            """SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'v', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND has_table_privilege('portal_reader', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')"""
        )
        readable = {r for (r,) in cur.fetchall()}
    assert readable, "portal_reader reads nothing at all"
    assert {t for t in readable if not t.startswith("published.")} <= {
        "public.layer_styles",  # the layers' styles (forms, symbols): no data
        "public.spatial_ref_sys",
        "public.geometry_columns",
        "public.geography_columns",
    }
    with su.cursor() as cur:
        cur.execute(
            """SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'published' AND c.relkind IN ('r', 'v')
                  AND (has_table_privilege('portal_reader', c.oid, 'INSERT')
                       OR has_table_privilege('portal_reader', c.oid, 'UPDATE')
                       OR has_table_privilege('portal_reader', c.oid, 'DELETE'))"""
        )
        assert cur.fetchall() == []


def test_a_function_the_owner_adds_between_upgrades_is_nobodys_until_listed(db, tmp_path):
    su = db.connect()
    with su.cursor() as cur:
        cur.execute("SET ROLE gis_owner")
        cur.execute("CREATE FUNCTION workflow.added_later() RETURNS int LANGUAGE sql RETURN 1")
        cur.execute("RESET ROLE")
        assert "workflow.added_later()" not in executable(cur)
    # ... and the next upgrade, which does not define it, drops it.
    log = upgrade_with_changelog(db, tmp_path, "9001_nothing.sql", "SELECT 1;")
    assert any("dropping function workflow.added_later()" in line for line in log), log
    with su.cursor() as cur:
        cur.execute("SELECT to_regprocedure('workflow.added_later()')")
        assert cur.fetchone() == (None,)


def test_privileges_granted_by_hand_are_taken_back_by_the_next_upgrade(db, tmp_path):
    su = db.connect()
    with su.cursor() as cur:
        cur.execute("GRANT EXECUTE ON FUNCTION workflow.publish(workflow.register, bigint[]) TO PUBLIC")
        cur.execute("GRANT SELECT ON property.land_parcel TO portal_reader")
    upgrade_with_changelog(db, tmp_path, "9001_nothing.sql", "SELECT 1;")
    with su.cursor() as cur:
        assert "workflow.publish(workflow.register,bigint[])" not in executable(cur)
        cur.execute("SELECT has_table_privilege('portal_reader', 'property.land_parcel', 'SELECT')")
        assert cur.fetchone() == (False,)
