"""Symbols of the register layers: the workflow state shows at a glance.

Drafts are drawn orange, submitted changes blue, rejected ones red and
published ones in the register's own colour, so that a clerk sees what is
still waiting. Published copies (for comparison) are drawn as a dashed
outline only.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)

from zhytomyr_gis.registers import STATUS_LABELS

STATUS_COLOURS = {"draft": "#f39c12", "submitted": "#2e86de", "rejected": "#d63031"}
REGISTER_COLOURS = {
    "property": "#6ab04c",
    "investment": "#8e44ad",
    "planning": "#e1b12c",
    "advertising": "#c0392b",
    "energy": "#16a085",
    "budget": "#2c3e50",
    "admin": "#7f8c8d",
}


def _symbol(geometry_type: int, colour: str) -> QgsSymbol:
    if geometry_type == QgsWkbTypes.PointGeometry:
        return QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "size": "2.6", "outline_color": "#222222"}
        )
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsLineSymbol.createSimple({"color": colour, "width": "0.5"})
    return QgsFillSymbol.createSimple(
        {"color": colour + "66", "outline_color": colour, "outline_width": "0.5", "style": "solid"}
    )


def status_renderer(layer: QgsVectorLayer, department: str) -> QgsCategorizedSymbolRenderer | None:
    if not layer.isSpatial():
        return None
    geometry_type = layer.geometryType()
    categories = []
    for status, (label_uk, _en) in STATUS_LABELS.items():
        colour = STATUS_COLOURS.get(status, REGISTER_COLOURS.get(department, "#7f8c8d"))
        categories.append(QgsRendererCategory(status, _symbol(geometry_type, colour), label_uk))
    return QgsCategorizedSymbolRenderer("status", categories)


def published_renderer(layer: QgsVectorLayer):
    """A dashed outline (or hollow marker) to compare with the working copy."""
    from qgis.core import QgsSingleSymbolRenderer

    geometry_type = layer.geometryType()
    if geometry_type == QgsWkbTypes.PointGeometry:
        symbol = QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "0,0,0,0", "size": "4", "outline_color": "#111111", "outline_style": "dash"}
        )
    elif geometry_type == QgsWkbTypes.LineGeometry:
        symbol = QgsLineSymbol.createSimple({"color": "#111111", "width": "0.4", "line_style": "dash"})
    else:
        symbol = QgsFillSymbol.createSimple(
            {"color": "0,0,0,0", "outline_color": "#111111", "outline_width": "0.4", "outline_style": "dash"}
        )
    return QgsSingleSymbolRenderer(symbol)
