"""Attack: swap a record's content after the verifier looked at it.

The editor submits record R (version 1), the verifier looks at it; the editor
withdraws, removes the never-published draft and inserts the same id again
(OVERRIDING SYSTEM VALUE) with other content, or edits it, and submits again.
Whatever path the verifier approves by, the approval names the version
reviewed and is refused when the content is not that version; an id is never
given to other content.
"""

from __future__ import annotations

import psycopg2
import pytest
from factories import call, insert, one, parcel

PARCELS = "property.land_parcel"
EDITOR, VERIFIER = "t_property_editor", "t_property_verifier"


def _published(db, record_id):
    return one(db.connect(), "SELECT count(*) FROM published.property_land_parcel WHERE id = %s", record_id)[0]


def test_a_removed_drafts_id_cannot_be_given_to_other_content(db):
    editor = db.connect(EDITOR)
    record = insert(editor, PARCELS, parcel())
    call(editor, "submit", PARCELS, [record])
    reviewed_version = one(db.connect(VERIFIER), f"SELECT version FROM {PARCELS} WHERE id = %s", record)[0]
    call(editor, "withdraw", PARCELS, [record])
    with editor.cursor() as cur:
        cur.execute(f"DELETE FROM {PARCELS} WHERE id = %s", (record,))  # a draft never published: removed
    swapped = parcel(area_ha=4000)
    columns = ", ".join(swapped)
    values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in swapped)
    overriding = f"INSERT INTO {PARCELS} (id, {columns}) OVERRIDING SYSTEM VALUE VALUES (%s, {values})"
    with pytest.raises(psycopg2.Error) as refused, editor.cursor() as cur:
        cur.execute(overriding, (record, *swapped.values()))
    assert refused.value.pgcode == "ZG002" and "не вказуйте id" in refused.value.pgerror
    # Nor an id the database has not issued yet (it would be issued to something else later).
    with pytest.raises(psycopg2.Error) as future, editor.cursor() as cur:
        cur.execute(overriding, (record + 1000, *swapped.values()))
    assert future.value.pgcode == "ZG002"
    with pytest.raises(psycopg2.Error) as gone:
        call(db.connect(VERIFIER), "approve", PARCELS, [record], None, [reviewed_version])
    assert gone.value.pgcode == "ZG005"  # no such record any more
    assert _published(db, record) == 0


def test_an_edit_after_review_is_never_approved_unseen(db):
    editor, verifier = db.connect(EDITOR), db.connect(VERIFIER)
    record = insert(editor, PARCELS, parcel())
    call(editor, "submit", PARCELS, [record])
    reviewed_version = one(verifier, f"SELECT version FROM {PARCELS} WHERE id = %s", record)[0]
    call(editor, "withdraw", PARCELS, [record])
    with editor.cursor() as cur:
        cur.execute(f"UPDATE {PARCELS} SET area_ha = 4000, version = version + 1 WHERE id = %s", (record,))
    call(editor, "submit", PARCELS, [record])

    # The single approval, the batch approval and the "without errors" approval all name what was reviewed.
    with pytest.raises(psycopg2.Error) as single:
        call(verifier, "approve", PARCELS, [record], None, [reviewed_version])
    assert single.value.pgcode == "ZG001" and "змінилися після перегляду" in single.value.pgerror
    with pytest.raises(psycopg2.Error) as one_record, verifier.cursor() as cur:
        cur.execute("SELECT workflow.approve(%s, %s::bigint, %s)", (PARCELS, record, reviewed_version))
    assert one_record.value.pgcode == "ZG001"
    with verifier.cursor() as cur:
        cur.execute(
            "SELECT record_id, approved, reason_uk FROM verification.approve_clear(%s, %s::bigint[], %s::int[])",
            (PARCELS, [record], [reviewed_version]),
        )
        assert cur.fetchall() == [(record, False, "запис змінився після перегляду: перегляньте його знову")]
    # An approval that does not say what was reviewed is no approval.
    for versions in (None, [None], []):
        with pytest.raises(psycopg2.Error) as unstated, verifier.cursor() as cur:
            cur.execute("SELECT workflow.approve(%s, %s::bigint[], NULL, %s::int[])", (PARCELS, [record], versions))
        assert unstated.value.pgcode == "ZG005", versions
    with pytest.raises(psycopg2.Error) as unstated_clear, verifier.cursor() as cur:
        cur.execute("SELECT * FROM verification.approve_clear(%s, %s::bigint[], NULL)", (PARCELS, [record]))
    assert unstated_clear.value.pgcode == "ZG005"
    assert _published(db, record) == 0
    # What the verifier then looks at is approved.
    current = one(verifier, f"SELECT version FROM {PARCELS} WHERE id = %s", record)[0]
    assert call(verifier, "approve", PARCELS, [record], None, [current]) == 1
    assert one(db.connect(), "SELECT area_ha FROM published.property_land_parcel WHERE id = %s", record)[0] == 4000
