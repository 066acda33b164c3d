"""QGIS expressions that mirror the database's column rules in a form.

Plain strings (no QGIS import): the plugin puts them into the layers' field
constraints, which QGIS evaluates while a clerk types. They use only
functions of QGIS 3.22 so that any QGIS that loads the default style from the
database evaluates them without the plugin. Every expression lets NULL
through: whether a value is required is the NOT NULL rule's business.
"""

from __future__ import annotations

import re

from zhytomyr_gis.db_rules import ColumnRule
from zhytomyr_gis.validators import (
    EDRPOU_WEIGHTS,
    EDRPOU_WEIGHTS_30_60,
    RNOKPP_WEIGHTS,
    TENDER_FIRST_YEAR,
    TENDER_LETTER_FROM,
)


def quote_field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_string(text: str) -> str:
    # QGIS string literals take \ as an escape character and '' for a quote.
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() else repr(value)


def _digit(field: str, position: int) -> str:
    return f"to_int(substr({field}, {position}, 1))"


def _weighted_sum(field: str, weights: tuple[int, ...], extra: int = 0) -> str:
    return " + ".join(f"{_digit(field, i + 1)} * {w + extra}" for i, w in enumerate(weights))


def _edrpou_remainder(field: str, weights: tuple[int, ...]) -> str:
    first = f"({_weighted_sum(field, weights)}) % 11"
    second = f"({_weighted_sum(field, weights, 2)}) % 11"
    return f"CASE WHEN {first} = 10 THEN (CASE WHEN {second} = 10 THEN 0 ELSE {second} END) ELSE {first} END"


def edrpou(field: str) -> str:
    f = quote_field(field)
    in_30_60 = f"to_int({f}) >= 30000000 AND to_int({f}) <= 60000000"
    remainder = (
        f"CASE WHEN {in_30_60} THEN {_edrpou_remainder(f, EDRPOU_WEIGHTS_30_60)}"
        f" ELSE {_edrpou_remainder(f, EDRPOU_WEIGHTS)} END"
    )
    return _guarded(f, "^[0-9]{8}$", f"({remainder}) = {_digit(f, 8)}")


def rnokpp(field: str) -> str:
    f = quote_field(field)
    # QGIS's % keeps the dividend's sign, as PostgreSQL's does.
    return _guarded(f, "^[0-9]{10}$", f"(({_weighted_sum(f, RNOKPP_WEIGHTS)}) % 11) % 10 = {_digit(f, 10)}")


def tender_id(field: str) -> str:
    f = quote_field(field)
    year, month, day = (f"to_int(substr({f}, {start}, {length}))" for start, length in ((4, 4), (9, 2), (12, 2)))
    # A real calendar date, checked by arithmetic: to_date() would raise an
    # evaluation error instead of showing the rule's message.
    leap = f"({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0))"
    february = f"CASE WHEN {leap} THEN 29 ELSE 28 END"
    days = f"CASE WHEN {month} = 2 THEN ({february}) WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    real_date = f"{month} >= 1 AND {month} <= 12 AND {day} >= 1 AND {day} <= {days}"
    well_formed = "^UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}(-[a-z](\\.2)?)?$"
    # Before 2017 ids had no letter: the short form is 20 characters.
    letter = f"(length({f}) > 20 OR {year} < {TENDER_LETTER_FROM})"
    return _guarded(f, well_formed, f"{year} >= {TENDER_FIRST_YEAR} AND {real_date} AND {letter}")


def _guarded(f: str, pattern: str, check: str) -> str:
    # CASE evaluates lazily: the digit arithmetic runs only on well-formed values.
    return (
        f"CASE WHEN {f} IS NULL THEN true WHEN regexp_match({f}, {quote_string(pattern)}) = 0 THEN false"
        f" ELSE {check} END"
    )


def pattern(field: str, regex: str) -> str:
    f = quote_field(field)
    return f"{f} IS NULL OR regexp_match({f}, {quote_string(regex)}) > 0"


# Format rules without arithmetic are a pattern; the same ones as in SQL.
_FORMAT_PATTERNS = {
    "cadastral_number": "^[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}$",
    "katottg": "^UA[0-9]{17}$",
    "kpkvk": "^(0[1-9]|[1-9][0-9])([1-9][0-9]{4}|00000)$",
    "kekv": "^3[0-9]{3}$",
    "permit_number": "^[^\\x01-\\x20\\x7f]([^\\x01-\\x1f\\x7f]*[^\\x01-\\x20\\x7f])?$",
    "inventory_number": "^[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ-]{1,20}$",
}
_FORMAT_FUNCTIONS = {"edrpou": edrpou, "rnokpp": rnokpp, "tender_id": tender_id}


def hromada(validator: str, field: str, codes: tuple[str, ...]) -> str:
    """A well-formed code of the hromada: the codes the database accepts, as alternatives.

    A malformed value passes here: the format rule on the same field names it.
    """
    f = quote_field(field)
    alternatives = "|".join(re.escape(c) for c in codes) or "(?!)"
    if validator == "cadastral_number":
        pattern = f"^({alternatives}):[0-9]{{2}}:[0-9]{{3}}:[0-9]{{4}}$"
    else:
        pattern = f"^({alternatives})$"
    well_formed = quote_string(_FORMAT_PATTERNS[validator])
    return f"{f} IS NULL OR regexp_match({f}, {well_formed}) = 0 OR regexp_match({f}, {quote_string(pattern)}) > 0"


def format_rule(validator: str, field: str) -> str:
    if validator in _FORMAT_FUNCTIONS:
        return _FORMAT_FUNCTIONS[validator](field)
    return pattern(field, _FORMAT_PATTERNS[validator])


def expression(rule: ColumnRule) -> str:
    """The constraint expression a form uses for one database rule."""
    if rule.kind == "format":
        return format_rule(rule.validator, rule.column)
    if rule.kind == "pattern":
        return pattern(rule.column, rule.pattern)
    if rule.kind == "range":
        f = quote_field(rule.column)
        bounds = [f"{f} >= {_number(rule.minimum)}"]
        if rule.maximum is not None:
            bounds.append(f"{f} <= {_number(rule.maximum)}")
        return f"{f} IS NULL OR ({' AND '.join(bounds)})"
    if rule.kind == "date_order":
        start, end = (quote_field(c) for c in rule.columns)
        return f"{start} IS NULL OR {end} IS NULL OR {end} >= {start}"
    if rule.kind == "one_of":
        return " OR ".join(f"{quote_field(c)} IS NOT NULL" for c in rule.columns)
    if rule.kind == "requires":
        column, required = (quote_field(c) for c in rule.columns)
        return f"{column} IS NULL OR {required} IS NOT NULL"
    if rule.kind == "hromada":
        return hromada(rule.validator, rule.column, rule.codes)
    if rule.kind == "numbering":
        f = quote_field(rule.column)
        checks = [f"length({f}) <= {_number(rule.maximum)}"]
        if rule.pattern:
            checks.append(f"regexp_match({f}, {quote_string(rule.pattern)}) > 0")
        return f"{f} IS NULL OR ({' AND '.join(checks)})"
    raise ValueError(f"no expression for rule kind {rule.kind}")
