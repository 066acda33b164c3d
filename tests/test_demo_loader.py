"""The demo loader enters the generated city through the real workflow of a real database."""

from __future__ import annotations

import random

import psycopg2

from zhytomyr_gis.demo import loader
from zhytomyr_gis.demo.generator import (
    ENERGY_CLASS_LIMITS,
    TABLE_SPECS,
    generate,
    make_edrpou,
    make_rnokpp,
)
from zhytomyr_gis.registers import WORKFLOW_COLUMNS
from zhytomyr_gis.validators import is_valid_edrpou, is_valid_rnokpp, is_valid_tender_id


def _rows(conn, query, *params):
    with conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_small_city_is_loaded_through_the_workflow(db):
    messages: list[str] = []
    counts = loader.load(db.superuser_dsn, size="small", log=messages.append)
    dataset = generate("small")
    su = db.connect()

    # Every generated record is there, in the states the loader was asked for.
    assert counts["size"] == "small"
    assert any("loaded in" in m for m in messages)
    states = set()
    for name, data in dataset.items():
        table = counts["tables"][name]
        assert table["records"] == len(data.rows), name
        expected = {"draft": 0, "submitted": 0, "verified": 0, "rejected": 0}
        for row in data.rows:
            expected["draft" if row["_state"] == "edited" else row["_state"]] += 1
        assert {s: table[s] for s in expected} == expected, name
        states |= {s for s, n in expected.items() if n}
    assert states == {"draft", "submitted", "verified", "rejected"}

    registers = _rows(
        su, "SELECT table_name, published_table, published_columns, personal_columns FROM workflow.register"
    )
    for table, published, published_columns, personal in registers:
        # The public sees exactly the approved records: the verified ones, and the
        # last approved version of those edited since (drafts of version 2).
        expected = _rows(
            su, f"SELECT id, version FROM {table} WHERE NOT deleted AND (status = 'verified' OR version > 1)"
        )
        public = _rows(su, f"SELECT id, published_version FROM {published}")
        assert {i for i, _v in public} == {i for i, _v in expected}, table
        working = dict(_rows(su, f"SELECT id, version FROM {table} WHERE status = 'verified'"))
        assert all(v == working[i] for i, v in public if i in working), table
        # Personal data never reaches the published copy.
        columns = {
            r[0]
            for r in _rows(
                su,
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'published' AND table_name = %s",
                published.split(".")[1],
            )
        }
        assert not columns & set(personal), table
        assert set(published_columns) <= columns
    assert _rows(su, "SELECT count(*) FROM property.land_parcel WHERE user_person_rnokpp IS NOT NULL")[0][0] > 0
    assert _rows(su, "SELECT count(*) FROM advertising.permit WHERE distributor_rnokpp IS NOT NULL")[0][0] > 0

    # Rejected records carry the verifier's reason; edited ones differ from what the public sees.
    reasons = _rows(su, "SELECT DISTINCT status_note FROM property.land_parcel WHERE status = 'rejected'")
    assert reasons and all(len(r[0]) > 10 for r in reasons)
    changed = _rows(
        su,
        "SELECT count(*) FROM property.land_parcel w JOIN published.property_land_parcel p USING (id)"
        " WHERE w.status = 'draft' AND w.version = 2 AND w.note IS DISTINCT FROM p.note",
    )
    assert changed[0][0] > 0

    # Who did what: editors entered and submitted, verifiers approved (four eyes).
    actors = dict(
        _rows(
            su,
            "SELECT action, string_agg(DISTINCT actor, ',') FROM history.event"
            " WHERE table_name = 'property.land_parcel' GROUP BY action",
        )
    )
    assert actors["insert"] == "property_editor_demo" and actors["submit"] == "property_editor_demo"
    assert actors["approve"] == "property_verifier_demo" and actors["reject"] == "property_verifier_demo"

    # The tests' square boundary was retired: only the generated one is public.
    boundaries = _rows(su, "SELECT name_en FROM published.ref_city_boundary")
    assert boundaries == [("Zhytomyr urban hromada (generated boundary)",)]

    # The demo users can log in and belong to their department.
    for user, group in loader.demo_users().items():
        conn = psycopg2.connect(db.dsn(user).replace("test-password", loader.DEMO_PASSWORD))
        try:
            assert _rows(conn, "SELECT pg_has_role(current_user, %s, 'MEMBER')", group)[0][0]
        finally:
            conn.close()

    # A second load finds the record and changes nothing.
    events = _rows(su, "SELECT count(*), max(id) FROM history.event")
    again: list[str] = []
    assert loader.load(db.superuser_dsn, size="small", log=again.append) == counts
    assert any("already loaded" in m for m in again)
    assert _rows(su, "SELECT count(*), max(id) FROM history.event") == events
    assert _rows(su, "SELECT count(*) FROM meta.demo_load")[0][0] == 1


def test_generated_rows_have_exactly_the_table_columns(db):
    su = db.connect()
    dataset = generate("small")
    for name, _key, _parents in TABLE_SPECS:
        schema, table = name.split(".")
        columns = {
            r[0]
            for r in _rows(
                su,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
                " AND is_generated = 'NEVER' AND is_identity = 'NO'",
                schema,
                table,
            )
        } - set(WORKFLOW_COLUMNS)
        assert set(dataset[name].columns) == columns, (name, set(dataset[name].columns) ^ columns)


def test_python_validators_agree_with_the_database(db):
    su = db.connect()
    rng = random.Random(7)
    taken: set[str] = set()
    edrpou = [make_edrpou(rng, taken, 0, 9999999) for _ in range(100)]
    edrpou += [f"{rng.randint(0, 99999999):08d}" for _ in range(300)] + ["60000000", "30000000", "1234567", "abcdefgh"]
    rnokpp = [make_rnokpp(rng, rng.random() < 0.5) for _ in range(100)]
    rnokpp += [f"{rng.randint(0, 9999999999):010d}" for _ in range(300)] + ["0000000001", "123"]
    tenders = [
        "UA-2024-02-29-000123-a",
        "UA-2023-02-29-000123-a",
        "UA-2014-05-05-000001-a",
        "UA-2024-13-01-000001-a",
        "UA-2024-01-01-00001-a",
        "UA-2024-01-01-000001-A",
        "UA-2025-11-01-999999-z",
    ]
    for values, python, sql in (
        (edrpou, is_valid_edrpou, "ref.is_valid_edrpou"),
        (rnokpp, is_valid_rnokpp, "ref.is_valid_rnokpp"),
        (tenders, is_valid_tender_id, "ref.is_valid_tender_id"),
    ):
        in_db = dict(_rows(su, f"SELECT v, coalesce({sql}(v), false) FROM unnest(%s::text[]) v", values))
        assert {v: python(v) for v in values} == in_db, sql


def test_generated_energy_classes_follow_the_databases_class_bands(db):
    """The generator estimates classes by the indicative bands the database holds (its certificates differ at most
    by one class: the law's limits depend on the building, not on one scale)."""
    su = db.connect()
    bands = _rows(
        su, "SELECT energy_class, max_kwh_m2 FROM verification.energy_class_band WHERE max_kwh_m2 IS NOT NULL"
    )
    assert sorted((c, float(m)) for c, m in bands) == sorted((c, float(m)) for c, m in ENERGY_CLASS_LIMITS)
