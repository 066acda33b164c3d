"""Turns a register's form description (zhytomyr_gis.form_spec) into QGIS
editor widgets, aliases, constraints, defaults and a tabbed layout."""

from __future__ import annotations

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsAttributeEditorField,
    QgsAttributeEditorRelation,
    QgsDefaultValue,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsFieldConstraints,
    QgsProject,
    QgsVectorLayer,
)

from zhytomyr_gis.form_spec import FormSpec


def apply_fields(layer: QgsVectorLayer, spec: FormSpec) -> None:
    """Aliases, widgets, constraints and defaults of every field."""
    fields = layer.fields()
    for name, form in spec.fields.items():
        index = fields.indexOf(name)
        if index < 0:
            continue
        layer.setFieldAlias(index, form.alias)
        config = dict(form.config)
        if form.widget == "Range" and config.get("Precision", 0):
            # Show as many decimals as the column keeps (numeric(12, 4) -> 4).
            precision = fields.at(index).precision()
            config["Precision"] = precision if precision > 0 else config["Precision"]
        layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup(form.widget, config))
        if form.constraint_expression:
            layer.setConstraintExpression(index, form.constraint_expression, form.constraint_description)
            layer.setFieldConstraint(
                index, QgsFieldConstraints.ConstraintExpression, QgsFieldConstraints.ConstraintStrengthHard
            )
        if form.default_expression:
            layer.setDefaultValueDefinition(index, QgsDefaultValue(form.default_expression, form.default_on_update))
    layer.setDisplayExpression(spec.register.display_expression)


def apply_layout(layer: QgsVectorLayer, spec: FormSpec, project: QgsProject | None = None) -> None:
    """The drag-and-drop form: one tab per group, children's records in their own tabs,
    workflow and history fields read-only."""
    config = layer.editFormConfig()
    config.setLayout(QgsEditFormConfig.TabLayout)
    config.clearTabs()
    fields = layer.fields()
    relations = (project or QgsProject.instance()).relationManager()
    for tab in spec.tabs:
        container = QgsAttributeEditorContainer(tab.title, config.invisibleRootContainer())
        container.setIsGroupBox(False)
        for name in tab.fields:
            index = fields.indexOf(name)
            if index >= 0:
                container.addChildElement(QgsAttributeEditorField(name, index, container))
        for relation_id in tab.relations:
            relation = relations.relation(relation_id)
            element = (
                QgsAttributeEditorRelation(relation, container)
                if relation.isValid()
                else QgsAttributeEditorRelation(relation_id, container)
            )
            element.setShowLabel(False)
            element.setRelationWidgetTypeId("relation_editor")  # QGIS's standard editor, named explicitly
            container.addChildElement(element)
        config.addTab(container)
    for name, form in spec.fields.items():
        index = fields.indexOf(name)
        if index >= 0:
            config.setReadOnly(index, not form.editable)
    layer.setEditFormConfig(config)


def apply(layer: QgsVectorLayer, spec: FormSpec, project: QgsProject | None = None) -> None:
    apply_fields(layer, spec)
    apply_layout(layer, spec, project)
