"""The parts of the documentation that list the published maps, the
departments and the classifiers, written from their declarations
(catalog.PROJECTS, registers.DEPARTMENTS, sql/classifiers) so that a new
map or a new edition of a classifier is one change there.

A generated part sits between two comments in a Markdown file:

    <!-- begin: projects-ids -->`city`, `property`, …<!-- end: projects-ids -->

``python -m zhytomyr_gis.publishing docs`` (part of ``make projects``)
rewrites them; tests/test_docs.py fails while one is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import classifiers, registers
from . import catalog

ROOT = Path(__file__).resolve().parent.parent.parent
# Files with generated parts (relative to the repository).
FILES = ("README.md", "qgis_server/README.md", "docs/uk/guide.md")


def _ids() -> str:
    return ", ".join(f"`{p.id}`" for p in catalog.PROJECTS)


def _table_uk() -> str:
    rows = ["| Назва | Що містить |", "|---|---|"]
    rows += [f"| `{p.id}` | {p.title_uk} |" for p in catalog.PROJECTS]
    return "\n" + "\n".join(rows) + "\n"


def _table_en() -> str:
    rows = ["| id | map |", "|---|---|"]
    rows += [f"| `{p.id}` | {p.title_en} |" for p in catalog.PROJECTS]
    return "\n" + "\n".join(rows) + "\n"


def _departments() -> str:
    return ", ".join(f"`{code}`" for code in registers.STAFF_DEPARTMENTS)


def _classifiers_uk() -> str:
    rows = ["| Класифікатор | Таблиця | Джерело | Кодів |", "|---|---|---|---|"]
    for c in sorted(classifiers.read(), key=lambda c: c.source.title_uk):
        rows.append(f"| {c.source.title_uk} | `{c.table}` | {c.source.citation} | {len(c.codes)} |")
    return "\n" + "\n".join(rows) + "\n"


RENDERERS = {
    "classifiers-table-uk": _classifiers_uk,
    "departments-ids": _departments,
    "projects-ids": _ids,
    "projects-table-uk": _table_uk,
    "projects-table-en": _table_en,
}
_PART = re.compile(r"(<!-- begin: ([a-z-]+) -->)(.*?)(<!-- end: \2 -->)", re.S)


class DocsError(ValueError):
    """A generated part names no known renderer."""


def render(text: str, where: str = "") -> str:
    """``text`` with every generated part written anew."""

    def part(m: re.Match) -> str:
        name = m.group(2)
        if name not in RENDERERS:
            raise DocsError(f"{where}: unknown generated part '{name}' (known: {', '.join(RENDERERS)})")
        return m.group(1) + RENDERERS[name]() + m.group(4)

    return _PART.sub(part, text)


def outdated(root: Path = ROOT) -> list[str]:
    """The files whose generated parts differ from the declarations."""
    stale = []
    for name in FILES:
        text = (root / name).read_text(encoding="utf-8")
        if render(text, name) != text:
            stale.append(name)
    return stale


def write(root: Path = ROOT) -> list[str]:
    """Rewrite the generated parts; returns the files changed."""
    changed = []
    for name in FILES:
        path = root / name
        text = path.read_text(encoding="utf-8")
        new = render(text, name)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed
