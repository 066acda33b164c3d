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
    QgsLayoutObject,
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

MAP_ITEM = "map0"  # GetPrint's map0:EXTENT, map0:LAYERS ... address this item
TITLE_ITEM = "title"  # GetPrint's title=... replaces its text
QR_FUNCTION = "zgis_print_qr"
# The last approval among the project's published layers (the server plugin's
# function: QGIS 3.22's aggregate() finds no layer of a project in QGIS Server).
APPROVAL_FUNCTION = "zgis_last_approval"
PROJECT_CRS = "EPSG:9836"  # the layers' CRS (builder.PROJECT_CRS)
NORTH_ARROW_SVG = "/usr/share/qgis/svg/arrows/NorthArrow_11.svg"
MARGIN = catalog.PRINT_MARGIN
FONT = "DejaVu Sans"

EXTRACT_LAYERS = catalog.PRINT_EXTRACTS
EXTRACT_MAP_WIDTH = 130.0  # mm: a square object's map ends above the footer
DISCLAIMER_UK = (
    "Дані є довідковими і не замінюють офіційних документів. Відкриті дані, CC BY 4.0, " "Житомирська міська рада."
)


def layout_names(spec: Project) -> list[str]:
    """The GetPrint templates a project offers."""
    names = list(catalog.PRINT_TEMPLATES)
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
    item.zoomToExtent(QgsRectangle(*catalog.CITY_EXTENT))  # setExtent would resize the item to the extent
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
    _label(layout, scale, x, y + 11, 60, 5, 8, item_id="scale")


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


def map_layout(qp, spec: Project, paper: str, orientation: str, demo_note) -> None:
    template = f"{paper}-{orientation}"
    width, height = catalog.print_page_size(template)
    map_w, map_h = catalog.print_map_size(template)
    layout = QgsPrintLayout(qp)
    layout.setName(template)
    layout.setUnits(QgsUnitTypes.LayoutMillimeters)
    _page(layout, width, height)
    inner = width - 2 * MARGIN
    _label(layout, f"{spec.title_uk}", MARGIN, MARGIN, inner - 25, 12, 16, bold=True, item_id=TITLE_ITEM)
    top = MARGIN + catalog.PRINT_TITLE_HEIGHT
    map_item = _map(layout, MARGIN, top, map_w, map_h)
    _picture(layout, NORTH_ARROW_SVG, MARGIN + map_w - 14, top + 2, 12, "north")
    if orientation == "landscape":  # legend to the right of the map
        _legend(layout, map_item, MARGIN + map_w + 4, top, catalog.PRINT_SIDE_LEGEND - 4, map_h)
    else:  # portrait: legend under the map
        _legend(layout, map_item, MARGIN, top + map_h + 3, inner, catalog.PRINT_BOTTOM_LEGEND - 5)
    bottom = height - MARGIN - catalog.PRINT_FOOTER_HEIGHT + 2
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
    width, height = catalog.PRINT_PAPERS["a4"]
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
    # The attributes first, the map under them: QGIS Server 3.22 gives an
    # atlas map the shape of the object (its width stays, its height follows).
    map_top = MARGIN + 112
    map_w = EXTRACT_MAP_WIDTH
    map_item = _map(layout, MARGIN, map_top, map_w, map_w)
    if reg.geometry == "Point":
        # A point has no extent for the atlas to fit: the map shows 80 m around it.
        area = f"transform(buffer(@atlas_geometry, 40), '{PROJECT_CRS}', @map_crs)"
        for prop, function in (
            (QgsLayoutObject.MapXMin, "x_min"),
            (QgsLayoutObject.MapYMin, "y_min"),
            (QgsLayoutObject.MapXMax, "x_max"),
            (QgsLayoutObject.MapYMax, "y_max"),
        ):
            map_item.dataDefinedProperties().setProperty(prop, QgsProperty.fromExpression(f"{function}({area})"))
    else:
        map_item.setAtlasDriven(True)
        map_item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
        map_item.setAtlasMargin(1.5)  # the object and its neighbours
    _picture(layout, NORTH_ARROW_SVG, MARGIN + map_w - 14, map_top + 2, 12, "north")
    _scale(layout, map_item, MARGIN + map_w + 5, map_top)
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
    _label(layout, "\n".join(rows), MARGIN, MARGIN + 19, inner, 92, 8, item_id="attributes")
    bottom = height - MARGIN - 28
    _footer(layout, MARGIN, bottom, inner - 30, demo_note)
    _picture(layout, f"{QR_FUNCTION}()", width - MARGIN - 26, bottom - 2, 26, "qr", expression=True)
    qp.layoutManager().addLayout(layout)


def add_print_layouts(qp, spec: Project, layers: dict[str, QgsVectorLayer], demo_note: str | None) -> None:
    """All layouts of one project (see the module's description)."""
    for template in catalog.PRINT_TEMPLATES:
        paper, orientation = template.split("-")
        map_layout(qp, spec, paper, orientation, demo_note)
    spatial = {layer.name: layers[layer.name] for layer in spec.layers}
    for layer in spec.layers:
        if layer.name in EXTRACT_LAYERS:
            extract_layout(qp, spec, spatial, layer.name, demo_note)
    # GetPrint prints one atlas feature per request (the extract).
    qp.writeEntry("WMSMaxAtlasFeatures", "/", 1)
