-- Verification: rules declared once per register and run inside PostGIS,
-- set-based; their findings stored so that a verifier sees them without
-- running anything; approval refused while an error stands or a warning is
-- not acknowledged.
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
-- record's own geometry. The rules themselves are declared in 0301.
--
-- Records marked deleted are never checked: approving a deletion needs no
-- geometry. Rules read the working tables of their own register (the state
-- after every pending change is approved) and the published copy of other
-- departments' registers (the zoning plan in force, the approved addresses).
--
-- Error codes added here:
--   ZG006  an error found by the checks stands on a record being approved
--   ZG007  a warning on a record being approved was not acknowledged

CREATE SCHEMA verification AUTHORIZATION gis_owner;
COMMENT ON SCHEMA verification IS 'Rules that check the registers, their stored findings, and the review queue.';

-- ----------------------------------------------------------------- settings
CREATE TABLE verification.setting (
    key            text PRIMARY KEY,
    value          numeric NOT NULL,
    unit           text NOT NULL,
    description_uk text NOT NULL,
    description_en text NOT NULL
);
COMMENT ON TABLE verification.setting IS 'Tolerances and limits the rules use; the GIS administrator may change them.';

INSERT INTO verification.setting VALUES
    ('boundary_tolerance_m', 5, 'м', 'Допуск виходу об''єкта за межу міста', 'How far a feature may stray over the city boundary'),
    ('zone_overlap_tolerance_m2', 1, 'м²', 'Найбільше допустиме перекриття двох зон (генплан, зонінг)', 'Largest tolerated overlap of two plan zones'),
    ('zone_gap_tolerance_m2', 1, 'м²', 'Найбільша допустима прогалина між зонами всередині міста', 'Largest tolerated gap between plan zones inside the city'),
    ('zone_gap_window_m', 200, 'м', 'Навколо зон, що перевіряються, шукати прогалини в межах цієї відстані', 'Gaps are searched this far around the zones being checked'),
    ('parcel_overlap_tolerance_m2', 0.1, 'м²', 'Найбільше допустиме перекриття двох земельних ділянок', 'Largest tolerated overlap of two land parcels'),
    ('advertising_min_distance_m', 30, 'м', 'Найменша відстань між двома рекламними засобами', 'Smallest distance between two advertising structures'),
    ('site_zone_min_share_pct', 25, '%', 'Зона, вказана для інвестиційного об''єкта, має займати щонайменше таку частку його площі', 'The zone declared for an investment site must cover at least this share of it'),
    ('address_parcel_tolerance_m', 1, 'м', 'Допуск положення адресної точки відносно ділянки', 'How far an address point may lie from its parcel'),
    ('budget_overrun_tolerance_pct', 5, '%', 'Допустиме перевищення фактичних видатків над плановими', 'Tolerated excess of actual over planned spending'),
    ('permit_max_years', 5, 'років', 'Найбільший строк дії дозволу на розміщення реклами', 'Longest validity of an advertising permit'),
    ('energy_class_tolerance', 1, 'клас', 'На скільки класів фактичне споживання може відрізнятися від класу будівлі', 'How many classes the measured consumption may differ from the building''s class'),
    ('energy_jump_pct', 40, '%', 'Зміна річного споживання, більша за цю, вважається стрибком', 'A change of yearly consumption larger than this is a jump'),
    ('heat_kwh_per_gcal', 1163, 'кВт·год/Гкал', 'Перерахунок теплової енергії', 'Conversion of heat energy'),
    ('gas_kwh_per_m3', 9.3, 'кВт·год/м³', 'Теплотворна здатність природного газу', 'Calorific value of natural gas');

CREATE FUNCTION verification.setting_value(setting_key text) RETURNS numeric
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v numeric;
BEGIN
    SELECT s.value INTO v FROM verification.setting s WHERE s.key = setting_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'verification setting % is not defined', setting_key;
    END IF;
    RETURN v;
END
$$;

-- Specific heating energy (kWh per m² and year) at which each class ends.
-- The class of a value is the first class (by sort order) whose bound it
-- stays below; the last class has no bound.
CREATE TABLE verification.energy_class_band (
    energy_class text PRIMARY KEY REFERENCES ref.cl_energy_class,
    max_kwh_m2   numeric CHECK (max_kwh_m2 > 0)
);
COMMENT ON TABLE verification.energy_class_band IS 'Upper bound of specific heating energy (kWh/m² a year) of each energy class; G has none.';
INSERT INTO verification.energy_class_band VALUES
    ('A', 50), ('B', 90), ('C', 150), ('D', 190), ('E', 230), ('F', 280), ('G', NULL);

-- The class a specific energy value falls into.
CREATE FUNCTION verification.energy_class_of(kwh_m2 numeric) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT b.energy_class
      FROM verification.energy_class_band b JOIN ref.cl_energy_class c ON c.code = b.energy_class
     WHERE b.max_kwh_m2 IS NULL OR kwh_m2 < b.max_kwh_m2
     ORDER BY c.sort_order LIMIT 1;
$$;

CREATE FUNCTION verification.energy_class_rank(energy_class text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT c.sort_order FROM ref.cl_energy_class c WHERE c.code = energy_class;
$$;

-- -------------------------------------------------------------------- rules
CREATE TABLE verification.rule (
    id          text PRIMARY KEY CONSTRAINT rule_id_format CHECK (id ~ '^[a-z][a-z0-9_]*$'),
    register    text NOT NULL REFERENCES workflow.register (table_name),
    severity    text NOT NULL CONSTRAINT rule_severity_valid CHECK (severity IN ('error', 'warning')),
    message_uk  text NOT NULL,
    message_en  text NOT NULL,
    hint_uk     text NOT NULL,
    hint_en     text NOT NULL,
    sql         text NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 100
);
CREATE INDEX rule_register_idx ON verification.rule (register);
COMMENT ON TABLE verification.rule IS 'Checks of the registers: each a query returning (record_id, detail, location) of the offending records among $1 (bigint[] ids, NULL = whole register).';
COMMENT ON COLUMN verification.rule.severity IS 'error blocks approval; warning needs the verifier''s acknowledgement';

-- A rule's query is tried when it is declared, so that a typo fails the
-- migration that declares it, not a verifier's approval months later.
CREATE FUNCTION verification.try_rule() RETURNS trigger
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
CREATE TRIGGER rule_query_runs BEFORE INSERT OR UPDATE OF sql ON verification.rule
    FOR EACH ROW EXECUTE FUNCTION verification.try_rule();

-- ----------------------------------------------------------------- findings
CREATE TABLE verification.result (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id         text NOT NULL REFERENCES verification.rule ON DELETE CASCADE,
    table_name      text NOT NULL,
    record_id       bigint NOT NULL,
    record_version  integer NOT NULL,          -- the version that was checked
    detail          jsonb,
    location        geometry(Geometry, 9836),  -- NULL: the record's own geometry
    checked_at      timestamptz NOT NULL DEFAULT now(),
    checked_by      text NOT NULL DEFAULT session_user,
    acknowledged_by text,
    acknowledged_at timestamptz,
    acknowledgement_note text
);
CREATE INDEX result_record_idx ON verification.result (table_name, record_id);
-- One finding once: two checks of the same records at the same time (a
-- verifier's and a submission's) store it once.
CREATE UNIQUE INDEX result_finding_unique ON verification.result
    (rule_id, record_id, record_version, md5(coalesce(detail::text, '')));
COMMENT ON TABLE verification.result IS 'What the rules found, per record and the version checked; a finding disappears when a check no longer finds it. Warnings carry the verifier''s acknowledgement.';

-- One row per run of the checks (for the reports and the benchmark).
CREATE TABLE verification.run (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name  text NOT NULL,
    record_count integer,                      -- NULL: the whole register
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    duration_ms numeric NOT NULL,
    errors      integer NOT NULL,
    warnings    integer NOT NULL,
    run_by      text NOT NULL DEFAULT session_user,
    trigger     text NOT NULL CONSTRAINT run_trigger_valid CHECK (trigger IN ('submit', 'approve', 'demand'))
);
CREATE INDEX run_table_idx ON verification.run (table_name, id);

-- Who may look at and run the checks of a register: its department's
-- editors and verifiers, and the GIS administrator.
CREATE FUNCTION verification.may_see(tbl text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT workflow.can_read_history(tbl);
$$;

ALTER TABLE verification.result ENABLE ROW LEVEL SECURITY;
CREATE POLICY result_read_own_department ON verification.result FOR SELECT
    USING (verification.may_see(table_name));
ALTER TABLE verification.run ENABLE ROW LEVEL SECURITY;
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
-- here: the validity rule reports them.
CREATE FUNCTION verification.run_rules(reg workflow.register, ids bigint[], run_trigger text DEFAULT 'demand')
RETURNS TABLE (errors integer, warnings integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public SET jit = off SET client_min_messages = warning AS $$
DECLARE
    r verification.rule;
    started timestamptz := clock_timestamp();
    has_geom boolean := reg.geometry_column IS NOT NULL;
BEGIN
    IF ids IS NOT NULL AND cardinality(ids) = 0 THEN
        errors := 0; warnings := 0;
        RETURN NEXT;
        RETURN;
    END IF;
    FOR r IN SELECT * FROM verification.rule WHERE register = reg.table_name AND enabled ORDER BY sort_order, id LOOP
        EXECUTE format($q$
            WITH found AS MATERIALIZED (
                SELECT DISTINCT ON (f.record_id, f.detail) f.record_id::bigint AS record_id,
                       f.detail::jsonb AS detail, f.location::geometry AS location
                  FROM (%1$s) AS f(record_id, detail, location)
                 WHERE $1 IS NULL OR f.record_id = ANY ($1)),
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
        $q$, r.sql, reg.table_name::regclass) USING ids, r.id, reg.table_name;
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

CREATE FUNCTION verification.require_member(tbl text) RETURNS workflow.register
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
CREATE FUNCTION verification.check(tbl text, ids bigint[] DEFAULT NULL)
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
CREATE FUNCTION verification.check_all()
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
-- Records among ids whose pending change the caller took part in (mirrors
-- workflow.require_other_person, which raises instead of answering).
CREATE FUNCTION verification.own_changes(reg workflow.register, ids bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    WITH last_approval AS (
        SELECT e.record_id, max(e.id) AS id
          FROM history.event e
         WHERE e.table_name = reg.table_name AND e.record_id = ANY (ids) AND e.action = 'approve'
         GROUP BY e.record_id)
    SELECT coalesce(array_agg(DISTINCT e.record_id ORDER BY e.record_id), '{}')
      FROM history.event e
      LEFT JOIN last_approval la ON la.record_id = e.record_id
     WHERE e.table_name = reg.table_name AND e.record_id = ANY (ids)
       AND e.id > coalesce(la.id, 0)
       AND e.action IN ('insert', 'update', 'delete', 'restore', 'submit')
       AND e.actor = session_user;
$$;

-- A verifier acknowledges the warnings standing on submitted records
-- (all of them, or only the given rules'): they saw them and approve
-- anyway, for the reason given. Errors cannot be acknowledged.
CREATE FUNCTION verification.acknowledge(tbl text, ids bigint[], rule_ids text[] DEFAULT NULL, note text DEFAULT NULL)
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

-- The acknowledgement is a decision and goes to the history like the others.
ALTER TABLE history.event DROP CONSTRAINT event_action_valid;
ALTER TABLE history.event ADD CONSTRAINT event_action_valid CHECK (action IN
    ('insert', 'update', 'delete', 'submit', 'withdraw', 'approve', 'reject', 'restore', 'acknowledge'));

-- ------------------------------------------------------------- the gate
-- Refuses if an error or an unacknowledged warning stands on the current
-- version of any of the records.
CREATE FUNCTION verification.require_clear(reg workflow.register, ids bigint[]) RETURNS void
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

-- ----------------------------------------------------- the workflow, checked
-- Approval as in 0003, with the checks run on the versions being approved
-- (other registers may have changed since submission) and the gate.
CREATE FUNCTION verification.approve_records(reg workflow.register, ids bigint[], note text,
                                             expected_versions integer[], checks_fresh boolean)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM workflow.lock_records(reg, ids, ARRAY['submitted'], 'затвердити', expected_versions);
    PERFORM workflow.require_other_person(reg, ids, 'затвердити');
    IF NOT checks_fresh THEN
        PERFORM verification.run_rules(reg, ids, 'approve');
    END IF;
    PERFORM verification.require_clear(reg, ids);
    EXECUTE format('UPDATE %s SET status = ''verified'', status_note = $2 WHERE id = ANY($1)', reg.table_name::regclass)
        USING ids, nullif(btrim(note), '');
    PERFORM workflow.publish(reg, ids);
    RETURN cardinality(ids);
END
$$;

CREATE OR REPLACE FUNCTION workflow.approve(tbl text, ids bigint[], note text DEFAULT NULL,
                                            expected_versions integer[] DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
BEGIN
    PERFORM workflow.require_role(reg.department, 'verifier');
    RETURN verification.approve_records(reg, ids, note, expected_versions, false);
END
$$;
COMMENT ON FUNCTION workflow.approve(text, bigint[], text, integer[]) IS 'Verifier: approve submitted records and publish them in the same transaction (all or none; never one''s own change; refused while a check finds an error or an unacknowledged warning).';

CREATE OR REPLACE FUNCTION workflow.submit(tbl text, ids bigint[], note text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
BEGIN
    PERFORM workflow.require_role(reg.department, 'editor');
    PERFORM workflow.lock_records(reg, ids, ARRAY['draft'], 'подати на перевірку');
    EXECUTE format('UPDATE %s SET status = ''submitted'', status_note = $2 WHERE id = ANY($1)', reg.table_name::regclass)
        USING ids, nullif(btrim(note), '');
    -- Checked as submitted, so the verifier finds the results waiting.
    PERFORM verification.run_rules(reg, ids, 'submit');
    RETURN cardinality(ids);
END
$$;
COMMENT ON FUNCTION workflow.submit(text, bigint[], text) IS 'Editor: submit draft records for verification (all or none); the checks run and their findings are stored.';

-- Approve, of the given records, those that can be approved: submitted,
-- not the caller's own change, no error, no unacknowledged warning. The
-- others are left as they are and reported with the reason.
CREATE FUNCTION verification.approve_clear(tbl text, ids bigint[], note text DEFAULT NULL)
RETURNS TABLE (record_id bigint, approved boolean, reason_uk text, reason_en text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    submitted_ids bigint[];
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
    EXECUTE format('SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM %s WHERE id = ANY ($1) AND status = ''submitted''
                     ORDER BY id FOR UPDATE) l', reg.table_name::regclass)
        INTO submitted_ids USING ids;
    submitted_ids := coalesce(submitted_ids, '{}');
    own := verification.own_changes(reg, submitted_ids);
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
        PERFORM verification.approve_records(reg, clear_ids, note, NULL, true);
    END IF;
    RETURN QUERY
        SELECT i, true, NULL::text, NULL::text FROM unnest(clear_ids) i
        UNION ALL
        SELECT b.i, false, b.uk, b.en FROM unnest(blocked_ids, blocked_uk, blocked_en) AS b(i, uk, en)
        UNION ALL
        SELECT i, false, 'ваша власна зміна: її має затвердити інший працівник (принцип чотирьох очей)',
               'your own change: another person must approve it (four-eyes)' FROM unnest(own) i
        UNION ALL
        SELECT DISTINCT i, false, 'запис не подано на перевірку', 'the record is not submitted'
          FROM unnest(ids) i WHERE i <> ALL (submitted_ids)
        ORDER BY 1;
END
$$;
COMMENT ON FUNCTION verification.approve_clear(text, bigint[], text) IS 'Verifier: approve those of the records that have no error, no unacknowledged warning and are not one''s own change; report why the others were left.';

-- ------------------------------------------------------------- the queue
-- Submitted records waiting for the caller (registers of the departments
-- they verify; every register for the GIS administrator), with the state of
-- their checks and whether the caller may decide on them.
CREATE FUNCTION verification.review_queue(only_department text DEFAULT NULL)
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
        RETURN QUERY EXECUTE format($q$
            WITH waiting AS (
                SELECT t.id, t.version, t.deleted, t.status_note FROM %1$s t WHERE t.status = 'submitted'),
            own AS (
                SELECT unnest(verification.own_changes($1, ARRAY(SELECT id FROM waiting))) AS id)
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
        $q$, reg.table_name::regclass, reg.published_table) USING reg;
    END LOOP;
END
$$;
COMMENT ON FUNCTION verification.review_queue(text) IS 'Submitted records waiting for the caller''s review, with their check results and whether the caller may decide (four-eyes).';

-- A point to mark a finding with on the map: on the surface of a valid
-- geometry, the middle of an invalid one's extent, nothing for an empty one.
CREATE FUNCTION verification.marker(g geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN g IS NULL OR ST_IsEmpty(g) THEN NULL
            WHEN NOT ST_IsValid(g) THEN ST_Centroid(ST_Envelope(g))
            ELSE ST_PointOnSurface(g) END;

-- ------------------------------------------------------------------ issues
-- The stored findings with their words and a place on the map (the
-- finding's location, else the record's geometry): the issues layer of the
-- Processing algorithm and the verification report read this.
CREATE FUNCTION verification.issues(tbl text DEFAULT NULL, ids bigint[] DEFAULT NULL)
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
-- Records per register and state in the caller's departments (all for the
-- GIS administrator), and how many have waited for review longer than
-- the given number of days.
CREATE FUNCTION verification.status_report(waiting_days integer DEFAULT 7)
RETURNS TABLE (department text, department_title_uk text, department_title_en text, table_name text,
               title_uk text, title_en text, draft integer, submitted integer, verified integer,
               rejected integer, deletion_requests integer, waiting_over_days integer,
               oldest_submitted_at timestamptz, errors integer, warnings integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register;
    d workflow.department;
BEGIN
    FOR reg IN
        SELECT r.* FROM workflow.register r JOIN workflow.department dep ON dep.code = r.department
         WHERE pg_has_role(session_user, dep.editor_role, 'MEMBER')
            OR pg_has_role(session_user, dep.verifier_role, 'MEMBER')
            OR pg_has_role(session_user, 'gis_admin', 'MEMBER')
         ORDER BY dep.code, r.table_name
    LOOP
        SELECT * INTO d FROM workflow.department dep WHERE dep.code = reg.department;
        RETURN QUERY EXECUTE format($q$
            WITH submitted_since AS (
                SELECT t.id, (SELECT max(e.occurred_at) FROM history.event e
                               WHERE e.table_name = $1 AND e.record_id = t.id AND e.action = 'submit') AS since
                  FROM %1$s t WHERE t.status = 'submitted')
            SELECT $2, $3, $4, $1, $5, $6,
                   count(*) FILTER (WHERE t.status = 'draft')::int,
                   count(*) FILTER (WHERE t.status = 'submitted')::int,
                   count(*) FILTER (WHERE t.status = 'verified')::int,
                   count(*) FILTER (WHERE t.status = 'rejected')::int,
                   count(*) FILTER (WHERE t.deleted)::int,
                   (SELECT count(*) FROM submitted_since s WHERE s.since < now() - make_interval(days => $7))::int,
                   (SELECT min(s.since) FROM submitted_since s),
                   (SELECT count(*) FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
                     WHERE res.table_name = $1 AND ru.severity = 'error')::int,
                   (SELECT count(*) FROM verification.result res JOIN verification.rule ru ON ru.id = res.rule_id
                     WHERE res.table_name = $1 AND ru.severity = 'warning')::int
              FROM %1$s t
        $q$, reg.table_name::regclass)
        USING reg.table_name, d.code, d.title_uk, d.title_en, reg.title_uk, reg.title_en, waiting_days;
    END LOOP;
END
$$;
COMMENT ON FUNCTION verification.status_report(integer) IS 'Records per register and workflow state in the caller''s departments, with reviews waiting longer than N days and the standing findings.';

-- ------------------------------------------------------------------ grants
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA verification FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE gis_owner IN SCHEMA verification REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
DO $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT unnest(ARRAY[editor_role, verifier_role]) FROM workflow.department LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA verification TO %I', r);
        EXECUTE format('GRANT SELECT ON verification.rule, verification.setting, verification.energy_class_band,
                               verification.result, verification.run TO %I', r);
        EXECUTE format('GRANT EXECUTE ON FUNCTION verification.check(text, bigint[]), verification.check_all(),
                               verification.acknowledge(text, bigint[], text[], text),
                               verification.approve_clear(text, bigint[], text),
                               verification.review_queue(text), verification.status_report(integer),
                               verification.issues(text, bigint[]), verification.marker(geometry),
                               verification.setting_value(text), verification.energy_class_of(numeric),
                               verification.energy_class_rank(text), verification.may_see(text) TO %I', r);
    END LOOP;
END
$$;
GRANT UPDATE (value) ON verification.setting TO gis_admin;
GRANT UPDATE (max_kwh_m2) ON verification.energy_class_band TO gis_admin;
