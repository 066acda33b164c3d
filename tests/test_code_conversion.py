"""The rules by which the upgrade moves records to the state's codes
(sql/changelogs/0431_convert_codes.sql), on records made for each rule: a
database of the landed release gets them through its own workflow, then
upgrades to this one."""

from __future__ import annotations

import psycopg2
import pytest
from conftest import CENTRE, PASSWORD, TEST_BOUNDARY_WKT, upgrade_with_changelog
from register_rows import EDITOR, department_of, parcel
from test_upgrade import _landed_command, _landed_tree

from zhytomyr_gis import migrate

DBNAME = "zgis_test_conversion"
CHANGELOG = "0431_convert_codes.sql"
X, Y = CENTRE


def square(dx: float, dy: float, size: float, height: float | None = None) -> str:
    x, y, h = X + dx, Y + dy, size if height is None else height
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + h},{x} {y + h},{x} {y})))"


def _enter(cluster, editor: str, verifier: str, table: str, rows: list[dict]) -> list[int]:
    """Insert, submit and approve rows as a department would (the landed release's workflow)."""
    ids = []
    conn = psycopg2.connect(cluster.user_dsn(editor, DBNAME))
    try:
        with conn, conn.cursor() as cur:
            for row in rows:
                cols = list(row)
                values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
                cur.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) RETURNING id", [row[c] for c in cols]
                )
                ids.append(cur.fetchone()[0])
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (table, ids))
    finally:
        conn.close()
    conn = psycopg2.connect(cluster.user_dsn(verifier, DBNAME))
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT verification.acknowledge(%s, %s::bigint[], NULL, 'перевірено')", (table, ids))
            cur.execute("SELECT workflow.approve(%s, %s::bigint[])", (table, ids))
    finally:
        conn.close()
    return ids


@pytest.fixture
def landed(pg_cluster, tmp_path):
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")
    tree = _landed_tree(tmp_path)
    _landed_command(tree, pg_cluster, "setup", dbname=DBNAME)
    yield pg_cluster
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")


def test_each_rule_of_the_conversion(landed):
    cluster = landed
    assert PASSWORD  # the tests' users log in to the landed database too
    (boundary,) = _enter(cluster, "t_admin_editor", "t_admin_verifier", "ref.city_boundary",
                         [{"name_uk": "Житомир", "name_en": "Zhytomyr", "katottg": "UA18040470010021315",
                           "geom": TEST_BOUNDARY_WKT}])  # fmt: skip
    districts = _enter(cluster, "t_admin_editor", "t_admin_verifier", "ref.district", [
        {"name_uk": "Корольовський район", "name_en": "Korolovskyi", "katottg": "UA18040470010021316",
         "geom": square(0, -3000, 3000, 6000)},
        {"name_uk": "Новий район", "name_en": "New", "katottg": "UA18040470010021317",
         "geom": square(-3000, -3000, 3000, 6000)},
    ])  # fmt: skip
    # The zoning plan: a park zone in the west, a street zone in the middle, a communal zone (К-1) in the east.
    zones = [("Р-3", -3000), ("ТР-1", -1000), ("К-1", 1000)]
    _enter(cluster, "t_planning_editor", "t_planning_verifier", "planning.zoning_zone", [
        {"zone_code": code, "zone_index": f"{code}/1", "permitted_uses": "за планом", "council_decision": "№ 1",
         "decision_date": "2021-06-24", "geom": square(dx, -3000, 2000, 6000)}
        for code, dx in zones
    ])  # fmt: skip
    _enter(cluster, "t_planning_editor", "t_planning_verifier", "planning.restriction_zone", [
        {"kind": "utility", "name_uk": "Охоронна зона тепломережі", "geom": square(0, 0, 100)},
    ])  # fmt: skip

    def parcel(n: int, dx: float, address: str) -> dict:
        return {"cadastral_number": f"1810100000:01:001:{n:04d}", "area_ha": 0.04, "land_use_code": "18.00",
                "ownership": "communal", "lease_status": "own_use", "balance_holder_edrpou": "04053625",
                "address_text": address, "geom": square(dx, 500, 20)}  # fmt: skip

    park, street_zone, square_by_address, unknown, house = _enter(
        cluster, "t_property_editor", "t_property_verifier", "property.land_parcel", [
            parcel(1, -2500, "вул. Паркова, 1"),
            parcel(2, -500, "вул. Київська, 2"),
            parcel(3, 1500, "площа Перемоги, 3"),
            parcel(4, 1600, "вул. Промислова, 4"),
            {**parcel(5, 1700, "вул. Промислова, 6"), "land_use_code": "02.01"},
        ])  # fmt: skip
    known, unknown_programme = _enter(cluster, "t_budget_editor", "t_budget_verifier", "budget.project", [
        {"title_uk": f"Проєкт {n}", "object_name": "Об'єкт", "sector": "roads", "budget_year": 2024, "kpkvk": kpkvk,
         "kekv": "3132", "planned_uah": 1000000, "project_status": "planned", "geom": f"POINT({X} {Y + 100 * n})"}
        for n, kpkvk in enumerate(["1217461", "1219999"])
    ])  # fmt: skip

    log: list[str] = []
    conn = psycopg2.connect(cluster.superuser_dsn(DBNAME))
    try:
        assert CHANGELOG in migrate.migrate(conn, log=log.append)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name, record_id, column_name, outcome, new_value FROM meta.conversion_report"
                " WHERE changelog = %s",
                (CHANGELOG,),
            )
            report = {(t, i, c): (o, v) for t, i, c, o, v in cur.fetchall()}
            cur.execute("SELECT id, land_use_code, land_category FROM property.land_parcel ORDER BY id")
            parcels = {i: (use, category) for i, use, category in cur.fetchall()}
            cur.execute("SELECT kind FROM planning.restriction_zone")
            kinds = [k for (k,) in cur.fetchall()]
            cur.execute("SELECT zone_code FROM published.planning_zoning_zone ORDER BY zone_index")
            published_zones = [z for (z,) in cur.fetchall()]
            cur.execute("SELECT id, katottg FROM ref.district ORDER BY id")
            district_codes = dict(cur.fetchall())
            cur.execute("SELECT katottg FROM published.ref_city_boundary WHERE id = %s", (boundary,))
            boundary_code = cur.fetchone()[0]
            cur.execute("SELECT id, fund, kfkvk FROM budget.project ORDER BY id")
            projects = {i: (fund, kfkvk) for i, fund, kfkvk in cur.fetchall()}
            cur.execute(
                "SELECT count(*) FROM history.event WHERE action = 'convert' AND table_name = 'property.land_parcel'"
            )
            (parcel_events,) = cur.fetchone()
    finally:
        conn.close()

    # A park in a recreational zone: 07.08; a street zone or a square's address: 12.13; otherwise a person decides.
    assert parcels[park] == ("07.08", "500")
    assert parcels[street_zone] == ("12.13", "900") and parcels[square_by_address] == ("12.13", "900")
    assert parcels[unknown] == ("18.00", None)
    assert report[("property.land_parcel", unknown, "land_use_code")] == ("needs_human", None)
    assert report[("property.land_parcel", unknown, "land_category")] == ("needs_human", None)
    assert parcels[house] == ("02.01", "200")  # only the category added
    assert parcel_events == 4  # one event a record: the unknown parcel changed in nothing
    assert kinds == ["01.08"] and published_zones == ["КС-1", "Р-3", "ТР-1"]
    assert district_codes == {districts[0]: "UA18040190010281147", districts[1]: "UA18040470010021317"}
    assert report[("ref.district", districts[1], "katottg")][0] == "needs_human"
    assert boundary_code == "UA18040190010057814"  # "Житомир": the city
    assert projects == {known: ("development", "0456"), unknown_programme: ("development", None)}
    assert report[("budget.project", unknown_programme, "kfkvk")] == ("needs_human", None)
    assert any(line.startswith(f"{CHANGELOG}: ") and "left for a person to decide" in line for line in log), log


def test_the_restrictions_of_parcels_take_the_codes_of_the_list(db, tmp_path):
    """Restrictions an import wrote with the city's former kinds get the code of
    the State Land Cadastre's list: the file's own code when it is on the list
    (01.05), the former kind's otherwise (a 2008 code such as 01.01.02 means
    something else in the list); a former "water protection" could be either
    05.01 or 05.02, so a person decides."""
    (parcel_id,) = _insert(db, "property.land_parcel", [parcel()])
    # As the import wrote them before this release: its former kinds were the classifier then.
    restrictions = _insert(db, "property.parcel_restriction", [
        {"parcel_id": parcel_id, "kind": "utility", "cadastre_code": "01.05",
         "name_uk": "Охоронна зона навколо (вздовж) об'єкта енергетичної системи"},
        {"parcel_id": parcel_id, "kind": "historic", "cadastre_code": "01.01.02",
         "name_uk": "Охоронна зона навколо об'єкта культурної спадщини"},
        {"parcel_id": parcel_id, "kind": "water_protection", "cadastre_code": None, "name_uk": "Водоохоронна зона"},
        {"parcel_id": parcel_id, "kind": "sanitary", "cadastre_code": None, "name_uk": "Санітарно-захисна зона"},
    ], bypass_rules=True)  # fmt: skip

    changelog = (migrate.SQL_DIR / "changelogs" / CHANGELOG).read_text(encoding="utf-8")
    upgrade_with_changelog(db, tmp_path, "0469_convert_codes_again.sql", changelog)

    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT id, kind FROM property.parcel_restriction ORDER BY id")
        kinds = dict(cur.fetchall())
        cur.execute(
            "SELECT record_id, outcome FROM meta.conversion_report WHERE table_name = 'property.parcel_restriction'"
        )
        outcomes = dict(cur.fetchall())
        cur.execute(
            "SELECT record_id, reason FROM history.event"
            " WHERE action = 'convert' AND table_name = 'property.parcel_restriction'"
        )
        events = dict(cur.fetchall())
    energy, heritage, water, sanitary = restrictions
    assert kinds == {energy: "01.05", heritage: "01.02", water: "water_protection", sanitary: "03.01"}
    assert outcomes == {energy: "converted", heritage: "converted", water: "needs_human", sanitary: "converted"}
    assert sorted(events) == [energy, heritage, sanitary]
    assert "код обмеження з обмінного файлу" in events[energy]


def _insert(db, table: str, rows: list[dict], bypass_rules: bool = False) -> list[int]:
    """Insert rows as the department's editor, or (bypass_rules) as a database of an
    earlier release held them, when the codes of the former classifier were in force."""
    conn = db.connect(None if bypass_rules else EDITOR[department_of(table)], autocommit=False)
    ids = []
    with conn, conn.cursor() as cur:
        if bypass_rules:
            cur.execute("SET LOCAL session_replication_role = replica")
        for row in rows:
            cols = list(row)
            values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
            cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) RETURNING id", list(row.values()))
            ids.append(cur.fetchone()[0])
    return ids
