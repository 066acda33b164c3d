-- What the public sees is exactly what was reviewed, and the record of it
-- cannot be rewritten unnoticed (docs/security.md).

-- ------------------------------------------------------------ hash chain
-- Every history event and every configuration change is a link of one
-- chain: its hash covers its own content and the previous link's hash, in
-- the order the changes were committed. A deleted, altered or inserted
-- event breaks the chain from there on (history.verify_chain(), 20_history.sql);
-- a chain rewritten whole after a change no longer ends in the head that was
-- exported before it (python -m zhytomyr_gis history verify --head ...).
CREATE TABLE history.chain (
    position      bigint PRIMARY KEY,
    source        text NOT NULL CONSTRAINT chain_source_valid CHECK (source IN ('event', 'configuration_change')),
    source_id     bigint NOT NULL,
    previous_hash bytea,
    hash          bytea NOT NULL,
    chained_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT chain_link_unique UNIQUE (source, source_id)
);
COMMENT ON TABLE history.chain IS
    'Hash chain over history.event and history.configuration_change in commit order: hash = sha256(previous hash, position, source, the row as JSON).';

-- ------------------------------------------------------- approvals' areas
-- Each publication of an approval, with the area it changed (old and new
-- geometry): what the tile cache empties and the open data rebuilds. The
-- notification on zhytomyr_gis_published only says "look here"; any role
-- may send one, so the listeners take the areas from this table, which only
-- workflow.publish() writes.
CREATE TABLE published.approval_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    approved_at   timestamptz NOT NULL DEFAULT now(),
    table_name    text NOT NULL,            -- the published copy, published.<schema>_<table>
    record_count  integer NOT NULL,
    area          geometry(Polygon, 9836)   -- NULL: a table without geometry
);
COMMENT ON TABLE published.approval_log IS
    'Every publication of approved records: when, which published table, how many records, the area changed (old and new geometry).';

-- ------------------------------------------- configuration under review
-- The classifiers, the verification's tolerances and energy class bands and
-- the layer styles every QGIS loads are changed by a GIS administrator's
-- request that another administrator approves (workflow.request_configuration,
-- workflow.decide_configuration); nobody writes these tables directly.
CREATE TABLE workflow.configuration_request (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name    text NOT NULL,
    row_key       jsonb NOT NULL,           -- the primary (or, for layer styles, the natural) key of the row
    new_values    jsonb,                    -- the row as it is to be; NULL: remove the row
    reason        text NOT NULL,
    state         text NOT NULL DEFAULT 'pending'
                      CONSTRAINT configuration_request_state_valid CHECK (state IN ('pending', 'approved', 'rejected', 'withdrawn')),
    requested_by  text NOT NULL DEFAULT session_user,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    decided_by    text,
    decided_at    timestamptz,
    decision_note text
);
CREATE INDEX configuration_request_pending_idx ON workflow.configuration_request (table_name) WHERE state = 'pending';
COMMENT ON TABLE workflow.configuration_request IS
    'Requested changes of classifiers, verification settings, energy class bands and layer styles, each decided by another GIS administrator.';

ALTER TABLE history.configuration_change
    ADD COLUMN request_id bigint,
    ADD COLUMN requested_by text;
COMMENT ON COLUMN history.configuration_change.request_id IS 'The approved workflow.configuration_request behind the change (NULL: an upgrade or the database owner)';
