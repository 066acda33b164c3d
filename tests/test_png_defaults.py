"""The PNG encoder defaults preloaded into QGIS Server (qgis_server/png/pngdefaults.c).

Each case runs Qt's own PNG writer in a fresh Python with the library
preloaded, as the QGIS Server workers run it, and reads back what was written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhytomyr_gis.publishing import png_encoding

ROOT = Path(__file__).resolve().parents[1]

# Draws a map-like image (antialiased semi-transparent fills, lines, text on a
# transparent background), writes it as PNG with Qt in the ways QGIS does,
# reads each file back and reports whether the pixels survived.
WRITER = r"""
import json, os, sys
if sys.argv[2:] == ["swap-environment"]:
    # As QGIS Server's FastCGI library does for each request: the process
    # environment is replaced after start (by the request's, without the
    # worker's settings) before any PNG is written.
    os.environ.pop("ZGIS_PNG_ZLIB_LEVEL")
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen, QPolygonF
app = QGuiApplication([])
img = QImage(512, 384, QImage.Format_ARGB32_Premultiplied)
img.fill(0)
p = QPainter(img)
p.setRenderHint(QPainter.Antialiasing)
for i in range(40):
    p.setBrush(QColor(40 + 5 * i, 120, 200 - 4 * i, 90 + 3 * i))
    p.setPen(QPen(QColor("#333333"), 0.7))
    corners = [(10 + 12 * i, 20 + 7 * i), (60 + 11 * i, 15 + 8 * i), (40 + 12 * i, 90 + 6 * i)]
    p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))
p.setFont(QFont("DejaVu Sans", 9))
p.setPen(QColor("#202020"))
p.drawText(QRectF(20, 300, 400, 40), Qt.AlignLeft, "Житомир, вулиця Київська 12")
p.end()

def write(image, quality=-1):
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    assert image.save(buffer, "PNG", quality)
    return bytes(data)

def same_pixels(image, png):
    back = QImage.fromData(png, "PNG")
    a = image.convertToFormat(QImage.Format_ARGB32)
    b = back.convertToFormat(QImage.Format_ARGB32)
    return a == b

out = {}
for name, image, quality in (
    ("default", img, -1),
    ("explicit_quality_0", img, 0),
    ("palette", img.convertToFormat(QImage.Format_Indexed8), -1),
):
    png = write(image, quality)
    open(sys.argv[1] + "/" + name + ".png", "wb").write(png)
    out[name] = same_pixels(image, png)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("png-defaults")
    result = subprocess.run(
        [str(ROOT / "tools" / "server.sh"), "png-defaults", str(run)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def _write(tmp_path: Path, preload: Path | None, level: str | None = None, *extra: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LD_PRELOAD", None)
    env.pop("ZGIS_PNG_ZLIB_LEVEL", None)
    if preload:
        env["LD_PRELOAD"] = str(preload)
    if level is not None:
        env["ZGIS_PNG_ZLIB_LEVEL"] = level
    result = subprocess.run(
        [sys.executable, "-c", WRITER, str(tmp_path), *extra], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return {
        "pixels_kept": json.loads(result.stdout.strip().splitlines()[-1]),
        **{
            name: png_encoding.read((tmp_path / f"{name}.png").read_bytes())
            for name in ("default", "explicit_quality_0", "palette")
        },
    }


def test_without_the_library_qt_filters_rows_at_zlib_default(tmp_path):
    written = _write(tmp_path, None)
    default = written["default"]
    assert default.colour_type == 6 and default.zlib_level_class == 2
    assert default.row_filters - {0}, "Qt's default writer filters rows (this is what the library changes)"


def test_the_library_writes_unfiltered_rows_at_the_fast_level_with_the_same_pixels(tmp_path, library):
    written = _write(tmp_path, library)
    default = written["default"]
    assert (default.width, default.height, default.colour_type) == (512, 384, 6)
    assert default.row_filters == {0}
    assert default.zlib_level_class == 0  # zlib level 1
    assert written["pixels_kept"]["default"], "the decoded image differs from the drawn one"
    # Files stay about the size of Qt's own (on the city's maps they are smaller).
    qt_folder = tmp_path / "qt"
    qt_folder.mkdir()
    _write(qt_folder, None)
    assert (tmp_path / "default.png").stat().st_size <= 1.25 * (qt_folder / "default.png").stat().st_size


def test_an_explicit_level_and_palette_images_are_respected(tmp_path, library):
    written = _write(tmp_path, library)
    explicit = written["explicit_quality_0"]  # Qt maps quality 0 to zlib level 9
    assert explicit.zlib_level_class == 3
    assert written["pixels_kept"]["explicit_quality_0"]
    palette = written["palette"]
    assert palette.colour_type == 3 and palette.row_filters == {0}
    assert written["pixels_kept"]["palette"]


def test_the_level_follows_the_environment(tmp_path, library):
    assert _write(tmp_path, library, level="6")["default"].zlib_level_class == 2
    # Read when the worker starts: a request's environment (FastCGI) does not change it.
    assert _write(tmp_path, library, "6", "swap-environment")["default"].zlib_level_class == 2
    # A value that is not a level keeps the default rather than breaking the writer.
    assert _write(tmp_path, library, level="fast")["default"].zlib_level_class == 0
