-- Classifiers: one small table per list, so that every coded column is a
-- plain foreign key and QGIS forms can offer the list as a drop-down
-- (value relation) with Ukrainian labels. Maintained by migrations and the
-- GIS administrator; public (labels are published through
-- published.classifier).

CREATE FUNCTION ref.create_classifier(name text, title_uk text, title_en text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        CREATE TABLE ref.%1$I (
            code       text PRIMARY KEY,
            label_uk   text NOT NULL,
            label_en   text NOT NULL,
            group_code text,
            sort_order integer NOT NULL DEFAULT 0,
            active     boolean NOT NULL DEFAULT true
        )$q$, name);
    EXECUTE format('COMMENT ON TABLE ref.%I IS %L', name, format('Класифікатор: %s / Classifier: %s', title_uk, title_en));
    EXECUTE format('GRANT SELECT ON ref.%I TO gis_admin', name);
    EXECUTE format('GRANT INSERT, UPDATE ON ref.%I TO gis_admin', name);
END
$$;

SELECT ref.create_classifier('cl_ownership', 'Форма власності', 'Form of ownership');
INSERT INTO ref.cl_ownership VALUES
    ('communal', 'комунальна', 'communal', NULL, 1),
    ('state', 'державна', 'state', NULL, 2),
    ('private', 'приватна', 'private', NULL, 3);

-- КВЦПЗ: класифікатор видів цільового призначення земельних ділянок (extract).
SELECT ref.create_classifier('cl_land_use', 'Вид цільового призначення земельної ділянки (КВЦПЗ)', 'Land use (KVTsPZ)');
INSERT INTO ref.cl_land_use VALUES
    ('02.01', 'Для будівництва і обслуговування житлового будинку, господарських будівель і споруд (присадибна ділянка)', 'Detached house and household buildings', '02', 1),
    ('02.03', 'Для будівництва і обслуговування багатоквартирного житлового будинку', 'Apartment building', '02', 2),
    ('02.05', 'Для будівництва індивідуальних гаражів', 'Individual garages', '02', 3),
    ('02.07', 'Для іншої житлової забудови', 'Other residential development', '02', 4),
    ('03.01', 'Для будівництва та обслуговування будівель органів державної влади та місцевого самоврядування', 'Government and local self-government buildings', '03', 10),
    ('03.02', 'Для будівництва та обслуговування будівель закладів освіти', 'Educational buildings', '03', 11),
    ('03.03', 'Для будівництва та обслуговування будівель закладів охорони здоров''я та соціальної допомоги', 'Health care and social buildings', '03', 12),
    ('03.05', 'Для будівництва та обслуговування будівель закладів культурно-просвітницького обслуговування', 'Cultural buildings', '03', 13),
    ('03.07', 'Для будівництва та обслуговування будівель торгівлі', 'Retail buildings', '03', 14),
    ('03.08', 'Для будівництва та обслуговування об''єктів туристичної інфраструктури та закладів громадського харчування', 'Tourism and catering', '03', 15),
    ('03.10', 'Для будівництва та обслуговування будівель ринкової інфраструктури', 'Market infrastructure', '03', 16),
    ('03.15', 'Для будівництва та обслуговування інших будівель громадської забудови', 'Other public buildings', '03', 17),
    ('07.01', 'Для будівництва та обслуговування об''єктів рекреаційного призначення', 'Recreation facilities', '07', 20),
    ('07.02', 'Для будівництва та обслуговування об''єктів фізичної культури і спорту', 'Sport facilities', '07', 21),
    ('11.02', 'Для розміщення та експлуатації основних, підсобних і допоміжних будівель та споруд підприємств переробної, машинобудівної та іншої промисловості', 'Manufacturing industry', '11', 30),
    ('11.04', 'Для розміщення та експлуатації основних, підсобних і допоміжних будівель та споруд технічної інфраструктури', 'Technical infrastructure', '11', 31),
    ('12.04', 'Для розміщення та експлуатації будівель і споруд автомобільного транспорту та дорожнього господарства', 'Road transport', '12', 40),
    ('12.11', 'Для розміщення та експлуатації об''єктів дорожнього сервісу', 'Road services', '12', 41),
    ('14.02', 'Для розміщення, будівництва, експлуатації та обслуговування будівель та споруд об''єктів передачі електричної енергії', 'Power transmission', '14', 50),
    ('18.00', 'Землі загального користування (вулиці, майдани, парки, сквери)', 'Public land (streets, squares, parks)', '18', 60);

SELECT ref.create_classifier('cl_lease_status', 'Стан використання', 'Use and lease status');
INSERT INTO ref.cl_lease_status VALUES
    ('own_use', 'використовується балансоутримувачем', 'used by the balance holder', NULL, 1),
    ('leased', 'в оренді', 'leased', NULL, 2),
    ('permanent_use', 'у постійному користуванні', 'in permanent use', NULL, 3),
    ('free', 'вільний, може бути наданий в оренду', 'vacant, available for lease', NULL, 4),
    ('privatisation', 'включено до переліку для приватизації', 'listed for privatisation', NULL, 5),
    ('private', 'приватна власність', 'private property', NULL, 6);

SELECT ref.create_classifier('cl_object_type', 'Тип об''єкта нерухомості', 'Property object type');
INSERT INTO ref.cl_object_type VALUES
    ('building', 'будівля', 'building', NULL, 1),
    ('premises', 'нежитлове приміщення', 'non-residential premises', NULL, 2),
    ('structure', 'споруда', 'structure', NULL, 3);

SELECT ref.create_classifier('cl_property_use', 'Використання будівлі', 'Building use');
INSERT INTO ref.cl_property_use VALUES
    ('residential', 'житлова', 'residential', NULL, 1),
    ('administrative', 'адміністративна', 'administrative', NULL, 2),
    ('education', 'освіта', 'education', NULL, 3),
    ('health', 'охорона здоров''я', 'health care', NULL, 4),
    ('culture', 'культура', 'culture', NULL, 5),
    ('sport', 'спорт', 'sport', NULL, 6),
    ('retail', 'торгівля та послуги', 'retail and services', NULL, 7),
    ('industrial', 'виробнича', 'industrial', NULL, 8),
    ('utility', 'комунальне господарство', 'utilities', NULL, 9),
    ('garage', 'гаражі', 'garages', NULL, 10);

SELECT ref.create_classifier('cl_street_type', 'Тип вулиці', 'Street type');
INSERT INTO ref.cl_street_type VALUES
    ('вулиця', 'вулиця', 'street', NULL, 1),
    ('провулок', 'провулок', 'lane', NULL, 2),
    ('проспект', 'проспект', 'avenue', NULL, 3),
    ('бульвар', 'бульвар', 'boulevard', NULL, 4),
    ('майдан', 'майдан', 'square', NULL, 5),
    ('площа', 'площа', 'square', NULL, 6),
    ('проїзд', 'проїзд', 'passage', NULL, 7),
    ('шосе', 'шосе', 'highway', NULL, 8),
    ('узвіз', 'узвіз', 'descent', NULL, 9);

SELECT ref.create_classifier('cl_org_type', 'Тип організації', 'Organisation type');
INSERT INTO ref.cl_org_type VALUES
    ('council', 'орган місцевого самоврядування', 'local self-government body', NULL, 1),
    ('municipal_institution', 'комунальний заклад', 'municipal institution', NULL, 2),
    ('municipal_enterprise', 'комунальне підприємство', 'municipal enterprise', NULL, 3),
    ('state_body', 'державна установа', 'state body', NULL, 4),
    ('company', 'господарське товариство', 'company', NULL, 5);

SELECT ref.create_classifier('cl_site_type', 'Тип інвестиційного об''єкта', 'Investment site type');
INSERT INTO ref.cl_site_type VALUES
    ('greenfield', 'грінфілд (вільна земельна ділянка)', 'greenfield', NULL, 1),
    ('brownfield', 'браунфілд (колишній промисловий майданчик)', 'brownfield', NULL, 2),
    ('building', 'будівля або приміщення', 'building or premises', NULL, 3);

SELECT ref.create_classifier('cl_offer_type', 'Умови залучення інвестора', 'Offer type');
INSERT INTO ref.cl_offer_type VALUES
    ('sale', 'продаж на аукціоні', 'sale at auction', NULL, 1),
    ('lease', 'оренда на аукціоні', 'lease at auction', NULL, 2),
    ('ppp', 'державно-приватне партнерство', 'public-private partnership', NULL, 3),
    ('industrial_park', 'індустріальний парк', 'industrial park', NULL, 4);

SELECT ref.create_classifier('cl_functional_zone', 'Функціональна зона генерального плану', 'General plan functional zone');
INSERT INTO ref.cl_functional_zone VALUES
    ('residential_low', 'житлова садибна забудова', 'low-rise residential', 'residential', 1),
    ('residential_multi', 'житлова багатоквартирна забудова', 'multi-storey residential', 'residential', 2),
    ('public', 'громадська забудова', 'public and business', 'public', 3),
    ('industrial', 'виробнича', 'industrial', 'industrial', 4),
    ('communal', 'комунально-складська', 'utilities and warehouses', 'industrial', 5),
    ('transport', 'транспортної інфраструктури', 'transport', 'transport', 6),
    ('recreational', 'рекреаційна', 'recreation', 'recreational', 7),
    ('landscape', 'ландшафтно-рекреаційна та природоохоронна', 'landscape and nature', 'recreational', 8),
    ('water', 'водні поверхні', 'water', 'water', 9);

-- Зональні код за ДБН Б.1.1-22 (зонування території населеного пункту).
SELECT ref.create_classifier('cl_zone_code', 'Територіальна зона плану зонування', 'Zoning plan zone');
INSERT INTO ref.cl_zone_code VALUES
    ('Ж-1', 'Ж-1 садибна житлова забудова', 'Zh-1 detached houses', 'Ж', 1),
    ('Ж-2', 'Ж-2 садибна та блокована житлова забудова', 'Zh-2 detached and terraced houses', 'Ж', 2),
    ('Ж-3', 'Ж-3 середньоповерхова житлова забудова', 'Zh-3 mid-rise housing', 'Ж', 3),
    ('Ж-4', 'Ж-4 багатоповерхова житлова забудова', 'Zh-4 high-rise housing', 'Ж', 4),
    ('Г-1', 'Г-1 громадська забудова загальноміського центру', 'H-1 city centre public', 'Г', 10),
    ('Г-2', 'Г-2 громадська забудова районного значення', 'H-2 district centres', 'Г', 11),
    ('Г-3', 'Г-3 навчальна та лікувальна зона', 'H-3 education and health', 'Г', 12),
    ('Р-1', 'Р-1 природно-заповідних територій', 'R-1 nature reserves', 'Р', 20),
    ('Р-2', 'Р-2 активного відпочинку', 'R-2 parks and active recreation', 'Р', 21),
    ('Р-3', 'Р-3 озеленених територій загального користування', 'R-3 public green areas', 'Р', 22),
    ('В-1', 'В-1 виробнича зона підприємств I-II класу шкідливості', 'V-1 heavy industry', 'В', 30),
    ('В-2', 'В-2 виробнича зона підприємств III класу шкідливості', 'V-2 medium industry', 'В', 31),
    ('В-3', 'В-3 виробнича зона підприємств IV-V класу шкідливості', 'V-3 light industry', 'В', 32),
    ('К-1', 'К-1 комунально-складська зона', 'K-1 utilities and warehouses', 'К', 40),
    ('ТР-1', 'ТР-1 зона магістральних вулиць', 'TR-1 main streets', 'ТР', 50),
    ('ТР-2', 'ТР-2 зона транспортної інфраструктури', 'TR-2 transport infrastructure', 'ТР', 51),
    ('С-1', 'С-1 спеціальна зона (об''єкти оборони, кладовища)', 'S-1 special use', 'С', 60);

SELECT ref.create_classifier('cl_restriction_kind', 'Вид обмеження використання території', 'Kind of land-use restriction');
INSERT INTO ref.cl_restriction_kind VALUES
    ('historic', 'історичний ареал, охоронна зона пам''ятки', 'historic area, monument protection zone', NULL, 1),
    ('water_protection', 'прибережна захисна смуга', 'riparian protection strip', NULL, 2),
    ('sanitary', 'санітарно-захисна зона', 'sanitary protection zone', NULL, 3),
    ('utility', 'охоронна зона інженерних мереж', 'utility protection zone', NULL, 4);

SELECT ref.create_classifier('cl_structure_type', 'Тип рекламного засобу', 'Advertising structure type');
INSERT INTO ref.cl_structure_type VALUES
    ('billboard', 'щит 3×6 м (білборд)', 'billboard 3×6 m', NULL, 1),
    ('citylight', 'сітілайт 1,2×1,8 м', 'city light 1.2×1.8 m', NULL, 2),
    ('backlight', 'беклайт', 'backlight', NULL, 3),
    ('led_screen', 'світлодіодний екран', 'LED screen', NULL, 4),
    ('pillar', 'тумба', 'advertising pillar', NULL, 5),
    ('wall', 'настінна конструкція', 'wall-mounted structure', NULL, 6),
    ('roof', 'дахова конструкція', 'roof-top structure', NULL, 7);

SELECT ref.create_classifier('cl_permit_state', 'Стан дозволу на розміщення реклами', 'Advertising permit state');
INSERT INTO ref.cl_permit_state VALUES
    ('valid', 'чинний', 'valid', NULL, 1),
    ('expired', 'строк дії закінчився', 'expired', NULL, 2),
    ('annulled', 'скасований', 'annulled', NULL, 3),
    ('reissued', 'переоформлений', 'reissued', NULL, 4);

-- Energy performance classes (ДСТУ 9191:2022 / Закон «Про енергетичну
-- ефективність будівель»). group_code holds the map colour.
SELECT ref.create_classifier('cl_energy_class', 'Клас енергетичної ефективності', 'Energy performance class');
INSERT INTO ref.cl_energy_class VALUES
    ('A', 'A — найвищий', 'A — best', '#1a9641', 1),
    ('B', 'B', 'B', '#76c04b', 2),
    ('C', 'C', 'C', '#c4e687', 3),
    ('D', 'D', 'D', '#ffffbf', 4),
    ('E', 'E', 'E', '#fec980', 5),
    ('F', 'F', 'F', '#f17c4a', 6),
    ('G', 'G — найнижчий', 'G — worst', '#d7191c', 7);

SELECT ref.create_classifier('cl_building_use', 'Призначення бюджетної будівлі', 'Municipal building use');
INSERT INTO ref.cl_building_use VALUES
    ('school', 'заклад загальної середньої освіти', 'school', NULL, 1),
    ('kindergarten', 'заклад дошкільної освіти', 'kindergarten', NULL, 2),
    ('hospital', 'лікарня', 'hospital', NULL, 3),
    ('polyclinic', 'поліклініка, амбулаторія', 'outpatient clinic', NULL, 4),
    ('administrative', 'адміністративна будівля', 'administrative building', NULL, 5),
    ('culture', 'заклад культури', 'cultural venue', NULL, 6),
    ('sport', 'спортивна споруда', 'sports facility', NULL, 7),
    ('social', 'заклад соціального захисту', 'social care', NULL, 8);

SELECT ref.create_classifier('cl_measure_type', 'Енергоефективний захід', 'Energy efficiency measure');
INSERT INTO ref.cl_measure_type VALUES
    ('facade_insulation', 'утеплення фасаду', 'facade insulation', 'envelope', 1),
    ('roof_insulation', 'утеплення покрівлі', 'roof insulation', 'envelope', 2),
    ('windows', 'заміна вікон на енергозберігаючі', 'energy-saving windows', 'envelope', 3),
    ('itp', 'встановлення індивідуального теплового пункту (ІТП)', 'individual heat substation', 'heating', 4),
    ('boiler', 'модернізація котельні', 'boiler modernisation', 'heating', 5),
    ('heat_pump', 'встановлення теплового насоса', 'heat pump', 'heating', 6),
    ('led', 'заміна освітлення на світлодіодне', 'LED lighting', 'electricity', 7),
    ('solar_pv', 'сонячна електростанція на даху', 'rooftop solar PV', 'electricity', 8),
    ('metering', 'автоматизований облік енергоресурсів', 'automatic metering', 'management', 9);

SELECT ref.create_classifier('cl_project_status', 'Стан проєкту', 'Project status');
INSERT INTO ref.cl_project_status VALUES
    ('planned', 'заплановано', 'planned', NULL, 1),
    ('tender', 'закупівля', 'procurement', NULL, 2),
    ('in_progress', 'виконується', 'in progress', NULL, 3),
    ('completed', 'завершено', 'completed', NULL, 4),
    ('suspended', 'призупинено', 'suspended', NULL, 5),
    ('cancelled', 'скасовано', 'cancelled', NULL, 6);

SELECT ref.create_classifier('cl_kekv', 'Код економічної класифікації видатків (капітальні)', 'Economic classification of expenditure (capital)');
INSERT INTO ref.cl_kekv VALUES
    ('3110', 'Придбання обладнання і предметів довгострокового користування', 'Equipment and durables', NULL, 1),
    ('3122', 'Капітальне будівництво (придбання) інших об''єктів', 'Capital construction of other objects', NULL, 2),
    ('3132', 'Капітальний ремонт інших об''єктів', 'Capital repair of other objects', NULL, 3),
    ('3142', 'Реконструкція та реставрація інших об''єктів', 'Reconstruction and restoration of other objects', NULL, 4),
    ('3210', 'Капітальні трансферти підприємствам (установам, організаціям)', 'Capital transfers to enterprises', NULL, 5);

SELECT ref.create_classifier('cl_budget_sector', 'Галузь', 'Sector');
INSERT INTO ref.cl_budget_sector VALUES
    ('roads', 'дороги та тротуари', 'roads and pavements', NULL, 1),
    ('education', 'освіта', 'education', NULL, 2),
    ('health', 'охорона здоров''я', 'health care', NULL, 3),
    ('housing', 'житлово-комунальне господарство', 'housing and utilities', NULL, 4),
    ('culture', 'культура і спорт', 'culture and sport', NULL, 5),
    ('parks', 'благоустрій, парки і сквери', 'public spaces and parks', NULL, 6),
    ('transport', 'міський транспорт', 'public transport', NULL, 7),
    ('safety', 'безпека та цивільний захист', 'safety and civil protection', NULL, 8);

-- All labels in one public view, for the portal and the services.
CREATE FUNCTION ref.refresh_classifier_view() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW published.classifier AS ' || (
        SELECT string_agg(format(
            'SELECT %L::text AS list, code, label_uk, label_en, group_code, sort_order FROM ref.%I WHERE active',
            substr(c.relname, 4), c.relname), ' UNION ALL ' ORDER BY c.relname)
          FROM pg_class c
         WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\_%');
    GRANT SELECT ON published.classifier TO PUBLIC;
END
$$;
SELECT ref.refresh_classifier_view();
