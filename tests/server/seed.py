"""A small published city for the server tests, entered through the workflow.

Every register that a project shows gets a few records near the centre:
an editor inserts and submits them, a verifier of the same department
approves them, exactly as the departments do. The layout is fixed, so the
maps it draws can be compared with reference images.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg2
from conftest import CENTRE
from factories import approve

CX, CY = CENTRE


def _square(dx: float, dy: float, size: float, height: float | None = None) -> str:
    x, y = CX + dx, CY + dy
    h = size if height is None else height
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + h},{x} {y + h},{x} {y})))"


def _point(dx: float, dy: float) -> str:
    return f"POINT({CX + dx} {CY + dy})"


def _line(*points: tuple[float, float]) -> str:
    return "MULTILINESTRING((" + ",".join(f"{CX + dx} {CY + dy}" for dx, dy in points) + "))"


LEASE = ["own_use", "leased", "permanent_use", "free", "privatisation", "private"]
ZONES = ["Ж-1", "Ж-3", "Г-1", "Р-2", "В-3", "ТР-1"]
FUNCTIONAL = ["residential_low", "residential_multi", "public", "industrial", "recreational", "water"]
STRUCTURES = ["billboard", "citylight", "backlight", "led_screen", "pillar", "wall", "roof"]
ENERGY = ["A", "B", "C", "D", "E", "F", "G"]
STATUSES = ["planned", "tender", "in_progress", "completed", "suspended", "cancelled"]


def rows() -> dict[str, list[dict]]:
    """The records to publish, by register table (geometry as WKT in EPSG:9836)."""
    data: dict[str, list[dict]] = {
        "ref.district": [
            {
                "name_uk": "Корольовський",
                "name_en": "Korolovskyi",
                "katottg": "UA18040190010281147",
                "geom": _square(-2999, -2999, 2999, 5998),
            },
            {
                "name_uk": "Богунський",
                "name_en": "Bohunskyi",
                "katottg": "UA18040190010115253",
                "geom": _square(0, -2999, 2999, 5998),
            },
        ],
        "ref.street": [
            {
                "name_uk": "Київська",
                "name_en": "Kyivska",
                "street_type": "вулиця",
                "geom": _line((-600, 10), (600, 10)),
            },
            {"name_uk": "Миру", "name_en": "Myru", "street_type": "проспект", "geom": _line((5, -600), (5, 600))},
        ],
    }
    data["property.land_parcel"] = [
        {
            "cadastral_number": f"1810100000:01:001:{n + 1:04d}",
            "area_ha": 0.64,
            "land_use_code": "03.15",
            "ownership": "communal",
            "lease_status": LEASE[n % len(LEASE)],
            "balance_holder_edrpou": "04053625",
            "address_text": f"вул. Київська, {n + 1}",
            "user_person_name": "Петренко Петро Петрович" if n == 1 else None,
            "geom": _square(-480 + (n % 4) * 120, 40 + (n // 4) * 120, 100),
        }
        for n in range(12)
    ]
    data["property.property_object"] = [
        {
            "balance_holder_edrpou": "04053625",
            "inventory_number": f"1031000{n + 1}",
            "object_type": "building",
            "name_uk": f"Адміністративна будівля № {n + 1}",
            "use_code": "administrative",
            "total_area_m2": 1250.5,
            "floors": 4,
            "lease_status": LEASE[n],
            "lessee_person_name": "Іваненко Іван Іванович" if n == 1 else None,
            "geom": _square(-460 + n * 120, 60, 40),
        }
        for n in range(3)
    ]
    data["investment.site"] = [
        {
            "site_code": f"ІНВ-00{n + 1}",
            "name_uk": f"Інвестиційний майданчик {n + 1}",
            "name_en": f"Investment site {n + 1}",
            "site_type": kind,
            "offer_type": "lease",
            "area_ha": 4.0,
            "ownership": "communal",
            "geom": _square(60 + n * 180, 60, 160),
        }
        for n, kind in enumerate(["greenfield", "brownfield", "building"])
    ]
    data["planning.functional_zone"] = [
        {"zone_type": kind, "name_uk": f"Зона {n + 1}", "geom": _square(-600 + n * 200, -600, 200, 560)}
        for n, kind in enumerate(FUNCTIONAL)
    ]
    data["planning.zoning_zone"] = [
        {
            "zone_code": code,
            "zone_index": f"{code}/{n + 1}",
            "permitted_uses": "згідно з планом зонування",
            "max_height_m": 21,
            "council_decision": "Рішення міської ради № 1234",
            "decision_date": "2021-06-24",
            "geom": _square(-600 + n * 200, -600, 200, 560),
        }
        for n, code in enumerate(ZONES)
    ]
    data["planning.restriction_zone"] = [
        {
            "kind": "01.02",
            "name_uk": "Історичний ареал",
            "advertising_forbidden": True,
            "geom": _square(-300, -300, 300),
        },
    ]
    data["advertising.structure"] = [
        {
            "structure_code": f"РК-0000{n + 1}",
            "structure_type": kind,
            "width_m": 6,
            "height_m": 3,
            "faces": 2,
            "address_text": f"вул. Київська, {n + 20}",
            "geom": _point(-450 + n * 150, -40),
        }
        for n, kind in enumerate(STRUCTURES)
    ]
    data["energy.building"] = [
        {
            "name_uk": f"Житомирський ліцей № {n + 1}",
            "building_use": "school",
            "balance_holder_edrpou": "04053625",
            "address_text": f"вул. Київська, {n + 40}",
            "heated_area_m2": 5400,
            "energy_class": cls,
            "certificate_number": f"ЕС-2023-{n + 1:05d}",
            "certificate_date": "2023-03-01",
            "geom": _square(-480 + n * 140, -250, 90),
        }
        for n, cls in enumerate(ENERGY)
    ]
    data["budget.project"] = [
        {
            "title_uk": f"Капітальний ремонт ліцею № {n + 1}",
            "object_name": f"Ліцей № {n + 1}",
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
            "project_status": status,
            "geom": _point(-450 + n * 170, -450),
        }
        for n, status in enumerate(STATUSES)
    ]
    return data


DEPARTMENT = {
    "ref": "admin",
    "property": "property",
    "investment": "investment",
    "planning": "planning",
    "advertising": "advertising",
    "energy": "energy",
    "budget": "budget",
}


def users_of(table: str) -> tuple[str, str]:
    dept = DEPARTMENT[table.split(".")[0]]
    return f"t_{dept}_editor", f"t_{dept}_verifier"


@dataclass
class Seeded:
    ids: dict[str, list[int]] = field(default_factory=dict)


def insert(conn, table: str, row: dict) -> int:
    cols = [c for c, v in row.items() if v is not None]
    values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) RETURNING id", [row[c] for c in cols])
        return cur.fetchone()[0]


def publish(dsn_of, table: str, table_rows: list[dict]) -> list[int]:
    """Insert as the department's editor, submit, approve as its verifier."""
    editor_name, verifier_name = users_of(table)
    editor = psycopg2.connect(dsn_of(editor_name))
    verifier = psycopg2.connect(dsn_of(verifier_name))
    try:
        with editor, editor.cursor() as cur:
            ids = [insert(editor, table, row) for row in table_rows]
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (table, ids))
        with verifier:
            approve(verifier, table, ids)
        return ids
    finally:
        editor.close()
        verifier.close()


def addresses(street_id: int) -> list[dict]:
    return [
        {"street_id": street_id, "house_number": str(n + 1), "postcode": "10014", "geom": _point(100 + n * 60, 25)}
        for n in range(5)
    ]


# Centre of the first published record of each table (dx, dy from CENTRE):
# where GetFeatureInfo finds it.
PROBES = {
    "ref.city_boundary": (-2500, -2500),
    "ref.district": (-1500, 0),
    "ref.street": (300, 10),
    "ref.address": (100, 25),
    "property.land_parcel": (-430, 90),
    "property.property_object": (-440, 80),
    "investment.site": (140, 140),
    "planning.functional_zone": (-500, -320),
    "planning.zoning_zone": (-500, -320),
    "planning.restriction_zone": (-150, -150),
    "advertising.structure": (-450, -40),
    "energy.building": (-435, -205),
    "budget.project": (-450, -450),
}


def seed(dsn_of) -> Seeded:
    """Publish the whole small city; ``dsn_of(user)`` gives a login DSN."""
    seeded = Seeded()
    for table, table_rows in rows().items():
        seeded.ids[table] = publish(dsn_of, table, table_rows)
        if table == "ref.street":
            seeded.ids["ref.address"] = publish(dsn_of, "ref.address", addresses(seeded.ids[table][0]))
    return seeded
