"""Changes of the verification settings, rules, classifiers and layer styles
are reviewed and kept like register changes.

A GIS administrator requests a change of a tolerance, a classifier label or a
style; another administrator approves it; the database records the request,
who made and who approved it, when, from what to what, and nobody may alter
that record.
"""

from __future__ import annotations

import json

import psycopg2
import pytest
from conftest import upgrade_with_changelog


def _history(conn, table: str, actor: str | None = None) -> list[tuple]:
    """The configuration history of a table (of one actor's changes: the upgrade's own are there too)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT actor, action, old_values, new_values FROM history.configuration_change"
            " WHERE table_name = %s AND (%s::text IS NULL OR actor = %s) ORDER BY id",
            (table, actor, actor),
        )
        return cur.fetchall()


def _request(conn, table: str, row: dict, reason: str = "уточнення", remove: bool = False) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT workflow.request_configuration(%s, %s::jsonb, %s, %s)", (table, json.dumps(row), reason, remove)
        )
        return cur.fetchone()[0]


def _decide(conn, request: int, approve: bool = True, note: str | None = None) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT workflow.decide_configuration(%s, %s, %s)", (request, approve, note))
        return cur.fetchone()[0]


def test_a_changed_tolerance_is_recorded_with_its_request_author_and_both_values(db):
    admin, other = db.connect("t_admin_editor"), db.connect("t_admin_verifier")
    with admin.cursor() as cur:
        cur.execute("SELECT value FROM verification.setting WHERE key = 'parcel_overlap_tolerance_m2'")
        before = cur.fetchone()[0]
    request = _request(admin, "verification.setting", {"key": "parcel_overlap_tolerance_m2", "value": 50})
    assert _decide(other, request) == "approved"
    same = _request(admin, "verification.setting", {"key": "parcel_overlap_tolerance_m2", "value": 50})
    _decide(other, same)  # no change: nothing recorded
    reader = db.connect("t_property_verifier")
    rows = _history(reader, "verification.setting", "t_admin_verifier")
    assert len(rows) == 1, rows
    actor, action, old, new = rows[0]
    assert (actor, action) == ("t_admin_verifier", "update")
    assert old["key"] == new["key"] == "parcel_overlap_tolerance_m2"
    assert float(old["value"]) == float(before) and float(new["value"]) == 50
    with reader.cursor() as cur:
        cur.execute(
            "SELECT request_id, requested_by FROM history.configuration_change"
            " WHERE table_name = 'verification.setting' AND actor <> 'postgres'"  # not the upgrade's own
        )
        assert cur.fetchall() == [(request, "t_admin_editor")]


def test_classifier_labels_and_rule_switches_are_recorded(db):
    admin, other = db.connect("t_admin_editor"), db.connect("t_admin_verifier")
    _decide(other, _request(admin, "ref.cl_ownership", {"code": "communal", "label_uk": "громадська"}))
    _decide(other, _request(admin, "ref.cl_ownership", {"code": "mixed", "label_uk": "змішана", "label_en": "mixed"}))
    owner = db.connect()
    with owner.cursor() as cur:
        cur.execute("SELECT id FROM verification.rule ORDER BY id LIMIT 1")
        rule = cur.fetchone()[0]
        cur.execute("UPDATE verification.rule SET enabled = false WHERE id = %s", (rule,))
    labels = _history(owner, "ref.cl_ownership", "t_admin_verifier")
    assert [(a, act) for a, act, _, _ in labels] == [("t_admin_verifier", "update"), ("t_admin_verifier", "insert")]
    assert labels[0][2]["label_uk"] == "комунальна" and labels[0][3]["label_uk"] == "громадська"
    assert labels[1][2] is None and labels[1][3]["code"] == "mixed"
    rules = [
        r
        for r in _history(owner, "verification.rule", "postgres")
        if r[3]["id"] == rule and r[2] is not None and r[2]["enabled"] != r[3]["enabled"]
    ]
    assert len(rules) == 1 and rules[0][2]["enabled"] is True and rules[0][3]["enabled"] is False


def test_classifiers_made_later_come_with_their_history(db, tmp_path):
    upgrade_with_changelog(
        db, tmp_path, "9001_test_kind.sql", "CREATE TABLE ref.cl_test_kind (LIKE ref.cl_ownership INCLUDING ALL);"
    )
    admin, other = db.connect("t_admin_editor"), db.connect("t_admin_verifier")
    _decide(other, _request(admin, "ref.cl_test_kind", {"code": "a", "label_uk": "а", "label_en": "a"}))
    owner = db.connect()
    assert [action for _, action, _, _ in _history(owner, "ref.cl_test_kind")] == ["insert"]
    with owner.cursor() as cur:
        cur.execute("SELECT label_uk FROM published.classifier WHERE list = 'test_kind'")
        assert cur.fetchall() == [("а",)]


def test_nothing_changes_before_another_administrator_approves(db):
    admin, other = db.connect("t_admin_editor"), db.connect("t_admin_verifier")
    for statement in (
        "UPDATE ref.cl_ownership SET label_uk = 'x' WHERE code = 'communal'",
        "UPDATE verification.setting SET value = 1000 WHERE key = 'boundary_tolerance_m'",
        "UPDATE verification.energy_class_band SET max_kwh_m2 = 1 WHERE energy_class = 'A'",
        "DELETE FROM public.layer_styles",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege), admin.cursor() as cur:
            cur.execute(statement)
    request = _request(admin, "verification.setting", {"key": "boundary_tolerance_m", "value": 1000})
    with admin.cursor() as cur:
        cur.execute("SELECT value FROM verification.setting WHERE key = 'boundary_tolerance_m'")
        assert float(cur.fetchone()[0]) == 5, "a request changes nothing by itself"
    with pytest.raises(psycopg2.Error) as own:
        _decide(admin, request)
    assert own.value.pgcode == "ZG003" and "чотирьох очей" in own.value.pgerror
    with pytest.raises(psycopg2.Error) as unexplained:
        _decide(other, request, approve=False)
    assert unexplained.value.pgcode == "ZG005"
    assert _decide(other, request, approve=False, note="Завеликий допуск") == "rejected"
    with admin.cursor() as cur:
        cur.execute("SELECT value FROM verification.setting WHERE key = 'boundary_tolerance_m'")
        assert float(cur.fetchone()[0]) == 5


def test_a_request_the_tables_rules_refuse_is_refused_at_once(db):
    admin = db.connect("t_admin_editor")
    with pytest.raises(psycopg2.Error) as refused:
        _request(admin, "verification.energy_class_band", {"energy_class": "A", "max_kwh_m2": -5})
    assert refused.value.pgcode == "23514"
    with pytest.raises(psycopg2.Error) as wrong_table:
        _request(admin, "property.land_parcel", {"id": 1})
    assert wrong_table.value.pgcode == "ZG005"
    with pytest.raises(psycopg2.Error) as wrong_field:
        _request(admin, "verification.setting", {"key": "boundary_tolerance_m", "valeu": 3})
    assert wrong_field.value.pgcode == "ZG005" and "valeu" in wrong_field.value.pgerror
    with admin.cursor() as cur:
        cur.execute("SELECT count(*) FROM workflow.configuration_request")
        assert cur.fetchone()[0] == 0


def test_a_retired_code_stays_for_the_records_that_have_it(db):
    admin, other = db.connect("t_admin_editor"), db.connect("t_admin_verifier")
    _decide(other, _request(admin, "ref.cl_ownership", {"code": "state"}, remove=True))
    with admin.cursor() as cur:
        cur.execute("SELECT active FROM ref.cl_ownership WHERE code = 'state'")
        assert cur.fetchone() == (False,)
        cur.execute("SELECT count(*) FROM published.classifier WHERE list = 'ownership' AND code = 'state'")
        assert cur.fetchone() == (0,)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE history.configuration_change SET actor = 'someone'",
        "DELETE FROM history.configuration_change",
        "TRUNCATE history.configuration_change",
    ],
)
def test_the_record_cannot_be_altered_even_by_the_owner(db, statement):
    admin = db.connect("t_admin_editor")
    _decide(
        db.connect("t_admin_verifier"),
        _request(admin, "verification.setting", {"key": "boundary_tolerance_m", "value": 6}),
    )
    owner = db.connect()
    with pytest.raises(psycopg2.Error, match="лише доповнюється"), owner.cursor() as cur:
        cur.execute(statement)
    # Nor may the administrator write it directly.
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), admin.cursor() as cur:
        cur.execute(
            "INSERT INTO history.configuration_change (table_name, action) VALUES ('verification.setting', 'update')"
        )
    assert len(_history(owner, "verification.setting", "t_admin_verifier")) == 1
