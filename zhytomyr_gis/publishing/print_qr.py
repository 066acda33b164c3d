"""The QR code printed on maps: the address of the geoportal view they show.

QGIS 3.22 layouts have no QR item, so the layouts' picture item asks the
expression function ``zgis_print_qr()`` (registered by the server plugin)
for a picture; it is an SVG that ``segno`` writes here. Pure Python, no Qt.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

_FOLDER = Path(tempfile.gettempdir()) / "zhytomyr-gis-print-qr"


def qr_svg(url: str, folder: Path = _FOLDER) -> Path:
    """An SVG QR code of ``url`` (error correction M, black on white), made once per address."""
    import segno  # noqa: PLC0415 - Debian's python3-segno, only the server's workers need it

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.svg"
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        segno.make(url, error="m", micro=False).save(str(temporary), kind="svg", scale=4, border=2)
        temporary.replace(path)
    return path
