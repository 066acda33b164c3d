"""GetFeatureInfo as HTML, with every value escaped.

QGIS Server 3.22 writes attribute values into its ``text/html``
GetFeatureInfo answer as they are, so an approved value such as
``<img src=x onerror=...>`` would run as script in a visitor's browser.
The ``zhytomyr_access`` server plugin asks QGIS for the same answer as
``text/xml`` instead and turns it into HTML here: the same table layout as
QGIS's, every name and value escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

HTML_FORMATS = frozenset({"text/html"})
XML_FORMAT = "text/xml"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def html_from_xml(xml: bytes) -> bytes:
    """The HTML page of a GetFeatureInfo ``text/xml`` answer (UTF-8); ValueError when it is not one."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"not a GetFeatureInfo XML answer: {exc}") from exc
    if _local(root.tag) != "GetFeatureInfoResponse":
        raise ValueError(f"not a GetFeatureInfo XML answer: <{_local(root.tag)}>")
    out = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>GetFeatureInfo results</title></head><body>',
    ]
    for layer in root:
        if _local(layer.tag) != "Layer":
            continue
        out.append('<table border="1" width="100%">')
        out.append(f'<tr><th width="25%">Layer</th><td>{escape(layer.get("name", ""))}</td></tr>')
        for feature in layer:
            if _local(feature.tag) != "Feature":
                continue
            out.append('<tr><td colspan="2"><table border="1" width="100%">')
            out.append(f"<tr><th>Feature</th><td>{escape(feature.get('id', ''))}</td></tr>")
            for attribute in feature:
                if _local(attribute.tag) != "Attribute":
                    continue
                name, value = escape(attribute.get("name", "")), escape(attribute.get("value", ""))
                out.append(f"<tr><th>{name}</th><td>{value}</td></tr>")
            out.append("</table></td></tr>")
        out.append("</table><br>")
    out.append("</body></html>\n")
    return "\n".join(out).encode("utf-8")
