"""Valid rows for every register (inside the tests' 6 km city), and ways to
put a record where the constraints would not let it go.

Positions are offsets in metres from the city centre; each factory takes
``at=(dx, dy)`` so that tests place records apart (or together) on purpose.
"""

from __future__ import annotations

import json
from itertools import count

from conftest import CENTRE
from factories import approve, call, insert

_serial = count(1)

HALF = 3000  # the tests' city is the square CENTRE ± 3000 m
EDITOR = {
    "ref": "t_admin_editor",
    "property": "t_property_editor",
    "investment": "t_investment_editor",
    "planning": "t_planning_editor",
    "advertising": "t_advertising_editor",
    "energy": "t_energy_editor",
    "budget": "t_budget_editor",
}
VERIFIER = {k: v.replace("_editor", "_verifier") for k, v in EDITOR.items()}


def rect(x0: float, y0: float, x1: float, y1: float) -> str:
    """A rectangle given by offsets from the centre, as MULTIPOLYGON WKT."""
    cx, cy = CENTRE
    a, b, c, d = cx + x0, cy + y0, cx + x1, cy + y1
    return f"MULTIPOLYGON((({a} {b},{c} {b},{c} {d},{a} {d},{a} {b})))"


def square(at=(0, 0), size: float = 20) -> str:
    return rect(at[0], at[1], at[0] + size, at[1] + size)


def point(at=(0, 0)) -> str:
    return f"POINT({CENTRE[0] + at[0]} {CENTRE[1] + at[1]})"


def line(at=(0, 0), length: float = 100) -> str:
    x, y = CENTRE[0] + at[0], CENTRE[1] + at[1]
    return f"MULTILINESTRING(({x} {y},{x + length} {y}))"


def n() -> int:
    return next(_serial)


# KATOTTG of the hromada and the city's districts (Кодифікатор, наказ Мінрегіону № 290 від 26.11.2020).
HROMADA = "UA18040190000029215"
BOHUNSKYI = "UA18040190010115253"
KOROLOVSKYI = "UA18040190010281147"


def district(at=(0, 0), **kw) -> dict:
    return {
        "name_uk": f"Район {n()}",
        "name_en": "District",
        "katottg": BOHUNSKYI,
        "geom": square(at, 500),
    } | kw


def street(at=(0, 0), **kw) -> dict:
    return {"name_uk": f"Тестова {n()}", "name_en": "Test", "street_type": "вулиця", "geom": line(at)} | kw


def address(street_id: int, at=(0, 0), **kw) -> dict:
    return {"street_id": street_id, "house_number": str(n()), "postcode": "10014", "geom": point(at)} | kw


def organisation(**kw) -> dict:
    return {
        "edrpou": "04053625",
        "name_uk": "Житомирська міська рада",
        "org_type": "council",
        "email": "rada@zt-rada.gov.ua",
    } | kw


def parcel(at=(0, 0), size: float = 20, **kw) -> dict:
    i = n()
    return {
        "cadastral_number": f"1810100000:02:{i // 10000:03d}:{i % 10000:04d}",
        "area_ha": 0.04,
        "land_use_code": "02.01",
        "ownership": "communal",
        "lease_status": "free",
        "balance_holder_edrpou": "04053625",
        "geom": square(at, size),
    } | kw


def property_object(at=(0, 0), **kw) -> dict:
    return {
        "balance_holder_edrpou": "04053625",
        "inventory_number": f"INV-{n()}",
        "object_type": "building",
        "name_uk": "Адміністративна будівля",
        "use_code": "administrative",
        "total_area_m2": 350,
        "lease_status": "own_use",
        "geom": square(at, 15),
    } | kw


def site(at=(0, 0), **kw) -> dict:
    return {
        "site_code": f"ІНВ-{n() % 1000:03d}",
        "name_uk": "Ділянка для інвестора",
        "name_en": "Investment site",
        "site_type": "greenfield",
        "offer_type": "lease",
        "area_ha": 1.0,
        "ownership": "communal",
        "geom": square(at, 100),
    } | kw


def functional_zone(geom: str, **kw) -> dict:
    return {"zone_type": "residential_low", "geom": geom} | kw


def zoning_zone(geom: str, **kw) -> dict:
    return {
        "zone_code": "Ж-1",
        "zone_index": f"Ж-1/{n()}",
        "permitted_uses": "садибна житлова забудова",
        "council_decision": "рішення № 1",
        "decision_date": "2023-05-18",
        "geom": geom,
    } | kw


def restriction_zone(geom: str, **kw) -> dict:
    return {"kind": "01.02", "name_uk": "Історичний ареал", "advertising_forbidden": True, "geom": geom} | kw


def structure(at=(0, 0), **kw) -> dict:
    return {
        "structure_code": f"РК-{n():05d}",
        "structure_type": "billboard",
        "width_m": 6,
        "height_m": 3,
        "address_text": "вул. Київська, 10",
        "geom": point(at),
    } | kw


def permit(structure_id: int, **kw) -> dict:
    return {
        "structure_id": structure_id,
        "permit_number": f"РД-2024-{n():04d}",
        "distributor_edrpou": "32855961",
        "decision_number": "№ 145",
        "issued_on": "2024-02-01",
        "valid_from": "2024-02-01",
        "valid_to": "2029-01-31",
    } | kw


def parcel_lease(parcel_id: int, **kw) -> dict:
    return {
        "parcel_id": parcel_id,
        "lessee_edrpou": "04053625",
        "lessee_name": "ТОВ «Поліссяторг»",
        "area_ha": 0.04,
        "starts_on": "2020-01-01",
        "expires_on": "2030-12-31",
        "registration": f"№ {n()} від 2020-01-15",
    } | kw


def building(at=(0, 0), **kw) -> dict:
    return {
        "name_uk": "Ліцей № 25",
        "building_use": "school",
        "balance_holder_edrpou": "04053625",
        "address_text": "вул. Велика Бердичівська, 25",
        "heated_area_m2": 1000,
        "energy_class": "D",
        "certificate_number": "ЕС-2023-00017",
        "certificate_date": "2023-03-01",
        "specific_energy_kwh_m2": 150,
        "geom": square(at, 40),
    } | kw


def consumption(building_id: int, year: int = 2023, **kw) -> dict:
    # 129 Gcal = 150 kWh/m² on 1000 m²: class D
    return {"building_id": building_id, "year": year, "heat_gcal": 129, "electricity_kwh": 40000} | kw


def measure(building_id: int, **kw) -> dict:
    return {"building_id": building_id, "measure_type": "roof_insulation", "year": 2022, "cost_uah": 500000} | kw


def project(at=(0, 0), **kw) -> dict:
    return {
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
        "tender_id": f"UA-2024-03-15-{n():06d}-a",
        "project_status": "completed",
        "geom": point(at),
    } | kw


def payment(project_id: int, **kw) -> dict:
    return {"project_id": project_id, "paid_on": "2024-06-01", "amount_uah": 100000, "document": "п/д 17"} | kw


def department_of(table: str) -> str:
    return table.split(".")[0]


def add(db, table: str, row: dict) -> int:
    """Insert a row as the department's editor; returns its id."""
    return insert(db.connect(EDITOR[department_of(table)]), table, row)


def submit(db, table: str, ids: list[int], note: str | None = None) -> None:
    call(db.connect(EDITOR[department_of(table)]), "submit", table, ids, note)


def publish(db, table: str, *rows: dict) -> list[int]:
    """Insert, submit and approve rows (through the workflow); returns their ids."""
    ids = [add(db, table, row) for row in rows]
    submit(db, table, ids)
    approve(db.connect(VERIFIER[department_of(table)]), table, ids)
    return ids


def force(db, sql: str, *params) -> None:
    """Write as the database owner around triggers (a legacy import, say):
    the way data the constraints never saw gets into a register."""
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        cur.execute("RESET session_replication_role")


def drop_constraint(db, table: str, constraint: str) -> None:
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")


def configure(db, table: str, row: dict, reason: str = "налаштування міста") -> None:
    """Change configuration the way administrators do: one requests, another approves."""
    with db.connect("t_admin_editor").cursor() as cur:
        cur.execute("SELECT workflow.request_configuration(%s, %s::jsonb, %s)", (table, json.dumps(row), reason))
        (request,) = cur.fetchone()
    with db.connect("t_admin_verifier").cursor() as cur:
        cur.execute("SELECT workflow.decide_configuration(%s, true)", (request,))


def city_permit_numbering(db, pattern: str = "^РД-[0-9]{4}-[0-9]{4}$", example: str = "РД-2024-0157") -> None:
    """The city's numbering of advertising permits (a setting: the law sets no format)."""
    configure(db, "verification.text_setting", {"key": "permit_number_pattern", "value": pattern})
    configure(db, "verification.text_setting", {"key": "permit_number_example", "value": example})
