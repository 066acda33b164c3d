"""The tile cache's WSGI application: MapProxy, which serves a tile it cannot store.

MapProxy 7 answers 500 when its file cache cannot write a tile (a full or
read-only disk), although the tile is drawn and in memory. Here storing
degrades to a warning: the tile is sent uncached (drawn again by QGIS Server
on the next request) and the log says why, at most once a minute. Nothing
half-written can be served: MapProxy writes a tile into a temporary file and
renames it (``mapproxy.util.fs.write_atomic``), and removes the temporary
file when writing fails.

    gunicorn --pythonpath RUN_DIR/python "zhytomyr_gis.publishing.tiles_app:make_app('mapproxy.yaml')"

Only MapProxy and the standard library are imported: it runs in MapProxy's
own environment (requirements-tiles.txt).
"""

from __future__ import annotations

import errno
import logging
import time

# A child of gunicorn's error log: the warning lands in the tile cache's log file.
log = logging.getLogger("gunicorn.error.zhytomyr_gis_tiles")
# Errors of the disk, not of the tile: serve uncached.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}
WARN_EVERY_S = 60.0
_last_warning = [0.0]


def _store_or_warn(original):
    def store_tile(self, tile, dimensions=None):
        try:
            return original(self, tile, dimensions=dimensions)
        except OSError as exc:
            if exc.errno not in DISK_ERRORS:
                raise
            now = time.monotonic()
            if now - _last_warning[0] >= WARN_EVERY_S:
                _last_warning[0] = now
                log.warning("unable to store tiles in %s (%s): serving them uncached", self.cache_dir, exc.strerror)
            return False

    return store_tile


def make_app(config: str):
    from mapproxy.cache.file import FileCache  # noqa: PLC0415 - MapProxy's environment only
    from mapproxy.wsgiapp import make_wsgi_app  # noqa: PLC0415

    if not getattr(FileCache.store_tile, "_zgis_disk_errors_warned", False):
        FileCache.store_tile = _store_or_warn(FileCache.store_tile)
        FileCache.store_tile._zgis_disk_errors_warned = True
    logging.basicConfig(
        level=logging.WARNING, format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"
    )
    return make_wsgi_app(config)
