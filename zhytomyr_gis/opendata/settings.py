"""Who publishes the open data and how often it is regenerated: the city's choices.

The defaults describe Житомирська міська рада on the demo server; a real
server passes ``--settings FILE`` (a JSON object with any of these keys).
Bad values are refused with a message naming the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..validators import is_valid_edrpou


class SettingsError(ValueError):
    """The settings file is missing, not JSON, or has a bad value."""


@dataclass(frozen=True)
class Settings:
    # The publisher (розпорядник інформації) and its ЄДРПОУ (the passport's
    # «відповідальна особа» and «код ЄДРПОУ розпорядника»); it also owns the
    # municipal property in the property datasets.
    publisher_name: str = "Житомирська міська рада"
    publisher_name_en: str = "Zhytomyr City Council"
    publisher_edrpou: str = "04053625"
    # The body that issues outdoor advertising permits (Типові правила
    # розміщення зовнішньої реклами, постанова КМУ від 29.12.2003 № 2067, п. 3:
    # the executive body of the council).
    permit_authority_name: str = "Виконавчий комітет Житомирської міської ради"
    contact_name: str = "Відділ геоінформаційних систем"
    contact_email: str = "gis@zt-rada.gov.ua"
    # Where the files are downloaded from: https://<site>/opendata/...
    base_url: str = "http://127.0.0.1:8080"
    # The listener waits this long after the last approval before building
    # (approvals in a batch make one build), but never longer than
    # max_delay_s after the first one.
    debounce_s: float = 10.0
    max_delay_s: float = 40.0
    # The data are generated for the demonstration (said in every passport).
    generated_data: bool = True

    @property
    def opendata_url(self) -> str:
        return self.base_url.rstrip("/") + "/opendata"


def parse(raw: object, base: Settings | None = None) -> Settings:
    if not isinstance(raw, dict):
        raise SettingsError("the open data settings must be a JSON object")
    known = {f.name: f for f in fields(Settings)}
    unknown = set(raw) - set(known) - {"_comment"}
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values = {k: v for k, v in raw.items() if k in known}
    for key, value in values.items():
        want = known[key].type
        if want == "str" and (not isinstance(value, str) or not value.strip()):
            raise SettingsError(f"{key}: a non-empty text")
        if want == "float" and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            raise SettingsError(f"{key}: a number of seconds, 0 or more")
        if want == "bool" and not isinstance(value, bool):
            raise SettingsError(f"{key}: true or false")
    settings = replace(base or Settings(), **values)
    if not is_valid_edrpou(settings.publisher_edrpou):
        raise SettingsError(
            f"publisher_edrpou: {settings.publisher_edrpou!r} is not a valid ЄДРПОУ code"
            " (8 digits with the check digit)"
        )
    if not settings.base_url.startswith(("http://", "https://")):
        raise SettingsError("base_url: the public address of the site, http:// or https://")
    if settings.max_delay_s < settings.debounce_s:
        raise SettingsError("max_delay_s: must not be shorter than debounce_s")
    return settings


def load(path: Path | None) -> Settings:
    if path is None:
        return Settings()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} is not valid JSON (UTF-8): {exc}") from None
    try:
        return parse(raw)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None
