-- Investment map (department "investment").

CREATE TABLE investment.site (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_code         text NOT NULL CONSTRAINT site_code_format CHECK (site_code ~ '^ІНВ-[0-9]{3}$'
                          OR ref.rule_violation('site_code_format',
                                 format('Код інвестиційного об''єкта «%s» має неправильний формат: очікується ІНВ-NNN', site_code),
                                 format('Investment site code "%s" must look like ІНВ-NNN', site_code)))
                          CONSTRAINT site_code_unique UNIQUE,
    name_uk           text NOT NULL,
    name_en           text NOT NULL,
    site_type         text NOT NULL REFERENCES ref.cl_site_type,
    offer_type        text NOT NULL REFERENCES ref.cl_offer_type,
    area_ha           numeric(10, 4) NOT NULL
                          CONSTRAINT site_area_range CHECK (ref.check_range(area_ha, 0.01, 1000, 'site_area_range', 'Площа, га', 'Area, ha')),
    building_area_m2  numeric(12, 2),
    zone_code         text REFERENCES ref.cl_zone_code,
    cadastral_number  text CONSTRAINT site_cadastral_number_format CHECK (ref.check_cadastral_number(cadastral_number)),
    ownership         text NOT NULL REFERENCES ref.cl_ownership,
    electricity_kw    numeric(10, 1) CONSTRAINT site_electricity_range CHECK (ref.check_range(electricity_kw, 0, 100000, 'site_electricity_range', 'Доступна потужність, кВт', 'Available power, kW')),
    has_water         boolean NOT NULL DEFAULT false,
    has_sewage        boolean NOT NULL DEFAULT false,
    has_gas           boolean NOT NULL DEFAULT false,
    has_heating       boolean NOT NULL DEFAULT false,
    road_access       boolean NOT NULL DEFAULT true,
    rail_access       boolean NOT NULL DEFAULT false,
    price_uah         numeric(14, 2) CONSTRAINT site_price_range CHECK (ref.check_range(price_uah, 0, NULL, 'site_price_range', 'Ціна, грн', 'Price, UAH')),
    terms_uk          text,
    terms_en          text,
    contact_department text NOT NULL DEFAULT 'Відділ інвестицій Житомирської міської ради',
    contact_email     text NOT NULL DEFAULT 'invest@zt-rada.gov.ua',
    contact_phone     text NOT NULL DEFAULT '+380 412 48-12-00',
    geom              geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX site_geom_idx ON investment.site USING gist (geom);
SELECT workflow.register_table('investment.site', 'investment', 'Інвестиційні об''єкти', 'Investment sites');
