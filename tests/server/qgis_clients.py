"""Reads the public services with QGIS's own WMS and WFS providers.

Run as a separate process (QGIS needs its application object, which must
not collide with another one in the test process):

    python qgis_clients.py BASE_URL   ->  JSON on stdout
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def read(base_url: str) -> dict:
    out: dict = {}
    wms = QgsRasterLayer(
        f"crs=EPSG:3857&dpiMode=7&format=image/png&layers=city&styles=&url={base_url}/ows/city", "city", "wms"
    )
    out["wms_valid"] = wms.isValid()
    if wms.isValid():
        settings = QgsMapSettings()
        settings.setLayers([wms])
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        settings.setExtent(QgsRectangle(3189171.7, 6489450.5, 3191171.7, 6491450.5))
        settings.setOutputSize(QSize(256, 256))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        drawn = sum(
            1 for x in range(0, 256, 4) for y in range(0, 256, 4) if QColor(image.pixel(x, y)).lightness() < 240
        )
        out["wms_drawn_samples"] = drawn
    wfs = QgsVectorLayer(
        f"url='{base_url}/ows/property' typename='property_land_parcel' version='1.1.0' restrictToRequestBBOX='0'",
        "parcels",
        "WFS",
    )
    out["wfs_valid"] = wfs.isValid()
    if wfs.isValid():
        features = list(wfs.getFeatures())
        out["wfs_count"] = len(features)
        out["wfs_fields"] = wfs.fields().names()
        out["wfs_crs"] = wfs.crs().authid()
        out["wfs_first"] = (
            {k: str(v) for k, v in zip(wfs.fields().names(), features[0].attributes(), strict=False)}
            if features
            else {}
        )
    oapif = QgsVectorLayer(
        f"url='{base_url}/ows/budget/wfs3' typename='budget_project' restrictToRequestBBOX='0'", "budget", "OAPIF"
    )
    out["oapif_valid"] = oapif.isValid()
    out["oapif_count"] = len(list(oapif.getFeatures())) if oapif.isValid() else 0
    return out


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    print(json.dumps(read(sys.argv[1]), ensure_ascii=False), flush=True)
    # Leave without tearing QGIS down: the network providers' threads make
    # exitQgis() crash on the way out, after the work is done.
    os._exit(0)
