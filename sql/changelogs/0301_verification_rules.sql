-- The rules, declared once per register (see 0300 for how they run).
--
-- Conventions of a rule's query: $1 is the bigint[] of record ids to check
-- or NULL for the whole register; it returns (record_id, detail jsonb,
-- location geometry) for the offending records; records marked deleted are
-- skipped; geometric tests leave invalid geometries to the validity rule
-- (an invalid polygon makes false overlaps and can abort an overlay).
--
-- Many identifier rules repeat a CHECK or UNIQUE constraint of the table.
-- They stay as a second line: data loaded around the constraints (bulk
-- imports with triggers off, constraints added later NOT VALID) is still
-- found, and the report of a whole register lists them with the others.

-- ---------------------------------------------------- rule query builders
-- Kept as functions so that an administrator declaring a new rule for a
-- new register writes one line.

CREATE FUNCTION verification.ids_filter(alias text DEFAULT 't') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format('NOT %1$s.deleted AND ($1 IS NULL OR %1$s.id = ANY ($1))', alias);

CREATE FUNCTION verification.sql_geometry_not_empty(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, NULL::jsonb, NULL::geometry FROM %s t
 WHERE %s AND (t.geom IS NULL OR ST_IsEmpty(t.geom))$q$, tbl, verification.ids_filter());

CREATE FUNCTION verification.sql_geometry_valid(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('reason', d.reason), d.location
  FROM %s t CROSS JOIN LATERAL ST_IsValidDetail(t.geom) d
 WHERE %s AND NOT ST_IsEmpty(t.geom) AND NOT ST_IsValid(t.geom)$q$, tbl, verification.ids_filter());

-- The outside part is measured in the feature's own dimension.
CREATE FUNCTION verification.sql_geometry_inside_city(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH city AS MATERIALIZED (
    SELECT b.g, ST_Buffer(b.g, verification.setting_value('boundary_tolerance_m')) AS tolerant
      FROM (SELECT workflow.city_boundary() AS g) b WHERE b.g IS NOT NULL)
SELECT t.id,
       CASE ST_Dimension(t.geom)
            WHEN 2 THEN jsonb_build_object('outside_m2', round(ST_Area(ST_Difference(t.geom, city.g))::numeric, 1))
            WHEN 1 THEN jsonb_build_object('outside_m', round(ST_Length(ST_Difference(t.geom, city.g))::numeric, 1))
            ELSE jsonb_build_object('distance_m', round(ST_Distance(t.geom, city.g)::numeric, 1)) END,
       ST_Difference(t.geom, city.g)
  FROM %s t, city
 WHERE %s AND NOT ST_IsEmpty(t.geom) AND ST_IsValid(t.geom)
   AND NOT ST_CoveredBy(t.geom, city.g) AND NOT ST_CoveredBy(t.geom, city.tolerant)$q$, tbl, verification.ids_filter());

-- Pairs of records whose interiors overlap by more than the tolerance.
-- Over the whole register each pair is found once (a.id < o.id; "+ 0"
-- keeps the planner from driving the join by an id range instead of the
-- spatial index) and reported for both records. ST_Intersects (prepared,
-- cheap) drops the pairs whose boxes only meet before the costly relate;
-- the relate tolerates invalid input, so the other side's validity is
-- tested only on the few pairs left.
CREATE FUNCTION verification.sql_overlap(tbl text, tolerance_key text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH tol AS MATERIALIZED (SELECT verification.setting_value(%3$L) AS m2),
cand AS MATERIALIZED (
    SELECT t.id, t.geom FROM %1$s t
     WHERE %2$s AND NOT ST_IsEmpty(t.geom) AND ST_IsValid(t.geom)),
pairs AS MATERIALIZED (
    SELECT a.id AS a_id, o.id AS o_id, ST_Intersection(a.geom, o.geom) AS shared
      FROM cand a JOIN %1$s o ON o.geom && a.geom AND o.id <> a.id
     WHERE NOT o.deleted AND ($1 IS NOT NULL OR a.id < o.id + 0)
       AND ST_Intersects(a.geom, o.geom) AND ST_Relate(a.geom, o.geom, '2********') AND ST_IsValid(o.geom))
SELECT side.record_id, jsonb_build_object('other_id', side.other_id, 'overlap_m2', round(ST_Area(p.shared)::numeric, 2)),
       p.shared
  FROM pairs p CROSS JOIN tol
 CROSS JOIN LATERAL (VALUES (p.a_id, p.o_id), (p.o_id, p.a_id)) AS side(record_id, other_id)
 WHERE ST_Area(p.shared) > tol.m2$q$, tbl, verification.ids_filter(), tolerance_key);

-- Parts of the city covered by no record of a register that must tile
-- it. Over the whole register the whole city is searched; for some records,
-- a window around them (a gap touching the window's edge is measured inside
-- the window only, so its area is never overstated). A gap is reported on
-- every checked record that borders it.
CREATE FUNCTION verification.sql_gap(tbl text, tolerance_key text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH s AS MATERIALIZED (
    SELECT verification.setting_value(%3$L) AS tol, verification.setting_value('zone_gap_window_m') AS margin),
target AS MATERIALIZED (
    SELECT t.id, t.geom FROM %1$s t
     WHERE %2$s AND NOT ST_IsEmpty(t.geom) AND ST_IsValid(t.geom)),
area AS MATERIALIZED (
    SELECT CASE WHEN $1 IS NULL THEN c.g
                ELSE ST_Intersection(c.g, ST_SetSRID(ST_Expand((SELECT ST_Extent(geom) FROM target)::geometry, s.margin), ST_SRID(c.g))) END AS g
      FROM (SELECT workflow.city_boundary() AS g) c, s
     WHERE c.g IS NOT NULL AND EXISTS (SELECT FROM target)),
covered AS MATERIALIZED (
    SELECT ST_Union(z.geom) AS g FROM %1$s z, area
     WHERE NOT z.deleted AND z.geom && area.g AND NOT ST_IsEmpty(z.geom) AND ST_IsValid(z.geom)),
gaps AS MATERIALIZED (
    SELECT d.geom AS g
      FROM area, covered,
           ST_Dump(CASE WHEN covered.g IS NULL THEN area.g ELSE ST_Difference(area.g, covered.g) END) d, s
     WHERE ST_Dimension(d.geom) = 2 AND ST_Area(d.geom) > s.tol)
SELECT t.id, jsonb_build_object('gap_m2', round(ST_Area(gaps.g)::numeric, 1)), gaps.g
  FROM gaps JOIN target t ON t.geom && ST_Expand(gaps.g, 0.01) AND ST_DWithin(t.geom, gaps.g, 0.01)$q$,
    tbl, verification.ids_filter(), tolerance_key);

-- Values of some columns that a validator refuses.
CREATE FUNCTION verification.sql_format(tbl text, columns text[], validator text,
                                        location text DEFAULT 'NULL::geometry') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('column', c.col, 'value', c.val), %4$s
  FROM %1$s t CROSS JOIN LATERAL (VALUES %3$s) AS c(col, val)
 WHERE %2$s AND c.val IS NOT NULL AND NOT %5$s(c.val)$q$,
    tbl, verification.ids_filter(),
    (SELECT string_agg(format('(%L, t.%I::text)', col, col), ', ') FROM unnest(columns) col),
    location, validator);

-- A value that another record of the register has too.
CREATE FUNCTION verification.sql_unique(tbl text, col text, location text DEFAULT 'NULL::geometry') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('value', t.%3$I, 'other_id', o.id), %4$s
  FROM %1$s t JOIN %1$s o ON o.%3$I = t.%3$I AND o.id <> t.id AND NOT o.deleted
 WHERE %2$s AND t.%3$I IS NOT NULL$q$, tbl, verification.ids_filter(), col, location);

-- Declares (or re-declares) a rule.
CREATE FUNCTION verification.declare_rule(rule_id text, register text, severity text, sort_order integer,
                                          message_uk text, message_en text, hint_uk text, hint_en text, query text)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO verification.rule (id, register, severity, sort_order, message_uk, message_en, hint_uk, hint_en, sql)
    VALUES (rule_id, register, severity, sort_order, message_uk, message_en, hint_uk, hint_en, query)
    ON CONFLICT (id) DO UPDATE SET register = EXCLUDED.register, severity = EXCLUDED.severity,
        sort_order = EXCLUDED.sort_order, message_uk = EXCLUDED.message_uk, message_en = EXCLUDED.message_en,
        hint_uk = EXCLUDED.hint_uk, hint_en = EXCLUDED.hint_en, sql = EXCLUDED.sql;
$$;

-- --------------------------------------------- geometry, every register
DO $$
DECLARE
    reg workflow.register;
    short text;
BEGIN
    FOR reg IN SELECT * FROM workflow.register WHERE geometry_column IS NOT NULL ORDER BY table_name LOOP
        short := split_part(reg.table_name, '.', 2);
        PERFORM verification.declare_rule(short || '_geometry_not_empty', reg.table_name, 'error', 10,
            'Геометрія об''єкта порожня', 'The geometry is empty',
            'Нанесіть об''єкт на карту', 'Draw the feature on the map',
            verification.sql_geometry_not_empty(reg.table_name));
        PERFORM verification.declare_rule(short || '_geometry_valid', reg.table_name, 'error', 11,
            'Геометрія недійсна (самоперетин, дублікати вершин, незамкнений контур)',
            'The geometry is invalid (self-intersection, repeated vertices, unclosed ring)',
            'Виправте геометрію: Векторна геометрія → Виправити геометрії, або перемалюйте контур у місці, показаному на карті',
            'Fix the geometry (Vector geometry → Fix geometries) or redraw the outline where the map shows',
            verification.sql_geometry_valid(reg.table_name));
        IF reg.table_name <> 'ref.city_boundary' THEN
            PERFORM verification.declare_rule(short || '_geometry_inside_city', reg.table_name, 'error', 12,
                'Об''єкт виходить за межі міста Житомира', 'The feature lies outside the boundary of Zhytomyr',
                'Перевірте положення об''єкта та систему координат (EPSG:9836, УСК-2000 / МСК-18 Житомир)',
                'Check where the feature lies and its coordinate system (EPSG:9836)',
                verification.sql_geometry_inside_city(reg.table_name));
        END IF;
    END LOOP;
END
$$;

-- ------------------------------------------------- plans tile the city
SELECT verification.declare_rule('zoning_zone_overlap', 'planning.zoning_zone', 'error', 30,
    'Територіальна зона перекривається з іншою зоною плану зонування',
    'The zone overlaps another zone of the zoning plan',
    'Узгодьте спільну межу зон: одна ділянка міста належить лише одній зоні',
    'Make the zones share their border: every place belongs to one zone only',
    verification.sql_overlap('planning.zoning_zone', 'zone_overlap_tolerance_m2'));
SELECT verification.declare_rule('zoning_zone_gap', 'planning.zoning_zone', 'error', 31,
    'Поруч із зоною є територія міста, не віднесена до жодної зони плану зонування',
    'Next to the zone lies part of the city that belongs to no zone of the zoning plan',
    'Доведіть межу зони до сусідніх зон або додайте зону на прогалину, показану на карті',
    'Extend the zone to its neighbours or add a zone over the gap shown on the map',
    verification.sql_gap('planning.zoning_zone', 'zone_gap_tolerance_m2'));
SELECT verification.declare_rule('functional_zone_overlap', 'planning.functional_zone', 'error', 30,
    'Функціональна зона перекривається з іншою зоною генерального плану',
    'The zone overlaps another functional zone of the general plan',
    'Узгодьте спільну межу зон: одна ділянка міста належить лише одній зоні',
    'Make the zones share their border: every place belongs to one zone only',
    verification.sql_overlap('planning.functional_zone', 'zone_overlap_tolerance_m2'));
SELECT verification.declare_rule('functional_zone_gap', 'planning.functional_zone', 'error', 31,
    'Поруч із зоною є територія міста, не віднесена до жодної функціональної зони генерального плану',
    'Next to the zone lies part of the city that belongs to no functional zone of the general plan',
    'Доведіть межу зони до сусідніх зон або додайте зону на прогалину, показану на карті',
    'Extend the zone to its neighbours or add a zone over the gap shown on the map',
    verification.sql_gap('planning.functional_zone', 'zone_gap_tolerance_m2'));
SELECT verification.declare_rule('land_parcel_overlap', 'property.land_parcel', 'error', 30,
    'Земельна ділянка перекривається з іншою ділянкою',
    'The land parcel overlaps another parcel',
    'Звірте межі з Державним земельним кадастром; спільна межа має збігатися',
    'Compare the outlines with the State Land Cadastre; shared borders must coincide',
    verification.sql_overlap('property.land_parcel', 'parcel_overlap_tolerance_m2'));

-- ------------------------------------------------------------ identifiers
SELECT verification.declare_rule('land_parcel_cadastral_number_format', 'property.land_parcel', 'error', 20,
    'Кадастровий номер має неправильний формат (1810100000:ЗЗ:ККК:ДДДД)',
    'The cadastral number is malformed (1810100000:ZZ:QQQ:PPPP)',
    'Перепишіть номер із витягу з Державного земельного кадастру', 'Copy the number from the State Land Cadastre extract',
    verification.sql_format('property.land_parcel', ARRAY['cadastral_number'], 'ref.is_valid_cadastral_number'));
SELECT verification.declare_rule('land_parcel_cadastral_number_unique', 'property.land_parcel', 'error', 21,
    'Ділянка з таким кадастровим номером у реєстрі вже є',
    'Another parcel has the same cadastral number',
    'Один кадастровий номер — одна ділянка: знайдіть дублікат і об''єднайте записи',
    'One cadastral number, one parcel: find the duplicate and merge the records',
    verification.sql_unique('property.land_parcel', 'cadastral_number'));
SELECT verification.declare_rule('site_cadastral_number_format', 'investment.site', 'error', 20,
    'Кадастровий номер ділянки має неправильний формат (1810100000:ЗЗ:ККК:ДДДД)',
    'The cadastral number is malformed (1810100000:ZZ:QQQ:PPPP)',
    'Перепишіть номер із витягу з Державного земельного кадастру', 'Copy the number from the State Land Cadastre extract',
    verification.sql_format('investment.site', ARRAY['cadastral_number'], 'ref.is_valid_cadastral_number'));
SELECT verification.declare_rule('site_parcel_known', 'investment.site', 'warning', 22,
    'Ділянки з таким кадастровим номером немає серед затверджених земельних ділянок міста',
    'No approved land parcel of the city has this cadastral number',
    'Перевірте номер або попросіть управління комунальної власності внести ділянку до реєстру',
    'Check the number, or ask the property department to enter the parcel',
    $q$SELECT t.id, jsonb_build_object('cadastral_number', t.cadastral_number), NULL::geometry
  FROM investment.site t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.cadastral_number IS NOT NULL
   AND NOT EXISTS (SELECT FROM published.property_land_parcel p WHERE p.cadastral_number = t.cadastral_number)$q$);
SELECT verification.declare_rule('property_object_registry_id_format', 'property.property_object', 'error', 20,
    'Реєстровий номер об''єкта має неправильний формат (ЄДРПОУ балансоутримувача / інвентарний номер)',
    'The registry id is malformed (balance holder EDRPOU / inventory number)',
    'Перевірте код ЄДРПОУ балансоутримувача та інвентарний номер', 'Check the balance holder''s EDRPOU and the inventory number',
    verification.sql_format('property.property_object', ARRAY['registry_id'], 'ref.is_valid_registry_id'));
SELECT verification.declare_rule('property_object_registry_id_unique', 'property.property_object', 'error', 21,
    'Об''єкт із таким реєстровим номером у реєстрі вже є',
    'Another object has the same registry id',
    'Інвентарний номер має бути унікальним на балансі одного утримувача', 'An inventory number is unique on one balance sheet',
    verification.sql_unique('property.property_object', 'registry_id'));
SELECT verification.declare_rule('property_object_parcel_known', 'property.property_object', 'warning', 22,
    'Земельної ділянки з указаним кадастровим номером немає в реєстрі',
    'No land parcel of the register has the given cadastral number',
    'Перевірте кадастровий номер або спершу внесіть ділянку до реєстру', 'Check the number or enter the parcel first',
    $q$SELECT t.id, jsonb_build_object('cadastral_number', t.parcel_cadastral_number), NULL::geometry
  FROM property.property_object t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.parcel_cadastral_number IS NOT NULL
   AND NOT EXISTS (SELECT FROM property.land_parcel p
                    WHERE p.cadastral_number = t.parcel_cadastral_number AND NOT p.deleted)$q$);
SELECT verification.declare_rule('permit_number_format', 'advertising.permit', 'error', 20,
    'Номер дозволу має неправильний формат (РД-РРРР-NNNN)', 'The permit number is malformed (РД-YYYY-NNNN)',
    'Перепишіть номер із рішення виконавчого комітету', 'Copy the number from the executive committee''s decision',
    verification.sql_format('advertising.permit', ARRAY['permit_number'], 'ref.is_valid_permit_number',
                            '(SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)'));
SELECT verification.declare_rule('permit_number_unique', 'advertising.permit', 'error', 21,
    'Дозвіл із таким номером у реєстрі вже є', 'Another permit has the same number',
    'Номер дозволу не повторюється; для переоформлення видається новий номер', 'Permit numbers never repeat; a reissued permit gets a new number',
    verification.sql_unique('advertising.permit', 'permit_number',
                            '(SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)'));
SELECT verification.declare_rule('organisation_edrpou_unique', 'ref.organisation', 'error', 21,
    'Організація з таким кодом ЄДРПОУ вже є', 'Another organisation has the same EDRPOU code',
    'Одна юридична особа — один запис: об''єднайте дублікати', 'One legal entity, one record: merge the duplicates',
    verification.sql_unique('ref.organisation', 'edrpou'));
SELECT verification.declare_rule('district_katottg_format', 'ref.district', 'error', 20,
    'Код КАТОТТГ має неправильний формат (UA і 17 цифр)', 'The KATOTTG code is malformed (UA and 17 digits)',
    'Перепишіть код із Кодифікатора адміністративно-територіальних одиниць', 'Copy the code from the national codifier',
    verification.sql_format('ref.district', ARRAY['katottg'], 'ref.is_valid_katottg'));
SELECT verification.declare_rule('district_katottg_unique', 'ref.district', 'error', 21,
    'Район із таким кодом КАТОТТГ уже є', 'Another district has the same KATOTTG code',
    'Кожен район має власний код КАТОТТГ', 'Every district has its own KATOTTG code',
    verification.sql_unique('ref.district', 'katottg'));
SELECT verification.declare_rule('city_boundary_katottg_format', 'ref.city_boundary', 'error', 20,
    'Код КАТОТТГ має неправильний формат (UA і 17 цифр)', 'The KATOTTG code is malformed (UA and 17 digits)',
    'Перепишіть код із Кодифікатора адміністративно-територіальних одиниць', 'Copy the code from the national codifier',
    verification.sql_format('ref.city_boundary', ARRAY['katottg'], 'ref.is_valid_katottg'));
SELECT verification.declare_rule('project_tender_id_format', 'budget.project', 'error', 20,
    'Ідентифікатор закупівлі ProZorro має неправильний формат (UA-РРРР-ММ-ДД-NNNNNN-a)',
    'The ProZorro tender id is malformed (UA-YYYY-MM-DD-NNNNNN-a)',
    'Скопіюйте ідентифікатор зі сторінки закупівлі на prozorro.gov.ua', 'Copy the id from the tender''s page on prozorro.gov.ua',
    verification.sql_format('budget.project', ARRAY['tender_id'], 'ref.is_valid_tender_id'));
SELECT verification.declare_rule('project_tender_id_unique', 'budget.project', 'warning', 21,
    'Ця закупівля ProZorro вказана і в іншому проєкті',
    'The same ProZorro tender is given for another project',
    'Переконайтеся, що одна закупівля справді охоплює обидва об''єкти (лоти)', 'Make sure one tender really covers both objects (lots)',
    verification.sql_unique('budget.project', 'tender_id'));

-- ЄДРПОУ in every column that holds one, register by register.
DO $$
DECLARE
    reg workflow.register;
    cols text[];
BEGIN
    FOR reg IN SELECT * FROM workflow.register ORDER BY table_name LOOP
        SELECT array_agg(a.attname::text ORDER BY a.attnum) INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = reg.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND (a.attname = 'edrpou' OR a.attname LIKE '%\_edrpou');
        CONTINUE WHEN cols IS NULL;
        PERFORM verification.declare_rule(split_part(reg.table_name, '.', 2) || '_edrpou_format', reg.table_name, 'error', 20,
            'Код ЄДРПОУ недійсний (8 цифр із правильною контрольною цифрою)',
            'The EDRPOU code is invalid (8 digits with a correct check digit)',
            'Перевірте код у Єдиному державному реєстрі юридичних осіб', 'Check the code in the Unified State Register',
            verification.sql_format(reg.table_name, cols, 'ref.is_valid_edrpou',
                CASE WHEN reg.table_name = 'advertising.permit'
                     THEN '(SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)'
                     ELSE 'NULL::geometry' END));
    END LOOP;
END
$$;

-- ------------------------------------------------------ across registers
SELECT verification.declare_rule('structure_zone_forbids_advertising', 'advertising.structure', 'error', 40,
    'Рекламний засіб стоїть у територіальній зоні, де зовнішню рекламу не дозволено',
    'The structure stands in a zoning-plan zone where outdoor advertising is not allowed',
    'Перенесіть засіб за межі зони або відмовте в розміщенні', 'Move the structure out of the zone or refuse the placement',
    $q$SELECT t.id, jsonb_build_object('zone_id', z.id, 'zone_index', z.zone_index), NULL::geometry
  FROM advertising.structure t
  JOIN published.planning_zoning_zone z ON z.geom && t.geom AND ST_Intersects(z.geom, t.geom)
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND NOT z.advertising_allowed$q$);
SELECT verification.declare_rule('structure_in_restricted_zone', 'advertising.structure', 'error', 41,
    'Рекламний засіб стоїть у зоні обмежень, де реклама заборонена',
    'The structure stands in a restriction zone where advertising is forbidden',
    'Перенесіть засіб за межі зони обмежень (історичний ареал, охоронна зона тощо)',
    'Move the structure out of the restriction zone (historic area, protection zone...)',
    $q$SELECT t.id, jsonb_build_object('zone_id', z.id, 'zone_name', z.name_uk, 'kind', z.kind), NULL::geometry
  FROM advertising.structure t
  JOIN published.planning_restriction_zone z ON z.geom && t.geom AND ST_Intersects(z.geom, t.geom)
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND z.advertising_forbidden$q$);
SELECT verification.declare_rule('structure_too_close', 'advertising.structure', 'error', 42,
    'Рекламний засіб стоїть ближче встановленої відстані до іншого засобу',
    'The structure stands closer than the set distance to another structure',
    'Перенесіть засіб: найменша відстань задана в налаштуваннях перевірки (advertising_min_distance_m)',
    'Move the structure: the smallest distance is the setting advertising_min_distance_m',
    $q$WITH s AS MATERIALIZED (SELECT verification.setting_value('advertising_min_distance_m') AS d)
SELECT t.id, jsonb_build_object('other_id', o.id, 'other_code', o.structure_code,
                                'distance_m', round(ST_Distance(t.geom, o.geom)::numeric, 1)),
       ST_MakeLine(t.geom, o.geom)
  FROM s, advertising.structure t
  JOIN advertising.structure o ON o.id <> t.id AND NOT o.deleted
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND ST_DWithin(o.geom, t.geom, s.d)$q$);
-- A site across two zones may give either, if that zone covers a fair share of it.
SELECT verification.declare_rule('site_zone_code_mismatch', 'investment.site', 'error', 40,
    'Указана зона не відповідає плану зонування в місці розташування об''єкта',
    'The declared zone does not match the zoning plan where the site lies',
    'Вкажіть зону з чинного плану зонування, що займає щонайменше чверть ділянки (налаштування site_zone_min_share_pct)',
    'Give a zone of the zoning plan in force that covers at least a quarter of the site (setting site_zone_min_share_pct)',
    $q$WITH s AS MATERIALIZED (SELECT verification.setting_value('site_zone_min_share_pct') AS pct),
shares AS MATERIALIZED (
    SELECT t.id, t.zone_code AS declared, z.zone_code, z.zone_index,
           ST_Area(ST_Intersection(z.geom, t.geom)) / ST_Area(t.geom) * 100 AS share
      FROM investment.site t
      JOIN published.planning_zoning_zone z ON z.geom && t.geom AND ST_Intersects(z.geom, t.geom)
     WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.zone_code IS NOT NULL
       AND ST_IsValid(t.geom) AND ST_Area(t.geom) > 0 AND ST_IsValid(z.geom))
SELECT sh.id,
       jsonb_build_object('declared', min(sh.declared),
                          'zoning', (array_agg(sh.zone_code ORDER BY sh.share DESC, sh.zone_index))[1],
                          'shares', string_agg(format('%s: %s%%', sh.zone_index, round(sh.share::numeric)), ', '
                                               ORDER BY sh.share DESC, sh.zone_index)),
       NULL::geometry
  FROM shares sh CROSS JOIN s
 GROUP BY sh.id, s.pct
HAVING NOT bool_or(sh.zone_code = sh.declared AND sh.share >= s.pct)$q$);
SELECT verification.declare_rule('property_object_address_outside_parcel', 'property.property_object', 'warning', 40,
    'Адресна точка об''єкта лежить поза його земельною ділянкою',
    'The object''s address point lies outside its land parcel',
    'Перевірте адресу та кадастровий номер ділянки об''єкта', 'Check the address and the parcel''s cadastral number',
    $q$WITH s AS MATERIALIZED (SELECT verification.setting_value('address_parcel_tolerance_m') AS tol)
SELECT t.id, jsonb_build_object('address_id', a.id, 'parcel_id', p.id, 'cadastral_number', p.cadastral_number,
                                'distance_m', round(ST_Distance(a.geom, p.geom)::numeric, 1)),
       ST_MakeLine(a.geom, ST_ClosestPoint(p.geom, a.geom))
  FROM s, property.property_object t
  JOIN published.ref_address a ON a.id = t.address_id
  JOIN property.land_parcel p ON p.cadastral_number = t.parcel_cadastral_number AND NOT p.deleted
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND NOT ST_DWithin(a.geom, p.geom, s.tol)$q$);
SELECT verification.declare_rule('project_actual_over_plan', 'budget.project', 'warning', 40,
    'Фактичні видатки перевищують заплановані понад допустиму межу',
    'Actual spending exceeds the planned amount beyond the tolerance',
    'Перевірте суми; перевищення має підтверджувати рішення про зміни до бюджету',
    'Check the amounts; an excess needs a budget amendment decision',
    $q$WITH s AS MATERIALIZED (SELECT verification.setting_value('budget_overrun_tolerance_pct') AS pct)
SELECT t.id, jsonb_build_object('planned_uah', t.planned_uah, 'actual_uah', t.actual_uah,
                                'over_pct', round((t.actual_uah / t.planned_uah - 1) * 100, 1)), NULL::geometry
  FROM s, budget.project t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1))
   AND t.actual_uah > t.planned_uah * (1 + s.pct / 100) AND t.planned_uah > 0$q$);
SELECT verification.declare_rule('permit_validity_too_long', 'advertising.permit', 'error', 40,
    'Строк дії дозволу перевищує граничний (5 років)',
    'The permit is valid for longer than the limit (5 years)',
    'Скоротіть строк дії до граничного (налаштування permit_max_years)', 'Shorten the validity to the limit (setting permit_max_years)',
    $q$WITH s AS MATERIALIZED (SELECT verification.setting_value('permit_max_years')::int AS years)
SELECT t.id, jsonb_build_object('valid_from', t.valid_from, 'valid_to', t.valid_to, 'max_years', s.years),
       (SELECT st.geom FROM advertising.structure st WHERE st.id = t.structure_id)
  FROM s, advertising.permit t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1))
   AND t.valid_to > t.valid_from + make_interval(years => s.years)$q$);
SELECT verification.declare_rule('permit_expired', 'advertising.permit', 'warning', 41,
    'Строк дії дозволу минув, а дозвіл позначено чинним',
    'The permit has expired but is marked valid',
    'Змініть стан дозволу на «строк дії закінчився» або внесіть продовження', 'Set the state to expired or enter the extension',
    $q$SELECT t.id, jsonb_build_object('valid_to', t.valid_to, 'days_ago', current_date - t.valid_to),
       (SELECT st.geom FROM advertising.structure st WHERE st.id = t.structure_id)
  FROM advertising.permit t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.permit_state = 'valid' AND t.valid_to < current_date$q$);
SELECT verification.declare_rule('building_class_vs_certificate', 'energy.building', 'error', 40,
    'Клас енергоефективності не відповідає питомому енергоспоживанню з сертифіката',
    'The energy class does not match the specific energy use of the certificate',
    'Перепишіть клас і питоме споживання з енергетичного сертифіката', 'Copy the class and the specific energy use from the certificate',
    $q$SELECT t.id, jsonb_build_object('energy_class', t.energy_class, 'specific_energy_kwh_m2', t.specific_energy_kwh_m2,
                                'class_of_value', verification.energy_class_of(t.specific_energy_kwh_m2)), NULL::geometry
  FROM energy.building t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.energy_class IS NOT NULL
   AND t.specific_energy_kwh_m2 IS NOT NULL
   AND verification.energy_class_of(t.specific_energy_kwh_m2) <> t.energy_class$q$);
-- Heating energy per m² of the year (heat and gas) against the building's class.
SELECT verification.declare_rule('consumption_vs_class', 'energy.consumption', 'warning', 40,
    'Фактичне споживання на опалення за рік не відповідає класу енергоефективності будівлі',
    'The year''s heating consumption does not match the building''s energy class',
    'Перевірте показники лічильників і опалювану площу; можливо, потрібен новий енергосертифікат',
    'Check the meter readings and the heated area; a new certificate may be due',
    $q$WITH s AS MATERIALIZED (
    SELECT verification.setting_value('heat_kwh_per_gcal') AS heat, verification.setting_value('gas_kwh_per_m3') AS gas,
           verification.setting_value('energy_class_tolerance') AS tol),
m AS MATERIALIZED (
    SELECT t.id, b.id AS building_id, b.energy_class, b.geom,
           round((coalesce(t.heat_gcal, 0) * s.heat + coalesce(t.gas_m3, 0) * s.gas) / b.heated_area_m2, 1) AS kwh_m2
      FROM s, energy.consumption t JOIN energy.building b ON b.id = t.building_id
     WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND b.energy_class IS NOT NULL
       AND (t.heat_gcal IS NOT NULL OR t.gas_m3 IS NOT NULL))
SELECT m.id, jsonb_build_object('building_id', m.building_id, 'energy_class', m.energy_class, 'heating_kwh_m2', m.kwh_m2,
                                'class_of_consumption', verification.energy_class_of(m.kwh_m2)), m.geom
  FROM m, s
 WHERE abs(verification.energy_class_rank(verification.energy_class_of(m.kwh_m2))
           - verification.energy_class_rank(m.energy_class)) > s.tol$q$);
-- Total energy of the year (heat, gas, electricity) against the year before.
SELECT verification.declare_rule('consumption_year_jump', 'energy.consumption', 'warning', 41,
    'Річне споживання енергії різко змінилося порівняно з попереднім роком',
    'The yearly energy consumption changed sharply from the year before',
    'Перевірте показники: помилка в одиницях (кВт·год / МВт·год, Гкал) чи реальна зміна (ремонт, закриття)?',
    'Check the readings: a unit mistake, or a real change (renovation, closure)?',
    $q$WITH s AS MATERIALIZED (
    SELECT verification.setting_value('heat_kwh_per_gcal') AS heat, verification.setting_value('gas_kwh_per_m3') AS gas,
           verification.setting_value('energy_jump_pct') AS pct)
SELECT t.id, jsonb_build_object('year', t.year, 'previous_year', p.year, 'kwh', round(t.kwh), 'previous_kwh', round(p.kwh),
                                'change_pct', round((t.kwh / p.kwh - 1) * 100, 1)),
       (SELECT b.geom FROM energy.building b WHERE b.id = t.building_id)
  FROM s
 CROSS JOIN LATERAL (
       SELECT c.id, c.building_id, c.year,
              coalesce(c.heat_gcal, 0) * s.heat + coalesce(c.gas_m3, 0) * s.gas + coalesce(c.electricity_kwh, 0) AS kwh
         FROM energy.consumption c WHERE NOT c.deleted AND ($1 IS NULL OR c.id = ANY ($1))) t
 CROSS JOIN LATERAL (
       SELECT c.year,
              coalesce(c.heat_gcal, 0) * s.heat + coalesce(c.gas_m3, 0) * s.gas + coalesce(c.electricity_kwh, 0) AS kwh
         FROM energy.consumption c
        WHERE c.building_id = t.building_id AND c.year < t.year AND NOT c.deleted
        ORDER BY c.year DESC LIMIT 1) p
 WHERE p.kwh > 0 AND abs(t.kwh / p.kwh - 1) * 100 > s.pct$q$);

GRANT EXECUTE ON FUNCTION verification.ids_filter(text), verification.sql_geometry_not_empty(text),
    verification.sql_geometry_valid(text), verification.sql_geometry_inside_city(text),
    verification.sql_overlap(text, text), verification.sql_gap(text, text),
    verification.sql_format(text, text[], text, text), verification.sql_unique(text, text, text) TO gis_admin;
