"""Which layers make up a department's workspace, without Qt.

"Open my workspace" in the plugin loads this plan: the department's
registers (editable when the user edits there), the published version of
the same registers for comparison, the shared reference layers read-only,
and the classifier tables the forms' drop-downs read from.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhytomyr_gis.form_spec import layer_name
from zhytomyr_gis.registers import BY_TABLE, REGISTERS, Register, of_department

WORKSPACE_SRID = 9836
GROUP_REGISTERS = "Реєстри: {title}"
GROUP_PUBLISHED = "Опубліковано (для порівняння)"
GROUP_REFERENCE = "Довідкові шари"
GROUP_CLASSIFIERS = "Класифікатори"

# Shared layers every department works against, drawn under its registers.
REFERENCE_TABLES = ("ref.city_boundary", "ref.district", "ref.street", "ref.address")
PUBLISHED_PARCELS = "property.land_parcel"


@dataclass(frozen=True)
class LayerPlan:
    schema: str
    table: str
    name: str
    group: str
    editable: bool
    geometry: str | None  # QGIS WKB type name, None for a table without geometry
    register: str | None = None  # schema.table of the register this layer shows
    visible: bool = True
    key: str = "id"

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"


def _register_layer(reg: Register, group: str, editable: bool) -> LayerPlan:
    return LayerPlan(reg.schema, reg.name, reg.title_uk, group, editable, reg.geometry, reg.table)


def _published_layer(reg: Register, group: str, name: str | None = None, visible: bool = True) -> LayerPlan:
    schema, table = reg.published_table.split(".")
    return LayerPlan(
        schema,
        table,
        name or f"{reg.title_uk} (опубліковано)",
        group,
        False,
        reg.geometry,
        reg.table,
        visible,
    )


def plan(department: str, department_title: str, can_edit: bool) -> list[LayerPlan]:
    """Layers of one department's workspace, top of the layer tree first."""
    registers = of_department(department)
    own = {r.table for r in registers}
    group = GROUP_REGISTERS.format(title=department_title)
    layers = [_register_layer(r, group, can_edit) for r in registers]
    layers += [_published_layer(r, GROUP_PUBLISHED, visible=False) for r in registers if r.geometry]
    for table in REFERENCE_TABLES:
        if table not in own:
            layers.append(_register_layer(BY_TABLE[table], GROUP_REFERENCE, False))
    if PUBLISHED_PARCELS not in own:
        layers.append(_published_layer(BY_TABLE[PUBLISHED_PARCELS], GROUP_REFERENCE, "Земельні ділянки (опубліковані)"))
    for classifier in classifiers_of(registers):
        layers.append(
            LayerPlan("ref", classifier, layer_name(f"ref.{classifier}"), GROUP_CLASSIFIERS, False, None, key="code")
        )
    return layers


def classifiers_of(registers: tuple[Register, ...] | list[Register]) -> list[str]:
    """The ref.cl_* tables the forms of these registers (and the reference layers) read."""
    tables = {r.table for r in registers} | set(REFERENCE_TABLES)
    found: list[str] = []
    for reg in REGISTERS:
        if reg.table not in tables:
            continue
        for f in reg.fields:
            if f.classifier and f.classifier not in found:
                found.append(f.classifier)
    return found
