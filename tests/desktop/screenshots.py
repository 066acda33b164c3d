"""Inside QGIS desktop: a clerk of the advertising department connects, opens
the workspace, looks at "My changes", opens a structure's form with its
permits, meets a refused save, and the connection dialog; each is saved as
a PNG in $ZGIS_SCREENSHOTS and described in the result."""

import os
import sys

sys.path.insert(0, os.environ["ZGIS_DESKTOP_SCRIPTS"])

import _steps  # noqa: E402
import qgis.utils  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsFeatureRequest,
    QgsGeometry,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRectangle,
    QgsVectorLayerUtils,
)
from qgis.PyQt.QtCore import QDate, QRect  # noqa: E402
from qgis.PyQt.QtWidgets import QDockWidget, QTabWidget  # noqa: E402

OUT = os.environ["ZGIS_SCREENSHOTS"]
USER = os.environ["ZGIS_SCREENSHOT_USER"]
EXTENT = [float(v) for v in os.environ["ZGIS_SCREENSHOT_EXTENT"].split(",")]
FEATURED = os.environ["ZGIS_SCREENSHOT_FEATURED"]
WINDOW = (1600, 1000)


def tree(group: QgsLayerTreeGroup) -> list:
    return [
        {"group": node.name(), "children": tree(node)} if isinstance(node, QgsLayerTreeGroup) else node.name()
        for node in group.children()
    ]


def scenario(result):
    iface = qgis.utils.iface
    window = iface.mainWindow()
    plugin = qgis.utils.plugins["zhytomyr_gis_plugin"]
    from zhytomyr_gis_plugin.gui import connection_dialog

    _steps.sign_in_as_clerk(USER)

    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == "Browser":
            dock.hide()
        if dock.objectName() == "Layers":
            layers_dock = dock
    window.showNormal()
    window.move(0, 0)
    window.resize(*WINDOW)
    result["menus"] = [a.text() for a in window.menuBar().actions()]

    plugin.open_workspace("advertising")  # in the background, as from the toolbar
    yield from _steps.wait_until(lambda: plugin.workspace is not None)
    canvas = iface.mapCanvas()
    canvas.setExtent(QgsRectangle(*EXTENT))
    canvas.refresh()
    dock = plugin.show_my_changes()
    window.resizeDocks([dock], [250], 2)  # Qt.Vertical
    window.resizeDocks([layers_dock], [340], 1)  # Qt.Horizontal
    yield 500
    yield from _steps.wait_until(lambda: not canvas.isDrawing())
    yield 800
    result["layer_tree"] = tree(QgsProject.instance().layerTreeRoot())
    result["my_changes"] = [
        [dock.table.item(r, c).text() for c in range(dock.table.columnCount())] for r in range(dock.table.rowCount())
    ]
    result["my_changes_summary"] = dock.summary.text()
    result["messages"] = [f"{item.title()}: {item.text()}" for item in iface.messageBar().items()]
    result["canvas_colours"] = len(
        {canvas.grab().toImage().pixel(x, y) for x in range(0, 900, 7) for y in range(0, 700, 7)}
    )
    _steps.save(window, "workspace.png", result)

    # The featured structure's form, in editing mode, on its first tab and on its permits.
    structures = plugin.workspace.layers["advertising.structure"]
    permits = plugin.workspace.layers["advertising.permit"]
    structures.startEditing()
    permits.startEditing()
    request = QgsFeatureRequest().setFilterExpression(f"\"structure_code\" = '{FEATURED}'")
    feature = next(structures.getFeatures(request))
    dialog = iface.getFeatureForm(structures, feature)
    dialog.resize(860, 560)
    dialog.move(60, 60)
    dialog.show()
    yield 1000
    tabs = dialog.findChildren(QTabWidget)[0]
    result["form_title"] = dialog.windowTitle()
    result["form_tabs"] = [tabs.tabText(i) for i in range(tabs.count())]
    _steps.save(dialog, "form_structure.png", result)
    permits_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == permits.name())
    tabs.setCurrentIndex(permits_tab)
    yield 1500
    # The relation editor's list of the structure's permits (found by class name: PyQt's
    # findChildren() does not match QgsDualView by type).
    from qgis.gui import QgsDualView
    from qgis.PyQt import sip
    from qgis.PyQt.QtCore import QObject

    views = [
        sip.cast(o, QgsDualView) for o in dialog.findChildren(QObject) if o.metaObject().className() == "QgsDualView"
    ]
    models = [v.masterModel() for v in views if v.masterModel() is not None]
    result["permit_rows"] = sum(m.rowCount() for m in models if m.layer().id() == permits.id())
    _steps.save(dialog, "form_structure_permits.png", result)
    dialog.close()

    # A permit with a mistyped number, saved: the database refuses, the message bar says which and why.
    iface.messageBar().clearWidgets()
    values = {
        "structure_id": feature["id"], "permit_number": "РД-24-157", "distributor_edrpou": "32855961",
        "decision_number": "№ 190", "issued_on": QDate(2025, 3, 3), "valid_from": QDate(2025, 3, 3),
        "valid_to": QDate(2030, 3, 2), "permit_state": "valid",
    }  # fmt: skip
    attributes = {permits.fields().indexOf(k): v for k, v in values.items()}
    permits.addFeature(QgsVectorLayerUtils.createFeature(permits, QgsGeometry(), attributes))
    result["refused_saved"] = permits.commitChanges(False)
    yield 800
    result["refusal"] = [f"{item.title()}: {item.text()}" for item in iface.messageBar().items()]
    bar = iface.messageBar()
    top_left = bar.mapTo(window, bar.rect().topLeft())
    _steps.save(
        window, "message_refused.png", result, QRect(top_left.x(), top_left.y(), bar.width(), bar.height() + 120)
    )
    permits.rollBack(False)  # still editing
    iface.messageBar().clearWidgets()

    # The same mistake typed into a new permit's form: the form refuses it before anything is sent.
    from qgis.gui import QgsAttributeEditorContext

    values["permit_number"] = "РД-24-157"
    attributes = {permits.fields().indexOf(k): v for k, v in values.items()}
    new_permit = QgsVectorLayerUtils.createFeature(permits, QgsGeometry(), attributes)
    permit_form = iface.getFeatureForm(permits, new_permit)
    permit_form.setMode(QgsAttributeEditorContext.AddFeatureMode)
    permit_form.resize(760, 560)
    permit_form.move(60, 60)
    permit_form.show()
    yield 800
    # The wrong field is marked, OK stays disabled, and the mark's tooltip says why.
    from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QLabel, QToolTip

    ok = permit_form.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    result["form_refused_ok_enabled"] = ok.isEnabled()
    marks = [w for w in permit_form.findChildren(QLabel) if "нумерацією дозволів міста" in w.toolTip()]
    result["form_refused_tooltip"] = marks[0].toolTip() if marks else ""
    if marks:
        QToolTip.showText(marks[0].mapToGlobal(marks[0].rect().center()), marks[0].toolTip(), marks[0])
    yield 800
    # The screen, not the dialog: the tooltip is a window of its own.
    frame = permit_form.frameGeometry()
    for tip in QApplication.topLevelWidgets():
        if tip.metaObject().className() == "QTipLabel" and tip.isVisible():
            frame = frame.united(tip.geometry().adjusted(0, 0, 8, 4))
    shot = QApplication.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    shot.save(os.path.join(OUT, "form_refused.png"), "PNG", 9)
    result.setdefault("images", {})["form_refused.png"] = [shot.width(), shot.height()]
    QToolTip.hideText()
    permit_form.close()
    permits.rollBack()
    structures.rollBack()

    connection = connection_dialog.ConnectionDialog(window)
    connection.user.setText(USER)
    connection.password.setText(os.environ["ZGIS_PASSWORD"])
    connection.show()
    connection.test()
    yield 600
    result["connection_status"] = connection.status.text()
    _steps.save(connection, "connection.png", result)
    connection.close()


_steps.start(scenario)
