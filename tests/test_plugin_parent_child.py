"""A structure and its permits edited in one form: parents are saved first,
children with their parent; a refused child is named with its parent and the
reason, nothing of it is sent, and it stays in the form to be corrected."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import insert, one, point
from plugin_env import auth_manager, critical, login, plugin, service_file, styled_db  # noqa: F401 - fixtures
from qgis.core import QgsGeometry, QgsVectorLayerUtils
from qgis.PyQt.QtCore import QCoreApplication, QDate
from register_rows import city_permit_numbering

from zhytomyr_gis import errors
from zhytomyr_gis_plugin.layers import pending

TODAY = dt.date(2024, 3, 15)


def _structure_row(**overrides) -> dict:
    row = {
        "structure_code": "РК-00001",
        "structure_type": "billboard",
        "width_m": 6,
        "height_m": 3,
        "faces": 2,
        "address_text": "вул. Київська, 10",
        "geom": point(50, 50),
    }
    row.update(overrides)
    return row


def _permit(layer, structure_id, number: str, **overrides):
    values = {
        "structure_id": structure_id,
        "permit_number": number,
        "distributor_edrpou": "32855961",
        "decision_number": "№ 145",
        "issued_on": QDate(2024, 2, 1),
        "valid_from": QDate(2024, 2, 1),
        "valid_to": QDate(2029, 1, 31),
        "permit_state": "valid",
    }
    values.update(overrides)
    attributes = {layer.fields().indexOf(k): v for k, v in values.items()}
    return QgsVectorLayerUtils.createFeature(layer, QgsGeometry(), attributes)


@pytest.fixture
def db(db):
    """The test database of a city numbering its permits РД-РРРР-NNNN (a setting of the
    city: the law sets no format), set before the forms' styles are built from its rules."""
    city_permit_numbering(db, example="РД-2023-0001")
    return db


def _open(plugin, styled_db):
    editor = styled_db.connect("t_advertising_editor")
    structure_id = insert(editor, "advertising.structure", _structure_row())
    login("t_advertising_editor")
    plugin.open_workspace("advertising", background=False)
    layers = plugin.workspace.layers
    return editor, structure_id, layers["advertising.structure"], layers["advertising.permit"]


def _events(conn, table: str) -> list[tuple[int, str]]:
    with conn.cursor() as cur:
        cur.execute("SELECT id, action FROM history.event WHERE table_name = %s ORDER BY id", (table,))
        return cur.fetchall()


def test_saving_the_parent_saves_its_children_and_a_bad_child_stops_them_all(plugin, qgis_iface, styled_db):
    editor, structure_id, structures, permits = _open(plugin, styled_db)
    structures.startEditing()
    permits.startEditing()
    address = structures.fields().indexOf("address_text")
    assert structures.changeAttributeValue(structure_id, address, "вул. Київська, 12")
    # One good permit and one with a mistyped number (as the attribute table lets one type it).
    assert permits.addFeature(_permit(permits, structure_id, "РД-2024-0157"))
    assert permits.addFeature(_permit(permits, structure_id, "РД-24-157"))

    assert structures.commitChanges(False), structures.commitErrors()
    # The structure is saved: a complete draft on its own.
    assert one(editor, "SELECT address_text FROM advertising.structure")[0] == "вул. Київська, 12"
    # No permit was sent, the clerk is told which one and why, both stay in the form.
    assert one(editor, "SELECT count(*) FROM advertising.permit")[0] == 0
    shown = " ".join(critical(qgis_iface))
    assert "«РД-24-157» (Рекламний засіб «РК-00001»)" in shown, shown
    assert "«Дозволи на розміщення реклами» не збережено: виправте ці записи" in shown, shown
    assert "Номер дозволу" in shown and "за нумерацією дозволів міста (приклад: РД-2023-0001)" in shown, shown
    assert "РД-2024-0157" not in shown  # the good one is not blamed
    assert len(pending.pending_features(permits)) == 2

    # Corrected and saved again: both permits are saved.
    bad = next(f for f in pending.pending_features(permits) if f["permit_number"] == "РД-24-157")
    assert permits.changeAttributeValue(bad.id(), permits.fields().indexOf("permit_number"), "РД-2024-0158")
    assert permits.commitChanges(False), permits.commitErrors()
    numbers = one(editor, "SELECT array_agg(permit_number ORDER BY permit_number) FROM advertising.permit")[0]
    assert numbers == ["РД-2024-0157", "РД-2024-0158"]


def test_saving_a_child_saves_its_parent_first(plugin, styled_db):
    editor, structure_id, structures, permits = _open(plugin, styled_db)
    structures.startEditing()
    permits.startEditing()
    assert structures.changeAttributeValue(structure_id, structures.fields().indexOf("faces"), 1)
    assert permits.addFeature(_permit(permits, structure_id, "РД-2024-0157"))

    assert permits.commitChanges(False), permits.commitErrors()
    assert not structures.isModified()
    assert one(editor, "SELECT faces, version FROM advertising.structure")[0:2] == (1, 2)
    structure_update = [i for i, action in _events(editor, "advertising.structure") if action == "update"]
    permit_insert = [i for i, action in _events(editor, "advertising.permit") if action == "insert"]
    assert structure_update and permit_insert and structure_update[0] < permit_insert[0]


def test_a_child_the_database_refuses_is_named_with_its_parent(plugin, qgis_iface, styled_db):
    editor, structure_id, _structures, permits = _open(plugin, styled_db)
    permits.startEditing()
    assert permits.addFeature(_permit(permits, structure_id, "РД-2024-0157"))
    # Neither ЄДРПОУ nor РНОКПП of the distributor: a rule across two columns.
    assert permits.addFeature(_permit(permits, structure_id, "РД-2024-0158", distributor_edrpou=None))
    assert not permits.commitChanges(False)
    QCoreApplication.processEvents()  # the report comes once commitChanges() has returned
    reporter = next(r for r in plugin.workspace.reporters if r.layer is permits)
    assert reporter.last_problem is not None and reporter.last_problem.kind == "rule"
    assert any(
        "«РД-2024-0158» (Рекламний засіб «РК-00001»)" in line for line in reporter.last_records
    ), reporter.last_records
    # All or nothing for the layer: the good permit was not saved alone either.
    assert one(editor, "SELECT count(*) FROM advertising.permit")[0] == 0
    assert len(pending.pending_features(permits)) == 2


def test_a_child_of_an_unsaved_parent_is_refused_in_the_form(plugin, styled_db):
    _editor, _structure_id, structures, permits = _open(plugin, styled_db)
    structures.startEditing()
    new_structure = QgsVectorLayerUtils.createFeature(
        structures, QgsGeometry.fromWkt(point(80, 80)), {}, structures.createExpressionContext()
    )
    assert structures.addFeature(new_structure)
    # What the permits tab of the new structure's form gives a new permit: the parent's id, not yet known.
    child = _permit(permits, new_structure["id"], "РД-2024-0159")
    failures = pending.rule_failures(permits, child)
    assert any("Новий запис реєстру «Рекламні засоби» спершу збережіть" in f for f in failures), failures


def test_deleting_a_parent_with_children_is_explained():
    text = [
        "ERROR: 1 feature(s) not deleted.",
        'PostGIS error while deleting features: ERROR:  update or delete on table "structure" violates foreign key'
        ' constraint "permit_structure_id_fkey" on table "permit"\n    DETAIL:  Key (id)=(5) is still referenced'
        ' from table "permit".',
    ]
    problem = errors.explain_qgis(text)
    assert problem.kind == "referenced"
    assert "запис №5 має пов'язані записи («Дозволи на розміщення реклами»)" in problem.message_uk
