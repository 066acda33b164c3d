"""The review of submitted changes through zhytomyr_gis.review: checks stored
on submit, approval refused while an error stands or a warning is not
acknowledged, four-eyes, approving many, the diff, history and restore."""

from __future__ import annotations

import psycopg2
import pytest
import register_rows as rows
from factories import call, one, update
from register_rows import add, publish, rect, submit

from zhytomyr_gis import review
from zhytomyr_gis.errors import CHECK_ERRORS, FOUR_EYES, UNACKNOWLEDGED_WARNINGS, DatabaseRefusal

PARCELS, PROJECTS = "property.land_parcel", "budget.project"
P_EDITOR, P_VERIFIER = "t_property_editor", "t_property_verifier"
B_EDITOR, B_VERIFIER = "t_budget_editor", "t_budget_verifier"


def status(db, table, record_id):
    return one(db.connect(), f"SELECT status FROM {table} WHERE id = %s", record_id)[0]


def published_count(db, table):
    return one(db.connect(), f"SELECT count(*) FROM published.{table.replace('.', '_')}")[0]


def overlapping_pair(db) -> tuple[int, int]:
    """A published parcel and a submitted one that overlaps it by 100 m²."""
    (first,) = publish(db, PARCELS, rows.parcel((0, 0)))
    second = add(db, PARCELS, rows.parcel((15, 0)))
    submit(db, PARCELS, [second], "нова ділянка")
    return first, second


def test_checks_run_on_submit_and_are_stored_for_the_verifier(db):
    first, second = overlapping_pair(db)
    verifier = db.connect(P_VERIFIER)
    with verifier.cursor() as cur:
        cur.execute("SELECT count(*) FROM verification.run WHERE trigger = 'submit'")
        runs_before = cur.fetchone()[0]
    found = review.findings(verifier, PARCELS, second)  # read, not re-run
    assert [(f.rule_id, f.severity, f.detail) for f in found] == [
        ("land_parcel_overlap", "error", {"other_id": first, "overlap_m2": 100.0})
    ]
    assert found[0].message_uk.startswith("Земельна ділянка перекривається")
    assert found[0].location_wkt.startswith("POLYGON")  # the shared area, for the map
    with verifier.cursor() as cur:
        cur.execute("SELECT count(*) FROM verification.run WHERE trigger = 'submit'")
        assert cur.fetchone()[0] == runs_before


def test_approval_with_an_error_is_refused(db):
    _first, second = overlapping_pair(db)
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(
            db.connect(P_VERIFIER), PARCELS, [second], review.versions_now(db.connect(P_VERIFIER), PARCELS, [second])
        )
    assert refused.value.code == CHECK_ERRORS
    assert "перевірка знайшла помилки" in refused.value.message_uk
    assert "land_parcel_overlap" in refused.value.message_en
    assert status(db, PARCELS, second) == "submitted"
    assert published_count(db, PARCELS) == 1
    # errors cannot be acknowledged away
    with pytest.raises(DatabaseRefusal) as refused:
        review.acknowledge(db.connect(P_VERIFIER), PARCELS, [second], ["land_parcel_overlap"])
    assert refused.value.code == "ZG005"


def test_a_warning_needs_acknowledgement(db):
    over = add(db, PROJECTS, rows.project(planned_uah=1000000, actual_uah=1300000))
    submit(db, PROJECTS, [over])
    verifier = db.connect(B_VERIFIER)
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(verifier, PROJECTS, [over], review.versions_now(verifier, PROJECTS, [over]))
    assert refused.value.code == UNACKNOWLEDGED_WARNINGS
    assert status(db, PROJECTS, over) == "submitted"
    # the author may not acknowledge their own warnings
    with pytest.raises(DatabaseRefusal) as refused:
        review.acknowledge(db.connect("t_budget_editor"), PROJECTS, [over], note="так треба")
    assert refused.value.code == "ZG004"
    assert review.acknowledge(verifier, PROJECTS, [over], note="рішення сесії № 1234 про зміни до бюджету") == 1
    (finding,) = review.findings(verifier, PROJECTS, over)
    assert finding.acknowledged_by == B_VERIFIER and not finding.blocks_approval
    assert review.approve(verifier, PROJECTS, [over], review.versions_now(verifier, PROJECTS, [over])) == 1
    assert status(db, PROJECTS, over) == "verified"
    entries = review.timeline(verifier, PROJECTS, over)
    assert [e.action for e in entries] == ["insert", "submit", "acknowledge", "approve"]
    assert entries[2].reason == "рішення сесії № 1234 про зміни до бюджету"


def test_acknowledgement_holds_for_the_version_seen_only(db):
    over = add(db, PROJECTS, rows.project(planned_uah=1000000, actual_uah=1300000))
    submit(db, PROJECTS, [over])
    verifier, editor = db.connect(B_VERIFIER), db.connect(B_EDITOR)
    review.acknowledge(verifier, PROJECTS, [over], note="підтверджено")
    call(editor, "withdraw", PROJECTS, [over])
    update(editor, PROJECTS, over, actual_uah=1400000)
    submit(db, PROJECTS, [over])
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(verifier, PROJECTS, [over], review.versions_now(verifier, PROJECTS, [over]))
    assert refused.value.code == UNACKNOWLEDGED_WARNINGS


def test_four_eyes_refused(db):
    both = db.connect("t_property_both")
    rid = add(db, PARCELS, rows.parcel((300, 300)))
    update(both, PARCELS, rid, area_ha=0.05)
    submit(db, PARCELS, [rid])
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(both, PARCELS, [rid], review.versions_now(both, PARCELS, [rid]))
    assert refused.value.code == FOUR_EYES
    assert "чотирьох очей" in refused.value.message_uk
    outcome = review.approve_many(both, PARCELS, [rid], review.versions_now(both, PARCELS, [rid]))
    assert outcome.approved == [] and "чотирьох очей" in outcome.left[rid][0]
    assert status(db, PARCELS, rid) == "submitted"


def test_approval_checks_again_what_changed_elsewhere(db):
    """Clean when submitted; the zoning plan approved since forbids advertising there."""
    structure = add(db, "advertising.structure", rows.structure((1000, 0)))
    submit(db, "advertising.structure", [structure])
    assert review.findings(db.connect("t_advertising_verifier"), "advertising.structure", structure) == []
    publish(
        db,
        "planning.zoning_zone",
        rows.zoning_zone(rect(-3000, -3000, 0, 3000)),
        rows.zoning_zone(rect(0, -3000, 3000, 3000), advertising_allowed=False),
    )
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(
            db.connect("t_advertising_verifier"),
            "advertising.structure",
            [structure],
            review.versions_now(db.connect("t_advertising_verifier"), "advertising.structure", [structure]),
        )
    assert refused.value.code == CHECK_ERRORS
    assert "structure_zone_forbids_advertising" in refused.value.message_en


def test_approve_many_approves_what_can_be_and_says_why_not_the_rest(db):
    _first, overlapping = overlapping_pair(db)
    clean = add(db, PARCELS, rows.parcel((500, 0)))
    draft = add(db, PARCELS, rows.parcel((600, 0)))
    submit(db, PARCELS, [clean])
    verifier = db.connect(P_VERIFIER)
    queue = review.queue(verifier, department="property")
    assert {(i.record_id, i.errors, i.can_approve) for i in queue} == {(overlapping, 1, False), (clean, 0, True)}
    assert [i.record_id for i in review.queue(verifier, only_approvable=True)] == [clean]
    ids = [overlapping, clean, draft]
    outcome = review.approve_many(
        verifier, PARCELS, ids, review.versions_now(verifier, PARCELS, ids), note="перевірено"
    )
    assert outcome.approved == [clean]
    assert "land_parcel_overlap" in outcome.left[overlapping][0]
    assert outcome.left[draft][1] == "the record is not submitted"
    assert status(db, PARCELS, clean) == "verified" and status(db, PARCELS, overlapping) == "submitted"


def test_queue_shows_what_the_dock_lists(db):
    rid = add(db, PARCELS, rows.parcel((700, 0)))
    submit(db, PARCELS, [rid], "уточнення меж")
    (item,) = review.queue(db.connect(P_VERIFIER), text="уточнення")
    assert item.table == PARCELS and item.is_new and not item.is_deletion
    assert item.label.startswith("1810100000:")
    assert item.submitted_by == P_EDITOR and item.note == "уточнення меж"
    assert item.register_title_uk == "Земельні ділянки" and item.days_waiting() < 1
    assert review.queue(db.connect("t_budget_verifier")) == []  # another department's
    assert review.queue(db.connect(P_VERIFIER), text="немає такого") == []


def test_checks_belong_to_the_department(db):
    rid = add(db, PARCELS, rows.parcel((800, 0)))
    with pytest.raises(DatabaseRefusal) as refused:
        review.check(db.connect(B_EDITOR), PARCELS, [rid])
    assert refused.value.code == "ZG004"
    overlapping_pair(db)
    with db.connect(B_VERIFIER).cursor() as cur:  # findings of other departments stay hidden
        cur.execute("SELECT count(*) FROM verification.result")
        assert cur.fetchone()[0] == 0
    with db.connect(P_VERIFIER).cursor() as cur:
        cur.execute("SELECT count(*) FROM verification.result")
        assert cur.fetchone()[0] == 1


def test_diff_against_the_published_version(db):
    (rid,) = publish(db, PARCELS, rows.parcel((900, 0), lease_status="free"))
    editor = db.connect(P_EDITOR)
    update(editor, PARCELS, rid, lease_status="leased", user_person_name="Іваненко Іван Іванович")
    x, _y = rows.CENTRE
    with editor.cursor() as cur:
        cur.execute(
            f"UPDATE {PARCELS} SET geom = ST_Translate(geom, 2, 0), version = version + 1 WHERE id = %s", (rid,)
        )
    submit(db, PARCELS, [rid])
    d = review.diff(db.connect(P_VERIFIER), PARCELS, rid)
    assert not d.is_new and d.published_version == 1 and d.version == 3
    changes = {c.name: (c.label_uk, c.before, c.after) for c in d.changes}
    assert changes == {
        "lease_status": ("Стан використання", "free", "leased"),
        "user_person_name": (changes["user_person_name"][0], None, "Іваненко Іван Іванович"),
    }
    assert d.geometry_changed
    assert d.geometry_before_wkt.startswith("MULTIPOLYGON") and d.geometry_before_wkt != d.geometry_after_wkt
    assert f"{x + 900 + 2}" in d.geometry_after_wkt
    new = add(db, PARCELS, rows.parcel((950, 0)))
    fresh = review.diff(db.connect(P_VERIFIER), PARCELS, new)
    assert fresh.is_new and fresh.geometry_before_wkt is None and len(fresh.changes) >= 5


def test_history_has_every_edit_and_restoring_version_k_gives_its_values_as_a_draft(db):
    editor, verifier = db.connect(P_EDITOR), db.connect(P_VERIFIER)
    rid = add(db, PARCELS, rows.parcel((1000, 0), area_ha=0.01, note="версія 1"))
    edits = 6
    for k in range(2, edits + 1):
        update(editor, PARCELS, rid, area_ha=k / 100, note=f"версія {k}")
    entries = review.timeline(verifier, PARCELS, rid)
    assert len(entries) == edits
    assert [e.version for e in entries] == list(range(1, edits + 1))
    assert [e.action for e in entries] == ["insert"] + ["update"] * (edits - 1)
    assert {c.name for c in entries[3].changed} == {"area_ha", "note"}
    assert entries[3].changed[0].label_uk in ("Площа, га", "Примітка")
    assert all(e.actor == P_EDITOR for e in entries)

    k = 3
    snapshot = review.version(verifier, PARCELS, rid, k)
    assert snapshot.values["note"] == "версія 3" and snapshot.values["area_ha"] == 0.03
    assert snapshot.geometry_wkt.startswith("MULTIPOLYGON")
    new_version = review.restore(editor, PARCELS, rid, k)
    assert new_version == edits + 1
    restored = one(editor, f"SELECT status, version, note, area_ha::float FROM {PARCELS} WHERE id = %s", rid)
    assert restored == ("draft", edits + 1, "версія 3", 0.03)
    last = review.timeline(verifier, PARCELS, rid)[-1]
    assert (last.action, last.action_uk, last.version) == ("restore", "відновлено з історії", edits + 1)
    with pytest.raises(DatabaseRefusal) as refused:
        review.restore(editor, PARCELS, rid, 99)
    assert refused.value.code == "ZG005" and "немає версії 99" in refused.value.message_uk


def test_reject_needs_a_reason_and_records_it(db):
    rid = add(db, PARCELS, rows.parcel((1100, 0)))
    submit(db, PARCELS, [rid])
    verifier = db.connect(P_VERIFIER)
    with pytest.raises(DatabaseRefusal):
        review.reject(verifier, PARCELS, [rid], " ")
    assert review.reject(verifier, PARCELS, [rid], "Межі не збігаються з кадастром") == 1
    assert review.timeline(verifier, PARCELS, rid)[-1].reason == "Межі не збігаються з кадастром"


def test_refusal_is_a_message_not_a_traceback(db):
    with pytest.raises(DatabaseRefusal) as refused:
        review.approve(db.connect(P_VERIFIER), "property.no_such_table", [1], [1])
    assert "не є реєстром" in str(refused.value)
    conn = db.connect(P_VERIFIER, autocommit=False)
    with pytest.raises(DatabaseRefusal) as missing:
        review.approve(conn, PARCELS, [123456], [1])
    assert "123456" in missing.value.message_uk and isinstance(missing.value.__cause__, psycopg2.Error)
    # the connection is usable after a refusal
    assert review.queue(conn) == []
