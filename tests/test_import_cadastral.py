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
<RegistrationDate>2019-12-01</RegistrationDate></LeaseAgreement></LeaseInfo></Leases>
<Restrictions><RestrictionInfo><RestrictionCode>01.05</RestrictionCode><RestrictionName>Охоронна зона навколо об'єкта
енергетичної системи</RestrictionName></RestrictionInfo></Restrictions>"""


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
    parcels[1].extra_xml = COMPANY_LEASE
    parcels[2].extra_xml = PERSON_LEASE
    return ExchangeFile(parcels, system="SC63-X3", version="0.7").write(tmp_path / "Кадастр_2024.xml")


def test_a_file_enters_as_drafts_submitted_in_one_batch(db, three):
    report = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert not report.refused, report.as_dict()
    assert report.imported and report.submitted == 3
    assert report.counts() == {"parcels": 3, "refused": 0, "insert": 3, "update": 0, "unchanged": 0}
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
    assert company["note"].startswith("Обмеження: 01.05 Охоронна зона")
    assert (person["user_person_name"], person["user_person_rnokpp"], person["user_edrpou"]) == (PERSON, RNOKPP, None)
    # the evidence: file, hash, date and surveyor, as the reason of the one submission
    submits = events(db, "submit")
    assert len(submits) == 3 and {s[1] for s in submits} == {EDITOR}
    reason = submits[0][2]
    assert reason.startswith(f"Імпорт з файлу Кадастр_2024.xml; SHA-256 {report.sha256}; дата файлу 2024-03-15")
    assert "виконавець: ТОВ «Житомирземпроект» (ЄДРПОУ 04053625), інженер-землевпорядник Коваленко Олена" in reason
    # the public sees nothing until a second person approves
    assert one(db.connect(), "SELECT count(*) FROM published.property_land_parcel")[0] == 0
    approve(db.connect(VERIFIER), "property.land_parcel", [r["id"] for r in rows.values()])
    assert one(db.connect(), "SELECT count(*) FROM published.property_land_parcel")[0] == 3
    public_columns = one(
        db.connect(),
        "SELECT array_agg(column_name::text) FROM information_schema.columns"
        " WHERE table_schema = 'published' AND table_name = 'property_land_parcel'",
    )[0]
    assert "user_person_name" not in public_columns and "user_name" in public_columns


def test_personal_data_stays_out_of_the_report(db, three):
    report = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=True)
    text = json.dumps(report.as_dict(), ensure_ascii=False)
    assert PERSON not in text and "Петренко" not in text and RNOKPP not in text and "123456" not in text
    assert "ТОВ «Поліссяторг»" in text  # a legal entity is public
    assert '"kind": "private_person"' in text


def test_the_same_file_twice_changes_nothing(db, three):
    import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    before = (parcels_of(db), one(db.connect(), "SELECT count(*) FROM history.event")[0])
    again = import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert not again.refused and again.submitted == 0
    assert again.counts() == {"parcels": 3, "refused": 0, "insert": 0, "update": 0, "unchanged": 3}
    assert (parcels_of(db), one(db.connect(), "SELECT count(*) FROM history.event")[0]) == before


def test_a_newer_file_is_a_change_of_the_parcel(db, tmp_path, three):
    import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    ids = [r["id"] for r in parcels_of(db).values()]
    approve(db.connect(VERIFIER), "property.land_parcel", ids)
    # the surveyor re-measured parcel 0001: 40 x 55 m now, and its purpose changed
    newer = neighbours(count=3, dy=200)
    newer[0] = Parcel(
        "01:001:0001", [rectangle(0, 200, 40, 55)], purpose="03.07 Для будівництва та обслуговування будівель торгівлі"
    )
    newer[1].extra_xml = COMPANY_LEASE
    newer[2].extra_xml = PERSON_LEASE
    path = ExchangeFile(newer, system="SC63-X3", version="1.0").write(tmp_path / "newer.xml")
    report = import_file(path, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert report.counts()["update"] == 1 and report.counts()["unchanged"] == 2, report.as_dict()["parcels"]
    changed = parcels_of(db)["1810100000:01:001:0001"]
    assert (changed["status"], changed["version"], changed["area_ha"], changed["land_use_code"]) == (
        "submitted", 2, 0.22, "03.07",
    )  # fmt: skip
    # the public keeps the approved parcel until the change is approved
    public = one(db.connect(), "SELECT area_ha::float FROM published.property_land_parcel WHERE id = %s", changed["id"])
    assert public == (0.2,)


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
    assert document["imported"] and document["submitted"] == 3
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

    import_file(three, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    before = parcels_of(db)
    approve(db.connect(VERIFIER), "property.land_parcel", [r["id"] for r in before.values()])
    exported = tmp_path / "export.xml"
    assert export_parcels(db.connect(EDITOR, autocommit=False), exported, published=False) == 3
    again = import_file(exported, SETTINGS, conn=db.connect(EDITOR, autocommit=False), dry_run=False)
    assert again.counts() == {"parcels": 3, "refused": 0, "insert": 0, "update": 0, "unchanged": 3}, again.as_dict()
    after = parcels_of(db)
    assert {k: {**v, "status": None} for k, v in after.items()} == {k: {**v, "status": None} for k, v in before.items()}
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
