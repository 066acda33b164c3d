-- The rules of each register beyond the standard ones every register gets
-- (verification.declare_standard_rules, 40_verification.sql). Declared
-- again on every upgrade: a rule whose words or query change here changes
-- in the database (and in history.configuration_change); a rule removed
-- from this file is removed from the database (80_leftovers.sql); whether
-- a rule is enabled is the administrator's and is kept.
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

-- ------------------------------------------------------------ land use
-- The use is chosen within the category of land (Земельний кодекс, ст. 20):
-- the section of the КВЦПЗ code belongs to one category (ref.cl_land_category
-- lists its sections; sections 16–19 to none in particular).
SELECT verification.declare_rule('land_parcel_category_matches_use', 'property.land_parcel', 'error', 24,
    'Вид цільового призначення (КВЦПЗ) не належить до вказаної категорії земель (Земельний кодекс, ст. 19, 20)',
    'The land use (KVTsPZ) does not belong to the category of land given',
    'Виправте категорію або вид цільового призначення за витягом з кадастру', 'Correct the category or the land use from the cadastre extract',
    $q$SELECT t.id, jsonb_build_object('land_category', t.land_category, 'land_use_code', t.land_use_code), NULL::geometry
  FROM property.land_parcel t JOIN ref.cl_land_category c ON c.code = t.land_category
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1))
   AND left(t.land_use_code, 2) NOT IN ('16', '17', '18', '19')
   AND NOT left(t.land_use_code, 2) = ANY (string_to_array(c.group_code, ' '))$q$);

-- ------------------------------------------------------------ identifiers
-- Cadastral numbers: structure (Порядок ведення ДЗК, постанова КМУ № 1051)
-- and the КОАТУУ of the hromada (ref.cl_koatuu).
SELECT verification.declare_rule('land_parcel_cadastral_number_format', 'property.land_parcel', 'error', 20,
    'Кадастровий номер має неправильний формат (КОАТУУ:ЗЗ:ККК:ДДДД, Порядок ведення ДЗК)',
    'The cadastral number is malformed (KOATUU:ZZ:QQQ:PPPP)',
    'Перепишіть номер із витягу з Державного земельного кадастру', 'Copy the number from the State Land Cadastre extract',
    verification.sql_format('property.land_parcel', ARRAY['cadastral_number'], 'ref.is_valid_cadastral_number'));
SELECT verification.declare_rule('land_parcel_cadastral_number_hromada', 'property.land_parcel', 'error', 20,
    'Кадастровий номер має код КОАТУУ не з громади (класифікатор КОАТУУ громади)',
    'The cadastral number''s KOATUU is not one of the hromada''s',
    'Перевірте номер за витягом з кадастру; якщо ділянка в селі громади, код якого ще не внесено, додайте код до класифікатора КОАТУУ',
    'Check the number; a village of the hromada whose code is missing needs its code in the KOATUU classifier',
    verification.sql_hromada_codes('property.land_parcel', ARRAY['cadastral_number'], 'cadastral_number'));
SELECT verification.declare_rule('land_parcel_cadastral_number_unique', 'property.land_parcel', 'error', 21,
    'Ділянка з таким кадастровим номером у реєстрі вже є',
    'Another parcel has the same cadastral number',
    'Один кадастровий номер — одна ділянка: знайдіть дублікат і об''єднайте записи',
    'One cadastral number, one parcel: find the duplicate and merge the records',
    verification.sql_unique('property.land_parcel', 'cadastral_number'));
SELECT verification.declare_rule('site_cadastral_number_format', 'investment.site', 'error', 20,
    'Кадастровий номер ділянки має неправильний формат (КОАТУУ:ЗЗ:ККК:ДДДД, Порядок ведення ДЗК)',
    'The cadastral number is malformed (KOATUU:ZZ:QQQ:PPPP)',
    'Перепишіть номер із витягу з Державного земельного кадастру', 'Copy the number from the State Land Cadastre extract',
    verification.sql_format('investment.site', ARRAY['cadastral_number'], 'ref.is_valid_cadastral_number'));
SELECT verification.declare_rule('site_cadastral_number_hromada', 'investment.site', 'error', 20,
    'Кадастровий номер ділянки має код КОАТУУ не з громади (класифікатор КОАТУУ громади)',
    'The cadastral number''s KOATUU is not one of the hromada''s',
    'Перевірте номер за витягом з кадастру', 'Check the number against the cadastre extract',
    verification.sql_hromada_codes('investment.site', ARRAY['cadastral_number'], 'cadastral_number'));
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
    'Номер дозволу порожній або з пробілами на початку чи в кінці', 'The permit number is empty or has spaces at its ends',
    'Перепишіть номер із рішення виконавчого комітету', 'Copy the number from the executive committee''s decision',
    verification.sql_format('advertising.permit', ARRAY['permit_number'], 'ref.is_valid_permit_number',
                            '(SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)'));
-- The city's numbering is its own choice and may change: permits numbered
-- before are pointed out, not refused.
SELECT verification.declare_rule('permit_number_numbering', 'advertising.permit', 'warning', 20,
    'Номер дозволу не відповідає нумерації дозволів міста (налаштування permit_number_max_length, permit_number_pattern)',
    'The permit number does not follow the city''s numbering (settings permit_number_max_length, permit_number_pattern)',
    'Якщо дозвіл видано до запровадження нумерації, підтвердьте попередження; інакше перепишіть номер із рішення',
    'A permit issued before the numbering was set may be acknowledged; otherwise copy the number from the decision',
    $q$SELECT t.id, jsonb_build_object('permit_number', t.permit_number),
       (SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)
  FROM advertising.permit t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND ref.is_valid_permit_number(t.permit_number)
   AND NOT ref.follows_permit_numbering(t.permit_number)$q$);
-- A person is identified once: by the tax number, or (having refused it)
-- by the passport (Податковий кодекс України, п. 63.6 ст. 63).
SELECT verification.declare_rule('permit_distributor_identified_once', 'advertising.permit', 'error', 22,
    'Для розповсюджувача вказано і РНОКПП, і паспорт: паспорт вказують лише особи, які відмовилися від РНОКПП',
    'Both a tax number and a passport are given: a passport identifies only a person who refused the tax number',
    'Залиште РНОКПП або (якщо в паспорті є відмітка про відмову) лише паспорт', 'Keep the tax number, or only the passport',
    $q$SELECT t.id, jsonb_build_object('rnokpp_given', true, 'passport_given', true),
       (SELECT s.geom FROM advertising.structure s WHERE s.id = t.structure_id)
  FROM advertising.permit t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1))
   AND t.distributor_rnokpp IS NOT NULL AND t.distributor_passport IS NOT NULL$q$);
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
SELECT verification.declare_rule('district_katottg_hromada', 'ref.district', 'error', 20,
    'Код КАТОТТГ не є кодом громади чи її одиниць (класифікатор КАТОТТГ громади)',
    'The KATOTTG code is not one of the hromada''s units',
    'Перепишіть код із Кодифікатора адміністративно-територіальних одиниць', 'Copy the code from the national codifier',
    verification.sql_hromada_codes('ref.district', ARRAY['katottg'], 'katottg'));
SELECT verification.declare_rule('district_katottg_unique', 'ref.district', 'error', 21,
    'Район із таким кодом КАТОТТГ уже є', 'Another district has the same KATOTTG code',
    'Кожен район має власний код КАТОТТГ', 'Every district has its own KATOTTG code',
    verification.sql_unique('ref.district', 'katottg'));
SELECT verification.declare_rule('city_boundary_katottg_format', 'ref.city_boundary', 'error', 20,
    'Код КАТОТТГ має неправильний формат (UA і 17 цифр)', 'The KATOTTG code is malformed (UA and 17 digits)',
    'Перепишіть код із Кодифікатора адміністративно-територіальних одиниць', 'Copy the code from the national codifier',
    verification.sql_format('ref.city_boundary', ARRAY['katottg'], 'ref.is_valid_katottg'));
SELECT verification.declare_rule('city_boundary_katottg_hromada', 'ref.city_boundary', 'error', 20,
    'Код КАТОТТГ межі не є кодом громади чи її одиниць (класифікатор КАТОТТГ громади)',
    'The boundary''s KATOTTG code is not the hromada''s',
    'Вкажіть код громади з Кодифікатора', 'Give the hromada''s code from the codifier',
    verification.sql_hromada_codes('ref.city_boundary', ARRAY['katottg'], 'katottg'));
SELECT verification.declare_rule('project_tender_id_format', 'budget.project', 'error', 20,
    'Ідентифікатор закупівлі ProZorro має неправильний формат (UA-РРРР-ММ-ДД-NNNNNN-a, «.2» — другий етап діалогу, до 2017 року — без літери)',
    'The ProZorro tender id is malformed (UA-YYYY-MM-DD-NNNNNN-a, ".2" for a second stage, no letter before 2017)',
    'Скопіюйте ідентифікатор зі сторінки закупівлі на prozorro.gov.ua', 'Copy the id from the tender''s page on prozorro.gov.ua',
    verification.sql_format('budget.project', ARRAY['tender_id'], 'ref.is_valid_tender_id'));
SELECT verification.declare_rule('project_tender_id_unique', 'budget.project', 'warning', 21,
    'Ця закупівля ProZorro вказана і в іншому проєкті',
    'The same ProZorro tender is given for another project',
    'Переконайтеся, що одна закупівля справді охоплює обидва об''єкти (лоти)', 'Make sure one tender really covers both objects (lots)',
    verification.sql_unique('budget.project', 'tender_id'));
SELECT verification.declare_rule('project_kpkvk_format', 'budget.project', 'error', 20,
    'Код КПКВКМБ має неправильний формат (ХХ головний розпорядник, Х виконавець 1–9, ХХХХ ТПКВКМБ; наказ Мінфіну № 793)',
    'The programme code (KPKVKMB) is malformed (XX spending unit, X executor 1-9, XXXX TPKVKMB)',
    'Перепишіть код із рішення про бюджет (додаток «Розподіл видатків»)', 'Copy the code from the budget decision',
    verification.sql_format('budget.project', ARRAY['kpkvk'], 'ref.is_valid_kpkvk'));
-- The classifier of programmes kept here is an extract (sql/classifiers/
-- tpkvkmb.toml): an unknown programme is for the verifier to confirm.
SELECT verification.declare_rule('project_tpkvkmb_known', 'budget.project', 'warning', 23,
    'Останні 4 цифри КПКВКМБ — код програми, якого немає в класифікаторі ТПКВКМБ системи (наказ Мінфіну № 793)',
    'The last 4 digits of the programme code are not in the system''s TPKVKMB classifier',
    'Перевірте код за наказом Мінфіну № 793; якщо код чинний, додайте його до sql/classifiers/tpkvkmb.csv',
    'Check the code against the Ministry of Finance order 793; add a valid code to the classifier file',
    $q$SELECT t.id, jsonb_build_object('kpkvk', t.kpkvk, 'tpkvkmb', right(t.kpkvk, 4)), NULL::geometry
  FROM budget.project t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND ref.is_valid_kpkvk(t.kpkvk)
   AND right(t.kpkvk, 4) <> '0000'
   AND NOT EXISTS (SELECT FROM ref.cl_tpkvkmb p WHERE p.code = right(t.kpkvk, 4) AND p.active)$q$);
SELECT verification.declare_rule('project_kfkvk_matches_programme', 'budget.project', 'warning', 23,
    'Код функціональної класифікації не той, до якого належить програма (ТПКВКМБ)',
    'The functional code is not the one the programme (TPKVKMB) belongs to',
    'Вкажіть КФКВК, що стоїть поруч із кодом програми в наказі Мінфіну № 793', 'Give the functional code the programme has in order 793',
    $q$SELECT t.id, jsonb_build_object('kfkvk', t.kfkvk, 'tpkvkmb', p.code, 'programme_kfkvk', p.group_code), NULL::geometry
  FROM budget.project t JOIN ref.cl_tpkvkmb p ON p.code = right(t.kpkvk, 4) AND p.active
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.kfkvk IS NOT NULL AND p.group_code IS NOT NULL
   AND t.kfkvk <> p.group_code$q$);

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
-- Energy efficiency as the certificate states it (Закон «Про енергетичну
-- ефективність будівель» № 2118-VIII): the class comes with a certificate,
-- which is valid 10 years. The class by the indicative bands is an estimate
-- (verification.energy_class_of(), 40_verification.sql): a disagreement is
-- for the verifier to look at, never a refusal.
SELECT verification.declare_rule('building_class_without_certificate', 'energy.building', 'error', 39,
    'Клас енергоефективності вказано без енергетичного сертифіката (номер і дата сертифіката)',
    'An energy class is given without the energy certificate (number and date)',
    'Клас встановлює енергетичний сертифікат: внесіть його номер і дату або приберіть клас',
    'The class is stated by a certificate: give its number and date, or remove the class',
    $q$SELECT t.id, jsonb_build_object('energy_class', t.energy_class), NULL::geometry
  FROM energy.building t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.energy_class IS NOT NULL
   AND (t.certificate_number IS NULL OR t.certificate_date IS NULL)$q$);
SELECT verification.declare_rule('building_certificate_expired', 'energy.building', 'warning', 41,
    'Енергетичний сертифікат недійсний: минуло 10 років від його дати (Закон «Про енергетичну ефективність будівель»)',
    'The energy certificate has expired: it is valid for 10 years',
    'Потрібна нова сертифікація будівлі; до неї клас показується як клас простроченого сертифіката',
    'The building needs a new certificate; until then the class is that of an expired certificate',
    $q$SELECT t.id, jsonb_build_object('certificate_number', t.certificate_number,
                                'certificate_valid_until', t.certificate_valid_until), NULL::geometry
  FROM energy.building t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.certificate_valid_until < current_date$q$);
SELECT verification.declare_rule('building_class_vs_certificate', 'energy.building', 'warning', 40,
    'Клас із сертифіката відрізняється від орієнтовної оцінки за питомим енергоспоживанням із сертифіката (спрощена шкала, однакова для всіх будівель)',
    'The certificate''s class differs from the estimate by its specific energy use (a simplified scale, the same for every building)',
    'Звірте клас і питоме енергоспоживання з сертифікатом; межі класів за законом залежать від призначення, поверховості та температурної зони будівлі (наказ Мінрегіону № 169), тож розбіжність може бути правильною — тоді підтвердьте попередження',
    'Compare class and specific energy use with the certificate; the law''s class limits depend on purpose, floors and temperature zone, so a difference may be right: then acknowledge',
    $q$SELECT t.id, jsonb_build_object('energy_class', t.energy_class, 'specific_energy_kwh_m2', t.specific_energy_kwh_m2,
                                'estimated_class', verification.energy_class_of(t.specific_energy_kwh_m2)), NULL::geometry
  FROM energy.building t
 WHERE NOT t.deleted AND ($1 IS NULL OR t.id = ANY ($1)) AND t.energy_class IS NOT NULL
   AND t.specific_energy_kwh_m2 IS NOT NULL
   AND verification.energy_class_of(t.specific_energy_kwh_m2) <> t.energy_class$q$);
-- Heating energy per m² of the year (heat and gas) against the building's class.
SELECT verification.declare_rule('consumption_vs_class', 'energy.consumption', 'warning', 40,
    'Оцінка класу за фактичним споживанням на опалення за рік відрізняється від класу з енергосертифіката',
    'The class estimated from the year''s heating consumption differs from the certificate''s class',
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
                                'estimated_class', verification.energy_class_of(m.kwh_m2)), m.geom
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
