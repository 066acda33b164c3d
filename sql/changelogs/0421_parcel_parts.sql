-- What a cadastral exchange file states of a land parcel beyond the
-- parcel's own columns: the lands (угіддя) inside it, its leases and
-- subleases, and the restrictions of its use (Вимоги до обмінного файлу,
-- додаток до Порядку ведення Державного земельного кадастру, КМУ № 1051 від
-- 17.10.2012: ParcelInfo/LandsParcel, Leases, Subleases, Restrictions).
-- Each is a register of the property department whose records belong to a
-- parcel (parcel_id), so that nothing read from a file is lost and every
-- change of them is reviewed like the parcel's own. The parcel keeps its
-- summary of use (lease_status, user, lease_until) as before.

-- Lands: the kinds of land (угіддя) a parcel consists of, with their area.
CREATE TABLE property.parcel_land (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id  bigint NOT NULL REFERENCES property.land_parcel,
    -- LandParcelInfo/LandCode: the code of the land (угіддя) as the file gives
    -- it; the Вимоги (КМУ № 1051) name the classification, the file holds the code
    land_code  text NOT NULL,
    area_ha    numeric(12, 4)
                   CONSTRAINT parcel_land_area_range CHECK (ref.check_range(area_ha, 0.0001, 5000, 'parcel_land_area_range', 'Площа угіддя, га', 'Land area, ha'))
);
CREATE INDEX parcel_land_parcel_idx ON property.parcel_land (parcel_id);
INSERT INTO workflow.register (table_name, department, title_uk, title_en, personal_columns)
VALUES ('property.parcel_land', 'property', 'Угіддя земельних ділянок', 'Lands of land parcels', '{}');

-- Leases and subleases: one record per lessee of an agreement. A lessee
-- that is a legal entity is public; a private person's name and tax
-- number are personal data, never published.
CREATE TABLE property.parcel_lease (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id            bigint NOT NULL REFERENCES property.land_parcel,
    sublease             boolean NOT NULL DEFAULT false,
    lessee_edrpou        text CONSTRAINT parcel_lease_lessee_edrpou_format CHECK (ref.check_edrpou(lessee_edrpou)),
    lessee_name          text,
    lessee_person_name   text,
    lessee_person_rnokpp text CONSTRAINT parcel_lease_lessee_person_rnokpp_format CHECK (ref.check_rnokpp(lessee_person_rnokpp)),
    area_ha              numeric(12, 4)
                             CONSTRAINT parcel_lease_area_range CHECK (ref.check_range(area_ha, 0.0001, 5000, 'parcel_lease_area_range', 'Площа в оренді, га', 'Leased area, ha')),
    starts_on            date,
    expires_on           date,
    registration         text,   -- number and date of the agreement's state registration
    decision             text,   -- the decision that gave the parcel in lease
    CONSTRAINT parcel_lease_term_order CHECK (ref.check_date_order(starts_on, expires_on, 'parcel_lease_term_order',
        'Строк оренди', 'Lease term'))
);
CREATE INDEX parcel_lease_parcel_idx ON property.parcel_lease (parcel_id);
INSERT INTO workflow.register (table_name, department, title_uk, title_en, personal_columns)
VALUES ('property.parcel_lease', 'property', 'Оренда та суборенда земельних ділянок', 'Leases and subleases of land parcels',
        '{lessee_person_name,lessee_person_rnokpp}');

-- Restrictions of use: the kind from the city's classifier of restriction
-- kinds (ref.cl_restriction_kind; empty when the import settings map the
-- file's code to none), and the code and name as the file states them
-- (RestrictionInfo/RestrictionCode, RestrictionName).
CREATE TABLE property.parcel_restriction (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id     bigint NOT NULL REFERENCES property.land_parcel,
    kind          text REFERENCES ref.cl_restriction_kind,
    cadastre_code text,
    name_uk       text NOT NULL,
    expires_on    date
);
CREATE INDEX parcel_restriction_parcel_idx ON property.parcel_restriction (parcel_id);
INSERT INTO workflow.register (table_name, department, title_uk, title_en, personal_columns)
VALUES ('property.parcel_restriction', 'property', 'Обмеження у використанні земельних ділянок',
        'Restrictions of land parcel use', '{}');
