"""Validators of the Ukrainian identifiers the registers keep, in Python.

The same algorithms and the same Ukrainian messages as the database's
``ref.is_valid_*`` / ``ref.check_*`` functions (sql/app/10_validators.sql), so
that forms and tools can tell a clerk what is wrong before anything is sent.
The database stays the last word; ``tests/test_validators_agree.py`` checks that
both sides agree on many values and word their messages alike.

Two kinds of rules: the structure of a code (``FORMAT_RULES``, the
database's CHECK constraints) and whether a well-formed code is one of the
hromada's (``HROMADA_RULES``, the database's row triggers that read the
classifiers). The hromada's codes come from the classifier files the
database loads (``zhytomyr_gis/classifiers.py``), so both sides accept the
same codes.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from zhytomyr_gis import classifiers

_CADASTRAL = re.compile(r"[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}")
_KATOTTG = re.compile(r"UA[0-9]{17}")
_TENDER = re.compile(r"UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}(-[a-z](\.2)?)?")
_KPKVK = re.compile(r"(0[1-9]|[1-9][0-9])([1-9][0-9]{4}|00000)")
_KEKV = re.compile(r"3[0-9]{3}")
_PERMIT = re.compile(r"[^\x01-\x20\x7f]([^\x01-\x1f\x7f]*[^\x01-\x20\x7f])?")
_INVENTORY = re.compile(r"[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ-]{1,20}")
# The first year of ProZorro, and the year from which every id has the server's letter.
TENDER_FIRST_YEAR = 2015
TENDER_LETTER_FROM = 2017

# Weights of the ЄДРПОУ control digit: codes between 30 and 60 million use
# the second set (State Statistics Service algorithm).
EDRPOU_WEIGHTS = (1, 2, 3, 4, 5, 6, 7)
EDRPOU_WEIGHTS_30_60 = (7, 1, 2, 3, 4, 5, 6)
RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)


def _digits(value: str, count: int) -> bool:
    # PostgreSQL's [0-9] is ASCII only; str.isdigit() would accept other scripts.
    return len(value) == count and all("0" <= c <= "9" for c in value)


def is_valid_cadastral_number(value: str) -> bool:
    """The structure: КОАТУУ (10 digits), zone (2), quarter (3), parcel (4)."""
    return _CADASTRAL.fullmatch(value) is not None


def is_hromada_cadastral_number(value: str, koatuu: Collection[str] | None = None) -> bool:
    """A well-formed cadastral number whose КОАТУУ is one of the hromada's."""
    codes = classifiers.codes("koatuu") if koatuu is None else koatuu
    return is_valid_cadastral_number(value) and value[:10] in codes


def is_hromada_katottg(value: str, katottg: Collection[str] | None = None) -> bool:
    """A KATOTTG code of the hromada or one of its units."""
    codes = classifiers.codes("katottg") if katottg is None else katottg
    return is_valid_katottg(value) and value in codes


def is_valid_edrpou(value: str) -> bool:
    if not _digits(value, 8):
        return False
    weights = EDRPOU_WEIGHTS_30_60 if 30_000_000 <= int(value) <= 60_000_000 else EDRPOU_WEIGHTS
    digits = [int(c) for c in value]
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 10:
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=False)) % 11
        if remainder == 10:
            remainder = 0
    return remainder == digits[7]


def is_valid_rnokpp(value: str) -> bool:
    if not _digits(value, 10):
        return False
    total = sum(int(c) * w for c, w in zip(value, RNOKPP_WEIGHTS, strict=False))
    return _pg_mod(_pg_mod(total, 11), 10) == int(value[9])


def _pg_mod(a: int, b: int) -> int:
    """PostgreSQL's %: the remainder keeps the dividend's sign (Python's takes the divisor's)."""
    return int(math.fmod(a, b))


def is_valid_katottg(value: str) -> bool:
    return _KATOTTG.fullmatch(value) is not None


def is_valid_tender_id(value: str) -> bool:
    if _TENDER.fullmatch(value) is None:
        return False
    try:
        day = _dt.date.fromisoformat(value[3:13])
    except ValueError:
        return False
    return day.year >= TENDER_FIRST_YEAR and (len(value) > 20 or day.year < TENDER_LETTER_FROM)


def is_valid_kpkvk(value: str) -> bool:
    return _KPKVK.fullmatch(value) is not None


def is_valid_kekv(value: str) -> bool:
    return _KEKV.fullmatch(value) is not None


def is_valid_permit_number(value: str) -> bool:
    """There is a number: not empty, no spaces at its ends, no control characters."""
    return _PERMIT.fullmatch(value) is not None


def follows_permit_numbering(value: str, max_length: int, pattern: str | None) -> bool:
    """The city's numbering (settings permit_number_max_length and permit_number_pattern)."""
    return len(value) <= max_length and (pattern is None or re.search(pattern, value) is not None)


def is_valid_inventory_number(value: str) -> bool:
    return _INVENTORY.fullmatch(value) is not None


@dataclass(frozen=True)
class FormatRule:
    """A rule of the form ``ref.check_<name>(column)`` in the database."""

    rule_id: str
    check: Callable[[str], bool]
    message_uk: str  # «{}» is where the database puts the value
    message_en: str
    example: str | None = None

    def message(self, value: str) -> str:
        return self.message_uk.format(value)

    def description(self) -> str:
        """The message without the value, for a form's constraint description."""
        return self.message_uk.replace(" «{}»", "")


# Keyed by the name of the SQL wrapper, ref.check_<key>().
FORMAT_RULES: dict[str, FormatRule] = {
    "cadastral_number": FormatRule(
        "cadastral_number_format",
        is_valid_cadastral_number,
        "Кадастровий номер «{}» має неправильний формат: очікується КККККККККК:ЗЗ:ККК:ДДДД — 10 цифр КОАТУУ,"
        " 2 цифри зони, 3 кварталу, 4 ділянки (Порядок ведення Державного земельного кадастру, постанова КМУ"
        " № 1051 від 17.10.2012)",
        'Cadastral number "{}" must look like KKKKKKKKKK:ZZ:QQQ:PPPP (KOATUU, zone, quarter, parcel;'
        " State Land Cadastre Procedure, CMU resolution 1051 of 17.10.2012)",
        "1810136300:11:003:0001",
    ),
    "edrpou": FormatRule(
        "edrpou_format",
        is_valid_edrpou,
        "Код ЄДРПОУ «{}» недійсний: потрібно 8 цифр із правильною контрольною цифрою",
        'EDRPOU code "{}" is invalid: 8 digits with a correct check digit are required',
    ),
    "rnokpp": FormatRule(
        "rnokpp_format",
        is_valid_rnokpp,
        "РНОКПП «{}» недійсний: потрібно 10 цифр із правильною контрольною цифрою",
        'Individual tax number "{}" is invalid: 10 digits with a correct check digit are required',
    ),
    "katottg": FormatRule(
        "katottg_format",
        is_valid_katottg,
        "Код КАТОТТГ «{}» має неправильний формат: очікується UA і 17 цифр (Кодифікатор"
        " адміністративно-територіальних одиниць, наказ Мінрегіону № 290 від 26.11.2020)",
        'KATOTTG code "{}" must be UA followed by 17 digits (codifier, Ministry order 290 of 26.11.2020)',
        "UA18040190010057814",
    ),
    "tender_id": FormatRule(
        "tender_id_format",
        is_valid_tender_id,
        "Ідентифікатор закупівлі «{}» не є ідентифікатором ProZorro: очікується UA-РРРР-ММ-ДД-NNNNNN-a зі справжньою"
        " датою від 2015 року (до 2017 року — без літери; «.2» — другий етап конкурентного діалогу; Закон «Про"
        " публічні закупівлі» № 922-VIII)",
        '"{}" is not a ProZorro tender id: UA-YYYY-MM-DD-NNNNNN-a with a real date from 2015 on (no letter before'
        ' 2017; ".2" for the second stage of a competitive dialogue)',
        "UA-2024-03-15-000123-a",
    ),
    "kpkvk": FormatRule(
        "kpkvk_format",
        is_valid_kpkvk,
        "Код КПКВКМБ «{}» має неправильний формат: 2 цифри головного розпорядника (не 00), 1 цифра відповідального"
        " виконавця (1–9; 0 лише в коді головного розпорядника ХХ00000), 4 цифри коду ТПКВКМБ (наказ Мінфіну № 793"
        " від 20.09.2017)",
        'Programme code (KPKVKMB) "{}": 2 digits of the main spending unit (not 00), 1 digit of the responsible'
        " executor (1-9; 0 only in XX00000), 4 digits of the TPKVKMB (Ministry of Finance order 793 of 20.09.2017)",
        "1217461",
    ),
    "kekv": FormatRule(
        "kekv_format",
        is_valid_kekv,
        "Код КЕКВ «{}» не є кодом капітальних видатків: очікується код розділу 3000 (наказ Мінфіну № 333"
        " від 12.03.2012)",
        'Economic code (KEKV) "{}" is not a capital expenditure code of section 3000 (Ministry of Finance order 333'
        " of 12.03.2012)",
        "3132",
    ),
    "permit_number": FormatRule(
        "permit_number_format",
        is_valid_permit_number,
        "Номер дозволу «{}» записують так, як його видав виконавчий орган ради: не порожній, без пробілів на"
        " початку і в кінці (Типові правила розміщення зовнішньої реклами, постанова КМУ № 2067 від 29.12.2003)",
        'Permit number "{}" is written as the executive body issued it: not empty, no spaces at its ends',
        "123/2019",
    ),
    "inventory_number": FormatRule(
        "inventory_number_format",
        is_valid_inventory_number,
        "Інвентарний номер «{}» може містити лише літери, цифри та дефіс (до 20 знаків)",
        'Inventory number "{}" may contain only letters, digits and hyphens (up to 20)',
    ),
}


def hromada_name() -> str:
    """The hromada the registers cover, as the codifier names it (category H)."""
    katottg = classifiers.get("katottg")
    return next(c.label_uk for c in sorted(katottg.codes, key=lambda c: (c.sort_order, c.code)) if c.group_code == "H")


@dataclass(frozen=True)
class HromadaRule:
    """A rule that a well-formed code is one of the hromada's (the database's ref.check_hromada_<key>())."""

    rule_id: str
    classifier: str  # the classifier file with the hromada's codes
    check: Callable[[str, Collection[str]], bool]
    message_uk: str  # {value}, {prefix}, {hromada}, {codes}, {citation}
    description_uk: str  # the rule without a value, for a form: {hromada}, {codes}, {citation}

    def codes(self) -> list[str]:
        return classifiers.get(self.classifier).ordered()

    def _words(self, codes: list[str] | None) -> dict[str, str]:
        return {
            "hromada": hromada_name(),
            "codes": ", ".join(self.codes() if codes is None else codes),
            "citation": classifiers.get(self.classifier).source.citation,
        }

    def message(self, value: str, codes: list[str] | None = None) -> str:
        return self.message_uk.format(value=value, prefix=value[:10], **self._words(codes))

    def description(self, codes: list[str] | None = None) -> str:
        return self.description_uk.format(**self._words(codes))


# Keyed by the name of the SQL function, ref.check_hromada_<key>().
HROMADA_RULES: dict[str, HromadaRule] = {
    "cadastral_number": HromadaRule(
        "cadastral_number_hromada",
        "koatuu",
        is_hromada_cadastral_number,
        "Кадастровий номер «{value}» починається з коду КОАТУУ {prefix}, що не належить до громади «{hromada}»"
        " (коди громади: {codes}; {citation})",
        "Кадастровий номер починається з коду КОАТУУ громади «{hromada}» (коди громади: {codes}; {citation})",
    ),
    "katottg": HromadaRule(
        "katottg_hromada",
        "katottg",
        is_hromada_katottg,
        "Код КАТОТТГ «{value}» не є кодом громади «{hromada}» чи її міста, районів і сіл (коди громади: {codes};"
        " {citation})",
        "Код КАТОТТГ — код громади «{hromada}» чи її міста, районів і сіл (коди громади: {codes}; {citation})",
    ),
}


def permit_numbering_message(value: str, max_length: int, pattern: str | None, example: str | None) -> str | None:
    """ref.check_permit_numbering()'s message for a number the city's numbering refuses, else None."""
    if len(value) > max_length:
        return (
            f"Номер дозволу «{value}» довший за {max_length} знаків, які допускає нумерація дозволів міста"
            " (налаштування permit_number_max_length; номер — той, що видав виконавчий орган ради, Типові правила"
            " розміщення зовнішньої реклами, постанова КМУ № 2067 від 29.12.2003)"
        )
    if pattern is not None and re.search(pattern, value) is None:
        shown = f", приклад: {example}" if example else ""
        return (
            f"Номер дозволу «{value}» не відповідає нумерації дозволів міста"
            f" (налаштування permit_number_pattern: {pattern}{shown})"
        )
    return None


def plain_number(number: float | int | str) -> str:
    """A number as PostgreSQL prints a numeric literal (no exponent, no trailing .0)."""
    text = format(number, "f") if not isinstance(number, str) else number
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def range_description(what_uk: str, lo: float, hi: float | None) -> str:
    """ref.check_range()'s message without the value."""
    if hi is None:
        return f"{what_uk}: значення має бути не менше {plain_number(lo)}"
    return f"{what_uk}: значення має бути в межах від {plain_number(lo)} до {plain_number(hi)}"


def date_order_description(what_uk: str) -> str:
    """ref.check_date_order()'s message without the dates."""
    return f"{what_uk}: дата закінчення не може бути ранішою за дату початку"
