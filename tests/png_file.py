"""How a PNG file was encoded: colour type, zlib level class and row filters (read from its chunks)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # bytes a pixel at 8 bits, by colour type


@dataclass(frozen=True)
class Encoding:
    width: int
    height: int
    bit_depth: int
    colour_type: int  # 6 RGBA, 2 RGB, 3 palette
    zlib_level_class: int  # FLEVEL of the zlib header: 0 fastest (level 0-1), 1 fast, 2 default (6), 3 maximum
    row_filters: frozenset[int]  # 0 none, 1 sub, 2 up, 3 average, 4 Paeth


def read(png: bytes) -> Encoding:
    assert png[:8] == SIGNATURE, "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None and idat, "PNG without IHDR or IDAT"
    width, height, depth, colour_type = header[:4]
    raw = zlib.decompress(idat)
    stride = 1 + (width * CHANNELS[colour_type] * depth + 7) // 8
    filters = frozenset(raw[row * stride] for row in range(height))
    return Encoding(width, height, depth, colour_type, idat[1] >> 6, filters)
