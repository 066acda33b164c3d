"""Changes of the verification settings, rules and classifiers are kept like register changes.

The GIS administrator may change a tolerance or a classifier label directly;
the database records who changed which row, when, from what to what, and
nobody may alter that record.
"""

from __future__ import annotations

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


def test_a_changed_tolerance_is_recorded_with_its_author_and_both_values(db):
    admin = db.connect("t_admin_editor")
    with admin.cursor() as cur:
        cur.execute("SELECT value FROM verification.setting WHERE key = 'parcel_overlap_tolerance_m2'")
        before = cur.fetchone()[0]
        cur.execute("UPDATE verification.setting SET value = 50 WHERE key = 'parcel_overlap_tolerance_m2'")
        cur.execute("UPDATE verification.setting SET value = 50 WHERE key = 'parcel_overlap_tolerance_m2'")  # no change
    reader = db.connect("t_property_verifier")
    rows = _history(reader, "verification.setting", "t_admin_editor")
    assert len(rows) == 1, rows
    actor, action, old, new = rows[0]
    assert (actor, action) == ("t_admin_editor", "update")
    assert old["key"] == new["key"] == "parcel_overlap_tolerance_m2"
    assert float(old["value"]) == float(before) and float(new["value"]) == 50


def test_classifier_labels_and_rule_switches_are_recorded(db):
    admin = db.connect("t_admin_editor")
    with admin.cursor() as cur:
        cur.execute("UPDATE ref.cl_ownership SET label_uk = 'громадська' WHERE code = 'communal'")
        cur.execute("INSERT INTO ref.cl_ownership (code, label_uk, label_en) VALUES ('mixed', 'змішана', 'mixed')")
    owner = db.connect()
    with owner.cursor() as cur:
        cur.execute("SELECT id FROM verification.rule ORDER BY id LIMIT 1")
        rule = cur.fetchone()[0]
        cur.execute("UPDATE verification.rule SET enabled = false WHERE id = %s", (rule,))
    labels = _history(owner, "ref.cl_ownership", "t_admin_editor")
    assert [(a, act) for a, act, _, _ in labels] == [("t_admin_editor", "update"), ("t_admin_editor", "insert")]
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
    admin = db.connect("t_admin_editor")
    with admin.cursor() as cur:
        cur.execute("INSERT INTO ref.cl_test_kind (code, label_uk, label_en) VALUES ('a', 'а', 'a')")
    owner = db.connect()
    assert [action for _, action, _, _ in _history(owner, "ref.cl_test_kind")] == ["insert"]
    with owner.cursor() as cur:
        cur.execute("SELECT label_uk FROM published.classifier WHERE list = 'test_kind'")
        assert cur.fetchall() == [("а",)]


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
    with admin.cursor() as cur:
        cur.execute("UPDATE verification.setting SET value = value + 1 WHERE key = 'boundary_tolerance_m'")
    owner = db.connect()
    with pytest.raises(psycopg2.Error, match="лише доповнюється"), owner.cursor() as cur:
        cur.execute(statement)
    # Nor may the administrator write it directly.
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), admin.cursor() as cur:
        cur.execute(
            "INSERT INTO history.configuration_change (table_name, action) VALUES ('verification.setting', 'update')"
        )
    assert len(_history(owner, "verification.setting", "t_admin_editor")) == 1
