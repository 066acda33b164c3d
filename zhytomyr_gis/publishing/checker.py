"""Audits a project file before it is served to the public.

A project is refused when a layer is invalid, a data source carries a
credential or reads anything but a published table, a layer lacks a title
or an abstract, or a layer is writable through WFS-T. The file checks read
the XML only (no QGIS needed); the layer validity check opens the project
with qgis.core, imported only when asked for.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .access import source_table
from .catalog import SERVICE

CREDENTIAL_KEYS = ("password", "passwd", "pwd", "user", "username", "authcfg", "host", "hostaddr", "port")
_KEY_RE = re.compile(r"(?:^|\s)(\w+)\s*=")
_TABLE_RE = re.compile(r'table="([^"]+)"\."([^"]+)"')
_SQL_RE = re.compile(r"\bsql=(.*)$", re.S)
_SERVICE_RE = re.compile(r"service='?([\w-]+)'?")


@dataclass(frozen=True)
class Problem:
    project: str
    layer: str  # layer name, or "" for the project as a whole
    rule: str  # invalid_layer | credential | no_title | no_abstract | writable | outside_published | ...
    message: str

    def __str__(self) -> str:
        where = f"{self.project}: layer {self.layer!r}" if self.layer else self.project
        return f"{where}: [{self.rule}] {self.message}"


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _list_entry(root: ET.Element, path: str) -> list[str]:
    node = root.find(f"properties/{path}")
    if node is None:
        return []
    return [(v.text or "").strip() for v in node.findall("value") if (v.text or "").strip()]


def check_source(provider: str, source: str) -> list[tuple[str, str]]:
    """(rule, message) for everything wrong with one layer's data source."""
    problems: list[tuple[str, str]] = []
    if provider != "postgres":
        return [("outside_published", f"provider {provider!r}: only PostGIS tables of schema published are served")]
    keys = {k.lower() for k in _KEY_RE.findall(source.split(" sql=")[0])}
    found = sorted(keys & set(CREDENTIAL_KEYS))
    if found:
        problems.append(
            ("credential", f"the data source names {', '.join(found)}; use service={SERVICE} and a pgpass file")
        )
    service = _SERVICE_RE.search(source)
    if not service or service.group(1) != SERVICE:
        problems.append(("no_service", f"the data source must use service={SERVICE}"))
    table = _TABLE_RE.search(source)
    if not table:
        problems.append(("outside_published", "the data source names no table (a query?)"))
    elif source_table(table.group(1), table.group(2)) is None:
        problems.append(
            ("outside_published", f"{table.group(1)}.{table.group(2)} is not a published table (schema published)")
        )
    sql = _SQL_RE.search(source)
    if sql and sql.group(1).strip():
        problems.append(("outside_published", "a filter (sql=) on a published layer is not allowed"))
    return problems


def check_file(path: Path) -> list[Problem]:
    """Problems found in the XML of one .qgs file (no QGIS needed)."""
    name = path.name
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        return [Problem(name, "", "unreadable", f"cannot read the project: {exc}")]
    problems: list[Problem] = []
    layers = root.findall(".//projectlayers/maplayer")
    if not layers:
        problems.append(Problem(name, "", "no_layers", "the project has no layers"))
    text = path.read_text(encoding="utf-8", errors="replace")
    if re.search(r"password\s*=", text, re.I):
        problems.append(Problem(name, "", "credential", "the file contains a password"))
    for layer in layers:
        layer_name = _text(layer, "layername") or _text(layer, "id")
        for rule, message in check_source(_text(layer, "provider"), _text(layer, "datasource")):
            problems.append(Problem(name, layer_name, rule, message))
        if not _text(layer, "title"):
            problems.append(Problem(name, layer_name, "no_title", "the layer has no title (WMS/WFS title)"))
        if not _text(layer, "abstract"):
            problems.append(Problem(name, layer_name, "no_abstract", "the layer has no abstract"))
    for operation in ("Update", "Insert", "Delete"):
        writable = _list_entry(root, f"WFSTLayers/{operation}")
        for layer_id in writable:
            problems.append(Problem(name, layer_id, "writable", f"the layer is open to WFS-T {operation}"))
    for key in ("WMSUrl", "WFSUrl", "WMTSUrl"):
        node = root.find(f"properties/{key}")
        if node is None or not (node.text or "").strip():
            problems.append(Problem(name, "", "no_service_url", f"{key} is not set (clients would lose the port)"))
    return problems


def check_validity(path: Path) -> list[Problem]:
    """Opens the project with QGIS and reports layers that cannot be read."""
    from qgis.core import QgsProject  # noqa: PLC0415 - QGIS only when this check is asked for

    project = QgsProject()
    problems: list[Problem] = []
    if not project.read(str(path)):
        return [Problem(path.name, "", "invalid_layer", f"QGIS cannot read the project: {project.error()}")]
    for layer in project.mapLayers().values():
        if not layer.isValid():
            error = layer.error()  # summary() of an empty QgsError crashes QGIS 3.22
            detail = error.summary() if not error.isEmpty() else "the data source is unreachable or missing"
            problems.append(Problem(path.name, layer.name(), "invalid_layer", f"the layer cannot be read: {detail}"))
    project.clear()
    return problems


def check_projects(paths: list[Path], *, validity: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        found = check_file(path)
        if validity and not any(p.rule == "unreadable" for p in found):
            found += check_validity(path)
        problems += found
    return problems
