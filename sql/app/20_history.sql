-- The history: append-only, for everyone.
--
-- history.event (every insert, update, delete and decision of a register
-- record; written by workflow.record_history(), 30_workflow.sql) and
-- history.configuration_change (every change of what decides a review:
-- verification settings, energy class bands, rules, classifiers) refuse
-- UPDATE, DELETE and TRUNCATE, even from their owner. No login role has
-- any privilege on them but SELECT (90_grants.sql).

CREATE OR REPLACE FUNCTION history.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = 'Історія змін лише доповнюється: її не можна змінити чи видалити',
        DETAIL = 'The history is append-only: it cannot be changed or deleted';
END
$$;

DROP TRIGGER IF EXISTS event_append_only ON history.event;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON history.event
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS event_no_truncate ON history.event;
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON history.event
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

DROP TRIGGER IF EXISTS configuration_change_append_only ON history.configuration_change;
CREATE TRIGGER configuration_change_append_only BEFORE UPDATE OR DELETE ON history.configuration_change
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS configuration_change_no_truncate ON history.configuration_change;
CREATE TRIGGER configuration_change_no_truncate BEFORE TRUNCATE ON history.configuration_change
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

-- ------------------------------------------------- configuration history
-- SECURITY DEFINER: the administrator changes a setting but may not write
-- the history himself; session_user (the default of actor) stays his login.
CREATE OR REPLACE FUNCTION history.record_configuration_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO history.configuration_change (table_name, action, old_values, new_values)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, lower(TG_OP),
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
    RETURN NULL;
END
$$;

-- Puts a configuration table under the history (an update that changes
-- nothing is not a change). Called for the verification's tables below and
-- for every classifier (70_reference.sql), so a classifier created by a
-- later changelog is covered from the upgrade that creates it.
CREATE OR REPLACE FUNCTION history.keep_configuration_history(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS configuration_history_insert_delete ON %s', tbl);
    EXECUTE format('CREATE TRIGGER configuration_history_insert_delete AFTER INSERT OR DELETE ON %s
                        FOR EACH ROW EXECUTE FUNCTION history.record_configuration_change()', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS configuration_history_update ON %s', tbl);
    EXECUTE format('CREATE TRIGGER configuration_history_update AFTER UPDATE ON %s
                        FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
                        EXECUTE FUNCTION history.record_configuration_change()', tbl);
END
$$;

SELECT history.keep_configuration_history(t)
  FROM unnest(ARRAY['verification.setting', 'verification.energy_class_band', 'verification.rule']::regclass[]) t;
