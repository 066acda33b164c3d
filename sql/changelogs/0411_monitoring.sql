-- migrate: superuser
-- What a city's monitoring scrapes about the workflow (python3 -m
-- zhytomyr_gis.publishing.monitor, its /metrics): aggregates only, no record
-- and no person (the functions: sql/app/75_monitoring.sql). The login role
-- zgis_monitor may call them and nothing else (no table of any schema); its
-- password is set by whoever deploys, as portal_reader's. Superuser only to
-- create the role; the schema belongs to gis_owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zgis_monitor') THEN
        CREATE ROLE zgis_monitor LOGIN;
    END IF;
END
$$;

CREATE SCHEMA monitoring AUTHORIZATION gis_owner;
COMMENT ON SCHEMA monitoring IS 'Aggregates of the workflow for the monitoring (role zgis_monitor).';
