"""How a PNG was encoded: size, colour type, zlib level class and row filters, read from its chunks.

The servers' PNG writers are compared on equal terms (bench/maps) and the
encoder defaults of QGIS Server are tested (tests/test_png_defaults.py)
by reading what was written, not what was configured.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # bytes a pixel at 8 bits, by colour type
COLOUR_TYPES = {0: "grey", 2: "RGB", 3: "palette", 4: "grey+alpha", 6: "RGBA"}
LEVEL_CLASSES = {0: "fastest (zlib 0-1)", 1: "fast (zlib 2-5)", 2: "default (zlib 6)", 3: "maximum (zlib 7-9)"}


@dataclass(frozen=True)
class Encoding:
    width: int
    height: int
    bit_depth: int
    colour_type: int  # 6 RGBA, 2 RGB, 3 palette
    zlib_level_class: int  # FLEVEL of the zlib header: 0 fastest (level 0-1), 1 fast, 2 default (6), 3 maximum
    row_filters: frozenset[int]  # 0 none, 1 sub, 2 up, 3 average, 4 Paeth

    def describe(self) -> dict[str, object]:
        """The encoding in words (what a benchmark prints beside its figures)."""
        return {
            "size": f"{self.width}x{self.height}",
            "pixels": f"{self.bit_depth * CHANNELS[self.colour_type]}-bit {COLOUR_TYPES[self.colour_type]}",
            "zlib level": LEVEL_CLASSES[self.zlib_level_class],
            "row filters": "none" if self.row_filters == {0} else ",".join(str(f) for f in sorted(self.row_filters)),
        }


def read(png: bytes) -> Encoding:
    """The encoding of ``png``; ValueError if it is not a PNG with a header and image data."""
    if png[:8] != SIGNATURE:
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if header is None or not idat:
        raise ValueError("PNG without IHDR or IDAT")
    width, height, depth, colour_type = header[:4]
    if colour_type not in CHANNELS:
        raise ValueError(f"PNG colour type {colour_type} is not defined")
    raw = zlib.decompress(idat)
    stride = 1 + (width * CHANNELS[colour_type] * depth + 7) // 8
    filters = frozenset(raw[row * stride] for row in range(height))
    return Encoding(width, height, depth, colour_type, idat[1] >> 6, filters)
