"""The database's CHECK rules on register columns, read from the catalog.

Forms mirror these rules so that a clerk sees the database's Ukrainian
message before saving. Reading them from ``pg_constraint`` keeps forms and
database in step by construction: a rule added in a migration reaches the
forms the next time the styles are built, and a rule the parser does not
understand fails the build (and ``tests/test_form_rules.py``) instead of
being skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhytomyr_gis.validators import (
    FORMAT_RULES,
    HROMADA_RULES,
    date_order_description,
    plain_number,
    range_description,
)

_LITERAL = r"'((?:[^']|'')*)'(?:::text)?"
_NUMBER = r"(?:\(?'?(-?[0-9.]+)'?(?:::integer)?\)?(?:::numeric)?|NULL::numeric)"
_COLUMN = r"\(?(\w+)\)?(?:::numeric)?"

_FORMAT_RE = re.compile(r"CHECK \(ref\.check_(\w+)\((\w+)\)\)")
_RANGE_RE = re.compile(
    rf"CHECK \(ref\.check_range\({_COLUMN}, {_NUMBER}, {_NUMBER}, {_LITERAL}, {_LITERAL}, {_LITERAL}\)\)"
)
_DATE_ORDER_RE = re.compile(rf"CHECK \(ref\.check_date_order\((\w+), (\w+), {_LITERAL}, {_LITERAL}, {_LITERAL}\)\)")
_PATTERN_RE = re.compile(
    rf"CHECK \(\((?:\(\w+ IS NULL\) OR )?\((\w+) ~ {_LITERAL}\) OR "
    rf"ref\.rule_violation\({_LITERAL}, format\({_LITERAL}, \w+\)",
    re.S,
)
_ONE_OF_RE = re.compile(rf"CHECK \(\(((?:\(\w+ IS NOT NULL\) OR )+)ref\.rule_violation\({_LITERAL}, {_LITERAL}")
_REQUIRES_RE = re.compile(
    rf"CHECK \(\(\((\w+) IS NULL\) OR \((\w+) IS NOT NULL\) OR ref\.rule_violation\({_LITERAL}, {_LITERAL}"
)
# Format rules whose database side also reads the hromada's classifiers or
# the city's settings (ref.check_codes(), sql/app/10_validators.sql).
_HROMADA_CLASSIFIER = {"cadastral_number": "koatuu", "katottg": "katottg"}


class UnknownRule(ValueError):
    """A CHECK constraint whose form the forms cannot mirror yet."""


@dataclass(frozen=True)
class ColumnRule:
    """One database rule on one or two columns of a register."""

    table: str
    constraint: str
    kind: str  # format | range | pattern | date_order | one_of | requires | hromada | numbering
    columns: tuple[str, ...]
    description_uk: str  # the database's Ukrainian message, without the value
    validator: str | None = None  # FORMAT_RULES / HROMADA_RULES key for kinds "format" and "hromada"
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    codes: tuple[str, ...] = ()  # kind "hromada": the codes the database accepts

    @property
    def column(self) -> str:
        """The column the form shows the rule on."""
        return self.columns[-1] if self.kind == "date_order" else self.columns[0]


def _unquote(literal: str) -> str:
    return literal.replace("''", "'")


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def parse(table: str, constraint: str, definition: str) -> ColumnRule:
    """A rule from ``pg_get_constraintdef()``; raises UnknownRule for other shapes."""
    if m := _FORMAT_RE.fullmatch(definition):
        key, column = m.groups()
        if key not in FORMAT_RULES:
            raise UnknownRule(f"{table}.{constraint}: no Python validator for ref.check_{key}()")
        return ColumnRule(table, constraint, "format", (column,), FORMAT_RULES[key].description(), validator=key)
    if m := _RANGE_RE.fullmatch(definition):
        column, lo, hi, _rule, what_uk, _what_en = m.groups()
        return ColumnRule(
            table,
            constraint,
            "range",
            (column,),
            range_description(_unquote(what_uk), _number(lo), _number(hi)),
            minimum=_number(lo),
            maximum=_number(hi),
        )
    if m := _DATE_ORDER_RE.fullmatch(definition):
        start, end, _rule, what_uk, _what_en = m.groups()
        return ColumnRule(table, constraint, "date_order", (start, end), date_order_description(_unquote(what_uk)))
    if m := _PATTERN_RE.match(definition):
        column, pattern, _rule, message = m.groups()
        description = _unquote(message).replace(" «%s»", "")
        return ColumnRule(table, constraint, "pattern", (column,), description, pattern=_unquote(pattern))
    if m := _ONE_OF_RE.match(definition):
        columns, _rule, message = m.groups()
        named = tuple(re.findall(r"\((\w+) IS NOT NULL\)", columns))
        return ColumnRule(table, constraint, "one_of", named, _unquote(message))
    if m := _REQUIRES_RE.match(definition):
        column, required, _rule, message = m.groups()
        return ColumnRule(table, constraint, "requires", (column, required), _unquote(message))
    raise UnknownRule(f"{table}.{constraint}: cannot mirror {definition!r} in a form")


def read_rules(conn, table: str) -> list[ColumnRule]:
    """Every column rule of a register table (the workflow's status check excluded).

    A format rule whose database side also consults the hromada's
    classifiers or the city's settings brings a second rule with what the
    database accepts today: the hromada's codes, the permit numbering.
    """
    with conn.cursor() as cur:
        cur.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'c' AND conrelid = %s::regclass AND conname NOT LIKE '%%\\_status\\_valid'
                ORDER BY conname""",
            (table,),
        )
        rules = [parse(table, name, definition) for name, definition in cur.fetchall()]
        return rules + [r for rule in rules if (r := _database_rule(cur, rule)) is not None]


def _database_rule(cur, rule: ColumnRule) -> ColumnRule | None:
    if rule.kind != "format":
        return None
    if rule.validator in _HROMADA_CLASSIFIER:
        hromada = HROMADA_RULES[rule.validator]
        cur.execute(
            "SELECT code FROM ref.cl_" + _HROMADA_CLASSIFIER[rule.validator] + " WHERE active ORDER BY sort_order, code"
        )
        codes = tuple(c for (c,) in cur.fetchall())
        description = hromada.description(list(codes))
        return ColumnRule(
            rule.table,
            f"{rule.table.split('.')[1]}_{rule.column}_hromada",
            "hromada",
            rule.columns,
            description,
            validator=rule.validator,
            codes=codes,
        )
    if rule.validator == "permit_number":
        cur.execute(
            """SELECT verification.setting_value('permit_number_max_length'),
                      verification.text_setting_value('permit_number_pattern'),
                      verification.text_setting_value('permit_number_example')"""
        )
        longest, pattern, example = cur.fetchone()
        # The clerk sees the city's example, not its pattern: a regular expression says nothing to a clerk.
        description = f"Номер дозволу — до {plain_number(longest)} знаків"
        if pattern:
            description += ", за нумерацією дозволів міста" + (f" (приклад: {example})" if example else "")
        return ColumnRule(
            rule.table,
            f"{rule.table.split('.')[1]}_{rule.column}_numbering",
            "numbering",
            rule.columns,
            description + " (налаштування permit_number_max_length, permit_number_pattern)",
            maximum=float(longest),
            pattern=pattern,
        )
    return None


def read_required(conn, table: str) -> frozenset[str]:
    """The columns of a register the database requires (NOT NULL), the key and geometry aside."""
    with conn.cursor() as cur:
        cur.execute(
            """SELECT a.attname FROM pg_attribute a
                WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
                  AND a.attidentity = '' AND a.attgenerated = '' AND a.atttypid <> 'geometry'::regtype""",
            (table,),
        )
        return frozenset(r[0] for r in cur.fetchall())
