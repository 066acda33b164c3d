"""Validators of the Ukrainian identifiers the registers keep, in Python.

The same algorithms and the same Ukrainian messages as the database's
``ref.is_valid_*`` / ``ref.check_*`` functions (sql/app/10_validators.sql), so
that forms and tools can tell a clerk what is wrong before anything is sent.
The database stays the last word; ``tests/test_validators_agree.py`` checks that
both sides agree on many values and word their messages alike.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

_CADASTRAL = re.compile(r"1810100000:[0-9]{2}:[0-9]{3}:[0-9]{4}")
_KATOTTG = re.compile(r"UA[0-9]{17}")
_TENDER = re.compile(r"UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}-[a-z]")
_KPKVK = re.compile(r"[0-9]{7}")
_KEKV = re.compile(r"3[12][0-9]{2}")
_PERMIT = re.compile(r"РД-(19|20)[0-9]{2}-[0-9]{4}")
_INVENTORY = re.compile(r"[0-9A-Za-zА-ЯІЇЄҐа-яіїєґ-]{1,20}")

# Weights of the ЄДРПОУ control digit: codes between 30 and 60 million use
# the second set (State Statistics Service algorithm).
EDRPOU_WEIGHTS = (1, 2, 3, 4, 5, 6, 7)
EDRPOU_WEIGHTS_30_60 = (7, 1, 2, 3, 4, 5, 6)
RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)


def _digits(value: str, count: int) -> bool:
    # PostgreSQL's [0-9] is ASCII only; str.isdigit() would accept other scripts.
    return len(value) == count and all("0" <= c <= "9" for c in value)


def is_valid_cadastral_number(value: str) -> bool:
    return _CADASTRAL.fullmatch(value) is not None


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
    return day.year >= 2015


def is_valid_kpkvk(value: str) -> bool:
    return _KPKVK.fullmatch(value) is not None


def is_valid_kekv(value: str) -> bool:
    return _KEKV.fullmatch(value) is not None


def is_valid_permit_number(value: str) -> bool:
    return _PERMIT.fullmatch(value) is not None


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
        "Кадастровий номер «{}» має неправильний формат: очікується 1810100000:ЗЗ:ККК:ДДДД"
        " (КОАТУУ Житомира, зона, квартал, ділянка)",
        'Cadastral number "{}" must look like 1810100000:ZZ:QQQ:PPPP (Zhytomyr KOATUU, zone, quarter, parcel)',
        "1810100000:01:012:0345",
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
        "Код КАТОТТГ «{}» має неправильний формат: очікується UA і 17 цифр",
        'KATOTTG code "{}" must be UA followed by 17 digits',
        "UA18040470010021315",
    ),
    "tender_id": FormatRule(
        "tender_id_format",
        is_valid_tender_id,
        "Ідентифікатор закупівлі ProZorro «{}» має неправильний формат: очікується UA-РРРР-ММ-ДД-NNNNNN-a"
        " з дійсною датою",
        'ProZorro tender id "{}" must look like UA-YYYY-MM-DD-NNNNNN-a with a real date',
        "UA-2024-03-15-000123-a",
    ),
    "kpkvk": FormatRule(
        "kpkvk_format",
        is_valid_kpkvk,
        "Код КПКВКМБ «{}» має неправильний формат: очікується 7 цифр",
        'Budget programme code (KPKVK) "{}" must have 7 digits',
        "1517461",
    ),
    "kekv": FormatRule(
        "kekv_format",
        is_valid_kekv,
        "Код КЕКВ «{}» не є кодом капітальних видатків (31ХХ або 32ХХ)",
        'Economic classification code (KEKV) "{}" is not a capital expenditure code (31XX or 32XX)',
        "3132",
    ),
    "permit_number": FormatRule(
        "permit_number_format",
        is_valid_permit_number,
        "Номер дозволу «{}» має неправильний формат: очікується РД-РРРР-NNNN",
        'Permit number "{}" must look like РД-YYYY-NNNN',
        "РД-2024-0157",
    ),
    "inventory_number": FormatRule(
        "inventory_number_format",
        is_valid_inventory_number,
        "Інвентарний номер «{}» може містити лише літери, цифри та дефіс (до 20 знаків)",
        'Inventory number "{}" may contain only letters, digits and hyphens (up to 20)',
    ),
}


def _plain(number: float | int | str) -> str:
    """A number as PostgreSQL prints a numeric literal (no exponent, no trailing .0)."""
    text = format(number, "f") if not isinstance(number, str) else number
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def range_description(what_uk: str, lo: float, hi: float | None) -> str:
    """ref.check_range()'s message without the value."""
    if hi is None:
        return f"{what_uk}: значення має бути не менше {_plain(lo)}"
    return f"{what_uk}: значення має бути в межах від {_plain(lo)} до {_plain(hi)}"


def date_order_description(what_uk: str) -> str:
    """ref.check_date_order()'s message without the dates."""
    return f"{what_uk}: дата закінчення не може бути ранішою за дату початку"
