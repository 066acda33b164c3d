"""The workflow's internal functions cannot be used to go around it (30_workflow.sql, 05_privileges.sql of sql/app)."""

from __future__ import annotations

import psycopg2
import pytest
import register_rows as rows
from register_rows import add, publish

TABLE = "property.land_parcel"


def _status(db, record_id: int) -> tuple:
    with db.connect() as conn, conn.cursor() as cur:
        cur.execute(f"SELECT status, deleted FROM {TABLE} WHERE id = %s", (record_id,))
        state = cur.fetchone()
        cur.execute("SELECT count(*) FROM published.property_land_parcel WHERE id = %s", (record_id,))
        return (*state, cur.fetchone()[0])


def test_an_editor_cannot_publish_a_draft_by_calling_publish(db):
    draft = add(db, TABLE, rows.parcel((0, 0)))
    editor = db.connect("t_property_editor")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), editor.cursor() as cur:
        cur.execute(
            "SELECT workflow.publish(workflow.register_of('property.land_parcel'), ARRAY[%s]::bigint[])", (draft,)
        )
    assert _status(db, draft) == ("draft", False, 0)


def test_a_deletion_request_comes_only_from_deleting_the_record(db):
    (record_id,) = publish(db, TABLE, rows.parcel((0, 0)))
    editor = db.connect("t_property_editor")
    with pytest.raises(psycopg2.Error, match="команда DELETE") as refused, editor.cursor() as cur:
        cur.execute("SELECT workflow.request_deletion('property.land_parcel', %s)", (record_id,))
    assert refused.value.pgcode == "ZG002"
    assert _status(db, record_id) == ("verified", False, 1)
    # Deleting it is the way: a deletion request, the public copy stays until approved.
    with editor.cursor() as cur:
        cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", (record_id,))
    assert _status(db, record_id) == ("draft", True, 1)


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * FROM workflow.timeline('property.land_parcle', 1)", "«property.land_parcle» не є реєстром"),
        ("SELECT verification.setting_value('boundary_tolerance')", "Налаштування перевірки «boundary_tolerance»"),
    ],
)
def test_a_wrong_name_is_refused_with_a_clear_message(db, query, message):
    verifier = db.connect("t_property_verifier")
    with pytest.raises(psycopg2.Error, match=message) as refused, verifier.cursor() as cur:
        cur.execute(query)
    assert refused.value.pgcode == "ZG005"
