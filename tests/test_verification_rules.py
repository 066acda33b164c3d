"""Every verification rule: one record it passes and one it finds, checked
together in one call of verification.check() as a department's editor."""

from __future__ import annotations

import pytest
import register_rows as rows
from register_rows import add, drop_constraint, force, point, publish, rect, square

# The tests' city (CENTRE ± 3000 m) split into a west and an east half.
WEST, EAST = rect(-3000, -3000, 0, 3000), rect(0, -3000, 3000, 3000)
CITY = rect(-3000, -3000, 3000, 3000)


def findings(db, table: str, ids: list[int]) -> dict[int, dict[str, dict]]:
    """record id -> {rule id: detail} as verification.check() reports them."""
    conn = db.connect(rows.EDITOR[rows.department_of(table)])
    with conn.cursor() as cur:
        cur.execute("SELECT record_id, rule_id, detail FROM verification.check(%s, %s)", (table, ids))
        found: dict[int, dict[str, dict]] = {i: {} for i in ids}
        for record_id, rule_id, detail in cur.fetchall():
            found[record_id][rule_id] = detail
    return found


def geometry_row(table: str, db, at):
    """A valid row of a register with geometry, at an offset."""
    if table == "ref.district":
        return rows.district(at)
    if table == "ref.street":
        return rows.street(at)
    if table == "ref.address":
        return rows.address(add(db, "ref.street", rows.street((0, -900))), at)
    if table == "ref.city_boundary":
        return {"name_uk": "Ж", "name_en": "Zh", "katottg": rows.HROMADA, "geom": square(at, 100)}
    factory = {
        "property.land_parcel": rows.parcel,
        "property.property_object": rows.property_object,
        "investment.site": rows.site,
        "advertising.structure": rows.structure,
        "energy.building": rows.building,
        "budget.project": rows.project,
    }.get(table)
    if factory:
        return factory(at)
    return {
        "planning.functional_zone": rows.functional_zone,
        "planning.zoning_zone": rows.zoning_zone,
        "planning.restriction_zone": rows.restriction_zone,
    }[table](square(at, 100))


GEOMETRY_REGISTERS = [
    "ref.city_boundary",
    "ref.district",
    "ref.street",
    "ref.address",
    "property.land_parcel",
    "property.property_object",
    "investment.site",
    "planning.functional_zone",
    "planning.zoning_zone",
    "planning.restriction_zone",
    "advertising.structure",
    "energy.building",
    "budget.project",
]
KIND = {
    "ref.street": "MultiLineString",
    "ref.address": "Point",
    "advertising.structure": "Point",
    "budget.project": "Point",
}
X, Y = rows.CENTRE
# rule suffix -> SQL of a bad geometry per kind of register (EPSG:9836)
BAD_GEOMETRY = {
    "geometry_not_empty": {
        "Point": "'POINT EMPTY'",
        "MultiPolygon": "'MULTIPOLYGON EMPTY'",
        "MultiLineString": "'MULTILINESTRING EMPTY'",
    },
    "geometry_valid": {
        "MultiPolygon": f"'MULTIPOLYGON((({X} {Y},{X + 20} {Y + 20},{X + 20} {Y},{X} {Y + 20},{X} {Y})))'",
        "MultiLineString": f"'MULTILINESTRING(({X} {Y},{X} {Y}))'",
        "Point": f"ST_MakePoint('Infinity'::float8, {Y})",
    },
    "geometry_inside_city": {  # 2 km outside the city, far over the 5 m tolerance
        "MultiPolygon": f"'{rect(5000, 0, 5020, 20)}'",
        "MultiLineString": f"'MULTILINESTRING(({X + 5000} {Y},{X + 5100} {Y}))'",
        "Point": f"'{point((5000, 0))}'",
    },
}
EXPECTED_DETAIL = {
    ("geometry_valid", "MultiPolygon"): {"reason": "Self-intersection"},
    ("geometry_valid", "MultiLineString"): {"reason": "Too few points in geometry component"},
    ("geometry_valid", "Point"): {"reason": "Invalid Coordinate"},
    ("geometry_inside_city", "MultiPolygon"): {"outside_m2": 400.0},
    ("geometry_inside_city", "MultiLineString"): {"outside_m": 100.0},
    ("geometry_inside_city", "Point"): {"distance_m": 2000.0},
}


# The city boundary has no "inside the city" rule: it is the city.
GEOMETRY_CASES = [
    (table, suffix)
    for table in GEOMETRY_REGISTERS
    for suffix in BAD_GEOMETRY
    if not (table == "ref.city_boundary" and suffix == "geometry_inside_city")
]


@pytest.mark.parametrize(("table", "suffix"), GEOMETRY_CASES)
def test_geometry_rules(db, table, suffix):
    rule = f"{table.split('.')[1]}_{suffix}"
    kind = KIND.get(table, "MultiPolygon")
    good_id = add(db, table, geometry_row(table, db, (-2000, 1000)))
    bad_id = add(db, table, geometry_row(table, db, (1000, -2000)))
    force(
        db, f"UPDATE {table} SET geom = ST_SetSRID({BAD_GEOMETRY[suffix][kind]}::geometry, 9836) WHERE id = %s", bad_id
    )
    found = findings(db, table, [good_id, bad_id])
    assert rule in found[bad_id], found
    assert rule not in found[good_id], found
    for key, expected in EXPECTED_DETAIL.get((suffix, kind), {}).items():
        value = found[bad_id][rule][key]
        assert value.startswith(expected) if isinstance(expected, str) else value == expected


def test_boundary_tolerance_lets_features_on_the_line_pass(db):
    on_line = add(db, "property.land_parcel", rows.parcel(geom=rect(2990, 0, 3003, 10)))  # 3 m over
    assert "land_parcel_geometry_inside_city" not in findings(db, "property.land_parcel", [on_line])[on_line]


# ------------------------------------------------------------------ tiling
@pytest.mark.parametrize("table", ["planning.zoning_zone", "planning.functional_zone"])
def test_zones_overlap(db, table):
    short = table.split(".")[1]
    factory = rows.zoning_zone if short == "zoning_zone" else rows.functional_zone
    west = add(db, table, factory(WEST))
    east = add(db, table, factory(EAST))
    tiled = findings(db, table, [west, east])
    assert tiled == {west: {}, east: {}}
    # the east zone now reaches 10 m into the west one: 10 x 6000 m² of overlap
    force(db, f"UPDATE {table} SET geom = ST_GeomFromText(%s, 9836) WHERE id = %s", rect(-10, -3000, 3000, 3000), east)
    found = findings(db, table, [west, east])
    assert found[east][f"{short}_overlap"] == {"other_id": west, "overlap_m2": 60000.0}
    assert found[west][f"{short}_overlap"]["other_id"] == east


@pytest.mark.parametrize("table", ["planning.zoning_zone", "planning.functional_zone"])
def test_zones_gap(db, table):
    short = table.split(".")[1]
    factory = rows.zoning_zone if short == "zoning_zone" else rows.functional_zone
    west = add(db, table, factory(WEST))
    east = add(db, table, factory(EAST))
    assert findings(db, table, [west])[west] == {}
    # 2 m of no man's land between the halves: 12,000 m² of gap
    force(db, f"UPDATE {table} SET geom = ST_GeomFromText(%s, 9836) WHERE id = %s", rect(2, -3000, 3000, 3000), east)
    found = findings(db, table, [west])
    assert found[west][f"{short}_gap"] == {"gap_m2": 12000.0}
    # the whole register finds the same gap, on both of its neighbours
    with db.connect("t_planning_verifier").cursor() as cur:
        cur.execute("SELECT record_id FROM verification.check(%s) WHERE rule_id = %s", (table, f"{short}_gap"))
        assert sorted(r[0] for r in cur.fetchall()) == sorted([west, east])


def test_gap_below_tolerance_passes(db):
    west = add(db, "planning.zoning_zone", rows.zoning_zone(WEST))
    # a 0.0001 m sliver along a 6 km border is 0.6 m², under the 1 m² tolerance
    add(db, "planning.zoning_zone", rows.zoning_zone(rect(0.0001, -3000, 3000, 3000)))
    assert findings(db, "planning.zoning_zone", [west])[west] == {}


def test_parcels_overlap(db):
    table = "property.land_parcel"
    a = add(db, table, rows.parcel((0, 0)))
    neighbour = add(db, table, rows.parcel((20, 0)))  # shares a border: no overlap
    over = add(db, table, rows.parcel((15, 0)))  # 5 x 20 m inside a and neighbour
    found = findings(db, table, [a, neighbour, over])
    assert found[a] == {"land_parcel_overlap": {"other_id": over, "overlap_m2": 100.0}}
    assert "land_parcel_overlap" in found[neighbour]
    assert set(found[over]) == {"land_parcel_overlap"}
    # without the intruder the border-sharing pair is clean
    rows_conn = db.connect(rows.EDITOR["property"])
    with rows_conn.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE id = %s", (over,))
    assert findings(db, table, [a, neighbour]) == {a: {}, neighbour: {}}


def test_invalid_parcels_make_no_false_overlaps(db):
    table = "property.land_parcel"
    a = add(db, table, rows.parcel((0, 100)))
    bow = add(db, table, rows.parcel((0, 100)))  # same place...
    x, y = rows.CENTRE
    force(
        db,
        f"UPDATE {table} SET geom = ST_GeomFromText(%s, 9836) WHERE id = %s",
        f"MULTIPOLYGON((({x} {y + 100},{x + 20} {y + 120},{x + 20} {y + 100},{x} {y + 120},{x} {y + 100})))",
        bow,
    )
    found = findings(db, table, [a, bow])
    assert set(found[bow]) == {"land_parcel_geometry_valid"}  # ...but invalid: reported as such only
    assert found[a] == {}


# ------------------------------------------------------------- identifiers
FORMAT_CASES = [
    # rule, table, row factory, column, constraint to drop, bad value
    (
        "land_parcel_cadastral_number_format",
        "property.land_parcel",
        rows.parcel,
        "cadastral_number",
        "land_parcel_cadastral_number_format",
        "1810100000:1:23:456",
    ),
    (
        "site_cadastral_number_format",
        "investment.site",
        rows.site,
        "cadastral_number",
        "site_cadastral_number_format",
        "18101:01",
    ),
    ("permit_number_format", "advertising.permit", None, "permit_number", "permit_number_format", "РД-24-1 "),
    ("district_katottg_format", "ref.district", rows.district, "katottg", "district_katottg_format", "UA1804"),
    ("city_boundary_katottg_format", "ref.city_boundary", None, "katottg", "city_boundary_katottg_format", "18040"),
    (
        "project_tender_id_format",
        "budget.project",
        rows.project,
        "tender_id",
        "project_tender_id_format",
        "UA-2024-02-30-000001-a",
    ),
    ("project_kpkvk_format", "budget.project", rows.project, "kpkvk", "project_kpkvk_format", "1507461"),
    (
        "land_parcel_edrpou_format",
        "property.land_parcel",
        rows.parcel,
        "user_edrpou",
        "land_parcel_user_edrpou_format",
        "04053626",
    ),
    (
        "parcel_lease_edrpou_format",
        "property.parcel_lease",
        None,
        "lessee_edrpou",
        "parcel_lease_lessee_edrpou_format",
        "04053626",
    ),
    (
        "property_object_edrpou_format",
        "property.property_object",
        rows.property_object,
        "lessee_edrpou",
        "property_object_lessee_edrpou_format",
        "1234567",
    ),
    (
        "structure_edrpou_format",
        "advertising.structure",
        rows.structure,
        "owner_edrpou",
        "structure_owner_edrpou_format",
        "32855962",
    ),
    (
        "permit_edrpou_format",
        "advertising.permit",
        None,
        "distributor_edrpou",
        "permit_distributor_edrpou_format",
        "32855960",
    ),
    (
        "building_edrpou_format",
        "energy.building",
        rows.building,
        "balance_holder_edrpou",
        "building_balance_holder_edrpou_format",
        "00000001",
    ),
    (
        "project_edrpou_format",
        "budget.project",
        rows.project,
        "contractor_edrpou",
        "project_contractor_edrpou_format",
        "3285596",
    ),
    (
        "organisation_edrpou_format",
        "ref.organisation",
        rows.organisation,
        "edrpou",
        "organisation_edrpou_format",
        "04053620",
    ),
]


def _row_for(db, table, factory, offset):
    if table == "property.parcel_lease":
        return rows.parcel_lease(add(db, "property.land_parcel", rows.parcel((offset, 1200))))
    if table == "advertising.permit":
        return rows.permit(add(db, "advertising.structure", rows.structure((offset, 900))))
    if table == "property.parcel_lease":
        return rows.parcel_lease(add(db, "property.land_parcel", rows.parcel((offset, 1200))))
    if table == "ref.city_boundary":
        return {"name_uk": "Ж", "name_en": "Zh", "katottg": rows.HROMADA, "geom": square((offset, 0), 100)}
    if table == "ref.organisation":
        return factory(edrpou="32855961" if offset else "04053625")
    return factory((offset, -500)) if table != "ref.district" else factory((offset, -1500))


@pytest.mark.parametrize(
    ("rule", "table", "factory", "column", "constraint", "bad"), FORMAT_CASES, ids=[c[0] for c in FORMAT_CASES]
)
def test_identifier_format(db, rule, table, factory, column, constraint, bad):
    good_id = add(db, table, _row_for(db, table, factory, 0))
    bad_id = add(db, table, _row_for(db, table, factory, 600))
    drop_constraint(db, table, constraint)  # a legacy import made before the constraint
    force(db, f"UPDATE {table} SET {column} = %s WHERE id = %s", bad, bad_id)
    found = findings(db, table, [good_id, bad_id])
    assert found[bad_id][rule] == {"column": column, "value": bad}
    assert rule not in found[good_id]


def test_registry_id_format(db):
    table = "property.property_object"
    good_id = add(db, table, rows.property_object((0, 0)))
    bad_id = add(db, table, rows.property_object((100, 0)))
    drop_constraint(db, table, "property_object_balance_holder_edrpou_format")
    force(db, f"UPDATE {table} SET balance_holder_edrpou = '04053626' WHERE id = %s", bad_id)
    found = findings(db, table, [good_id, bad_id])
    assert found[bad_id]["property_object_registry_id_format"]["value"].startswith("04053626/")
    assert "property_object_registry_id_format" not in found[good_id]


UNIQUE_CASES = [
    (
        "land_parcel_cadastral_number_unique",
        "property.land_parcel",
        rows.parcel,
        "cadastral_number",
        "land_parcel_cadastral_number_unique",
    ),
    ("permit_number_unique", "advertising.permit", None, "permit_number", "permit_number_unique"),
    ("organisation_edrpou_unique", "ref.organisation", rows.organisation, "edrpou", "organisation_edrpou_unique"),
    ("district_katottg_unique", "ref.district", rows.district, "katottg", None),
    ("project_tender_id_unique", "budget.project", rows.project, "tender_id", None),
    (
        "property_object_registry_id_unique",
        "property.property_object",
        rows.property_object,
        "inventory_number",
        "property_object_registry_id_unique",
    ),
]


@pytest.mark.parametrize(
    ("rule", "table", "factory", "column", "constraint"), UNIQUE_CASES, ids=[c[0] for c in UNIQUE_CASES]
)
def test_identifier_unique(db, rule, table, factory, column, constraint):
    first = add(db, table, _row_for(db, table, factory, 0))
    other = add(db, table, _row_for(db, table, factory, 600))
    if table == "ref.district":  # districts come with one code: make the other one differ first
        force(db, f"UPDATE {table} SET katottg = %s WHERE id = %s", rows.KOROLOVSKYI, other)
    assert rule not in findings(db, table, [first, other])[first]
    if constraint:
        drop_constraint(db, table, constraint)
    force(db, f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE id = %s) WHERE id = %s", first, other)
    found = findings(db, table, [first, other])
    assert found[first][rule]["other_id"] == other
    assert found[other][rule]["other_id"] == first


def test_site_parcel_known(db):
    (parcel_id,) = publish(db, "property.land_parcel", rows.parcel((0, 0)))
    with db.connect().cursor() as cur:
        cur.execute("SELECT cadastral_number FROM property.land_parcel WHERE id = %s", (parcel_id,))
        number = cur.fetchone()[0]
    known = add(db, "investment.site", rows.site((200, 0), cadastral_number=number))
    unknown = add(db, "investment.site", rows.site((400, 0), cadastral_number="1810100000:09:999:9999"))
    found = findings(db, "investment.site", [known, unknown])
    assert found[unknown]["site_parcel_known"] == {"cadastral_number": "1810100000:09:999:9999"}
    assert "site_parcel_known" not in found[known]


def test_property_object_parcel_known(db):
    parcel_id = add(db, "property.land_parcel", rows.parcel((0, 0)))
    with db.connect().cursor() as cur:
        cur.execute("SELECT cadastral_number FROM property.land_parcel WHERE id = %s", (parcel_id,))
        number = cur.fetchone()[0]
    known = add(db, "property.property_object", rows.property_object((2, 2), parcel_cadastral_number=number))
    unknown = add(
        db, "property.property_object", rows.property_object((300, 0), parcel_cadastral_number="1810100000:09:999:9998")
    )
    found = findings(db, "property.property_object", [known, unknown])
    assert "property_object_parcel_known" in found[unknown]
    assert found[known] == {}


# ----------------------------------------------------------- across registers
def test_structure_in_zone_that_forbids_advertising(db):
    publish(db, "planning.zoning_zone", rows.zoning_zone(WEST), rows.zoning_zone(EAST, advertising_allowed=False))
    allowed = add(db, "advertising.structure", rows.structure((-1000, 0)))
    forbidden = add(db, "advertising.structure", rows.structure((1000, 0)))
    found = findings(db, "advertising.structure", [allowed, forbidden])
    assert "structure_zone_forbids_advertising" in found[forbidden]
    assert found[allowed] == {}


def test_structure_in_restricted_zone(db):
    publish(
        db,
        "planning.restriction_zone",
        rows.restriction_zone(rect(500, 500, 900, 900)),
        rows.restriction_zone(rect(-900, 500, -500, 900), advertising_forbidden=False, kind="05.02"),
    )
    outside = add(db, "advertising.structure", rows.structure((0, 0)))
    in_allowed_zone = add(db, "advertising.structure", rows.structure((-700, 700)))
    inside = add(db, "advertising.structure", rows.structure((700, 700)))
    found = findings(db, "advertising.structure", [outside, in_allowed_zone, inside])
    assert found[inside]["structure_in_restricted_zone"]["kind"] == "01.02"
    assert found[outside] == {} and found[in_allowed_zone] == {}


def test_structure_too_close(db):
    a = add(db, "advertising.structure", rows.structure((0, -1000)))
    far = add(db, "advertising.structure", rows.structure((40, -1000)))  # 40 m from a: fine
    near = add(db, "advertising.structure", rows.structure((0, -1020)))  # 20 m from a, under the 30 m set
    found = findings(db, "advertising.structure", [far, near])
    detail = found[near]["structure_too_close"]
    assert (detail["other_id"], detail["distance_m"]) == (a, 20.0)
    assert found[far] == {}


def test_site_zone_code_matches_zoning(db):
    publish(
        db,
        "planning.zoning_zone",
        rows.zoning_zone(WEST, zone_code="Ж-1", zone_index="Ж-1/1"),
        rows.zoning_zone(EAST, zone_code="В-2", zone_index="В-2/1"),
    )
    matching = add(db, "investment.site", rows.site((500, 0), zone_code="В-2"))
    # 70 % in the west zone, 30 % in the east one: either code will do
    straddling_major = add(db, "investment.site", rows.site((-70, 500), zone_code="Ж-1"))
    straddling_minor = add(db, "investment.site", rows.site((-70, 700), zone_code="В-2"))
    # 90 % / 10 %: the 10 % zone is not where the site lies
    sliver = add(db, "investment.site", rows.site((-90, 900), zone_code="В-2"))
    wrong = add(db, "investment.site", rows.site((-600, 0), zone_code="В-2"))
    found = findings(db, "investment.site", [matching, straddling_major, straddling_minor, sliver, wrong])
    assert found[wrong]["site_zone_code_mismatch"]["zoning"] == "Ж-1"
    assert found[sliver]["site_zone_code_mismatch"]["shares"] == "Ж-1/1: 90%, В-2/1: 10%"
    assert found[matching] == found[straddling_major] == found[straddling_minor] == {}


def test_property_object_address_in_parcel(db):
    street_id = add(db, "ref.street", rows.street((0, -2500)))
    inside_addr, outside_addr = publish(
        db, "ref.address", rows.address(street_id, (10, 10)), rows.address(street_id, (200, 200))
    )
    parcel_id = add(db, "property.land_parcel", rows.parcel((0, 0), size=40))
    with db.connect().cursor() as cur:
        cur.execute("SELECT cadastral_number FROM property.land_parcel WHERE id = %s", (parcel_id,))
        number = cur.fetchone()[0]
    good = add(
        db,
        "property.property_object",
        rows.property_object((5, 5), address_id=inside_addr, parcel_cadastral_number=number),
    )
    bad = add(
        db,
        "property.property_object",
        rows.property_object((5, 5), address_id=outside_addr, parcel_cadastral_number=number),
    )
    found = findings(db, "property.property_object", [good, bad])
    assert found[bad]["property_object_address_outside_parcel"]["parcel_id"] == parcel_id
    assert found[good] == {}


def test_project_actual_over_plan(db):
    within = add(db, "budget.project", rows.project((0, 0), planned_uah=1000000, actual_uah=1040000))  # +4 %
    over = add(db, "budget.project", rows.project((10, 0), planned_uah=1000000, actual_uah=1200000))  # +20 %
    found = findings(db, "budget.project", [within, over])
    assert found[over]["project_actual_over_plan"]["over_pct"] == 20.0
    assert found[within] == {}


def test_permit_validity_at_most_five_years(db):
    s = add(db, "advertising.structure", rows.structure((0, 0)))
    five = add(db, "advertising.permit", rows.permit(s, valid_from="2024-02-01", valid_to="2029-02-01"))
    longer = add(db, "advertising.permit", rows.permit(s, valid_from="2024-02-01", valid_to="2029-02-02"))
    found = findings(db, "advertising.permit", [five, longer])
    assert found[longer]["permit_validity_too_long"]["max_years"] == 5
    assert found[five] == {}


def test_expired_permit_flagged(db):
    s = add(db, "advertising.structure", rows.structure((0, 0)))
    current = add(db, "advertising.permit", rows.permit(s, valid_from="2024-02-01", valid_to="2029-01-31"))
    expired = add(
        db, "advertising.permit", rows.permit(s, issued_on="2015-01-01", valid_from="2015-01-01", valid_to="2019-12-31")
    )
    marked_expired = add(
        db,
        "advertising.permit",
        rows.permit(s, issued_on="2015-01-01", valid_from="2015-01-01", valid_to="2019-12-31", permit_state="expired"),
    )
    found = findings(db, "advertising.permit", [current, expired, marked_expired])
    assert found[expired]["permit_expired"]["valid_to"] == "2019-12-31"
    assert found[current] == {} and found[marked_expired] == {}


def test_energy_class_matches_certificate(db):
    ok = add(db, "energy.building", rows.building((0, 0), energy_class="D", specific_energy_kwh_m2=150))
    wrong = add(db, "energy.building", rows.building((100, 0), energy_class="B", specific_energy_kwh_m2=150))
    found = findings(db, "energy.building", [ok, wrong])
    assert found[wrong]["building_class_vs_certificate"]["estimated_class"] == "D"
    assert found[ok] == {}


def test_consumption_consistent_with_class(db):
    b = add(db, "energy.building", rows.building((0, 0), energy_class="D", specific_energy_kwh_m2=150))
    typical = add(db, "energy.consumption", rows.consumption(b, 2022, heat_gcal=150))  # 174 kWh/m²: E, one off
    far_off = add(db, "energy.consumption", rows.consumption(b, 2023, heat_gcal=300, electricity_kwh=0))  # 349: G
    found = findings(db, "energy.consumption", [typical, far_off])
    assert found[far_off]["consumption_vs_class"]["estimated_class"] == "G"
    assert "consumption_vs_class" not in found[typical]


def test_consumption_year_over_year_jump(db):
    b = add(db, "energy.building", rows.building((0, 0)))
    add(db, "energy.consumption", rows.consumption(b, 2021, heat_gcal=129))
    steady = add(db, "energy.consumption", rows.consumption(b, 2022, heat_gcal=120))
    jump = add(db, "energy.consumption", rows.consumption(b, 2023, heat_gcal=12.9))  # a unit slip
    found = findings(db, "energy.consumption", [steady, jump])
    assert found[jump]["consumption_year_jump"]["previous_year"] == 2022
    assert found[jump]["consumption_year_jump"]["change_pct"] < -40
    assert "consumption_year_jump" not in found[steady]


# ----------------------------------------------------- the hromada's codes
HROMADA_CASES = [
    # rule, table, row factory, column, a well-formed code of another place
    ("land_parcel_cadastral_number_hromada", "property.land_parcel", rows.parcel, "cadastral_number",
     "3210100000:01:001:0001"),
    ("site_cadastral_number_hromada", "investment.site", rows.site, "cadastral_number", "1810200000:01:001:0002"),
    ("district_katottg_hromada", "ref.district", rows.district, "katottg", "UA18040470010021315"),
    ("city_boundary_katottg_hromada", "ref.city_boundary", None, "katottg", "UA18040470010021315"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "table", "factory", "column", "bad"), HROMADA_CASES, ids=[c[0] for c in HROMADA_CASES]
)
def test_codes_of_another_place(db, rule, table, factory, column, bad):
    good_id = add(db, table, _row_for(db, table, factory, 0))
    bad_id = add(db, table, _row_for(db, table, factory, 600))
    force(db, f"UPDATE {table} SET {column} = %s WHERE id = %s", bad, bad_id)  # a legacy import
    found = findings(db, table, [good_id, bad_id])
    assert found[bad_id][rule] == {"column": column, "value": bad}
    assert rule not in found[good_id]


# Registers whose classifier codes a record may keep after an edition dropped them.
CODES_IN_FORCE = {
    "property.land_parcel": (rows.parcel, "land_use_code"),
    "property.property_object": (rows.property_object, "use_code"),
    "investment.site": (rows.site, "site_type"),
    "planning.zoning_zone": (lambda at: rows.zoning_zone(square(at, 100)), "zone_code"),
    "planning.functional_zone": (lambda at: rows.functional_zone(square(at, 100)), "zone_type"),
    "planning.restriction_zone": (lambda at: rows.restriction_zone(square(at, 100)), "kind"),
    "property.parcel_restriction": (None, "kind"),
    "advertising.structure": (rows.structure, "structure_type"),
    "advertising.permit": (None, "permit_state"),
    "energy.building": (rows.building, "building_use"),
    "energy.measure": (None, "measure_type"),
    "budget.project": (rows.project, "sector"),
    "ref.street": (rows.street, "street_type"),
    "ref.organisation": (rows.organisation, "org_type"),
}


@pytest.mark.parametrize("table", sorted(CODES_IN_FORCE))
def test_codes_no_longer_in_force(db, table):
    factory, column = CODES_IN_FORCE[table]
    rule = f"{table.split('.')[1]}_codes_in_force"

    def row(offset):
        if table == "energy.measure":
            return rows.measure(add(db, "energy.building", rows.building((offset, 0))))
        if table == "ref.organisation":
            return factory(edrpou="32855961" if offset else "04053625")
        if table == "property.parcel_restriction":
            parcel_id = add(db, "property.land_parcel", rows.parcel((offset, 1200)))
            return {"parcel_id": parcel_id, "kind": "06.01.1", "cadastre_code": "06.01.1", "name_uk": "Червоні лінії"}
        return _row_for(db, table, factory, offset)

    good_id, kept_id = add(db, table, row(0)), add(db, table, row(600))
    with db.connect().cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", (kept_id,))
        (code,) = cur.fetchone()
        classifier = {"land_use_code": "land_use"}.get(column)
        cur.execute(
            "SELECT f.relname FROM pg_constraint c JOIN pg_class f ON f.oid = c.confrelid"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = %s",
            (table, column),
        )
        classifier = cur.fetchone()[0]
        # A later edition of the classifier drops the code the second record keeps; a new code takes the first.
        cur.execute(f"INSERT INTO ref.{classifier} (code, label_uk, label_en) VALUES ('new', 'нова', 'new')")
        cur.execute("SET session_replication_role = replica")
        cur.execute(f"UPDATE {table} SET {column} = 'new' WHERE id = %s", (good_id,))
        cur.execute("RESET session_replication_role")
        cur.execute(f"UPDATE ref.{classifier} SET active = false WHERE code = %s", (code,))
    found = findings(db, table, [good_id, kept_id])
    assert found[kept_id][rule] == {"column": column, "code": code}
    assert rule not in found[good_id]


def test_permit_numbering_set_later_points_at_older_numbers(db):
    s = add(db, "advertising.structure", rows.structure((0, 0)))
    older = add(db, "advertising.permit", rows.permit(s, permit_number="123/2019"))
    numbered = add(db, "advertising.permit", rows.permit(s, permit_number="РД-2024-0157"))
    rows.city_permit_numbering(db)
    found = findings(db, "advertising.permit", [older, numbered])
    assert found[older]["permit_number_numbering"] == {"permit_number": "123/2019"}
    assert found[numbered] == {}


def test_permit_distributor_identified_once(db):
    s = add(db, "advertising.structure", rows.structure((0, 0)))
    refused_rnokpp = add(
        db, "advertising.permit", rows.permit(s, distributor_edrpou=None, distributor_passport="АБ123456")
    )
    both = add(
        db,
        "advertising.permit",
        rows.permit(s, distributor_edrpou=None, distributor_rnokpp="3006512348", distributor_passport="АБ123457"),
    )
    found = findings(db, "advertising.permit", [refused_rnokpp, both])
    assert "permit_distributor_identified_once" in found[both]
    assert found[refused_rnokpp] == {}


def test_programme_codes_of_a_project(db):
    known = add(db, "budget.project", rows.project((0, 0)))  # 0611021: 1021 -> КФКВК 0921
    unknown = add(db, "budget.project", rows.project((10, 0), kpkvk="1219999", kfkvk=None))
    other_function = add(db, "budget.project", rows.project((20, 0), kfkvk="0456"))
    found = findings(db, "budget.project", [known, unknown, other_function])
    assert found[unknown]["project_tpkvkmb_known"] == {"kpkvk": "1219999", "tpkvkmb": "9999"}
    assert found[other_function]["project_kfkvk_matches_programme"] == {
        "kfkvk": "0456", "tpkvkmb": "1021", "programme_kfkvk": "0921"
    }  # fmt: skip
    assert found[known] == {} and set(found[unknown]) == {"project_tpkvkmb_known"}


def test_land_category_matches_the_use(db):
    matching = add(db, "property.land_parcel", rows.parcel((0, 0), land_category="200"))
    public_land = add(db, "property.land_parcel", rows.parcel((30, 0), land_use_code="18.00", land_category="100"))
    wrong = add(db, "property.land_parcel", rows.parcel((60, 0), land_category="100"))
    found = findings(db, "property.land_parcel", [matching, public_land, wrong])
    assert found[wrong]["land_parcel_category_matches_use"] == {"land_category": "100", "land_use_code": "02.01"}
    assert found[matching] == {} and found[public_land] == {}


def test_energy_class_comes_with_a_valid_certificate(db):
    certified = add(db, "energy.building", rows.building((0, 0)))
    uncertified = add(db, "energy.building", rows.building((100, 0), certificate_number=None, certificate_date=None))
    expired = add(db, "energy.building", rows.building((200, 0), certificate_date="2015-03-01"))
    found = findings(db, "energy.building", [certified, uncertified, expired])
    assert found[uncertified]["building_class_without_certificate"] == {"energy_class": "D"}
    assert found[expired]["building_certificate_expired"]["certificate_valid_until"] == "2025-03-01"
    assert found[certified] == {}


# --------------------------------------------------------------- coverage
COVERED_ELSEWHERE = (
    {c[0] for c in FORMAT_CASES}
    | {c[0] for c in UNIQUE_CASES}
    | {c[0] for c in HROMADA_CASES}
    | {f"{t.split('.')[1]}_codes_in_force" for t in CODES_IN_FORCE}
    | {
        "permit_number_numbering",
        "permit_distributor_identified_once",
        "project_tpkvkmb_known",
        "project_kfkvk_matches_programme",
        "land_parcel_category_matches_use",
        "building_class_without_certificate",
        "building_certificate_expired",
        "zoning_zone_overlap",
        "zoning_zone_gap",
        "functional_zone_overlap",
        "functional_zone_gap",
        "land_parcel_overlap",
        "property_object_registry_id_format",
        "site_parcel_known",
        "property_object_parcel_known",
        "structure_zone_forbids_advertising",
        "structure_in_restricted_zone",
        "structure_too_close",
        "site_zone_code_mismatch",
        "property_object_address_outside_parcel",
        "project_actual_over_plan",
        "permit_validity_too_long",
        "permit_expired",
        "building_class_vs_certificate",
        "consumption_vs_class",
        "consumption_year_jump",
    }
)


def test_every_rule_has_a_passing_and_a_failing_case(db):
    with db.connect().cursor() as cur:
        cur.execute("SELECT id, register FROM verification.rule")
        declared = dict(cur.fetchall())
    geometric = {f"{t.split('.')[1]}_{suffix}" for t in GEOMETRY_REGISTERS for suffix in BAD_GEOMETRY} - {
        "city_boundary_geometry_inside_city"
    }
    assert set(declared) - geometric - COVERED_ELSEWHERE == set(), "rules without a test case"
    assert COVERED_ELSEWHERE - set(declared) == set(), "test cases of rules that do not exist"
