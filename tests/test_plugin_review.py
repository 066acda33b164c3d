"""The verifiers' "Review changes" dock and the "Feature history" dock,
headless over a real database: the queue of one's department, findings and
the diff of a change, approve, four-eyes, reject with a reason, approve many,
a record's history and restoring an earlier version as a draft."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import register_rows as rows
from factories import call, insert, one, update
from plugin_env import auth_manager, critical, login, plugin, service_file, styled_db  # noqa: F401 - fixtures
from register_rows import add, publish, submit

from zhytomyr_gis_plugin.gui.reject_dialog import RejectDialog
from zhytomyr_gis_plugin.layers import loader

PARCELS, PROJECTS = "property.land_parcel", "budget.project"
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "build" / "screenshots" / "review_dock.png"
DOC_IMAGE = ROOT / "docs" / "uk" / "img" / "review_dock.png"


def save_screenshot(dock) -> None:
    """The dock as the guide shows it (with ZGIS_UPDATE_DOC_IMAGES=1 it replaces the guide's image)."""
    dock.resize(900, 760)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert dock.grab().save(str(SCREENSHOT), "PNG")
    assert SCREENSHOT.stat().st_size > 10_000
    if os.environ.get("ZGIS_UPDATE_DOC_IMAGES") == "1":
        shutil.copy(SCREENSHOT, DOC_IMAGE)


def status(db, record_id: int, table: str = PARCELS) -> str:
    return one(db.connect(), f"SELECT status FROM {table} WHERE id = %s", record_id)[0]


def published_note(db, record_id: int):
    row = one(db.connect(), "SELECT note FROM published.property_land_parcel WHERE id = %s", record_id)
    return row[0] if row else None


def cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_queue_findings_diff_and_approve(plugin, qgis_iface, styled_db):
    db = styled_db
    (edited, _neighbour) = publish(db, PARCELS, rows.parcel((0, 0), note="стара примітка"), rows.parcel((2000, 0)))
    update(db.connect("t_property_editor"), PARCELS, edited, note="нова примітка", area_ha=0.05)
    overlapping = add(db, PARCELS, rows.parcel((2010, 0)))
    submit(db, PARCELS, [edited, overlapping], "уточнення")
    other_department = add(db, PROJECTS, rows.project((300, 300)))
    submit(db, PROJECTS, [other_department])

    login("t_property_verifier")
    dock = plugin.show_review()
    assert {(i.table, i.record_id) for i in dock.items} == {(PARCELS, edited), (PARCELS, overlapping)}
    assert dock.queue_table.rowCount() == 2 and "Земельні ділянки" in cells(dock.queue_table)[0][0]
    assert not critical(qgis_iface), critical(qgis_iface)

    # The filter "with errors" leaves the overlapping parcel only.
    dock.errors_combo.setCurrentIndex(1)
    assert [i.record_id for i in dock.items] == [overlapping]
    dock.errors_combo.setCurrentIndex(0)

    assert dock.select(PARCELS, overlapping)
    findings = cells(dock.findings_table)
    assert findings[0][0] == "помилка" and findings[0][1].startswith("Земельна ділянка перекривається")
    assert findings[0][2], "a hint on how to fix it"
    assert len(dock.overlay.bands) == 1  # a new record: only the new geometry
    assert dock.approve_current() is None
    assert "перевірка знайшла помилки" in critical(qgis_iface)[-1]
    assert status(db, overlapping) == "submitted"

    assert dock.select(PARCELS, edited)
    diff = {row[0]: row[1:] for row in cells(dock.diff_table)}
    assert diff["Примітка"] == ["стара примітка", "нова примітка"]
    assert diff["Площа, га"] == ["0.04", "0.05"]
    assert len(dock.overlay.bands) == 2  # published and new
    save_screenshot(dock)
    assert dock.approve_current() == 1
    assert status(db, edited) == "verified" and published_note(db, edited) == "нова примітка"
    assert [i.record_id for i in dock.items] == [overlapping]


def test_own_change_is_refused_by_four_eyes(plugin, qgis_iface, styled_db):
    db = styled_db
    both = db.connect("t_property_both")  # editor and verifier of the department
    mine = insert(both, PARCELS, rows.parcel((500, 0)))
    call(both, "submit", PARCELS, [mine], "моя зміна")
    login("t_property_both")
    dock = plugin.show_review()
    assert dock.select(PARCELS, mine)
    assert dock.approve_current() is None
    assert "Принцип чотирьох очей" in critical(qgis_iface)[-1]
    assert status(db, mine) == "submitted" and published_note(db, mine) is None


def test_reject_requires_a_reason(plugin, qgis_iface, styled_db):
    db = styled_db
    record = add(db, PARCELS, rows.parcel((700, 0)))
    submit(db, PARCELS, [record])
    login("t_property_verifier")
    dock = plugin.show_review()
    assert dock.select(PARCELS, record)

    dialog = RejectDialog("ділянка")
    assert not dialog.can_accept()
    dialog.reason_edit.setPlainText("  ок ")
    assert not dialog.can_accept()
    dialog.reason_edit.setPlainText("Межі не збігаються з кадастром")
    assert dialog.can_accept() and dialog.reason == "Межі не збігаються з кадастром"

    assert dock.reject_current(reason="  ") is None
    assert "Вкажіть причину відхилення" in critical(qgis_iface)[-1]
    assert status(db, record) == "submitted"
    assert dock.reject_current(reason="Межі не збігаються з кадастром") == 1
    assert status(db, record) == "rejected"
    assert one(db.connect(), f"SELECT status_note FROM {PARCELS} WHERE id = %s", record)[0] == (
        "Межі не збігаються з кадастром"
    )


def test_approve_many_skips_records_with_errors(plugin, qgis_iface, styled_db):
    db = styled_db
    publish(db, PARCELS, rows.parcel((900, 0)))
    clean = [add(db, PARCELS, rows.parcel((900 + 100 * k, 200))) for k in (1, 2)]
    faulty = add(db, PARCELS, rows.parcel((910, 0)))
    submit(db, PARCELS, [*clean, faulty])
    login("t_property_verifier")
    dock = plugin.show_review()
    dock.queue_table.selectAll()
    assert sorted(dock.approve_selected()) == sorted(clean)
    assert list(dock.last_skipped) == [(PARCELS, faulty)]
    assert "land_parcel_overlap" in dock.last_skipped[(PARCELS, faulty)]
    assert "є помилки" in dock.outcome_label.text()
    assert [status(db, r) for r in clean] == ["verified", "verified"] and status(db, faulty) == "submitted"
    assert [i.record_id for i in dock.items] == [faulty]


def test_history_lists_every_edit_and_restores_version_k_as_draft(plugin, qgis_iface, styled_db):
    db = styled_db
    editor = db.connect("t_property_editor")
    record = add(db, PARCELS, rows.parcel((1200, 0), area_ha=0.01, note="версія 1"))
    edits = 5
    for k in range(2, edits + 1):
        update(editor, PARCELS, record, area_ha=k / 100, note=f"версія {k}")
    login("t_property_editor")
    plugin.open_workspace("property", background=False)
    layer = plugin.workspace.layers[PARCELS]
    layer.selectByIds(loader.feature_ids(layer, [record]))
    dock = plugin.show_history(layer)
    assert len(dock.entries) == edits and dock.timeline_table.rowCount() == edits
    timeline = cells(dock.timeline_table)
    assert [row[3] for row in timeline] == ["створено"] + ["змінено"] * (edits - 1)
    assert timeline[2][2] == "t_property_editor" and "Примітка: версія 2 → версія 3" in timeline[2][4]

    k = 3
    snapshot = dock.select_version(k)
    assert snapshot.values["note"] == "версія 3" and len(dock.overlay.bands) == 1
    assert dock.restore_selected() == edits + 1
    assert one(editor, f"SELECT status, version, note FROM {PARCELS} WHERE id = %s", record) == (
        "draft",
        edits + 1,
        "версія 3",
    )
    assert layer.getFeature(record)["note"] == "версія 3"  # the layer shows the restored draft
    assert len(dock.entries) == edits + 1 and dock.entries[-1].action_uk == "відновлено з історії"
    assert not critical(qgis_iface), critical(qgis_iface)


def test_history_names_the_file_a_change_was_imported_from(plugin, qgis_iface, styled_db, tmp_path):
    from exchange_files import ExchangeFile, neighbours

    from zhytomyr_gis.importing import settings as import_settings
    from zhytomyr_gis.importing.cadastral import import_file

    path = ExchangeFile(neighbours(count=1, dx=1500), surveyor="ТОВ «Геоцентр»").write(tmp_path / "Обмін_2024.xml")
    report = import_file(
        path, import_settings.load(), conn=styled_db.connect("t_property_editor", autocommit=False), dry_run=False
    )
    assert report.imported, report.as_dict()
    record = report.parcels[0].record_id
    editor = styled_db.connect("t_property_editor")
    call(editor, "withdraw", PARCELS, [record])
    update(editor, PARCELS, record, note="уточнено вручну")
    login("t_property_editor")
    plugin.open_workspace("property", background=False)
    layer = plugin.workspace.layers[PARCELS]
    layer.selectByIds(loader.feature_ids(layer, [record]))
    dock = plugin.show_history(layer)
    timeline = cells(dock.timeline_table)
    assert [row[3] for row in timeline] == ["створено", "подано на перевірку", "повернуто в чернетку", "змінено"]
    imported_from = [row[-1] for row in timeline]
    # the import's own events name the file; the later edits by hand do not
    assert imported_from[:2] == ["Обмін_2024.xml, від 15.03.2024, виконавець: ТОВ «Геоцентр» (ЄДРПОУ 04053625),"
                                 " інженер-землевпорядник Коваленко Олена, сертифікат № 12345"] * 2  # fmt: skip
    assert imported_from[2:] == ["", ""]
    tooltip = dock.timeline_table.item(0, 7).toolTip()
    assert f"SHA-256: {report.sha256}" in tooltip and "Дата файлу: 15.03.2024" in tooltip
    assert not critical(qgis_iface), critical(qgis_iface)
