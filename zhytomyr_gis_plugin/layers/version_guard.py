"""Keeps an edited feature's version at "the version read + 1" when it is saved.

The database refuses an update unless it writes ``version = version read + 1``
(optimistic concurrency: a change based on an older version is a conflict).
The layers' default value ``"version" + 1`` (applied on update) does this for
a single edit, and QGIS sends attribute and geometry changes of a feature in
one UPDATE. But QGIS re-applies the default on every edit of the same feature
in one editing session (two attribute edits, or an attribute and a geometry
edit, give read + 2), which the database would refuse as a conflict. The
guard remembers the version each feature had in the database when it was
first edited and, just before the commit, sets exactly that + 1.
"""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsVectorLayer


class VersionGuard:
    def __init__(self, layer: QgsVectorLayer, field: str = "version"):
        self.layer = layer
        self.field = field
        self.read_versions: dict[int, int] = {}
        self._adjusting = False
        layer.attributeValueChanged.connect(self._remember)
        layer.geometryChanged.connect(self._remember)
        layer.beforeCommitChanges.connect(self._set_versions)
        layer.afterCommitChanges.connect(self._forget_saved)
        layer.afterRollBack.connect(self.read_versions.clear)

    def _remember(self, fid: int, *_args) -> None:
        if self._adjusting or fid < 0 or fid in self.read_versions:
            return  # new features (negative ids) get their version from the database
        request = QgsFeatureRequest(fid).setFlags(QgsFeatureRequest.NoGeometry)
        request.setSubsetOfAttributes([self.field], self.layer.fields())
        for feature in self.layer.dataProvider().getFeatures(request):
            self.read_versions[fid] = feature[self.field]

    def _set_versions(self, *_args) -> None:
        buffer = self.layer.editBuffer()
        if buffer is None:
            return
        index = self.layer.fields().indexOf(self.field)
        changed = set(buffer.changedAttributeValues()) | set(buffer.changedGeometries())
        self._adjusting = True
        try:
            for fid in changed:
                if fid in self.read_versions:
                    # skipDefaultValues: setting the version must not re-apply "version" + 1.
                    self.layer.changeAttributeValue(fid, index, self.read_versions[fid] + 1, None, True)
        finally:
            self._adjusting = False

    def _forget_saved(self) -> None:
        buffer = self.layer.editBuffer()
        pending = set()
        if buffer is not None:
            pending = set(buffer.changedAttributeValues()) | set(buffer.changedGeometries())
        self.read_versions = {fid: v for fid, v in self.read_versions.items() if fid in pending}

    def disconnect(self) -> None:
        try:
            self.layer.attributeValueChanged.disconnect(self._remember)
            self.layer.geometryChanged.disconnect(self._remember)
            self.layer.beforeCommitChanges.disconnect(self._set_versions)
            self.layer.afterCommitChanges.disconnect(self._forget_saved)
        except (TypeError, RuntimeError):
            pass  # already disconnected, or the layer was removed with its project
