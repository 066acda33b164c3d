-- Validators of the Ukrainian identifiers and codes the registers keep.
--
-- Each rule has a pure predicate ref.is_valid_*() (used by the verification
-- rules, set-based) and a ref.check_*() wrapper used in CHECK constraints:
-- the wrapper raises check_violation with a Ukrainian message (English in
-- DETAIL, the rule id as the constraint name), so QGIS, psql and the plugin
-- all show the user which rule failed instead of a bare constraint name.
--
-- The CHECK constraints of the registers (sql/changelogs) call these
-- functions by name: a changed body applies to every new or edited record
-- from the next upgrade on (existing rows are not re-checked; the
-- verification rules find them). The Python mirror of these rules,
-- zhytomyr_gis/validators.py, is checked against them by
-- tests/test_validators_agree.py.
CREATE OR REPLACE FUNCTION ref.rule_violation(rule text, message_uk text, message_en text, hint_uk text DEFAULT NULL)
RETURNS boolean
-- VOLATILE on purpose: an immutable function with constant arguments would
-- be evaluated (and raise) while the planner folds constants, before the
-- OR in front of it had a chance to short-circuit.
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'check_violation',
        MESSAGE = message_uk,
        DETAIL = message_en,
        HINT = coalesce(hint_uk, ''),
        CONSTRAINT = rule;
END
$$;
COMMENT ON FUNCTION ref.rule_violation IS 'Raises check_violation for a broken rule; Ukrainian message, English detail, rule id in the constraint field.';

-- Cadastral number of a land parcel: КОАТУУ of the administrative unit
-- (10 digits), cadastral zone (2), quarter (3), parcel (4): Порядок ведення
-- Державного земельного кадастру, постанова КМУ № 1051 від 17.10.2012
-- (кадастровий номер). The structure is a CHECK; whether the КОАТУУ is one
-- of the hromada's is ref.check_hromada_cadastral_number(), which reads the
-- classifier ref.cl_koatuu (the city, its districts, its villages).
CREATE OR REPLACE FUNCTION ref.is_valid_cadastral_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}$';

CREATE OR REPLACE FUNCTION ref.check_cadastral_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_cadastral_number(v) OR ref.rule_violation(
    'cadastral_number_format',
    format('Кадастровий номер «%s» має неправильний формат: очікується КККККККККК:ЗЗ:ККК:ДДДД — 10 цифр КОАТУУ, 2 цифри зони, 3 кварталу, 4 ділянки (Порядок ведення Державного земельного кадастру, постанова КМУ № 1051 від 17.10.2012)', v),
    format('Cadastral number "%s" must look like KKKKKKKKKK:ZZ:QQQ:PPPP (KOATUU, zone, quarter, parcel; State Land Cadastre Procedure, CMU resolution 1051 of 17.10.2012)', v),
    'Приклад: 1810136300:11:003:0001');

-- ЄДРПОУ: 8 digits with the control digit of the State Statistics
-- Service algorithm (weights 1..7, or 7,1..6 for codes between 30 and 60
-- million; a remainder of 10 is recomputed with weights raised by 2).
CREATE OR REPLACE FUNCTION ref.is_valid_edrpou(v text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    w int[];
    s int := 0;
    r int;
    n bigint;
BEGIN
    IF v IS NULL OR v !~ '^[0-9]{8}$' THEN
        RETURN false;
    END IF;
    n := v::bigint;
    IF n < 30000000 OR n > 60000000 THEN
        w := ARRAY[1, 2, 3, 4, 5, 6, 7];
    ELSE
        w := ARRAY[7, 1, 2, 3, 4, 5, 6];
    END IF;
    FOR i IN 1..7 LOOP s := s + substr(v, i, 1)::int * w[i]; END LOOP;
    r := s % 11;
    IF r = 10 THEN
        s := 0;
        FOR i IN 1..7 LOOP s := s + substr(v, i, 1)::int * (w[i] + 2); END LOOP;
        r := s % 11;
        IF r = 10 THEN r := 0; END IF;
    END IF;
    RETURN r = substr(v, 8, 1)::int;
END
$$;

CREATE OR REPLACE FUNCTION ref.check_edrpou(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_edrpou(v) OR ref.rule_violation(
    'edrpou_format',
    format('Код ЄДРПОУ «%s» недійсний: потрібно 8 цифр із правильною контрольною цифрою', v),
    format('EDRPOU code "%s" is invalid: 8 digits with a correct check digit are required', v),
    'Перевірте код у Єдиному державному реєстрі юридичних осіб');

-- РНОКПП (tax number of an individual): 10 digits with a control digit.
-- Personal data: kept in working tables, never published.
CREATE OR REPLACE FUNCTION ref.is_valid_rnokpp(v text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    w int[] := ARRAY[-1, 5, 7, 9, 4, 6, 10, 5, 7];
    s int := 0;
BEGIN
    IF v IS NULL OR v !~ '^[0-9]{10}$' THEN
        RETURN false;
    END IF;
    FOR i IN 1..9 LOOP s := s + substr(v, i, 1)::int * w[i]; END LOOP;
    RETURN (s % 11) % 10 = substr(v, 10, 1)::int;
END
$$;

CREATE OR REPLACE FUNCTION ref.check_rnokpp(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_rnokpp(v) OR ref.rule_violation(
    'rnokpp_format',
    format('РНОКПП «%s» недійсний: потрібно 10 цифр із правильною контрольною цифрою', v),
    format('Individual tax number "%s" is invalid: 10 digits with a correct check digit are required', v));

-- KATOTTG (Кодифікатор адміністративно-територіальних одиниць та територій
-- територіальних громад, наказ Мінрегіону № 290 від 26.11.2020): "UA" and
-- 17 digits. Whether the code is one of the hromada's units is
-- ref.check_hromada_katottg(), which reads the classifier ref.cl_katottg.
CREATE OR REPLACE FUNCTION ref.is_valid_katottg(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^UA[0-9]{17}$';

CREATE OR REPLACE FUNCTION ref.check_katottg(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_katottg(v) OR ref.rule_violation(
    'katottg_format',
    format('Код КАТОТТГ «%s» має неправильний формат: очікується UA і 17 цифр (Кодифікатор адміністративно-територіальних одиниць, наказ Мінрегіону № 290 від 26.11.2020)', v),
    format('KATOTTG code "%s" must be UA followed by 17 digits (codifier, Ministry order 290 of 26.11.2020)', v),
    'Приклад: UA18040190010057814 (м. Житомир)');

-- ProZorro tender id (tenderID the electronic procurement system gives a
-- procurement, Закон «Про публічні закупівлі» № 922-VIII від 25.12.2015):
-- UA-YYYY-MM-DD-NNNNNN-x, the date a real date from 2015 (the system's
-- first year), x the letter of the system's server; ".2" marks the second
-- stage of a competitive dialogue. Ids given before 2017 have no letter.
CREATE OR REPLACE FUNCTION ref.is_valid_tender_id(v text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF v IS NULL OR v !~ '^UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}(-[a-z](\.2)?)?$' THEN
        RETURN false;
    END IF;
    RETURN to_char(to_date(substr(v, 4, 10), 'YYYY-MM-DD'), 'YYYY-MM-DD') = substr(v, 4, 10)
       AND substr(v, 4, 4)::int >= 2015
       AND (length(v) > 20 OR substr(v, 4, 4)::int < 2017);
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;

CREATE OR REPLACE FUNCTION ref.check_tender_id(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_tender_id(v) OR ref.rule_violation(
    'tender_id_format',
    format('Ідентифікатор закупівлі «%s» не є ідентифікатором ProZorro: очікується UA-РРРР-ММ-ДД-NNNNNN-a зі справжньою датою від 2015 року (до 2017 року — без літери; «.2» — другий етап конкурентного діалогу; Закон «Про публічні закупівлі» № 922-VIII)', v),
    format('"%s" is not a ProZorro tender id: UA-YYYY-MM-DD-NNNNNN-a with a real date from 2015 on (no letter before 2017; ".2" for the second stage of a competitive dialogue)', v),
    'Приклади: UA-2024-03-15-000123-a, UA-2024-03-15-000123-a.2, UA-2016-06-14-000082');

-- КПКВКМБ, the programme code of a local budget's expenditure: 2 digits of
-- the main spending unit (відомча класифікація, not 00), 1 digit of the
-- responsible executor (1-9; 0 only in XX00000, the main spending unit's own
-- code) and the 4 digits of the ТПКВКМБ (Типова програмна класифікація
-- видатків та кредитування місцевого бюджету, наказ Мінфіну № 793 від
-- 20.09.2017). Whether the last 4 digits are a ТПКВКМБ code is a check of
-- the review (the classifier kept here is an extract).
CREATE OR REPLACE FUNCTION ref.is_valid_kpkvk(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^(0[1-9]|[1-9][0-9])([1-9][0-9]{4}|00000)$';

CREATE OR REPLACE FUNCTION ref.check_kpkvk(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_kpkvk(v) OR ref.rule_violation(
    'kpkvk_format',
    format('Код КПКВКМБ «%s» має неправильний формат: 2 цифри головного розпорядника (не 00), 1 цифра відповідального виконавця (1–9; 0 лише в коді головного розпорядника ХХ00000), 4 цифри коду ТПКВКМБ (наказ Мінфіну № 793 від 20.09.2017)', v),
    format('Programme code (KPKVKMB) "%s": 2 digits of the main spending unit (not 00), 1 digit of the responsible executor (1-9; 0 only in XX00000), 4 digits of the TPKVKMB (Ministry of Finance order 793 of 20.09.2017)', v),
    'Приклад: 1217461 (12 — головний розпорядник, 1 — виконавець, 7461 — утримання та розвиток доріг)');

-- КЕКВ of capital expenditure: a code of section 3000 of the economic
-- classification (Інструкція щодо застосування економічної класифікації
-- видатків бюджету, наказ Мінфіну № 333 від 12.03.2012). Which codes exist
-- is the classifier ref.cl_kekv (a register column references it).
CREATE OR REPLACE FUNCTION ref.is_valid_kekv(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^3[0-9]{3}$';

CREATE OR REPLACE FUNCTION ref.check_kekv(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_kekv(v) OR ref.rule_violation(
    'kekv_format',
    format('Код КЕКВ «%s» не є кодом капітальних видатків: очікується код розділу 3000 (наказ Мінфіну № 333 від 12.03.2012)', v),
    format('Economic code (KEKV) "%s" is not a capital expenditure code of section 3000 (Ministry of Finance order 333 of 12.03.2012)', v),
    'Приклад: 3132 — капітальний ремонт інших об''єктів');

-- Outdoor advertising permit number: the number the executive body of the
-- council gave the permit (Типові правила розміщення зовнішньої реклами,
-- постанова КМУ № 2067 від 29.12.2003, set no national format). Here only
-- that there is one; the city's own numbering (the longest number, an
-- optional pattern) is a setting, ref.check_permit_numbering().
CREATE OR REPLACE FUNCTION ref.is_valid_permit_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
-- Refused: an empty number, spaces (ASCII) at either end, control characters.
RETURN v ~ '^[^\x01-\x20\x7f]([^\x01-\x1f\x7f]*[^\x01-\x20\x7f])?$';

CREATE OR REPLACE FUNCTION ref.check_permit_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_permit_number(v) OR ref.rule_violation(
    'permit_number_format',
    format('Номер дозволу «%s» записують так, як його видав виконавчий орган ради: не порожній, без пробілів на початку і в кінці (Типові правила розміщення зовнішньої реклами, постанова КМУ № 2067 від 29.12.2003)', v),
    format('Permit number "%s" is written as the executive body issued it: not empty, no spaces at its ends', v),
    'Приклад: 123/2019');

-- Registry id of a building or premises: balance holder ЄДРПОУ / inventory number.
CREATE OR REPLACE FUNCTION ref.is_valid_registry_id(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^[0-9]{8}/[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ-]{1,20}$'
   AND ref.is_valid_edrpou(split_part(v, '/', 1));

-- Inventory number of an object on a balance sheet.
CREATE OR REPLACE FUNCTION ref.check_inventory_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR v ~ '^[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ-]{1,20}$' OR ref.rule_violation(
    'inventory_number_format',
    format('Інвентарний номер «%s» може містити лише літери, цифри та дефіс (до 20 знаків)', v),
    format('Inventory number "%s" may contain only letters, digits and hyphens (up to 20)', v));

-- A date range whose end is not before its start.
CREATE OR REPLACE FUNCTION ref.check_date_order(date_from date, date_to date, rule text, what_uk text, what_en text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_from IS NULL OR date_to IS NULL OR date_to >= date_from OR ref.rule_violation(
    rule,
    format('%s: дата закінчення %s раніша за дату початку %s', what_uk, date_to, date_from),
    format('%s: end date %s is before start date %s', what_en, date_to, date_from));

-- A number within a range (areas, amounts, years...).
CREATE OR REPLACE FUNCTION ref.check_range(v numeric, lo numeric, hi numeric, rule text, what_uk text, what_en text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR (v >= lo AND (hi IS NULL OR v <= hi)) OR ref.rule_violation(
    rule,
    CASE WHEN hi IS NULL THEN format('%s: значення %s має бути не менше %s', what_uk, v, lo)
         ELSE format('%s: значення %s має бути в межах від %s до %s', what_uk, v, lo, hi) END,
    CASE WHEN hi IS NULL THEN format('%s: value %s must be at least %s', what_en, v, lo)
         ELSE format('%s: value %s must be between %s and %s', what_en, v, lo, hi) END);

-- ------------------------------------------ rules that consult the database
-- The rules below read the hromada's classifiers or the city's settings.
-- They are row triggers, not CHECK constraints: PostgreSQL assumes a CHECK
-- is immutable, and one that reads another table breaks a restore of a
-- dump (pg_dump loads the registers' rows before the classifiers' and
-- checks them on the way). Triggers are restored after the data.
-- workflow.attach_register() (50_registers.sql) gives every register the
-- trigger ref.check_codes() on the columns these rules cover, found from
-- the table itself: a column with a CHECK ref.check_cadastral_number(),
-- ref.check_katottg() or ref.check_permit_number(), and every column with
-- a foreign key to a classifier ref.cl_*.

-- The hromada the registers cover: its name as the codifier gives it.
CREATE OR REPLACE FUNCTION ref.hromada_name() RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT k.label_uk FROM ref.cl_katottg k WHERE k.group_code = 'H' AND k.active
         ORDER BY k.sort_order, k.code LIMIT 1);

-- The short citation of a classifier's source, as its file states it.
CREATE OR REPLACE FUNCTION ref.classifier_citation(list text) RETURNS text
LANGUAGE sql STABLE
RETURN (SELECT s.citation FROM ref.classifier_source s WHERE s.table_name = 'ref.cl_' || list);

-- The active codes of a classifier, comma-separated, in its order.
CREATE OR REPLACE FUNCTION ref.classifier_codes(list text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    codes text;
BEGIN
    SELECT string_agg(c.code, ', ' ORDER BY c.sort_order, c.code) INTO codes
      FROM ref.classifier_code c WHERE c.list = classifier_codes.list AND c.active;
    RETURN codes;
END
$$;

-- A cadastral number whose КОАТУУ belongs to the hromada (ref.cl_koatuu).
CREATE OR REPLACE FUNCTION ref.is_hromada_cadastral_number(v text) RETURNS boolean
LANGUAGE sql STABLE
RETURN ref.is_valid_cadastral_number(v)
   AND EXISTS (SELECT FROM ref.cl_koatuu k WHERE k.code = left(v, 10) AND k.active);

-- Refuses a well-formed cadastral number of another territory (a malformed
-- one is the CHECK's: ref.check_cadastral_number()).
CREATE OR REPLACE FUNCTION ref.check_hromada_cadastral_number(v text) RETURNS boolean
LANGUAGE sql STABLE
RETURN v IS NULL OR NOT ref.is_valid_cadastral_number(v) OR ref.is_hromada_cadastral_number(v) OR ref.rule_violation(
    'cadastral_number_hromada',
    format('Кадастровий номер «%s» починається з коду КОАТУУ %s, що не належить до громади «%s» (коди громади: %s; %s)',
           v, left(v, 10), ref.hromada_name(), ref.classifier_codes('koatuu'), ref.classifier_citation('koatuu')),
    format('Cadastral number "%s" starts with KOATUU %s, which is not a unit of the hromada (its codes: %s)',
           v, left(v, 10), ref.classifier_codes('koatuu')),
    'Перевірте номер за витягом з Державного земельного кадастру');

-- A KATOTTG code of the hromada or one of its units (ref.cl_katottg).
CREATE OR REPLACE FUNCTION ref.is_hromada_katottg(v text) RETURNS boolean
LANGUAGE sql STABLE
RETURN ref.is_valid_katottg(v) AND EXISTS (SELECT FROM ref.cl_katottg k WHERE k.code = v AND k.active);

CREATE OR REPLACE FUNCTION ref.check_hromada_katottg(v text) RETURNS boolean
LANGUAGE sql STABLE
RETURN v IS NULL OR NOT ref.is_valid_katottg(v) OR ref.is_hromada_katottg(v) OR ref.rule_violation(
    'katottg_hromada',
    format('Код КАТОТТГ «%s» не є кодом громади «%s» чи її міста, районів і сіл (коди громади: %s; %s)',
           v, ref.hromada_name(), ref.classifier_codes('katottg'), ref.classifier_citation('katottg')),
    format('KATOTTG code "%s" is not a code of the hromada or one of its units (its codes: %s)',
           v, ref.classifier_codes('katottg')),
    'Перепишіть код із Кодифікатора адміністративно-територіальних одиниць');

-- The city's numbering of advertising permits, a choice the law leaves to
-- it: the longest number (verification setting permit_number_max_length)
-- and, if the city has one, a pattern every number follows (text setting
-- permit_number_pattern, a regular expression, with permit_number_example).
CREATE OR REPLACE FUNCTION ref.follows_permit_numbering(v text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    pattern text := verification.text_setting_value('permit_number_pattern');
BEGIN
    RETURN length(v) <= verification.setting_value('permit_number_max_length')
       AND (pattern IS NULL OR v ~ pattern);
END
$$;

CREATE OR REPLACE FUNCTION ref.check_permit_numbering(v text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    longest numeric := verification.setting_value('permit_number_max_length');
    pattern text := verification.text_setting_value('permit_number_pattern');
    example text := verification.text_setting_value('permit_number_example');
BEGIN
    IF v IS NULL OR NOT ref.is_valid_permit_number(v) THEN
        RETURN true;  -- the CHECK ref.check_permit_number() refuses it
    END IF;
    IF length(v) > longest THEN
        RETURN ref.rule_violation('permit_number_length',
            format('Номер дозволу «%s» довший за %s знаків, які допускає нумерація дозволів міста (налаштування permit_number_max_length; номер — той, що видав виконавчий орган ради, Типові правила розміщення зовнішньої реклами, постанова КМУ № 2067 від 29.12.2003)', v, longest),
            format('Permit number "%s" is longer than the %s characters the city''s numbering allows (setting permit_number_max_length)', v, longest));
    END IF;
    IF pattern IS NOT NULL AND v !~ pattern THEN
        RETURN ref.rule_violation('permit_number_pattern',
            format('Номер дозволу «%s» не відповідає нумерації дозволів міста (налаштування permit_number_pattern: %s%s)',
                   v, pattern, coalesce(', приклад: ' || example, '')),
            format('Permit number "%s" does not follow the city''s numbering (setting permit_number_pattern: %s)', v, pattern));
    END IF;
    RETURN true;
END
$$;

-- A code of a classifier that is in force (a code a new edition dropped
-- stays in the table, inactive, for the records and history that hold it).
CREATE OR REPLACE FUNCTION ref.check_classifier_code(list text, v text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    hit record;
    title text := coalesce((SELECT s.title_uk FROM ref.classifier_source s WHERE s.table_name = 'ref.cl_' || list), list);
BEGIN
    IF v IS NULL THEN
        RETURN true;
    END IF;
    SELECT * INTO hit FROM ref.classifier_code c WHERE c.list = check_classifier_code.list AND c.code = v;
    IF NOT FOUND THEN
        RETURN ref.rule_violation(list || '_code_known',
            format('Коду «%s» немає в класифікаторі «%s» (%s)', v, title, ref.classifier_citation(list)),
            format('Code "%s" is not in the classifier "%s"', v, list),
            'Виберіть код зі списку');
    END IF;
    IF NOT hit.active THEN
        RETURN ref.rule_violation(list || '_code_in_force',
            format('Код «%s» («%s») не чинний: його немає в чинній редакції класифікатора «%s» (%s)',
                   v, hit.label_uk, title, ref.classifier_citation(list)),
            format('Code "%s" is no longer in force in the classifier "%s"', v, list),
            'Виберіть чинний код зі списку');
    END IF;
    RETURN true;
END
$$;

-- The trigger: each argument is "kind:column" or "classifier:column:list".
-- A value is checked when a record gets it, not when the record keeps it
-- (a record may keep a code a later edition dropped until someone changes
-- it; the verification rules point such records out).
CREATE OR REPLACE FUNCTION ref.check_codes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    new_row jsonb := to_jsonb(NEW);
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    rule text[];
    v text;
BEGIN
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        rule := string_to_array(TG_ARGV[i], ':');
        v := new_row ->> rule[2];
        CONTINUE WHEN v IS NULL OR (old_row IS NOT NULL AND (old_row ->> rule[2]) IS NOT DISTINCT FROM v);
        CASE rule[1]
            WHEN 'cadastral_number' THEN PERFORM ref.check_hromada_cadastral_number(v);
            WHEN 'katottg' THEN PERFORM ref.check_hromada_katottg(v);
            WHEN 'permit_number' THEN PERFORM ref.check_permit_numbering(v);
            WHEN 'classifier' THEN PERFORM ref.check_classifier_code(rule[3], v);
        END CASE;
    END LOOP;
    RETURN NEW;
END
$$;

-- The arguments of a register's ref.check_codes() trigger, from its table.
CREATE OR REPLACE FUNCTION ref.code_rules_of(tbl regclass) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(r.arg ORDER BY r.attnum, r.arg), '{}')
      FROM (SELECT m[1] || ':' || m[2] AS arg, a.attnum
              FROM pg_constraint c
             CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(c.oid),
                        'ref\.check_(cadastral_number|katottg|permit_number)\((\w+)\)', 'g') m
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = m[2]
             WHERE c.conrelid = tbl AND c.contype = 'c'
            UNION
            SELECT 'classifier:' || a.attname || ':' || substr(f.relname, 4), a.attnum
              FROM pg_constraint c
              JOIN pg_class f ON f.oid = c.confrelid
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.conrelid = tbl AND c.contype = 'f' AND cardinality(c.conkey) = 1
               AND f.relnamespace = 'ref'::regnamespace AND f.relname LIKE 'cl\_%') r;
$$;
