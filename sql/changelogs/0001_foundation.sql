-- migrate: superuser
-- Extensions, the local coordinate system, the roles and the schemas.
-- Runs as superuser (extensions, roles, spatial_ref_sys); every later
-- migration runs as gis_owner, the role that owns all objects and that
-- nobody logs in as.

CREATE EXTENSION IF NOT EXISTS postgis;

-- PostGIS 3.3 ships without EPSG:9836 (UCS-2000 / LCS-18 Zhytomyr), the
-- system of the land cadastre. Registered with its EPSG authority so that
-- PostGIS asks PROJ for the definition (and the datum transformations).
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, proj4text, srtext)
VALUES (9836, 'EPSG', 9836,
  '+proj=tmerc +lat_0=0 +lon_0=28.5 +k=1 +x_0=300000 +y_0=0 +ellps=krass +units=m +no_defs',
  'PROJCS["UCS-2000 / LCS-18 Zhytomyr",GEOGCS["UCS-2000",DATUM["Ukraine_2000",SPHEROID["Krassowsky 1940",6378245,298.3,AUTHORITY["EPSG","7024"]],AUTHORITY["EPSG","1077"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","5561"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",28.5],PARAMETER["scale_factor",1],PARAMETER["false_easting",300000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","9836"]]')
ON CONFLICT (srid) DO NOTHING;

-- Roles are cluster-wide: create each only if missing, so that several
-- databases (the demo, the tests) can live in one cluster.
DO $$
DECLARE
    dept text;
    r text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gis_owner') THEN
        CREATE ROLE gis_owner NOLOGIN;
    END IF;
    FOREACH dept IN ARRAY ARRAY['property', 'investment', 'planning',
                                'advertising', 'energy', 'budget'] LOOP
        FOREACH r IN ARRAY ARRAY[dept || '_editor', dept || '_verifier'] LOOP
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            END IF;
        END LOOP;
    END LOOP;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gis_admin') THEN
        CREATE ROLE gis_admin NOLOGIN;
    END IF;
    -- The public side (QGIS Server). Its password is set by whoever
    -- deploys (see README); it can read the published schema and nothing else.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal_reader') THEN
        CREATE ROLE portal_reader LOGIN;
    END IF;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO gis_owner', current_database());
END
$$;

-- Nobody but the owner creates objects; PostGIS stays usable by all.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO PUBLIC;
-- Temporary tables are not needed by any client of this database.
DO $$ BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

CREATE SCHEMA meta AUTHORIZATION gis_owner;
COMMENT ON SCHEMA meta IS 'Bookkeeping of the database itself (applied migrations, demo loads).';
CREATE SCHEMA workflow AUTHORIZATION gis_owner;
COMMENT ON SCHEMA workflow IS 'The life of a change: departments, registers and the review functions.';
CREATE SCHEMA history AUTHORIZATION gis_owner;
COMMENT ON SCHEMA history IS 'Append-only history of every change and decision.';
CREATE SCHEMA published AUTHORIZATION gis_owner;
COMMENT ON SCHEMA published IS 'What the public sees: the last approved version of every register, without personal data. Written only by workflow.approve().';
CREATE SCHEMA ref AUTHORIZATION gis_owner;
COMMENT ON SCHEMA ref IS 'Shared reference data: boundary, districts, streets, addresses, organisations, classifiers.';
CREATE SCHEMA property AUTHORIZATION gis_owner;
COMMENT ON SCHEMA property IS 'Municipal property registry: land parcels, buildings and premises.';
CREATE SCHEMA investment AUTHORIZATION gis_owner;
COMMENT ON SCHEMA investment IS 'Investment map: sites and objects offered to investors.';
CREATE SCHEMA planning AUTHORIZATION gis_owner;
COMMENT ON SCHEMA planning IS 'General plan functional zones, the zoning plan and restricted zones.';
CREATE SCHEMA advertising AUTHORIZATION gis_owner;
COMMENT ON SCHEMA advertising IS 'Outdoor advertising structures and their permits.';
CREATE SCHEMA energy AUTHORIZATION gis_owner;
COMMENT ON SCHEMA energy IS 'Energy efficiency of municipal buildings.';
CREATE SCHEMA budget AUTHORIZATION gis_owner;
COMMENT ON SCHEMA budget IS 'Budget on the map: development-budget capital projects.';
