-- The history: append-only, for everyone.
--
-- history.event (every insert, update, delete and decision of a register
-- record; written by workflow.record_history(), 30_workflow.sql) and
-- history.configuration_change (every change of what decides a review or
-- what users read: verification settings, energy class bands, rules,
-- classifiers, layer styles) refuse
-- UPDATE, DELETE and TRUNCATE, even from their owner. No login role has
-- any privilege on them but SELECT (05_privileges.sql).

CREATE OR REPLACE FUNCTION history.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = 'Історія змін лише доповнюється: її не можна змінити чи видалити',
        DETAIL = 'The history is append-only: it cannot be changed or deleted';
END
$$;

DROP TRIGGER IF EXISTS event_append_only ON history.event;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON history.event
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS event_no_truncate ON history.event;
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON history.event
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

DROP TRIGGER IF EXISTS configuration_change_append_only ON history.configuration_change;
CREATE TRIGGER configuration_change_append_only BEFORE UPDATE OR DELETE ON history.configuration_change
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS configuration_change_no_truncate ON history.configuration_change;
CREATE TRIGGER configuration_change_no_truncate BEFORE TRUNCATE ON history.configuration_change
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

-- ------------------------------------------------- configuration history
-- SECURITY DEFINER: the administrator changes a setting but may not write
-- the history himself; session_user (the default of actor) stays his login.
-- A change applied by an approved request (workflow.decide_configuration,
-- 35_configuration.sql) names the request and who made it.
CREATE OR REPLACE FUNCTION history.record_configuration_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO history.configuration_change (table_name, action, old_values, new_values, request_id, requested_by)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, lower(TG_OP),
            CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
            CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
            nullif(current_setting('zhytomyr_gis.configuration_request', true), '')::bigint,
            nullif(current_setting('zhytomyr_gis.configuration_requested_by', true), ''));
    RETURN NULL;
END
$$;

-- Puts a configuration table under the history (an update that changes
-- nothing is not a change). Called for the verification's tables below and
-- for every classifier (70_reference.sql), so a classifier created by a
-- later changelog is covered from the upgrade that creates it. (Rows are
-- compared as JSON: the styles' xml columns have no equality.)
CREATE OR REPLACE FUNCTION history.keep_configuration_history(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS configuration_history_insert_delete ON %s', tbl);
    EXECUTE format('CREATE TRIGGER configuration_history_insert_delete AFTER INSERT OR DELETE ON %s
                        FOR EACH ROW EXECUTE FUNCTION history.record_configuration_change()', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS configuration_history_update ON %s', tbl);
    EXECUTE format('CREATE TRIGGER configuration_history_update AFTER UPDATE ON %s
                        FOR EACH ROW WHEN (to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW))
                        EXECUTE FUNCTION history.record_configuration_change()', tbl);
END
$$;

SELECT history.keep_configuration_history(t)
  FROM unnest(ARRAY['verification.setting', 'verification.energy_class_band', 'verification.rule',
                    'public.layer_styles']::regclass[]) t;

-- ---------------------------------------------------------- the hash chain
-- Every event and configuration change is a link of history.chain, in the
-- order of the commits: hash = sha256(previous hash | position | source |
-- the row as JSON). The links of a transaction are made when it commits
-- (a deferred trigger), under a lock that orders the commits; the lock is
-- held only from the chaining to the end of the commit.
--
-- What the chain shows, and what it cannot (docs/security.md):
--   - an event or change altered, deleted, or inserted outside the normal
--     path (triggers disabled) after it was chained: history.verify_chain()
--     names the first broken link and every row outside the chain;
--   - the whole chain rewritten after such a change: its head no longer
--     matches a head exported before (python -m zhytomyr_gis history verify --head);
--   - it cannot tell a genuine event from one the database owner appends
--     later through the normal path: the owner can write what any function can.

-- The JSON of a row as it is hashed: timestamps in UTC, whatever the session's zone.
CREATE OR REPLACE FUNCTION history.link_hash(previous bytea, link_position bigint, source text, content jsonb)
RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(coalesce(previous, '\x'::bytea)
                  || convert_to(link_position::text || '|' || source || '|' || content::text, 'UTF8'));
$$;

-- What of a row is hashed: its JSON without null values, so that a column
-- added to the history later (NULL in the rows before it) leaves the links
-- made before it valid. A value changed to or from NULL still changes it.
CREATE OR REPLACE FUNCTION history.link_content(row_json jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_strip_nulls(row_json);

-- Chains the rows not chained yet: those of this transaction, or (first_time)
-- every row, when the chain starts on a history that predates it. Returns
-- how many links were made.
CREATE OR REPLACE FUNCTION history.seal(first_time boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public SET TimeZone = 'UTC' AS $$
DECLARE
    head_position bigint;
    head_hash bytea;
    row record;
    positions bigint[] := '{}';
    sources text[] := '{}';
    ids bigint[] := '{}';
    previous bytea[] := '{}';
    hashes bytea[] := '{}';
    this_transaction xid8 := pg_current_xact_id();
BEGIN
    -- One chainer at a time: the links follow the order of the commits.
    PERFORM pg_advisory_xact_lock(hashtext('history.chain'));
    SELECT c.position, c.hash INTO head_position, head_hash FROM history.chain c ORDER BY c.position DESC LIMIT 1;
    head_position := coalesce(head_position, 0);
    FOR row IN
        SELECT s.source, s.id, s.content FROM (
            SELECT 'event'::text AS source, e.id, e.occurred_at, history.link_content(to_jsonb(e)) AS content
              FROM history.event e
             WHERE (first_time OR e.transaction_id = this_transaction)
               AND NOT EXISTS (SELECT FROM history.chain c WHERE c.source = 'event' AND c.source_id = e.id)
            UNION ALL
            SELECT 'configuration_change', c.id, c.occurred_at, history.link_content(to_jsonb(c))
              FROM history.configuration_change c
             WHERE (first_time OR c.transaction_id = this_transaction)
               AND NOT EXISTS (SELECT FROM history.chain h
                                WHERE h.source = 'configuration_change' AND h.source_id = c.id)) s
         ORDER BY s.occurred_at, s.source, s.id
    LOOP
        head_position := head_position + 1;
        previous := array_append(previous, head_hash);
        head_hash := history.link_hash(head_hash, head_position, row.source, row.content);
        positions := array_append(positions, head_position);
        sources := array_append(sources, row.source);
        ids := array_append(ids, row.id);
        hashes := array_append(hashes, head_hash);
    END LOOP;
    -- One statement for the links (a first chaining covers the whole history).
    INSERT INTO history.chain (position, source, source_id, previous_hash, hash)
    SELECT * FROM unnest(positions, sources, ids, previous, hashes);
    PERFORM set_config('zhytomyr_gis.chained_' || s.source, max(s.id)::text, true)
       FROM unnest(sources, ids) AS s(source, id) GROUP BY s.source;
    RETURN cardinality(ids);
END
$$;

-- The deferred trigger: the first row of a transaction to reach it chains
-- all of the transaction's rows; the others find theirs done (their ids
-- are at most the last one chained in this transaction).
CREATE OR REPLACE FUNCTION history.chain_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF NEW.id <= coalesce(nullif(current_setting('zhytomyr_gis.chained_' || TG_ARGV[0], true), '')::bigint, 0) THEN
        RETURN NULL;
    END IF;
    PERFORM history.seal();
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS event_chain ON history.event;
CREATE CONSTRAINT TRIGGER event_chain AFTER INSERT ON history.event
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history.chain_at_commit('event');
DROP TRIGGER IF EXISTS configuration_change_chain ON history.configuration_change;
CREATE CONSTRAINT TRIGGER configuration_change_chain AFTER INSERT ON history.configuration_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION history.chain_at_commit('configuration_change');

DROP TRIGGER IF EXISTS chain_append_only ON history.chain;
CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON history.chain
    FOR EACH ROW EXECUTE FUNCTION history.refuse_change();
DROP TRIGGER IF EXISTS chain_no_truncate ON history.chain;
CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON history.chain
    FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_change();

-- A history older than the chain (a database upgraded to it) is chained
-- once, in the order it was written.
SELECT history.seal(first_time => true) WHERE NOT EXISTS (SELECT FROM history.chain);

-- The last link: what is exported (python -m zhytomyr_gis history head) and
-- shown on the geoportal, so that a later rewrite of the chain shows.
CREATE OR REPLACE FUNCTION history.chain_head()
RETURNS TABLE (link_position bigint, hash text, chained_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT c.position, encode(c.hash, 'hex'), c.chained_at FROM history.chain c ORDER BY c.position DESC LIMIT 1;
$$;

-- Walks the chain and reports every link that does not hold: a row deleted
-- or altered since it was chained, a link removed or altered, and rows
-- outside the chain (inserted with the triggers off). With a head exported
-- earlier, also whether the chain still passes through it. Empty: intact.
CREATE OR REPLACE FUNCTION history.verify_chain(expected_position bigint DEFAULT NULL, expected_hash text DEFAULT NULL)
RETURNS TABLE (link_position bigint, source text, source_id bigint, problem text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET TimeZone = 'UTC' AS $$
DECLARE
    link record;
    previous history.chain;
    expected bigint := 1;
BEGIN
    FOR link IN
        SELECT c.*, history.link_content(coalesce(to_jsonb(e), to_jsonb(cc))) AS content
          FROM history.chain c
          LEFT JOIN history.event e ON c.source = 'event' AND e.id = c.source_id
          LEFT JOIN history.configuration_change cc ON c.source = 'configuration_change' AND cc.id = c.source_id
         ORDER BY c.position
    LOOP
        IF link.position <> expected THEN
            RETURN QUERY SELECT expected, NULL::text, NULL::bigint,
                format('links %s to %s are missing', expected, link.position - 1);
        END IF;
        expected := link.position + 1;
        IF link.previous_hash IS DISTINCT FROM previous.hash THEN
            RETURN QUERY SELECT link.position, link.source, link.source_id,
                'the link does not follow the one before it (a link was removed, inserted or altered)'::text;
        END IF;
        IF link.content IS NULL THEN
            RETURN QUERY SELECT link.position, link.source, link.source_id,
                'the row was deleted after it was chained'::text;
        ELSIF history.link_hash(link.previous_hash, link.position, link.source, link.content) <> link.hash THEN
            RETURN QUERY SELECT link.position, link.source, link.source_id,
                'the row was altered after it was chained'::text;
        END IF;
        previous := ROW(link.position, link.source, link.source_id, link.previous_hash, link.hash, link.chained_at);
        IF link.position = expected_position AND encode(link.hash, 'hex') <> lower(expected_hash) THEN
            RETURN QUERY SELECT link.position, link.source, link.source_id,
                'the chain no longer passes through the exported head: it was rewritten'::text;
        END IF;
    END LOOP;
    IF expected_position IS NOT NULL AND expected_position >= expected THEN
        RETURN QUERY SELECT expected_position, NULL::text, NULL::bigint,
            'the exported head is beyond the end of the chain: links were removed'::text;
    END IF;
    -- Rows outside the chain: not of a transaction still running (this one).
    RETURN QUERY
        SELECT NULL::bigint, 'event'::text, e.id, 'the row is not in the chain (written with the triggers off)'::text
          FROM history.event e
         WHERE e.transaction_id <> pg_current_xact_id()
           AND NOT EXISTS (SELECT FROM history.chain c WHERE c.source = 'event' AND c.source_id = e.id)
        UNION ALL
        SELECT NULL::bigint, 'configuration_change', c.id, 'the row is not in the chain (written with the triggers off)'
          FROM history.configuration_change c
         WHERE c.transaction_id <> pg_current_xact_id()
           AND NOT EXISTS (SELECT FROM history.chain h WHERE h.source = 'configuration_change' AND h.source_id = c.id)
         ORDER BY 3;
END
$$;
