-- verification.status_report() counted every stored finding of a register,
-- also those of record versions edited since (they stay stored until the
-- record is checked again), so "standing findings" were overstated; the
-- queue and the approval already look at the current version only. Now the
-- report does too, in one scan of the findings.

CREATE OR REPLACE FUNCTION verification.status_report(waiting_days integer DEFAULT 7)
RETURNS TABLE (department text, department_title_uk text, department_title_en text, table_name text,
               title_uk text, title_en text, draft integer, submitted integer, verified integer,
               rejected integer, deletion_requests integer, waiting_over_days integer,
               oldest_submitted_at timestamptz, errors integer, warnings integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg record;
BEGIN
    FOR reg IN
        SELECT r.table_name, r.title_uk, r.title_en, dep.code, dep.title_uk AS dep_title_uk, dep.title_en AS dep_title_en
          FROM workflow.register r JOIN workflow.department dep ON dep.code = r.department
         WHERE pg_has_role(session_user, dep.editor_role, 'MEMBER')
            OR pg_has_role(session_user, dep.verifier_role, 'MEMBER')
            OR pg_has_role(session_user, 'gis_admin', 'MEMBER')
         ORDER BY dep.code, r.table_name
    LOOP
        RETURN QUERY EXECUTE format($q$
            WITH submitted_since AS (
                SELECT t.id, (SELECT max(e.occurred_at) FROM history.event e
                               WHERE e.table_name = $1 AND e.record_id = t.id AND e.action = 'submit') AS since
                  FROM %1$s t WHERE t.status = 'submitted'),
            -- Findings of the records as they are now (those of earlier versions stay stored until a check).
            findings AS (
                SELECT count(*) FILTER (WHERE ru.severity = 'error')::int AS errors,
                       count(*) FILTER (WHERE ru.severity = 'warning')::int AS warnings
                  FROM verification.result res
                  JOIN verification.rule ru ON ru.id = res.rule_id
                  JOIN %1$s w ON w.id = res.record_id AND w.version = res.record_version
                 WHERE res.table_name = $1)
            SELECT $2, $3, $4, $1, $5, $6,
                   count(*) FILTER (WHERE t.status = 'draft')::int,
                   count(*) FILTER (WHERE t.status = 'submitted')::int,
                   count(*) FILTER (WHERE t.status = 'verified')::int,
                   count(*) FILTER (WHERE t.status = 'rejected')::int,
                   count(*) FILTER (WHERE t.deleted)::int,
                   (SELECT count(*) FROM submitted_since s WHERE s.since < now() - make_interval(days => $7))::int,
                   (SELECT min(s.since) FROM submitted_since s),
                   (SELECT errors FROM findings), (SELECT warnings FROM findings)
              FROM %1$s t
        $q$, reg.table_name::regclass)
        USING reg.table_name, reg.code, reg.dep_title_uk, reg.dep_title_en, reg.title_uk, reg.title_en, waiting_days;
    END LOOP;
END
$$;
