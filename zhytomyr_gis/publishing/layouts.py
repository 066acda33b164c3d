"""Print layouts of the published projects, for QGIS Server's GetPrint.

Every project gets four map layouts (``a4-portrait``, ``a4-landscape``,
``a3-portrait``, ``a3-landscape``): title, the map (``map0``), legend of
the layers shown, scale bar and numeric scale, north arrow, the date of
printing, the date of the data's last approval, the city's disclaimer and a
QR code of the geoportal view the map was printed from. Projects whose
layers describe single objects (a parcel, a property, an advertising
structure, an investment site) also get a one-page extract per such layer
(``extract-<layer>``), an atlas over the layer: the object and its
neighbours on the map, its public attributes, cadastral number and the
date it was approved. GetPrint chooses the object with ``ATLAS_PK``.

QGIS 3.22 has no QR code item: the QR is a picture item whose source is the
expression ``zgis_print_qr()``, a function the server plugin registers and
answers with an SVG it makes (``segno``) from the request's ``PERMALINK``.
Texts that the request may replace (the title) are plain-text labels.
"""

from __future__ import annotations

from qgis.core import (
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProperty,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont

from . import catalog
from .catalog import Project

# Paper sizes in millimetres (ISO 216).
PAPERS = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
ORIENTATIONS = ("portrait", "landscape")
MAP_ITEM = "map0"  # GetPrint's map0:EXTENT, map0:LAYERS ... address this item
TITLE_ITEM = "title"  # GetPrint's title=... replaces its text
QR_FUNCTION = "zgis_print_qr"
# The last approval among the project's published layers (the server plugin's
# function: QGIS 3.22's aggregate() finds no layer of a project in QGIS Server).
APPROVAL_FUNCTION = "zgis_last_approval"
NORTH_ARROW_SVG = "/usr/share/qgis/svg/arrows/NorthArrow_11.svg"
MARGIN = 10.0
FONT = "DejaVu Sans"

# Layers printed as one-object extracts, and the field shown as the object's name.
EXTRACT_LAYERS = {
    "property_land_parcel": "cadastral_number",
    "property_property_object": "registry_id",
    "advertising_structure": "structure_code",
    "investment_site": "site_code",
}
DISCLAIMER_UK = (
    "Дані є довідковими і не замінюють офіційних документів. Відкриті дані, CC BY 4.0, " "Житомирська міська рада."
)


def layout_names(spec: Project) -> list[str]:
    """The GetPrint templates a project offers."""
    names = [f"{paper}-{orientation}" for paper in PAPERS for orientation in ORIENTATIONS]
    names += [f"extract-{layer.name}" for layer in spec.layers if layer.name in EXTRACT_LAYERS]
    return names


def _mm(value: float) -> QgsLayoutMeasurement:
    return QgsLayoutMeasurement(value, QgsUnitTypes.LayoutMillimeters)


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _label(layout, text: str, x: float, y: float, w: float, h: float, size: float = 8, bold: bool = False, item_id=""):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    label.setFont(_font(size, bold))
    label.setMode(QgsLayoutItemLabel.ModeFont)  # plain text: a request's text never becomes markup
    label.setVAlign(Qt.AlignTop)
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    if item_id:
        label.setId(item_id)
    layout.addLayoutItem(label)
    return label


def _page(layout, width: float, height: float) -> None:
    page = QgsLayoutItemPage(layout)
    page.setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    layout.pageCollection().addPage(page)


def _map(layout, x, y, w, h) -> QgsLayoutItemMap:
    item = QgsLayoutItemMap(layout)
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    # No preset CRS: GetPrint draws the map in the request's CRS.
    item.setExtent(QgsRectangle(*catalog.CITY_EXTENT))
    item.setFrameEnabled(True)
    item.setId(MAP_ITEM)
    layout.addLayoutItem(item)
    return item


def _legend(layout, map_item, x, y, w, h) -> QgsLayoutItemLegend:
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("Умовні позначення")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)  # only what the printed map shows
    legend.setResizeToContents(False)
    legend.setColumnCount(1 if w < 80 else 3)
    legend.setSplitLayer(True)
    legend.setSymbolHeight(3)
    legend.setSymbolWidth(5)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        legend.setStyleFont(style, _font(9 if style == QgsLegendStyle.Title else 7, style == QgsLegendStyle.Title))
    legend.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    legend.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    legend.setId("legend")
    layout.addLayoutItem(legend)
    return legend


def _scale(layout, map_item, x, y) -> None:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("м")
    bar.setNumberOfSegments(3)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(30)
    bar.setMaximumBarWidth(60)
    bar.setFont(_font(7))
    bar.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    bar.setId("scalebar")
    layout.addLayoutItem(bar)
    # The numeric scale as a label: QGIS Server's PDF writes a scale bar's text as
    # outlines, a label's as text a reader can search and copy.
    scale = f"Масштаб 1:[% format_number(item_variables('{MAP_ITEM}')['map_scale'], 0) %]"
    _label(layout, scale, x, y + 9, 60, 5, 8, item_id="scale")


def _picture(layout, path_or_expression: str, x, y, size, item_id: str, expression: bool = False):
    picture = QgsLayoutItemPicture(layout)
    if expression:
        picture.dataDefinedProperties().setProperty(
            QgsLayoutItem.PictureSource, QgsProperty.fromExpression(path_or_expression)
        )
    else:
        picture.setPicturePath(path_or_expression)
    picture.setResizeMode(QgsLayoutItemPicture.Zoom)
    picture.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    picture.attemptResize(QgsLayoutSize(size, size, QgsUnitTypes.LayoutMillimeters))
    picture.setId(item_id)
    layout.addLayoutItem(picture)
    return picture


def _footer(layout, x, y, w, demo_note: str | None) -> None:
    _label(layout, "Дата друку: [% format_date(now(), 'dd.MM.yyyy') %]", x, y, w, 5, 8, item_id="printed")
    approved = f"Дані затверджено станом на: [% format_date({APPROVAL_FUNCTION}(), 'dd.MM.yyyy') %]"
    _label(layout, approved, x, y + 5, w, 5, 8, item_id="approved")
    note = DISCLAIMER_UK + (f" {demo_note.split(' / ')[0]}" if demo_note else "")
    _label(layout, note, x, y + 10, w, 12, 7, item_id="disclaimer")


def map_layout(qp, spec: Project, layers: list[QgsVectorLayer], paper: str, orientation: str, demo_note) -> None:
    short, long_ = PAPERS[paper]
    width, height = (short, long_) if orientation == "portrait" else (long_, short)
    layout = QgsPrintLayout(qp)
    layout.setName(f"{paper}-{orientation}")
    layout.setUnits(QgsUnitTypes.LayoutMillimeters)
    _page(layout, width, height)
    inner = width - 2 * MARGIN
    _label(layout, f"{spec.title_uk}", MARGIN, MARGIN, inner - 25, 12, 16, bold=True, item_id=TITLE_ITEM)
    footer_h = 30.0
    side = 55.0 if orientation == "landscape" else 0.0
    map_h = height - 2 * MARGIN - 14 - footer_h - (0 if side else 45)
    map_item = _map(layout, MARGIN, MARGIN + 14, inner - side, map_h)
    _picture(layout, NORTH_ARROW_SVG, MARGIN + inner - side - 14, MARGIN + 16, 12, "north")
    if side:  # landscape: legend to the right of the map
        _legend(layout, map_item, MARGIN + inner - side + 4, MARGIN + 14, side - 4, map_h)
    else:  # portrait: legend under the map
        _legend(layout, map_item, MARGIN, MARGIN + 14 + map_h + 3, inner - 30, 40)
    bottom = height - MARGIN - footer_h + 2
    _scale(layout, map_item, MARGIN, bottom)
    _footer(layout, MARGIN + 70, bottom, inner - 70 - 30, demo_note)
    _picture(layout, f"{QR_FUNCTION}()", width - MARGIN - 26, bottom - 2, 26, "qr", expression=True)
    qp.layoutManager().addLayout(layout)


def extract_layout(qp, spec: Project, layers: dict[str, QgsVectorLayer], layer_name: str, demo_note) -> None:
    """A one-page A4 extract of one object of ``layer_name`` (atlas over the layer)."""
    from ..registers import register  # noqa: PLC0415

    coverage = layers[layer_name]
    layer_spec = next(layer for layer in spec.layers if layer.name == layer_name)
    reg = register(layer_spec.table)
    width, height = PAPERS["a4"]
    layout = QgsPrintLayout(qp)
    layout.setName(f"extract-{layer_name}")
    layout.setUnits(QgsUnitTypes.LayoutMillimeters)
    _page(layout, width, height)
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setPageNameExpression(f'"{EXTRACT_LAYERS[layer_name]}"')
    inner = width - 2 * MARGIN
    name_field = EXTRACT_LAYERS[layer_name]
    _label(
        layout,
        f'Витяг: {reg.title_uk}\n[% "{name_field}" %]',
        MARGIN,
        MARGIN,
        inner - 30,
        16,
        13,
        bold=True,
        item_id=TITLE_ITEM,
    )
    map_item = _map(layout, MARGIN, MARGIN + 18, inner, 110)
    map_item.setAtlasDriven(True)
    map_item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    map_item.setAtlasMargin(1.5)  # the object and its neighbours
    _picture(layout, NORTH_ARROW_SVG, MARGIN + inner - 14, MARGIN + 20, 12, "north")
    _scale(layout, map_item, MARGIN, MARGIN + 131)
    rows = []
    for f in reg.public_fields:
        if f.name == "id":
            continue
        value = f'represent_value("{f.name}")' if f.widget == "classifier" else f'"{f.name}"'
        if f.widget == "bool":
            value = f"if(\"{f.name}\", 'так', 'ні')"
        elif f.widget == "date":
            value = f"format_date(\"{f.name}\", 'dd.MM.yyyy')"
        rows.append(f"{f.label_uk}: [% coalesce({value}, '—') %]")
    rows.append("Затверджено: [% format_date(\"published_at\", 'dd.MM.yyyy') %]")
    _label(layout, "\n".join(rows), MARGIN, MARGIN + 150, inner, 95, 8, item_id="attributes")
    bottom = height - MARGIN - 28
    _footer(layout, MARGIN, bottom, inner - 30, demo_note)
    _picture(layout, f"{QR_FUNCTION}()", width - MARGIN - 26, bottom - 2, 26, "qr", expression=True)
    qp.layoutManager().addLayout(layout)


def add_print_layouts(qp, spec: Project, layers: dict[str, QgsVectorLayer], demo_note: str | None) -> None:
    """All layouts of one project (see the module's description)."""
    map_layers = [layers[layer.name] for layer in spec.layers]
    for paper in PAPERS:
        for orientation in ORIENTATIONS:
            map_layout(qp, spec, map_layers, paper, orientation, demo_note)
    spatial = {layer.name: layers[layer.name] for layer in spec.layers}
    for layer in spec.layers:
        if layer.name in EXTRACT_LAYERS:
            extract_layout(qp, spec, spatial, layer.name, demo_note)
    # GetPrint prints one atlas feature per request (the extract).
    qp.writeEntry("WMSMaxAtlasFeatures", "/", 1)
