-- The evidence of imported changes: every file an editor imported (its
-- name, SHA-256, the date and the surveyor it states, its format and
-- coordinate system), and on each history event of the import the file it
-- came from. Like history.event it is append-only and written only by the
-- database's own function (history.record_import_file, sql/app/35_import_evidence.sql),
-- which takes the importing person and transaction from the session, not
-- from the caller.

CREATE TABLE history.import_file (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name        text NOT NULL,            -- the register the file was imported into
    file_name         text NOT NULL,
    sha256            text NOT NULL CONSTRAINT import_file_sha256_format CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source_format     text NOT NULL CONSTRAINT import_file_source_format_valid
                          CHECK (source_format IN ('cadastral-xml', 'gpkg', 'shp', 'csv', 'xlsx', 'other')),
    file_date         date,                     -- the date the file states (FileDate of an exchange file)
    format_version    text,                     -- FormatVersion of an exchange file
    coordinate_system text,                     -- as declared, and the EPSG code it was read in
    surveyor          text,                     -- who made the file: company, ЄДРПОУ, certified engineer
    surveyor_edrpou   text,
    imported_by       text NOT NULL DEFAULT session_user,
    imported_at       timestamptz NOT NULL DEFAULT now(),
    transaction_id    xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX import_file_sha256_idx ON history.import_file (sha256);
COMMENT ON TABLE history.import_file IS
    'Append-only: every file imported into a register (name, SHA-256, date and surveyor it states, format, coordinate system), who imported it and when; the evidence of the changes it made (history.event.import_file_id).';
ALTER TABLE history.import_file ENABLE ROW LEVEL SECURITY;

ALTER TABLE history.event ADD COLUMN import_file_id bigint REFERENCES history.import_file;
COMMENT ON COLUMN history.event.import_file_id IS
    'The imported file this change came from (history.import_file); set by the database for the events of the importing transaction only.';
CREATE INDEX event_import_file_idx ON history.event (import_file_id) WHERE import_file_id IS NOT NULL;
