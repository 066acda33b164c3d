"""Failed saves explained in Ukrainian in the message bar, never as a traceback.

QGIS reports a failed commit as provider text ("PostGIS error while changing
attributes: ERROR: ..."); this reads it with zhytomyr_gis.errors and shows
what the database said and what to do, and names the records that were
not saved. The failed edits stay in the layer's edit buffer (QGIS keeps
what was not saved), so the clerk can correct them.
"""

from __future__ import annotations

import re

from qgis.core import Qgis, QgsApplication, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer

from zhytomyr_gis import errors
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.layers import pending

# Problems of the connection, not of the edits: whatever QGIS could not save
# stays in the layer's edit buffer and is saved by the next commit.
_CONNECTION_KINDS = ("connection_lost", "server_down")


def failure(layer: QgsVectorLayer, provider_log: list[str] | None = None) -> errors.Problem | None:
    """The problem of the layer's last commit, or None when it succeeded.

    When the server could not be reached, QGIS's commit errors only count
    what was not applied; the provider's reason went to the message log
    (``provider_log``, the PostGIS messages logged during the commit)."""
    lines = layer.commitErrors()
    if not any(line.strip().startswith(("ERROR", "Provider errors")) for line in lines):
        return None
    labels = {layer.fields().at(i).name(): layer.attributeDisplayName(i) for i in range(layer.fields().count())}
    problem = errors.explain_qgis(lines, labels)
    if problem.kind == "unknown" and provider_log:
        logged = errors.explain_qgis(provider_log, labels)
        if logged.kind in _CONNECTION_KINDS:
            problem = logged
    if problem.kind in _CONNECTION_KINDS:
        # Said for saving: the edits are kept and a later save will send them.
        problem = errors.Problem("connection_lost", errors.explain(None, "no connection to the server").message_uk)
    return problem


def _without_values(text: str) -> str:
    return " ".join(re.sub(r"«[^»]*»", "", text).split())


def refused_records(layer: QgsVectorLayer, problem: errors.Problem) -> list[str]:
    """The unsaved records the problem is about, named for the clerk.

    Records that break a form rule are named with what they break (unless
    that is what the database's message already says); when none does
    (uniqueness, a conflict), the records holding a value the database
    quoted («...») are named; failing that, every record still unsaved.
    """
    unsaved = pending.pending_features(layer)
    said = _without_values(problem.message_uk)
    lines = []
    for feature in unsaved:
        broken = pending.rule_failures(layer, feature)
        if broken:
            name = pending.describe(layer, feature)
            untold = [f for f in broken if _without_values(f) not in said]
            lines.append(f"{name}: {'; '.join(untold)}" if untold else name)
    if lines:
        return lines
    quoted = set(re.findall(r"«([^»]+)»", problem.message_uk))
    named = [f for f in unsaved if quoted & {str(v) for v in f.attributes() if v is not None}]
    return [pending.describe(layer, f) for f in (named or unsaved)]


def show(message_bar, layer: QgsVectorLayer, problem: errors.Problem, records: list[str] | None = None) -> None:
    # Which record first: the database's reason may be about the first of several.
    text = str(problem)
    if records:
        text = tr("Not saved: {records}.").format(records=" · ".join(records)) + " " + text
    message_bar.pushMessage(
        tr("Changes to «{layer}» were not saved").format(layer=layer.name()),
        text,
        Qgis.Critical,
        0,
    )


class CommitReporter:
    """Watches a layer's saves and explains a refusal in the message bar."""

    def __init__(self, layer: QgsVectorLayer, message_bar):
        self.layer = layer
        self.message_bar = message_bar
        self.last_problem: errors.Problem | None = None
        self.last_records: list[str] = []
        self._provider_log: list[str] = []
        layer.beforeCommitChanges.connect(self._after_commit_returns)
        QgsApplication.messageLog().messageReceived.connect(self._logged)

    def _logged(self, message: str, tag: str, _level) -> None:
        if tag == "PostGIS" and len(self._provider_log) < 50:
            self._provider_log.append(message)

    def _after_commit_returns(self, *_args) -> None:
        # QGIS has no "commit failed" signal: look at the result once commitChanges() returned.
        self._provider_log = []
        QTimer.singleShot(0, self.check)

    def check(self) -> errors.Problem | None:
        problem = failure(self.layer, self._provider_log)
        self.last_problem = problem
        self.last_records = refused_records(self.layer, problem) if problem is not None else []
        if problem is not None:
            show(self.message_bar, self.layer, problem, self.last_records)
        return problem

    def disconnect(self) -> None:
        try:
            self.layer.beforeCommitChanges.disconnect(self._after_commit_returns)
        except (TypeError, RuntimeError):
            pass  # already disconnected, or the layer was removed with its project
        try:
            QgsApplication.messageLog().messageReceived.disconnect(self._logged)
        except (TypeError, RuntimeError):
            pass
