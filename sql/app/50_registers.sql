-- What a register gets from its declaration.
--
-- A register is declared by one row of workflow.register (in a changelog:
-- INSERT INTO workflow.register (table_name, department, title_uk,
-- title_en, personal_columns) VALUES (...)). On every upgrade, after the
-- changelogs, workflow.attach_register() gives each declared register,
-- whenever it was declared:
--   - the workflow columns (status, version, ... as workflow.system_columns())
--     and an index of the records waiting for review;
--   - the row triggers of the workflow and the statement triggers of the
--     history (30_workflow.sql), the geometry check when it has a geom, and
--     the check of its codes against the classifiers and the city's
--     settings (ref.check_codes(), 10_validators.sql);
--   - its published copy published.<schema>_<table>: every column but the
--     workflow's and the personal ones, an integer key, published_at and
--     published_version; columns added to the register later are added to
--     the copy, columns dropped or declared personal are dropped from it;
--   - the standard verification rules (40_verification.sql);
-- and 05_privileges.sql gives its department's roles their privileges.

-- The columns a register publishes: all but the workflow's and the personal ones.
CREATE OR REPLACE FUNCTION workflow.public_columns(reg workflow.register) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(a.attname::text ORDER BY a.attnum)
      FROM pg_attribute a
     WHERE a.attrelid = reg.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname <> ALL (workflow.system_columns())
       AND a.attname <> ALL (reg.personal_columns);
$$;

CREATE OR REPLACE FUNCTION workflow.attach_register(tbl text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    reg workflow.register;
    rel regclass;
    schema_name text;
    short text;
    pub text;
    pub_rel regclass;
    geom_col text;
    bad text;
    col record;
    code_rules text[];
BEGIN
    SELECT * INTO STRICT reg FROM workflow.register WHERE table_name = tbl;
    rel := reg.table_name::regclass;
    schema_name := split_part(reg.table_name, '.', 1);
    short := split_part(reg.table_name, '.', 2);
    pub := format('published.%I', schema_name || '_' || short);

    SELECT string_agg(p, ', ') INTO bad FROM unnest(reg.personal_columns) p
     WHERE NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = p AND NOT a.attisdropped);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'register %: unknown personal columns %', reg.table_name, bad;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = 'id' AND NOT a.attisdropped
                      AND a.attidentity <> '') THEN
        RAISE EXCEPTION 'register %: needs an identity column id (bigint GENERATED ALWAYS AS IDENTITY)', reg.table_name;
    END IF;
    SELECT a.attname INTO geom_col FROM pg_attribute a
     WHERE a.attrelid = rel AND a.atttypid = 'geometry'::regtype AND NOT a.attisdropped;
    IF geom_col IS NOT NULL AND geom_col <> 'geom' THEN
        RAISE EXCEPTION 'register %: the geometry column must be called geom', reg.table_name;
    END IF;

    -- The workflow columns.
    IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = 'status' AND NOT a.attisdropped) THEN
        EXECUTE format($q$
            ALTER TABLE %1$s
                ADD COLUMN status text NOT NULL DEFAULT 'draft'
                    CONSTRAINT %2$I CHECK (status IN ('draft', 'submitted', 'verified', 'rejected')),
                ADD COLUMN version integer NOT NULL DEFAULT 1,
                ADD COLUMN deleted boolean NOT NULL DEFAULT false,
                ADD COLUMN status_note text,
                ADD COLUMN restored_from bigint,
                ADD COLUMN created_by text NOT NULL DEFAULT session_user,
                ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
                ADD COLUMN updated_by text NOT NULL DEFAULT session_user,
                ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()
        $q$, rel, short || '_status_valid');
        EXECUTE format('CREATE INDEX %I ON %s (status) WHERE status <> ''verified''', short || '_pending_idx', rel);
    END IF;
    EXECUTE format('COMMENT ON TABLE %s IS %L', rel, format('%s / %s', reg.title_uk, reg.title_en));
    EXECUTE format('COMMENT ON COLUMN %s.status IS %L', rel, 'Стан у процесі перевірки: draft, submitted, verified, rejected');
    EXECUTE format('COMMENT ON COLUMN %s.version IS %L', rel, 'Версія змісту; оновлення записує прочитану версію + 1');

    -- The triggers (letters order them: workflow first, history last).
    EXECUTE format('DROP TRIGGER IF EXISTS a_before_insert ON %s', rel);
    EXECUTE format('CREATE TRIGGER a_before_insert BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_insert()', rel);
    EXECUTE format('DROP TRIGGER IF EXISTS a_before_update ON %s', rel);
    EXECUTE format('CREATE TRIGGER a_before_update BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_update()', rel);
    EXECUTE format('DROP TRIGGER IF EXISTS a_before_delete ON %s', rel);
    EXECUTE format('CREATE TRIGGER a_before_delete BEFORE DELETE ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_delete()', rel);
    EXECUTE format('DROP TRIGGER IF EXISTS b_check_geometry ON %s', rel);
    IF geom_col IS NOT NULL THEN
        EXECUTE format('CREATE TRIGGER b_check_geometry BEFORE INSERT OR UPDATE OF geom ON %s FOR EACH ROW EXECUTE FUNCTION workflow.check_geometry()', rel);
    END IF;
    -- The rules of its codes that consult the classifiers and settings
    -- (10_validators.sql), on the columns that hold such codes.
    EXECUTE format('DROP TRIGGER IF EXISTS c_check_codes ON %s', rel);
    code_rules := ref.code_rules_of(rel);
    IF cardinality(code_rules) > 0 THEN
        EXECUTE format('CREATE TRIGGER c_check_codes BEFORE INSERT OR UPDATE OF %s ON %s FOR EACH ROW EXECUTE FUNCTION ref.check_codes(%s)',
                       (SELECT string_agg(DISTINCT quote_ident(split_part(r, ':', 2)), ', ') FROM unnest(code_rules) r),
                       rel, (SELECT string_agg(quote_literal(r), ', ') FROM unnest(code_rules) r));
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS z_history_insert ON %s', rel);
    EXECUTE format('CREATE TRIGGER z_history_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', rel);
    EXECUTE format('DROP TRIGGER IF EXISTS z_history_update ON %s', rel);
    EXECUTE format('CREATE TRIGGER z_history_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', rel);
    EXECUTE format('DROP TRIGGER IF EXISTS z_history_delete ON %s', rel);
    EXECUTE format('CREATE TRIGGER z_history_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', rel);

    -- The published copy.
    pub_rel := to_regclass(pub);
    IF pub_rel IS NULL THEN
        -- Integer key: QGIS (3.22 to 3.34) reads a bigint key through a
        -- per-layer map from key to feature id; with an integer key the id
        -- is the feature id (make bench: WFS downloads 14 % faster). A
        -- register stays far below 2^31 records; an approval beyond would
        -- fail whole (integer out of range), never half-written.
        EXECUTE format('CREATE TABLE %s AS SELECT %s FROM %s WITH NO DATA', pub,
                       (SELECT string_agg(quote_ident(c), ', ') FROM unnest(workflow.public_columns(reg)) c), rel);
        pub_rel := pub::regclass;
        EXECUTE format('ALTER TABLE %s ALTER COLUMN id TYPE integer, ADD PRIMARY KEY (id),
                            ADD COLUMN published_at timestamptz NOT NULL,
                            ADD COLUMN published_version integer NOT NULL', pub_rel);
        IF geom_col IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %s ALTER COLUMN geom SET NOT NULL', pub_rel);
            EXECUTE format('CREATE INDEX %I ON published.%I USING gist (geom)',
                           schema_name || '_' || short || '_geom_idx', schema_name || '_' || short);
        END IF;
    ELSE
        -- Columns no longer public (dropped, or declared personal) leave the copy ...
        FOR col IN
            SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = pub_rel AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attname NOT IN ('published_at', 'published_version')
               AND a.attname <> ALL (workflow.public_columns(reg))
        LOOP
            EXECUTE format('ALTER TABLE %s DROP COLUMN %I', pub_rel, col.attname);
        END LOOP;
        -- ... and new public columns join it (empty until their records are approved again).
        FOR col IN
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
             WHERE a.attrelid = rel AND a.attname = ANY (workflow.public_columns(reg))
               AND NOT EXISTS (SELECT FROM pg_attribute p WHERE p.attrelid = pub_rel AND p.attname = a.attname
                                  AND NOT p.attisdropped)
             ORDER BY a.attnum
        LOOP
            EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', pub_rel, col.attname, col.type);
        END LOOP;
    END IF;
    EXECUTE format('COMMENT ON TABLE %s IS %L', pub_rel, format('%s (опубліковано) / %s (published)', reg.title_uk, reg.title_en));

    UPDATE workflow.register r
       SET published_table = pub_rel::text, published_columns = workflow.public_columns(reg), geometry_column = geom_col
     WHERE r.table_name = reg.table_name
       AND (r.published_table, r.published_columns, r.geometry_column)
           IS DISTINCT FROM (pub_rel::text, workflow.public_columns(reg), geom_col);

    SELECT * INTO STRICT reg FROM workflow.register WHERE table_name = tbl;
    PERFORM verification.declare_standard_rules(reg);
END
$$;
COMMENT ON FUNCTION workflow.attach_register(text) IS 'Gives a declared register its workflow columns, triggers, published copy and standard rules (idempotent; run for every register on each upgrade).';

-- Declares a register and attaches it at once (for a table made outside a
-- changelog, e.g. in a test); changelogs insert the row and leave the rest
-- to the upgrade.
CREATE OR REPLACE FUNCTION workflow.register_table(tbl regclass, department text, title_uk text, title_en text,
                                                   personal_columns text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workflow.register (table_name, department, title_uk, title_en, personal_columns)
    VALUES (workflow.table_key(tbl), department, title_uk, title_en, personal_columns);
    PERFORM workflow.attach_register(workflow.table_key(tbl));
    PERFORM meta.apply_privileges();
END
$$;
COMMENT ON FUNCTION workflow.register_table IS 'Declares a table as a register and attaches it (workflow columns, triggers, published copy, rules, privileges).';

SELECT workflow.attach_register(table_name) FROM workflow.register ORDER BY table_name;
