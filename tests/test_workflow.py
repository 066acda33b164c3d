"""The life of a change, enforced by the database (docs/architecture.md, "The life of a change")."""

from __future__ import annotations

import select
import threading
import time

import psycopg2
import psycopg2.errors
import pytest
from factories import approve, call, insert, one, parcel, square, update

PARCELS = "property.land_parcel"
EDITOR, EDITOR2, VERIFIER = "t_property_editor", "t_property_editor2", "t_property_verifier"


def state(conn, record_id):
    return one(conn, f"SELECT status, version, deleted FROM {PARCELS} WHERE id = %s", record_id)


def bring_to(db, target: str) -> int:
    """A fresh parcel in the given workflow state."""
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    rid = insert(ed, PARCELS, parcel())
    if target in ("submitted", "verified", "rejected"):
        call(ed, "submit", PARCELS, [rid])
    if target == "verified":
        approve(ver, PARCELS, [rid])
    if target == "rejected":
        call(ver, "reject", PARCELS, [rid], "Площа не відповідає державному акту")
    assert state(ed, rid)[0] == target
    return rid


def act(db, action: str, rid: int):
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    if action == "edit":
        update(ed, PARCELS, rid, area_ha=0.05)
    elif action == "submit":
        call(ed, "submit", PARCELS, [rid])
    elif action == "withdraw":
        call(ed, "withdraw", PARCELS, [rid])
    elif action == "approve":
        approve(ver, PARCELS, [rid])
    elif action == "reject":
        call(ver, "reject", PARCELS, [rid], "Неправильне цільове призначення")
    elif action == "delete":
        with ed.cursor() as cur:
            cur.execute(f"DELETE FROM {PARCELS} WHERE id = %s", (rid,))


# (state, action) -> resulting (status, deleted), "gone" for a removed draft, or None if refused.
TRANSITIONS = {
    ("draft", "edit"): ("draft", False),
    ("draft", "submit"): ("submitted", False),
    ("draft", "withdraw"): None,
    ("draft", "approve"): None,
    ("draft", "reject"): None,
    ("draft", "delete"): "gone",
    ("submitted", "edit"): None,
    ("submitted", "submit"): None,
    ("submitted", "withdraw"): ("draft", False),
    ("submitted", "approve"): ("verified", False),
    ("submitted", "reject"): ("rejected", False),
    ("submitted", "delete"): None,
    ("verified", "edit"): ("draft", False),
    ("verified", "submit"): None,
    ("verified", "withdraw"): None,
    ("verified", "approve"): None,
    ("verified", "reject"): None,
    ("verified", "delete"): ("draft", True),  # a deletion request; public copy stays
    ("rejected", "edit"): ("draft", False),
    ("rejected", "submit"): None,
    ("rejected", "withdraw"): ("draft", False),
    ("rejected", "approve"): None,
    ("rejected", "reject"): None,
    ("rejected", "delete"): "gone",  # never published: removed, kept in history
}


@pytest.mark.parametrize(("start", "action"), list(TRANSITIONS))
def test_state_transition(db, start, action):
    rid = bring_to(db, start)
    expected = TRANSITIONS[(start, action)]
    su = db.connect()
    before = one(su, "SELECT count(*) FROM history.event")[0]
    if expected is None:
        with pytest.raises(psycopg2.Error) as refused:
            act(db, action, rid)
        assert refused.value.pgcode in ("ZG002", "ZG001"), refused.value.pgerror
        assert state(su, rid)[0] == start
        assert one(su, "SELECT count(*) FROM history.event")[0] == before
    elif expected == "gone":
        act(db, action, rid)
        assert one(su, f"SELECT count(*) FROM {PARCELS} WHERE id = %s", rid)[0] == 0
        assert one(su, "SELECT action FROM history.event ORDER BY id DESC LIMIT 1")[0] == "delete"
    else:
        act(db, action, rid)
        status, _version, deleted = state(su, rid)
        assert (status, deleted) == expected
        assert one(su, "SELECT count(*) FROM history.event")[0] == before + 1


def test_editor_cannot_set_state_directly(db):
    ed = db.connect(EDITOR)
    rid = insert(ed, PARCELS, parcel())
    with pytest.raises(psycopg2.Error) as refused:
        update(ed, PARCELS, rid, status="verified")
    assert refused.value.pgcode == "ZG002"
    assert "функції перевірки" in refused.value.pgerror
    # an inserted row always starts as a draft, whatever the client sends
    rid2 = insert(ed, PARCELS, parcel(status="verified"))
    assert state(ed, rid2)[0] == "draft"


def test_four_eyes_refuses_approving_own_change(db):
    both = db.connect("t_property_both")
    rid = insert(both, PARCELS, parcel())
    call(both, "submit", PARCELS, [rid])
    for decision, extra in (("approve", [None, [1]]), ("reject", ["Не те"])):
        with pytest.raises(psycopg2.Error) as refused:
            call(both, decision, PARCELS, [rid], *extra)
        assert refused.value.pgcode == "ZG003"
        assert "чотирьох очей" in refused.value.pgerror
    assert state(both, rid)[0] == "submitted"
    approve(db.connect(VERIFIER), PARCELS, [rid])
    assert state(both, rid)[0] == "verified"


def test_four_eyes_counts_every_author_since_last_approval(db):
    """A verifier who touched the change, even if someone else submitted it, cannot approve it."""
    both, ed2, ver = db.connect("t_property_both"), db.connect(EDITOR2), db.connect(VERIFIER)
    rid = insert(ed2, PARCELS, parcel())
    call(ed2, "submit", PARCELS, [rid])
    approve(both, PARCELS, [rid])  # not an author of the first version: allowed
    update(both, PARCELS, rid, area_ha=0.07)  # now an author of the next change
    call(ed2, "submit", PARCELS, [rid])
    with pytest.raises(psycopg2.Error) as refused:
        approve(both, PARCELS, [rid])
    assert refused.value.pgcode == "ZG003"
    approve(ver, PARCELS, [rid])


def test_editor_of_one_department_refused_on_another(db):
    rid = insert(db.connect(EDITOR), PARCELS, parcel())
    other = db.connect("t_investment_editor")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        insert(other, PARCELS, parcel())
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        update(other, PARCELS, rid, based_on_version=1, area_ha=1)
    with pytest.raises(psycopg2.Error) as refused:
        call(other, "submit", PARCELS, [rid])
    assert refused.value.pgcode == "ZG004"
    # and a verifier of another department cannot decide on it
    call(db.connect(EDITOR), "submit", PARCELS, [rid])
    with pytest.raises(psycopg2.Error) as refused:
        approve(db.connect("t_investment_verifier"), PARCELS, [rid])
    assert refused.value.pgcode == "ZG004"
    assert "перевіряльником" in refused.value.pgerror


def test_verifier_cannot_edit(db):
    ver = db.connect(VERIFIER)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        insert(ver, PARCELS, parcel())


def test_portal_reader_sees_only_published_non_personal_data(db):
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    published = insert(
        ed,
        PARCELS,
        parcel(user_person_name="Петренко Іван Іванович", user_person_rnokpp="3184710691", lease_status="leased"),
    )
    insert(ed, PARCELS, parcel())  # a draft
    call(ed, "submit", PARCELS, [published])
    approve(ver, PARCELS, [published])

    portal = db.connect("portal_reader")
    for table in [
        "property.land_parcel",
        "property.property_object",
        "investment.site",
        "planning.zoning_zone",
        "advertising.permit",
        "energy.building",
        "budget.project",
        "ref.organisation",
        "history.event",
        "workflow.register",
        "meta.applied_migration",
    ]:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            one(portal, f"SELECT count(*) FROM {table}")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        approve(portal, PARCELS, [published])
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        one(portal, "DELETE FROM published.property_land_parcel")

    assert one(portal, "SELECT array_agg(id) FROM published.property_land_parcel")[0] == [published]
    with portal.cursor() as cur:
        cur.execute("SELECT * FROM published.property_land_parcel")
        columns = {d.name for d in cur.description}
    assert "user_person_name" not in columns and "user_person_rnokpp" not in columns
    assert "status" not in columns and "created_by" not in columns
    assert "cadastral_number" in columns and "geom" in columns


def test_public_keeps_last_approved_version_during_review(db):
    ed, ver, su = db.connect(EDITOR), db.connect(VERIFIER), db.connect()
    rid = insert(ed, PARCELS, parcel(area_ha=0.10))
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid])
    public = "SELECT area_ha::float, published_version FROM published.property_land_parcel WHERE id = %s"
    assert one(su, public, rid) == (0.10, 1)
    update(ed, PARCELS, rid, area_ha=0.20)
    assert one(su, public, rid) == (0.10, 1)
    call(ed, "submit", PARCELS, [rid])
    assert one(su, public, rid) == (0.10, 1)
    call(ver, "reject", PARCELS, [rid], "Площу не підтверджено")
    assert one(su, public, rid) == (0.10, 1)
    update(ed, PARCELS, rid, area_ha=0.25)
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid])
    assert one(su, public, rid) == (0.25, 3)


def test_approved_deletion_removes_public_copy_and_keeps_history(db):
    ed, ver, su = db.connect(EDITOR), db.connect(VERIFIER), db.connect()
    rid = insert(ed, PARCELS, parcel())
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid])
    with ed.cursor() as cur:
        cur.execute(f"DELETE FROM {PARCELS} WHERE id = %s", (rid,))
    assert one(su, "SELECT count(*) FROM published.property_land_parcel WHERE id = %s", rid)[0] == 1
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid])
    assert one(su, "SELECT count(*) FROM published.property_land_parcel WHERE id = %s", rid)[0] == 0
    actions = one(
        su,
        "SELECT array_agg(action ORDER BY id) FROM history.event WHERE record_id = %s" " AND table_name = %s",
        rid,
        PARCELS,
    )[0]
    assert actions == ["insert", "submit", "approve", "delete", "submit", "approve"]


def test_history_is_complete_and_any_version_restorable(db):
    ed, ver, su = db.connect(EDITOR), db.connect(VERIFIER), db.connect()
    rid = insert(ed, PARCELS, parcel(area_ha=0.01, note="версія 1"))
    areas = [0.01]
    for k in range(2, 7):
        area = round(0.01 * k, 4)
        geom = square(dx=-1000, dy=-1000, size=10 + k)
        update(ed, PARCELS, rid, area_ha=area, note=f"версія {k}", geom=None) if False else None
        with ed.cursor() as cur:
            cur.execute(
                f"UPDATE {PARCELS} SET area_ha = %s, note = %s, geom = ST_GeomFromText(%s, 9836),"
                f" version = version + 1 WHERE id = %s",
                (area, f"версія {k}", geom, rid),
            )
        areas.append(area)
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid], "Перевірено")

    events = []
    with su.cursor() as cur:
        cur.execute(
            "SELECT action, actor, version, changed_columns, old_values, new_values, reason"
            " FROM history.event WHERE table_name = %s AND record_id = %s ORDER BY id",
            (PARCELS, rid),
        )
        events = cur.fetchall()
    assert [e[0] for e in events] == ["insert"] + ["update"] * 5 + ["submit", "approve"]
    assert [e[1] for e in events] == [EDITOR] * 7 + [VERIFIER]
    assert [e[2] for e in events] == [1, 2, 3, 4, 5, 6, 6, 6]
    assert events[1][3] == ["area_ha", "geom", "note"]
    # old and new values, geometry included (as GeoJSON)
    assert float(events[3][4]["area_ha"]) == areas[2] and float(events[3][5]["area_ha"]) == areas[3]
    assert events[3][5]["geom"]["type"] == "MultiPolygon"
    assert events[7][6] == "Перевірено"

    # restore version 3 as a new draft
    new_version = call(ed, "restore", PARCELS, rid, 3)
    assert new_version == 7
    restored = one(su, f"SELECT status, version, area_ha::float, note, ST_Area(geom) FROM {PARCELS} WHERE id = %s", rid)
    assert restored[:4] == ("draft", 7, areas[2], "версія 3")
    assert restored[4] == pytest.approx(13 * 13)
    assert one(su, "SELECT action FROM history.event ORDER BY id DESC LIMIT 1")[0] == "restore"
    # the public still sees the approved version 6
    assert one(su, "SELECT published_version FROM published.property_land_parcel WHERE id = %s", rid)[0] == 6


def test_removed_draft_can_be_restored_from_history(db):
    ed, su = db.connect(EDITOR), db.connect()
    rid = insert(ed, PARCELS, parcel(note="чернетка"))
    with ed.cursor() as cur:
        cur.execute(f"DELETE FROM {PARCELS} WHERE id = %s", (rid,))
    assert one(su, f"SELECT count(*) FROM {PARCELS} WHERE id = %s", rid)[0] == 0
    assert call(ed, "restore", PARCELS, rid, 1) == 2
    assert one(su, f"SELECT status, note FROM {PARCELS} WHERE id = %s", rid) == ("draft", "чернетка")


def test_history_cannot_be_changed_by_anyone_but_deliberately_by_the_owner(db):
    rid = insert(db.connect(EDITOR), PARCELS, parcel())
    for user in (EDITOR, VERIFIER, "t_admin_editor"):
        conn = db.connect(user)
        for sql in (
            "UPDATE history.event SET actor = 'someone'",
            "DELETE FROM history.event",
            "TRUNCATE history.event",
            "INSERT INTO history.event (action, table_name, record_id) VALUES ('approve', 'x', 1)",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                one(conn, sql + " RETURNING 1" if not sql.startswith("TRUNCATE") else sql)
    # even the superuser meets the append-only trigger
    su = db.connect()
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="лише доповнюється"):
        one(su, "DELETE FROM history.event WHERE record_id = %s RETURNING 1", rid)


def test_history_readable_only_by_own_department(db):
    insert(db.connect(EDITOR), PARCELS, parcel())
    assert one(db.connect(VERIFIER), "SELECT count(*) FROM history.event")[0] >= 1
    assert (
        one(db.connect("t_investment_editor"), "SELECT count(*) FROM history.event" " WHERE table_name = %s", PARCELS)[
            0
        ]
        == 0
    )


def test_stale_edit_is_refused_as_conflict(db):
    ed1, ed2 = db.connect(EDITOR), db.connect(EDITOR2)
    rid = insert(ed1, PARCELS, parcel(area_ha=0.1))
    read_by_both = one(ed1, f"SELECT version FROM {PARCELS} WHERE id = %s", rid)[0]
    update(ed1, PARCELS, rid, based_on_version=read_by_both, area_ha=0.2)
    with pytest.raises(psycopg2.Error) as refused:
        update(ed2, PARCELS, rid, based_on_version=read_by_both, area_ha=0.3)
    assert refused.value.pgcode == "ZG001"
    assert "Конфлікт редагування" in refused.value.pgerror and EDITOR in refused.value.pgerror
    assert one(ed1, f"SELECT area_ha::float FROM {PARCELS} WHERE id = %s", rid)[0] == 0.2


def test_update_without_version_is_refused(db):
    ed = db.connect(EDITOR)
    rid = insert(ed, PARCELS, parcel())
    with pytest.raises(psycopg2.Error) as refused:
        one(ed, f"UPDATE {PARCELS} SET area_ha = 1 WHERE id = %s RETURNING 1", rid)
    assert refused.value.pgcode == "ZG001"


def test_simultaneous_edits_one_wins_one_is_told(db):
    """Two transactions edit the same record at once: the second waits, then gets a conflict."""
    rid = insert(db.connect(EDITOR), PARCELS, parcel(area_ha=0.1))
    first, second = db.connect(EDITOR, autocommit=False), db.connect(EDITOR2, autocommit=False)
    update(first, PARCELS, rid, based_on_version=1, area_ha=0.2)  # row locked, not committed
    outcome = {}

    def second_edit():
        try:
            update(second, PARCELS, rid, based_on_version=1, area_ha=0.3)
            second.commit()
            outcome["second"] = "saved"
        except psycopg2.Error as exc:
            second.rollback()
            outcome["second"] = exc.pgcode

    worker = threading.Thread(target=second_edit)
    worker.start()
    worker.join(0.5)
    assert worker.is_alive(), "the second edit must wait for the first transaction"
    first.commit()
    worker.join(10)
    assert outcome["second"] == "ZG001"
    assert one(db.connect(), f"SELECT area_ha::float, version FROM {PARCELS} WHERE id = %s", rid) == (0.2, 2)


def test_approval_of_a_change_edited_after_review_is_refused(db):
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    rid = insert(ed, PARCELS, parcel())
    call(ed, "submit", PARCELS, [rid])
    reviewed_version = state(ed, rid)[1]
    call(ed, "withdraw", PARCELS, [rid])
    update(ed, PARCELS, rid, area_ha=9)
    call(ed, "submit", PARCELS, [rid])
    with pytest.raises(psycopg2.Error) as refused:
        call(ver, "approve", PARCELS, [rid], None, [reviewed_version])
    assert refused.value.pgcode == "ZG001"


def test_batch_is_all_or_nothing(db):
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    ready = insert(ed, PARCELS, parcel())
    draft = insert(ed, PARCELS, parcel())
    call(ed, "submit", PARCELS, [ready])
    with pytest.raises(psycopg2.Error) as refused:
        approve(ver, PARCELS, [ready, draft])
    assert str(draft) in refused.value.pgerror
    assert state(ed, ready)[0] == "submitted"
    assert one(ed, "SELECT count(*) FROM published.property_land_parcel")[0] == 0


def test_rejection_needs_a_reason(db):
    ed, ver = db.connect(EDITOR), db.connect(VERIFIER)
    rid = insert(ed, PARCELS, parcel())
    call(ed, "submit", PARCELS, [rid])
    with pytest.raises(psycopg2.Error) as refused:
        call(ver, "reject", PARCELS, [rid], "  ")
    assert refused.value.pgcode == "ZG005"
    call(ver, "reject", PARCELS, [rid], "Межі не збігаються з кадастровою картою")
    assert one(ed, f"SELECT status, status_note FROM {PARCELS} WHERE id = %s", rid) == (
        "rejected",
        "Межі не збігаються з кадастровою картою",
    )


def test_approval_notifies_listeners_with_changed_area(db):
    ed, ver, listener = db.connect(EDITOR), db.connect(VERIFIER), db.connect()
    with listener.cursor() as cur:
        cur.execute("LISTEN zhytomyr_gis_published")
    rid = insert(ed, PARCELS, parcel())
    call(ed, "submit", PARCELS, [rid])
    approve(ver, PARCELS, [rid])
    deadline = time.monotonic() + 10
    while not listener.notifies and time.monotonic() < deadline:
        select.select([listener], [], [], 0.5)  # delivered after the commit, asynchronously
        listener.poll()
    payloads = [n.payload for n in listener.notifies]
    assert payloads, "the approval woke the listeners"
    # The notification names the approval log's row; the area is in the log.
    table, count, width, height = one(
        listener,
        "SELECT table_name, record_count, ST_XMax(area) - ST_XMin(area), ST_YMax(area) - ST_YMin(area)"
        " FROM published.approval_log WHERE id = %s",
        int(payloads[-1]),
    )
    assert (table, count) == ("published.property_land_parcel", 1)
    assert width == pytest.approx(20, abs=0.05) and height == pytest.approx(20, abs=0.05)


def test_my_departments(db):
    rows = {r[0]: r[3:] for r in _rows(db.connect("t_property_both"), "SELECT * FROM workflow.my_departments()")}
    assert rows == {"property": (True, True)}
    rows = {r[0]: r[3:] for r in _rows(db.connect("t_budget_verifier"), "SELECT * FROM workflow.my_departments()")}
    assert rows == {"budget": (False, True)}


def _rows(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()
