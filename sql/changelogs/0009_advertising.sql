-- Outdoor advertising (department "advertising").

CREATE TABLE advertising.structure (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    structure_code   text NOT NULL CONSTRAINT structure_code_format CHECK (structure_code ~ '^РК-[0-9]{5}$'
                         OR ref.rule_violation('structure_code_format',
                                format('Обліковий номер рекламного засобу «%s» має неправильний формат: очікується РК-NNNNN', structure_code),
                                format('Structure code "%s" must look like РК-NNNNN', structure_code)))
                         CONSTRAINT structure_code_unique UNIQUE,
    structure_type   text NOT NULL REFERENCES ref.cl_structure_type,
    width_m          numeric(5, 2) NOT NULL CONSTRAINT structure_width_range CHECK (ref.check_range(width_m, 0.3, 30, 'structure_width_range', 'Ширина, м', 'Width, m')),
    height_m         numeric(5, 2) NOT NULL CONSTRAINT structure_height_range CHECK (ref.check_range(height_m, 0.3, 30, 'structure_height_range', 'Висота, м', 'Height, m')),
    faces            smallint NOT NULL DEFAULT 2 CONSTRAINT structure_faces_range CHECK (ref.check_range(faces, 1, 4, 'structure_faces_range', 'Кількість сторін', 'Faces')),
    illuminated      boolean NOT NULL DEFAULT false,
    address_text     text NOT NULL,
    owner_edrpou     text CONSTRAINT structure_owner_edrpou_format CHECK (ref.check_edrpou(owner_edrpou)),
    owner_name       text,
    geom             geometry(Point, 9836) NOT NULL
);
CREATE INDEX structure_geom_idx ON advertising.structure USING gist (geom);
SELECT workflow.register_table('advertising.structure', 'advertising',
    'Рекламні засоби', 'Advertising structures');

CREATE TABLE advertising.permit (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    structure_id       bigint NOT NULL REFERENCES advertising.structure,
    permit_number      text NOT NULL
                           CONSTRAINT permit_number_format CHECK (ref.check_permit_number(permit_number))
                           CONSTRAINT permit_number_unique UNIQUE,
    -- The distributor is a legal entity (public) or a sole trader, a
    -- private person whose name and tax number are never published.
    distributor_edrpou text CONSTRAINT permit_distributor_edrpou_format CHECK (ref.check_edrpou(distributor_edrpou)),
    distributor_name   text,
    distributor_person_name text,
    distributor_rnokpp text CONSTRAINT permit_distributor_rnokpp_format CHECK (ref.check_rnokpp(distributor_rnokpp)),
    decision_number    text NOT NULL,
    issued_on          date NOT NULL,
    valid_from         date NOT NULL,
    valid_to           date NOT NULL,
    permit_state       text NOT NULL DEFAULT 'valid' REFERENCES ref.cl_permit_state,
    replaces_permit    text,
    fee_uah_month      numeric(10, 2) CONSTRAINT permit_fee_range CHECK (ref.check_range(fee_uah_month, 0, NULL, 'permit_fee_range', 'Плата, грн/міс.', 'Fee, UAH/month')),
    CONSTRAINT permit_validity_order CHECK (ref.check_date_order(valid_from, valid_to, 'permit_validity_order',
        'Строк дії дозволу', 'Permit validity')),
    CONSTRAINT permit_distributor_given CHECK (distributor_edrpou IS NOT NULL OR distributor_rnokpp IS NOT NULL
        OR ref.rule_violation('permit_distributor_given',
               'Вкажіть розповсюджувача реклами: код ЄДРПОУ юридичної особи або РНОКПП фізичної особи-підприємця',
               'The distributor is required: EDRPOU of a company or RNOKPP of a sole trader'))
);
CREATE INDEX permit_structure_idx ON advertising.permit (structure_id);
SELECT workflow.register_table('advertising.permit', 'advertising',
    'Дозволи на розміщення реклами', 'Advertising permits',
    personal_columns => ARRAY['distributor_person_name', 'distributor_rnokpp']);
