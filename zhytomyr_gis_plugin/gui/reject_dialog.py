"""Rejecting a change needs a reason the editor can act on: the dialog's OK
stays disabled until one is written (the database refuses an empty one too)."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from zhytomyr_gis_plugin.i18n import tr

MIN_REASON_LENGTH = 3  # as zhytomyr_gis.review.reject asks


class RejectDialog(QDialog):
    def __init__(self, what: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Reject the change"))
        self.setObjectName("ZhytomyrGisRejectDialog")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(tr("What the editor has to correct"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("Reject"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Reason for rejecting «{what}» (required):").format(what=what)))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    @property
    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def can_accept(self) -> bool:
        return self.buttons.button(QDialogButtonBox.Ok).isEnabled()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(len(self.reason) >= MIN_REASON_LENGTH)
