-- The registers as the Ukrainian state keeps them: classifiers whose codes
-- come from versioned files (sql/classifiers), the codes and numbers the
-- state's documents define, the whole hromada.

-- Where every classifier's codes come from: one row per file of
-- sql/classifiers, written by the upgrade when it loads the file
-- (zhytomyr_gis/migrate.py).
CREATE TABLE ref.classifier_source (
    table_name text PRIMARY KEY,
    file       text NOT NULL,
    checksum   text NOT NULL,
    title_uk   text NOT NULL,
    title_en   text NOT NULL,
    document   text NOT NULL,
    number     text,
    issued_by  text NOT NULL,
    issued_on  date NOT NULL,
    edition    text,
    note       text,
    citation   text NOT NULL,
    codes      integer NOT NULL,
    synced_at  timestamptz NOT NULL DEFAULT now(),
    synced_by  text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE ref.classifier_source IS 'The source (document, number, edition, date) and checksum of each classifier file the upgrade loaded into its table.';

-- New classifiers (their codes: sql/classifiers/<name>.csv).
CREATE TABLE ref.cl_land_category (LIKE ref.cl_ownership INCLUDING ALL);
CREATE TABLE ref.cl_koatuu (LIKE ref.cl_ownership INCLUDING ALL);
CREATE TABLE ref.cl_katottg (LIKE ref.cl_ownership INCLUDING ALL);
CREATE TABLE ref.cl_tpkvkmb (LIKE ref.cl_ownership INCLUDING ALL);
CREATE TABLE ref.cl_budget_fund (LIKE ref.cl_ownership INCLUDING ALL);

-- The upgrade's own changes of records are in the history too.
ALTER TABLE history.event DROP CONSTRAINT event_action_valid;
ALTER TABLE history.event ADD CONSTRAINT event_action_valid CHECK (action IN
    ('insert', 'update', 'delete', 'submit', 'withdraw', 'approve', 'reject', 'restore', 'acknowledge', 'convert'));

-- What an upgrade converted, and what it left for a person to decide.
CREATE TABLE meta.conversion_report (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changelog    text NOT NULL,
    converted_at timestamptz NOT NULL DEFAULT now(),
    table_name   text NOT NULL,
    record_id    bigint NOT NULL,
    record_label text,
    column_name  text NOT NULL,
    old_value    text,
    new_value    text,
    outcome      text NOT NULL CONSTRAINT conversion_report_outcome_valid CHECK (outcome IN ('converted', 'needs_human')),
    note         text NOT NULL
);
CREATE INDEX conversion_report_record_idx ON meta.conversion_report (table_name, record_id);
COMMENT ON TABLE meta.conversion_report IS 'Records an upgrade converted (outcome converted) or could not convert and left for a person (needs_human), with the rule applied.';

-- The city's numbering of advertising permits: the law sets none
-- (Типові правила розміщення зовнішньої реклами, постанова КМУ № 2067
-- від 29.12.2003), so it is a setting of the city.
INSERT INTO verification.setting VALUES
    ('permit_number_max_length', 30, 'знаків',
     'Найбільша довжина номера дозволу на розміщення зовнішньої реклами (нумерацію встановлює місто)',
     'Longest advertising permit number (the city sets the numbering)');
CREATE TABLE verification.text_setting (
    key            text PRIMARY KEY,
    value          text,
    description_uk text NOT NULL,
    description_en text NOT NULL
);
COMMENT ON TABLE verification.text_setting IS 'Settings whose value is text (patterns, examples); NULL: the city has set none. The GIS administrator may change them.';
INSERT INTO verification.text_setting VALUES
    ('permit_number_pattern', NULL,
     'Регулярний вираз, якому відповідає кожен номер дозволу на розміщення реклами (порожньо: будь-який номер, наприклад ^РД-(19|20)[0-9]{2}-[0-9]{4}$)',
     'Regular expression every advertising permit number follows (empty: any number)'),
    ('permit_number_example', NULL,
     'Приклад номера дозволу за нумерацією міста (для підказки в повідомленні)',
     'An example of a permit number of the city''s numbering (shown in the message)');

-- Land parcels: the category of land (Земельний кодекс, ст. 19) and the
-- registration number of the real estate object in the State Register of
-- Real Rights (РНОНМ), where it is registered.
ALTER TABLE property.land_parcel
    ADD COLUMN land_category text REFERENCES ref.cl_land_category,
    ADD COLUMN rnonm text CONSTRAINT land_parcel_rnonm_format CHECK (rnonm IS NULL OR rnonm ~ '^[1-9][0-9]{0,15}$'
        OR ref.rule_violation('land_parcel_rnonm_format',
               format('Реєстраційний номер об''єкта нерухомого майна «%s» має бути числом до 16 цифр, яке присвоїв Державний реєстр речових прав на нерухоме майно (Закон «Про державну реєстрацію речових прав на нерухоме майно та їх обтяжень» № 1952-IV від 01.07.2004)', rnonm),
               format('Real estate registration number "%s" must be the number (up to 16 digits) the State Register of Real Rights gave', rnonm)));
ALTER TABLE property.property_object
    ADD COLUMN rnonm text CONSTRAINT property_object_rnonm_format CHECK (rnonm IS NULL OR rnonm ~ '^[1-9][0-9]{0,15}$'
        OR ref.rule_violation('property_object_rnonm_format',
               format('Реєстраційний номер об''єкта нерухомого майна «%s» має бути числом до 16 цифр, яке присвоїв Державний реєстр речових прав на нерухоме майно (Закон «Про державну реєстрацію речових прав на нерухоме майно та їх обтяжень» № 1952-IV від 01.07.2004)', rnonm),
               format('Real estate registration number "%s" must be the number (up to 16 digits) the State Register of Real Rights gave', rnonm)));

-- Advertising permits: the distributor's contact of the marking on the
-- structure, and the passport of a distributor who refused a tax number.
-- A person who refused the РНОКПП for religious reasons and has the mark in
-- the passport is identified by the passport's series and number
-- (Податковий кодекс України, п. 63.6 ст. 63): a booklet (two letters, six
-- digits; Положення про паспорт громадянина України, постанова ВР
-- № 2503-XII від 26.06.1992) or an ID card (nine digits).
ALTER TABLE advertising.permit
    ADD COLUMN distributor_passport text CONSTRAINT permit_distributor_passport_format CHECK (
        distributor_passport IS NULL OR distributor_passport ~ '^([А-ЯІЇЄҐ]{2}[0-9]{6}|[0-9]{9})$'
        OR ref.rule_violation('permit_distributor_passport_format',
               format('Серія і номер паспорта «%s» записані неправильно: паспорт-книжечка — дві великі літери і шість цифр (АБ123456), ID-картка — дев''ять цифр (для особи, яка відмовилася від РНОКПП і має відмітку в паспорті, Податковий кодекс України, п. 63.6 ст. 63)', distributor_passport),
               format('Passport "%s" must be two capital letters and six digits (booklet) or nine digits (ID card)', distributor_passport))),
    ADD COLUMN distributor_contact text,
    ADD COLUMN distributor_person_contact text;
ALTER TABLE advertising.permit DROP CONSTRAINT permit_distributor_given;
ALTER TABLE advertising.permit ADD CONSTRAINT permit_distributor_given CHECK (
    distributor_edrpou IS NOT NULL OR distributor_rnokpp IS NOT NULL OR distributor_passport IS NOT NULL
    OR ref.rule_violation('permit_distributor_given',
           'Вкажіть розповсюджувача реклами: код ЄДРПОУ юридичної особи, РНОКПП фізичної особи-підприємця або, якщо особа відмовилася від РНОКПП (відмітка «відмова» в паспорті), серію і номер паспорта',
           'The distributor is required: EDRPOU of a company, RNOKPP of a sole trader, or the passport of a person who refused the RNOKPP'));
-- The public contact is a company's; a sole trader's phone is personal.
ALTER TABLE advertising.permit ADD CONSTRAINT permit_distributor_contact_of_company CHECK (
    distributor_contact IS NULL OR distributor_edrpou IS NOT NULL
    OR ref.rule_violation('permit_distributor_contact_of_company',
           'Контакт розповсюджувача-фізичної особи записуйте в поле «Контакт розповсюджувача (ФОП)»: його не публікують',
           'A sole trader''s contact goes into the personal field, which is never published'));
UPDATE workflow.register
   SET personal_columns = personal_columns || ARRAY['distributor_passport', 'distributor_person_contact']
 WHERE table_name = 'advertising.permit';

-- Energy certificates as they are issued: valid 10 years (Закон «Про
-- енергетичну ефективність будівель» № 2118-VIII від 22.06.2017), made by an
-- assessor (a certified person: personal, never published).
ALTER TABLE energy.building
    ADD COLUMN certificate_valid_until date GENERATED ALWAYS AS ((certificate_date + interval '10 years')::date) STORED,
    ADD COLUMN certificate_assessor text;
UPDATE workflow.register
   SET personal_columns = personal_columns || ARRAY['certificate_assessor']
 WHERE table_name = 'energy.building';

-- Budget projects: the fund (Бюджетний кодекс, ст. 13, 71) and the code of
-- the functional classification (КФКВК, наказ Мінфіну № 11 від 14.01.2011).
ALTER TABLE budget.project
    ADD COLUMN fund text REFERENCES ref.cl_budget_fund,
    ADD COLUMN kfkvk text CONSTRAINT project_kfkvk_format CHECK (kfkvk IS NULL OR kfkvk ~ '^(0[1-9]|10)[0-9]{2}$'
        OR ref.rule_violation('project_kfkvk_format',
               format('Код функціональної класифікації «%s» неправильний: очікується 4 цифри від 0100 до 1099 (функціональна класифікація видатків та кредитування бюджету, наказ Мінфіну № 11 від 14.01.2011)', kfkvk),
               format('Functional classification code "%s" must be 4 digits from 0100 to 1099', kfkvk)));

-- Addresses as they are written: 50-а, 12/1, 12 корп. 2 (Порядок
-- присвоєння адрес об'єктам будівництва, об'єктам нерухомого майна,
-- постанова КМУ № 690 від 07.07.2021); postcodes of the whole oblast, for
-- the hromada's villages (Житомирська область: 10000–13999).
ALTER TABLE ref.address DROP CONSTRAINT address_house_number_format;
ALTER TABLE ref.address ADD CONSTRAINT address_house_number_format CHECK (
    house_number ~ '^[0-9]{1,4}(-?[А-ЯІЇЄҐа-яіїєґ])?(/[0-9]{1,4}(-?[А-ЯІЇЄҐа-яіїєґ])?)?( корп\. [0-9]{1,3}[А-ЯІЇЄҐа-яіїєґ]?)?$'
    OR ref.rule_violation('address_house_number_format',
           format('Номер будинку «%s» записано не так, як пишуть адреси: номер, літера (через дефіс або без), дріб, корпус — 12, 12А, 50-а, 4/2, 12/1, 12 корп. 2 (Порядок присвоєння адрес, постанова КМУ № 690 від 07.07.2021)', house_number),
           format('House number "%s" is not written as addresses are (12, 12А, 50-а, 4/2, 12/1, 12 корп. 2)', house_number)));
ALTER TABLE ref.address DROP CONSTRAINT address_postcode_format;
ALTER TABLE ref.address ADD CONSTRAINT address_postcode_format CHECK (
    postcode IS NULL OR postcode ~ '^1[0-3][0-9]{3}$'
    OR ref.rule_violation('address_postcode_format',
           format('Поштовий індекс «%s» не є індексом Житомирської області (10000–13999, довідник поштових індексів АТ «Укрпошта»)', postcode),
           format('Postcode "%s" is not a postcode of Zhytomyr oblast (10000-13999)', postcode)));

-- The boundary the registers lie in is the hromada's.
UPDATE workflow.register SET title_uk = 'Межа громади', title_en = 'Hromada boundary'
 WHERE table_name = 'ref.city_boundary';
