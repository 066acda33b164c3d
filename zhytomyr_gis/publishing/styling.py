"""Colours of the published maps, without Qt.

The QGIS project builder and the MapServer mapfile writer draw the same
declaration (``catalog``) with the same colours: both take them from here.
Colour arithmetic follows Qt's QColor exactly (16-bit channels, the same
rounding), so the projects keep the shades they had when QColor made them.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass

from . import catalog
from .catalog import Categories

# Millimetres per pixel of the OGC standard rendering pixel (WMS 1.3.0,
# SLD): QGIS Server renders at 0.28 mm a pixel (90.71 dpi).
OGC_PIXEL_MM = 0.28
OGC_DPI = 25.4 / OGC_PIXEL_MM


@dataclass(frozen=True)
class ClassifierItem:
    code: str
    label_uk: str
    label_en: str
    group_code: str | None


def read_classifiers(service: str = catalog.SERVICE) -> dict[str, list[ClassifierItem]]:
    """All public classifier lists, in their order, read as the public role."""
    import psycopg2  # noqa: PLC0415 - only the commands that read the database need it

    conn = psycopg2.connect(f"service={service}")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT list, code, label_uk, label_en, group_code FROM published.classifier"
                " ORDER BY list, sort_order, code"
            )
            lists: dict[str, list[ClassifierItem]] = {}
            for list_name, *item in cur.fetchall():
                lists.setdefault(list_name, []).append(ClassifierItem(*item))
            return lists
    finally:
        conn.close()


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three 0-255 integers."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _qt_channel(fraction: float) -> int:
    """An 8-bit channel as QColor.fromRgbF(...).red() gives it (16-bit store, div 257)."""
    stored = math.floor(fraction * 65535 + 0.5)  # qRound: halves away from zero
    return (stored + 0x80 - ((stored + 0x80) >> 8)) >> 8  # qt_div_257


def shade(hex_colour: str, step: int, steps: int) -> str:
    """The ``step``-th of ``steps`` shades of a colour, from darker to lighter."""
    if steps <= 1:
        return hex_colour
    red, green, blue = (c / 255 for c in rgb(hex_colour))
    hue, base_lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    lightness = max(0.25, min(0.85, base_lightness - 0.15 + 0.3 * step / (steps - 1)))
    channels = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{_qt_channel(c):02x}" for c in channels)


def category_colours(spec: Categories, items: list[ClassifierItem]) -> dict[str, str]:
    """Colour of every classifier code of a categorized layer."""
    if spec.colour_from_group:
        return {i.code: i.group_code or "#bdbdbd" for i in items}
    if spec.colours:
        return {i.code: spec.colours.get(i.code, "#bdbdbd") for i in items}
    colours: dict[str, str] = {}
    for group, base in spec.group_colours.items():
        members = [i for i in items if i.group_code == group]
        for n, item in enumerate(members):
            colours[item.code] = shade(base, n, len(members))
    return {i.code: colours.get(i.code, "#bdbdbd") for i in items}


def mm_to_px(mm: float) -> float:
    """A symbol size in millimetres as OGC standard pixels."""
    return mm / OGC_PIXEL_MM


def label_fields(expression: str) -> list[tuple[str, str]]:
    """A catalog label expression as parts: ("field", name) or ("text", literal).

    Labels are declared as QGIS expressions; the ones the catalog uses are
    fields and quoted literals joined with ``||``, which MapServer can draw
    as a text template. Anything else is refused rather than drawn wrongly.
    """
    parts: list[tuple[str, str]] = []
    for token in (t.strip() for t in expression.split("||")):
        if len(token) >= 2 and token[0] == token[-1] == '"':
            parts.append(("field", token[1:-1]))
        elif len(token) >= 2 and token[0] == token[-1] == "'":
            parts.append(("text", token[1:-1]))
        else:
            raise ValueError(f"label expression not expressible without QGIS: {expression}")
    return parts
