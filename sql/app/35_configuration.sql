-- Configuration under review: what decides a review or what every user and
-- the public reads is changed by one GIS administrator's request and
-- another's approval, like a register change.
--
--   the classifiers ref.cl_*            (labels are published; codes fill the forms)
--   verification.setting                (tolerances: loosening one lets changes pass)
--   verification.text_setting           (the city's pattern of permit numbers)
--   verification.energy_class_band      (what a certificate's class must match)
--   public.layer_styles                 (the forms and symbols every QGIS loads)
--
-- Nobody but the owner writes these tables (05_privileges.sql). An approved
-- request is applied by workflow.decide_configuration() as the owner; the
-- change is kept in history.configuration_change with the request and the
-- person who made it (the actor is the approver).
--
--   workflow.request_configuration(table, new_values jsonb, reason, remove => false) -> request id
--   workflow.decide_configuration(request id, approve boolean, note)
--   workflow.withdraw_configuration(request id)

-- The key columns of a configuration table (ZG005 for any other table).
CREATE OR REPLACE FUNCTION workflow.configuration_key(tbl text) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF tbl ~ '^ref\.cl_[a-z0-9_]+$' AND to_regclass(tbl) IS NOT NULL THEN
        RETURN ARRAY['code'];
    ELSIF tbl IN ('verification.setting', 'verification.text_setting') THEN
        RETURN ARRAY['key'];
    ELSIF tbl = 'verification.energy_class_band' THEN
        RETURN ARRAY['energy_class'];
    ELSIF tbl = 'public.layer_styles' THEN
        -- How QGIS finds a layer's style: database, schema, table, geometry column, name.
        RETURN ARRAY['f_table_catalog', 'f_table_schema', 'f_table_name', 'f_geometry_column', 'stylename'];
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'ZG005',
        MESSAGE = format('«%s» не є налаштуванням, що змінюється через запит (класифікатори ref.cl_*, verification.setting, verification.text_setting, verification.energy_class_band, public.layer_styles)', tbl),
        DETAIL = format('"%s" is not configuration changed by request', tbl);
END
$$;

-- Writes one request's change (the caller has checked who may).
CREATE OR REPLACE FUNCTION workflow.apply_configuration(req workflow.configuration_request) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    rel regclass := req.table_name::regclass;
    key_columns text[] := workflow.configuration_key(req.table_name);
    matches text;
    columns text;
    changed integer;
BEGIN
    SELECT string_agg(format('t.%1$I IS NOT DISTINCT FROM k.%1$I', c), ' AND ') INTO matches FROM unnest(key_columns) c;
    IF req.new_values IS NULL THEN
        -- A code of a classifier may be referenced by records: it is retired, not deleted.
        IF req.table_name LIKE 'ref.cl\_%' THEN
            EXECUTE format('UPDATE %1$s t SET active = false FROM jsonb_populate_record(NULL::%1$s, $1) k WHERE %2$s',
                           rel, matches) USING req.row_key;
        ELSE
            EXECUTE format('DELETE FROM %1$s t USING jsonb_populate_record(NULL::%1$s, $1) k WHERE %2$s', rel, matches)
                USING req.row_key;
        END IF;
        RETURN;
    END IF;
    -- The columns the request gives (the database fills the others: ids, owners, times).
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns
      FROM pg_attribute a
     WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'id'
       AND req.new_values ? a.attname;
    EXECUTE format('UPDATE %1$s t SET (%2$s) = (SELECT %2$s FROM jsonb_populate_record(NULL::%1$s, $1))
                      FROM jsonb_populate_record(NULL::%1$s, $2) k WHERE %3$s', rel, columns, matches)
        USING req.new_values, req.row_key;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
        EXECUTE format('INSERT INTO %1$s (%2$s) SELECT %2$s FROM jsonb_populate_record(NULL::%1$s, $1)', rel, columns)
            USING req.new_values;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION workflow.request_configuration(tbl text, new_values jsonb, reason text,
                                                          remove boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    name text := lower(btrim(tbl));
    key_columns text[];
    unknown text;
    missing text;
    req workflow.configuration_request;
BEGIN
    PERFORM workflow.require_role('admin', 'editor');
    key_columns := workflow.configuration_key(name);
    IF reason IS NULL OR length(btrim(reason)) < 3 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Вкажіть причину зміни налаштування: її побачить той, хто затверджуватиме',
            DETAIL = 'A reason is required for a configuration change';
    END IF;
    SELECT string_agg(k, ', ') INTO unknown FROM jsonb_object_keys(coalesce(new_values, '{}')) k
     WHERE NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = name::regclass AND a.attname = k
                          AND a.attnum > 0 AND NOT a.attisdropped);
    SELECT string_agg(k, ', ') INTO missing FROM unnest(key_columns) k
     WHERE NOT coalesce(new_values, '{}') ? k;
    IF unknown IS NOT NULL OR missing IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('Запит на зміну %s: %s', name, concat_ws('; ',
                'невідомі поля ' || unknown, 'бракує ключових полів ' || missing)),
            DETAIL = format('Request for %s: unknown fields %s, missing key fields %s', name, unknown, missing);
    END IF;
    INSERT INTO workflow.configuration_request (table_name, row_key, new_values, reason)
    SELECT name, (SELECT jsonb_object_agg(k, new_values -> k) FROM unnest(key_columns) k),
           CASE WHEN remove THEN NULL ELSE new_values END, btrim(reason)
    RETURNING * INTO req;
    -- Tried at once, and undone: a value the table's rules refuse is refused
    -- now, with the rule's message, not when another administrator approves.
    BEGIN
        PERFORM workflow.apply_configuration(req);
        RAISE EXCEPTION USING ERRCODE = 'ZGTRY';
    EXCEPTION WHEN SQLSTATE 'ZGTRY' THEN
        NULL;
    END;
    RETURN req.id;
END
$$;
COMMENT ON FUNCTION workflow.request_configuration(text, jsonb, text, boolean) IS 'GIS administrator: request a change of a classifier, verification setting, energy class band or layer style (another administrator decides).';

CREATE OR REPLACE FUNCTION workflow.decide_configuration(request_id bigint, approve boolean, note text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    req workflow.configuration_request;
BEGIN
    PERFORM workflow.require_role('admin', 'verifier');
    SELECT * INTO req FROM workflow.configuration_request r WHERE r.id = request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005', MESSAGE = format('Запиту на зміну налаштувань %s немає', request_id),
            DETAIL = format('No configuration request %s', request_id);
    END IF;
    IF req.state <> 'pending' THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Запит %s уже не очікує рішення (стан: %s)', request_id, req.state),
            DETAIL = format('Request %s is not pending (%s)', request_id, req.state);
    END IF;
    IF req.requested_by = session_user THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG003',
            MESSAGE = format('Принцип чотирьох очей: ви не можете вирішувати щодо власного запиту %s. Його має розглянути інший адміністратор.', request_id),
            DETAIL = format('Four-eyes principle: you cannot decide on your own request %s', request_id);
    END IF;
    IF NOT approve AND (note IS NULL OR length(btrim(note)) < 3) THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Вкажіть причину відхилення запиту', DETAIL = 'A reason is required to reject a request';
    END IF;
    IF approve THEN
        -- Read by history.record_configuration_change(): the change is the request's.
        PERFORM set_config('zhytomyr_gis.configuration_request', req.id::text, true);
        PERFORM set_config('zhytomyr_gis.configuration_requested_by', req.requested_by, true);
        PERFORM workflow.apply_configuration(req);
        PERFORM set_config('zhytomyr_gis.configuration_request', '', true);
        PERFORM set_config('zhytomyr_gis.configuration_requested_by', '', true);
    END IF;
    UPDATE workflow.configuration_request r
       SET state = CASE WHEN approve THEN 'approved' ELSE 'rejected' END,
           decided_by = session_user, decided_at = now(), decision_note = nullif(btrim(note), '')
     WHERE r.id = req.id;
    RETURN CASE WHEN approve THEN 'approved' ELSE 'rejected' END;
END
$$;
COMMENT ON FUNCTION workflow.decide_configuration(bigint, boolean, text) IS 'GIS administrator: approve (and apply) or reject another administrator''s configuration request.';

CREATE OR REPLACE FUNCTION workflow.withdraw_configuration(request_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    UPDATE workflow.configuration_request r SET state = 'withdrawn', decided_by = session_user, decided_at = now()
     WHERE r.id = request_id AND r.state = 'pending' AND r.requested_by = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = format('Відкликати можна лише власний запит, що очікує рішення (запит %s)', request_id),
            DETAIL = format('Only one''s own pending request can be withdrawn (request %s)', request_id);
    END IF;
END
$$;
