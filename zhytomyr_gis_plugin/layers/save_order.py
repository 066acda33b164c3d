"""Saving a parent register and its children (a structure and its permits, a
building and its consumption and measures, a project and its payments),
which a clerk edits together in the parent's form.

The choice, and why:
- Each layer is saved in its own database transaction, as QGIS does. QGIS's
  alternative, transaction groups, keeps one transaction open for the whole
  editing session: every edit goes to the server at once and the edited rows
  stay locked until the clerk saves, blocking colleagues and the verifiers'
  approvals for as long as a form is open. We do not use it.
- Parents first. Saving a child layer first saves its parent layer's pending
  edits; saving a parent layer then saves its children's pending edits,
  because they were made in the same form. A refused parent stops its
  children: they are not sent and stay in the form.
- Children sent by their parent's save are checked first: if any pending
  child breaks a rule of the form (the database's rules), none of that
  layer's edits are sent, and the message names every refused record and
  its parent ("«РД-24-157» (Рекламний засіб «РК-00001»)") and why. A child
  layer saved directly, and what only the database can decide (uniqueness,
  conflicts), come back as the layer's commit error; commit_report explains
  it and names the records that were not saved. QGIS sends a layer's new
  records in one statement batch inside one transaction: all or none.
- What can be left saved is always a whole record: a parent saved while a
  child was refused is a complete draft on its own (a structure without its
  new permit yet). Drafts are not public, the clerk is told which child was
  not saved, and it stays in the edit buffer to be corrected and saved.
- A child cannot point to a parent that was never saved: ids are assigned
  by the database, and the child's form refuses a link to an unsaved parent
  with a message saying to save the parent first (form_spec).
- Deleting a parent that still has children is refused by the database
  (no cascade): the clerk deletes or moves the children first and is told so.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsVectorLayer

from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.layers import pending


class SaveOrder:
    """Keeps one parent layer and its child layers saving in the right order."""

    def __init__(self, parent: QgsVectorLayer, children: list[QgsVectorLayer], message_bar=None):
        self.parent = parent
        self.children = children
        self.message_bar = message_bar
        self.refused: dict[str, list[str]] = {}  # child layer id -> the last refusal's lines
        self._saving = False
        parent.afterCommitChanges.connect(self._save_children)
        for child in children:
            child.beforeCommitChanges.connect(self._save_parent_first)

    @staticmethod
    def _has_edits(layer: QgsVectorLayer) -> bool:
        return layer.isEditable() and layer.isModified()

    def _save_parent_first(self, *_args) -> None:
        if self._saving or not self._has_edits(self.parent):
            return
        self._saving = True
        try:
            self.parent.commitChanges(False)  # a refusal is reported by the parent's CommitReporter
        finally:
            self._saving = False

    def _save_children(self) -> None:
        if self._saving:
            return  # the parent was saved because a child is being saved: that save goes on
        self._saving = True
        try:
            for child in self.children:
                if self._has_edits(child) and self.check(child):
                    child.commitChanges(False)
        finally:
            self._saving = False

    def check(self, child: QgsVectorLayer) -> bool:
        """True when every pending record of the child layer keeps the rules; else tell the clerk."""
        lines = []
        for feature in pending.pending_features(child):
            failures = pending.rule_failures(child, feature)
            if failures:
                lines.append(f"{pending.describe(child, feature)}: {'; '.join(failures)}")
        self.refused[child.id()] = lines
        if lines and self.message_bar is not None:
            self.message_bar.pushMessage(
                tr("«{layer}» not saved: correct these records and save again").format(layer=child.name()),
                " · ".join(lines),
                Qgis.Critical,
                0,
            )
        return not lines

    def disconnect(self) -> None:
        try:
            self.parent.afterCommitChanges.disconnect(self._save_children)
            for child in self.children:
                child.beforeCommitChanges.disconnect(self._save_parent_first)
        except (TypeError, RuntimeError):
            pass  # already disconnected, or the layers were removed with their project
