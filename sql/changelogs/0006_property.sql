-- Municipal property registry (department "property").

CREATE TABLE property.land_parcel (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cadastral_number     text NOT NULL
                             CONSTRAINT land_parcel_cadastral_number_format CHECK (ref.check_cadastral_number(cadastral_number))
                             CONSTRAINT land_parcel_cadastral_number_unique UNIQUE,
    area_ha              numeric(12, 4) NOT NULL
                             CONSTRAINT land_parcel_area_range CHECK (ref.check_range(area_ha, 0.0001, 5000, 'land_parcel_area_range', 'Площа ділянки, га', 'Parcel area, ha')),
    land_use_code        text NOT NULL REFERENCES ref.cl_land_use,
    ownership            text NOT NULL REFERENCES ref.cl_ownership,
    lease_status         text NOT NULL REFERENCES ref.cl_lease_status,
    balance_holder_edrpou text CONSTRAINT land_parcel_balance_holder_edrpou_format CHECK (ref.check_edrpou(balance_holder_edrpou)),
    -- A lessee or user that is a legal entity is public; a private person is not.
    user_edrpou          text CONSTRAINT land_parcel_user_edrpou_format CHECK (ref.check_edrpou(user_edrpou)),
    user_name            text,
    user_person_name     text,
    user_person_rnokpp   text CONSTRAINT land_parcel_user_person_rnokpp_format CHECK (ref.check_rnokpp(user_person_rnokpp)),
    lease_until          date,
    lease_decision       text,
    address_text         text,
    district_id          bigint REFERENCES ref.district,
    note                 text,
    geom                 geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX land_parcel_geom_idx ON property.land_parcel USING gist (geom);
SELECT workflow.register_table('property.land_parcel', 'property',
    'Земельні ділянки', 'Land parcels',
    personal_columns => ARRAY['user_person_name', 'user_person_rnokpp']);

CREATE TABLE property.property_object (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The registry id is the balance holder's ЄДРПОУ and the inventory number.
    registry_id          text GENERATED ALWAYS AS (balance_holder_edrpou || '/' || inventory_number) STORED
                             CONSTRAINT property_object_registry_id_unique UNIQUE,
    balance_holder_edrpou text NOT NULL
                             CONSTRAINT property_object_balance_holder_edrpou_format CHECK (ref.check_edrpou(balance_holder_edrpou)),
    inventory_number     text NOT NULL
                             CONSTRAINT property_object_inventory_number_format CHECK (ref.check_inventory_number(inventory_number)),
    object_type          text NOT NULL REFERENCES ref.cl_object_type,
    name_uk              text NOT NULL,
    use_code             text NOT NULL REFERENCES ref.cl_property_use,
    total_area_m2        numeric(12, 2) NOT NULL
                             CONSTRAINT property_object_area_range CHECK (ref.check_range(total_area_m2, 1, 500000, 'property_object_area_range', 'Загальна площа, м²', 'Total area, m²')),
    floors               smallint CONSTRAINT property_object_floors_range CHECK (ref.check_range(floors, 1, 40, 'property_object_floors_range', 'Поверховість', 'Floors')),
    year_built           smallint CONSTRAINT property_object_year_built_range CHECK (ref.check_range(year_built, 1700, 2100, 'property_object_year_built_range', 'Рік побудови', 'Year built')),
    lease_status         text NOT NULL REFERENCES ref.cl_lease_status,
    lessee_edrpou        text CONSTRAINT property_object_lessee_edrpou_format CHECK (ref.check_edrpou(lessee_edrpou)),
    lessee_name          text,
    lessee_person_name   text,
    lease_until          date,
    monthly_rent_uah     numeric(12, 2) CONSTRAINT property_object_rent_range CHECK (ref.check_range(monthly_rent_uah, 0, NULL, 'property_object_rent_range', 'Орендна плата, грн/міс.', 'Rent, UAH/month')),
    address_id           bigint REFERENCES ref.address,
    address_text         text,
    parcel_cadastral_number text CONSTRAINT property_object_parcel_cadastral_number_format CHECK (ref.check_cadastral_number(parcel_cadastral_number)),
    geom                 geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX property_object_geom_idx ON property.property_object USING gist (geom);
SELECT workflow.register_table('property.property_object', 'property',
    'Будівлі та приміщення', 'Buildings and premises',
    personal_columns => ARRAY['lessee_person_name']);
