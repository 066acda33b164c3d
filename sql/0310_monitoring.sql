-- migrate: superuser
-- What a city's monitoring scrapes about the workflow (python3 -m
-- zhytomyr_gis.publishing.monitor, its /metrics): aggregates only, no record
-- and no person. The login role zgis_monitor may call these functions and
-- nothing else (no table of any schema); its password is set by whoever
-- deploys, as portal_reader's. Superuser only to create the role; every
-- object belongs to gis_owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zgis_monitor') THEN
        CREATE ROLE zgis_monitor LOGIN;
    END IF;
END
$$;

CREATE SCHEMA monitoring AUTHORIZATION gis_owner;
COMMENT ON SCHEMA monitoring IS 'Aggregates of the workflow for the monitoring (role zgis_monitor).';

SET ROLE gis_owner;

-- Records of every register by workflow state (submitted = waiting for review).
CREATE FUNCTION monitoring.register_records()
RETURNS TABLE (table_name text, department text, status text, records bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg record;
BEGIN
    FOR reg IN SELECT r.table_name, r.department FROM workflow.register r ORDER BY r.table_name LOOP
        RETURN QUERY EXECUTE format(
            'SELECT %L::text, %L::text, status::text, count(*) FROM %s GROUP BY status',
            reg.table_name, reg.department, reg.table_name::regclass);
    END LOOP;
END
$$;

-- History events by action (approvals, rejections...) and the history's size on disk.
CREATE FUNCTION monitoring.history_events()
RETURNS TABLE (action text, events bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT e.action, count(*) FROM history.event e GROUP BY e.action ORDER BY e.action
$$;

CREATE FUNCTION monitoring.history_bytes() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT pg_total_relation_size('history.event')
$$;

RESET ROLE;

REVOKE ALL ON SCHEMA monitoring FROM PUBLIC;
GRANT USAGE ON SCHEMA monitoring TO zgis_monitor;
REVOKE EXECUTE ON FUNCTION monitoring.register_records(), monitoring.history_events(), monitoring.history_bytes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.register_records(), monitoring.history_events(), monitoring.history_bytes() TO zgis_monitor;
