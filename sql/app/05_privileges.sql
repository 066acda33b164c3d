-- Who may do what: every privilege that any role but the owner (gis_owner)
-- holds on the system's objects is listed here, and only here.
--
-- meta.apply_privileges() first takes every privilege on our schemas,
-- tables, views, sequences and functions from everyone (PUBLIC included),
-- then grants what is listed below; 90_grants.sql runs it at the end of
-- every upgrade (and attach_register when a register is declared at run
-- time). It is defined here, before 80_leftovers.sql, so that an upgrade
-- does not take it for a leftover of the earlier version (its grants
-- rewrite every function's catalogue row). A function is callable
-- only if it is on an EXECUTE allow-list below; tests/test_privileges.py
-- holds the database to them.
--
-- Roles (created by sql/changelogs/0001_foundation.sql):
--   <dept>_editor, <dept>_verifier  each department's staff (workflow.department);
--   gis_admin                       the GIS administrators: editors and verifiers of the
--                                   reference data (department "admin"), read every register,
--                                   request and decide configuration changes;
--   portal_reader                   the public side (QGIS Server, open data): the published
--                                   copies, the classifier labels, the layer styles; nothing else;
--   zgis_monitor                    the monitoring: the aggregates of 75_monitoring.sql, no table.

CREATE OR REPLACE FUNCTION meta.apply_privileges() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    -- The departments' SQL API: what their QGIS, the plugin and psql call.
    -- Each function checks the caller's role in the record's department.
    department_api regprocedure[] := ARRAY[
        'workflow.my_departments()',
        'workflow.submit(text,bigint[],text)', 'workflow.submit(text,bigint,text)',
        'workflow.withdraw(text,bigint[])', 'workflow.withdraw(text,bigint)',
        'workflow.approve(text,bigint[],text,integer[])', 'workflow.approve(text,bigint,integer,text)',
        'workflow.reject(text,bigint[],text,integer[])', 'workflow.reject(text,bigint,text)',
        'workflow.restore(text,bigint,integer)',
        'workflow.timeline(text,bigint)',
        'history.record_import_file(text,text,text,text,date,text,text,text,text)',
        'verification.check(text,bigint[])', 'verification.check_all()',
        'verification.acknowledge(text,bigint[],text[],text)',
        'verification.approve_clear(text,bigint[],integer[],text)',
        'verification.review_queue(text)', 'verification.status_report(integer)',
        'verification.issues(text,bigint[])', 'verification.marker(geometry)',
        'verification.setting_value(text)', 'verification.text_setting_value(text)',
        'verification.energy_class_of(numeric)', 'verification.energy_class_rank(text)'
    ]::regprocedure[];
    -- What runs with the rights of a department's user inside the
    -- database's own checks: the CHECK constraints of the registers (the
    -- validators), the workflow's row triggers (they call these helpers;
    -- a trigger function itself needs no EXECUTE to fire), the row-level
    -- security of the history and the findings, and workflow.timeline().
    department_checks regprocedure[] := ARRAY[
        'ref.rule_violation(text,text,text,text)',
        'ref.is_valid_cadastral_number(text)', 'ref.check_cadastral_number(text)',
        'ref.is_valid_edrpou(text)', 'ref.check_edrpou(text)',
        'ref.is_valid_rnokpp(text)', 'ref.check_rnokpp(text)',
        'ref.is_valid_katottg(text)', 'ref.check_katottg(text)',
        'ref.is_valid_tender_id(text)', 'ref.check_tender_id(text)',
        'ref.is_valid_kpkvk(text)', 'ref.check_kpkvk(text)',
        'ref.is_valid_kekv(text)', 'ref.check_kekv(text)',
        'ref.is_valid_permit_number(text)', 'ref.check_permit_number(text)',
        -- the rules of codes that read the classifiers and settings (row
        -- trigger ref.check_codes(), run with the rights of whoever writes)
        'ref.hromada_name()', 'ref.classifier_citation(text)', 'ref.classifier_codes(text)',
        'ref.is_hromada_cadastral_number(text)', 'ref.check_hromada_cadastral_number(text)',
        'ref.is_hromada_katottg(text)', 'ref.check_hromada_katottg(text)',
        'ref.follows_permit_numbering(text)', 'ref.check_permit_numbering(text)',
        'ref.check_classifier_code(text,text)',
        'ref.is_valid_registry_id(text)', 'ref.check_inventory_number(text)',
        'ref.check_date_order(date,date,text,text,text)',
        'ref.check_range(numeric,numeric,numeric,text,text,text)',
        'workflow.in_workflow_context()', 'workflow.has_published_version(regclass,bigint)',
        'workflow.require_new_identity(regclass,bigint)',
        'workflow.request_deletion(regclass,bigint)', 'workflow.city_boundary()',
        'workflow.can_read_history(text)', 'verification.may_see(text)',
        'workflow.register_of(text)'
    ]::regprocedure[];
    -- The GIS administrator's own: configuration by request and decision
    -- (35_configuration.sql), the integrity of the history (20_history.sql).
    admin_api regprocedure[] := ARRAY[
        'workflow.request_configuration(text,jsonb,text,boolean)',
        'workflow.decide_configuration(bigint,boolean,text)',
        'workflow.withdraw_configuration(bigint)',
        'history.verify_chain(bigint,text)', 'history.chain_head()'
    ]::regprocedure[];
    -- The monitoring's (role zgis_monitor, 75_monitoring.sql): aggregates only.
    monitor_api regprocedure[] := ARRAY[
        'monitoring.register_records()', 'monitoring.history_events()', 'monitoring.history_bytes()'
    ]::regprocedure[];
    ours text[] := ARRAY['meta', 'workflow', 'history', 'verification', 'ref', 'published', 'monitoring'];
    all_schemas text[];
    department_roles text[];
    obj record;
    r text;
    reg record;
BEGIN
    SELECT array_agg(DISTINCT x ORDER BY x) INTO department_roles
      FROM workflow.department d, unnest(ARRAY[d.editor_role::text, d.verifier_role::text]) x;
    SELECT ours || coalesce(array_agg(DISTINCT split_part(table_name, '.', 1)) FILTER (
               WHERE split_part(table_name, '.', 1) <> ALL (ours)), '{}')
      INTO all_schemas FROM workflow.register;

    -- ------------------------------------------------------ take everything
    FOR obj IN
        SELECT format('SCHEMA %I', n.nspname) AS what, n.nspacl AS acl, n.nspowner AS owner
          FROM pg_namespace n WHERE n.nspname = ANY (all_schemas)
        UNION ALL
        SELECT format('TABLE %s', c.oid::regclass), c.relacl, c.relowner
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE (n.nspname = ANY (all_schemas) AND c.relkind IN ('r', 'v', 'm', 'p', 'f'))
            OR c.oid = 'public.layer_styles'::regclass
        UNION ALL
        SELECT format('SEQUENCE %s', c.oid::regclass), c.relacl, c.relowner
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE (n.nspname = ANY (all_schemas) OR c.oid = 'public.layer_styles_id_seq'::regclass) AND c.relkind = 'S'
        UNION ALL
        SELECT format('FUNCTION %s', p.oid::regprocedure), coalesce(p.proacl, acldefault('f', p.proowner)), p.proowner
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = ANY (ours)
    LOOP
        FOR r IN
            SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END
              FROM aclexplode(obj.acl) a WHERE a.grantee <> obj.owner
        LOOP
            EXECUTE format('REVOKE ALL ON %s FROM %s', obj.what, r);
        END LOOP;
    END LOOP;
    -- Column privileges live apart from the table's.
    FOR obj IN
        SELECT DISTINCT c.oid::regclass AS tbl,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END AS grantee
          FROM pg_attribute att
          JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN LATERAL aclexplode(att.attacl) a
         WHERE att.attacl IS NOT NULL AND n.nspname = ANY (all_schemas) AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %s', obj.tbl, obj.grantee);
    END LOOP;

    -- ------------------------------------------------------ the departments
    FOREACH r IN ARRAY department_roles LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA workflow, history, verification, published, ref, meta TO %I', r);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I',
                       (SELECT string_agg(f::text, ', ') FROM unnest(department_api || department_checks) f), r);
        EXECUTE format('GRANT SELECT ON workflow.department, workflow.register, history.event,
                               history.import_file, history.configuration_change, verification.rule,
                               verification.setting, verification.text_setting, verification.energy_class_band,
                               verification.result, verification.run, meta.conversion_report,
                               public.layer_styles TO %I', r);
        -- Reference data and classifiers (read-only; the forms' drop-downs),
        -- and what the public sees of every register (departments compare
        -- against each other's approved data).
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA ref, published TO %I', r);
    END LOOP;

    -- Each register: its department's editors write it, its verifiers and
    -- the GIS administrator read it.
    FOR reg IN
        SELECT w.table_name, w.published_table, d.editor_role, d.verifier_role
          FROM workflow.register w JOIN workflow.department d ON d.code = w.department
         ORDER BY w.table_name
    LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I, %I, gis_admin',
                       split_part(reg.table_name, '.', 1), reg.editor_role, reg.verifier_role);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', reg.table_name::regclass, reg.editor_role);
        EXECUTE format('GRANT SELECT ON %s TO %I, gis_admin', reg.table_name::regclass, reg.verifier_role);
    END LOOP;

    -- ------------------------------------------------- the GIS administrator
    -- Classifiers, the verification's tolerances and energy class bands and
    -- the layer styles change only by request and another administrator's
    -- approval (35_configuration.sql): the administrators read them, and
    -- the requests.
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO gis_admin',
                   (SELECT string_agg(f::text, ', ') FROM unnest(admin_api) f));
    GRANT SELECT ON workflow.configuration_request, history.chain TO gis_admin;
    GRANT USAGE ON SCHEMA meta TO gis_admin;
    GRANT SELECT ON meta.app_upgrade, meta.demo_load, meta.conversion_report TO gis_admin;

    -- ------------------------------------------------------- the monitoring
    GRANT USAGE ON SCHEMA monitoring TO zgis_monitor;
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO zgis_monitor',
                   (SELECT string_agg(f::text, ', ') FROM unnest(monitor_api) f));

    -- ------------------------------------------------------------ the public
    GRANT USAGE ON SCHEMA published TO portal_reader;
    GRANT SELECT ON ALL TABLES IN SCHEMA published TO portal_reader;
    GRANT SELECT ON public.layer_styles TO portal_reader;
END
$$;
