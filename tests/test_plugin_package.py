"""The packaged zip installs into an empty QGIS profile, loads in Ukrainian
and unloads cleanly, in a QGIS Python that has neither the repository nor
the .venv's libraries on its path (what the plugin manager gives it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import package_plugin  # noqa: E402

SCRIPT = r"""
import json, sys
from pathlib import Path
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QMainWindow, QToolBar
from qgis.gui import QgsMessageBar, QgsMapCanvas
app = QgsApplication([], False)
app.initQgis()
plugins = Path(sys.argv[1])
sys.path.insert(0, str(plugins))
import qgis.utils

class Iface:
    def __init__(self):
        self.window = QMainWindow(); self.bar = QgsMessageBar(); self.canvas = QgsMapCanvas()
        self.menu = []; self.toolbars = []
    def mainWindow(self): return self.window
    def messageBar(self): return self.bar
    def mapCanvas(self): return self.canvas
    def activeLayer(self): return None
    def addToolBar(self, name):
        bar = QToolBar(name); self.toolbars.append(bar); return bar
    def addPluginToDatabaseMenu(self, menu, action): self.menu.append(action.text())
    def removePluginDatabaseMenu(self, menu, action): self.menu.remove(action.text())
    def addDockWidget(self, area, dock): pass
    def removeDockWidget(self, dock): pass

qgis.utils.iface = iface = Iface()
qgis.utils.plugin_paths = [str(plugins)]
assert qgis.utils.loadPlugin("zhytomyr_gis_plugin")
assert qgis.utils.startPlugin("zhytomyr_gis_plugin")
import zhytomyr_gis, pgserviceparser
result = {
    "menu": list(iface.menu),
    "toolbar": [a.text() for a in iface.toolbars[0].actions()],
    "core": zhytomyr_gis.__file__,
    "pgserviceparser": pgserviceparser.__file__,
}
result["unloaded"] = qgis.utils.unloadPlugin("zhytomyr_gis_plugin")
result["menu_after"] = list(iface.menu)
result["modules_after"] = [m for m in sys.modules if m.startswith("zhytomyr_gis_plugin")]
print("RESULT" + json.dumps(result, ensure_ascii=False))
app.exitQgis()
"""


def test_zip_installs_loads_in_ukrainian_and_unloads(tmp_path):
    archive = package_plugin.build(tmp_path / "zhytomyr_gis_plugin.zip")
    profile = tmp_path / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert "zhytomyr_gis_plugin/metadata.txt" in names
        assert "zhytomyr_gis_plugin/i18n/zhytomyr_gis_uk.qm" in names
        zipped.extractall(plugins)
    metadata = (plugins / "zhytomyr_gis_plugin" / "metadata.txt").read_text(encoding="utf-8")
    assert "qgisMinimumVersion=3.22" in metadata and "icon=icons/plugin.svg" in metadata

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(tmp_path), HOME=str(tmp_path))
    done = subprocess.run(
        ["/usr/bin/python3", "-c", SCRIPT, str(plugins)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    assert line, done.stdout + done.stderr
    result = json.loads(line[len("RESULT") :])
    assert "Відкрити мій робочий простір" in result["toolbar"]
    assert "Подати вибране на перевірку" in result["menu"]
    assert len(result["menu"]) == 6
    # The core and its library come from the zip, not from the repository or the .venv.
    assert result["core"].startswith(str(plugins / "zhytomyr_gis_plugin" / "vendor"))
    assert result["pgserviceparser"].startswith(str(plugins / "zhytomyr_gis_plugin" / "vendor"))
    assert result["menu_after"] == []
