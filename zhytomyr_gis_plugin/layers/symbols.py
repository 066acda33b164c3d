"""Symbols of the register layers: the workflow state shows at a glance.

Drafts are drawn orange, submitted changes blue, rejected ones red and
published ones in the register's own colour, so that a clerk sees what is
still waiting. Published copies (for comparison) are drawn as a dashed
outline only; reference layers of other departments quietly in grey, so
that the department's own records stand out. Street names and the names
of the department's records are labelled when zoomed in.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)

from zhytomyr_gis.registers import STATUS_LABELS

STATUS_COLOURS = {"draft": "#f39c12", "submitted": "#2e86de", "rejected": "#d63031"}
REGISTER_COLOURS = {
    "property": "#6ab04c",
    "investment": "#8e44ad",
    "planning": "#e1b12c",
    "advertising": "#795548",  # not red: red means rejected
    "energy": "#16a085",
    "budget": "#2c3e50",
    "admin": "#7f8c8d",
}


# Labels show from this scale (1:N) on, closer in: a district-wide view stays readable.
LABEL_SCALE = 12_000
FILL_ALPHA = 102  # 40 % opaque


def translucent(colour: str, alpha: int = FILL_ALPHA) -> str:
    """ "#rrggbb" as the "r,g,b,a" QGIS reads: "#rrggbbaa" would be read as #aarrggbb."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{alpha}"


def _symbol(geometry_type: int, colour: str, rejected: bool = False) -> QgsSymbol:
    # A rejected record also differs in shape (a cross, a hatch, a dashed line),
    # so that it never passes for a published one whatever the register's colour.
    if geometry_type == QgsWkbTypes.PointGeometry:
        shape = "cross_fill" if rejected else "circle"
        return QgsMarkerSymbol.createSimple(
            {"name": shape, "color": colour, "size": "3.2" if rejected else "2.6", "outline_color": "#222222"}
        )
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsLineSymbol.createSimple(
            {"color": colour, "width": "0.5", "line_style": "dash" if rejected else "solid"}
        )
    return QgsFillSymbol.createSimple(
        {
            "color": colour if rejected else translucent(colour),
            "outline_color": colour,
            "outline_width": "0.5",
            "style": "b_diagonal" if rejected else "solid",
        }
    )


def status_renderer(layer: QgsVectorLayer, department: str) -> QgsCategorizedSymbolRenderer | None:
    if not layer.isSpatial():
        return None
    geometry_type = layer.geometryType()
    categories = []
    for status, (label_uk, _en) in STATUS_LABELS.items():
        colour = STATUS_COLOURS.get(status, REGISTER_COLOURS.get(department, "#7f8c8d"))
        symbol = _symbol(geometry_type, colour, rejected=status == "rejected")
        categories.append(QgsRendererCategory(status, symbol, label_uk))
    return QgsCategorizedSymbolRenderer("status", categories)


def published_renderer(layer: QgsVectorLayer):
    """A dashed outline (or hollow marker) to compare with the working copy."""
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


REFERENCE_SYMBOLS = {
    "ref.city_boundary": {"color": "0,0,0,0", "outline_color": "#4b4b4b", "outline_width": "0.9"},
    "ref.district": {"color": "0,0,0,0", "outline_color": "#8a8a8a", "outline_width": "0.5", "outline_style": "dash"},
    "ref.street": {"color": "#9a9a9a", "width": "0.7"},
    "ref.address": {"name": "circle", "color": "#b0b0b0", "size": "1.2", "outline_color": "#808080"},
}


def reference_renderer(layer: QgsVectorLayer, table: str) -> QgsSingleSymbolRenderer | None:
    """Grey, unobtrusive symbols for a read-only reference layer."""
    properties = REFERENCE_SYMBOLS.get(table)
    if properties is None or not layer.isSpatial():
        return None
    geometry_type = layer.geometryType()
    if geometry_type == QgsWkbTypes.PointGeometry:
        return QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(properties))
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(properties))
    return QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(properties))


def labels(layer: QgsVectorLayer, expression: str, size: float = 8.0) -> None:
    """Label the layer's features with an expression, from LABEL_SCALE closer in."""
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    text = QgsTextFormat()
    text.setSize(size)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    text.setBuffer(buffer)
    settings.setFormat(text)
    if layer.geometryType() == QgsWkbTypes.LineGeometry:
        settings.placement = QgsPalLayerSettings.Curved
    settings.scaleVisibility = True
    settings.minimumScale = LABEL_SCALE  # the most zoomed-out scale at which labels show
    settings.maximumScale = 0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
