-- Two functions of the departments' API answered a wrong name unclearly:
-- workflow.timeline() returned an empty history for a table that is not a
-- register (a typo looked like "no changes"), and
-- verification.setting_value() raised a bare English error. Both now
-- refuse with ZG005 and a Ukrainian message, as the other functions do.

CREATE OR REPLACE FUNCTION workflow.timeline(tbl text, record_id bigint)
RETURNS SETOF history.event
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM workflow.register_of(tbl);  -- ZG005 when tbl is not a register
    RETURN QUERY SELECT * FROM history.event e
                  WHERE e.table_name = lower(btrim(tbl)) AND e.record_id = timeline.record_id
                  ORDER BY e.id;
END
$$;

CREATE OR REPLACE FUNCTION verification.setting_value(setting_key text) RETURNS numeric
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    v numeric;
BEGIN
    SELECT s.value INTO v FROM verification.setting s WHERE s.key = setting_key;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ZG005',
            MESSAGE = format('Налаштування перевірки «%s» не існує', setting_key),
            DETAIL = format('Verification setting "%s" is not defined', setting_key);
    END IF;
    RETURN v;
END
$$;
