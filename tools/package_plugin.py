#!/usr/bin/env python3
"""Builds the plugin zip that QGIS's plugin manager installs ("Install from ZIP").

Layout inside the zip: one top folder ``zhytomyr_gis_plugin/`` with the
plugin, its metadata.txt (the repository's top-level file), compiled
translations, and ``vendor/`` holding the Qt-free core package
``zhytomyr_gis`` and the pure-Python libraries it needs (pgserviceparser),
which the plugin appends to sys.path at start-up (see _bootstrap.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "zhytomyr_gis_plugin"
SKIP_PARTS = {"__pycache__", "vendor"}
SKIP_SUFFIXES = {".pyc", ".ts"}
VENDORED = ("pgserviceparser",)


def _files(folder: Path, skip_parts=SKIP_PARTS):
    for path in sorted(folder.rglob("*")):
        skipped = set(path.relative_to(folder).parts) & skip_parts or path.suffix in SKIP_SUFFIXES
        if path.is_file() and not skipped:
            yield path


def build(output: Path) -> Path:
    plugin_dir = ROOT / PLUGIN
    if not list((plugin_dir / "i18n").glob("*.qm")):
        raise SystemExit("package: no compiled translations; run `make translations` first")
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files(plugin_dir):
            if path.name == "metadata.txt":
                continue  # a link to the top-level file in the repository
            archive.write(path, f"{PLUGIN}/{path.relative_to(plugin_dir)}")
        archive.write(ROOT / "metadata.txt", f"{PLUGIN}/metadata.txt")
        for path in _files(ROOT / "zhytomyr_gis", {"__pycache__"}):
            archive.write(path, f"{PLUGIN}/vendor/zhytomyr_gis/{path.relative_to(ROOT / 'zhytomyr_gis')}")
        for name in VENDORED:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit(f"package: {name} is not installed (make deps)")
            source = Path(next(iter(spec.submodule_search_locations)))
            # The library's optional Qt6 GUI is not needed (and would not import in QGIS 3).
            for path in _files(source, {"__pycache__", "gui"}):
                archive.write(path, f"{PLUGIN}/vendor/{name}/{path.relative_to(source)}")
    return output


def vendor_into_working_copy() -> None:
    """Copy the vendored libraries into the working copy (for `make install-plugin`)."""
    import shutil

    target = ROOT / PLUGIN / "vendor"
    target.mkdir(exist_ok=True)
    for name in VENDORED:
        source = Path(next(iter(importlib.util.find_spec(name).submodule_search_locations)))
        shutil.rmtree(target / name, ignore_errors=True)
        shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "gui"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / f"{PLUGIN}.zip")
    parser.add_argument("--vendor-only", action="store_true", help="only copy vendored libraries into the working copy")
    args = parser.parse_args()
    if args.vendor_only:
        vendor_into_working_copy()
    else:
        print(build(args.output))
