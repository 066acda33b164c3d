-- The database's code moves to sql/app, applied on every upgrade after
-- the changelogs (docs/architecture.md). What that needs of the tables:
--
-- A register is declared by one row of workflow.register; its published
-- copy, the copy's columns and the geometry column are derived from the
-- table by workflow.attach_register() during the same upgrade, so a
-- changelog's INSERT gives only the declaration.
ALTER TABLE workflow.register
    ALTER COLUMN published_table DROP NOT NULL,
    ALTER COLUMN published_columns DROP NOT NULL;
COMMENT ON COLUMN workflow.register.published_table IS 'published.<schema>_<table>, made by workflow.attach_register()';
COMMENT ON COLUMN workflow.register.published_columns IS 'Columns of the published copy: all but the workflow''s and the personal ones (workflow.attach_register())';

-- The published copies are made with an integer key by attach_register();
-- the trigger that changed the key after a declaration would find no copy
-- to change when a changelog declares a register.
DROP TRIGGER published_copy_integer_key ON workflow.register;

-- The demo loader's record of its loads (made by the loader until now).
CREATE TABLE IF NOT EXISTS meta.demo_load (
    size      text NOT NULL,
    seed      integer NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    counts    jsonb NOT NULL
);
COMMENT ON TABLE meta.demo_load IS 'Loads of the generated demo dataset (zhytomyr_gis.demo.loader).';

-- Each application of sql/app, with what it changed.
CREATE TABLE meta.app_upgrade (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    applied_by  text NOT NULL DEFAULT session_user,
    checksum    text NOT NULL,
    changelogs  text[] NOT NULL DEFAULT '{}',
    duration_ms numeric NOT NULL
);
COMMENT ON TABLE meta.app_upgrade IS 'Every application of the database code (sql/app) at an upgrade: its checksum, the changelogs applied with it, how long it took.';

-- The upgrade notes which objects exist before it applies sql/app, in
-- temporary tables of its own transaction (sql/app/00_before.sql).
DO $$ BEGIN
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO gis_owner', current_database());
END $$;
