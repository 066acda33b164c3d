# ruff: noqa: E501 - long lines are SQL
"""A city-size dataset for the verification benchmark, written straight into
the tables (as published, approved data) in a few set-based statements,
with known defects planted.

The benchmark loads the project's demo (zhytomyr_gis.demo.loader) when it
is there and plants the same defects into it (``plant_defects``); this
generator is its stand-in (``--data generated``).

Sizes follow the city-scale sample of docs/architecture.md ("Scale"): 60,000 parcels, 40,000
buildings, 3,000 advertising structures, about 1,250 zoning zones that tile
the city; plus addresses, permits, sites, energy buildings with five years
of consumption and budget projects.
"""

from __future__ import annotations

CX, CY = 311371.6, 5569271.9
RADIUS = 5000  # the generated city is a 48-gon of this radius around the centre

PLANTED_INVALID_PARCELS = 300
PLANTED_OVERLAPPING_PAIRS = 300  # 600 parcels with an overlap finding
PLANTED_CLOSE_STRUCTURES = 30  # each makes a too-close pair

_LOAD = f"""
SET session_replication_role = replica;  -- loaded as approved data: no per-row workflow
CREATE TEMP TABLE c AS SELECT {CX}::float8 AS cx, {CY}::float8 AS cy, {RADIUS}::float8 AS r;

INSERT INTO ref.city_boundary (name_uk, name_en, katottg, decision, geom, status)
SELECT 'Житомирська міська територіальна громада', 'Zhytomyr urban hromada', 'UA18040190000029215', 'згенеровано для вимірювань',
       ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(cx, cy), 9836), r, 12)), 'verified' FROM c;

INSERT INTO ref.district (name_uk, name_en, katottg, geom, status)
SELECT d.name_uk, d.name_en, d.katottg,
       ST_Multi(ST_Intersection(b.geom, ST_MakeEnvelope(c.cx + d.x0, c.cy - c.r - 1, c.cx + d.x1, c.cy + c.r + 1, 9836))),
       'verified'
  FROM c, ref.city_boundary b,
       (VALUES ('Богунський', 'Bohunskyi', 'UA18040190010115253', -6000, 0),
               ('Корольовський', 'Korolovskyi', 'UA18040190010281147', 0, 6000)) d(name_uk, name_en, katottg, x0, x1);

-- Blocks of 4 x 4 parcels of 25 m, with 10 m streets between blocks.
CREATE TEMP TABLE block AS
SELECT row_number() OVER (ORDER BY (i * i + j * j), i, j) AS n, i, j,
       c.cx + i * 110 AS x0, c.cy + j * 110 AS y0
  FROM c, generate_series(-45, 45) i, generate_series(-45, 45) j
 WHERE sqrt((i * 110 + 50) ^ 2 + (j * 110 + 50) ^ 2) < c.r - 300;
DELETE FROM block WHERE n > %(parcels)s / 16 + 1;

CREATE TEMP TABLE parcel_cell AS
SELECT row_number() OVER (ORDER BY b.n, a, q) AS n, b.n AS block, a, q,
       b.x0 + a * 25 AS x, b.y0 + q * 25 AS y
  FROM block b, generate_series(0, 3) a, generate_series(0, 3) q;
DELETE FROM parcel_cell WHERE n > %(parcels)s;

INSERT INTO ref.street (name_uk, name_en, street_type, geom, status)
SELECT 'Генерована ' || j, 'Generated ' || j, 'вулиця',
       ST_SetSRID(ST_Multi(ST_MakeLine(ST_MakePoint(min(x0) - 5, min(y0) - 5), ST_MakePoint(max(x0) + 105, min(y0) - 5))), 9836),
       'verified'
  FROM block GROUP BY j;

-- Parcels: rectangles with a vertex in the middle of every side.
INSERT INTO property.land_parcel (cadastral_number, area_ha, land_use_code, ownership, lease_status,
                                  balance_holder_edrpou, address_text, geom, status)
SELECT format('1810100000:%%s:%%s:%%s', lpad((p.block / 1000 + 1)::text, 2, '0'), lpad((p.block %% 1000)::text, 3, '0'),
              lpad((p.a * 4 + p.q + 1)::text, 4, '0')),
       0.0625, '02.01', 'communal', 'free', '04053625', 'згенерована ділянка',
       ST_GeomFromText(format('MULTIPOLYGON(((%%1$s %%2$s,%%3$s %%2$s,%%4$s %%2$s,%%4$s %%5$s,%%4$s %%6$s,%%3$s %%6$s,%%1$s %%6$s,%%1$s %%5$s,%%1$s %%2$s)))',
                              p.x, p.y, p.x + 12.5, p.x + 25, p.y + 12.5, p.y + 25), 9836),
       'verified'
  FROM parcel_cell p ORDER BY p.n;

INSERT INTO ref.address (street_id, house_number, postcode, geom, status)
SELECT s.id, (row_number() OVER (PARTITION BY s.id ORDER BY p.n))::text, '10014',
       ST_SetSRID(ST_MakePoint(p.x + 12.5, p.y + 12.5), 9836), 'verified'
  FROM parcel_cell p JOIN block b ON b.n = p.block JOIN ref.street s ON s.name_uk = 'Генерована ' || b.j
 WHERE p.n <= %(buildings)s ORDER BY p.n;

INSERT INTO property.property_object (balance_holder_edrpou, inventory_number, object_type, name_uk, use_code,
                                      total_area_m2, lease_status, address_id, parcel_cadastral_number, geom, status)
SELECT '04053625', 'Б-' || p.n, 'building', 'Будівля ' || p.n, 'administrative', 144, 'own_use',
       a.id, lp.cadastral_number,
       ST_Multi(ST_MakeEnvelope(p.x + 6.5, p.y + 6.5, p.x + 18.5, p.y + 18.5, 9836)), 'verified'
  FROM parcel_cell p
  JOIN property.land_parcel lp ON lp.id = p.n
  JOIN ref.address a ON a.id = p.n
 WHERE p.n <= %(buildings)s;

-- The zoning plan (250 m cells) and the general plan (1 km cells) tile the city.
INSERT INTO planning.zoning_zone (zone_code, zone_index, permitted_uses, advertising_allowed, council_decision,
                                  decision_date, geom, status)
SELECT z.code, z.code || '/' || row_number() OVER (ORDER BY i, j), 'згідно з планом зонування',
       z.code NOT IN ('Р-1', 'Р-3'), 'рішення № 1289', '2019-12-18',
       ST_Multi(ST_Segmentize(ST_Intersection(b.geom, ST_MakeEnvelope(c.cx + i * 250, c.cy + j * 250,
                                                                      c.cx + (i + 1) * 250, c.cy + (j + 1) * 250, 9836)), 10)),
       'verified'
  FROM c, ref.city_boundary b, generate_series(-21, 20) i, generate_series(-21, 20) j,
       LATERAL (SELECT (ARRAY['Ж-1','Ж-2','Ж-3','Ж-4','Г-1','Г-2','Г-3','Р-1','Р-2','Р-3','В-1','В-2','В-3','КС-1','ТР-1','ТР-2','С-1'])
                       [1 + abs(i * 7 + j * 13) %% 17] AS code) z
 WHERE ST_Area(ST_Intersection(b.geom, ST_MakeEnvelope(c.cx + i * 250, c.cy + j * 250,
                                                       c.cx + (i + 1) * 250, c.cy + (j + 1) * 250, 9836))) > 1;

INSERT INTO planning.functional_zone (zone_type, name_uk, geom, status)
SELECT (ARRAY['residential_low','residential_multi','public','industrial','communal','transport','recreational','landscape'])
           [1 + abs(i * 3 + j * 5) %% 8], 'Зона ' || i || '/' || j,
       ST_Multi(ST_Segmentize(ST_Intersection(b.geom, ST_MakeEnvelope(c.cx + i * 1000, c.cy + j * 1000,
                                                                      c.cx + (i + 1) * 1000, c.cy + (j + 1) * 1000, 9836)), 10)),
       'verified'
  FROM c, ref.city_boundary b, generate_series(-6, 5) i, generate_series(-6, 5) j
 WHERE ST_Area(ST_Intersection(b.geom, ST_MakeEnvelope(c.cx + i * 1000, c.cy + j * 1000,
                                                       c.cx + (i + 1) * 1000, c.cy + (j + 1) * 1000, 9836))) > 1;

INSERT INTO planning.restriction_zone (kind, name_uk, advertising_forbidden, geom, status)
SELECT CASE WHEN k %% 3 = 0 THEN '05.02' ELSE '01.02' END, 'Зона обмежень ' || k, k %% 3 <> 0,
       ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(c.cx + 3200 * cos(k), c.cy + 3200 * sin(k)), 9836), 150, 8)), 'verified'
  FROM c, generate_series(1, 15) k;

-- Advertising: one structure per block on its street, 110 m apart.
INSERT INTO advertising.structure (structure_code, structure_type, width_m, height_m, faces, address_text, owner_edrpou, geom, status)
SELECT 'РК-' || lpad(b.n::text, 5, '0'), 'billboard', 6, 3, 2, 'вул. Генерована ' || b.j, '32855961',
       ST_SetSRID(ST_MakePoint(b.x0 + 50, b.y0 - 5), 9836), 'verified'
  FROM block b WHERE b.n <= %(structures)s ORDER BY b.n;
INSERT INTO advertising.permit (structure_id, permit_number, distributor_edrpou, distributor_name, decision_number,
                                issued_on, valid_from, valid_to, permit_state, status)
SELECT s.id, 'РД-' || (2020 + s.id %% 5) || '-' || lpad(s.id::text, 4, '0'), '32855961', 'ТОВ «Житомир Медіа»', '№ ' || s.id,
       make_date((2020 + s.id %% 5)::int, (1 + s.id %% 12)::int, 1), make_date((2020 + s.id %% 5)::int, (1 + s.id %% 12)::int, 1),
       make_date((2025 + s.id %% 5)::int, (1 + s.id %% 12)::int, 1) - 1, 'valid', 'verified'
  FROM advertising.structure s WHERE s.id <= 9999;

INSERT INTO investment.site (site_code, name_uk, name_en, site_type, offer_type, area_ha, zone_code, ownership, geom, status)
SELECT 'ІНВ-' || lpad(k::text, 3, '0'), 'Інвестиційна ділянка ' || k, 'Investment site ' || k, 'greenfield', 'lease', 1,
       NULL, 'communal', ST_Multi(ST_MakeEnvelope(x, y, x + 100, y + 100, 9836)), 'verified'
  FROM c, generate_series(1, 150) k,
       LATERAL (SELECT c.cx + 3800 * cos(k * 0.7) AS x, c.cy + 3800 * sin(k * 0.7) * 0.9 AS y) p;
UPDATE investment.site s SET zone_code = z.zone_code
  FROM planning.zoning_zone z WHERE ST_Intersects(z.geom, ST_PointOnSurface(s.geom));

INSERT INTO energy.building (name_uk, building_use, balance_holder_edrpou, address_text, heated_area_m2, year_built,
                             energy_class, certificate_number, certificate_date, specific_energy_kwh_m2, geom, status)
SELECT 'Заклад № ' || k, 'school', '04053625', 'вул. Генерована', 2000, 1970,
       'D', 'ЕС-2023-' || lpad(k::text, 5, '0'), '2023-03-01', 150, ST_Multi(ST_MakeEnvelope(p.x + 2, p.y + 2, p.x + 23, p.y + 23, 9836)), 'verified'
  FROM generate_series(1, 400) k JOIN parcel_cell p ON p.n = 40000 + k * 37;
INSERT INTO energy.consumption (building_id, year, heat_gcal, electricity_kwh, gas_m3, status)
SELECT b.id, y, 258 * (1 + ((b.id * y) %% 7 - 3) / 100.0), 60000, NULL, 'verified'
  FROM energy.building b, generate_series(2019, 2023) y;

INSERT INTO budget.project (title_uk, object_name, sector, budget_year, fund, kpkvk, kfkvk, kekv, planned_uah, actual_uah,
                            contractor_edrpou, tender_id, project_status, address_text, geom, status)
SELECT 'Капітальний ремонт об''єкта № ' || k, 'Об''єкт ' || k,
       (ARRAY['roads','education','health','housing','culture','parks','transport','safety'])[1 + k %% 8],
       2023, 'development', '1217461', '0456', '3132', 1000000 + k * 100, 950000 + k * 90, '32855961',
       format('UA-2023-%%s-%%s-%%s-a', lpad((1 + k %% 12)::text, 2, '0'), lpad((1 + k %% 28)::text, 2, '0'),
              lpad(k::text, 6, '0')),
       'completed', 'вул. Генерована', ST_SetSRID(ST_MakePoint(p.x + 12.5, p.y + 3), 9836), 'verified'
  FROM generate_series(1, %(projects)s) k JOIN parcel_cell p ON p.n = k * 23;

INSERT INTO ref.organisation (edrpou, name_uk, org_type, email, status)
SELECT code, 'Організація ' || code, 'municipal_institution', 'info@example.org', 'verified'
  FROM (SELECT DISTINCT ON (prefix) prefix::text || d AS code
          FROM generate_series(2000000, 2000000 + %(organisations)s * 3) prefix, generate_series(0, 9) d
         WHERE ref.is_valid_edrpou(prefix::text || d) ORDER BY prefix, d) v
 LIMIT %(organisations)s;

RESET session_replication_role;
"""

_PLANT = f"""
SET session_replication_role = replica;
-- Invalid parcels: bow-ties in place of every 200th parcel.
WITH chosen AS (SELECT id FROM property.land_parcel WHERE id %% 200 = 7 ORDER BY id LIMIT {PLANTED_INVALID_PARCELS})
UPDATE property.land_parcel p
   SET geom = ST_GeomFromText(format('MULTIPOLYGON(((%%1$s %%2$s,%%3$s %%4$s,%%3$s %%2$s,%%1$s %%4$s,%%1$s %%2$s)))',
                                     ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)), 9836)
  FROM chosen WHERE chosen.id = p.id;
-- Overlapping parcels: parcels pushed 5 m north, into their neighbour (in
-- the generated blocks always exactly one: the next parcel of the column).
WITH chosen AS (
    SELECT p.id FROM property.land_parcel p
     WHERE p.id %% 200 = 101 AND ST_IsValid(p.geom)
     ORDER BY p.id LIMIT {PLANTED_OVERLAPPING_PAIRS})
UPDATE property.land_parcel p SET geom = ST_Translate(p.geom, 0, 5) FROM chosen WHERE chosen.id = p.id;
-- Structures too close: a second one 20 m from some.
INSERT INTO advertising.structure (structure_code, structure_type, width_m, height_m, faces, address_text, geom, status)
SELECT 'РК-' || lpad((90000 + s.id)::text, 5, '0'), 'citylight', 1.2, 1.8, 2, s.address_text,
       ST_Translate(s.geom, 20, 0), 'draft'
  FROM advertising.structure s WHERE s.id %% 100 = 3 ORDER BY s.id LIMIT {PLANTED_CLOSE_STRUCTURES};
-- What the public sees follows (as if the defects had been approved long ago).
UPDATE published.property_land_parcel p SET geom = w.geom
  FROM property.land_parcel w WHERE w.id = p.id AND NOT ST_OrderingEquals(w.geom, p.geom);
RESET session_replication_role;
"""

_PUBLISH = """
SET session_replication_role = replica;
DO $$
DECLARE
    reg workflow.register;
    cols text;
BEGIN
    FOR reg IN SELECT * FROM workflow.register LOOP
        cols := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(reg.published_columns) c);
        EXECUTE format('DELETE FROM %s', reg.published_table);
        EXECUTE format('INSERT INTO %s (%s, published_at, published_version)
                        SELECT %s, now(), version FROM %s WHERE status = ''verified'' AND NOT deleted',
                       reg.published_table, cols, cols, reg.table_name);
    END LOOP;
END
$$;
RESET session_replication_role;
"""

SIZES = {
    "city": {"parcels": 60000, "buildings": 40000, "structures": 3000, "projects": 2000, "organisations": 500},
    "small": {"parcels": 4000, "buildings": 2000, "structures": 300, "projects": 100, "organisations": 50},
}


def load(conn, size: str = "city") -> None:
    """Generate the dataset into a freshly migrated database (superuser connection)."""
    with conn, conn.cursor() as cur:
        cur.execute(_LOAD, SIZES[size])
        cur.execute(_PUBLISH)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.autocommit = False


def plant_defects(conn) -> None:
    """Invalid and overlapping parcels, structures too close: what the checks must find."""
    with conn, conn.cursor() as cur:
        cur.execute(_PLANT, {})
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.autocommit = False
