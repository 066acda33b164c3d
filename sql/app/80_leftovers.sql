-- What an earlier version defined and this one no longer does goes.
--
-- The upgrade applies every file of sql/app in one transaction, and each
-- (re)creates its objects (CREATE OR REPLACE FUNCTION, DROP ... IF EXISTS
-- then CREATE TRIGGER / POLICY, verification.declare_rule), which writes a
-- new version of their catalogue rows. A function, trigger, policy or rule
-- of ours whose row is still the one 00_before.sql saw is therefore a
-- leftover of an earlier version: it is dropped here. Functions are dropped
-- without CASCADE, so a leftover that something still uses (a CHECK
-- constraint, a column default) stops the upgrade with PostgreSQL's message
-- naming it.

DO $$
DECLARE
    ours text[] := ARRAY['meta', 'workflow', 'history', 'verification', 'ref', 'published', 'monitoring'];
    leftover record;
BEGIN
    -- Triggers calling our functions, on any table (registers live in
    -- their departments' schemas); the internal triggers of foreign keys
    -- are PostgreSQL's own.
    FOR leftover IN
        SELECT t.tgname, t.tgrelid::regclass AS tbl
          FROM pg_trigger t
          JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE NOT t.tgisinternal AND n.nspname = ANY (ours)
           AND (t.oid, t.ctid) IN (SELECT b.oid, b.row_version FROM app_objects_before b WHERE b.kind = 'trigger')
         ORDER BY t.tgrelid::regclass::text, t.tgname
    LOOP
        RAISE NOTICE 'upgrade: dropping trigger % on % (no longer defined in sql/app)', leftover.tgname, leftover.tbl;
        EXECUTE format('DROP TRIGGER %I ON %s', leftover.tgname, leftover.tbl);
    END LOOP;

    FOR leftover IN
        SELECT pol.polname, pol.polrelid::regclass AS tbl
          FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
         WHERE c.relnamespace::regnamespace::text = ANY (ours)
           AND (pol.oid, pol.ctid) IN (SELECT b.oid, b.row_version FROM app_objects_before b WHERE b.kind = 'policy')
    LOOP
        RAISE NOTICE 'upgrade: dropping policy % on % (no longer defined in sql/app)', leftover.polname, leftover.tbl;
        EXECUTE format('DROP POLICY %I ON %s', leftover.polname, leftover.tbl);
    END LOOP;

    -- Functions last: the triggers and policies that used them are gone.
    FOR leftover IN
        SELECT p.oid::regprocedure AS signature
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = ANY (ours)
           AND (p.oid, p.ctid) IN (SELECT b.oid, b.row_version FROM app_objects_before b WHERE b.kind = 'function')
         ORDER BY p.oid::regprocedure::text
    LOOP
        RAISE NOTICE 'upgrade: dropping function % (no longer defined in sql/app)', leftover.signature;
        EXECUTE format('DROP FUNCTION %s', leftover.signature);
    END LOOP;

    -- Rules are declared again on every upgrade (60_rules.sql and the
    -- standard rules of each register); the deletion is kept in
    -- history.configuration_change, the rule's stored findings go with it.
    FOR leftover IN
        SELECT r.id FROM verification.rule r
         WHERE (r.id, r.ctid) IN (SELECT b.id, b.row_version FROM app_rules_before b) ORDER BY r.id
    LOOP
        RAISE NOTICE 'upgrade: removing verification rule % (no longer declared in sql/app)', leftover.id;
        DELETE FROM verification.rule r WHERE r.id = leftover.id;
    END LOOP;
END
$$;
