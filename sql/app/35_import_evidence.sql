-- The evidence of imported changes.
--
-- An import (zhytomyr_gis/importing) first registers the file it reads with
-- history.record_import_file(); every history event written later in the
-- same transaction by the same person carries the file's id
-- (history.event.import_file_id, the column's default below), whichever
-- trigger writes it: the inserts and updates of the drafts, their
-- submission. The timeline shows the file beside each such event.
--
-- Nobody can attach a file to changes they did not import: history.import_file
-- is written only by record_import_file (SECURITY DEFINER), which takes the
-- person (session_user) and the transaction from the session; an event
-- gets the file only inside that transaction and for that person; a
-- forged setting is refused; both tables are append-only.

-- Append-only, as history.event (history.refuse_change, 20_history.sql).
DROP TRIGGER IF EXISTS import_file_append_only ON history.import_file;
CREATE TRIGGER import_file_append_only BEFORE UPDATE OR DELETE ON history.import_file
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS import_file_no_truncate ON history.import_file;
CREATE TRIGGER import_file_no_truncate BEFORE TRUNCATE ON history.import_file
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

-- Who reads which files: the department of the register and the GIS
-- administrator, as for the register's history.
DROP POLICY IF EXISTS import_file_read_own_department ON history.import_file;
CREATE POLICY import_file_read_own_department ON history.import_file FOR SELECT
    USING (workflow.can_read_history(table_name));

-- The file the current transaction registered, for the events it writes:
-- NULL outside an import. The id travels in a transaction-local setting,
-- which anyone can set, so it is believed only for a file registered in
-- this very transaction by this very person.
-- (No SET clause: it runs for every event row; everything in it is qualified.)
CREATE OR REPLACE FUNCTION history.current_import_file() RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    given text := pg_catalog.current_setting('zhytomyr_gis.import_file', true);
    found bigint;
BEGIN
    IF given IS NULL OR given = '' THEN
        RETURN NULL;
    END IF;
    SELECT f.id INTO found FROM history.import_file f
     WHERE f.id = CASE WHEN given ~ '^[0-9]{1,18}$' THEN given::pg_catalog.int8 END
       AND f.transaction_id = pg_catalog.pg_current_xact_id() AND f.imported_by = session_user;
    IF found IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = pg_catalog.format('Файл імпорту %s не зареєстровано у цій транзакції від вашого імені: зміну не можна пов''язати з ним', given),
            DETAIL = pg_catalog.format('Import file %s was not registered in this transaction by you; a change cannot be linked to it', given),
            HINT = 'Файл реєструє функція history.record_import_file() на початку імпорту';
    END IF;
    RETURN found;
END
$$;

ALTER TABLE history.event ALTER COLUMN import_file_id SET DEFAULT history.current_import_file();

-- Registers the file an editor is importing into a register of their
-- department and makes it the evidence of the transaction's changes.
-- Returns its id.
CREATE OR REPLACE FUNCTION history.record_import_file(
    tbl text, file_name text, sha256 text, source_format text,
    file_date date DEFAULT NULL, format_version text DEFAULT NULL, coordinate_system text DEFAULT NULL,
    surveyor text DEFAULT NULL, surveyor_edrpou text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    reg workflow.register := workflow.register_of(tbl);
    new_id bigint;
BEGIN
    PERFORM workflow.require_role(reg.department, 'editor');
    IF nullif(btrim(file_name), '') IS NULL OR sha256 IS NULL OR lower(sha256) !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = 'Файл імпорту має мати назву та SHA-256 (64 шістнадцяткові цифри)',
            DETAIL = 'An import file needs a name and a SHA-256 (64 hexadecimal digits)';
    END IF;
    INSERT INTO history.import_file (table_name, file_name, sha256, source_format, file_date, format_version,
                                     coordinate_system, surveyor, surveyor_edrpou)
    VALUES (reg.table_name, btrim(file_name), lower(sha256), source_format, file_date,
            nullif(btrim(format_version), ''), nullif(btrim(coordinate_system), ''),
            nullif(btrim(surveyor), ''), nullif(btrim(surveyor_edrpou), ''))
    RETURNING id INTO new_id;
    PERFORM set_config('zhytomyr_gis.import_file', new_id::text, true);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION history.record_import_file(text, text, text, text, date, text, text, text, text) IS
    'Editor: register the file being imported into a register of one''s department; the history events of the rest of the transaction carry it as their evidence.';
