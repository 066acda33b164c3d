"""The evidence of an import in the database (sql/app/35_import_evidence.sql):
the file is registered by the importing editor and linked to the changes of
that import only; nobody can link it to other changes, change it or read
another department's files; the history shows it beside each change."""

from __future__ import annotations

import psycopg2
import pytest
from exchange_files import ExchangeFile, neighbours
from factories import approve, call, insert, one, parcel, update

from zhytomyr_gis import review
from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.cadastral import import_file

SETTINGS = import_settings.load()
TABLE = "property.land_parcel"
EDITOR, OTHER_EDITOR, VERIFIER = "t_property_editor", "t_property_editor2", "t_property_verifier"
SHA = "ab" * 32


@pytest.fixture
def imported(db, tmp_path):
    """A two-parcel exchange file imported by the editor, approved by the verifier."""
    path = ExchangeFile(neighbours(count=2), surveyor="ТОВ «Геоцентр»").write(tmp_path / "Поділ_2024.xml")
    report = import_file(path, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert report.imported and report.evidence_id, report.as_dict()
    with db.connect().cursor() as cur:
        cur.execute(f"SELECT id FROM {TABLE} ORDER BY id")
        parcels = [r for (r,) in cur.fetchall()]
        cur.execute("SELECT id FROM property.parcel_land ORDER BY id")
        lands = [r for (r,) in cur.fetchall()]
    verifier = db.connect(VERIFIER)
    approve(verifier, TABLE, parcels)
    approve(verifier, "property.parcel_land", lands)
    return report, parcels


def _link(conn, evidence_id) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('zhytomyr_gis.import_file', %s, true)", (str(evidence_id),))


def test_a_change_cannot_be_linked_to_a_file_one_did_not_import_in_this_transaction(db, imported):
    report, parcels = imported
    for user in (OTHER_EDITOR, EDITOR):  # another editor, and the importer in a later transaction
        conn = db.connect(user, autocommit=False)
        _link(conn, report.evidence_id)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege) as refused:
            update(conn, TABLE, parcels[0], note="виправлено вручну")
        assert f"Файл імпорту {report.evidence_id} не зареєстровано у цій транзакції від вашого імені" in str(
            refused.value
        )
        conn.rollback()
    # without the setting the same edit is an ordinary change, with no file
    editor = db.connect(EDITOR)
    update(editor, TABLE, parcels[0], note="виправлено вручну")
    last = one(db.connect(), "SELECT action, import_file_id FROM history.event ORDER BY id DESC LIMIT 1")
    assert last == ("update", None)


def test_a_registered_file_is_the_evidence_of_its_transaction_only(db):
    editor = db.connect(EDITOR, autocommit=False)
    with editor.cursor() as cur:
        cur.execute("SELECT history.record_import_file('property.land_parcel', 'реєстр.gpkg', %s, 'gpkg')", (SHA,))
        evidence_id = cur.fetchone()[0]
    record = insert(editor, TABLE, parcel())
    editor.commit()
    later = insert(editor, TABLE, parcel())
    editor.commit()
    linked = "SELECT record_id, import_file_id FROM history.event WHERE table_name = %s AND action = 'insert'"
    with db.connect().cursor() as cur:
        cur.execute(linked + " ORDER BY id", (TABLE,))
        assert cur.fetchall() == [(record, evidence_id), (later, None)]


def test_import_files_are_written_only_by_the_database_and_never_changed(db, imported):
    report, _ = imported
    editor = db.connect(EDITOR)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), editor.cursor() as cur:
        cur.execute(
            "INSERT INTO history.import_file (table_name, file_name, sha256, source_format)"
            " VALUES ('property.land_parcel', 'x.xml', %s, 'cadastral-xml')",
            (SHA,),
        )
    owner = db.connect()  # even the database owner meets the append-only trigger
    for statement in (
        "UPDATE history.import_file SET file_name = 'інший.xml'",
        "DELETE FROM history.import_file",
        "TRUNCATE history.import_file CASCADE",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege) as refused, owner.cursor() as cur:
            cur.execute(statement)
        assert "Історія змін лише доповнюється" in str(refused.value)
    assert one(owner, "SELECT file_name FROM history.import_file WHERE id = %s", report.evidence_id) == (
        "Поділ_2024.xml",
    )


@pytest.mark.parametrize(
    "user,args,code,words",
    [
        (VERIFIER, ("property.land_parcel", "a.xml", SHA, "cadastral-xml"), "ZG004", "не є редактором"),
        ("t_budget_editor", ("property.land_parcel", "a.xml", SHA, "cadastral-xml"), "ZG004", "не є редактором"),
        (EDITOR, ("property.land_parcel", "a.xml", "123", "cadastral-xml"), "ZG005", "SHA-256"),
        (EDITOR, ("property.land_parcel", " ", SHA, "cadastral-xml"), "ZG005", "має мати назву"),
    ],
)
def test_only_an_editor_of_the_register_registers_a_file(db, user, args, code, words):
    conn = db.connect(user)
    with pytest.raises(psycopg2.Error) as refused, conn.cursor() as cur:
        cur.execute("SELECT history.record_import_file(%s, %s, %s, %s)", args)
    assert refused.value.pgcode == code and words in refused.value.pgerror


def test_the_files_are_read_by_their_department_only(db, imported):
    for user, seen in ((VERIFIER, 1), (EDITOR, 1), ("t_admin_editor", 1), ("t_budget_editor", 0)):
        assert one(db.connect(user), "SELECT count(*) FROM history.import_file")[0] == seen, user


def test_the_history_shows_the_file_of_each_imported_change(db, imported):
    report, parcels = imported
    entries = review.timeline(db.connect(VERIFIER), TABLE, parcels[0])
    assert [e.action for e in entries] == ["insert", "submit", "approve"]
    inserted, submitted, approved = entries
    assert inserted.evidence == submitted.evidence and approved.evidence is None
    evidence = inserted.evidence
    assert (evidence.file_name, evidence.sha256, evidence.source_format, str(evidence.file_date)) == (
        "Поділ_2024.xml", report.sha256, "cadastral-xml", "2024-03-15",
    )  # fmt: skip
    assert evidence.text() == (
        "Поділ_2024.xml, від 15.03.2024, виконавець: ТОВ «Геоцентр» (ЄДРПОУ 04053625),"
        " інженер-землевпорядник Коваленко Олена, сертифікат № 12345"
    )
    assert f"SHA-256: {report.sha256}" in evidence.details() and "МСК-18" in evidence.details()


def test_history_rows_keep_geometry_as_geojson_with_its_system(db):
    """The history reads rows with geometry already as GeoJSON (for speed); the
    JSON is the row's own, coordinate system included, and restores as it was."""
    editor = db.connect(EDITOR)
    record = insert(editor, TABLE, parcel(note="перша"))
    stored, row = one(
        db.connect(),
        f"SELECT e.new_values, to_jsonb(t) FROM history.event e JOIN {TABLE} t ON t.id = e.record_id"
        " WHERE e.table_name = %s AND e.record_id = %s",
        TABLE,
        record,
    )
    assert stored == row and stored["geom"]["crs"]["properties"]["name"] == "EPSG:9836"
    update(editor, TABLE, record, note="друга")
    assert call(editor, "restore", TABLE, record, 1) == 3
    assert one(db.connect(), f"SELECT note, ST_SRID(geom) FROM {TABLE} WHERE id = %s", record) == ("перша", 9836)
