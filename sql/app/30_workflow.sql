-- The life of a change, enforced by the database.
--
--   draft -> submitted -> verified (published)
--                     \-> rejected -> draft (by editing, or withdraw)
--
-- Every register is a row of workflow.register; 50_registers.sql gives each
-- the workflow columns, the row triggers of this file, its published copy
-- and its history. The SECURITY DEFINER functions here (submit, withdraw,
-- approve, reject, restore) are the only way to change a record's state:
-- the row triggers refuse a state change made by anyone but gis_owner, and
-- only these functions run as gis_owner. History is written by statement
-- triggers into history.event, which no login role may change.
--
-- Error codes (SQLSTATE) raised here, for clients to tell them apart:
--   ZG001  edit conflict (the record changed since the client read it)
--   ZG002  not allowed in the record's current state
--   ZG003  four-eyes: a verifier decided on a change of their own
--   ZG004  not a member of the department's editor / verifier role
--   ZG005  missing or bad argument (no such record, no reason given...)
--   ZG006  an error found by the checks stands on a record being approved
--   ZG007  a warning on a record being approved was not acknowledged
-- (ZG006 and ZG007 are raised by verification.require_clear, 40_verification.sql.)

-- Columns the workflow manages on every register table (never published).
CREATE OR REPLACE FUNCTION workflow.system_columns() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['status', 'version', 'deleted', 'status_note', 'restored_from',
             'created_by', 'created_at', 'updated_by', 'updated_at'];

-- ---------------------------------------------------------------- helpers
-- True inside the workflow functions: they are SECURITY DEFINER functions
-- owned by gis_owner, a role nobody logs in as, so current_user can only be
-- gis_owner there (or in a migration).
CREATE OR REPLACE FUNCTION workflow.in_workflow_context() RETURNS boolean
LANGUAGE sql STABLE
RETURN current_user = 'gis_owner';

CREATE OR REPLACE FUNCTION workflow.table_key(tbl regclass) RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT format('%s.%s', n.nspname, c.relname)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = tbl);

-- The API takes the register as text ('property.land_parcel'), not
-- regclass: resolving a regclass needs USAGE on the schema, and a user of
-- another department should hear "not your department", not "permission
-- denied for schema".
CREATE OR REPLACE FUNCTION workflow.register_of(tbl text) RETURNS workflow.register
LANGUAGE plpgsql STABLE AS $$
DECLARE
    reg workflow.register;
BEGIN
    SELECT * INTO reg FROM workflow.register WHERE table_name = lower(btrim(tbl));
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('«%s» не є реєстром під контролем перевірки (вкажіть схема.таблиця)', tbl),
            DETAIL = format('"%s" is not a register under the workflow (give schema.table)', tbl);
    END IF;
    RETURN reg;
END
$$;

CREATE OR REPLACE FUNCTION workflow.require_role(dept text, want text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    d workflow.department;
    r name;
BEGIN
    SELECT * INTO d FROM workflow.department WHERE code = dept;
    r := CASE want WHEN 'editor' THEN d.editor_role ELSE d.verifier_role END;
    IF NOT pg_has_role(session_user, r, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG004',
            MESSAGE = format('Користувач %s не є %s підрозділу «%s» (потрібна роль %s)',
                             session_user,
                             CASE want WHEN 'editor' THEN 'редактором' ELSE 'перевіряльником' END,
                             d.title_uk, r),
            DETAIL = format('User %s is not %s of "%s" (role %s is required)',
                            session_user, CASE want WHEN 'editor' THEN 'an editor' ELSE 'a verifier' END,
                            d.title_en, r);
    END IF;
END
$$;

-- Departments of the calling user and what they may do there.
CREATE OR REPLACE FUNCTION workflow.my_departments()
RETURNS TABLE (department text, title_uk text, title_en text, can_edit boolean, can_verify boolean)
LANGUAGE sql STABLE AS $$
    SELECT code, title_uk, title_en,
           pg_has_role(session_user, editor_role, 'MEMBER'),
           pg_has_role(session_user, verifier_role, 'MEMBER')
      FROM workflow.department
     WHERE pg_has_role(session_user, editor_role, 'MEMBER')
        OR pg_has_role(session_user, verifier_role, 'MEMBER')
     ORDER BY code;
$$;

CREATE OR REPLACE FUNCTION workflow.can_read_history(tbl text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT pg_has_role(session_user, 'gis_admin', 'MEMBER') OR EXISTS (
        SELECT FROM workflow.register r JOIN workflow.department d ON d.code = r.department
         WHERE r.table_name = tbl
           AND (pg_has_role(session_user, d.editor_role, 'MEMBER')
                OR pg_has_role(session_user, d.verifier_role, 'MEMBER')));
$$;

-- Who reads which history: the register's department and the GIS administrator.
DROP POLICY IF EXISTS event_read_own_department ON history.event;
CREATE POLICY event_read_own_department ON history.event FOR SELECT
    USING (workflow.can_read_history(table_name));

-- The approved boundary of the hromada (ref.city_boundary), the area every
-- feature must lie in. PARALLEL SAFE (it only reads), so that the rules
-- that name it may run on parallel workers (40_verification.sql).
CREATE OR REPLACE FUNCTION workflow.city_boundary() RETURNS geometry
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    RETURN (SELECT ST_Union(geom) FROM published.ref_city_boundary);
END
$$;

CREATE OR REPLACE FUNCTION workflow.has_published_version(tbl regclass, record_id bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    found boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE id = $1)',
                   (workflow.register_of(workflow.table_key(tbl))).published_table::regclass)
        INTO found USING record_id;
    RETURN found;
END
$$;

-- ------------------------------------------------------------ row triggers
-- These run with the rights of whoever writes (SECURITY INVOKER), so that
-- in_workflow_context() tells an editor's statement from a workflow function.

-- An identifier names one record for good: an approval names the record
-- and the version the verifier saw, so an id may never be given to other
-- content. The database issues ids (identity columns); one given by the
-- writer (INSERT ... OVERRIDING SYSTEM VALUE) is refused when the database
-- has issued it before (a deleted draft's, say) or not yet.
CREATE OR REPLACE FUNCTION workflow.require_new_identity(tbl regclass, record_id bigint) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    issued bigint;
BEGIN
    EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s',
                   pg_get_serial_sequence(tbl::text, 'id'))
        INTO issued;
    IF record_id > issued OR EXISTS (
        SELECT FROM history.event e
         WHERE e.table_name = workflow.table_key(tbl) AND e.record_id = require_new_identity.record_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Ідентифікатор %s призначає база даних, і він уже був чи ще не був виданий: новий запис отримує новий ідентифікатор (не вказуйте id)', record_id),
            DETAIL = format('Identifier %s is issued by the database and was used before or not issued yet: a new record gets a new id (do not give one)', record_id);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION workflow.before_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT workflow.in_workflow_context() THEN
        PERFORM workflow.require_new_identity(TG_RELID::regclass, NEW.id);
        NEW.version := 1;
        NEW.restored_from := NULL;
    END IF;
    NEW.status := 'draft';
    NEW.status_note := NULL;
    NEW.deleted := false;
    NEW.created_by := session_user;
    NEW.created_at := now();
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION workflow.before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = 'Ідентифікатор запису змінювати не можна',
            DETAIL = 'The id of a record cannot change';
    END IF;
    IF workflow.in_workflow_context() THEN
        NEW.updated_by := session_user;
        NEW.updated_at := now();
        RETURN NEW;
    END IF;

    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.deleted IS DISTINCT FROM OLD.deleted
       OR NEW.status_note IS DISTINCT FROM OLD.status_note THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Стан запису %s змінюють лише функції перевірки (workflow.submit, withdraw, approve, reject, restore)', OLD.id),
            DETAIL = format('The state of record %s is changed only by the workflow functions', OLD.id);
    END IF;
    IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Запис %s подано на перевірку: щоб змінити його, спершу відкличте подання', OLD.id),
            DETAIL = format('Record %s is submitted for verification: withdraw it before editing', OLD.id);
    END IF;
    IF OLD.deleted THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Запис %s позначено як видалений: відновіть його з історії', OLD.id),
            DETAIL = format('Record %s is marked deleted: restore it from the history first', OLD.id);
    END IF;
    -- Optimistic concurrency: a writer states the version it read by
    -- writing version = read version + 1 (the plugin's forms do it on every
    -- change). Anything else means the record moved on since it was read.
    -- (A client that does not state the version writes version = current
    -- version, which reads like a stale client: both are refused alike.)
    IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG001',
            MESSAGE = format('Конфлікт редагування: запис %s змінив користувач %s о %s (поточна версія %s), а ваша зміна ґрунтується на іншій версії. Оновіть дані та повторіть зміну.',
                             OLD.id, OLD.updated_by, to_char(OLD.updated_at, 'YYYY-MM-DD HH24:MI:SS'), OLD.version),
            DETAIL = format('Edit conflict: record %s was changed by %s at %s (current version %s); your change is based on another version. Reload and try again.',
                            OLD.id, OLD.updated_by, OLD.updated_at, OLD.version),
            HINT = 'Оновлення має записувати version = прочитана версія + 1';
    END IF;
    -- Any edit of a published or rejected record opens a new draft; the
    -- public keeps the published copy until this draft is approved.
    NEW.status := 'draft';
    NEW.restored_from := NULL;
    NEW.created_by := OLD.created_by;
    NEW.created_at := OLD.created_at;
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Marks a published record for deletion: it stays public until the
-- deletion is approved. Called only by the DELETE trigger below, after its
-- checks; it checks the state again itself.
CREATE OR REPLACE FUNCTION workflow.request_deletion(tbl regclass, record_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(workflow.table_key(tbl));
BEGIN
    IF pg_trigger_depth() = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = 'Запит на видалення робить команда DELETE (видалення запису), а не прямий виклик',
            DETAIL = 'A deletion request is made by deleting the record (DELETE), not by calling request_deletion';
    END IF;
    PERFORM workflow.require_role(reg.department, 'editor');
    EXECUTE format('UPDATE %s t SET deleted = true, status = ''draft'', status_note = NULL, version = version + 1
                     WHERE t.id = $1 AND NOT t.deleted AND t.status <> ''submitted''
                       AND EXISTS (SELECT FROM %s p WHERE p.id = $1)', tbl, reg.published_table::regclass)
        USING record_id;
END
$$;

CREATE OR REPLACE FUNCTION workflow.before_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF workflow.in_workflow_context() THEN
        RETURN OLD;
    END IF;
    IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Запис %s подано на перевірку: щоб видалити його, спершу відкличте подання', OLD.id),
            DETAIL = format('Record %s is submitted for verification: withdraw it before deleting', OLD.id);
    END IF;
    IF OLD.deleted THEN
        RETURN NULL;  -- already marked for deletion
    END IF;
    -- A record the public can see is not removed: it becomes a deletion
    -- request that goes through review like any other change.
    IF workflow.has_published_version(TG_RELID::regclass, OLD.id) THEN
        PERFORM workflow.request_deletion(TG_RELID::regclass, OLD.id);
        RETURN NULL;
    END IF;
    RETURN OLD;
END
$$;


-- Geometry: not empty, valid, and inside the approved boundary of the
-- hromada, the registers' territory (with
-- the tolerance of the verification setting boundary_tolerance_m).
CREATE OR REPLACE FUNCTION workflow.check_geometry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    boundary geometry;
BEGIN
    IF NEW.geom IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'geometry_required',
            MESSAGE = 'Об''єкт не має геометрії: нанесіть його на карту',
            DETAIL = 'The feature has no geometry';
    END IF;
    IF ST_IsEmpty(NEW.geom) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'geometry_not_empty',
            MESSAGE = 'Геометрія об''єкта порожня',
            DETAIL = 'The geometry is empty';
    END IF;
    IF NOT ST_IsValid(NEW.geom) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'geometry_valid',
            MESSAGE = format('Геометрія недійсна: %s', ST_IsValidReason(NEW.geom)),
            DETAIL = format('The geometry is invalid: %s', ST_IsValidReason(NEW.geom)),
            HINT = 'Виправте самоперетини та дублікати вершин (Векторна геометрія → Виправити геометрії)';
    END IF;
    IF TG_TABLE_SCHEMA = 'ref' AND TG_TABLE_NAME = 'city_boundary' THEN
        RETURN NEW;
    END IF;
    boundary := workflow.city_boundary();
    -- The tolerance is for features drawn along the boundary line; the
    -- buffer is computed only for the rare feature not inside outright.
    IF boundary IS NOT NULL AND NOT ST_Covers(boundary, NEW.geom)
       AND NOT ST_Covers(ST_Buffer(boundary, verification.setting_value('boundary_tolerance_m')), NEW.geom) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'geometry_inside_city',
            MESSAGE = format(CASE WHEN ST_Intersects(NEW.geom, boundary)
                                  THEN 'Об''єкт виходить за межі території «%s»'
                                  ELSE 'Об''єкт лежить поза межами території «%s»' END,
                             (SELECT string_agg(b.name_uk, ', ' ORDER BY b.id) FROM published.ref_city_boundary b)),
            DETAIL = 'The feature is not inside the boundary of the hromada',
            HINT = 'Перевірте систему координат: дані зберігаються в EPSG:9836 (УСК-2000 / МСК-18 Житомир)';
    END IF;
    RETURN NEW;
END
$$;

-- The select list that reads a register's rows for the history: every
-- column, geometry already as GeoJSON with its coordinate system. to_jsonb()
-- of such a row is the same JSON as to_jsonb() of the table's row, but
-- to_jsonb() converts geometry through PostGIS's json cast, which looks the
-- coordinate system up with a query of its own for every value: two thirds
-- of the history's time in a batch of 40,000 records (make bench-import).
CREATE OR REPLACE FUNCTION workflow.history_columns(tbl regclass) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT string_agg(CASE WHEN a.atttypid = 'public.geometry'::regtype
                           THEN format('public.ST_AsGeoJSON(%1$I, 15, 8)::jsonb AS %1$I', a.attname)
                           ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
      FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped;
$$;

-- jit off: the planner cannot estimate the join of the transition tables
-- and compiled a batch's statement for a second before running it.
CREATE OR REPLACE FUNCTION workflow.record_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public SET jit = off AS $$
DECLARE
    key text := format('%s.%s', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    sys text[] := workflow.system_columns();
    cols text := workflow.history_columns(TG_RELID);  -- rows read with geometry as GeoJSON
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format($q$
            INSERT INTO history.event (action, table_name, record_id, version,
                                       status_after, reason, new_values)
            SELECT CASE WHEN n.restored_from IS NOT NULL THEN 'restore' ELSE 'insert' END,
                   $1, n.id, n.version, n.status, n.status_note, to_jsonb(n)
              FROM (SELECT %s FROM new_rows) n ORDER BY n.id
        $q$, cols) USING key;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format($q$
            INSERT INTO history.event (action, table_name, record_id, version,
                                       status_before, old_values)
            SELECT 'delete', $1, o.id, o.version, o.status, to_jsonb(o)
              FROM (SELECT %s FROM old_rows) o ORDER BY o.id
        $q$, cols) USING key;
    ELSE
        EXECUTE format($q$
            INSERT INTO history.event (action, table_name, record_id, version, status_before,
                                       status_after, changed_columns, reason, old_values, new_values)
            SELECT CASE
                       WHEN (nj->>'restored_from') IS NOT NULL
                            AND (nj->'restored_from') IS DISTINCT FROM (oj->'restored_from') THEN 'restore'
                       WHEN (nj->>'deleted')::boolean AND NOT (oj->>'deleted')::boolean THEN 'delete'
                       WHEN nj->>'status' = oj->>'status' THEN 'update'
                       WHEN nj->>'status' = 'submitted' THEN 'submit'
                       WHEN nj->>'status' = 'verified' THEN 'approve'
                       WHEN nj->>'status' = 'rejected' THEN 'reject'
                       WHEN oj->>'status' IN ('submitted', 'rejected')
                            AND (nj->>'version') = (oj->>'version') THEN 'withdraw'
                       ELSE 'update'
                   END,
                   $1, (nj->>'id')::bigint, (nj->>'version')::int, oj->>'status', nj->>'status',
                   ARRAY(SELECT k FROM jsonb_object_keys(nj) k
                          WHERE nj->k IS DISTINCT FROM oj->k AND k <> ALL ($2) ORDER BY k),
                   nj->>'status_note', oj, nj
              FROM (SELECT to_jsonb(o) AS oj, to_jsonb(n) AS nj
                      FROM (SELECT %1$s FROM old_rows) o JOIN (SELECT %1$s FROM new_rows) n ON n.id = o.id
                     ORDER BY n.id) pairs
        $q$, cols) USING key, sys;
    END IF;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------- publishing
-- Copies the approved rows to the published table (or removes approved
-- deletions), logs the area that changed and tells the listeners (the tile
-- cache, the open data) to look at the log.
CREATE OR REPLACE FUNCTION workflow.publish(reg workflow.register, ids bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    cols text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(reg.published_columns) c);
    sets text := (SELECT string_agg(format('%1$I = EXCLUDED.%1$I', c), ', ')
                    FROM unnest(reg.published_columns) c WHERE c <> 'id');
    bbox box2d;
    logged bigint;
BEGIN
    IF reg.geometry_column IS NOT NULL THEN
        EXECUTE format($q$
            SELECT ST_Extent(g) FROM (
                SELECT geom AS g FROM %1$s WHERE id = ANY($1)
                UNION ALL
                SELECT geom FROM %2$s WHERE id = ANY($1)) both_versions
        $q$, reg.published_table::regclass, reg.table_name::regclass) INTO bbox USING ids;
    END IF;
    EXECUTE format('DELETE FROM %s p WHERE p.id = ANY($1) AND EXISTS (
                        SELECT FROM %s w WHERE w.id = p.id AND w.deleted)',
                   reg.published_table::regclass, reg.table_name::regclass) USING ids;
    EXECUTE format($q$
        INSERT INTO %1$s (%2$s, published_at, published_version)
        SELECT %2$s, now(), version FROM %3$s WHERE id = ANY($1) AND NOT deleted
        ON CONFLICT (id) DO UPDATE SET %4$s,
            published_at = EXCLUDED.published_at, published_version = EXCLUDED.published_version
    $q$, reg.published_table::regclass, cols, reg.table_name::regclass, sets) USING ids;
    -- The area goes to the approval log, which the caches read; the
    -- notification only wakes them (anyone may notify a channel).
    INSERT INTO published.approval_log (table_name, record_count, area)
    VALUES (reg.published_table, cardinality(ids),
            CASE WHEN bbox IS NOT NULL THEN ST_SetSRID(ST_Expand(bbox::geometry, 0.01), 9836) END)
    RETURNING id INTO logged;
    PERFORM pg_notify('zhytomyr_gis_published', logged::text);
END
$$;

-- ------------------------------------------------------------- the API
-- Locks the records, checks they exist and are in one of the allowed
-- states, and returns them. All-or-nothing: one bad record refuses all.
CREATE OR REPLACE FUNCTION workflow.lock_records(reg workflow.register, ids bigint[], allowed text[], action_uk text,
                                      expected_versions integer[] DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    found_ids bigint[];
    found_status text[];
    found_version integer[];
    missing text;
    wrong text;
    stale text;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005', MESSAGE = 'Не вибрано жодного запису',
            DETAIL = 'No records were given';
    END IF;
    IF expected_versions IS NOT NULL AND cardinality(expected_versions) <> cardinality(ids) THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Кількість версій не відповідає кількості записів',
            DETAIL = 'expected_versions must have one entry per record';
    END IF;
    -- Locked in id order, so that two batches never deadlock.
    EXECUTE format('SELECT array_agg(id ORDER BY id), array_agg(status ORDER BY id), array_agg(version ORDER BY id)
                      FROM (SELECT id, status, version FROM %s WHERE id = ANY($1) ORDER BY id FOR UPDATE) l',
                   reg.table_name::regclass)
        INTO found_ids, found_status, found_version USING ids;
    SELECT string_agg(i::text, ', ' ORDER BY i) INTO missing
      FROM unnest(ids) i WHERE i <> ALL (coalesce(found_ids, '{}'));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('Записів %s немає в реєстрі «%s»', missing, reg.title_uk),
            DETAIL = format('No records %s in register "%s"', missing, reg.title_en);
    END IF;
    SELECT string_agg(format('%s (%s)', f.i, f.s), ', ' ORDER BY f.i) INTO wrong
      FROM unnest(found_ids, found_status) AS f(i, s) WHERE f.s <> ALL (allowed);
    IF wrong IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Дію «%s» можна виконати лише для записів у стані %s; не підходять: %s',
                             action_uk, array_to_string(allowed, ' або '), wrong),
            DETAIL = format('"%s" needs records in state %s; these are not: %s',
                            action_uk, array_to_string(allowed, ' or '), wrong);
    END IF;
    IF expected_versions IS NOT NULL THEN
        SELECT string_agg(format('%s (версія %s, а не %s)', f.i, f.v, e.v), ', ' ORDER BY f.i) INTO stale
          FROM unnest(ids, expected_versions) AS e(i, v)
          JOIN unnest(found_ids, found_version) AS f(i, v) ON f.i = e.i
         WHERE f.v IS DISTINCT FROM e.v;
        IF stale IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'ZG001',
                MESSAGE = format('Записи змінилися після перегляду: %s. Перегляньте їх знову.', stale),
                DETAIL = format('Records changed after they were reviewed: %s', stale);
        END IF;
    END IF;
END
$$;

-- Four-eyes: refuse if the caller made any part of the pending change of
-- these records (any edit, deletion, restore or submission since the
-- record's last approval).
-- Four-eyes. The records among ids whose pending change the caller took
-- part in: any edit, deletion, restore or submission since the record's
-- last approval.
CREATE OR REPLACE FUNCTION workflow.own_changes(reg workflow.register, ids bigint[]) RETURNS bigint[]
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

-- ... and the refusal when there are any.
CREATE OR REPLACE FUNCTION workflow.require_other_person(reg workflow.register, ids bigint[], action_uk text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    own bigint[] := workflow.own_changes(reg, ids);
BEGIN
    IF cardinality(own) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG003',
            MESSAGE = format('Принцип чотирьох очей: ви не можете %s зміну, яку вносили самі (записи %s). Її має перевірити інший працівник підрозділу.',
                             action_uk, array_to_string(own, ', ')),
            DETAIL = format('Four-eyes principle: you cannot decide on a change you made yourself (records %s)',
                            array_to_string(own, ', '));
    END IF;
END
$$;

-- ------------------------------------------------------------- the API
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

CREATE OR REPLACE FUNCTION workflow.withdraw(tbl text, ids bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
BEGIN
    PERFORM workflow.require_role(reg.department, 'editor');
    PERFORM workflow.lock_records(reg, ids, ARRAY['submitted', 'rejected'], 'повернути в чернетку');
    EXECUTE format('UPDATE %s SET status = ''draft'' WHERE id = ANY($1)', reg.table_name::regclass) USING ids;
    RETURN cardinality(ids);
END
$$;
COMMENT ON FUNCTION workflow.withdraw(text, bigint[]) IS 'Editor: take submitted (or rejected) records back to draft.';

-- Approval: lock, four-eyes, the checks on the versions being approved
-- (other registers may have changed since submission; skipped when the
-- caller has just run them), the gate, then publication in the same
-- transaction. The caller has checked the verifier's role.
CREATE OR REPLACE FUNCTION workflow.approve_records(reg workflow.register, ids bigint[], note text,
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

-- An approval states the version of each record the verifier reviewed: a
-- record changed since (a new version) is refused, never approved unseen.
CREATE OR REPLACE FUNCTION workflow.require_reviewed_versions(ids bigint[], expected_versions integer[]) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF expected_versions IS NULL OR cardinality(expected_versions) <> cardinality(ids)
       OR array_position(expected_versions, NULL) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Вкажіть версію кожного запису, яку ви переглянули: затверджується лише переглянутий зміст',
            DETAIL = 'State the version of each record you reviewed (expected_versions): only reviewed content is approved';
    END IF;
END
$$;

-- Earlier versions made the reviewed versions optional (a default) and had a
-- single-record form without a version; CREATE OR REPLACE cannot take a
-- default away, so those go first.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_proc WHERE oid = to_regprocedure('workflow.approve(text,bigint[],text,integer[])')
                                   AND pronargdefaults > 0) THEN
        DROP FUNCTION IF EXISTS workflow.approve(text, bigint, text);
        DROP FUNCTION workflow.approve(text, bigint[], text, integer[]);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION workflow.approve(tbl text, ids bigint[], note text, expected_versions integer[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
BEGIN
    PERFORM workflow.require_role(reg.department, 'verifier');
    PERFORM workflow.require_reviewed_versions(ids, expected_versions);
    RETURN workflow.approve_records(reg, ids, note, expected_versions, false);
END
$$;
COMMENT ON FUNCTION workflow.approve(text, bigint[], text, integer[]) IS 'Verifier: approve the reviewed versions of submitted records and publish them in the same transaction (all or none; never one''s own change; refused while a check finds an error or an unacknowledged warning, or when a record changed since it was reviewed).';

CREATE OR REPLACE FUNCTION workflow.reject(tbl text, ids bigint[], reason text,
                                expected_versions integer[] DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
BEGIN
    PERFORM workflow.require_role(reg.department, 'verifier');
    IF reason IS NULL OR length(btrim(reason)) < 3 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Вкажіть причину відхилення: редактор має знати, що виправити',
            DETAIL = 'A reason is required to reject a change';
    END IF;
    PERFORM workflow.lock_records(reg, ids, ARRAY['submitted'], 'відхилити', expected_versions);
    PERFORM workflow.require_other_person(reg, ids, 'відхилити');
    EXECUTE format('UPDATE %s SET status = ''rejected'', status_note = $2 WHERE id = ANY($1)', reg.table_name::regclass)
        USING ids, btrim(reason);
    RETURN cardinality(ids);
END
$$;
COMMENT ON FUNCTION workflow.reject(text, bigint[], text, integer[]) IS 'Verifier: send submitted records back with a required reason (never one''s own change).';

-- Restore the content of an earlier version of a record as a new draft.
-- Works for records that were edited, marked deleted, or (drafts that were
-- never published) removed altogether.
CREATE OR REPLACE FUNCTION workflow.restore(tbl text, record_id bigint, version integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    ev history.event;
    content jsonb;
    cols text;
    current_status text;
    current_version integer;
    new_version integer;
BEGIN
    PERFORM workflow.require_role(reg.department, 'editor');
    SELECT * INTO ev FROM history.event e
     WHERE e.table_name = reg.table_name AND e.record_id = restore.record_id AND e.version = restore.version
     ORDER BY e.id DESC LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('В історії запису %s немає версії %s', record_id, version),
            DETAIL = format('Record %s has no version %s in its history', record_id, version);
    END IF;
    content := coalesce(ev.new_values, ev.old_values);
    -- Every column a person edits: not the id, not the workflow columns,
    -- not the generated ones.
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = reg.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = '' AND a.attidentity = ''
       AND a.attname <> ALL (workflow.system_columns());

    EXECUTE format('SELECT status, version FROM %s WHERE id = $1 FOR UPDATE', reg.table_name::regclass)
        INTO current_status, current_version USING record_id;
    IF current_status = 'submitted' THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Запис %s подано на перевірку: спершу відкличте подання', record_id),
            DETAIL = format('Record %s is submitted: withdraw it first', record_id);
    END IF;
    IF current_status IS NOT NULL THEN
        new_version := current_version + 1;
        EXECUTE format('UPDATE %1$s t SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::%1$s, $1)),
                               status = ''draft'', status_note = NULL, deleted = false,
                               restored_from = $3, version = $4
                         WHERE t.id = $2', reg.table_name::regclass, cols)
            USING content, record_id, ev.id, new_version;
    ELSE
        SELECT max(e.version) + 1 INTO new_version FROM history.event e
         WHERE e.table_name = reg.table_name AND e.record_id = restore.record_id;
        EXECUTE format('INSERT INTO %1$s (id, %2$s, restored_from, version) OVERRIDING SYSTEM VALUE
                        SELECT $2, %2$s, $3, $4 FROM jsonb_populate_record(NULL::%1$s, $1)', reg.table_name::regclass, cols)
            USING content, record_id, ev.id, new_version;
    END IF;
    RETURN new_version;
END
$$;
COMMENT ON FUNCTION workflow.restore(text, bigint, integer) IS 'Editor: restore the content of an earlier version of a record as a new draft; returns the new version number.';

-- Single-record conveniences.
CREATE OR REPLACE FUNCTION workflow.submit(tbl text, id bigint, note text DEFAULT NULL) RETURNS integer
LANGUAGE sql RETURN workflow.submit(tbl, ARRAY[id], note);
CREATE OR REPLACE FUNCTION workflow.withdraw(tbl text, id bigint) RETURNS integer
LANGUAGE sql RETURN workflow.withdraw(tbl, ARRAY[id]);
CREATE OR REPLACE FUNCTION workflow.approve(tbl text, id bigint, version integer, note text DEFAULT NULL) RETURNS integer
LANGUAGE sql RETURN workflow.approve(tbl, ARRAY[id], note, ARRAY[version]);
CREATE OR REPLACE FUNCTION workflow.reject(tbl text, id bigint, reason text) RETURNS integer
LANGUAGE sql RETURN workflow.reject(tbl, ARRAY[id], reason);

-- Timeline of one record, oldest first (what the history dock shows).
CREATE OR REPLACE FUNCTION workflow.timeline(tbl text, record_id bigint)
RETURNS SETOF history.event
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM workflow.register_of(tbl);  -- ZG005 when tbl is not a register
    RETURN QUERY SELECT * FROM history.event e
                  WHERE e.table_name = lower(btrim(tbl)) AND e.record_id = timeline.record_id
                  ORDER BY e.id;
END
$$;
