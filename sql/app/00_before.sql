-- The objects of ours as they are before this upgrade applies sql/app:
-- what no file touches from here on is a leftover of an earlier version
-- (80_leftovers.sql). A catalogue row that a file creates or replaces gets
-- a new row version (ctid), so "untouched" is "same oid and same ctid" (row_version).
CREATE TEMPORARY TABLE app_objects_before ON COMMIT DROP AS
    SELECT 'function'::text AS kind, p.oid, p.ctid AS row_version
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname IN ('meta', 'workflow', 'history', 'verification', 'ref', 'published', 'monitoring')
    UNION ALL
    SELECT 'trigger', t.oid, t.ctid
      FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE NOT t.tgisinternal AND n.nspname IN ('meta', 'workflow', 'history', 'verification', 'ref', 'published', 'monitoring')
    UNION ALL
    SELECT 'policy', pol.oid, pol.ctid FROM pg_policy pol;

CREATE TEMPORARY TABLE app_rules_before ON COMMIT DROP AS
    SELECT r.id, r.ctid AS row_version FROM verification.rule r;
