"""Settings of the import: choices the law leaves to the city (settings.json
next to this module documents each; a server points ZGIS_IMPORT_SETTINGS at
its own copy)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULTS = Path(__file__).with_name("settings.json")


class SettingsError(ValueError):
    def __init__(self, message_uk: str, message_en: str):
        super().__init__(message_uk)
        self.message_uk = message_uk
        self.message_en = message_en


@dataclass(frozen=True)
class ImportSettings:
    area_tolerance_m2: float = 1.0
    area_tolerance_share: float = 0.0005
    local_system_when_unnamed: str = "18"
    default_lease_status: str = "free"
    geometry_equal_tolerance_m: float = 0.005
    ownership_codes: dict = field(default_factory=lambda: {"100": "private", "200": "communal", "300": "state"})
    restriction_kinds: dict = field(default_factory=lambda: {"codes": {}, "words": {}})

    def area_tolerance(self, area_m2: float) -> float:
        return max(self.area_tolerance_m2, self.area_tolerance_share * area_m2)

    def restriction_kind(self, code: str, name: str) -> str | None:
        """The city's kind of a restriction from the file: by the longest
        matching beginning of its code, else by a word of its name."""
        codes = self.restriction_kinds.get("codes", {})
        parts = code.strip().split(".") if code else []
        for n in range(len(parts), 0, -1):
            kind = codes.get(".".join(parts[:n]))
            if kind:
                return kind
        text = _apostrophes(name.casefold())
        for word, kind in self.restriction_kinds.get("words", {}).items():
            if _apostrophes(word.casefold()) in text:
                return kind
        return None


def _apostrophes(text: str) -> str:
    """The Ukrainian apostrophe comes as ', ’ or ʼ."""
    return text.replace("’", "'").replace("ʼ", "'")


def load(path: str | os.PathLike | None = None) -> ImportSettings:
    """The defaults, overridden by the file given or named by ZGIS_IMPORT_SETTINGS."""
    values = _read(DEFAULTS)
    chosen = path or os.environ.get("ZGIS_IMPORT_SETTINGS")
    if chosen:
        values.update(_read(Path(chosen)))
    known = {f.name: f for f in fields(ImportSettings)}
    for key in values:
        if key not in known:
            raise SettingsError(
                f"Налаштування імпорту: невідомий ключ «{key}» (відомі: {', '.join(known)})",
                f'Import settings: unknown key "{key}"',
            )
    typed = {}
    for key, value in values.items():
        want = known[key].type
        ok = (
            isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            if want == "float"
            else isinstance(value, str)
            if want == "str"
            else isinstance(value, dict)
        )
        if not ok:
            raise SettingsError(
                f"Налаштування імпорту: «{key}» має неправильне значення {value!r}",
                f'Import settings: "{key}" has a wrong value {value!r} (expected {want})',
            )
        typed[key] = float(value) if want == "float" else value
    return ImportSettings(**typed)


def _read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SettingsError(
            f"Не вдається прочитати налаштування імпорту {path}: {error}",
            f"Cannot read the import settings {path}: {error}",
        ) from error
    if not isinstance(document, dict):
        raise SettingsError(f"Налаштування імпорту {path}: очікується об'єкт JSON", f"{path}: a JSON object expected")
    return {k: (v["value"] if isinstance(v, dict) and "value" in v else v) for k, v in document.items() if k != "about"}
