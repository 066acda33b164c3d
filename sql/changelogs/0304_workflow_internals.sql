-- The workflow's internal functions are not part of its API. 0003 granted
-- every function of the schema to the departments; two of them run as the
-- owner and trusted their caller:
--  - workflow.publish() copies records to the public tables without any
--    check (approve() calls it as the owner after its checks): nobody else
--    may call it;
--  - workflow.request_deletion() is how the DELETE trigger turns the
--    deletion of a published record into a deletion request, with the
--    trigger's checks before it: called directly it would skip them, so it
--    now refuses to run outside a trigger and checks the state itself.

DO $$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT unnest(ARRAY[editor_role, verifier_role]) FROM workflow.department LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION workflow.publish(workflow.register, bigint[]) FROM %I', r);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION workflow.request_deletion(tbl regclass, record_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(workflow.table_key(tbl));
BEGIN
    IF pg_trigger_depth() = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG002',
            MESSAGE = 'Запит на видалення робить команда DELETE (видалення запису), а не прямий виклик',
            DETAIL = 'A deletion request is made by deleting the record (DELETE), not by calling request_deletion';
    END IF;
    PERFORM workflow.require_role(reg.department, 'editor');
    EXECUTE format('UPDATE %s t SET deleted = true, status = ''draft'', status_note = NULL, version = version + 1
                     WHERE t.id = $1 AND NOT t.deleted AND t.status <> ''submitted''
                       AND EXISTS (SELECT FROM %s p WHERE p.id = $1)', tbl, reg.published_table)
        USING record_id;
END
$$;
