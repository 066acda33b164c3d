"""What the portal tests publish on top of the server tests' small city.

The shared city (tests/server/seed.py) gives the map layers; the thematic
views need more: permits of the advertising structures, yearly consumption
of an energy building, budget projects in both districts and several years,
investment sites with terms and contact. Everything enters through the
workflow, as the departments' users.
"""

from __future__ import annotations

import datetime

from conftest import CENTRE
from factories import approve
from server import seed as city

# Known values the tests look for on the pages.
PERMIT_NUMBER = "РД-2024-0157"
PARCEL_CADASTRAL = "1810100000:01:001:0006"  # sixth parcel of the shared city
PARCEL_OFFSET = (-480 + 1 * 120 + 50, 40 + 1 * 120 + 50)  # its centre (dx, dy from CENTRE)
ADDRESS_STREET = "Київська"
ADDRESS_HOUSE = "3"
ADDRESS_OFFSET = (100 + 2 * 60, 25)  # address point «Київська, 3»
BUDGET_TITLE = "Реконструкція скверу на Київській"
BUDGET_OFFSET = (320, -150)
BUDGET_PLANNED = 4_750_000
CONSUMPTION_YEARS = (2019, 2020, 2021, 2022, 2023)
INVESTMENT_CONTACT = "invest@zt-rada.gov.ua"


def permits(structure_ids: list[int]) -> list[dict]:
    """One permit per structure: valid, expiring soon, expired, annulled, ..."""
    today = datetime.date.today()
    rows = []
    for n, structure_id in enumerate(structure_ids):
        valid_to = today + datetime.timedelta(days=[400, 30, -60, 200, 700, -5, 90][n % 7])
        rows.append(
            {
                "structure_id": structure_id,
                "permit_number": PERMIT_NUMBER if n == 0 else f"РД-2024-{n + 200:04d}",
                "distributor_edrpou": "32855961",
                "distributor_name": "ТОВ «Житомир-Реклама»",
                "decision_number": f"Рішення виконкому № {300 + n}",
                "issued_on": (valid_to - datetime.timedelta(days=5 * 365)).isoformat(),
                "valid_from": (valid_to - datetime.timedelta(days=5 * 365)).isoformat(),
                "valid_to": valid_to.isoformat(),
                "permit_state": "annulled" if n == 3 else ("expired" if valid_to < today else "valid"),
                "fee_uah_month": 1200 + 100 * n,
            }
        )
    return rows


def consumption(building_id: int) -> list[dict]:
    """A falling heat demand after insulation: the trend the energy view draws."""
    return [
        {
            "building_id": building_id,
            "year": year,
            "heat_gcal": 820 - 95 * n,
            "electricity_kwh": 61000 - 2500 * n,
            "gas_m3": 0,
            "water_m3": 2100 + 20 * n,
            "cost_uah": 2_150_000 - 180_000 * n,
        }
        for n, year in enumerate(CONSUMPTION_YEARS)
    ]


def budget_projects(district_ids: list[int]) -> list[dict]:
    """Projects in both districts and three years, so that sums per district and year differ."""
    rows = []
    for n, (year, status, planned) in enumerate(
        [(2023, "completed", 1_200_000), (2024, "in_progress", BUDGET_PLANNED), (2025, "planned", 900_000)]
    ):
        rows.append(
            {
                "title_uk": BUDGET_TITLE if n == 1 else f"Ремонт тротуару № {n + 1}",
                "object_name": "Сквер на Київській" if n == 1 else f"Тротуар № {n + 1}",
                "sector": "parks" if n == 1 else "roads",
                "budget_year": year,
                "district_id": district_ids[1],
                "address_text": "вул. Київська",
                "fund": "development",
                "kpkvk": "1217461",
                "kfkvk": "0456",  # roads (ТПКВКМБ 7461)
                "kekv": "3142",
                "planned_uah": planned,
                "actual_uah": planned * 0.6 if status != "planned" else None,
                "contractor_edrpou": "32855961",
                "contractor_name": "ТОВ «Житомирбуд»",
                "tender_id": f"UA-{year}-02-10-00{n + 1}456-a",
                "project_status": status,
                "geom": city._point(
                    BUDGET_OFFSET[0] + (n - 1) * 150, BUDGET_OFFSET[1]
                ),  # the titled one at BUDGET_OFFSET
            }
        )
    return rows


def investment_terms() -> dict:
    return {
        "terms_uk": "Оренда на 49 років через аукціон; стартова ціна — 1 % нормативної оцінки на рік.",
        "terms_en": "49-year lease at auction; starting rent 1% of the normative value a year.",
        "contact_department": "Департамент економічного розвитку",
        "contact_email": INVESTMENT_CONTACT,
        "contact_phone": "+380 412 47 46 30",
        "price_uah": 1_500_000,
        "electricity_kw": 250,
        "has_water": True,
        "has_gas": True,
        "road_access": True,
    }


def update_published(dsn_of, table: str, record_id: int, values: dict) -> None:
    """Change a published record as its editor (stating the version read) and approve the change."""
    import psycopg2

    editor_name, verifier_name = city.users_of(table)
    editor = psycopg2.connect(dsn_of(editor_name))
    verifier = psycopg2.connect(dsn_of(verifier_name))
    try:
        with editor, editor.cursor() as cur:
            cur.execute(f"SELECT version FROM {table} WHERE id = %s", (record_id,))
            version = cur.fetchone()[0]
            sets = ", ".join(f"{c} = %s" for c in values)
            cur.execute(
                f"UPDATE {table} SET {sets}, version = %s WHERE id = %s", [*values.values(), version + 1, record_id]
            )
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (table, [record_id]))
        with verifier:
            approve(verifier, table, [record_id])
    finally:
        editor.close()
        verifier.close()


def seed(dsn_of) -> dict[str, list[int]]:
    """Publish the shared small city and the portal's additions; ids by table."""
    ids = city.seed(dsn_of).ids
    if "ref.address" not in ids:  # the shared city had no addresses yet
        ids["ref.address"] = city.publish(dsn_of, "ref.address", addresses(ids["ref.street"][0]))
    ids["advertising.permit"] = city.publish(dsn_of, "advertising.permit", permits(ids["advertising.structure"]))
    ids["energy.consumption"] = city.publish(dsn_of, "energy.consumption", consumption(ids["energy.building"][0]))
    ids["budget.project"] += city.publish(dsn_of, "budget.project", budget_projects(ids["ref.district"]))
    update_published(dsn_of, "investment.site", ids["investment.site"][0], investment_terms())
    return ids


def addresses(street_id: int) -> list[dict]:
    """House numbers 1..5 along the first street (as the server tests' city has them)."""
    return [
        {"street_id": street_id, "house_number": str(n + 1), "postcode": "10014", "geom": city._point(100 + n * 60, 25)}
        for n in range(5)
    ]


def absolute(offset: tuple[float, float]) -> tuple[float, float]:
    """EPSG:9836 coordinates (x easting, y northing) of an offset from the centre."""
    return CENTRE[0] + offset[0], CENTRE[1] + offset[1]
