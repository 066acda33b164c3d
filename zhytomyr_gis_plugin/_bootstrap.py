"""Makes the Qt-free core package ``zhytomyr_gis`` importable inside QGIS,
and forgets it again when the plugin is unloaded.

The core is one package used by the command line, the tests, the server
side and this plugin, so it keeps its own name everywhere. The plugin zip
(``make package``) carries it, with the pure-Python libraries it needs
(pgserviceparser), under ``zhytomyr_gis_plugin/vendor/``; that folder goes
to the end of sys.path so that a copy installed system-wide still wins
and nothing the plugin brings shadows QGIS's own packages. A working copy
linked into a profile (``make install-plugin``) finds the core in the
repository beside the plugin folder instead.

QGIS's unloadPlugin() removes only the modules of the plugin's own package
(``zhytomyr_gis_plugin.*``). The packages made importable here are other
top-level packages, so ``forget_core`` removes them and their folders from
sys.path: after an unload nothing of the plugin stays loaded, and loading
it again (an upgrade through the plugin manager) imports the new core
rather than keeping the old one.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PLUGIN_DIR / "vendor"

# Top-level package -> the folder this module appended to sys.path for it.
# Packages found without help (the tests, a system-wide install) are not
# listed, so unloading never removes what someone else imported.
_PROVIDED: dict[str, Path] = {}


def _append(folder: Path, package: str) -> None:
    if str(folder) not in sys.path:
        sys.path.append(str(folder))
    _PROVIDED[package] = folder


def make_core_importable() -> None:
    for folder in (VENDOR_DIR, PLUGIN_DIR.parent):
        if (folder / "zhytomyr_gis" / "__init__.py").exists() and importlib.util.find_spec("zhytomyr_gis") is None:
            _append(folder, "zhytomyr_gis")
    if VENDOR_DIR.is_dir():
        spec = importlib.util.find_spec("pgserviceparser")
        if spec is None or (spec.origin and Path(spec.origin).resolve().is_relative_to(VENDOR_DIR)):
            _append(VENDOR_DIR, "pgserviceparser")


def _is_under(module, folder: Path) -> bool:
    path = getattr(module, "__file__", None)
    return bool(path) and Path(path).resolve().is_relative_to(folder)


def forget_core() -> list[str]:
    """Remove the packages made importable above (modules and sys.path entries); returns the module names."""
    forgotten = []
    for package, folder in _PROVIDED.items():
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            if _is_under(sys.modules[name], folder):
                del sys.modules[name]
                forgotten.append(name)
    for folder in set(_PROVIDED.values()):
        while str(folder) in sys.path:
            sys.path.remove(str(folder))
    _PROVIDED.clear()
    return forgotten
