"""A feature created through each register's form configuration (the default
style stored in the database) is saved when valid, and refused with the
database's Ukrainian message when not, in the form and on commit."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CENTRE
from plugin_env import auth_manager, login, service_file, styled_db  # noqa: F401 - fixtures
from qgis.core import QgsFieldConstraints, QgsGeometry, QgsVectorLayer, QgsVectorLayerUtils
from qgis.PyQt.QtCore import QDate

from zhytomyr_gis import errors
from zhytomyr_gis.registers import REGISTERS, WORKFLOW_COLUMNS, Register
from zhytomyr_gis_plugin.connection import Connection
from zhytomyr_gis_plugin.layers import commit_report

X, Y = CENTRE
TODAY = dt.date(2024, 3, 15)


def square(dx: float, dy: float, size: float = 20) -> str:
    x, y = X + dx, Y + dy
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"


def parent_id(conn, table: str) -> int:
    with conn.cursor() as cur:
        cur.execute(f"SELECT max(id) FROM {table}")
        return cur.fetchone()[0]


# One valid record per register (registers listed parents first).
VALID = {
    "ref.city_boundary": (
        {
            "name_uk": "Житомирська міська територіальна громада",
            "name_en": "Zhytomyr",
            "katottg": "UA18040190000029215",
        },
        square(0, 0, 50),
    ),
    "ref.district": ({"name_uk": "Тестовий", "name_en": "Test", "katottg": "UA18040190010281147"}, square(100, 0)),
    "ref.street": (
        {"name_uk": "Тестова", "name_en": "Testova", "street_type": "вулиця"},
        f"MULTILINESTRING(({X} {Y},{X + 100} {Y + 10}))",
    ),
    "ref.address": (
        {"street_id": "PARENT:ref.street", "house_number": "12А", "postcode": "10014"},
        f"POINT({X + 5} {Y + 5})",
    ),
    "ref.organisation": (
        {
            "edrpou": "04053625",
            "name_uk": "Житомирська міська рада",
            "org_type": "council",
            "email": "rada@zt-rada.gov.ua",
        },
        None,
    ),
    "property.land_parcel": (
        {
            "cadastral_number": "1810100000:01:012:0345",
            "area_ha": 0.04,
            "land_use_code": "02.01",
            "ownership": "communal",
            "lease_status": "free",
            "lease_until": TODAY,
        },
        square(200, 0),
    ),
    "property.parcel_land": (
        {"parcel_id": "PARENT:property.land_parcel", "land_code": "002.02", "area_ha": 0.04},
        None,
    ),
    "property.parcel_lease": (
        {
            "parcel_id": "PARENT:property.land_parcel",
            "sublease": False,
            "lessee_edrpou": "04053625",
            "lessee_name": "ТОВ «Поліссяторг»",
            "area_ha": 0.04,
            "starts_on": TODAY,
            "expires_on": dt.date(2034, 3, 14),
            "registration": "№ 35123 від 2024-03-15",
        },
        None,
    ),
    "property.parcel_restriction": (
        {
            "parcel_id": "PARENT:property.land_parcel",
            "kind": "01.05",
            "cadastre_code": "01.05",
            "name_uk": "Охоронна зона навколо об'єкта енергетичної системи",
        },
        None,
    ),
    "property.property_object": (
        {
            "balance_holder_edrpou": "04053625",
            "inventory_number": "101-22",
            "object_type": "building",
            "name_uk": "Будівля",
            "use_code": "administrative",
            "total_area_m2": 250,
            "floors": 3,
            "lease_status": "free",
        },
        square(300, 0),
    ),
    "investment.site": (
        {
            "site_code": "ІНВ-001",
            "name_uk": "Ділянка",
            "name_en": "Site",
            "site_type": "greenfield",
            "offer_type": "sale",
            "area_ha": 1.5,
            "ownership": "communal",
        },
        square(400, 0),
    ),
    "planning.functional_zone": ({"zone_type": "residential_low"}, square(500, 0)),
    "planning.zoning_zone": (
        {
            "zone_code": "Ж-1",
            "zone_index": "Ж-1/1",
            "permitted_uses": "садибна забудова",
            "council_decision": "№ 1",
            "decision_date": TODAY,
            "max_height_m": 12,
        },
        square(600, 0),
    ),
    "planning.restriction_zone": ({"kind": "01.02", "name_uk": "Історичний ареал"}, square(700, 0)),
    "advertising.structure": (
        {
            "structure_code": "РК-00001",
            "structure_type": "billboard",
            "width_m": 6,
            "height_m": 3,
            "faces": 2,
            "address_text": "вул. Київська, 1",
        },
        f"POINT({X + 10} {Y + 800})",
    ),
    "advertising.permit": (
        {
            "structure_id": "PARENT:advertising.structure",
            "permit_number": "РД-2024-0157",
            "distributor_edrpou": "04053625",
            "decision_number": "№ 5",
            "issued_on": TODAY,
            "valid_from": TODAY,
            "valid_to": dt.date(2027, 3, 14),
            "permit_state": "valid",
        },
        None,
    ),
    "energy.building": (
        {
            "name_uk": "Школа № 1",
            "building_use": "school",
            "balance_holder_edrpou": "04053625",
            "address_text": "вул. Київська, 2",
            "heated_area_m2": 3200,
            "energy_class": "A",
            "certificate_number": "ЕС-2023-00001",
            "certificate_date": TODAY,
        },
        square(900, 0),
    ),
    "energy.consumption": ({"building_id": "PARENT:energy.building", "year": 2023, "heat_gcal": 540.5}, None),
    "energy.measure": (
        {"building_id": "PARENT:energy.building", "measure_type": "facade_insulation", "year": 2022, "cost_uah": 1e6},
        None,
    ),
    "budget.project": (
        {
            "title_uk": "Ремонт дороги",
            "object_name": "вул. Київська",
            "sector": "roads",
            "budget_year": 2024,
            "fund": "development",
            "kpkvk": "1517461",
            "kekv": "3110",
            "planned_uah": 1_000_000,
            "tender_id": "UA-2024-03-15-000123-a",
            "project_status": "planned",
        },
        f"POINT({X + 20} {Y + 1000})",
    ),
    "budget.payment": (
        {"project_id": "PARENT:budget.project", "paid_on": TODAY, "amount_uah": 1000, "document": "п/д № 1"},
        None,
    ),
}

# One mistake per register: (field, bad value, the Ukrainian words the form and the database show).
INVALID = {
    "ref.city_boundary": ("katottg", "UA123", "Код КАТОТТГ"),
    "ref.district": ("katottg", "18040470010021316", "Код КАТОТТГ"),
    "ref.street": ("street_type", None, None),
    "ref.address": ("postcode", "20001", "Поштовий індекс"),
    "ref.organisation": ("edrpou", "04053626", "Код ЄДРПОУ"),
    "property.land_parcel": ("cadastral_number", "1810100000:1:012:0345", "Кадастровий номер"),
    "property.parcel_land": ("area_ha", 0, "Площа угіддя, га: значення"),
    "property.parcel_lease": ("lessee_edrpou", "04053626", "Код ЄДРПОУ"),
    "property.parcel_restriction": ("name_uk", None, None),
    "property.property_object": ("total_area_m2", 0.5, "Загальна площа, м²: значення"),
    "investment.site": ("site_code", "INV-1", "Код інвестиційного об'єкта"),
    "planning.functional_zone": ("zone_type", None, None),
    "planning.zoning_zone": ("max_height_m", 300, "Гранична висота, м: значення"),
    "planning.restriction_zone": ("name_uk", None, None),
    "advertising.structure": ("faces", 7, "Кількість сторін: значення"),
    "advertising.permit": ("permit_number", "Дозвіл на розміщення зовнішньої реклами № 123/2019", "Номер дозволу"),
    "energy.building": ("heated_area_m2", 5, "Опалювана площа, м²: значення"),
    "energy.consumption": ("year", 2005, "Рік: значення"),
    "energy.measure": ("expected_saving_pct", 120, "Очікувана економія, %: значення"),
    "budget.project": ("tender_id", "UA-2024-02-30-000123-a", "ідентифікатором ProZorro"),
    "budget.payment": ("amount_uah", 0, "Сума платежу, грн: значення"),
}


def editor_of(register: Register) -> str:
    return "t_admin_editor" if register.department == "admin" else f"t_{register.department}_editor"


def open_layer(register: Register) -> QgsVectorLayer:
    login(editor_of(register))
    connection = Connection.from_settings()
    uri = connection.layer_uri(register.schema, register.name, register.geometry)
    layer = QgsVectorLayer(uri, register.title_uk, "postgres")
    assert layer.isValid(), layer.error().summary()
    return layer


def new_feature(layer, register, values, wkt, su):
    attributes = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            value = QDate(value.year, value.month, value.day)
        if isinstance(value, str) and value.startswith("PARENT:"):
            value = parent_id(su, value.split(":", 1)[1])
        attributes[layer.fields().indexOf(name)] = value
    geometry = QgsGeometry.fromWkt(wkt) if wkt else QgsGeometry()
    return QgsVectorLayerUtils.createFeature(layer, geometry, attributes)


def form_errors(layer, feature) -> list[str]:
    """What the form shows for the hard constraints of the fields a clerk fills in."""
    found = []
    for index, field in enumerate(layer.fields()):
        if field.name() in WORKFLOW_COLUMNS or field.name() == "id":
            continue
        ok, messages = QgsVectorLayerUtils.validateAttribute(
            layer, feature, index, QgsFieldConstraints.ConstraintStrengthHard
        )
        if not ok:
            found += messages
    return found


def test_every_register_form_saves_valid_and_refuses_invalid(styled_db):
    su = styled_db.connect()
    assert set(VALID) == {r.table for r in REGISTERS}
    for register in REGISTERS:
        values, wkt = VALID[register.table]
        layer = open_layer(register)
        assert layer.attributeAlias(layer.fields().indexOf(next(iter(values)))), "default style from the database"

        field, bad, words = INVALID[register.table]
        wrong = new_feature(layer, register, {**values, field: bad}, wkt, su)
        shown = form_errors(layer, wrong)
        assert shown, (register.table, "the form accepted", field, bad)
        if words:
            assert any(words in message for message in shown), (register.table, shown)
            # Committed anyway, the database refuses it with the same Ukrainian words.
            layer.startEditing()
            assert layer.addFeature(wrong)
            assert not layer.commitChanges()
            problem = commit_report.failure(layer)
            assert problem is not None and problem.kind == "rule", (register.table, layer.commitErrors())
            assert words in problem.message_uk, problem
            layer.rollBack()

        feature = new_feature(layer, register, values, wkt, su)
        assert form_errors(layer, feature) == [], register.table
        layer.startEditing()
        assert layer.addFeature(feature)
        assert layer.commitChanges(), (register.table, layer.commitErrors())
        with su.cursor() as cur:
            cur.execute(f"SELECT count(*), min(status), min(created_by) FROM {register.table}")
            count, status, author = cur.fetchone()
        expected = 2 if register.table == "ref.city_boundary" else 1
        assert (count, status) == (expected, "draft"), register.table
        assert author in (editor_of(register), "t_admin_editor")


def test_unique_violation_explained_in_ukrainian():
    text = [
        "ERROR: 1 feature(s) not added.",
        "PostGIS error while adding features: ERROR:  duplicate key value violates unique constraint"
        ' "land_parcel_cadastral_number_unique"\n    DETAIL:  Key (cadastral_number)=(1810100000:01:012:0345) already exists.',
    ]
    problem = errors.explain_qgis(text, {"cadastral_number": "Кадастровий номер"})
    assert problem.kind == "unique"
    assert "«1810100000:01:012:0345» (Кадастровий номер) вже є в реєстрі" in problem.message_uk


@pytest.mark.parametrize("text,kind", [("ERROR:  duplicate key value violates unique constraint", "unique")])
def test_commit_text_is_classified(text, kind):
    assert errors.explain_qgis([text]).kind == kind


# The real inputs the state's rules must take or refuse (register, changed values, refused words or None).
REAL_INPUTS = [
    ("property.land_parcel", {"cadastral_number": "1810136300:11:003:0001"}, None),  # a Богунський parcel
    ("property.land_parcel", {"cadastral_number": "1810136600:01:001:0002", "land_use_code": "12.13"}, None),
    ("property.land_parcel", {"cadastral_number": "1810100000:01:001:0003", "land_use_code": "07.08"}, None),
    ("property.land_parcel", {"cadastral_number": "3210100000:01:001:0004"}, "коди громади: 1810100000, 1810136300"),
    ("ref.district", {"name_uk": "Інший", "katottg": "UA18040470010021315"}, "коди громади: UA18040190000029215"),
    ("budget.project", {"title_uk": "Діалог", "tender_id": "UA-2024-03-15-000123-a.2"}, None),
    ("budget.project", {"title_uk": "До 2017", "tender_id": "UA-2016-06-14-000082"}, None),
    ("budget.project", {"title_uk": "КЕКВ", "kekv": "3131"}, None),
    ("budget.project", {"title_uk": "Реставрація", "kekv": "3143"}, None),
    ("budget.project", {"title_uk": "Без виконавця", "kpkvk": "1507461"}, "Код КПКВКМБ"),
    ("budget.project", {"title_uk": "Нулі", "kpkvk": "0000000"}, "Код КПКВКМБ"),
    ("advertising.permit", {"permit_number": "123/2019"}, None),
    ("advertising.permit", {"permit_number": "124/2019", "distributor_edrpou": None, "distributor_passport": "АБ123456"},
     None),  # a sole trader who refused the РНОКПП
    ("ref.address", {"house_number": "50-а"}, None),
    ("ref.address", {"house_number": "12/1"}, None),
    ("ref.address", {"house_number": "12 корп. 2"}, None),
]  # fmt: skip


def test_the_real_inputs_are_taken_or_refused_by_the_form_and_the_database(styled_db):
    su = styled_db.connect()
    for parent in ("ref.street", "advertising.structure"):
        register = next(r for r in REGISTERS if r.table == parent)
        layer = open_layer(register)
        layer.startEditing()
        assert layer.addFeature(new_feature(layer, register, *VALID[parent], su))
        assert layer.commitChanges(), layer.commitErrors()
    for table, changes, refused in REAL_INPUTS:
        register = next(r for r in REGISTERS if r.table == table)
        values, wkt = VALID[table]
        layer = open_layer(register)
        feature = new_feature(layer, register, {**values, **changes}, wkt, su)
        shown = form_errors(layer, feature)
        layer.startEditing()
        assert layer.addFeature(feature)
        saved = layer.commitChanges()
        if refused is None:
            assert shown == [], (table, changes, shown)
            assert saved, (table, changes, layer.commitErrors())
        else:
            assert any(refused in message for message in shown), (table, changes, shown)
            assert not saved, (table, changes)
            problem = commit_report.failure(layer)
            assert problem is not None and refused in problem.message_uk, (table, changes, problem)
            layer.rollBack()
