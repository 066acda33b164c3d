"""The database restarted while a clerk has unsaved edits open in QGIS.

The clerk's layer (the plugin's connection: pg_service entry and the QGIS
authentication manager) has an edit in its buffer when PostgreSQL stops.
Saving then fails: the message bar says in Ukrainian that the connection is
lost and the edits are kept, and they are (the layer is still being edited,
the change still in its buffer). Once the server is back, saving again
succeeds without reopening anything, with the version check of the plugin's
forms, and the history has the change.
"""

from __future__ import annotations

import time

from conftest import _pgcluster
from factories import insert, one, parcel
from plugin_env import auth_manager, critical, login, service_file, styled_db  # noqa: F401 - fixtures
from qgis.core import QgsVectorLayer

from zhytomyr_gis_plugin.connection import Connection
from zhytomyr_gis_plugin.layers.commit_report import CommitReporter
from zhytomyr_gis_plugin.layers.version_guard import VersionGuard


def test_unsaved_edits_survive_a_database_restart(styled_db, qgis_iface):
    editor = styled_db.connect("t_property_editor")
    record = insert(editor, "property.land_parcel", parcel())
    editor.close()
    login("t_property_editor")
    uri = Connection.from_settings().layer_uri("property", "land_parcel", "MultiPolygon")
    layer = QgsVectorLayer(uri, "ділянки", "postgres")
    assert layer.isValid()
    guard = VersionGuard(layer)
    qgis_iface.messageBar().clear_messages()
    reporter = CommitReporter(layer, qgis_iface.messageBar())
    note = layer.fields().indexOf("note")
    assert layer.startEditing()
    assert layer.changeAttributeValue(record, note, "змінено до перезапуску")

    cluster = styled_db.cluster
    _pgcluster("stop", str(cluster.run_dir))
    try:
        assert not layer.commitChanges(False)
        problem = reporter.check()
        assert problem is not None and problem.kind in ("connection_lost", "server_down"), layer.commitErrors()
        message = critical(qgis_iface)[-1]
        assert "Незбережені зміни залишилися" in message or "сервер не відповідає" in message, message
        assert layer.isEditable()
        assert layer.editBuffer().changedAttributeValues()[record][note] == "змінено до перезапуску"
    finally:
        _pgcluster("start", str(cluster.run_dir), str(cluster.port))

    started = time.monotonic()
    saved = layer.commitChanges()
    print(f"\nsaved {time.monotonic() - started:.2f} s after the restart: {saved}; {layer.commitErrors()}")
    assert saved, "\n".join(layer.commitErrors())
    check = styled_db.connect()
    assert one(check, "SELECT note, version FROM property.land_parcel WHERE id = %s", record) == (
        "змінено до перезапуску",
        2,
    )
    assert one(
        check,
        "SELECT count(*) FROM history.event WHERE table_name = 'property.land_parcel' AND record_id = %s"
        " AND action = 'update' AND actor = 't_property_editor'",
        record,
    ) == (1,)
    guard.disconnect()
    reporter.disconnect()
