-- The history of the configuration that decides what passes review and what
-- the public reads: the verification's tolerances, energy class bands and
-- rules, and the classifiers (their labels are published). The GIS
-- administrator may change tolerances, bands and classifiers directly
-- (no four-eyes review), and loosening a tolerance lets changes pass the
-- checks, so every such change is kept like a register change: who, when,
-- the row before and after, in an append-only table nobody may alter.

CREATE TABLE history.configuration_change (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    actor          text NOT NULL DEFAULT session_user,
    table_name     text NOT NULL,
    action         text NOT NULL CONSTRAINT configuration_change_action_valid
                       CHECK (action IN ('insert', 'update', 'delete')),
    old_values     jsonb,
    new_values     jsonb
);
CREATE INDEX configuration_change_table_idx ON history.configuration_change (table_name, id);
COMMENT ON TABLE history.configuration_change IS
    'Append-only history of the verification settings, energy class bands, rules and classifiers: who changed which row, when, from what to what.';

CREATE TRIGGER configuration_change_append_only BEFORE UPDATE OR DELETE ON history.configuration_change
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
CREATE TRIGGER configuration_change_no_truncate BEFORE TRUNCATE ON history.configuration_change
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

-- SECURITY DEFINER: the administrator changes a setting but may not write
-- the history himself; session_user (the default of actor) stays his login.
CREATE FUNCTION history.record_configuration_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO history.configuration_change (table_name, action, old_values, new_values)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, lower(TG_OP),
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION history.record_configuration_change() FROM PUBLIC;

-- Puts a configuration table under the history (an update that changes
-- nothing is not a change). Also for classifiers made by later migrations.
CREATE FUNCTION history.keep_configuration_history(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER configuration_history_insert_delete AFTER INSERT OR DELETE ON %s
                        FOR EACH ROW EXECUTE FUNCTION history.record_configuration_change()', tbl);
    EXECUTE format('CREATE TRIGGER configuration_history_update AFTER UPDATE ON %s
                        FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
                        EXECUTE FUNCTION history.record_configuration_change()', tbl);
END
$$;

SELECT history.keep_configuration_history(t)
  FROM unnest(ARRAY['verification.setting', 'verification.energy_class_band', 'verification.rule']::regclass[]) t;
SELECT history.keep_configuration_history(format('ref.%I', c.relname)::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\_%'
 ORDER BY c.relname;

-- Classifiers created from now on come with their history.
CREATE OR REPLACE FUNCTION ref.create_classifier(name text, title_uk text, title_en text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        CREATE TABLE ref.%1$I (
            code       text PRIMARY KEY,
            label_uk   text NOT NULL,
            label_en   text NOT NULL,
            group_code text,
            sort_order integer NOT NULL DEFAULT 0,
            active     boolean NOT NULL DEFAULT true
        )$q$, name);
    EXECUTE format('COMMENT ON TABLE ref.%I IS %L', name, format('Класифікатор: %s / Classifier: %s', title_uk, title_en));
    EXECUTE format('GRANT SELECT ON ref.%I TO gis_admin', name);
    EXECUTE format('GRANT INSERT, UPDATE ON ref.%I TO gis_admin', name);
    PERFORM history.keep_configuration_history(format('ref.%I', name)::regclass);
END
$$;

-- Everyone who works with the registers may read it (the settings are readable to them too).
DO $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT unnest(ARRAY[editor_role, verifier_role]) FROM workflow.department LOOP
        EXECUTE format('GRANT SELECT ON history.configuration_change TO %I', r);
    END LOOP;
END
$$;
