"""The generated city: deterministic, valid identifiers, sound geometry, plausible counts.

No database here: the generator is pure Python (the loader tests put it
through the real database).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date

import pytest

from zhytomyr_gis import classifiers
from zhytomyr_gis.demo.generator import (
    CENTRE,
    CITY_AREA_M2,
    CLASSES,
    REFERENCE_DATE,
    TABLE_SPECS,
    VILLAGE,
    energy_class_of,
    generate,
)
from zhytomyr_gis.demo.geometry import clip, distance_to_ring, point_in_ring, ring_area
from zhytomyr_gis.registers import REGISTERS
from zhytomyr_gis.validators import (
    is_hromada_cadastral_number,
    is_hromada_katottg,
    is_valid_edrpou,
    is_valid_kpkvk,
    is_valid_permit_number,
    is_valid_rnokpp,
    is_valid_tender_id,
)


@pytest.fixture(scope="module")
def small():
    return generate("small")


@pytest.fixture(scope="module")
def city():
    return generate("city")


def rings(wkt: str) -> list[list[tuple[float, float]]]:
    """The rings (or lines, or the point) of a WKT geometry, in metres around the centre, open."""
    out = []
    for part in re.findall(r"\(([^()]+)\)", wkt):
        pts = [tuple(float(c) for c in p.split()) for p in part.split(",")]
        pts = [(x - CENTRE[0], y - CENTRE[1]) for x, y in pts]
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        out.append(pts)
    return out


def polygon_area(wkt: str) -> float:
    return sum(abs(ring_area(r)) for r in rings(wkt))


def convex_halfplanes(ring):
    """Half-planes of a convex ring (either orientation), for clipping."""
    sign = 1 if ring_area(ring) > 0 else -1
    planes = []
    for k in range(len(ring)):
        (ax, ay), (bx, by) = ring[k - 1], ring[k]
        nx, ny = -(by - ay) * sign, (bx - ax) * sign
        planes.append((nx, ny, nx * ax + ny * ay))
    return planes


# ----------------------------------------------------------------- the tests
def test_same_size_twice_gives_identical_output(small, city):
    assert generate("small") == small
    again = generate("city")
    for name in city:
        assert again[name].rows == city[name].rows, name


def test_counts_per_size(small, city):
    s, c = small.counts(), city.counts()
    assert 300 <= s["property.land_parcel"] <= 600
    assert 0.6 * s["property.land_parcel"] <= s["property.property_object"] <= s["property.land_parcel"]
    assert s["ref.address"] == s["property.land_parcel"]
    for table in (
        "advertising.structure",
        "advertising.permit",
        "energy.building",
        "budget.project",
        "investment.site",
        "planning.zoning_zone",
        "ref.street",
    ):
        assert s[table] > 0, table

    assert 36_000 <= c["property.land_parcel"] <= 44_000
    assert 27_000 <= c["property.property_object"] <= 33_000
    assert 2_700 <= c["advertising.structure"] <= 3_300
    assert 3_200 <= c["advertising.permit"] <= 3_900
    assert c["energy.building"] == 400
    assert 500 <= c["energy.measure"] <= 700
    assert c["energy.consumption"] <= 7 * c["energy.building"]
    assert c["budget.project"] == 500 and c["budget.payment"] > 500
    assert 90 <= c["ref.organisation"] <= 110
    assert 35 <= c["investment.site"] <= 45
    assert c["ref.district"] == 2 and c["ref.city_boundary"] == 1


def test_large_is_three_times_the_city(city):
    large = generate("large").counts()
    assert 2.6 <= large["property.land_parcel"] / city.counts()["property.land_parcel"] <= 3.4
    assert 2.5 <= large["property.property_object"] / city.counts()["property.property_object"] <= 3.4
    # the same city: the boundary and the zoning do not change with the size
    assert large["planning.zoning_zone"] == city.counts()["planning.zoning_zone"]


def test_rows_have_the_same_columns_and_unique_natural_keys(small, city):
    for ds in (small, city):
        for name, natural_key, parents in TABLE_SPECS:
            data = ds[name]
            columns = data.columns
            seen = set()
            for row in data.rows:
                assert [c for c in row if not c.startswith("_")] == columns, name
                assert all(row[p] is not None for p in parents if p != "_district_key"), name
                key = tuple(
                    row[c] if c in row and row[c] is not None else row.get("_" + c[:-3] + "_key") for c in natural_key
                )
                assert key not in seen, (name, key)
                seen.add(key)
            keys = [r["_key"] for r in data.rows]
            assert len(keys) == len(set(keys)), name
            assert "" not in {v for r in data.rows for v in r.values() if isinstance(v, str)}, name


def test_identifiers_are_valid(small, city):
    for ds in (small, city):
        edrpou_columns = {
            "ref.organisation": ["edrpou"],
            "property.land_parcel": ["balance_holder_edrpou", "user_edrpou"],
            "property.property_object": ["balance_holder_edrpou", "lessee_edrpou"],
            "advertising.structure": ["owner_edrpou"],
            "advertising.permit": ["distributor_edrpou"],
            "energy.building": ["balance_holder_edrpou"],
            "budget.project": ["contractor_edrpou"],
        }
        for table, columns in edrpou_columns.items():
            for row in ds[table].rows:
                for col in columns:
                    assert row[col] is None or is_valid_edrpou(row[col]), (table, col, row[col])
        assert "04053625" in {r["edrpou"] for r in ds["ref.organisation"].rows}  # the city council
        for table, col in (
            ("property.land_parcel", "user_person_rnokpp"),
            ("advertising.permit", "distributor_rnokpp"),
        ):
            for row in ds[table].rows:
                assert row[col] is None or is_valid_rnokpp(row[col]), (table, row[col])
        for row in ds["property.land_parcel"].rows:
            assert is_hromada_cadastral_number(row["cadastral_number"]), row["cadastral_number"]
        for row in ds["ref.address"].rows:
            assert re.fullmatch(
                r"[0-9]{1,4}(-?[А-ЯІЇЄҐа-яіїєґ])?(/[0-9]{1,4}(-?[А-ЯІЇЄҐа-яіїєґ])?)?", row["house_number"]
            )
            assert 10001 <= int(row["postcode"]) <= 10031
        for row in ds["advertising.structure"].rows:
            assert re.fullmatch(r"РК-\d{5}", row["structure_code"])
        for row in ds["advertising.permit"].rows:
            assert is_valid_permit_number(row["permit_number"]) and len(row["permit_number"]) <= 30
        for row in ds["investment.site"].rows:
            assert re.fullmatch(r"ІНВ-\d{3}", row["site_code"])
        for row in ds["budget.project"].rows:
            assert is_valid_kpkvk(row["kpkvk"]), row["kpkvk"]
            programme = next(c for c in classifiers.get("tpkvkmb").codes if c.code == row["kpkvk"][3:])
            assert row["kfkvk"] == programme.group_code
            if row["tender_id"]:
                assert is_valid_tender_id(row["tender_id"]), row["tender_id"]
                assert int(row["tender_id"][3:7]) == row["budget_year"]
                assert date.fromisoformat(row["tender_id"][3:13]) <= REFERENCE_DATE
        for table in ("ref.city_boundary", "ref.district"):
            assert all(is_hromada_katottg(r["katottg"]) for r in ds[table].rows)
    assert is_valid_edrpou("04053625") and not is_valid_edrpou("04053626")
    assert not is_valid_tender_id("UA-2024-02-30-000123-a") and is_valid_tender_id("UA-2024-02-29-000123-a")


def test_every_code_is_a_code_of_the_classifiers(small, city):
    """Only real codes: every classifier column holds a code of the classifier's file."""
    for ds in (small, city):
        for reg in REGISTERS:
            coded = [f for f in reg.fields if f.widget == "classifier"]
            for row in ds[reg.table].rows if reg.table in ds else []:
                for f in coded:
                    if row.get(f.name) is not None:
                        assert row[f.name] in classifiers.codes(f.classifier[3:]), (reg.table, f.name, row[f.name])
    land_uses = {r["land_use_code"] for r in city["property.land_parcel"].rows}
    assert {"12.13", "07.08", "07.09"} <= land_uses and "18.00" not in land_uses
    kinds = {r["kind"] for r in city["planning.restriction_zone"].rows}
    assert {"01.02", "05.02", "06.01.1"} <= kinds
    zones = {r["zone_code"] for r in city["planning.zoning_zone"].rows}
    assert {"КС-1", "ІН-1"} <= zones and "К-1" not in zones


def test_parcels_of_a_block_do_not_overlap_and_areas_are_true(small, city):
    for ds, step in ((small, 1), (city, 40)):
        by_block = defaultdict(list)
        for row in ds["property.land_parcel"].rows:
            by_block[row["cadastral_number"][:17]].append(row)
        for block in list(by_block.values())[::step]:
            shapes = [rings(r["geom"])[0] for r in block]
            for r, shape in zip(block, shapes, strict=False):
                assert abs(round(abs(ring_area(shape)) / 10000, 4) - r["area_ha"]) <= 0.0002, r["cadastral_number"]
            for a in range(len(shapes)):
                planes = convex_halfplanes(shapes[a])
                for b in range(a + 1, len(shapes)):
                    overlap = sum(abs(ring_area(p)) for p in clip(shapes[b], planes, min_area=0))
                    assert overlap < 0.01, (block[a]["cadastral_number"], block[b]["cadastral_number"], overlap)


def test_buildings_stand_inside_their_parcels(small):
    parcels = {r["cadastral_number"]: rings(r["geom"])[0] for r in small["property.land_parcel"].rows}
    for obj in small["property.property_object"].rows:
        parcel = parcels[obj["parcel_cadastral_number"]]
        assert all(point_in_ring(p, parcel) for p in rings(obj["geom"])[0]), obj["inventory_number"]


def test_every_vertex_is_inside_the_boundary(small, city):
    boundary = rings(small["ref.city_boundary"].rows[0]["geom"])[0]
    # The hromada: the city and the land up to the village.
    assert point_in_ring(VILLAGE, boundary) and ring_area(boundary) > 1.3 * CITY_AREA_M2
    for ds, step in ((small, 1), (city, 97)):
        for name, data in ds.items():
            if name == "ref.city_boundary":
                continue
            for row in data.rows[::step]:
                geom = row.get("geom")
                if geom is None:
                    continue
                for ring in rings(geom):
                    for p in ring:
                        assert point_in_ring(p, boundary) or distance_to_ring(p, boundary) < 0.01, (name, row["_key"])


def test_zones_tile_the_hromada_and_districts_the_city(small):
    boundary = polygon_area(small["ref.city_boundary"].rows[0]["geom"])
    for table in ("planning.zoning_zone", "planning.functional_zone"):
        total = sum(polygon_area(r["geom"]) for r in small[table].rows)
        assert abs(total - boundary) <= 0.001 * boundary, table
    districts = sum(polygon_area(r["geom"]) for r in small["ref.district"].rows)
    assert abs(districts - CITY_AREA_M2) <= 0.001 * CITY_AREA_M2
    codes = Counter(r["zone_code"] for r in small["planning.zoning_zone"].rows)
    assert {"Г-1", "Ж-1", "Ж-3", "Р-3", "В-2", "ТР-2"} <= set(codes)
    for row in small["planning.zoning_zone"].rows:
        assert row["zone_index"].startswith(row["zone_code"] + "/")
        assert row["advertising_allowed"] == (row["zone_code"] not in ("Р-1", "Р-4", "Ж-1"))
    districts = {r["name_uk"] for r in small["ref.district"].rows}
    assert districts == {"Богунський район", "Корольовський район"}


def test_property_register_is_consistent(city):
    parcels = city["property.land_parcel"].rows
    share = Counter(r["ownership"] for r in parcels)
    assert 0.75 <= share["private"] / len(parcels) <= 0.85
    assert 0.10 <= share["communal"] / len(parcels) <= 0.20
    assert 0.02 <= share["state"] / len(parcels) <= 0.08
    for r in parcels:
        assert (r["lease_status"] == "private") == (r["ownership"] == "private")
        assert r["ownership"] != "communal" or r["balance_holder_edrpou"]
        # a private person is never given together with a company
        assert not (r["user_person_rnokpp"] and r["user_edrpou"])
    assert any(r["user_person_rnokpp"] for r in parcels) and any(r["user_edrpou"] for r in parcels)
    registry = [(o["balance_holder_edrpou"], o["inventory_number"]) for o in city["property.property_object"].rows]
    assert len(registry) == len(set(registry))
    numbers = {r["cadastral_number"] for r in parcels}
    assert all(o["parcel_cadastral_number"] in numbers for o in city["property.property_object"].rows)


def test_permits_energy_and_budget_are_plausible(city):
    structures = {r["_key"]: r for r in city["advertising.structure"].rows}
    permits = city["advertising.permit"].rows
    numbers = {p["permit_number"]: p for p in permits}
    states = Counter(p["permit_state"] for p in permits)
    assert states["valid"] > states["reissued"] > states["expired"] > states["annulled"] > 0
    for p in permits:
        assert structures[p["_structure_key"]]["_state"] == "verified"  # parents of children stay approved
        assert p["valid_from"] <= p["valid_to"] <= date(p["valid_from"].year + 5, 12, 31)
        if p["permit_state"] == "valid":
            assert p["valid_to"] >= REFERENCE_DATE
        if p["permit_state"] == "expired":
            assert p["valid_to"] < REFERENCE_DATE
        if p["replaces_permit"]:
            assert numbers[p["replaces_permit"]]["_structure_key"] == p["_structure_key"]
        # a company, or a sole trader by the tax number or (having refused it) the passport
        person = [p["distributor_rnokpp"], p["distributor_passport"]]
        assert (p["distributor_edrpou"] is None) == (sum(v is not None for v in person) == 1)
        # the marking's contact: public for a company, personal for a sole trader
        assert (p["distributor_contact"] is None) == (p["distributor_edrpou"] is None)
        assert (p["distributor_person_contact"] is None) == (p["distributor_edrpou"] is not None)
    sole = sum(1 for p in permits if p["distributor_edrpou"] is None)
    assert 0.05 <= sole / len(permits) <= 0.2
    assert any(p["distributor_passport"] for p in permits)

    buildings = {b["_key"]: b for b in city["energy.building"].rows}
    certified = [b for b in buildings.values() if b["specific_energy_kwh_m2"] is not None]
    differ = 0
    for b in certified:
        # the certificate states the class, number, date and assessor; the bands' estimate is a neighbour at most
        assert b["certificate_number"] and b["certificate_date"] and b["certificate_assessor"]
        estimate = CLASSES.index(energy_class_of(b["specific_energy_kwh_m2"]))
        assert abs(CLASSES.index(b["energy_class"]) - estimate) <= 1
        differ += CLASSES.index(b["energy_class"]) != estimate
    assert 0.05 <= differ / len(certified) <= 0.35
    assert energy_class_of(49.9) == "A" and energy_class_of(150) == "D" and energy_class_of(280) == "G"
    years = Counter((c["_building_key"], c["year"]) for c in city["energy.consumption"].rows)
    assert max(years.values()) == 1
    assert {c["year"] for c in city["energy.consumption"].rows} == set(range(2019, 2026))
    for table in ("energy.consumption", "energy.measure"):
        assert all(buildings[r["_building_key"]]["_state"] == "verified" for r in city[table].rows)

    projects = {p["_key"]: p for p in city["budget.project"].rows}
    paid = defaultdict(float)
    for pay in city["budget.payment"].rows:
        paid[pay["_project_key"]] += pay["amount_uah"]
    for key, total in paid.items():
        assert projects[key]["_state"] == "verified"
        assert total <= projects[key]["actual_uah"] + 0.005
    assert any(p["tender_id"] and p["tender_id"].endswith(".2") for p in projects.values())
    assert any(p["_district_key"] is None and "Вереси" in p["address_text"] for p in projects.values())
    with_actual = [p for p in projects.values() if p["actual_uah"]]
    over = [p for p in with_actual if p["actual_uah"] > p["planned_uah"]]
    assert 0 < len(over) <= 0.1 * len(with_actual)
    assert {p["budget_year"] for p in projects.values()} == set(range(2021, 2027))


def test_workflow_states_are_spread(city):
    states = Counter(r["_state"] for r in city["property.land_parcel"].rows)
    n = sum(states.values())
    assert abs(states["draft"] / n - 0.02) < 0.005
    assert abs(states["submitted"] / n - 0.01) < 0.003
    assert abs(states["rejected"] / n - 0.005) < 0.002
    assert abs(states["edited"] / n - 0.01) < 0.003
    assert all(r["_state"] == "verified" for t in ("ref.street", "ref.address") for r in city[t].rows)


def test_generator_and_loader_import_without_qt():
    code = (
        "import sys, zhytomyr_gis.demo.generator, zhytomyr_gis.demo.loader;"
        "bad = [m for m in sys.modules if m.startswith(('PyQt5', 'qgis'))]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
