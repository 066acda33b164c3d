"""The "My changes" dock: my drafts, submissions and rejected changes with
the reviewer's reason; withdraw a submission; zoom to a record."""

from __future__ import annotations

from collections.abc import Callable

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zhytomyr_gis.workflow_client import Change
from zhytomyr_gis_plugin.i18n import tr


class MyChangesDock(QgsDockWidget):
    def __init__(self, load_changes: Callable[[], list[Change]], withdraw: Callable[[list[Change]], None], zoom_to):
        super().__init__(tr("My changes"))
        self.setObjectName("ZhytomyrGisMyChanges")
        self.load_changes = load_changes
        self.withdraw_changes = withdraw
        self.zoom_to = zoom_to
        self.changes: list[Change] = []

        headers = [tr("Register"), tr("Record"), tr("State"), tr("Changed"), tr("Reviewer's reason")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.zoom_to(self.changes[index.row()]))
        self.summary = QLabel()
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        withdraw_button = QPushButton(tr("Withdraw selected"))
        withdraw_button.clicked.connect(self._withdraw_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(refresh)
        buttons.addWidget(withdraw_button)
        buttons.addStretch()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setWidget(body)

    def refresh(self) -> None:
        self.changes = self.load_changes()
        self.table.setRowCount(len(self.changes))
        for row, change in enumerate(self.changes):
            values = (
                change.register_title,
                change.label,
                change.status_uk,
                change.updated_at.strftime("%d.%m.%Y %H:%M"),
                f"{change.reviewer_note} ({change.reviewer})" if change.reviewer_note else "",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.UserRole, (change.table, change.record_id))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        counts = {s: sum(1 for c in self.changes if c.status == s) for s in ("draft", "submitted", "rejected")}
        self.summary.setText(tr("Drafts: {draft} · submitted: {submitted} · rejected: {rejected}").format(**counts))

    def selected_changes(self) -> list[Change]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.changes[r] for r in rows]

    def _withdraw_selected(self) -> None:
        chosen = [c for c in self.selected_changes() if c.status in ("submitted", "rejected")]
        if chosen:
            self.withdraw_changes(chosen)
            self.refresh()
