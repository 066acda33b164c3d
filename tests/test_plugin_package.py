"""The packaged zip installs into an empty QGIS profile, starts in Ukrainian
in real QGIS desktop and unloads cleanly: QGIS's unloadPlugin() succeeds and
the menu, toolbar, docks (my changes, review, history), Processing provider and every module the plugin
brought (its vendored core included) are gone; loading it again works."""

from __future__ import annotations

import zipfile

import qgis_desktop

PLUGIN = "zhytomyr_gis_plugin"
MENU = "&Житомирська міська ГІС"


def test_zip_installs_starts_in_ukrainian_and_unloads_cleanly(tmp_path):
    plugins = qgis_desktop.profile_with_plugin(tmp_path)
    with zipfile.ZipFile(tmp_path / f"{PLUGIN}.zip") as zipped:
        names = zipped.namelist()
    assert f"{PLUGIN}/metadata.txt" in names and f"{PLUGIN}/i18n/zhytomyr_gis_uk.qm" in names
    metadata = (plugins / PLUGIN / "metadata.txt").read_text(encoding="utf-8")
    assert "qgisMinimumVersion=3.22" in metadata and "icon=icons/plugin.svg" in metadata

    result = qgis_desktop.run("load_unload.py", tmp_path)

    loaded = result["loaded"]
    assert loaded["active"]
    assert MENU in loaded["database_submenus"]
    assert "Подати вибране на перевірку" in loaded["plugin_menu"] and len(loaded["plugin_menu"]) == 8
    assert {"Відкрити мій робочий простір", "Перевірка змін", "Історія об'єкта"} <= set(loaded["toolbar"])
    assert loaded["processing_providers"] == ["zhytomyr_gis"]
    assert loaded["translated"] == "Мої зміни"
    # The core and its library come from the zip, not from the repository or the .venv.
    assert result["core_file"].startswith(str(plugins / PLUGIN / "vendor"))
    assert {"zhytomyr_gis", "pgserviceparser"} <= set(loaded["modules"])
    assert sorted(result["with_dock"]["docks"]) == ["Історія об'єкта", "Мої зміни", "Перевірка змін"]

    assert result["unloaded_ok"] is True
    after = result["after_unload"]
    assert not after["active"]
    assert MENU not in after["database_submenus"]
    assert after["toolbar"] == [] and after["docks"] == [] and after["processing_providers"] == []
    assert after["modules"] == [], after["modules"]
    assert after["vendor_on_path"] == []
    assert after["translated"] == "My changes"

    assert result["reloaded_ok"] is True
    reloaded = result["reloaded"]
    assert reloaded["toolbar"] == loaded["toolbar"] and reloaded["translated"] == "Мої зміни"
