-- What the monitoring reads (role zgis_monitor, zhytomyr_gis/publishing/monitor.py):
-- aggregates of the workflow and the history, no record and no person.

-- Records of every register by workflow state (submitted = waiting for review).
CREATE OR REPLACE FUNCTION monitoring.register_records()
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
CREATE OR REPLACE FUNCTION monitoring.history_events()
RETURNS TABLE (action text, events bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT e.action, count(*) FROM history.event e GROUP BY e.action ORDER BY e.action
$$;

CREATE OR REPLACE FUNCTION monitoring.history_bytes() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT pg_total_relation_size('history.event')
$$;
