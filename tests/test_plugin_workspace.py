"""Opening the workspace as each department's user gives the right layers,
editable where the user edits, read-only elsewhere, in EPSG:9836 with snapping."""

from __future__ import annotations

import pytest
from plugin_env import auth_manager, critical, login, plugin, service_file, styled_db  # noqa: F401 - fixtures
from qgis.core import QgsProject, QgsSnappingConfig, QgsVectorDataProvider

from zhytomyr_gis import registers, workspace
from zhytomyr_gis.registers import of_department
from zhytomyr_gis_plugin.layers import loader

DEPARTMENTS = [d.code for d in registers.DEPARTMENTS]


def _layers_by_table(plugin):
    return plugin.workspace.layers


def _can_add(layer) -> bool:
    return bool(layer.dataProvider().capabilities() & QgsVectorDataProvider.AddFeatures) and not layer.readOnly()


@pytest.mark.parametrize("role", ["editor", "verifier"])
def test_each_department_gets_its_registers(plugin, qgis_iface, role):
    for department in DEPARTMENTS:
        QgsProject.instance().clear()
        user = f"t_{department}_{role}" if department != "admin" else f"t_admin_{role}"
        login(user)
        plugin.open_workspace(department, background=False)
        assert not critical(qgis_iface), critical(qgis_iface)
        layers = _layers_by_table(plugin)
        project = QgsProject.instance()
        assert project.crs().authid() == "EPSG:9836"
        own = {r.table for r in of_department(department)}
        for table in own:
            layer = layers[table]
            assert layer.isValid() and layer.customProperty(loader.ROLE_PROPERTY) == "register"
            # Admin users are gis_admin: editor and verifier alike.
            expect_editable = role == "editor" or department == "admin"
            assert _can_add(layer) == expect_editable, (user, table)
            assert layer.attributeAlias(layer.fields().indexOf("status")) == "Стан перевірки"
        for table in workspace.REFERENCE_TABLES:
            if table not in own:
                assert layers[table].readOnly(), table
        if department != "property":
            assert layers["published.property_land_parcel"].readOnly()
        published = [t for t in layers if t.startswith("published.")]
        own_published = sum(1 for r in of_department(department) if r.geometry)
        assert len(published) == own_published + (department != "property")
        assert all(layers[t].readOnly() for t in published)
        snapping = project.snappingConfig()
        assert snapping.enabled() and snapping.mode() == QgsSnappingConfig.AdvancedConfiguration
        # No other department's register was loaded.
        foreign = [t for t in layers if t.split(".")[0] not in ("ref", "published") and t not in own]
        assert not foreign, foreign


def test_children_are_edited_inside_the_parent_form(plugin):
    login("t_energy_editor")
    plugin.open_workspace("energy", background=False)
    relations = QgsProject.instance().relationManager().relations()
    assert {"energy_consumption_building_id", "energy_measure_building_id"} <= set(relations)
    building = plugin.workspace.layers["energy.building"]
    tabs = [tab.name() for tab in building.editFormConfig().tabs()]
    assert tabs == [
        "Будівля",
        "Енергосертифікат",
        "Річне споживання енергоресурсів",
        "Енергоефективні заходи",
        "Стан і історія",
    ]
    relation_tab = building.editFormConfig().tabs()[2]
    assert relation_tab.children()[0].relation().isValid()


def test_a_parcels_lands_leases_and_restrictions_are_tabs_of_its_form(plugin):
    login("t_property_editor")
    plugin.open_workspace("property", background=False)
    relations = QgsProject.instance().relationManager().relations()
    assert {
        "property_parcel_land_parcel_id",
        "property_parcel_lease_parcel_id",
        "property_parcel_restriction_parcel_id",
    } <= set(relations)
    parcel = plugin.workspace.layers["property.land_parcel"]
    tabs = [tab.name() for tab in parcel.editFormConfig().tabs()]
    assert tabs == [
        "Ділянка",
        "Користування",
        "Угіддя земельних ділянок",
        "Оренда та суборенда земельних ділянок",
        "Обмеження у використанні земельних ділянок",
        "Стан і історія",
    ]
    assert all(tab.children()[0].relation().isValid() for tab in parcel.editFormConfig().tabs()[2:5])


def test_no_password_in_the_project(plugin, tmp_path):
    login("t_budget_editor")
    plugin.open_workspace("budget", background=False)
    path = tmp_path / "workspace.qgs"
    assert QgsProject.instance().write(str(path))
    text = path.read_text(encoding="utf-8")
    assert "authcfg=" in text and "service='zgis_test_" in text
    assert "test-password" not in text and "password=" not in text
