-- Existing records move to the codes of sql/classifiers (loaded by the
-- upgrade after 0430): each conversion is a new version of the record,
-- written to the history as the upgrade's change (action 'convert', the
-- rule as the reason); the published copy gets the same value; every
-- record converted or left for a person is listed in meta.conversion_report.
-- Permit numbers are not touched: the numbering is the city's setting.

CREATE TEMPORARY TABLE conversion (
    table_name   text NOT NULL,
    record_id    bigint NOT NULL,
    record_label text,
    column_name  text NOT NULL,
    old_value    text,
    new_value    text,       -- NULL: a person must decide
    note         text NOT NULL
) ON COMMIT DROP;

-- Land parcels of public land (КВЦПЗ 18.00, "streets, squares, parks") get
-- the codes of the classification in force: a parcel that lies (mostly) in a
-- recreational zone of the approved zoning plan is public green area 07.08;
-- one whose address is a square (майдан, площа) or that lies in a street
-- zone is a street or square, 12.13. The others stay 18.00 (still a code of
-- the classification: public land not otherwise classified) for a person.
INSERT INTO conversion
SELECT 'property.land_parcel', p.id, p.cadastral_number, 'land_use_code', p.land_use_code,
       CASE WHEN z.zone_code LIKE 'Р-%' THEN '07.08'
            WHEN z.zone_code LIKE 'ТР-%' OR lower(p.address_text) ~ '(^|[^а-яіїєґ''])(майдан|площа)([^а-яіїєґ]|$)' THEN '12.13' END,
       CASE WHEN z.zone_code LIKE 'Р-%'
                THEN format('КВЦПЗ 18.00 → 07.08: ділянка в рекреаційній зоні %s плану зонування — зелені насадження загального користування', z.zone_index)
            WHEN z.zone_code LIKE 'ТР-%' OR lower(p.address_text) ~ '(^|[^а-яіїєґ''])(майдан|площа)([^а-яіїєґ]|$)'
                THEN 'КВЦПЗ 18.00 → 12.13: вулиця, майдан чи площа загального користування'
            ELSE 'КВЦПЗ 18.00: за планом зонування й адресою не видно, вулиця це чи парк — визначте вид цільового призначення (12.13, 07.08 чи інший)' END
  FROM property.land_parcel p
  LEFT JOIN LATERAL (
        SELECT zz.zone_code, zz.zone_index FROM published.planning_zoning_zone zz
         WHERE zz.geom && p.geom AND ST_Intersects(zz.geom, p.geom) AND ST_IsValid(p.geom)
         ORDER BY ST_Area(ST_Intersection(zz.geom, p.geom)) DESC LIMIT 1) z ON true
 WHERE p.land_use_code = '18.00' AND NOT p.deleted;

-- The category of land follows from the section of the land use code
-- (Земельний кодекс, ст. 19, 20); land of sections 16–19 may be of any
-- category and is left for a person.
INSERT INTO conversion
SELECT 'property.land_parcel', p.id, p.cadastral_number, 'land_category', NULL, c.code,
       CASE WHEN c.code IS NULL
            THEN format('Категорію земель за видом цільового призначення %s не визначити (розділи 16–19: землі запасу, резервного фонду, загального користування): вкажіть її', coalesce(n.new_value, p.land_use_code))
            ELSE format('Категорія земель %s — за розділом %s КВЦПЗ', c.code, left(coalesce(n.new_value, p.land_use_code), 2)) END
  FROM property.land_parcel p
  LEFT JOIN conversion n ON n.table_name = 'property.land_parcel' AND n.record_id = p.id AND n.column_name = 'land_use_code'
  LEFT JOIN ref.cl_land_category c
         ON left(coalesce(n.new_value, p.land_use_code), 2) = ANY (string_to_array(c.group_code, ' '))
 WHERE p.land_category IS NULL AND NOT p.deleted;

-- Zoning: К-1 meant communal and warehouse zones; in ДБН Б.1.1-22:2017 К is
-- a resort zone and communal-warehouse zones are КС.
INSERT INTO conversion
SELECT 'planning.zoning_zone', z.id, z.zone_index, 'zone_code', z.zone_code, 'КС-1',
       'Код зони К-1 → КС-1: комунально-складська зона за ДБН Б.1.1-22:2017 (К — курортні зони)'
  FROM planning.zoning_zone z WHERE z.zone_code = 'К-1' AND NOT z.deleted;
INSERT INTO conversion
SELECT 'investment.site', s.id, s.site_code, 'zone_code', s.zone_code, 'КС-1',
       'Код зони К-1 → КС-1: комунально-складська зона за ДБН Б.1.1-22:2017 (К — курортні зони)'
  FROM investment.site s WHERE s.zone_code = 'К-1' AND NOT s.deleted;

-- Restriction zones and the restrictions of parcels read from exchange
-- files: the codes of the restrictions list of the State Land Cadastre
-- (додаток 6 до Порядку ведення ДЗК).
CREATE TEMPORARY TABLE restriction_kind_code (old_code text, new_code text, note text) ON COMMIT DROP;
INSERT INTO restriction_kind_code VALUES
    ('historic', '01.02', 'Вид обмеження historic → 01.02: охоронна зона об''єкта культурної спадщини (історичний ареал)'),
    ('water_protection', '05.02', 'Вид обмеження water_protection → 05.02: прибережна захисна смуга вздовж річок, навколо водойм'),
    ('sanitary', '03.01', 'Вид обмеження sanitary → 03.01: санітарно-захисна зона'),
    ('utility', '01.08', 'Вид обмеження utility → 01.08: охоронна зона навколо інженерних комунікацій');
INSERT INTO conversion
SELECT 'planning.restriction_zone', r.id, r.name_uk, 'kind', r.kind, m.new_code, m.note
  FROM planning.restriction_zone r JOIN restriction_kind_code m ON m.old_code = r.kind
 WHERE NOT r.deleted;
-- A parcel's restriction keeps the code the file gave it: when that code is
-- one of the list, it is the kind (a file of the 2008 classifier has codes
-- that mean other things, so a code outside the list is left to a person).
-- The register came with 0421: its records (and the workflow's columns) exist
-- only in a database upgraded past 0421 before.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'property.parcel_restriction'::regclass
                                          AND attname = 'deleted' AND NOT attisdropped) THEN
        INSERT INTO conversion
        SELECT 'property.parcel_restriction', r.id, r.name_uk, 'kind', r.kind,
               CASE WHEN k.code IS NOT NULL THEN k.code WHEN r.kind <> 'water_protection' THEN m.new_code END,
               CASE WHEN k.code IS NOT NULL
                    THEN format('Вид обмеження %s → %s: код обмеження з обмінного файлу', r.kind, k.code)
                    WHEN r.kind = 'water_protection'
                    THEN format('Вид обмеження water_protection: за назвою «%s» виберіть 05.01 (водоохоронна зона) або 05.02 (прибережна захисна смуга)', r.name_uk)
                    ELSE m.note END
          FROM property.parcel_restriction r
          JOIN restriction_kind_code m ON m.old_code = r.kind
          LEFT JOIN ref.cl_restriction_kind k ON k.code = r.cadastre_code AND k.active
         WHERE NOT (to_jsonb(r) ->> 'deleted')::boolean;
    END IF;
END
$$;

-- The hromada's KATOTTG codes: the boundary and the districts, by name.
INSERT INTO conversion
SELECT 'ref.city_boundary', b.id, b.name_uk, 'katottg', b.katottg, m.code,
       coalesce(format('Код КАТОТТГ %s → %s (%s) за Кодифікатором', b.katottg, m.code, m.label_uk),
                format('Код КАТОТТГ %s не належить громаді, а назва «%s» не вказує, чия це межа: вкажіть код громади або міста', b.katottg, b.name_uk))
  FROM ref.city_boundary b
  LEFT JOIN LATERAL (
        SELECT k.code, k.label_uk FROM ref.cl_katottg k
         WHERE k.active AND ((b.name_uk ILIKE '%громад%' AND k.group_code = 'H')
                             OR (b.name_uk NOT ILIKE '%громад%' AND b.name_uk ILIKE 'Житомир%' AND k.group_code = 'M'))
         ORDER BY k.sort_order LIMIT 1) m ON true
 WHERE NOT b.deleted AND NOT EXISTS (SELECT FROM ref.cl_katottg k WHERE k.code = b.katottg AND k.active);
INSERT INTO conversion
SELECT 'ref.district', d.id, d.name_uk, 'katottg', d.katottg, m.code,
       coalesce(format('Код КАТОТТГ %s → %s (%s) за Кодифікатором', d.katottg, m.code, m.label_uk),
                format('Код КАТОТТГ %s не належить громаді, а за назвою «%s» район не знайдено: вкажіть код з Кодифікатора', d.katottg, d.name_uk))
  FROM ref.district d
  LEFT JOIN LATERAL (
        SELECT k.code, k.label_uk FROM ref.cl_katottg k
         WHERE k.active AND k.group_code = 'B' AND split_part(k.label_uk, ' ', 1) = split_part(d.name_uk, ' ', 1)
         ORDER BY k.sort_order LIMIT 1) m ON true
 WHERE NOT d.deleted AND NOT EXISTS (SELECT FROM ref.cl_katottg k WHERE k.code = d.katottg AND k.active);

-- Budget projects: the register holds the development budget's capital
-- projects, so their fund is the development budget; the functional code
-- is the one the programme (the last 4 digits of the КПКВКМБ) belongs to.
INSERT INTO conversion
SELECT 'budget.project', p.id, p.title_uk, 'fund', NULL, 'development',
       'Фонд: бюджет розвитку — реєстр «Бюджет на карті» вів капітальні проєкти бюджету розвитку; перевірте проєкти загального фонду'
  FROM budget.project p WHERE p.fund IS NULL;  -- deletion requests too: the column becomes required
INSERT INTO conversion
SELECT 'budget.project', p.id, p.title_uk, 'kfkvk', NULL, t.group_code,
       CASE WHEN t.group_code IS NULL
            THEN format('Код ТПКВКМБ %s (з КПКВКМБ %s) відсутній у класифікаторі системи: вкажіть код функціональної класифікації', right(p.kpkvk, 4), p.kpkvk)
            ELSE format('КФКВК %s — функціональний код програми %s (ТПКВКМБ)', t.group_code, right(p.kpkvk, 4)) END
  FROM budget.project p
  LEFT JOIN ref.cl_tpkvkmb t ON t.code = right(p.kpkvk, 4) AND t.active
 WHERE p.kfkvk IS NULL AND NOT p.deleted;

-- Apply: per register, one new version of each record with all its
-- conversions, the history event of the upgrade, the same values in the
-- published copy; then the report. Rows inserted above are plain data;
-- the triggers of the registers are off while the upgrade writes, so that
-- the record keeps its state and the event says who changed it: the upgrade.
DO $$
DECLARE
    tbl text;
    pub text;
    sets text;
    pub_sets text;
    added record;
    changelog constant text := '0431_convert_codes.sql';
BEGIN
    FOR tbl IN SELECT DISTINCT c.table_name FROM conversion c WHERE c.new_value IS NOT NULL ORDER BY 1 LOOP
        SELECT string_agg(format('%1$I = coalesce(c.v ->> %1$L, t.%1$I)', col), ', ' ORDER BY col) INTO sets
          FROM (SELECT DISTINCT column_name AS col FROM conversion WHERE table_name = tbl AND new_value IS NOT NULL) x;
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', tbl);
        EXECUTE format($q$
            WITH c AS (
                SELECT record_id, jsonb_object_agg(column_name, new_value) AS v,
                       array_agg(column_name ORDER BY column_name) AS cols,
                       string_agg(note, '; ' ORDER BY column_name) AS why
                  FROM conversion WHERE table_name = $1 AND new_value IS NOT NULL GROUP BY record_id),
            before AS (
                SELECT t.id, to_jsonb(t) AS row FROM %1$s t JOIN c ON c.record_id = t.id),
            changed AS (
                UPDATE %1$s t SET %2$s, version = t.version + 1, updated_by = session_user, updated_at = now()
                  FROM c WHERE t.id = c.record_id
             RETURNING t.id, t.version, t.status, to_jsonb(t) AS row, c.cols, c.why)
            INSERT INTO history.event (action, table_name, record_id, version, status_before, status_after,
                                       changed_columns, reason, old_values, new_values)
            SELECT 'convert', $1, ch.id, ch.version, ch.status, ch.status, ch.cols,
                   format('Оновлення бази (%%s): %%s', $2, ch.why), b.row, ch.row
              FROM changed ch JOIN before b ON b.id = ch.id ORDER BY ch.id
        $q$, tbl, sets) USING tbl, changelog;
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', tbl);

        -- The published copy shows the same codes; a copy that is the
        -- record's approved version moves to the new version with it. A
        -- public column 0430 added joins the copy now (the upgrade would add
        -- it empty), so that the copy has the converted values at once.
        SELECT w.published_table INTO pub FROM workflow.register w WHERE w.table_name = tbl;
        FOR added IN
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
              FROM pg_attribute a JOIN workflow.register w ON w.table_name = tbl
             WHERE a.attrelid = tbl::regclass AND NOT a.attisdropped AND a.attname <> ALL (w.personal_columns)
               AND a.attname IN (SELECT column_name FROM conversion WHERE table_name = tbl AND new_value IS NOT NULL)
               AND NOT EXISTS (SELECT FROM pg_attribute p WHERE p.attrelid = pub::regclass AND p.attname = a.attname
                                  AND NOT p.attisdropped)
        LOOP
            EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', pub::regclass, added.attname, added.type);
        END LOOP;
        SELECT string_agg(format('%1$I = coalesce(c.v ->> %1$L, p.%1$I)', col), ', ' ORDER BY col) INTO pub_sets
          FROM (SELECT DISTINCT column_name AS col FROM conversion
                 WHERE table_name = tbl AND new_value IS NOT NULL) x
         WHERE EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = pub::regclass AND a.attname = x.col
                          AND NOT a.attisdropped);
        IF pub_sets IS NOT NULL THEN
            EXECUTE format($q$
                UPDATE %1$s p SET %2$s,
                       published_version = CASE WHEN w.status = 'verified' AND p.published_version = w.version - 1
                                                THEN w.version ELSE p.published_version END
                  FROM (SELECT record_id, jsonb_object_agg(column_name, new_value) AS v
                          FROM conversion WHERE table_name = $1 AND new_value IS NOT NULL GROUP BY record_id) c,
                       %3$s w
                 WHERE p.id = c.record_id AND w.id = c.record_id
            $q$, pub::regclass, pub_sets, tbl::regclass) USING tbl;
        END IF;
    END LOOP;

    INSERT INTO meta.conversion_report (changelog, table_name, record_id, record_label, column_name,
                                        old_value, new_value, outcome, note)
    SELECT changelog, c.table_name, c.record_id, c.record_label, c.column_name, c.old_value, c.new_value,
           CASE WHEN c.new_value IS NULL THEN 'needs_human' ELSE 'converted' END, c.note
      FROM conversion c ORDER BY c.table_name, c.record_id, c.column_name;
END
$$;

-- Every project has its fund from now on.
ALTER TABLE budget.project ALTER COLUMN fund SET NOT NULL;
