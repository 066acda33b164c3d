"""Compressed copies of the files the deployment writes (pages, config.json).

nginx sends ``<file>.br`` or ``<file>.gz`` instead of ``<file>`` to a browser
that takes brotli or gzip (``brotli_static``, ``gzip_static`` in
``qgis_server/portal.conf.in``), compressed once at the highest levels rather
than for every answer at nginx's fast one. ``portal/build.mjs`` makes them for
the built scripts and strings; the pages and config.json get theirs here,
after the deployment has written them (a copy made before would send the page
without its start view's data).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

BROTLI_QUALITY = 11  # the highest: done once per deployment, not per request
GZIP_LEVEL = 9


def write_compressed_copies(path: Path) -> tuple[Path, Path]:
    """Write ``path.br`` and ``path.gz`` next to ``path``; returns them."""
    data = path.read_bytes()
    br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
    br.write_bytes(brotli.compress(data, quality=BROTLI_QUALITY))
    # mtime=0: the same file gives the same bytes (gzip would stamp the time of writing).
    gz.write_bytes(gzip.compress(data, GZIP_LEVEL, mtime=0))
    return br, gz
