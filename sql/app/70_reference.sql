-- Classifiers: one small table per list, ref.cl_<name> (code, label_uk,
-- label_en, group_code, sort_order, active), so that every coded column is
-- a plain foreign key and QGIS forms offer the list as a drop-down with
-- Ukrainian labels. A changelog adds a classifier with
--     CREATE TABLE ref.cl_<name> (LIKE ref.cl_ownership INCLUDING ALL);
-- and its rows; on every upgrade each classifier gets its configuration
-- history (20_history.sql), its place in published.classifier (below) and
-- its privileges (90_grants.sql).

SELECT history.keep_configuration_history(c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\_%'
 ORDER BY c.relname;

-- All active labels in one view, for the portal and the services.
DO $$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW published.classifier AS ' || (
        SELECT string_agg(format(
            'SELECT %L::text AS list, code, label_uk, label_en, group_code, sort_order FROM ref.%I WHERE active',
            substr(c.relname, 4), c.relname), ' UNION ALL ' ORDER BY c.relname)
          FROM pg_class c
         WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\_%');
END
$$;
COMMENT ON VIEW published.classifier IS 'Every classifier''s active codes with Ukrainian and English labels (list = the classifier''s name without cl_).';
