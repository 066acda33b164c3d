"""Geometries drawn over the map for a moment (rubber bands): the published
version in grey dashes and the one under review in the department's colour,
or an earlier version from the history. Nothing is added to the project."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from zhytomyr_gis.workspace import WORKSPACE_SRID

PUBLISHED_COLOUR = "#7f8c8d"
# A point alone would zoom to nothing: show at least this much around it (metres).
MIN_EXTENT = 60.0


class GeometryOverlay:
    def __init__(self, canvas):
        self.canvas = canvas
        self.crs = QgsCoordinateReferenceSystem(f"EPSG:{WORKSPACE_SRID}")
        self.bands: list[QgsRubberBand] = []

    def clear(self) -> None:
        for band in self.bands:
            band.reset()
            if self.canvas is not None:
                self.canvas.scene().removeItem(band)
        self.bands = []

    def add(self, wkt: str | None, colour: str, dashed: bool = False, width: int = 2) -> QgsRubberBand | None:
        """Draw one geometry (WKT in the workspace CRS); None for no geometry."""
        if not wkt or self.canvas is None:
            return None
        geometry = QgsGeometry.fromWkt(wkt)
        if geometry.isEmpty():
            return None
        band = QgsRubberBand(self.canvas, geometry.type())
        band.setToGeometry(geometry, self.crs)
        stroke = QColor(colour)
        band.setStrokeColor(stroke)
        fill = QColor(stroke)
        fill.setAlpha(0 if dashed else 70)
        band.setFillColor(fill)
        band.setWidth(width)
        band.setLineStyle(Qt.DashLine if dashed else Qt.SolidLine)
        if geometry.type() == QgsWkbTypes.PointGeometry:
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(12)
        self.bands.append(band)
        return band

    def zoom(self, *wkts: str | None) -> QgsRectangle | None:
        """Zoom the map to the geometries, with a margin; returns the extent in the map's CRS."""
        if self.canvas is None:
            return None
        extent = QgsRectangle()
        for wkt in wkts:
            if wkt:
                box = QgsGeometry.fromWkt(wkt).boundingBox()
                if extent.isNull():
                    extent = box
                else:
                    extent.combineExtentWith(box)
        if extent.isNull():
            return None
        if extent.width() < MIN_EXTENT or extent.height() < MIN_EXTENT:
            centre = extent.center()
            extent = QgsRectangle(
                centre.x() - MIN_EXTENT, centre.y() - MIN_EXTENT, centre.x() + MIN_EXTENT, centre.y() + MIN_EXTENT
            )
        else:
            extent.scale(1.4)
        map_crs = self.canvas.mapSettings().destinationCrs()
        if map_crs.isValid() and map_crs != self.crs:
            extent = QgsCoordinateTransform(self.crs, map_crs, QgsProject.instance()).transformBoundingBox(extent)
        self.canvas.setExtent(extent)
        self.canvas.refresh()
        return extent
