"""The committed projects are what the builder makes from the catalog
(zhytomyr_gis/publishing/catalog.py): regenerate them with `make projects`
after changing the catalog, the registers or the builder."""

from __future__ import annotations

import difflib
import sys

from conftest import ROOT

from .conftest import _run


def test_committed_projects_equal_a_fresh_build(public_server):
    out = public_server.run_dir / "fresh-projects"
    _run([sys.executable, "-m", "zhytomyr_gis.publishing", "build", "--out", str(out)], public_server.env())
    committed = sorted((ROOT / "projects").glob("*.qgs"))
    built = sorted(out.glob("*.qgs"))
    assert [p.name for p in built] == [p.name for p in committed]
    for fresh, kept in zip(built, committed, strict=True):
        new, old = fresh.read_text(encoding="utf-8"), kept.read_text(encoding="utf-8")
        if new != old:
            diff = "".join(
                list(difflib.unified_diff(old.splitlines(True), new.splitlines(True), str(kept), str(fresh)))[:60]
            )
            raise AssertionError(f"{kept.name} differs from a fresh build (make projects):\n{diff}")
