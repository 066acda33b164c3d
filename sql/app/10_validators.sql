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

-- Cadastral number of a land parcel in Zhytomyr: KOATUU 1810100000,
-- cadastral zone (2 digits), quarter (3), parcel (4).
CREATE OR REPLACE FUNCTION ref.is_valid_cadastral_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^1810100000:[0-9]{2}:[0-9]{3}:[0-9]{4}$';

CREATE OR REPLACE FUNCTION ref.check_cadastral_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_cadastral_number(v) OR ref.rule_violation(
    'cadastral_number_format',
    format('Кадастровий номер «%s» має неправильний формат: очікується 1810100000:ЗЗ:ККК:ДДДД (КОАТУУ Житомира, зона, квартал, ділянка)', v),
    format('Cadastral number "%s" must look like 1810100000:ZZ:QQQ:PPPP (Zhytomyr KOATUU, zone, quarter, parcel)', v),
    'Приклад: 1810100000:01:012:0345');

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

-- KATOTTG: "UA" and 17 digits.
CREATE OR REPLACE FUNCTION ref.is_valid_katottg(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^UA[0-9]{17}$';

CREATE OR REPLACE FUNCTION ref.check_katottg(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_katottg(v) OR ref.rule_violation(
    'katottg_format',
    format('Код КАТОТТГ «%s» має неправильний формат: очікується UA і 17 цифр', v),
    format('KATOTTG code "%s" must be UA followed by 17 digits', v),
    'Приклад: UA18040470010021315');

-- ProZorro tender id: UA-YYYY-MM-DD-NNNNNN-x, the date being a real date.
CREATE OR REPLACE FUNCTION ref.is_valid_tender_id(v text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF v IS NULL OR v !~ '^UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}-[a-z]$' THEN
        RETURN false;
    END IF;
    RETURN to_char(to_date(substr(v, 4, 10), 'YYYY-MM-DD'), 'YYYY-MM-DD') = substr(v, 4, 10)
       AND substr(v, 4, 4)::int >= 2015;
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;

CREATE OR REPLACE FUNCTION ref.check_tender_id(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_tender_id(v) OR ref.rule_violation(
    'tender_id_format',
    format('Ідентифікатор закупівлі ProZorro «%s» має неправильний формат: очікується UA-РРРР-ММ-ДД-NNNNNN-a з дійсною датою', v),
    format('ProZorro tender id "%s" must look like UA-YYYY-MM-DD-NNNNNN-a with a real date', v),
    'Приклад: UA-2024-03-15-000123-a');

-- КПКВКМБ: programme classification code of a local budget, 7 digits.
CREATE OR REPLACE FUNCTION ref.is_valid_kpkvk(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^[0-9]{7}$';

CREATE OR REPLACE FUNCTION ref.check_kpkvk(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_kpkvk(v) OR ref.rule_violation(
    'kpkvk_format',
    format('Код КПКВКМБ «%s» має неправильний формат: очікується 7 цифр', v),
    format('Budget programme code (KPKVK) "%s" must have 7 digits', v),
    'Приклад: 1517461');

-- КЕКВ of capital expenditure (31xx, 32xx).
CREATE OR REPLACE FUNCTION ref.is_valid_kekv(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^3[12][0-9]{2}$';

CREATE OR REPLACE FUNCTION ref.check_kekv(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_kekv(v) OR ref.rule_violation(
    'kekv_format',
    format('Код КЕКВ «%s» не є кодом капітальних видатків (31ХХ або 32ХХ)', v),
    format('Economic classification code (KEKV) "%s" is not a capital expenditure code (31XX or 32XX)', v),
    'Приклад: 3132 — капітальний ремонт');

-- Outdoor advertising permit number: РД-YYYY-NNNN (рекламний дозвіл).
CREATE OR REPLACE FUNCTION ref.is_valid_permit_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v ~ '^РД-(19|20)[0-9]{2}-[0-9]{4}$';

CREATE OR REPLACE FUNCTION ref.check_permit_number(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR ref.is_valid_permit_number(v) OR ref.rule_violation(
    'permit_number_format',
    format('Номер дозволу «%s» має неправильний формат: очікується РД-РРРР-NNNN', v),
    format('Permit number "%s" must look like РД-YYYY-NNNN', v),
    'Приклад: РД-2024-0157');

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
