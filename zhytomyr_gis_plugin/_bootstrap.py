"""Makes the Qt-free core package ``zhytomyr_gis`` importable inside QGIS.

The core is one package used by the command line, the tests, the server
side and this plugin, so it keeps its own name everywhere. The plugin zip
(``make package``) carries it, with the pure-Python libraries it needs
(pgserviceparser), under ``zhytomyr_gis_plugin/vendor/``; that folder goes
to the end of sys.path so that a copy installed system-wide still wins
and nothing the plugin brings shadows QGIS's own packages. A working copy
linked into a profile (``make install-plugin``) finds the core in the
repository beside the plugin folder instead.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PLUGIN_DIR / "vendor"


def make_core_importable() -> None:
    candidates = [VENDOR_DIR, PLUGIN_DIR.parent]
    for folder in candidates:
        if (folder / "zhytomyr_gis" / "__init__.py").exists() and str(folder) not in sys.path:
            if importlib.util.find_spec("zhytomyr_gis") is None:
                sys.path.append(str(folder))
    if VENDOR_DIR.is_dir() and importlib.util.find_spec("pgserviceparser") is None:
        sys.path.append(str(VENDOR_DIR))
