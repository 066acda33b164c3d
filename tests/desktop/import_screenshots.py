"""Inside QGIS desktop: a clerk of the property department checks an exchange
file with «Імпорт обмінного файлу» (a dry run), sees the refused parcel on the
map in the report layer, and opens the history of a parcel imported earlier,
which names the file it came from; each is saved as a PNG in
$ZGIS_SCREENSHOTS and described in the result."""

import os
import sys

sys.path.insert(0, os.environ["ZGIS_DESKTOP_SCRIPTS"])

import _steps  # noqa: E402
import qgis.utils  # noqa: E402
from qgis.core import QgsProject, QgsRectangle  # noqa: E402
from qgis.PyQt.QtWidgets import QDockWidget, QTabWidget, QTextEdit  # noqa: E402

USER = os.environ["ZGIS_SCREENSHOT_USER"]
EXTENT = [float(v) for v in os.environ["ZGIS_SCREENSHOT_EXTENT"].split(",")]
CHECKED_FILE = os.environ["ZGIS_CHECKED_FILE"]
IMPORTED_RECORD = int(os.environ["ZGIS_IMPORTED_RECORD"])
WINDOW = (1600, 1000)


def scenario(result):
    iface = qgis.utils.iface
    window = iface.mainWindow()
    plugin = qgis.utils.plugins["zhytomyr_gis_plugin"]
    _steps.sign_in_as_clerk(USER)
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == "Browser":
            dock.hide()
    window.showNormal()
    window.move(0, 0)
    window.resize(*WINDOW)

    plugin.open_workspace("property")
    yield from _steps.wait_until(lambda: plugin.workspace is not None)
    canvas = iface.mapCanvas()
    canvas.setExtent(QgsRectangle(*EXTENT))
    canvas.refresh()
    yield from _steps.wait_until(lambda: not canvas.isDrawing())

    # «Імпорт обмінного файлу» with «Лише перевірити», run as from the Processing toolbox.
    import processing

    dialog = processing.createAlgorithmDialog(
        "zhytomyr_gis:import_exchange_file", {"FILE": CHECKED_FILE, "DRY_RUN": True, "OUTPUT": "TEMPORARY_OUTPUT"}
    )
    dialog.resize(980, 640)
    dialog.move(40, 40)
    dialog.show()
    yield 800
    result["dialog_title"] = dialog.windowTitle()
    before = set(QgsProject.instance().mapLayers())
    dialog.runAlgorithm()
    yield from _steps.wait_until(lambda: set(QgsProject.instance().mapLayers()) - before)
    yield 1000
    log = next(w for w in dialog.findChildren(QTextEdit) if w.objectName() == "txtLog")
    result["log"] = log.toPlainText()
    tabs = dialog.findChildren(QTabWidget)[0]
    result["dialog_tab"] = tabs.tabText(tabs.currentIndex())
    _steps.save(dialog, "import_dialog.png", result)
    dialog.close()

    # The refused parcels as a layer over the department's registers.
    (refused,) = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
    result["refused_layer"] = refused.name()
    result["refused"] = [[f["record"], f["reason"]] for f in refused.getFeatures()]
    symbol = refused.renderer().symbol()
    symbol.setColor(symbol.color().fromRgb(230, 60, 40, 140))
    refused.triggerRepaint()
    iface.setActiveLayer(refused)
    canvas.refresh()
    yield 500
    yield from _steps.wait_until(lambda: not canvas.isDrawing())
    yield 500
    _steps.save(window, "import_refused.png", result)

    # A parcel imported earlier: its history names the file each imported change came from.
    parcels = plugin.workspace.layers["property.land_parcel"]
    parcels.selectByExpression(f'"id" = {IMPORTED_RECORD}')  # the record's id, not QGIS's feature id
    history = plugin.show_history(parcels)
    history.setFloating(True)
    history.resize(1560, 260)
    history.move(60, 80)
    yield 800
    table = history.timeline_table
    result["history_headers"] = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    result["history"] = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    result["history_tooltip"] = table.item(0, table.columnCount() - 1).toolTip()
    _steps.save(history, "import_history.png", result)


_steps.start(scenario)
