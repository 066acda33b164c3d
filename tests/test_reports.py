"""Status report per department and the verification report's exports."""

from __future__ import annotations

import csv
import json

import pytest
import register_rows as rows
from factories import call, update
from register_rows import add, force, publish, submit

from zhytomyr_gis import reports
from zhytomyr_gis.errors import DatabaseRefusal

PARCELS = "property.land_parcel"


@pytest.fixture
def property_register(db):
    """Parcels in every state: 2 verified, 1 submitted 10 days ago, 1 just
    submitted with an overlap, 1 draft, 1 rejected."""
    publish(db, PARCELS, rows.parcel((0, 0)), rows.parcel((100, 0)))
    old = add(db, PARCELS, rows.parcel((200, 0)))
    overlapping = add(db, PARCELS, rows.parcel((110, 0)))
    add(db, PARCELS, rows.parcel((300, 0)))
    rejected = add(db, PARCELS, rows.parcel((400, 0)))
    submit(db, PARCELS, [old, overlapping, rejected])
    db.connect("t_property_verifier").cursor().execute(
        "SELECT workflow.reject(%s, %s::bigint, 'Не той кадастровий номер')", (PARCELS, rejected)
    )
    force(
        db,
        "UPDATE history.event SET occurred_at = now() - interval '10 days' WHERE table_name = %s AND record_id = %s",
        PARCELS,
        old,
    )
    db.overlapping = overlapping
    return db


def test_status_report_counts_states_and_long_waits(property_register):
    report = reports.status_report(property_register.connect("t_property_verifier"), waiting_days=7)
    assert {r.department for r in report} == {"property"}  # only one's own department
    parcels = next(r for r in report if r.table == PARCELS)
    assert (parcels.draft, parcels.submitted, parcels.verified, parcels.rejected) == (1, 2, 2, 1)
    assert parcels.waiting_over_days == 1
    assert parcels.errors == 1  # the overlap, found on submit
    assert reports.by_department(report)["property"]["submitted"] == 2
    everything = reports.status_report(property_register.connect("t_admin_verifier"), waiting_days=30)
    assert {r.department for r in everything} >= {"property", "budget", "planning", "admin"}
    assert next(r for r in everything if r.table == PARCELS).waiting_over_days == 0
    with pytest.raises(DatabaseRefusal):
        reports.status_report(property_register.connect("t_admin_verifier"), waiting_days=-1)


def test_status_report_counts_only_findings_of_the_records_as_they_are(property_register):
    """The overlapping parcel is withdrawn and moved away: its finding, stored for the
    submitted version, no longer stands (it stays stored until the next check)."""
    db = property_register
    editor = db.connect("t_property_editor")
    call(editor, "withdraw", PARCELS, [db.overlapping])
    update(editor, PARCELS, db.overlapping, geom=rows.parcel((600, 0))["geom"])
    parcels = next(r for r in reports.status_report(db.connect("t_property_verifier")) if r.table == PARCELS)
    assert (parcels.draft, parcels.submitted, parcels.errors, parcels.warnings) == (2, 1, 0, 0)


@pytest.mark.parametrize("fmt", reports.FORMATS)
def test_verification_report_export(property_register, tmp_path, fmt):
    verifier = property_register.connect("t_property_verifier")
    assert len(reports.verification_report(verifier, PARCELS)) == 1  # as stored: checked on submit
    issues = reports.verification_report(verifier, PARCELS, run_checks=True)  # the whole register
    assert sorted((i.rule_id, i.record_status) for i in issues) == [
        ("land_parcel_overlap", "submitted"),
        ("land_parcel_overlap", "verified"),
    ]
    assert all(i.x and i.y for i in issues)
    path = reports.export(issues, tmp_path / f"report.{fmt}", reports.REPORT_COLUMNS, title="Звіт перевірки")
    if fmt == "csv":
        with path.open(encoding="utf-8-sig") as f:
            table = list(csv.reader(f))
        assert table[0][:3] == ["Реєстр", "Таблиця", "Запис"]
        assert len(table) == 3 and table[1][0] == "Земельні ділянки"
    elif fmt == "json":
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["title"] == "Звіт перевірки" and len(document["rows"]) == 2
        assert document["rows"][0]["rule_id"] == "land_parcel_overlap"
        assert document["columns"]["message_uk"]["en"] == "Message (uk)"
    else:
        page = path.read_text(encoding="utf-8")
        assert page.count("<tr>") == 3 and "Земельна ділянка перекривається" in page


def test_report_of_a_department_run_anew(property_register):
    verifier = property_register.connect("t_property_verifier")
    with verifier.cursor() as cur:
        cur.execute("SELECT count(*) FROM verification.run")
        before = cur.fetchone()[0]
    issues = reports.verification_report(verifier, run_checks=True)
    assert {i.table for i in issues} == {PARCELS}
    with verifier.cursor() as cur:
        cur.execute("SELECT count(*) FROM verification.run")
        # the property department's five registers: parcels, their lands, leases and restrictions, buildings
        assert cur.fetchone()[0] == before + 5


def test_unknown_format_refused(tmp_path):
    with pytest.raises(DatabaseRefusal) as refused:
        reports.export([], tmp_path / "report.xlsx", reports.REPORT_COLUMNS)
    assert "CSV, HTML або JSON" in refused.value.message_uk
