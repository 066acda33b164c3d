"""Exchange files into the land parcel register through review, against the
real database: drafts submitted in one batch by the importing editor, a file
whole or not at all, the same file twice changes nothing, a newer file is a
change."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from exchange_files import ExchangeFile, Parcel, neighbours, rectangle
from factories import approve, one

from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.cadastral import import_file

SETTINGS = import_settings.load()
EDITOR, VERIFIER = "t_property_editor", "t_property_verifier"
PERSON = "Петренко Іван Іванович"
RNOKPP = "3012345670"

PERSON_LEASE = """<Leases><LeaseInfo><LeaseAgreement><Leasees><Leasee><NaturalPerson>
<FullName><LastName>Петренко</LastName><FirstName>Іван</FirstName><MiddleName>Іванович</MiddleName></FullName>
<TaxNumber>3012345670</TaxNumber><Passport><DocumentType>паспорт</DocumentType><PassportNumber>123456</PassportNumber>
<PassportIssuedDate>2001-01-01</PassportIssuedDate><IssuanceAuthority>Житомирський МВ</IssuanceAuthority>
<PassportSeries>ВМ</PassportSeries></Passport></NaturalPerson></Leasee></Leasees><Area>0.2</Area>
<LeaseTerm><StartDate>2020-01-01</StartDate><ExpirationDate>2030-12-31</ExpirationDate><LeaseDuration>10</LeaseDuration>
</LeaseTerm><Rent><MoneyRent>12000</MoneyRent></Rent><RegistrationNumber>35123</RegistrationNumber>
<RegistrationDate>2020-01-15</RegistrationDate></LeaseAgreement></LeaseInfo></Leases>"""

COMPANY_LEASE = """<Leases><LeaseInfo><ExecutivePowerDecision><ExecutivePower>Житомирська міська рада</ExecutivePower>
<ApprovalDocument>рішення</ApprovalDocument><ApprovalDocumentName>Рішення міської ради</ApprovalDocumentName>
<ApprovalDate>2019-11-20</ApprovalDate><ApprovalDocumentNumber>1540</ApprovalDocumentNumber></ExecutivePowerDecision>
<LeaseAgreement><Leasees><Leasee><LegalEntity><Name>ТОВ «Поліссяторг»</Name><EDRPOU>04053625</EDRPOU></LegalEntity>
</Leasee></Leasees><Area>0.2</Area><LeaseTerm><ExpirationDate>2029-06-30</ExpirationDate><LeaseDuration>10</LeaseDuration>
</LeaseTerm><Rent><MoneyRent>30000</MoneyRent></Rent><RegistrationNumber>1</RegistrationNumber>
<RegistrationDate>2019-12-01</RegistrationDate></LeaseAgreement></LeaseInfo></Leases>"""
RESTRICTION = """<Restrictions><RestrictionInfo><RestrictionCode>01.05</RestrictionCode><RestrictionName>Охоронна зона
навколо об'єкта енергетичної системи</RestrictionName></RestrictionInfo></Restrictions>"""
COMPANY_LEASE_RESTRICTED = COMPANY_LEASE + "\n" + RESTRICTION
SUBLEASE = """<Subleases><SubleaseInfo><Subleasees><Subleasee><LegalEntity><Name>ФОП-кав'ярня «Тетерів»</Name>
<EDRPOU>32855961</EDRPOU></LegalEntity></Subleasee></Subleasees><Area>0.05</Area><SubleaseTerm><StartDate>2024-04-01</StartDate>
<ExpirationDate>2026-03-31</ExpirationDate></SubleaseTerm><RegistrationNumber>77</RegistrationNumber></SubleaseInfo></Subleases>"""


def parcels_of(db) -> dict[str, dict]:
    with db.connect().cursor() as cur:
        cur.execute(
            "SELECT cadastral_number, id, status, version, area_ha::float, land_use_code, ownership, lease_status,"
            " user_edrpou, user_name, user_person_name, user_person_rnokpp, lease_until::text, lease_decision,"
            " address_text, note, round(ST_Area(geom)::numeric, 1)::float AS area_m2, created_by"
            " FROM property.land_parcel ORDER BY 1"
        )
        names = [d.name for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def parts_of(db) -> dict[str, list[dict]]:
    """The lands, leases and restrictions in the register, by table, oldest first."""
    out = {}
    with db.connect().cursor() as cur:
        for table, columns in (
            ("property.parcel_land", "x.land_code, x.area_ha::float"),
            (
                "property.parcel_lease",
                "x.sublease, x.lessee_edrpou, x.lessee_name, x.lessee_person_name, x.lessee_person_rnokpp,"
                " x.area_ha::float, x.starts_on::text, x.expires_on::text, x.registration, x.decision",
            ),
            ("property.parcel_restriction", "x.kind, x.cadastre_code, x.name_uk, x.expires_on::text"),
        ):
            cur.execute(
                f"SELECT p.cadastral_number, x.id, x.status, x.deleted, {columns} FROM {table} x"
                " JOIN property.land_parcel p ON p.id = x.parcel_id ORDER BY x.id"
            )
            names = [d.name for d in cur.description]
            out[table] = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return out


def files_of(db) -> list[dict]:
    with db.connect().cursor() as cur:
        cur.execute(
            "SELECT id, table_name, file_name, sha256, source_format, file_date::text, format_version,"
            " coordinate_system, surveyor, surveyor_edrpou, imported_by FROM history.import_file ORDER BY id"
        )
        names = [d.name for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def columns_of(db, table: str) -> list[str]:
    schema, name = table.split(".")
    return one(
        db.connect(),
        "SELECT array_agg(column_name::text) FROM information_schema.columns WHERE table_schema = %s"
        " AND table_name = %s",
        schema,
        name,
    )[0]


def events(db, action: str) -> list:
    with db.connect().cursor() as cur:
        cur.execute(
            "SELECT record_id, actor, reason FROM history.event WHERE table_name = 'property.land_parcel'"
            " AND action = %s ORDER BY id",
            (action,),
        )
        return cur.fetchall()


@pytest.fixture
def three(tmp_path):
    parcels = neighbours(count=3, dy=200)
    parcels[1].extra_xml = COMPANY_LEASE_RESTRICTED
    parcels[2].extra_xml = PERSON_LEASE
    return ExchangeFile(parcels, system="SC63-X3", version="0.7").write(tmp_path / "Кадастр_2024.xml")


REGISTERS = ("property.land_parcel", "property.parcel_land", "property.parcel_lease", "property.parcel_restriction")


def approve_all(db) -> None:
    verifier = db.connect(VERIFIER)
    for table in REGISTERS:
        ids = [r[0] for r in rows_of(db, f"SELECT id FROM {table} WHERE status = 'submitted' ORDER BY id")]
        if ids:
            approve(verifier, table, ids)


def rows_of(db, sql: str, *params) -> list:
    with db.connect().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def test_a_file_enters_as_drafts_submitted_in_one_batch(db, three):
    report = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert not report.refused, report.as_dict()
    # three parcels, each with its land, two leases and a restriction: nine records submitted
    assert report.imported and report.submitted == 9
    assert report.counts() == {
        "parcels": 3, "refused": 0, "insert": 3, "update": 0, "unchanged": 0, "parts_added": 6, "parts_removed": 0,
    }  # fmt: skip
    rows = parcels_of(db)
    assert list(rows) == [f"1810100000:01:001:{i:04d}" for i in (1, 2, 3)]
    assert {(r["status"], r["version"], r["created_by"]) for r in rows.values()} == {("submitted", 1, EDITOR)}
    first, company, person = rows.values()
    assert (first["area_ha"], first["land_use_code"], first["ownership"], first["lease_status"]) == (
        0.2, "02.01", "communal", "free",
    )  # fmt: skip
    assert first["area_m2"] == pytest.approx(2000, abs=0.2) and first["address_text"] == "вулиця Київська, 1"
    assert (company["lease_status"], company["user_edrpou"], company["user_name"], company["lease_until"]) == (
        "leased", "04053625", "ТОВ «Поліссяторг»", "2029-06-30",
    )  # fmt: skip
    assert company["lease_decision"] == "Рішення міської ради № 1540 від 2019-11-20"
    assert (person["user_person_name"], person["user_person_rnokpp"], person["user_edrpou"]) == (PERSON, RNOKPP, None)
    # nothing of the file is lost: its lands, leases and restrictions are records of their own
    parts = parts_of(db)
    assert [(p["cadastral_number"][-4:], p["land_code"], p["area_ha"]) for p in parts["property.parcel_land"]] == [
        ("0001", "002.02", 0.2), ("0002", "002.02", 0.2), ("0003", "002.02", 0.2),
    ]  # fmt: skip
    company_lease, person_lease = parts["property.parcel_lease"]
    who = ("cadastral_number", "lessee_edrpou", "lessee_name", "lessee_person_name")
    assert [company_lease[k] for k in who] == ["1810100000:01:001:0002", "04053625", "ТОВ «Поліссяторг»", None]
    assert (company_lease["expires_on"], company_lease["registration"], company_lease["decision"]) == (
        "2029-06-30", "№ 1 від 2019-12-01", "Рішення міської ради № 1540 від 2019-11-20",
    )  # fmt: skip
    assert (person_lease["lessee_person_name"], person_lease["lessee_person_rnokpp"], person_lease["lessee_name"]) == (
        PERSON, RNOKPP, None,
    )  # fmt: skip
    assert (person_lease["starts_on"], person_lease["expires_on"], person_lease["area_ha"]) == (
        "2020-01-01", "2030-12-31", 0.2,
    )  # fmt: skip
    (restriction,) = parts["property.parcel_restriction"]
    # the city's kind from the words of the name (settings restriction_kinds); the file's code and name kept
    assert (restriction["kind"], restriction["cadastre_code"], restriction["name_uk"]) == (
        "01.05", "01.05", "Охоронна зона навколо об'єкта енергетичної системи",
    )  # fmt: skip
    assert {p["status"] for ps in parts.values() for p in ps} == {"submitted"}
    # the evidence: the file, its hash, date and surveyor, kept by the database and linked to every change
    (evidence,) = files_of(db)
    assert evidence["id"] == report.evidence_id
    assert (evidence["file_name"], evidence["sha256"], evidence["file_date"], evidence["format_version"]) == (
        "Кадастр_2024.xml", report.sha256, "2024-03-15", "0.7",
    )  # fmt: skip
    assert evidence["surveyor"] == (
        "ТОВ «Житомирземпроект» (ЄДРПОУ 04053625), інженер-землевпорядник Коваленко Олена, сертифікат № 12345"
    )
    assert evidence["coordinate_system"].endswith("EPSG:7827") and evidence["imported_by"] == EDITOR
    linked = one(
        db.connect(),
        "SELECT count(*) FILTER (WHERE import_file_id = %s), count(*) FROM history.event",
        report.evidence_id,
    )
    assert linked == (18, 18 + 3)  # 9 inserts and 9 submits; the boundary's three events are not the import's
    submits = events(db, "submit")
    assert len(submits) == 3 and {s[1] for s in submits} == {EDITOR}
    assert submits[0][2] == (
        "Імпорт обмінного файлу Кадастр_2024.xml, від 15.03.2024, виконавець: ТОВ «Житомирземпроект»"
        " (ЄДРПОУ 04053625), інженер-землевпорядник Коваленко Олена, сертифікат № 12345"
    )
    # the public sees nothing until a second person approves, then no private person's data
    assert one(db.connect(), "SELECT count(*) FROM published.property_land_parcel")[0] == 0
    verifier = db.connect(VERIFIER)
    approve(verifier, "property.land_parcel", [r["id"] for r in rows.values()])
    for table, found in parts.items():
        approve(verifier, table, [p["id"] for p in found])
    assert one(db.connect(), "SELECT count(*) FROM published.property_land_parcel")[0] == 3
    # the verifier's decisions are not the import's (nor is the boundary's approval)
    decisions = "SELECT count(*) FROM history.event WHERE action = 'approve' AND import_file_id IS NULL"
    assert one(db.connect(), decisions)[0] == 9 + 1
    for table in ("property_land_parcel", "property_parcel_lease"):
        public_columns = columns_of(db, f"published.{table}")
        assert not {c for c in public_columns if "person" in c}, public_columns
    assert "user_name" in columns_of(db, "published.property_land_parcel")
    public_leases = one(db.connect(), "SELECT array_agg(lessee_name ORDER BY id) FROM published.property_parcel_lease")
    assert public_leases == (["ТОВ «Поліссяторг»", None],)


def test_personal_data_stays_out_of_the_report(db, three):
    report = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=True)
    text = json.dumps(report.as_dict(), ensure_ascii=False)
    assert PERSON not in text and "Петренко" not in text and RNOKPP not in text and "123456" not in text
    assert "ТОВ «Поліссяторг»" in text  # a legal entity is public
    assert '"kind": "private_person"' in text


UNCHANGED = {"parcels": 3, "refused": 0, "insert": 0, "update": 0, "unchanged": 3, "parts_added": 0, "parts_removed": 0}


def test_the_same_file_twice_changes_nothing(db, three):
    import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    counted = "SELECT (SELECT count(*) FROM history.event), (SELECT count(*) FROM history.import_file)"
    before = (parcels_of(db), parts_of(db), one(db.connect(), counted))
    again = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert not again.refused and again.submitted == 0 and again.evidence_id is None
    assert again.counts() == UNCHANGED
    assert (parcels_of(db), parts_of(db), one(db.connect(), counted)) == before


def newer_file(tmp_path, date: str = "2024-05-20"):
    """The surveyor re-measured parcel 0001 (40 x 55 m now, and its purpose changed), the
    restriction of 0002 was lifted, and 0003 got a sublease."""
    newer = neighbours(count=3, dy=200)
    newer[0] = Parcel(
        "01:001:0001", [rectangle(0, 200, 40, 55)], purpose="03.07 Для будівництва та обслуговування будівель торгівлі"
    )
    newer[1].extra_xml = COMPANY_LEASE
    newer[2].extra_xml = PERSON_LEASE + SUBLEASE
    return ExchangeFile(newer, system="SC63-X3", version="1.0", file_date=date).write(tmp_path / f"newer_{date}.xml")


def test_a_newer_file_is_a_change_of_the_parcel(db, tmp_path, three):
    first = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    approve_all(db)
    report = import_file(newer_file(tmp_path), SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert not report.refused, report.as_dict()
    counts = report.counts()
    # the re-measured parcel's land has the new area (one land out, one in), a restriction out, a sublease in
    assert (counts["update"], counts["unchanged"], counts["parts_added"], counts["parts_removed"]) == (1, 2, 2, 2)
    changed = parcels_of(db)["1810100000:01:001:0001"]
    assert (changed["status"], changed["version"], changed["area_ha"], changed["land_use_code"]) == (
        "submitted", 2, 0.22, "03.07",
    )  # fmt: skip
    # the public keeps the approved parcel until the change is approved
    public = one(db.connect(), "SELECT area_ha::float FROM published.property_land_parcel WHERE id = %s", changed["id"])
    assert public == (0.2,)
    parts = parts_of(db)
    # the lifted restriction is a deletion request reviewed like any change; the public still sees it
    (restriction,) = parts["property.parcel_restriction"]
    assert (restriction["deleted"], restriction["status"]) == (True, "submitted")
    assert one(db.connect(), "SELECT count(*) FROM published.property_parcel_restriction")[0] == 1
    sublease = parts["property.parcel_lease"][-1]
    assert (sublease["cadastral_number"][-4:], sublease["sublease"], sublease["lessee_name"], sublease["status"]) == (
        "0003", True, "ФОП-кав'ярня «Тетерів»", "submitted",
    )  # fmt: skip
    assert (sublease["area_ha"], sublease["expires_on"], sublease["registration"]) == (0.05, "2026-03-31", "№ 77")
    # each change carries the file it came from; the first file's events keep the first file
    (linked,) = one(
        db.connect(),
        "SELECT array_agg(DISTINCT import_file_id) FROM history.event"
        " WHERE table_name = 'property.land_parcel' AND record_id = %s AND action IN ('insert', 'update', 'submit')",
        changed["id"],
    )
    assert linked == [first.evidence_id, report.evidence_id] and first.evidence_id < report.evidence_id
    assert [f["file_date"] for f in files_of(db)] == ["2024-03-15", "2024-05-20"]


def test_an_older_file_does_not_replace_newer_data(db, tmp_path, three):
    import_file(newer_file(tmp_path), SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    approve_all(db)
    before = (parcels_of(db), parts_of(db))
    # the file of March after the file of May: every parcel it would change is refused
    older = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert older.refused and not older.imported
    reasons = {p["cadastral_number"][-4:]: p["findings"][-1]["message"] for p in older.as_dict()["parcels"]}
    assert reasons["0001"] == (
        "Файл від 15.03.2024 старіший за файл «newer_2024-05-20.xml» від 20.05.2024, з якого ділянку вже"
        " імпортовано: старіші дані не замінюють новіших"
    )
    assert reasons["0002"] == reasons["0001"] == reasons["0003"]  # 0002 and 0003 only through their parts
    assert (parcels_of(db), parts_of(db)) == before
    # an older file that agrees with the register changes nothing and is not refused
    agreeing = import_file(
        newer_file(tmp_path, date="2024-01-10"), SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False
    )
    assert not agreeing.refused and agreeing.counts() == UNCHANGED


def test_one_refused_parcel_refuses_the_whole_file(db, tmp_path):
    parcels = neighbours(count=3)
    parcels[1].purpose = "99.99"  # not in the classifier
    parcels.append(Parcel("01:001:0009", [rectangle(5000, 0, 40, 50)]))  # 5 km east: outside the city
    path = ExchangeFile(parcels).write(tmp_path / "bad.xml")
    report = import_file(path, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert report.refused and not report.imported
    outcome = {p["cadastral_number"][-4:]: (p["outcome"], p["reason"]) for p in report.as_dict()["parcels"]}
    assert outcome["0001"] == ("ok", None) and outcome["0003"] == ("ok", None)
    assert (
        outcome["0002"][0] == "refused"
        and "Код цільового призначення 99.99 відсутній у класифікаторі" in outcome["0002"][1]
    )
    assert outcome["0009"][0] == "refused" and outcome["0009"][1].startswith("Ділянка лежить поза межами громади")
    assert parcels_of(db) == {}  # nothing half-written


def test_a_part_the_database_refuses_names_its_parcel(db, tmp_path):
    parcels = neighbours(count=3)
    parcels[0].extra_xml = SUBLEASE
    parcels[2].extra_xml = SUBLEASE.replace("<EDRPOU>32855961</EDRPOU>", "<EDRPOU>32855962</EDRPOU>")  # check digit
    path = ExchangeFile(parcels).write(tmp_path / "sublease.xml")
    report = import_file(path, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert report.refused and not report.imported
    outcome = {p["cadastral_number"][-4:]: (p["outcome"], p["reason"]) for p in report.as_dict()["parcels"]}
    assert outcome["0001"] == ("ok", None) and outcome["0002"] == ("ok", None)
    assert outcome["0003"][0] == "refused" and "32855962" in outcome["0003"][1] and "ЄДРПОУ" in outcome["0003"][1]
    assert parcels_of(db) == {} and all(not found for found in parts_of(db).values())  # nothing half-written


def test_the_database_rules_decide_in_a_dry_run(db, tmp_path):
    """A KOATUU the register's rule does not accept (Kyiv's, 8000000000, not the hromada's):
    the database's own message, and nothing is left."""
    path = ExchangeFile(neighbours(count=2), koatuu="8000000000", old_layout=True).write(tmp_path / "v.xml")
    report = import_file(path, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=True)
    reasons = [p["reason"] for p in report.as_dict()["parcels"]]
    assert all(r and "Кадастровий номер «8000000000:01:001:000" in r for r in reasons), reasons
    assert parcels_of(db) == {} and events(db, "insert") == []


def test_another_departments_editor_is_refused_by_the_database(db, three):
    report = import_file(three, SETTINGS, conn=db.connect("t_budget_editor", autocommit=False), dry_run=False)
    assert report.refused and not report.imported
    assert parcels_of(db) == {}


def test_command_line_json(db, three, tmp_path):
    env = dict(os.environ, PROJ_DATA="/usr/share/proj")
    done = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "import", "cadastral-xml", str(three), "--dsn", db.dsn(EDITOR),
         "--format", "json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (document,) = json.loads(done.stdout)
    assert document["format_version"] == "0.7" and document["coordinate_system"]["crs"] == "EPSG:7827"
    summary = [
        (p["cadastral_number"], p["declared_area_ha"], p["purpose_code"], p["vertex_count"], p["outcome"])
        for p in document["parcels"]
    ]
    assert summary == [(f"1810100000:01:001:{i:04d}", 0.2, "02.01", 4, "ok") for i in (1, 2, 3)]
    assert all(p["computed_area_m2"] == pytest.approx(2000, abs=0.5) for p in document["parcels"])
    assert document["imported"] and document["submitted"] == 9  # three parcels and their six parts
    assert PERSON not in done.stdout and RNOKPP not in done.stdout
    # no connection, no dry run: a one-line message, no traceback
    refused = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "import", "cadastral-xml", str(three)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.startswith("помилка: для імпорту потрібне з'єднання редактора")
    assert "Traceback" not in refused.stderr


def test_the_round_trip_is_lossless(db, tmp_path, three):
    """Parcels exported to an exchange file read back to the same records:
    importing the export changes nothing, and every column the file states
    comes back equal."""
    from zhytomyr_gis.importing.exchange_file import ExchangeFileReader
    from zhytomyr_gis.importing.export import export_parcels

    parcels = neighbours(count=3, dy=200)
    parcels[1].extra_xml = COMPANY_LEASE_RESTRICTED
    parcels[2].extra_xml = PERSON_LEASE + SUBLEASE
    source = ExchangeFile(parcels, system="SC63-X3", version="0.7").write(tmp_path / "source.xml")
    import_file(source, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    approve_all(db)
    before = parcels_of(db), parts_of(db)
    assert len(before[1]["property.parcel_lease"]) == 3
    exported = tmp_path / "export.xml"
    assert export_parcels(db.connect(EDITOR, autocommit=False), exported, published=False) == 3
    again = import_file(exported, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert again.counts() == UNCHANGED, again.as_dict()
    assert not [f for f in again.findings if f.code == "unknown_element"]
    assert (parcels_of(db), parts_of(db)) == before
    before = before[0]
    reader = ExchangeFileReader(exported, SETTINGS)
    read_back = {p.cadastral_number: p for p in reader.parcels()}
    assert reader.info.system.code == "EPSG:9836" and reader.info.format_version == "2.0"
    for number, row in before.items():
        parcel = read_back[number]
        assert parcel.declared_area_ha == row["area_ha"] and parcel.purpose_code == row["land_use_code"]
        assert parcel.area_9836_m2 == pytest.approx(row["area_m2"], abs=0.1)
        assert parcel.address == row["address_text"]
    # the public export carries no personal data
    public = tmp_path / "public.xml"
    export_parcels(db.connect(EDITOR, autocommit=False), public, published=True)
    text = public.read_text(encoding="utf-8")
    assert "Петренко" not in text and RNOKPP not in text and "ТОВ «Поліссяторг»" in text
