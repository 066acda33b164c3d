"""A small, plausible piece of central Zhytomyr for the screenshots: two
districts, a few real streets, addresses, approved land parcels, and the
advertising department's structures and permits in every workflow state
(published, submitted, rejected with the reviewer's reason, drafts).
Entered as the departments' users through the workflow, like real work."""

from __future__ import annotations

from conftest import CENTRE
from register_rows import city_permit_numbering

from zhytomyr_gis_plugin.layers import styles

X0, Y0 = CENTRE
# The part of the city the workspace screenshot shows (EPSG:9836, x = easting).
EXTENT = (X0 - 650, Y0 - 420, X0 + 650, Y0 + 420)

STREETS = [  # name, type, points relative to the centre
    ("Київська", "вулиця", [(-900, 40), (-300, 20), (300, 0), (900, -30)]),
    ("Велика Бердичівська", "вулиця", [(-20, 0), (-60, -300), (-120, -700)]),
    ("Михайлівська", "вулиця", [(-320, 20), (-300, 350), (-280, 700)]),
    ("Покровська", "вулиця", [(320, 0), (340, 340), (360, 700)]),
    ("Перемоги", "вулиця", [(-900, 330), (-300, 340), (340, 340), (900, 350)]),
    ("Театральна", "вулиця", [(-900, -280), (-60, -300), (900, -320)]),
    ("Корольова", "майдан", [(-20, 0), (20, 180), (-20, 340)]),
]
BLOCKS = [(-600, 60), (-260, 60), (60, 60), (380, 40), (-600, -250), (-260, -250), (60, -270), (380, -270)]
STRUCTURES = [  # code, type, position, state
    ("РК-00001", "billboard", (-520, 35), "verified"),
    ("РК-00002", "citylight", (-200, 30), "verified"),
    ("РК-00003", "billboard", (140, 15), "verified"),
    ("РК-00004", "led_screen", (-35, -150), "verified"),
    ("РК-00005", "citylight", (-310, 200), "verified"),
    ("РК-00006", "backlight", (330, 200), "verified"),
    ("РК-00007", "pillar", (-500, 345), "submitted"),
    ("РК-00008", "billboard", (520, 350), "submitted"),
    ("РК-00009", "citylight", (160, -305), "rejected"),
    ("РК-00010", "billboard", (-560, -285), "draft"),
    ("РК-00011", "wall", (600, -10), "draft"),
]
REJECTION = "Відстань до РК-00004 менша за 50 м: перенесіть конструкцію або обґрунтуйте розміщення"
FEATURED = "РК-00003"  # the structure whose form is shown, with two permits


def _square(dx: float, dy: float, w: float, h: float) -> str:
    x, y = X0 + dx, Y0 + dy
    return f"MULTIPOLYGON((({x} {y},{x + w} {y},{x + w} {y + h},{x} {y + h},{x} {y})))"


def _insert(cur, table: str, row: dict) -> int:
    cols = list(row)
    values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
    cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) RETURNING id", [row[c] for c in cols])
    return cur.fetchone()[0]


def _workflow(cur, function: str, table: str, ids: list[int], text: str | None) -> None:
    if not ids:
        return
    if function == "approve":  # in the versions the verifier sees
        cur.execute(
            f"SELECT workflow.approve(%s, %s::bigint[], %s, ARRAY(SELECT version FROM {table}"
            " WHERE id = ANY (%s::bigint[]) ORDER BY array_position(%s::bigint[], id)))",
            (table, ids, text, ids, ids),
        )
        return
    cur.execute(f"SELECT workflow.{function}(%s, %s::bigint[], %s)", (table, ids, text))


# The clerk of the screenshots: named like the demo's users, as the guide shows them.
CLERK = "advertising_editor_demo"


def ensure_clerk(db, password: str, clerk: str = CLERK, role: str = "advertising_editor") -> None:
    with db.connect().cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (clerk,))
        if cur.fetchone() is None:
            cur.execute(f"CREATE ROLE {clerk} LOGIN PASSWORD %s IN ROLE {role}", (password,))
        else:  # roles are cluster-wide: the demo loader's test may have made it with the demo password
            cur.execute(f"ALTER ROLE {clerk} LOGIN PASSWORD %s", (password,))
            cur.execute(f"GRANT {role} TO {clerk}")


# The city's numbering of advertising permits (a setting of the city: the law sets none).
PERMIT_PATTERN = "^РД-[0-9]{4}-[0-9]{4}$"
PERMIT_EXAMPLE = "РД-2024-0157"


def build(db) -> dict:
    """Fill the database; returns what the screenshots should show."""
    city_permit_numbering(db, PERMIT_PATTERN, PERMIT_EXAMPLE)
    admin = db.connect("t_admin_editor")
    with admin.cursor() as cur:
        half = 3000
        _insert(cur, "ref.district", {"name_uk": "Богунський", "name_en": "Bohunskyi",
                "katottg": "UA18040190010115253", "geom": _square(-half, -half, half, 2 * half)})  # fmt: skip
        _insert(cur, "ref.district", {"name_uk": "Корольовський", "name_en": "Korolovskyi",
                "katottg": "UA18040190010281147", "geom": _square(0, -half, half, 2 * half)})  # fmt: skip
        for number, (name, kind, points) in enumerate(STREETS, start=1):
            line = ",".join(f"{X0 + dx} {Y0 + dy}" for dx, dy in points)
            street = _insert(cur, "ref.street", {"name_uk": name, "name_en": name, "street_type": kind,
                             "geom": f"MULTILINESTRING(({line}))"})  # fmt: skip
            for house, (dx, dy) in enumerate(points[:-1], start=1):
                _insert(cur, "ref.address", {"street_id": street, "house_number": str(house * 2 + number),
                        "postcode": f"100{number:02d}", "geom": f"POINT({X0 + dx + 12} {Y0 + dy + 12})"})  # fmt: skip

    property_editor = db.connect("t_property_editor")
    parcels = []
    with property_editor.cursor() as cur:
        for block, (bx, by) in enumerate(BLOCKS, start=1):
            for i in range(3):
                for j in range(2):
                    parcels.append(_insert(cur, "property.land_parcel", {
                        "cadastral_number": f"1810100000:0{1 + block // 5}:{block:03d}:{i * 2 + j + 1:04d}",
                        "area_ha": 0.96, "land_use_code": "02.03", "ownership": "communal",
                        "lease_status": "permanent_use", "balance_holder_edrpou": "04053625",
                        "geom": _square(bx + i * 80, by + j * 115, 76, 110)}))  # fmt: skip
        _workflow(cur, "submit", "property.land_parcel", parcels, "Інвентаризація кварталів центру")
    with db.connect("t_property_verifier").cursor() as cur:
        _workflow(cur, "approve", "property.land_parcel", parcels, "Відповідає кадастру")

    editor = db.connect(CLERK)
    by_state: dict[str, list[int]] = {}
    permits_of: dict[str, list[int]] = {}
    with editor.cursor() as cur:
        for number, (code, kind, (dx, dy), state) in enumerate(STRUCTURES, start=1):
            big = kind in ("billboard", "led_screen")
            structure = _insert(cur, "advertising.structure", {
                "structure_code": code, "structure_type": kind,
                "width_m": 6 if big else 1.2, "height_m": 3 if big else 1.8, "faces": 2,
                "illuminated": kind != "pillar", "address_text": f"вул. Київська, {number * 4}",
                "owner_edrpou": "32855961", "owner_name": "ТОВ «Житомир Медіа»",
                "geom": f"POINT({X0 + dx} {Y0 + dy})"})  # fmt: skip
            by_state.setdefault(state, []).append(structure)
            permits = [(f"РД-2024-{number:04d}", "2024-02-01", "2029-01-31", "valid")]
            if code == FEATURED:
                permits.insert(0, ("РД-2018-0412", "2018-06-01", "2023-05-31", "expired"))
            for permit_number, start, end, permit_state in permits:
                permits_of.setdefault(state, []).append(_insert(cur, "advertising.permit", {
                    "structure_id": structure, "permit_number": permit_number,
                    "distributor_edrpou": "32855961", "distributor_name": "ТОВ «Житомир Медіа»",
                    "decision_number": f"№ {140 + number} від {start}", "issued_on": start,
                    "valid_from": start, "valid_to": end, "permit_state": permit_state,
                    "fee_uah_month": 1450 if big else 620}))  # fmt: skip
        for state in ("verified", "submitted", "rejected"):
            _workflow(cur, "submit", "advertising.structure", by_state[state], "Нові та продовжені дозволи")
            _workflow(cur, "submit", "advertising.permit", permits_of[state], "Нові та продовжені дозволи")
    with db.connect("t_advertising_verifier").cursor() as cur:
        _workflow(cur, "approve", "advertising.structure", by_state["verified"], "Перевірено")
        _workflow(cur, "approve", "advertising.permit", permits_of["verified"], "Перевірено")
        _workflow(cur, "reject", "advertising.structure", by_state["rejected"], REJECTION)
    # The forms take the city's numbering from the database: build them again (anew: QGIS asks
    # before it overwrites a stored style).
    with db.connect().cursor() as cur:
        cur.execute("DELETE FROM public.layer_styles")
    styles.build_styles(db.superuser_dsn, log=lambda _l: None)
    return {"extent": EXTENT, "featured": FEATURED, "rejection": REJECTION, "parcels": len(parcels)}
