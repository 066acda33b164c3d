-- Form and style configuration of the register layers, kept where every
-- QGIS user who adds a layer gets it: QGIS's standard public.layer_styles
-- table (the default style of a PostgreSQL layer). Created here rather than
-- by the first QGIS that saves a style, so that it belongs to gis_owner and
-- the departments can read but not change it. The rows are written by the
-- style builder (make styles, or the plugin's setup run by the GIS admin).
-- Columns as QGIS 3.22 creates them (type and r_raster_column included, so
-- QGIS never needs to ALTER the table).

CREATE TABLE public.layer_styles (
    id                serial PRIMARY KEY,
    f_table_catalog   varchar,
    f_table_schema    varchar,
    f_table_name      varchar,
    f_geometry_column varchar,
    stylename         text,
    styleqml          xml,
    stylesld          xml,
    useasdefault      boolean,
    description       text,
    owner             varchar(63) DEFAULT CURRENT_USER,
    ui                xml,
    update_time       timestamp DEFAULT CURRENT_TIMESTAMP,
    type              varchar,
    r_raster_column   varchar
);
COMMENT ON TABLE public.layer_styles IS 'QGIS default layer styles: forms (tabs, aliases, drop-downs, constraints) and symbols of the registers, built from zhytomyr_gis/registers.py.';

DO $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT unnest(ARRAY[editor_role, verifier_role]) FROM workflow.department LOOP
        EXECUTE format('GRANT SELECT ON public.layer_styles TO %I', r);
        -- Published data is public: every department may compare against
        -- any register's published copy (e.g. the land parcels).
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA published TO %I', r);
    END LOOP;
END
$$;
GRANT SELECT ON public.layer_styles TO portal_reader;
GRANT INSERT, UPDATE, DELETE ON public.layer_styles TO gis_admin;
GRANT USAGE ON SEQUENCE public.layer_styles_id_seq TO gis_admin;
