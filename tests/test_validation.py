"""Bad input is refused by the database with a message that names the rule, and nothing is written."""

from __future__ import annotations

import psycopg2
import psycopg2.errors
import pytest
from conftest import CENTRE
from factories import insert, one, parcel, point, square

FAR_AWAY = "MULTIPOLYGON(((400000 5600000,400020 5600000,400020 5600020,400000 5600020,400000 5600000)))"
ACROSS_BOUNDARY = square(dx=2990, dy=0, size=40)  # the tests' city is a 6 km square around the centre
_X, _Y = CENTRE
BOW_TIE = f"MULTIPOLYGON((({_X} {_Y},{_X + 20} {_Y + 20},{_X + 20} {_Y},{_X} {_Y + 20},{_X} {_Y})))"


def _structure(**overrides):
    row = {
        "structure_code": "РК-00001",
        "structure_type": "billboard",
        "width_m": 6,
        "height_m": 3,
        "faces": 2,
        "address_text": "вул. Київська, 10",
        "geom": point(50, 50),
    }
    row.update(overrides)
    return row


def _permit(structure_id, **overrides):
    row = {
        "structure_id": structure_id,
        "permit_number": "РД-2024-0001",
        "distributor_edrpou": "32855961",
        "distributor_name": "ТОВ «Житомир Медіа»",
        "decision_number": "№ 145",
        "issued_on": "2024-02-01",
        "valid_from": "2024-02-01",
        "valid_to": "2029-01-31",
    }
    row.update(overrides)
    return row


def _project(**overrides):
    row = {
        "title_uk": "Капітальний ремонт покрівлі ліцею № 25",
        "object_name": "Ліцей № 25",
        "sector": "education",
        "budget_year": 2024,
        "fund": "development",
        "kpkvk": "0611021",
        "kfkvk": "0921",
        "kekv": "3132",
        "planned_uah": 2500000,
        "actual_uah": 2380000,
        "contractor_edrpou": "32855961",
        "tender_id": "UA-2024-03-15-000123-a",
        "project_status": "completed",
        "geom": point(-100, 80),
    }
    row.update(overrides)
    return row


CASES = [
    # (id, user, table, row factory, rule, words the message must contain)
    (
        "cadastral number",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(cadastral_number="1810100000:1:23:456"),
        "cadastral_number_format",
        "Кадастровий номер",
    ),
    (
        "cadastral number of another town",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(cadastral_number="3210100000:01:001:0001"),
        "cadastral_number_hromada",
        "не належить до громади «Житомирська міська територіальна громада»",
    ),
    (
        "ЄДРПОУ check digit",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(balance_holder_edrpou="04053626"),
        "edrpou_format",
        "ЄДРПОУ",
    ),
    (
        "ЄДРПОУ length",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(balance_holder_edrpou="4053625"),
        "edrpou_format",
        "8 цифр",
    ),
    (
        "РНОКПП",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(user_person_rnokpp="1234567890"),
        "rnokpp_format",
        "РНОКПП",
    ),
    (
        "parcel area",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(area_ha=0),
        "land_parcel_area_range",
        "Площа ділянки",
    ),
    (
        "invalid geometry",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(geom=BOW_TIE),
        "geometry_valid",
        "Геометрія недійсна",
    ),
    (
        "empty geometry",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(geom="MULTIPOLYGON EMPTY"),
        "geometry_not_empty",
        "порожня",
    ),
    (
        "geometry outside the city",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(geom=FAR_AWAY),
        "geometry_inside_city",
        "поза межами території «Житомирська міська територіальна громада»",
    ),
    (
        "geometry across the boundary",
        "t_property_editor",
        "property.land_parcel",
        lambda db: parcel(geom=ACROSS_BOUNDARY),
        "geometry_inside_city",
        "виходить за межі",
    ),
    (
        "tender id format",
        "t_budget_editor",
        "budget.project",
        lambda db: _project(tender_id="UA-2024-3-15-123-a"),
        "tender_id_format",
        "ProZorro",
    ),
    (
        "tender id date",
        "t_budget_editor",
        "budget.project",
        lambda db: _project(tender_id="UA-2023-02-30-000123-a"),
        "tender_id_format",
        "справжньою датою",
    ),
    ("КПКВК", "t_budget_editor", "budget.project", lambda db: _project(kpkvk="61102"), "kpkvk_format", "КПКВКМБ"),
    ("КЕКВ", "t_budget_editor", "budget.project", lambda db: _project(kekv="2240"), "kekv_code_known", "КЕКВ"),
    (
        "works period",
        "t_budget_editor",
        "budget.project",
        lambda db: _project(start_date="2024-06-01", end_date="2024-05-01"),
        "project_dates_order",
        "раніша",
    ),
    (
        "structure code",
        "t_advertising_editor",
        "advertising.structure",
        lambda db: _structure(structure_code="RK-1"),
        "structure_code_format",
        "РК-NNNNN",
    ),
    (
        "permit number",
        "t_advertising_editor",
        "advertising.permit",
        lambda db: _permit(_existing_structure(db), permit_number=" 123/2024"),
        "permit_number_format",
        "без пробілів на початку і в кінці",
    ),
    (
        "permit number longer than the city's numbering allows",
        "t_advertising_editor",
        "advertising.permit",
        lambda db: _permit(_existing_structure(db), permit_number="Дозвіл на розміщення зовнішньої реклами № 123/2019"),
        "permit_number_length",
        "довший за 30 знаків",
    ),
    (
        "permit valid-to before valid-from",
        "t_advertising_editor",
        "advertising.permit",
        lambda db: _permit(_existing_structure(db), valid_from="2024-05-01", valid_to="2023-05-01"),
        "permit_validity_order",
        "Строк дії дозволу",
    ),
    (
        "permit without distributor",
        "t_advertising_editor",
        "advertising.permit",
        lambda db: _permit(_existing_structure(db), distributor_edrpou=None),
        "permit_distributor_given",
        "розповсюджувача",
    ),
    (
        "KATOTTG",
        "t_admin_editor",
        "ref.district",
        lambda db: {"name_uk": "Богунський", "name_en": "Bohunskyi", "katottg": "UA1804047", "geom": square(size=100)},
        "katottg_format",
        "КАТОТТГ",
    ),
    (
        "house number",
        "t_admin_editor",
        "ref.address",
        lambda db: {"street_id": _existing_street(db), "house_number": "12-Б корпус", "geom": point()},
        "address_house_number_format",
        "Номер будинку",
    ),
]


def _existing_structure(db) -> int:
    return insert(db.connect("t_advertising_editor"), "advertising.structure", _structure(structure_code="РК-09999"))


def _existing_street(db) -> int:
    return insert(
        db.connect("t_admin_editor"),
        "ref.street",
        {
            "name_uk": "Київська",
            "name_en": "Kyivska",
            "street_type": "вулиця",
            "geom": f"MULTILINESTRING(({CENTRE[0]} {CENTRE[1]},{CENTRE[0] + 300} {CENTRE[1] + 10}))",
        },
    )


@pytest.mark.parametrize(
    ("user", "table", "make_row", "rule", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_value_refused_with_clear_message_and_nothing_written(db, user, table, make_row, rule, words):
    row = make_row(db)
    conn = db.connect(user)
    su = db.connect()
    rows_before = one(su, f"SELECT count(*) FROM {table}")[0]
    history_before = one(su, "SELECT count(*) FROM history.event")[0]
    with pytest.raises(psycopg2.errors.CheckViolation) as refused:
        insert(conn, table, row)
    error = refused.value
    assert error.diag.constraint_name == rule
    assert words in error.diag.message_primary
    assert error.diag.message_detail  # the English text
    assert "Traceback" not in error.pgerror
    assert one(su, f"SELECT count(*) FROM {table}")[0] == rows_before
    assert one(su, "SELECT count(*) FROM history.event")[0] == history_before


def test_refused_update_leaves_record_and_history_unchanged(db):
    ed, su = db.connect("t_property_editor"), db.connect()
    rid = insert(ed, "property.land_parcel", parcel(area_ha=0.5))
    history = one(su, "SELECT count(*) FROM history.event")[0]
    with pytest.raises(psycopg2.errors.CheckViolation):
        with ed.cursor() as cur:
            cur.execute(
                "UPDATE property.land_parcel SET area_ha = 1, geom = ST_GeomFromText(%s, 9836),"
                " version = version + 1 WHERE id = %s",
                (BOW_TIE, rid),
            )
    assert one(su, "SELECT area_ha::float, version FROM property.land_parcel WHERE id = %s", rid) == (0.5, 1)
    assert one(su, "SELECT count(*) FROM history.event")[0] == history


def test_wrong_coordinate_system_is_refused(db):
    ed = db.connect("t_property_editor")
    with pytest.raises(psycopg2.Error) as refused:
        with ed.cursor() as cur:
            cur.execute(
                "INSERT INTO property.land_parcel (cadastral_number, area_ha, land_use_code, ownership,"
                " lease_status, geom) VALUES ('1810100000:01:001:0001', 0.1, '02.01', 'communal', 'free',"
                " ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(28.6578, 50.2544), 4326), 0.0001)))"
            )
    assert "SRID" in refused.value.pgerror


def test_duplicate_cadastral_number_refused(db):
    ed = db.connect("t_property_editor")
    insert(ed, "property.land_parcel", parcel(cadastral_number="1810100000:05:005:0005"))
    with pytest.raises(psycopg2.errors.UniqueViolation) as refused:
        insert(ed, "property.land_parcel", parcel(cadastral_number="1810100000:05:005:0005"))
    assert refused.value.diag.constraint_name == "land_parcel_cadastral_number_unique"


def test_unknown_classifier_code_refused_naming_the_classifier_and_its_source(db):
    with pytest.raises(psycopg2.errors.CheckViolation) as refused:
        insert(db.connect("t_property_editor"), "property.land_parcel", parcel(land_use_code="99.99"))
    assert refused.value.diag.constraint_name == "land_use_code_known"
    assert refused.value.diag.message_primary == (
        "Коду «99.99» немає в класифікаторі «Вид цільового призначення земельної ділянки (КВЦПЗ)» (КВЦПЗ,"
        " додаток 59 до Порядку ведення ДЗК, постанова КМУ № 1051 від 17.10.2012 в редакції постанови № 821"
        " від 28.07.2021)"
    )


VALID_ROWS = {
    "property.land_parcel": ("t_property_editor", lambda db: parcel()),
    "property.property_object": (
        "t_property_editor",
        lambda db: {
            "balance_holder_edrpou": "04053625",
            "inventory_number": "10310001",
            "object_type": "building",
            "name_uk": "Адміністративна будівля",
            "use_code": "administrative",
            "total_area_m2": 1250.5,
            "floors": 4,
            "year_built": 1968,
            "lease_status": "own_use",
            "geom": square(size=30),
        },
    ),
    "investment.site": (
        "t_investment_editor",
        lambda db: {
            "site_code": "ІНВ-001",
            "name_uk": "Майданчик на вул. Промисловій",
            "name_en": "Promyslova st. site",
            "site_type": "brownfield",
            "offer_type": "lease",
            "area_ha": 2.4,
            "zone_code": "В-3",
            "ownership": "communal",
            "geom": square(size=150),
        },
    ),
    "planning.zoning_zone": (
        "t_planning_editor",
        lambda db: {
            "zone_code": "Ж-3",
            "zone_index": "Ж-3/1",
            "permitted_uses": "середньоповерхові житлові будинки",
            "council_decision": "Рішення міської ради № 1234",
            "decision_date": "2021-06-24",
            "geom": square(size=500),
        },
    ),
    "planning.functional_zone": ("t_planning_editor", lambda db: {"zone_type": "public", "geom": square(size=500)}),
    "planning.restriction_zone": (
        "t_planning_editor",
        lambda db: {
            "kind": "01.02",
            "name_uk": "Історичний ареал",
            "advertising_forbidden": True,
            "geom": square(size=800),
        },
    ),
    "advertising.structure": ("t_advertising_editor", lambda db: _structure()),
    "advertising.permit": ("t_advertising_editor", lambda db: _permit(_existing_structure(db))),
    "energy.building": (
        "t_energy_editor",
        lambda db: {
            "name_uk": "Житомирський ліцей № 25",
            "building_use": "school",
            "balance_holder_edrpou": "04053625",
            "address_text": "вул. Київська, 77",
            "heated_area_m2": 5400,
            "energy_class": "D",
            "geom": square(size=60),
        },
    ),
    "budget.project": ("t_budget_editor", lambda db: _project()),
    "ref.organisation": (
        "t_admin_editor",
        lambda db: {
            "edrpou": "04053625",
            "name_uk": "Житомирська міська рада",
            "org_type": "council",
            "email": "rada@zt-rada.gov.ua",
        },
    ),
}


@pytest.mark.parametrize("table", list(VALID_ROWS))
def test_valid_row_is_accepted_as_a_draft(db, table):
    user, make_row = VALID_ROWS[table]
    rid = insert(db.connect(user), table, make_row(db))
    assert one(db.connect(), f"SELECT status, version, created_by FROM {table} WHERE id = %s", rid) == (
        "draft",
        1,
        user,
    )


def test_optional_coded_values_may_be_left_empty(db):
    """A rule on an optional column applies to a value, not to its absence."""
    admin = db.connect("t_admin_editor")
    insert(
        admin, "ref.organisation", {"edrpou": "04053625", "name_uk": "Житомирська міська рада", "org_type": "council"}
    )
    insert(admin, "ref.address", {"street_id": _existing_street(db), "house_number": "4/2", "geom": point()})
    insert(db.connect("t_budget_editor"), "budget.project", _project(tender_id=None, contractor_edrpou=None))
