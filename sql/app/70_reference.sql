-- Classifiers: one small table per list, ref.cl_<name> (code, label_uk,
-- label_en, group_code, sort_order, active), so that every coded column is
-- a plain foreign key and QGIS forms offer the list as a drop-down with
-- Ukrainian labels. A changelog adds a classifier with
--     CREATE TABLE ref.cl_<name> (LIKE ref.cl_ownership INCLUDING ALL);
-- its codes and their source come from sql/classifiers/<name>.csv and
-- <name>.toml, loaded by the upgrade after the changelogs
-- (zhytomyr_gis/migrate.py; the source and checksum of every file in
-- ref.classifier_source). On every upgrade each classifier gets its
-- configuration history (20_history.sql), its place in ref.classifier_code
-- and published.classifier (below) and its privileges (05_privileges.sql).

SELECT history.keep_configuration_history(c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r'
   AND (c.relname LIKE 'cl\_%' OR c.relname = 'classifier_source')
 ORDER BY c.relname;

-- Every code of every classifier, in force or not: what the check of a
-- register's codes reads (ref.check_classifier_code(), 10_validators.sql).
DO $$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW ref.classifier_code AS ' || (
        SELECT string_agg(format(
            'SELECT %L::text AS list, code, label_uk, active, sort_order FROM ref.%I',
            substr(c.relname, 4), c.relname), ' UNION ALL ' ORDER BY c.relname)
          FROM pg_class c
         WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\_%');
END
$$;
COMMENT ON VIEW ref.classifier_code IS 'Every code of every classifier with whether it is in force (list = the classifier''s name without cl_).';

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
