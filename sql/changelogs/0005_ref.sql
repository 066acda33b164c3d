-- Shared reference data, kept by the GIS administrator (department "admin")
-- under the same review as every register.

CREATE TABLE ref.city_boundary (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk   text NOT NULL,
    name_en   text NOT NULL,
    katottg   text NOT NULL CONSTRAINT city_boundary_katottg_format CHECK (ref.check_katottg(katottg)),
    decision  text,
    geom      geometry(MultiPolygon, 9836) NOT NULL
);
SELECT workflow.register_table('ref.city_boundary', 'admin', 'Межа міста', 'City boundary');

CREATE TABLE ref.district (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk   text NOT NULL CONSTRAINT district_name_unique UNIQUE,
    name_en   text NOT NULL,
    katottg   text NOT NULL CONSTRAINT district_katottg_format CHECK (ref.check_katottg(katottg)),
    geom      geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX district_geom_idx ON ref.district USING gist (geom);
SELECT workflow.register_table('ref.district', 'admin', 'Райони міста', 'City districts');

CREATE TABLE ref.street (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk     text NOT NULL,
    name_en     text NOT NULL,
    street_type text NOT NULL REFERENCES ref.cl_street_type,
    former_name text,
    geom        geometry(MultiLineString, 9836) NOT NULL,
    CONSTRAINT street_name_unique UNIQUE (street_type, name_uk)
);
CREATE INDEX street_geom_idx ON ref.street USING gist (geom);
SELECT workflow.register_table('ref.street', 'admin', 'Вулиці', 'Streets');

CREATE TABLE ref.address (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    street_id    bigint NOT NULL REFERENCES ref.street,
    house_number text NOT NULL CONSTRAINT address_house_number_format
                     CHECK (house_number ~ '^[0-9]{1,4}[А-ЯІЇЄҐа-яіїєґ]?(/[0-9]{1,3}[А-ЯІЇЄҐа-яіїєґ]?)?$'
                            OR ref.rule_violation('address_house_number_format',
                                   format('Номер будинку «%s» має неправильний формат (приклади: 12, 12А, 4/2)', house_number),
                                   format('House number "%s" is malformed (examples: 12, 12А, 4/2)', house_number))),
    postcode     text CONSTRAINT address_postcode_format
                     CHECK (postcode IS NULL OR postcode ~ '^10[0-9]{3}$'
                            OR ref.rule_violation('address_postcode_format',
                                   format('Поштовий індекс «%s» не є індексом Житомира (10xxx)', postcode),
                                   format('Postcode "%s" is not a Zhytomyr postcode (10xxx)', postcode))),
    district_id  bigint REFERENCES ref.district,
    geom         geometry(Point, 9836) NOT NULL,
    CONSTRAINT address_unique UNIQUE (street_id, house_number)
);
CREATE INDEX address_geom_idx ON ref.address USING gist (geom);
SELECT workflow.register_table('ref.address', 'admin', 'Адресний реєстр', 'Addresses');

CREATE TABLE ref.organisation (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edrpou         text NOT NULL CONSTRAINT organisation_edrpou_format CHECK (ref.check_edrpou(edrpou))
                       CONSTRAINT organisation_edrpou_unique UNIQUE,
    name_uk        text NOT NULL,
    name_en        text,
    short_name_uk  text,
    org_type       text NOT NULL REFERENCES ref.cl_org_type,
    address_text   text,
    email          text CONSTRAINT organisation_email_format CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
                       OR ref.rule_violation('organisation_email_format',
                              format('Адреса електронної пошти «%s» має неправильний формат', email),
                              format('E-mail address "%s" is malformed', email))),
    phone          text,
    head_name      text      -- a private person: never published
);
SELECT workflow.register_table('ref.organisation', 'admin', 'Організації', 'Organisations',
                               personal_columns => ARRAY['head_name', 'phone']);
