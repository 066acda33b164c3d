"""Deployment settings of the geoportal, from one JSON file.

The file committed as ``portal/settings.json`` holds the defaults of this
machine's demo; a real server points ``ZGIS_PORTAL_SETTINGS`` to its own
copy. Bad values are refused with a message naming the key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

# A CSP source expression: a keyword, a scheme, or a host source such as
# https://zt-rada.gov.ua or https://*.zt-rada.gov.ua:443. Nothing that could
# break out of the header (quotes only around keywords, no ; or ,).
_KEYWORDS = {"'self'", "'none'"}
_HOST_SOURCE = re.compile(r"^(https?://)?(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?/?$")
_SCHEME_SOURCE = re.compile(r"^https?:$")


class SettingsError(ValueError):
    """The settings file is missing, not JSON, or has a bad value."""


@dataclass(frozen=True)
class ExternalBaseMap:
    """An XYZ tile service drawn under the city's layers (production only)."""

    url: str  # https://.../{z}/{x}/{y}.png
    attribution: str
    max_zoom: int = 19


@dataclass(frozen=True)
class Settings:
    frame_ancestors: tuple[str, ...] = ("'self'",)
    external_base_map: ExternalBaseMap | None = None
    generated_data: bool = True

    @property
    def frame_ancestors_header(self) -> str:
        """The Content-Security-Policy directive for pages that may be framed."""
        return "frame-ancestors " + " ".join(self.frame_ancestors)


def _frame_ancestors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise SettingsError(
            'frame_ancestors: a non-empty list of sources such as "\'self\'" or "https://zt-rada.gov.ua"'
        )
    for source in value:
        if source == "*" or source in _KEYWORDS or _SCHEME_SOURCE.match(source) or _HOST_SOURCE.match(source):
            continue
        raise SettingsError(
            f"frame_ancestors: {source!r} is not a host source (https://site.example), 'self' or 'none'"
        )
    if "'none'" in value and len(value) > 1:
        raise SettingsError("frame_ancestors: 'none' cannot be combined with other sources")
    return tuple(value)


def _external_base_map(value: object) -> ExternalBaseMap | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SettingsError("external_base_map: null (off) or an object with url and attribution")
    if not value.get("enabled", True):
        return None
    url = value.get("url")
    if not isinstance(url, str) or not url.startswith("https://") or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise SettingsError("external_base_map.url: an https:// address with {z}, {x} and {y}")
    attribution = value.get("attribution")
    if not isinstance(attribution, str) or not attribution.strip():
        raise SettingsError("external_base_map.attribution: the tile provider's required attribution text")
    max_zoom = value.get("max_zoom", 19)
    if not isinstance(max_zoom, int) or not 1 <= max_zoom <= 22:
        raise SettingsError("external_base_map.max_zoom: an integer from 1 to 22")
    return ExternalBaseMap(url, attribution, max_zoom)


def parse(raw: dict) -> Settings:
    if not isinstance(raw, dict):
        raise SettingsError("the settings file must hold a JSON object")
    unknown = set(raw) - {"frame_ancestors", "external_base_map", "generated_data", "_comment"}
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    generated = raw.get("generated_data", True)
    if not isinstance(generated, bool):
        raise SettingsError("generated_data: true or false")
    return Settings(
        frame_ancestors=_frame_ancestors(raw.get("frame_ancestors", ["'self'"])),
        external_base_map=_external_base_map(raw.get("external_base_map")),
        generated_data=generated,
    )


def load(path: Path) -> Settings:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} is not valid JSON (UTF-8): {exc}") from None
    try:
        return parse(raw)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None
