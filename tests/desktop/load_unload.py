"""Inside QGIS desktop: the plugin installed from the zip has started in
Ukrainian; record its menu, toolbar and dock, unload it through QGIS's own
plugin machinery, record what is left, then load it again."""

import os
import sys

sys.path.insert(0, os.environ["ZGIS_DESKTOP_SCRIPTS"])

import _steps  # noqa: E402
import qgis.utils  # noqa: E402
from qgis.core import QgsApplication  # noqa: E402
from qgis.PyQt.QtCore import QCoreApplication, QEvent  # noqa: E402
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar  # noqa: E402

PLUGIN = "zhytomyr_gis_plugin"
MENU_OBJECT = "zhytomyr_gis_menu"


def ui_state() -> dict:
    window = qgis.utils.iface.mainWindow()
    menu = qgis.utils.iface.databaseMenu()
    submenus = [a.text() for a in menu.actions() if a.menu() is not None]
    ours = [a.menu() for a in menu.actions() if a.menu() is not None and "Житомир" in a.text()]
    toolbars = [t for t in window.findChildren(QToolBar) if t.objectName() == "ZhytomyrGisToolbar"]
    docks = [d for d in window.findChildren(QDockWidget) if d.objectName().startswith("ZhytomyrGis")]
    registry = QgsApplication.processingRegistry()
    return {
        "database_submenus": submenus,
        "plugin_menu": [a.text() for m in ours for a in m.actions()],
        "toolbar": [a.text() for t in toolbars for a in t.actions()],
        "docks": [d.windowTitle() for d in docks],
        "processing_providers": [p.id() for p in registry.providers() if "zhytomyr" in p.id().lower()],
        "modules": sorted(n for n in sys.modules if n.split(".")[0] in (PLUGIN, "zhytomyr_gis", "pgserviceparser")),
        "vendor_on_path": [p for p in sys.path if p.endswith(f"{PLUGIN}/vendor")],
        "translated": QCoreApplication.translate("@default", "My changes"),
        "active": PLUGIN in qgis.utils.active_plugins,
    }


def scenario(result):
    result["loaded"] = ui_state()
    import zhytomyr_gis

    result["core_file"] = zhytomyr_gis.__file__
    plugin = qgis.utils.plugins[PLUGIN]
    plugin.show_my_changes()  # the docks, even with no connection set up yet
    plugin.show_review()
    plugin.show_history()
    yield 300
    result["with_dock"] = ui_state()

    result["unloaded_ok"] = qgis.utils.unloadPlugin(PLUGIN)
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    yield 300
    result["after_unload"] = ui_state()

    result["reloaded_ok"] = qgis.utils.loadPlugin(PLUGIN) and qgis.utils.startPlugin(PLUGIN)
    yield 300
    result["reloaded"] = ui_state()


_steps.start(scenario)
