"""The "Review changes" dock of verifiers: the department's submitted changes,
filterable; for the selected one the checks' findings, the attributes against
the published version and both geometries on the map; approve, reject with a
reason, approve many where no error stands.

Everything is decided by the database through zhytomyr_gis.review; ``run``
(the plugin's) gives a connection and turns a refusal into a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import Qgis
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from zhytomyr_gis import review, review_filter
from zhytomyr_gis_plugin.gui import map_overlay, tables
from zhytomyr_gis_plugin.gui.reject_dialog import RejectDialog
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.layers.symbols import REGISTER_COLOURS

Run = Callable[[Callable[[Any], Any]], Any]  # run(work(conn)) -> result, or None after a refusal
Report = Callable[[str, Any], None]  # report(text, Qgis level)

ERRORS_ANY, ERRORS_WITH, ERRORS_WITHOUT = 0, 1, 2


class ReviewDock(QgsDockWidget):
    def __init__(self, run: Run, canvas, report: Report, published: Callable[[str], None] = lambda _table: None):
        super().__init__(tr("Review changes"))
        self.setObjectName("ZhytomyrGisReview")
        self.run, self.report, self.published = run, report, published
        self.overlay = map_overlay.GeometryOverlay(canvas)
        self.all_items: list[review.QueueItem] = []
        self.items: list[review.QueueItem] = []  # as shown, after the filters
        self.current: review.QueueItem | None = None
        self.current_findings: list[review.Finding] = []
        self.current_diff: review.RecordDiff | None = None
        self.last_skipped: dict[tuple[str, int], str] = {}

        # Filters
        self.register_combo = QComboBox()
        self.author_combo = QComboBox()
        self.older_spin = QSpinBox()
        self.older_spin.setRange(0, 3650)
        self.older_spin.setSuffix(tr(" days or more"))
        self.errors_combo = QComboBox()
        self.errors_combo.addItems([tr("with or without errors"), tr("with errors"), tr("without errors")])
        for combo in (self.register_combo, self.author_combo, self.errors_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.older_spin.valueChanged.connect(self.apply_filters)
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for widget in (self.register_combo, self.author_combo, self.older_spin, self.errors_combo, refresh):
            filters.addWidget(widget)

        # The queue
        self.queue_table = tables.read_only_table(
            [tr("Register"), tr("Record"), tr("Author"), tr("Submitted"), tr("Errors"), tr("Warnings"), tr("Note")],
            multi=True,
        )
        self.queue_table.itemSelectionChanged.connect(self._selection_changed)
        self.summary = QLabel()

        # The selected change
        self.findings_table = tables.read_only_table(
            [tr("Severity"), tr("Check"), tr("How to fix"), tr("Acknowledged")]
        )
        self.acknowledge_button = QPushButton(tr("Acknowledge warnings…"))
        self.acknowledge_button.clicked.connect(lambda: self.acknowledge_warnings())
        findings_box = QGroupBox(tr("Checks"))
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.addWidget(self.findings_table)
        findings_layout.addWidget(self.acknowledge_button, 0, Qt.AlignLeft)
        self.findings_box = findings_box

        self.diff_table = tables.read_only_table([tr("Field"), tr("Published"), tr("New")])
        self.geometry_label = QLabel()
        self.geometry_label.setWordWrap(True)
        diff_box = QGroupBox(tr("Differences from the published version"))
        diff_layout = QVBoxLayout(diff_box)
        diff_layout.addWidget(self.diff_table)
        diff_layout.addWidget(self.geometry_label)
        self.diff_box = diff_box

        self.approve_button = QPushButton(tr("Approve"))
        self.approve_button.clicked.connect(lambda: self.approve_current())
        self.reject_button = QPushButton(tr("Reject…"))
        self.reject_button.clicked.connect(lambda: self.reject_current())
        self.approve_many_button = QPushButton(tr("Approve selected without errors"))
        self.approve_many_button.clicked.connect(lambda: self.approve_selected())
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button, self.approve_many_button):
            buttons.addWidget(button)
        buttons.addStretch()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.queue_table)
        splitter = QSplitter(Qt.Vertical)
        for widget in (top, findings_box, diff_box):
            splitter.addWidget(widget)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(splitter)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome_label)
        self.setWidget(body)
        self._show_change(None)

    # ----------------------------------------------------------------- queue
    def refresh(self) -> None:
        """Read the queue again (the filters stay)."""
        items = self.run(lambda conn: review.queue(conn))
        self.all_items = items or []
        self._fill_filter_choices()
        self.apply_filters()

    def _fill_filter_choices(self) -> None:
        for combo, first, choices in (
            (self.register_combo, tr("All registers"), review_filter.registers(self.all_items)),
            (self.author_combo, tr("All authors"), [(a, a) for a in review_filter.authors(self.all_items)]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value, text in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def queue_filter(self) -> review_filter.QueueFilter:
        errors = self.errors_combo.currentIndex()
        return review_filter.QueueFilter(
            table=self.register_combo.currentData(),
            author=self.author_combo.currentData(),
            older_than_days=self.older_spin.value(),
            has_errors=None if errors == ERRORS_ANY else errors == ERRORS_WITH,
        )

    def apply_filters(self) -> None:
        previous = self.current
        self.items = review_filter.apply(self.all_items, self.queue_filter())
        rows = [
            (
                item.register_title_uk,
                item.label + (tr(" (new)") if item.is_new else tr(" (deletion)") if item.is_deletion else ""),
                item.submitted_by or "",
                item.submitted_at.strftime("%d.%m.%Y %H:%M") if item.submitted_at else "",
                str(item.errors),
                f"{item.warnings - item.unacknowledged}/{item.warnings}" if item.warnings else "0",
                item.note or "",
            )
            for item in self.items
        ]
        tips = [tr("Your own change: another verifier has to approve it.") if i.own_change else "" for i in self.items]
        self.queue_table.blockSignals(True)
        tables.fill(self.queue_table, rows, tips)
        self.queue_table.blockSignals(False)
        self.summary.setText(
            tr("Waiting for review: {shown} of {total}").format(shown=len(self.items), total=len(self.all_items))
        )
        keep = previous and self.select(previous.table, previous.record_id)
        if not keep:
            self._show_change(None)

    def select(self, table: str, record_id: int) -> bool:
        """Select a change in the queue (as a click does); False if it is not shown."""
        for row, item in enumerate(self.items):
            if (item.table, item.record_id) == (table, record_id):
                self.queue_table.selectRow(row)
                self._show_change(item)
                return True
        return False

    def selected_items(self) -> list[review.QueueItem]:
        return [self.items[r] for r in tables.selected_rows(self.queue_table)]

    def _selection_changed(self) -> None:
        chosen = self.selected_items()
        self._show_change(chosen[0] if len(chosen) == 1 else None)

    # ------------------------------------------------------------ the change
    def _show_change(self, item: review.QueueItem | None) -> None:
        self.current = item
        self.current_findings, self.current_diff = [], None
        self.overlay.clear()
        for button in (self.approve_button, self.reject_button, self.acknowledge_button):
            button.setEnabled(item is not None)
        if item is None:
            tables.fill(self.findings_table, [])
            tables.fill(self.diff_table, [])
            self.geometry_label.setText(tr("Select a change in the queue."))
            return
        loaded = self.run(
            lambda conn: (
                review.findings(conn, item.table, item.record_id),
                review.diff(conn, item.table, item.record_id),
            )
        )
        if loaded is None:
            return
        self.current_findings, self.current_diff = loaded
        self._show_findings()
        self._show_diff(item)

    def _show_findings(self) -> None:
        rows = [
            (
                tr("error") if f.severity == "error" else tr("warning"),
                f.message_uk,
                f.hint_uk,
                f"{f.acknowledged_by}: {f.acknowledgement_note or ''}".rstrip(": ")
                if f.acknowledged_at
                else ("" if f.severity == "error" else tr("not yet")),
            )
            for f in self.current_findings
        ]
        tables.fill(self.findings_table, rows, [f"{f.rule_id}. {f.detail_text()}" for f in self.current_findings])
        self.findings_box.setTitle(tr("Checks: {count}").format(count=len(rows)) if rows else tr("Checks: no findings"))
        open_warnings = [f for f in self.current_findings if f.severity == "warning" and f.blocks_approval]
        self.acknowledge_button.setEnabled(bool(open_warnings))

    def _show_diff(self, item: review.QueueItem) -> None:
        d = self.current_diff
        rows = [(c.label_uk, tables.display_value(c.before), tables.display_value(c.after)) for c in d.changes]
        tables.fill(self.diff_table, rows)
        if d.is_new:
            text = tr("A new record: nothing of it is published yet.")
        elif d.is_deletion:
            text = tr("The editor asks to delete the record.")
        elif d.geometry_changed:
            text = tr("The geometry changed: published in grey dashes, new in colour on the map.")
        else:
            text = tr("The geometry did not change.")
        self.geometry_label.setText(text)
        colour = REGISTER_COLOURS.get(item.department, map_overlay.PUBLISHED_COLOUR)
        self.overlay.add(d.geometry_before_wkt, map_overlay.PUBLISHED_COLOUR, dashed=True)
        self.overlay.add(d.geometry_after_wkt, colour, width=3)
        self.overlay.zoom(d.geometry_before_wkt, d.geometry_after_wkt)

    # ------------------------------------------------------------- decisions
    def _after_decision(self, tables_touched: set[str]) -> None:
        for table in tables_touched:
            self.published(table)
        self.refresh()

    def approve_current(self) -> int | None:
        item = self.current
        if item is None:
            return None
        count = self.run(lambda conn: review.approve(conn, item.table, [item.record_id], [item.version]))
        if count:
            self.report(tr("Approved and published: «{record}»").format(record=item.label), Qgis.Success)
            self._after_decision({item.table})
        return count

    def reject_current(self, reason: str | None = None) -> int | None:
        """Reject the selected change; without a reason given, ask for one."""
        item = self.current
        if item is None:
            return None
        if reason is None:
            dialog = RejectDialog(item.label, self)
            if dialog.exec_() != dialog.Accepted:
                return None
            reason = dialog.reason
        count = self.run(lambda conn: review.reject(conn, item.table, [item.record_id], reason))
        if count:
            self.report(tr("Returned to the editor: «{record}»").format(record=item.label), Qgis.Success)
            self._after_decision(set())
        return count

    def acknowledge_warnings(self, note: str | None = None) -> int | None:
        """Acknowledge the open warnings of the selected change, with a note why it may pass."""
        item = self.current
        if item is None:
            return None
        if note is None:
            note, ok = QInputDialog.getText(self, tr("Acknowledge warnings"), tr("Why the change may pass anyway:"))
            if not ok:
                return None
        count = self.run(lambda conn: review.acknowledge(conn, item.table, [item.record_id], None, note or None))
        if count:
            self.report(tr("Warnings acknowledged: {count}").format(count=count), Qgis.Info)
            self.refresh()
        return count

    def approve_selected(self) -> list[int]:
        """Approve the selected changes where no error stands; report the others and why."""
        chosen = self.selected_items() or ([self.current] if self.current else [])
        by_table: dict[str, list[review.QueueItem]] = {}
        for item in chosen:
            by_table.setdefault(item.table, []).append(item)
        approved: list[int] = []
        self.last_skipped = {}
        for table, items in by_table.items():
            ids = [i.record_id for i in items]
            # The versions shown in the queue: what the verifier reviewed.
            versions = [i.version for i in items]
            outcome = self.run(lambda conn, t=table, i=ids, v=versions: review.approve_many(conn, t, i, v))
            if outcome is None:
                continue
            approved += outcome.approved
            labels = {i.record_id: i.label for i in items}
            for record_id, (reason_uk, _reason_en) in outcome.left.items():
                self.last_skipped[(table, record_id)] = f"«{labels[record_id]}»: {reason_uk}"
        text = tr("Approved: {approved}; left for review: {left}").format(
            approved=len(approved), left=len(self.last_skipped)
        )
        if self.last_skipped:
            text += "\n" + "\n".join(self.last_skipped.values())
        self.outcome_label.setText(text)
        self.report(text, Qgis.Warning if self.last_skipped else Qgis.Success)
        if approved:
            self._after_decision(set(by_table))
        return approved
