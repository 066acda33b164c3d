"""Submitting and withdrawing through the plugin, "My changes" with the
reviewer's reason, and a conflicting edit by two users reported in Ukrainian."""

from __future__ import annotations

from factories import call, insert, one, parcel
from plugin_env import auth_manager, critical, login, plugin, service_file, styled_db  # noqa: F401 - fixtures
from qgis.core import QgsFeatureRequest, QgsVectorLayer

from zhytomyr_gis_plugin.connection import Connection
from zhytomyr_gis_plugin.layers import loader
from zhytomyr_gis_plugin.layers.commit_report import CommitReporter
from zhytomyr_gis_plugin.layers.version_guard import VersionGuard


def test_submit_withdraw_and_my_changes(plugin, qgis_iface, styled_db):
    editor = styled_db.connect("t_property_editor")
    login("t_property_editor")
    plugin.open_workspace("property", background=False)
    layer = plugin.workspace.layers["property.land_parcel"]
    first, second = insert(editor, "property.land_parcel", parcel()), insert(editor, "property.land_parcel", parcel())
    # QGIS numbers the features in the order it reads them, not by their key: read first,
    # the second record gets a feature id that is not its id. What is submitted is what is selected.
    read = [f.id() for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression(f'"id" = {second}'))]
    assert len(read) == 1 and read[0] != second, read
    layer.selectByIds(loader.feature_ids(layer, [first, second]))
    assert plugin.submit_selected(layer, note="нові ділянки") == 2
    assert one(editor, "SELECT array_agg(DISTINCT status) FROM property.land_parcel")[0] == ["submitted"]

    verifier = styled_db.connect("t_property_verifier")
    call(verifier, "reject", "property.land_parcel", first, "Площа не збігається з кадастром")
    dock = plugin.show_my_changes()
    rows = {c.record_id: c for c in dock.changes}
    assert rows[first].status_uk == "відхилено"
    assert rows[first].reviewer_note == "Площа не збігається з кадастром"
    assert rows[first].reviewer == "t_property_verifier"
    assert rows[second].status_uk == "на перевірці"
    assert (
        "Площа не збігається з кадастром" in dock.table.item([c.record_id for c in dock.changes].index(first), 4).text()
    )

    layer.selectByIds(loader.feature_ids(layer, [second]))
    assert plugin.withdraw_selected(layer) == 1
    assert one(editor, "SELECT status FROM property.land_parcel WHERE id = %s", second)[0] == "draft"
    # Submitting a record of a department the user is not in is refused with the database's reason.
    layer.selectByIds(loader.feature_ids(layer, [second]))
    login("t_budget_editor")
    assert plugin.submit_selected(layer, note="x") is None
    assert any("Немає прав підрозділу" in m for m in critical(qgis_iface)), critical(qgis_iface)


def _layer(user: str) -> QgsVectorLayer:
    login(user)
    uri = Connection.from_settings().layer_uri("property", "land_parcel", "MultiPolygon")
    return QgsVectorLayer(uri, user, "postgres")


def test_conflicting_edits_are_reported(styled_db, qgis_iface):
    editor = styled_db.connect("t_property_editor")
    record = insert(editor, "property.land_parcel", parcel())
    mine, theirs = _layer("t_property_editor"), _layer("t_property_editor2")
    guards = [VersionGuard(mine), VersionGuard(theirs)]
    qgis_iface.messageBar().clear_messages()
    reporter = CommitReporter(theirs, qgis_iface.messageBar())
    note = mine.fields().indexOf("note")
    mine.startEditing()
    theirs.startEditing()
    # Two edits of the same feature (attribute and geometry) in one session are one change: version + 1.
    mine.changeAttributeValue(record, note, "перша зміна")
    mine.changeAttributeValue(record, mine.fields().indexOf("address_text"), "вул. Київська, 1")
    theirs.changeAttributeValue(record, note, "друга зміна")
    assert mine.commitChanges(), "\n".join(mine.commitErrors())
    assert one(editor, "SELECT version, note FROM property.land_parcel WHERE id = %s", record) == (2, "перша зміна")
    assert not theirs.commitChanges()
    problem = reporter.check()
    assert problem.kind == "conflict"
    assert "Конфлікт редагування" in critical(qgis_iface)[-1]
    assert "t_property_editor" in critical(qgis_iface)[-1]
    # Nothing of the refused change reached the database.
    assert one(editor, "SELECT note FROM property.land_parcel WHERE id = %s", record)[0] == "перша зміна"
    theirs.rollBack()
    for guard in guards:
        guard.disconnect()
