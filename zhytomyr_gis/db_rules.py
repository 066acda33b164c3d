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

from zhytomyr_gis.validators import FORMAT_RULES, date_order_description, range_description

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
_ONE_OF_RE = re.compile(
    rf"CHECK \(\(\((\w+) IS NOT NULL\) OR \((\w+) IS NOT NULL\) OR ref\.rule_violation\(" rf"{_LITERAL}, {_LITERAL}"
)


class UnknownRule(ValueError):
    """A CHECK constraint whose form the forms cannot mirror yet."""


@dataclass(frozen=True)
class ColumnRule:
    """One database rule on one or two columns of a register."""

    table: str
    constraint: str
    kind: str  # format | range | pattern | date_order | one_of
    columns: tuple[str, ...]
    description_uk: str  # the database's Ukrainian message, without the value
    validator: str | None = None  # FORMAT_RULES key for kind "format"
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

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
        first, second, _rule, message = m.groups()
        return ColumnRule(table, constraint, "one_of", (first, second), _unquote(message))
    raise UnknownRule(f"{table}.{constraint}: cannot mirror {definition!r} in a form")


def read_rules(conn, table: str) -> list[ColumnRule]:
    """Every column rule of a register table (the workflow's status check excluded)."""
    with conn.cursor() as cur:
        cur.execute(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'c' AND conrelid = %s::regclass AND conname NOT LIKE '%%\\_status\\_valid'
                ORDER BY conname""",
            (table,),
        )
        return [parse(table, name, definition) for name, definition in cur.fetchall()]


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
