"""What a register's QGIS form looks like, as plain data.

Built from the register's declaration (zhytomyr_gis/registers.py) and the
database's column rules (zhytomyr_gis/db_rules.py); the plugin turns it into
QGIS editor widgets, constraints, defaults and a tabbed layout
(zhytomyr_gis_plugin/layers/form_config.py) and stores that as the layer's
default style in the database. No form is written by hand per layer.

Widget type names and configuration keys are those of QGIS's editor widget
registry (TextEdit, Range, DateTime, ValueRelation, RelationReference,
CheckBox, ValueMap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhytomyr_gis import form_expressions
from zhytomyr_gis.db_rules import ColumnRule
from zhytomyr_gis.registers import BY_TABLE, STATUS_LABELS, WORKFLOW_COLUMNS, Field, Register

# Ukrainian labels of the workflow columns every register carries.
WORKFLOW_LABELS = {
    "status": "Стан перевірки",
    "version": "Версія",
    "deleted": "Позначено до видалення",
    "status_note": "Примітка перевіряльника / причина відхилення",
    "restored_from": "Відновлено з події історії №",
    "created_by": "Створив",
    "created_at": "Створено",
    "updated_by": "Останнім змінив",
    "updated_at": "Змінено",
}
WORKFLOW_TAB = "Стан і історія"
VERSION_ON_UPDATE = '"version" + 1'
# Sentinel for a range without an upper bound (the Range widget needs one).
NO_MAXIMUM = 1e12


@dataclass(frozen=True)
class RelationSpec:
    """A parent-child link, edited inside the parent's form."""

    id: str
    name: str
    child_table: str
    child_field: str
    parent_table: str


@dataclass
class FieldForm:
    name: str
    alias: str
    widget: str
    config: dict
    editable: bool = True
    constraint_expression: str | None = None
    constraint_description: str | None = None
    default_expression: str | None = None
    default_on_update: bool = False


@dataclass
class Tab:
    title: str
    fields: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)  # RelationSpec ids


@dataclass
class FormSpec:
    register: Register
    fields: dict[str, FieldForm]
    tabs: list[Tab]
    relations: list[RelationSpec]


def relation_of(child: Register) -> RelationSpec | None:
    """The relation that puts a child register's records into its parent's form."""
    if child.parent is None:
        return None
    parent_table, fk = child.parent
    return RelationSpec(
        id=f"{child.schema}_{child.name}_{fk}",
        name=child.title_uk,
        child_table=child.table,
        child_field=fk,
        parent_table=parent_table,
    )


def display_field(register: Register) -> str:
    """A column that names a record, for drop-downs that list a register."""
    m = re.match(r'"(\w+)"', register.display_expression)
    names = {f.name for f in register.fields}
    if m and m.group(1) in names:
        return m.group(1)
    return "name_uk" if "name_uk" in names else "id"


def layer_name(table: str) -> str:
    """The name a register's layer has in a workspace (what ValueRelation widgets look for)."""
    if table.startswith("ref.cl_"):
        return table.split(".", 1)[1]
    return BY_TABLE[table].title_uk


def classifier_source(classifier: str) -> str:
    return f"ref.{classifier}"


def _range(rules: list[ColumnRule], column: str) -> tuple[float, float]:
    """The bounds the database's range rule on ``column`` allows (none: unbounded)."""
    for rule in rules:
        if rule.kind == "range" and rule.column == column:
            return rule.minimum, rule.maximum if rule.maximum is not None else NO_MAXIMUM
    return -NO_MAXIMUM, NO_MAXIMUM


def _widget(reg: Register, f: Field, rules: list[ColumnRule], required: bool) -> tuple[str, dict]:
    if f.widget == "classifier":
        name = f.classifier
        return "ValueRelation", {
            "Layer": name,
            "LayerName": name,
            "LayerProviderName": "postgres",
            "LayerSource": "",
            "Key": "code",
            "Value": "label_uk",
            "OrderByValue": False,
            "AllowNull": not required,
            "AllowMulti": False,
            "UseCompleter": False,
            "FilterExpression": '"active"',
            "NofColumns": 1,
        }
    if f.widget == "relation":
        if reg.parent and reg.parent[1] == f.name:
            rel = relation_of(reg)
            return "RelationReference", {
                "Relation": rel.id,
                "AllowNULL": not required,
                "ShowForm": False,
                "ShowOpenFormButton": True,
                "MapIdentification": False,
                "ReadOnly": False,
                "AllowAddFeatures": False,
            }
        target = BY_TABLE[f.relation]
        name = layer_name(target.table)
        return "ValueRelation", {
            "Layer": name,
            "LayerName": name,
            "LayerProviderName": "postgres",
            "LayerSource": "",
            "Key": "id",
            "Value": display_field(target),
            "OrderByValue": True,
            "AllowNull": not required,
            "AllowMulti": False,
            "UseCompleter": True,
            "FilterExpression": "",
            "NofColumns": 1,
        }
    if f.widget in ("integer", "decimal"):
        minimum, maximum = _range(rules, f.name)
        return "Range", {
            "Min": minimum,
            "Max": maximum,
            "Step": 1 if f.widget == "integer" else 0.01,
            "Style": "SpinBox",
            "AllowNull": not required,
            "Precision": 0 if f.widget == "integer" else 4,
            "Suffix": "",
        }
    if f.widget == "date":
        return "DateTime", _date_config(with_time=False)
    if f.widget == "bool":
        return "CheckBox", {"CheckedState": "", "UncheckedState": "", "TextDisplayMethod": 0}
    return "TextEdit", {"IsMultiline": f.widget == "multiline", "UseHtml": False}


def _date_config(with_time: bool) -> dict:
    return {
        "allow_null": True,
        "calendar_popup": True,
        "display_format": "dd.MM.yyyy HH:mm" if with_time else "dd.MM.yyyy",
        "field_format": "yyyy-MM-dd HH:mm:ss" if with_time else "yyyy-MM-dd",
        "field_iso_format": with_time,
    }


def _workflow_field(name: str) -> FieldForm:
    if name == "status":
        widget, config = "ValueMap", {"map": [{uk: code} for code, (uk, _en) in STATUS_LABELS.items()]}
    elif name in ("created_at", "updated_at"):
        widget, config = "DateTime", _date_config(with_time=True)
    elif name == "deleted":
        widget, config = "CheckBox", {"CheckedState": "", "UncheckedState": "", "TextDisplayMethod": 0}
    else:
        widget, config = "TextEdit", {"IsMultiline": name == "status_note", "UseHtml": False}
    form = FieldForm(name, WORKFLOW_LABELS[name], widget, config, editable=False)
    if name == "version":
        # The database refuses an update unless it writes the version read + 1
        # (optimistic concurrency); the plugin's commit guard keeps it at +1
        # however many edits a feature gets before saving.
        form.default_expression = VERSION_ON_UPDATE
        form.default_on_update = True
    return form


def saved_parent_expression(column: str) -> str:
    """True when the link holds the id of a saved record.

    A new parent has no id until it is saved (ids are identity columns the
    database assigns), so a child added to it in the parent's form carries
    NULL or the text of the id's default; the form refuses it with a message
    that says what to do, rather than sending a record the database would
    refuse or link to the wrong parent.
    """
    return f"regexp_match(coalesce(to_string(\"{column}\"), ''), '^[1-9][0-9]*$') > 0"


def _require_saved_parent(register: Register, link: FieldForm) -> None:
    parent = BY_TABLE[register.parent[0]]
    link.constraint_expression = saved_parent_expression(link.name)
    link.constraint_description = (
        f"{link.alias}: виберіть збережений запис. Новий запис реєстру «{parent.title_uk}» спершу збережіть"
        f" (кнопка «Зберегти зміни шару»), а потім додавайте до нього «{register.title_uk}»"
    )


def build(register: Register, rules: list[ColumnRule], required: frozenset[str] = frozenset()) -> FormSpec:
    """The form of one register, with the database's rules as constraints.

    ``rules`` and ``required`` are the database's (db_rules.read_rules and
    read_required): the forms hold no rule of their own.
    """
    fields: dict[str, FieldForm] = {}
    for f in register.fields:
        widget, config = _widget(register, f, rules, f.name in required)
        editable = f.widget != "readonly"
        fields[f.name] = FieldForm(f.name, f.label_uk, widget, config, editable=editable)
    for rule in rules:
        target = fields[rule.column]
        expression = form_expressions.expression(rule)
        if target.constraint_expression:
            # QGIS keeps one expression per field: all rules must hold.
            target.constraint_expression = f"({target.constraint_expression}) AND ({expression})"
            target.constraint_description = f"{target.constraint_description}; {rule.description_uk}"
        else:
            target.constraint_expression = expression
            target.constraint_description = rule.description_uk
    if register.parent is not None:
        _require_saved_parent(register, fields[register.parent[1]])
    for name in WORKFLOW_COLUMNS:
        fields[name] = _workflow_field(name)

    group_titles = {key: title for key, title, _en in register.groups}
    tabs = [Tab(group_titles[key]) for key, _t, _e in register.groups]
    by_key = {key: tab for (key, _t, _e), tab in zip(register.groups, tabs, strict=True)}
    for f in register.fields:
        by_key[f.group].fields.append(f.name)
    relations = [relation_of(BY_TABLE[child]) for child in register.children]
    for rel in relations:
        tabs.append(Tab(rel.name, relations=[rel.id]))
    tabs.append(Tab(WORKFLOW_TAB, fields=list(WORKFLOW_COLUMNS)))
    return FormSpec(register, fields, tabs, relations)
