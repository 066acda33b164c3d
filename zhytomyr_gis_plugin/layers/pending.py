"""The records a layer is about to send to the database, checked against the
form's rules and named the way a clerk knows them."""

from __future__ import annotations

from qgis.core import (
    NULL,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsFieldConstraints,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerUtils,
)

from zhytomyr_gis.registers import WORKFLOW_COLUMNS
from zhytomyr_gis_plugin.i18n import tr

SKIPPED_FIELDS = {"id", *WORKFLOW_COLUMNS}  # filled in by the database, not by the clerk


def pending_features(layer: QgsVectorLayer) -> list[QgsFeature]:
    """New and changed features of the edit buffer, as they will be saved."""
    buffer = layer.editBuffer()
    if buffer is None:
        return []
    added = list(buffer.addedFeatures().values())
    changed = (set(buffer.changedAttributeValues()) | set(buffer.changedGeometries())) - set(buffer.addedFeatures())
    if changed:
        added += list(layer.getFeatures(QgsFeatureRequest().setFilterFids(sorted(changed))))
    return added


def rule_failures(layer: QgsVectorLayer, feature: QgsFeature) -> list[str]:
    """What the form's hard constraints (the database's rules) say about a feature, in the form's words.

    QGIS's own wording ("... check failed") is not used: the layer's
    constraints carry the database's Ukrainian message as their description,
    and the provider's (NOT NULL, UNIQUE) are worded here.
    """
    messages: list[str] = []
    hard = QgsFieldConstraints.ConstraintStrengthHard
    for index, field in enumerate(layer.fields()):
        if field.name() in SKIPPED_FIELDS:
            continue
        label = layer.attributeDisplayName(index)
        rule_ok, _ = QgsVectorLayerUtils.validateAttribute(
            layer, feature, index, hard, QgsFieldConstraints.ConstraintOriginLayer
        )
        if not rule_ok:
            messages.append(layer.constraintDescription(index) or tr("«{field}» breaks a rule").format(field=label))
            continue
        provider_ok, _ = QgsVectorLayerUtils.validateAttribute(
            layer, feature, index, hard, QgsFieldConstraints.ConstraintOriginProvider
        )
        if not provider_ok:
            value = feature.attribute(index)
            if value is None or value == NULL:
                messages.append(tr("fill in «{field}»").format(field=label))
            else:
                messages.append(tr("«{value}» ({field}) is already in the register").format(value=value, field=label))
    return messages


def display_name(layer: QgsVectorLayer, feature: QgsFeature) -> str:
    expression = QgsExpression(layer.displayExpression())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    value = expression.evaluate(context)
    if value in (None, "") or expression.hasEvalError():
        if feature.id() < 0:
            return tr("new record")
        # The record's id, not QGIS's feature id (its own numbering, see loader.record_ids).
        key = feature.fieldNameIndex("id")
        return f"#{feature.attribute(key) if key >= 0 else feature.id()}"
    return str(value)


def describe(layer: QgsVectorLayer, feature: QgsFeature, project: QgsProject | None = None) -> str:
    """«РД-2024-0157» (Рекламний засіб «РК-00001»): the record and, for a child, its parent."""
    name = f"«{display_name(layer, feature)}»"
    manager = (project or QgsProject.instance()).relationManager()
    for relation in manager.referencingRelations(layer):
        parent = relation.getReferencedFeature(feature)
        if parent.isValid():
            link = layer.fields().indexOf(next(iter(relation.fieldPairs()), ""))
            label = layer.attributeDisplayName(link) if link >= 0 else relation.referencedLayer().name()
            return f"{name} ({label} «{display_name(relation.referencedLayer(), parent)}»)"
    return name
