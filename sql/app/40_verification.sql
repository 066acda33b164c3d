-- Verification: rules run inside PostGIS, set-based; their findings stored
-- so that a verifier sees them without running anything; approval refused
-- while an error stands or a warning is not acknowledged
-- (workflow.approve_records, 30_workflow.sql).
--
-- A rule is a query over one register that returns the offending records:
--
--     SELECT record_id bigint, detail jsonb, location geometry ...
--
-- with $1 (bigint[]) the ids to check, or NULL for the whole register.
-- "detail" says what is wrong in data terms ({"other_id": 17,
-- "overlap_m2": 12.5}); the rule carries the words (Ukrainian and English
-- message and hint). "location" is where the problem is on the map (the
-- overlapping area, the gap, the self-intersection point); NULL means the
-- record's own geometry. The rules themselves are declared in 60_rules.sql.
--
-- Records marked deleted are never checked: approving a deletion needs no
-- geometry. Rules read the working tables of their own register (the state
-- after every pending change is approved) and the published copy of other
-- departments' registers (the zoning plan in force, the approved addresses).

-- ----------------------------------------------------------------- settings
-- PARALLEL SAFE (it only reads): a rule's query that names a function not
-- marked so is never run by parallel workers (PostgreSQL 15 docs, 15.4.1).
CREATE OR REPLACE FUNCTION verification.setting_value(setting_key text) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v numeric;
BEGIN
    SELECT s.value INTO v FROM verification.setting s WHERE s.key = setting_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('Налаштування перевірки «%s» не існує', setting_key),
            DETAIL = format('Verification setting "%s" is not defined', setting_key);
    END IF;
    RETURN v;
END
$$;

-- Settings whose value is text (the city's pattern of permit numbers...);
-- NULL when the city has set none.
CREATE OR REPLACE FUNCTION verification.text_setting_value(setting_key text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v text;
BEGIN
    SELECT s.value INTO v FROM verification.text_setting s WHERE s.key = setting_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('Налаштування перевірки «%s» не існує', setting_key),
            DETAIL = format('Verification setting "%s" is not defined', setting_key);
    END IF;
    RETURN v;
END
$$;

-- A pattern the administrator sets must be a regular expression PostgreSQL
-- understands: refused when it is written, not when an editor saves a permit.
CREATE OR REPLACE FUNCTION verification.check_text_setting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.key LIKE '%\_pattern' AND NEW.value IS NOT NULL THEN
        BEGIN
            PERFORM '' ~ NEW.value;
        EXCEPTION WHEN invalid_regular_expression THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'text_setting_pattern_valid',
                MESSAGE = format('Налаштування «%s»: «%s» не є правильним регулярним виразом (%s)', NEW.key, NEW.value, SQLERRM),
                DETAIL = format('Setting "%s": "%s" is not a valid regular expression', NEW.key, NEW.value);
        END;
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS text_setting_pattern_valid ON verification.text_setting;
CREATE TRIGGER text_setting_pattern_valid BEFORE INSERT OR UPDATE ON verification.text_setting
    FOR EACH ROW EXECUTE FUNCTION verification.check_text_setting();
SELECT history.keep_configuration_history('verification.text_setting');

-- The class a specific energy value falls into by the indicative bands of
-- verification.energy_class_band: an estimate, not the certificate's
-- class (which the certificate states, Закон «Про енергетичну ефективність
-- будівель» № 2118-VIII). The bands are one scale for every building; the
-- law's scale depends on the building's purpose, floors and temperature zone
-- (Методика, наказ Мінрегіону № 169 від 11.07.2018), so a disagreement is a
-- warning for the verifier, never a refusal.
CREATE OR REPLACE FUNCTION verification.energy_class_of(kwh_m2 numeric) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT b.energy_class
      FROM verification.energy_class_band b JOIN ref.cl_energy_class c ON c.code = b.energy_class
     WHERE b.max_kwh_m2 IS NULL OR kwh_m2 < b.max_kwh_m2
     ORDER BY c.sort_order LIMIT 1;
$$;

CREATE OR REPLACE FUNCTION verification.energy_class_rank(energy_class text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT c.sort_order FROM ref.cl_energy_class c WHERE c.code = energy_class;
$$;

-- -------------------------------------------------------------------- rules

-- A rule's query is tried when it is declared, so that a typo fails the
-- migration that declares it, not a verifier's approval months later.
CREATE OR REPLACE FUNCTION verification.try_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE format('SELECT f.record_id::bigint, f.detail::jsonb, f.location::geometry
                          FROM (%s) AS f(record_id, detail, location) LIMIT 0', NEW.sql)
            USING NULL::bigint[];
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION 'verification rule %: its query does not run: %', NEW.id, SQLERRM;
    END;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS rule_query_runs ON verification.rule;
CREATE TRIGGER rule_query_runs BEFORE INSERT OR UPDATE OF sql ON verification.rule
    FOR EACH ROW EXECUTE FUNCTION verification.try_rule();

-- ----------------------------------------------------------------- access
-- Who may look at and run the checks of a register: its department's
-- editors and verifiers, and the GIS administrator.
CREATE OR REPLACE FUNCTION verification.may_see(tbl text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT workflow.can_read_history(tbl);
$$;

DROP POLICY IF EXISTS result_read_own_department ON verification.result;
CREATE POLICY result_read_own_department ON verification.result FOR SELECT
    USING (verification.may_see(table_name));
DROP POLICY IF EXISTS run_read_own_department ON verification.run;
CREATE POLICY run_read_own_department ON verification.run FOR SELECT
    USING (verification.may_see(table_name));

-- ------------------------------------------------------------- running rules
-- Runs the enabled rules of a register over the given records (NULL: all)
-- and brings the stored findings of those records up to date: findings no
-- longer found go, new ones come, a finding found again on the same version
-- with the same detail stays (keeping its acknowledgement). No permission
-- check: callers are the workflow functions and verification.check().
-- JIT is off for the rules: compiling a query plan costs more than most
-- rules take to run. ST_IsValid's notices on invalid geometries are noise
-- here: the validity rule reports them. A rule's query runs as a statement
-- of its own that only reads, its findings handed to the statement that
-- stores them: PostgreSQL plans no parallel workers for a statement that
-- writes (PostgreSQL 15 docs, 15.4), and the costly geometric rules (the
-- parcels' overlaps) take about half the time on two workers (bench/README.md).
-- Only over the whole register: a few records are checked in one statement,
-- as before (no worker would start for them, and one change stays one statement per rule).
CREATE OR REPLACE FUNCTION verification.run_rules(reg workflow.register, ids bigint[], run_trigger text DEFAULT 'demand')
RETURNS TABLE (errors integer, warnings integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public SET jit = off SET client_min_messages = warning AS $$
DECLARE
    r verification.rule;
    started timestamptz := clock_timestamp();
    has_geom boolean := reg.geometry_column IS NOT NULL;
    rule_query text;
    found_ids bigint[];
    found_details jsonb[];
    found_locations geometry[];
BEGIN
    IF ids IS NOT NULL AND cardinality(ids) = 0 THEN
        errors := 0; warnings := 0;
        RETURN NEXT;
        RETURN;
    END IF;
    FOR r IN SELECT * FROM verification.rule WHERE register = reg.table_name AND enabled ORDER BY sort_order, id LOOP
        rule_query := format($q$
            SELECT DISTINCT ON (f.record_id, f.detail) f.record_id::bigint AS record_id,
                   f.detail::jsonb AS detail, f.location::geometry AS location
              FROM (%1$s) AS f(record_id, detail, location)
             WHERE $1 IS NULL OR f.record_id = ANY ($1)$q$, r.sql);
        IF ids IS NULL THEN
            -- The whole register: read first (parallel workers may help), then store.
            EXECUTE format('SELECT array_agg(d.record_id), array_agg(d.detail), array_agg(d.location) FROM (%s) d',
                           rule_query) INTO found_ids, found_details, found_locations USING ids;
            rule_query := 'SELECT f.record_id, f.detail, f.location
                        FROM unnest($4::bigint[], $5::jsonb[], $6::geometry[]) AS f(record_id, detail, location)';
        END IF;
        EXECUTE format($q$
            WITH found AS MATERIALIZED (%1$s),
            current AS (
                SELECT found.*, t.version
                  FROM found JOIN %2$s t ON t.id = found.record_id),
            gone AS (
                DELETE FROM verification.result res
                 WHERE res.rule_id = $2 AND ($1 IS NULL OR res.record_id = ANY ($1))
                   AND NOT EXISTS (SELECT FROM current c
                                    WHERE c.record_id = res.record_id AND c.version = res.record_version
                                      AND c.detail IS NOT DISTINCT FROM res.detail))
            INSERT INTO verification.result (rule_id, table_name, record_id, record_version, detail, location)
            SELECT $2, $3, c.record_id, c.version, c.detail, ST_SetSRID(c.location, 9836)
              FROM current c
             WHERE NOT EXISTS (SELECT FROM verification.result res
                                WHERE res.rule_id = $2 AND res.record_id = c.record_id
                                  AND res.record_version = c.version
                                  AND res.detail IS NOT DISTINCT FROM c.detail)
            ON CONFLICT DO NOTHING
        $q$, rule_query, reg.table_name::regclass)
            USING ids, r.id, reg.table_name, found_ids, found_details, found_locations;
    END LOOP;
    -- Findings of rules since disabled or removed from this register.
    DELETE FROM verification.result res
     WHERE res.table_name = reg.table_name AND (ids IS NULL OR res.record_id = ANY (ids))
       AND NOT EXISTS (SELECT FROM verification.rule ru WHERE ru.id = res.rule_id AND ru.enabled
                          AND ru.register = reg.table_name);
    SELECT count(*) FILTER (WHERE ru.severity = 'error'), count(*) FILTER (WHERE ru.severity = 'warning')
      INTO errors, warnings
      FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
     WHERE res.table_name = reg.table_name AND (ids IS NULL OR res.record_id = ANY (ids));
    INSERT INTO verification.run (table_name, record_count, duration_ms, errors, warnings, trigger)
    VALUES (reg.table_name, cardinality(ids),
            round(extract(epoch FROM clock_timestamp() - started)::numeric * 1000, 1),
            errors, warnings, run_trigger);
    RETURN NEXT;
END
$$;

CREATE OR REPLACE FUNCTION verification.require_member(tbl text) RETURNS workflow.register
LANGUAGE plpgsql STABLE AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    d workflow.department;
BEGIN
    SELECT * INTO d FROM workflow.department WHERE code = reg.department;
    IF NOT (pg_has_role(session_user, d.editor_role, 'MEMBER') OR pg_has_role(session_user, d.verifier_role, 'MEMBER')
            OR pg_has_role(session_user, 'gis_admin', 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG004',
            MESSAGE = format('Перевіряти реєстр «%s» можуть лише працівники підрозділу «%s»', reg.title_uk, d.title_uk),
            DETAIL = format('Only staff of "%s" may check register "%s"', d.title_en, reg.title_en);
    END IF;
    RETURN reg;
END
$$;

-- The checks on demand: the given records, or the whole register (ids NULL).
-- Returns the findings now standing on those records.
CREATE OR REPLACE FUNCTION verification.check(tbl text, ids bigint[] DEFAULT NULL)
RETURNS TABLE (rule_id text, severity text, record_id bigint, record_version integer, detail jsonb,
               message_uk text, message_en text, acknowledged boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := verification.require_member(tbl);
BEGIN
    PERFORM verification.run_rules(reg, ids, 'demand');
    RETURN QUERY
        SELECT res.rule_id, ru.severity, res.record_id, res.record_version, res.detail,
               ru.message_uk, ru.message_en, res.acknowledged_at IS NOT NULL
          FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
         WHERE res.table_name = reg.table_name AND (ids IS NULL OR res.record_id = ANY (ids))
         ORDER BY res.record_id, ru.sort_order, res.rule_id;
END
$$;
COMMENT ON FUNCTION verification.check(text, bigint[]) IS 'Run the register''s rules over the given records (NULL: all of them), store and return the findings.';

-- Every register at once (the administrator's nightly run, the benchmark).
CREATE OR REPLACE FUNCTION verification.check_all()
RETURNS TABLE (table_name text, errors integer, warnings integer, duration_ms numeric)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register;
    started timestamptz;
BEGIN
    IF NOT pg_has_role(session_user, 'gis_admin', 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG004',
            MESSAGE = 'Перевірити всі реєстри одразу може лише адміністратор ГІС',
            DETAIL = 'Only the GIS administrator may check every register at once';
    END IF;
    FOR reg IN SELECT * FROM workflow.register ORDER BY register.table_name LOOP
        started := clock_timestamp();
        SELECT r.errors, r.warnings INTO errors, warnings FROM verification.run_rules(reg, NULL, 'demand') r;
        table_name := reg.table_name;
        duration_ms := round(extract(epoch FROM clock_timestamp() - started)::numeric * 1000, 1);
        RETURN NEXT;
    END LOOP;
END
$$;

-- ---------------------------------------------------------- acknowledgement
-- A verifier acknowledges the warnings standing on submitted records
-- (all of them, or only the given rules'): they saw them and approve
-- anyway, for the reason given. Errors cannot be acknowledged.
CREATE OR REPLACE FUNCTION verification.acknowledge(tbl text, ids bigint[], rule_ids text[] DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    n integer;
BEGIN
    PERFORM workflow.require_role(reg.department, 'verifier');
    PERFORM workflow.lock_records(reg, ids, ARRAY['submitted'], 'підтвердити попередження');
    PERFORM workflow.require_other_person(reg, ids, 'підтвердити попередження до');
    IF rule_ids IS NOT NULL AND EXISTS (
        SELECT FROM verification.rule ru WHERE ru.id = ANY (rule_ids) AND ru.severity = 'error') THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Помилку не можна підтвердити: її треба виправити (підтверджують лише попередження)',
            DETAIL = 'Errors cannot be acknowledged, only warnings';
    END IF;
    WITH acked AS (
        UPDATE verification.result res
           SET acknowledged_by = session_user, acknowledged_at = now(),
               acknowledgement_note = nullif(btrim(note), '')
          FROM verification.rule ru
         WHERE ru.id = res.rule_id AND ru.severity = 'warning'
           AND res.table_name = reg.table_name AND res.record_id = ANY (ids)
           AND (rule_ids IS NULL OR res.rule_id = ANY (rule_ids))
           AND res.acknowledged_at IS NULL
        RETURNING res.*),
    logged AS (
        INSERT INTO history.event (action, table_name, record_id, version, status_before, status_after,
                                   reason, new_values)
        SELECT 'acknowledge', reg.table_name, a.record_id, max(a.record_version), 'submitted', 'submitted',
               nullif(btrim(note), ''),
               jsonb_build_object('acknowledged', jsonb_agg(jsonb_build_object('rule', a.rule_id, 'detail', a.detail)
                                                             ORDER BY a.rule_id))
          FROM acked a GROUP BY a.record_id
        RETURNING 1)
    SELECT count(*) INTO n FROM acked;
    RETURN n;
END
$$;
COMMENT ON FUNCTION verification.acknowledge(text, bigint[], text[], text) IS 'Verifier: acknowledge the warnings on submitted records (all, or the given rules''); written to the history.';

-- ------------------------------------------------------------- the gate
-- Refuses if an error or an unacknowledged warning stands on the current
-- version of any of the records.
CREATE OR REPLACE FUNCTION verification.require_clear(reg workflow.register, ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    blocking text;
    blocking_en text;
BEGIN
    EXECUTE format($q$
        SELECT string_agg(format('%%s: %%s', res.record_id, ru.message_uk), '; ' ORDER BY res.record_id, ru.id),
               string_agg(format('%%s: %%s (%%s)', res.record_id, ru.message_en, ru.id), '; ' ORDER BY res.record_id, ru.id)
          FROM verification.result res
          JOIN verification.rule ru ON ru.id = res.rule_id
          JOIN %s t ON t.id = res.record_id AND t.version = res.record_version
         WHERE res.table_name = $1 AND res.record_id = ANY ($2) AND ru.severity = 'error'
    $q$, reg.table_name::regclass) INTO blocking, blocking_en USING reg.table_name, ids;
    IF blocking IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG006',
            MESSAGE = format('Затвердити не можна: перевірка знайшла помилки — %s', blocking),
            DETAIL = format('Cannot approve: the checks found errors — %s', blocking_en),
            HINT = 'Відхиліть зміну з причиною, щоб редактор її виправив';
    END IF;
    EXECUTE format($q$
        SELECT string_agg(format('%%s: %%s', res.record_id, ru.message_uk), '; ' ORDER BY res.record_id, ru.id),
               string_agg(format('%%s: %%s (%%s)', res.record_id, ru.message_en, ru.id), '; ' ORDER BY res.record_id, ru.id)
          FROM verification.result res
          JOIN verification.rule ru ON ru.id = res.rule_id
          JOIN %s t ON t.id = res.record_id AND t.version = res.record_version
         WHERE res.table_name = $1 AND res.record_id = ANY ($2) AND ru.severity = 'warning'
           AND res.acknowledged_at IS NULL
    $q$, reg.table_name::regclass) INTO blocking, blocking_en USING reg.table_name, ids;
    IF blocking IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG007',
            MESSAGE = format('Затвердити не можна: є непідтверджені попередження — %s', blocking),
            DETAIL = format('Cannot approve: warnings not acknowledged — %s', blocking_en),
            HINT = 'Перегляньте попередження і підтвердіть їх (verification.acknowledge), якщо зміна правильна';
    END IF;
END
$$;

-- Approve, of the given records, those that can be approved: submitted in
-- the version the verifier reviewed, not the caller's own change, no error,
-- no unacknowledged warning. The others are left as they are and reported
-- with the reason.
CREATE OR REPLACE FUNCTION verification.approve_clear(tbl text, ids bigint[], expected_versions integer[],
                                                      note text DEFAULT NULL)
RETURNS TABLE (record_id bigint, approved boolean, reason_uk text, reason_en text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    submitted_ids bigint[];
    changed bigint[];
    own bigint[];
    checked_ids bigint[];
    blocked_ids bigint[];
    blocked_uk text[];
    blocked_en text[];
    clear_ids bigint[];
BEGIN
    PERFORM workflow.require_role(reg.department, 'verifier');
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005', MESSAGE = 'Не вибрано жодного запису',
            DETAIL = 'No records were given';
    END IF;
    PERFORM workflow.require_reviewed_versions(ids, expected_versions);
    EXECUTE format('SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM %s WHERE id = ANY ($1) AND status = ''submitted''
                     ORDER BY id FOR UPDATE) l', reg.table_name::regclass)
        INTO submitted_ids USING ids;
    submitted_ids := coalesce(submitted_ids, '{}');
    EXECUTE format('SELECT coalesce(array_agg(t.id ORDER BY t.id), ''{}'') FROM %s t
                      JOIN unnest($1, $2) AS r(id, version) ON r.id = t.id
                     WHERE t.id = ANY ($3) AND t.version IS DISTINCT FROM r.version', reg.table_name::regclass)
        INTO changed USING ids, expected_versions, submitted_ids;
    submitted_ids := ARRAY(SELECT i FROM unnest(submitted_ids) i WHERE i <> ALL (changed));
    own := workflow.own_changes(reg, submitted_ids);
    checked_ids := ARRAY(SELECT i FROM unnest(submitted_ids) i WHERE i <> ALL (own));
    PERFORM verification.run_rules(reg, checked_ids, 'approve');
    EXECUTE format($q$
        SELECT coalesce(array_agg(b.record_id ORDER BY b.record_id), '{}'),
               coalesce(array_agg(b.uk ORDER BY b.record_id), '{}'), coalesce(array_agg(b.en ORDER BY b.record_id), '{}')
          FROM (SELECT res.record_id,
                       CASE WHEN bool_or(ru.severity = 'error') THEN 'є помилки: ' ELSE 'непідтверджені попередження: ' END
                           || string_agg(DISTINCT ru.id, ', ') AS uk,
                       CASE WHEN bool_or(ru.severity = 'error') THEN 'errors: ' ELSE 'warnings not acknowledged: ' END
                           || string_agg(DISTINCT ru.id, ', ') AS en
                  FROM verification.result res
                  JOIN verification.rule ru ON ru.id = res.rule_id
                  JOIN %s t ON t.id = res.record_id AND t.version = res.record_version
                 WHERE res.table_name = $1 AND res.record_id = ANY ($2)
                   AND (ru.severity = 'error' OR res.acknowledged_at IS NULL)
                 GROUP BY res.record_id) b
    $q$, reg.table_name::regclass) INTO blocked_ids, blocked_uk, blocked_en USING reg.table_name, checked_ids;
    clear_ids := ARRAY(SELECT i FROM unnest(checked_ids) i WHERE i <> ALL (blocked_ids));
    IF cardinality(clear_ids) > 0 THEN
        PERFORM workflow.approve_records(reg, clear_ids, note,
                                         ARRAY(SELECT r.version FROM unnest(ids, expected_versions) AS r(id, version)
                                                JOIN unnest(clear_ids) WITH ORDINALITY c(id, n) ON c.id = r.id
                                               ORDER BY c.n), true);
    END IF;
    RETURN QUERY
        SELECT i, true, NULL::text, NULL::text FROM unnest(clear_ids) i
        UNION ALL
        SELECT b.i, false, b.uk, b.en FROM unnest(blocked_ids, blocked_uk, blocked_en) AS b(i, uk, en)
        UNION ALL
        SELECT i, false, 'ваша власна зміна: її має затвердити інший працівник (принцип чотирьох очей)',
               'your own change: another person must approve it (four-eyes)' FROM unnest(own) i
        UNION ALL
        SELECT i, false, 'запис змінився після перегляду: перегляньте його знову',
               'the record changed after it was reviewed: review it again' FROM unnest(changed) i
        UNION ALL
        SELECT DISTINCT i, false, 'запис не подано на перевірку', 'the record is not submitted'
          FROM unnest(ids) i WHERE i <> ALL (submitted_ids) AND i <> ALL (changed)
        ORDER BY 1;
END
$$;
COMMENT ON FUNCTION verification.approve_clear(text, bigint[], integer[], text) IS 'Verifier: approve those of the records, in the versions reviewed, that have no error, no unacknowledged warning and are not one''s own change; report why the others were left.';

-- ------------------------------------------------------------- the queue
-- Submitted records waiting for the caller (registers of the departments
-- they verify; every register for the GIS administrator), with the state of
-- their checks and whether the caller may decide on them.
CREATE OR REPLACE FUNCTION verification.review_queue(only_department text DEFAULT NULL)
RETURNS TABLE (table_name text, department text, record_id bigint, version integer, deleted boolean,
               is_new boolean, submitted_by text, submitted_at timestamptz, submit_note text,
               checked_version integer, errors integer, warnings integer, unacknowledged integer,
               own_change boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register;
BEGIN
    FOR reg IN
        SELECT r.* FROM workflow.register r JOIN workflow.department d ON d.code = r.department
         WHERE (only_department IS NULL OR r.department = only_department)
           AND (pg_has_role(session_user, d.verifier_role, 'MEMBER') OR pg_has_role(session_user, 'gis_admin', 'MEMBER'))
         ORDER BY r.table_name
    LOOP
        -- "own" is computed once (MATERIALIZED): inlined into the EXISTS below, the
        -- planner could run own_changes() once per waiting record, 1,000 x 1,000
        -- history look-ups for a queue of 1,000 (28 s instead of 0.1 s).
        RETURN QUERY EXECUTE format($q$
            WITH waiting AS (
                SELECT t.id, t.version, t.deleted, t.status_note FROM %1$s t WHERE t.status = 'submitted'),
            own AS MATERIALIZED (
                SELECT unnest(workflow.own_changes($1, ARRAY(SELECT id FROM waiting))) AS id)
            SELECT $1.table_name, $1.department, w.id, w.version, w.deleted,
                   NOT EXISTS (SELECT FROM %2$s p WHERE p.id = w.id),
                   s.actor, s.occurred_at, w.status_note,
                   f.checked_version, coalesce(f.errors, 0), coalesce(f.warnings, 0), coalesce(f.unacknowledged, 0),
                   EXISTS (SELECT FROM own WHERE own.id = w.id)
              FROM waiting w
              LEFT JOIN LATERAL (
                  SELECT e.actor, e.occurred_at FROM history.event e
                   WHERE e.table_name = $1.table_name AND e.record_id = w.id AND e.action = 'submit'
                   ORDER BY e.id DESC LIMIT 1) s ON true
              LEFT JOIN LATERAL (
                  SELECT max(res.record_version) AS checked_version,
                         count(*) FILTER (WHERE ru.severity = 'error')::int AS errors,
                         count(*) FILTER (WHERE ru.severity = 'warning')::int AS warnings,
                         count(*) FILTER (WHERE ru.severity = 'warning' AND res.acknowledged_at IS NULL)::int AS unacknowledged
                    FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
                   WHERE res.table_name = $1.table_name AND res.record_id = w.id AND res.record_version = w.version) f ON true
             ORDER BY s.occurred_at, w.id
        $q$, reg.table_name::regclass, reg.published_table::regclass) USING reg;
    END LOOP;
END
$$;
COMMENT ON FUNCTION verification.review_queue(text) IS 'Submitted records waiting for the caller''s review, with their check results and whether the caller may decide (four-eyes).';

-- A point to mark a finding with on the map: on the surface of a valid
-- geometry, the middle of an invalid one's extent, nothing for an empty one.
CREATE OR REPLACE FUNCTION verification.marker(g geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN g IS NULL OR ST_IsEmpty(g) THEN NULL
            WHEN NOT ST_IsValid(g) THEN ST_Centroid(ST_Envelope(g))
            ELSE ST_PointOnSurface(g) END;

-- ------------------------------------------------------------------ issues
-- The stored findings with their words and a place on the map (the
-- finding's location, else the record's geometry): the issues layer of the
-- Processing algorithm and the verification report read this.
CREATE OR REPLACE FUNCTION verification.issues(tbl text DEFAULT NULL, ids bigint[] DEFAULT NULL)
RETURNS TABLE (result_id bigint, department text, table_name text, record_id bigint, record_version integer,
               is_current boolean, record_status text, rule_id text, severity text,
               message_uk text, message_en text, hint_uk text, hint_en text, detail jsonb,
               checked_at timestamptz, acknowledged_by text, acknowledged_at timestamptz,
               acknowledgement_note text, geom geometry)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register;
BEGIN
    FOR reg IN
        SELECT r.* FROM workflow.register r
         WHERE (tbl IS NULL OR r.table_name = lower(btrim(tbl))) AND verification.may_see(r.table_name)
         ORDER BY r.department, r.table_name
    LOOP
        RETURN QUERY EXECUTE format($q$
            SELECT res.id, $2, res.table_name, res.record_id, res.record_version,
                   res.record_version IS NOT DISTINCT FROM t.version, t.status, ru.id, ru.severity,
                   ru.message_uk, ru.message_en, ru.hint_uk, ru.hint_en, res.detail, res.checked_at,
                   res.acknowledged_by, res.acknowledged_at, res.acknowledgement_note, %2$s
              FROM verification.result res
              JOIN verification.rule ru ON ru.id = res.rule_id
              LEFT JOIN %1$s t ON t.id = res.record_id
             WHERE res.table_name = $1 AND ($3 IS NULL OR res.record_id = ANY ($3))
             ORDER BY res.record_id, ru.sort_order, ru.id, res.id
        $q$, reg.table_name::regclass,
             CASE WHEN reg.geometry_column IS NULL THEN 'res.location' ELSE 'coalesce(res.location, t.geom)' END)
        USING reg.table_name, reg.department, ids;
    END LOOP;
END
$$;
COMMENT ON FUNCTION verification.issues(text, bigint[]) IS 'Stored findings of the caller''s registers with messages and a geometry (the finding''s location, else the record''s).';

-- ----------------------------------------------------------- status report

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

-- ---------------------------------------------------- rule query builders
-- new register writes one line.

CREATE OR REPLACE FUNCTION verification.ids_filter(alias text DEFAULT 't') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format('NOT %1$s.deleted AND ($1 IS NULL OR %1$s.id = ANY ($1))', alias);

CREATE OR REPLACE FUNCTION verification.sql_geometry_not_empty(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, NULL::jsonb, NULL::geometry FROM %s t
 WHERE %s AND (t.geom IS NULL OR ST_IsEmpty(t.geom))$q$, tbl, verification.ids_filter());

CREATE OR REPLACE FUNCTION verification.sql_geometry_valid(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('reason', d.reason), d.location
  FROM %s t CROSS JOIN LATERAL ST_IsValidDetail(t.geom) d
 WHERE %s AND NOT ST_IsEmpty(t.geom) AND NOT ST_IsValid(t.geom)$q$, tbl, verification.ids_filter());

-- The outside part is measured in the feature's own dimension. The boundary
-- is the first argument of ST_Covers: PostGIS prepares (indexes) the
-- argument that repeats from row to row only in that position, which makes
-- the check over a whole register about ten times faster than
-- ST_CoveredBy(t.geom, boundary) (40,148 parcels: 0.28 s against 2.9 s).
CREATE OR REPLACE FUNCTION verification.sql_geometry_inside_city(tbl text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH city AS MATERIALIZED (
    SELECT b.g, ST_Buffer(b.g, verification.setting_value('boundary_tolerance_m')) AS tolerant
      FROM (SELECT workflow.city_boundary() AS g) b WHERE b.g IS NOT NULL)
SELECT t.id,
       CASE ST_Dimension(t.geom)
            WHEN 2 THEN jsonb_build_object('outside_m2', round(ST_Area(ST_Difference(t.geom, city.g))::numeric, 1))
            WHEN 1 THEN jsonb_build_object('outside_m', round(ST_Length(ST_Difference(t.geom, city.g))::numeric, 1))
            ELSE jsonb_build_object('distance_m', round(ST_Distance(t.geom, city.g)::numeric, 1)) END,
       ST_Difference(t.geom, city.g)
  FROM %s t, city
 WHERE %s AND NOT ST_IsEmpty(t.geom) AND ST_IsValid(t.geom)
   AND NOT ST_Covers(city.g, t.geom) AND NOT ST_Covers(city.tolerant, t.geom)$q$, tbl, verification.ids_filter());

-- Pairs of records whose interiors overlap by more than the tolerance.
-- Over the whole register each pair is found once (a.id < o.id; "+ 0"
-- keeps the planner from driving the join by an id range instead of the
-- spatial index) and reported for both records. The relate alone decides
-- (its pattern implies ST_Intersects): an ST_Intersects before it cost more
-- than it saved, a parcel having about five neighbours, too few to repay
-- preparing its geometry (bench/README.md, the verification rules: over the
-- city's bounding-box pairs, relate alone 11.5 s against 14.7 s with
-- ST_Intersects first, serial, at load 7.5). The relate tolerates invalid
-- input, so the other side's validity is
-- tested only on the few related pairs, in a step of its own: in the join
-- the planner tests a condition on one table alone before the join's
-- conditions, which made it about 140,000 ST_IsValid calls over the city
-- instead of a handful. The checked records are read by the join itself
-- (not a CTE, which only the leader reads), so parallel workers can share
-- them (PostgreSQL 15 docs, 15.3: a CTE scan is parallel restricted).
CREATE OR REPLACE FUNCTION verification.sql_overlap(tbl text, tolerance_key text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH tol AS MATERIALIZED (SELECT verification.setting_value(%3$L) AS m2),
related AS MATERIALIZED (
    SELECT a.id AS a_id, o.id AS o_id, a.geom AS a_geom, o.geom AS o_geom
      FROM %1$s a JOIN %1$s o ON o.geom && a.geom AND o.id <> a.id
     WHERE %2$s AND NOT ST_IsEmpty(a.geom) AND ST_IsValid(a.geom)
       AND NOT o.deleted AND ($1 IS NOT NULL OR a.id < o.id + 0)
       AND ST_Relate(a.geom, o.geom, '2********')),
pairs AS MATERIALIZED (
    SELECT r.a_id, r.o_id, ST_Intersection(r.a_geom, r.o_geom) AS shared
      FROM related r WHERE ST_IsValid(r.o_geom))
SELECT side.record_id, jsonb_build_object('other_id', side.other_id, 'overlap_m2', round(ST_Area(p.shared)::numeric, 2)),
       p.shared
  FROM pairs p CROSS JOIN tol
 CROSS JOIN LATERAL (VALUES (p.a_id, p.o_id), (p.o_id, p.a_id)) AS side(record_id, other_id)
 WHERE ST_Area(p.shared) > tol.m2$q$, tbl, verification.ids_filter('a'), tolerance_key);

-- Parts of the city covered by no record of a register that must tile
-- it. Over the whole register the whole city is searched; for some records,
-- a window around them (a gap touching the window's edge is measured inside
-- the window only, so its area is never overstated). A gap is reported on
-- every checked record that borders it.
CREATE OR REPLACE FUNCTION verification.sql_gap(tbl text, tolerance_key text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$WITH s AS MATERIALIZED (
    SELECT verification.setting_value(%3$L) AS tol, verification.setting_value('zone_gap_window_m') AS margin),
target AS MATERIALIZED (
    SELECT t.id, t.geom FROM %1$s t
     WHERE %2$s AND NOT ST_IsEmpty(t.geom) AND ST_IsValid(t.geom)),
area AS MATERIALIZED (
    SELECT CASE WHEN $1 IS NULL THEN c.g
                ELSE ST_Intersection(c.g, ST_SetSRID(ST_Expand((SELECT ST_Extent(geom) FROM target)::geometry, s.margin), ST_SRID(c.g))) END AS g
      FROM (SELECT workflow.city_boundary() AS g) c, s
     WHERE c.g IS NOT NULL AND EXISTS (SELECT FROM target)),
covered AS MATERIALIZED (
    SELECT ST_Union(z.geom) AS g FROM %1$s z, area
     WHERE NOT z.deleted AND z.geom && area.g AND NOT ST_IsEmpty(z.geom) AND ST_IsValid(z.geom)),
gaps AS MATERIALIZED (
    SELECT d.geom AS g
      FROM area, covered,
           ST_Dump(CASE WHEN covered.g IS NULL THEN area.g ELSE ST_Difference(area.g, covered.g) END) d, s
     WHERE ST_Dimension(d.geom) = 2 AND ST_Area(d.geom) > s.tol)
SELECT t.id, jsonb_build_object('gap_m2', round(ST_Area(gaps.g)::numeric, 1)), gaps.g
  FROM gaps JOIN target t ON t.geom && ST_Expand(gaps.g, 0.01) AND ST_DWithin(t.geom, gaps.g, 0.01)$q$,
    tbl, verification.ids_filter(), tolerance_key);

-- Values of some columns that a validator refuses.
CREATE OR REPLACE FUNCTION verification.sql_format(tbl text, columns text[], validator text,
                                        location text DEFAULT 'NULL::geometry') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('column', c.col, 'value', c.val), %4$s
  FROM %1$s t CROSS JOIN LATERAL (VALUES %3$s) AS c(col, val)
 WHERE %2$s AND c.val IS NOT NULL AND NOT %5$s(c.val)$q$,
    tbl, verification.ids_filter(),
    (SELECT string_agg(format('(%L, t.%I::text)', col, col), ', ') FROM unnest(columns) col),
    location, validator);

-- Well-formed codes that are not the hromada's (kind: cadastral_number
-- or katottg, as ref.is_hromada_<kind>()).
CREATE OR REPLACE FUNCTION verification.sql_hromada_codes(tbl text, columns text[], kind text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('column', c.col, 'value', c.val), NULL::geometry
  FROM %1$s t CROSS JOIN LATERAL (VALUES %3$s) AS c(col, val)
 WHERE %2$s AND c.val IS NOT NULL AND ref.is_valid_%4$s(c.val) AND NOT ref.is_hromada_%4$s(c.val)$q$,
    tbl, verification.ids_filter(),
    (SELECT string_agg(format('(%L, t.%I::text)', col, col), ', ') FROM unnest(columns) col), kind);

-- Codes of classifier columns that are no longer in force.
CREATE OR REPLACE FUNCTION verification.sql_codes_in_force(reg workflow.register) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN format($q$SELECT t.id, jsonb_build_object('column', c.col, 'code', c.val), %4$s
  FROM %1$s t CROSS JOIN LATERAL (VALUES %3$s) AS c(col, val, dropped)
 WHERE %2$s AND c.dropped$q$,
        reg.table_name, verification.ids_filter(),
        (SELECT string_agg(format('(%1$L, t.%1$I::text, EXISTS (SELECT FROM ref.%2$I k WHERE k.code = t.%1$I AND NOT k.active))',
                                  split_part(r, ':', 2), 'cl_' || split_part(r, ':', 3)), ', ')
           FROM unnest(ref.code_rules_of(reg.table_name::regclass)) r WHERE r LIKE 'classifier:%'),
        verification.location_of(reg));
END
$$;

-- A value that another record of the register has too.
CREATE OR REPLACE FUNCTION verification.sql_unique(tbl text, col text, location text DEFAULT 'NULL::geometry') RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT t.id, jsonb_build_object('value', t.%3$I, 'other_id', o.id), %4$s
  FROM %1$s t JOIN %1$s o ON o.%3$I = t.%3$I AND o.id <> t.id AND NOT o.deleted
 WHERE %2$s AND t.%3$I IS NOT NULL$q$, tbl, verification.ids_filter(), col, location);

-- Declares (or re-declares) a rule.
CREATE OR REPLACE FUNCTION verification.declare_rule(rule_id text, register text, severity text, sort_order integer,
                                          message_uk text, message_en text, hint_uk text, hint_en text, query text)
RETURNS void
LANGUAGE sql AS $$
    INSERT INTO verification.rule (id, register, severity, sort_order, message_uk, message_en, hint_uk, hint_en, sql)
    VALUES (rule_id, register, severity, sort_order, message_uk, message_en, hint_uk, hint_en, query)
    ON CONFLICT (id) DO UPDATE SET register = EXCLUDED.register, severity = EXCLUDED.severity,
        sort_order = EXCLUDED.sort_order, message_uk = EXCLUDED.message_uk, message_en = EXCLUDED.message_en,
        hint_uk = EXCLUDED.hint_uk, hint_en = EXCLUDED.hint_en, sql = EXCLUDED.sql;
$$;


-- The rules every register gets from its declaration, whenever it was
-- declared (50_registers.sql calls this for each register on every
-- upgrade): geometry not empty, valid and inside the city for a register
-- with geometry; a valid ЄДРПОУ in every column that holds one (named
-- edrpou or *_edrpou).
CREATE OR REPLACE FUNCTION verification.declare_standard_rules(reg workflow.register) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    short text := split_part(reg.table_name, '.', 2);
    edrpou_columns text[];
BEGIN
    IF reg.geometry_column IS NOT NULL THEN
        PERFORM verification.declare_rule(short || '_geometry_not_empty', reg.table_name, 'error', 10,
            'Геометрія об''єкта порожня', 'The geometry is empty',
            'Нанесіть об''єкт на карту', 'Draw the feature on the map',
            verification.sql_geometry_not_empty(reg.table_name));
        PERFORM verification.declare_rule(short || '_geometry_valid', reg.table_name, 'error', 11,
            'Геометрія недійсна (самоперетин, дублікати вершин, незамкнений контур)',
            'The geometry is invalid (self-intersection, repeated vertices, unclosed ring)',
            'Виправте геометрію: Векторна геометрія → Виправити геометрії, або перемалюйте контур у місці, показаному на карті',
            'Fix the geometry (Vector geometry → Fix geometries) or redraw the outline where the map shows',
            verification.sql_geometry_valid(reg.table_name));
        IF reg.table_name <> 'ref.city_boundary' THEN
            PERFORM verification.declare_rule(short || '_geometry_inside_city', reg.table_name, 'error', 12,
                'Об''єкт виходить за межі громади (затвердженої межі в реєстрі «Межа громади»)',
                'The feature lies outside the boundary of the hromada',
                'Перевірте положення об''єкта та систему координат (EPSG:9836, УСК-2000 / МСК-18 Житомир)',
                'Check where the feature lies and its coordinate system (EPSG:9836)',
                verification.sql_geometry_inside_city(reg.table_name));
        END IF;
    END IF;

    -- Codes a later edition of their classifier dropped (the record kept
    -- them; ref.check_codes() refuses them only when a record gets them).
    IF EXISTS (SELECT FROM unnest(ref.code_rules_of(reg.table_name::regclass)) r WHERE r LIKE 'classifier:%') THEN
        PERFORM verification.declare_rule(short || '_codes_in_force', reg.table_name, 'warning', 25,
            'Запис має код, якого немає в чинній редакції класифікатора',
            'The record holds a code the classifier in force no longer has',
            'Замініть код чинним (звіт оновлення meta.conversion_report підказує заміну, якщо вона відома)',
            'Replace the code with one in force (the upgrade''s report meta.conversion_report suggests one when it is known)',
            verification.sql_codes_in_force(reg));
    END IF;

    SELECT array_agg(a.attname::text ORDER BY a.attnum) INTO edrpou_columns
      FROM pg_attribute a
     WHERE a.attrelid = reg.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND (a.attname = 'edrpou' OR a.attname LIKE '%\_edrpou');
    IF edrpou_columns IS NOT NULL THEN
        PERFORM verification.declare_rule(short || '_edrpou_format', reg.table_name, 'error', 20,
            'Код ЄДРПОУ недійсний (8 цифр із правильною контрольною цифрою)',
            'The EDRPOU code is invalid (8 digits with a correct check digit)',
            'Перевірте код у Єдиному державному реєстрі юридичних осіб', 'Check the code in the Unified State Register',
            verification.sql_format(reg.table_name, edrpou_columns, 'ref.is_valid_edrpou',
                                    verification.location_of(reg)));
    END IF;
END
$$;

-- Where a finding of a register without geometry is shown on the map: at
-- its parent's geometry (a permit at its structure, a payment at its
-- project) -- the first register with geometry that one of its foreign
-- keys points to; else nowhere.
CREATE OR REPLACE FUNCTION verification.location_of(reg workflow.register) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT format('(SELECT p.geom FROM %s p WHERE p.id = t.%I)', parent.table_name::regclass, a.attname)
           FROM pg_constraint fk
           JOIN pg_attribute a ON a.attrelid = fk.conrelid AND a.attnum = fk.conkey[1]
           JOIN workflow.register parent ON parent.table_name::regclass = fk.confrelid
          WHERE reg.geometry_column IS NULL AND fk.contype = 'f' AND fk.conrelid = reg.table_name::regclass
            AND cardinality(fk.conkey) = 1 AND parent.geometry_column IS NOT NULL
          ORDER BY a.attnum LIMIT 1),
        'NULL::geometry');
$$;
