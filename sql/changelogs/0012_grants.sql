-- Read access shared by every department: reference layers (read-only) and
-- the classifiers for the forms' drop-downs.
DO $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT unnest(ARRAY[editor_role, verifier_role]) FROM workflow.department LOOP
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA ref TO %I', r);
    END LOOP;
END
$$;
