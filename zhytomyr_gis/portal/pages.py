"""Deployment-time additions to the built pages (``portal/dist``).

The pages carry an empty ``<script id="zgis-boot" type="application/json">``;
the deployment writes into it what their first inline script needs to ask for
the start view's tiles while the application is still loading
(``config.boot``), so no request waits for another one before the tiles.
"""

from __future__ import annotations

import json
from pathlib import Path

PLACEHOLDER = '<script id="zgis-boot" type="application/json">null</script>'


def script_json(data: object) -> str:
    """JSON that cannot close the <script> element it is written into."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "<\/" and "\u003c" are the same characters to a JSON reader, never markup to the HTML parser.
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def inline_boot(pages_dir: Path, data: dict) -> list[Path]:
    """Write ``data`` into the boot placeholder of every page of ``pages_dir``; the pages changed."""
    element = f'<script id="zgis-boot" type="application/json">{script_json(data)}</script>'
    changed = []
    for page in sorted(pages_dir.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        if PLACEHOLDER in html:
            page.write_text(html.replace(PLACEHOLDER, element), encoding="utf-8")
            changed.append(page)
    return changed
