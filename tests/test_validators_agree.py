"""The Python validators (zhytomyr_gis/validators.py, used by forms and tools)
and the database's ref.is_valid_* functions (sql/app/10_validators.sql, the
last word) agree on many generated values: well-formed ones, near misses
(one character deleted, inserted or replaced, other scripts' digits,
look-alike letters, stray spaces and line breaks) and impossible dates; and
where a value is refused, both word the refusal alike."""

from __future__ import annotations

import uuid

import psycopg2
import pytest
from conftest import TEMPLATE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhytomyr_gis import classifiers, validators

# Characters a mistyped or pasted identifier picks up: other scripts' digits
# (Arabic-Indic, Devanagari, full-width), Latin look-alikes of Cyrillic
# letters and back, separators, white space.
NEAR_MISS_CHARS = "0123456789٣०５-:/ \n\tUAuaPДДРрpKkAА"
ANY_CHAR = st.characters(min_codepoint=1, blacklist_categories=("Cs",))  # PostgreSQL text holds no NUL


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def sparse_digits(n: int) -> st.SearchStrategy[str]:
    """Mostly zeros: check-digit sums near zero or negative (RNOKPP's first weight is -1)."""
    return st.text(alphabet="0000000019", min_size=n, max_size=n)


@st.composite
def near_miss(draw, shape: st.SearchStrategy[str]) -> str:
    """A well-formed value with one character deleted, inserted or replaced."""
    value = draw(shape)
    edit = draw(st.sampled_from(["delete", "insert", "replace"]))
    position = draw(st.integers(0, max(len(value) - 1, 0)))
    char = draw(st.one_of(st.sampled_from(NEAR_MISS_CHARS), ANY_CHAR))
    if edit == "delete":
        return value[:position] + value[position + 1 :]
    if edit == "insert":
        return value[:position] + char + value[position:]
    return value[:position] + char + value[position + 1 :]


def values(shape: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """Batches mixing well-formed values, near misses and arbitrary text."""
    one = st.one_of(shape, shape, near_miss(shape), st.text(ANY_CHAR, max_size=30))
    return st.lists(one, min_size=1, max_size=40)


@st.composite
def tender_id(draw) -> str:
    # Years before ProZorro (2015), months 0-13 and days 0-32: many impossible dates,
    # 29 February in leap and common years; no letter (ids before 2017), a letter, a second stage.
    year = draw(st.integers(2010, 2030))
    month = draw(st.integers(0, 13))
    day = draw(st.sampled_from([0, 1, 15, 28, 29, 30, 31, 32]))
    suffix = draw(st.sampled_from(["", "-a", "-b", "-z", "-a.2", "-c.2", "-a.3", ".2"]))
    return f"UA-{year:04d}-{month:02d}-{day:02d}-{draw(digits(6))}{suffix}"


# The hromada's КОАТУУ and KATOTTG codes (the classifier files the database loads),
# and codes of other places in the same shape.
HROMADA_KOATUU = sorted(classifiers.codes("koatuu"))
HROMADA_KATOTTG = sorted(classifiers.codes("katottg"))


SHAPES = {
    # Around 30 and 60 million the weights change: 2999999X, 3000000X, 5999999X, 6000000X.
    "edrpou": st.one_of(
        digits(8),
        sparse_digits(8),
        st.builds(str.__add__, st.sampled_from(["2999999", "3000000", "5999999", "6000000"]), digits(1)),
    ),
    "rnokpp": st.one_of(digits(10), sparse_digits(10)),
    "cadastral_number": st.builds(
        lambda k, z, q, p: f"{k}:{z}:{q}:{p}",
        st.one_of(st.sampled_from(HROMADA_KOATUU), digits(10)),
        digits(2),
        digits(3),
        digits(4),
    ),
    "tender_id": tender_id(),
    "katottg": st.one_of(st.sampled_from(HROMADA_KATOTTG), st.builds(lambda d: f"UA{d}", digits(17))),
    # Main spending unit 00 and executor 0 are the interesting corners.
    "kpkvk": st.one_of(
        digits(7),
        st.builds(str.__add__, st.sampled_from(["00", "06", "12", "15"]), st.sampled_from(["00000", "07461"])),
        st.builds(lambda u, e, p: u + e + p, digits(2), st.sampled_from("01"), digits(4)),
    ),
    "kekv": st.one_of(st.integers(2000, 3399).map(str), digits(4)),
    "permit_number": st.one_of(
        st.builds(lambda y, n: f"РД-{y}-{n}", st.integers(1850, 2150).map(str), digits(4)),
        st.builds(lambda n, y: f"{n}/{y}", st.integers(1, 999).map(str), st.integers(2000, 2030).map(str)),
        st.text(st.sampled_from(" \t\nАБ12/-.№"), min_size=0, max_size=12),
    ),
}

PYTHON = {
    "edrpou": validators.is_valid_edrpou,
    "rnokpp": validators.is_valid_rnokpp,
    "cadastral_number": validators.is_valid_cadastral_number,
    "tender_id": validators.is_valid_tender_id,
    "katottg": validators.is_valid_katottg,
    "kpkvk": validators.is_valid_kpkvk,
    "kekv": validators.is_valid_kekv,
    "permit_number": validators.is_valid_permit_number,
}
# The rules that a well-formed code is one of the hromada's (ref.is_hromada_<kind>()).
HROMADA_SHAPES = {"cadastral_number": SHAPES["cadastral_number"], "katottg": SHAPES["katottg"]}


@pytest.fixture(scope="module")
def sql(pg_cluster):
    """A connection to a private copy of the migrated database (the functions are immutable)."""
    name = f"zgis_test_{uuid.uuid4().hex[:10]}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    conn = psycopg2.connect(pg_cluster.superuser_dsn(name))
    conn.autocommit = True
    yield conn
    conn.close()
    pg_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def database_verdicts(conn, kind: str, batch: list[str]) -> list[bool]:
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT ref.is_valid_{kind}(v) FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n", (batch,)
        )
        return [row[0] for row in cur.fetchall()]


def database_refusal(conn, kind: str, value: str) -> str | None:
    """The message ref.check_<kind>() raises for the value, or None when it passes."""
    with conn.cursor() as cur:
        try:
            cur.execute(f"SELECT ref.check_{kind}(%s)", (value,))
        except psycopg2.errors.CheckViolation as error:
            return error.diag.message_primary
    return None


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_python_and_database_validators_agree(sql, kind):
    rule = validators.FORMAT_RULES[kind]
    verdicts_seen: set[bool] = set()

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,  # the same values on every run: CI results are reproducible
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(values(SHAPES[kind]))
    def agree(batch: list[str]) -> None:
        in_python = [PYTHON[kind](v) for v in batch]
        verdicts_seen.update(in_python)
        in_database = database_verdicts(sql, kind, batch)
        disagreements = [(v, p, d) for v, p, d in zip(batch, in_python, in_database, strict=True) if p != d]
        assert not disagreements, f"{kind}: (value, python, database) {disagreements}"
        refused = next((v for v, ok in zip(batch, in_python, strict=True) if not ok), None)
        if refused is not None:
            assert database_refusal(sql, kind, refused) == rule.message(refused)

    agree()
    # The strategies reached both verdicts (else agreement would prove little).
    assert verdicts_seen == {True, False}


@pytest.mark.parametrize("kind", sorted(HROMADA_SHAPES))
def test_python_and_database_agree_on_the_hromadas_codes(sql, kind):
    """Both read the hromada's codes from the same classifier file, and word the refusal alike."""
    rule = validators.HROMADA_RULES[kind]
    verdicts_seen: set[bool] = set()

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(values(HROMADA_SHAPES[kind]))
    def agree(batch: list[str]) -> None:
        in_python = [rule.check(v, rule.codes()) for v in batch]
        verdicts_seen.update(in_python)
        with sql.cursor() as cur:
            cur.execute(
                f"SELECT ref.is_hromada_{kind}(v) FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
                (batch,),
            )
            in_database = [r[0] for r in cur.fetchall()]
        disagreements = [(v, p, d) for v, p, d in zip(batch, in_python, in_database, strict=True) if p != d]
        assert not disagreements, f"{kind}: (value, python, database) {disagreements}"
        # A well-formed code of another place: both refuse it in the same words.
        other = next((v for v, ok in zip(batch, in_python, strict=True) if not ok and well_formed(kind, v)), None)
        if other is not None:
            with sql.cursor() as cur:
                try:
                    cur.execute(f"SELECT ref.check_hromada_{kind}(%s)", (other,))
                    refusal = None
                except psycopg2.errors.CheckViolation as error:
                    refusal = error.diag.message_primary
            assert refusal == rule.message(other)

    agree()
    assert verdicts_seen == {True, False}


def well_formed(kind: str, value: str) -> bool:
    return validators.FORMAT_RULES[kind].check(value)
