"""Small helpers shared by the docks' read-only tables."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from zhytomyr_gis_plugin.i18n import tr

EMPTY = "—"


def display_value(value: Any) -> str:
    """A database value as a clerk reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, list):
        return ", ".join(display_value(v) for v in value)
    if isinstance(value, dict):
        return tr("geometry") if "coordinates" in value else ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def read_only_table(headers: list[str], multi: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.ExtendedSelection if multi else QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: list[tuple[str, ...]], tooltips: list[str] | None = None) -> None:
    table.clearContents()
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.UserRole, r)
            if tooltips and tooltips[r]:
                item.setToolTip(tooltips[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def selected_rows(table: QTableWidget) -> list[int]:
    return sorted({index.row() for index in table.selectionModel().selectedRows()})
