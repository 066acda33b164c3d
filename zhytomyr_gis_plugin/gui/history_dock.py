"""The "Feature history" dock: a record's timeline (who, when, what changed,
why, the decision, the imported file a change came from); selecting an
entry shows that version's geometry on the map; "Restore as draft" brings
the version back as a new draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import Qgis
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from zhytomyr_gis import review
from zhytomyr_gis.registers import BY_TABLE
from zhytomyr_gis_plugin.gui import map_overlay, tables
from zhytomyr_gis_plugin.i18n import tr

Run = Callable[[Callable[[Any], Any]], Any]
VERSION_COLOUR = "#e67e22"
WIDE_COLUMN = 240  # px: "Changed" and "Reason" at most this wide (the text is elided)


def changed_text(entry: review.TimelineEntry) -> str:
    """The changed fields with their new values, as the editor wrote them."""
    if entry.action in ("insert", "restore"):
        return ", ".join(c.label_uk for c in entry.changed)
    parts = []
    for c in entry.changed:
        before, after = tables.display_value(c.before), tables.display_value(c.after)
        parts.append(c.label_uk if c.name == "geom" else f"{c.label_uk}: {before} → {after}")
    return "; ".join(parts)


class HistoryDock(QgsDockWidget):
    def __init__(self, run: Run, canvas, report, reload_layer: Callable[[str], None] = lambda _table: None):
        super().__init__(tr("Feature history"))
        self.setObjectName("ZhytomyrGisHistory")
        self.run, self.report, self.reload_layer = run, report, reload_layer
        self.overlay = map_overlay.GeometryOverlay(canvas)
        self.table: str | None = None
        self.record_id: int | None = None
        self.entries: list[review.TimelineEntry] = []
        self.snapshot: review.VersionSnapshot | None = None

        self.title = QLabel(tr("Select a feature of a register layer and press “History of the selected feature”."))
        self.title.setWordWrap(True)
        self.timeline_table = tables.read_only_table(
            [
                tr("Version"),
                tr("When"),
                tr("Who"),
                tr("Action"),
                tr("Changed"),
                tr("Reason"),
                tr("Decision"),
                tr("Imported from"),
            ]
        )
        self.timeline_table.itemSelectionChanged.connect(self._entry_selected)
        self.restore_button = QPushButton(tr("Restore as draft"))
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.selected_button = QPushButton(tr("History of the selected feature"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.selected_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addWidget(self.timeline_table)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.restore_button.setEnabled(False)

    def show_record(self, table: str, record_id: int) -> list[review.TimelineEntry]:
        entries = self.run(lambda conn: review.timeline(conn, table, record_id))
        self.table, self.record_id = table, record_id
        self.entries = entries or []
        self.title.setText(
            tr("«{register}», record {id}: {count} events").format(
                register=BY_TABLE[table].title_uk, id=record_id, count=len(self.entries)
            )
        )
        rows = [
            (
                str(e.version or ""),
                e.occurred_at.strftime("%d.%m.%Y %H:%M"),
                e.actor,
                e.action_uk,
                changed_text(e),
                e.reason or "",
                e.action_uk if e.is_decision else "",
                e.evidence.text() if e.evidence else "",
            )
            for e in self.entries
        ]
        # The imported file's hash, date, format and surveyor on hover.
        evidence = [e.evidence.details() if e.evidence else "" for e in self.entries]
        self.timeline_table.blockSignals(True)
        tables.fill(self.timeline_table, rows, evidence)
        # A created record lists every field it was given: keep the file in view.
        for column in (4, 5):
            self.timeline_table.setColumnWidth(column, min(self.timeline_table.columnWidth(column), WIDE_COLUMN))
            for row in range(self.timeline_table.rowCount()):
                item = self.timeline_table.item(row, column)
                if not item.toolTip():
                    item.setToolTip(item.text())
        self.timeline_table.blockSignals(False)
        self.overlay.clear()
        self.snapshot = None
        self.restore_button.setEnabled(False)
        return self.entries

    def select_version(self, version_number: int) -> review.VersionSnapshot | None:
        """Select the last entry of a version (as a click does) and show it on the map."""
        rows = [r for r, e in enumerate(self.entries) if e.version == version_number]
        if not rows:
            return None
        self.timeline_table.selectRow(rows[-1])
        return self.snapshot

    def _entry_selected(self) -> None:
        rows = tables.selected_rows(self.timeline_table)
        entry = self.entries[rows[0]] if rows else None
        self.overlay.clear()
        self.snapshot = None
        if entry is None or entry.version is None or self.table is None:
            self.restore_button.setEnabled(False)
            return
        table, record_id = self.table, self.record_id
        self.snapshot = self.run(lambda conn: review.version(conn, table, record_id, entry.version))
        self.restore_button.setEnabled(self.snapshot is not None)
        if self.snapshot is not None and self.snapshot.geometry_wkt:
            self.overlay.add(self.snapshot.geometry_wkt, VERSION_COLOUR, width=3)
            self.overlay.zoom(self.snapshot.geometry_wkt)

    def restore_selected(self) -> int | None:
        """The selected version back as a new draft; the layer shows it at once."""
        if self.snapshot is None:
            return None
        table, record_id, version_number = self.table, self.record_id, self.snapshot.version
        new_version = self.run(lambda conn: review.restore(conn, table, record_id, version_number))
        if new_version:
            self.report(
                tr("Version {old} restored as a draft (version {new}); submit it for verification when ready.").format(
                    old=version_number, new=new_version
                ),
                Qgis.Success,
            )
            self.reload_layer(table)
            self.show_record(table, record_id)
        return new_version
