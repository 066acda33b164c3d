"""Opens a department's workspace: a background task creates the layers
(connecting is the slow part), the main thread puts them into the project
with groups, relations, forms, read-only flags, snapping and the guards
that make saving safe."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRelation,
    QgsSnappingConfig,
    QgsTask,
    QgsTolerance,
    QgsVectorLayer,
)

from zhytomyr_gis import form_spec, workspace
from zhytomyr_gis.registers import BY_TABLE
from zhytomyr_gis_plugin.connection import Connection
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.layers import form_config, symbols
from zhytomyr_gis_plugin.layers.commit_report import CommitReporter
from zhytomyr_gis_plugin.layers.save_order import SaveOrder
from zhytomyr_gis_plugin.layers.version_guard import VersionGuard

REGISTER_PROPERTY = "zhytomyr_gis/register"  # layer custom property: schema.table of the register
ROLE_PROPERTY = "zhytomyr_gis/role"  # "register", "published", "reference" or "classifier"
SNAP_TOLERANCE_PX = 12


class WorkspaceLoadError(Exception):
    pass


# QGIS numbers the features of a PostgreSQL layer whose key is a bigint in the
# order it reads them: a feature's id in QGIS is not the record's id (the key).
# What is sent to the database is always read from the "id" column.
def record_ids(layer: QgsVectorLayer, fids) -> list[int]:
    """The records' ids (the "id" column) of these features of a register layer; new ones left out."""
    fids = [fid for fid in fids if fid >= 0]
    if not fids:
        return []
    request = QgsFeatureRequest().setFilterFids(fids).setFlags(QgsFeatureRequest.NoGeometry)
    request.setSubsetOfAttributes(["id"], layer.fields())
    return sorted(int(feature["id"]) for feature in layer.getFeatures(request))


def feature_ids(layer: QgsVectorLayer, ids) -> list[int]:
    """QGIS's feature ids of the records with these ids (the "id" column)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return []
    request = QgsFeatureRequest().setFilterExpression(f'"id" IN ({", ".join(map(str, ids))})')
    request.setFlags(QgsFeatureRequest.NoGeometry).setNoAttributes()
    return [feature.id() for feature in layer.getFeatures(request)]


def create_layers(
    connection: Connection, plan: list[workspace.LayerPlan], progress: Callable[[float], None] | None = None
) -> list[QgsVectorLayer]:
    """Layers for the plan; raises WorkspaceLoadError naming the first that cannot be opened."""
    layers = []
    for number, item in enumerate(plan, start=1):
        uri = connection.layer_uri(item.schema, item.table, item.geometry, item.key)
        layer = QgsVectorLayer(uri, item.name, "postgres")
        if not layer.isValid():
            raise WorkspaceLoadError(
                tr("Layer «{name}» ({table}) could not be opened: {error}").format(
                    name=item.name, table=item.qualified, error=layer.error().summary() or tr("no access")
                )
            )
        layers.append(layer)
        if progress:
            progress(100.0 * number / len(plan))
    return layers


def _role(item: workspace.LayerPlan) -> str:
    if item.group == workspace.GROUP_CLASSIFIERS:
        return "classifier"
    if item.schema == "published":
        return "published"
    return (
        "register" if item.editable or item.group.startswith(workspace.GROUP_REGISTERS.split("{")[0]) else "reference"
    )


class Workspace:
    """What was loaded, with the guards kept alive as long as the layers."""

    def __init__(self, department: str):
        self.department = department
        self.layers: dict[str, QgsVectorLayer] = {}  # qualified table -> layer
        self.guards: list[VersionGuard] = []
        self.reporters: list[CommitReporter] = []
        self.save_orders: list[SaveOrder] = []

    def register_layer(self, table: str) -> QgsVectorLayer | None:
        return self.layers.get(table)


def add_to_project(
    project: QgsProject,
    plan: list[workspace.LayerPlan],
    layers: list[QgsVectorLayer],
    department: str,
    message_bar=None,
) -> Workspace:
    result = Workspace(department)
    project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{workspace.WORKSPACE_SRID}"))
    root = project.layerTreeRoot()
    groups: dict[str, QgsLayerTreeGroup] = {}
    for item, layer in zip(plan, layers, strict=True):
        role = _role(item)
        layer.setCustomProperty(ROLE_PROPERTY, role)
        if item.register:
            layer.setCustomProperty(REGISTER_PROPERTY, item.register)
        if role == "published":
            layer.setRenderer(symbols.published_renderer(layer))
        if role == "reference":
            renderer = symbols.reference_renderer(layer, item.qualified)
            if renderer is not None:
                layer.setRenderer(renderer)
        if item.qualified == "ref.street":
            symbols.labels(layer, '"name_uk"')
        elif role == "register" and item.geometry and item.register in BY_TABLE:
            symbols.labels(layer, BY_TABLE[item.register].display_expression)
        if not item.editable:
            layer.setReadOnly(True)
        project.addMapLayer(layer, False)
        group = groups.get(item.group) or root.findGroup(item.group) or root.addGroup(item.group)
        groups[item.group] = group
        node = group.addLayer(layer)
        node.setItemVisibilityChecked(item.visible and role != "classifier")
        result.layers[item.qualified] = layer
    if workspace.GROUP_CLASSIFIERS in groups:
        groups[workspace.GROUP_CLASSIFIERS].setExpanded(False)
        groups[workspace.GROUP_CLASSIFIERS].setItemVisibilityChecked(False)

    _add_relations(project, result)
    for item in plan:
        if item.schema == "published" or item.register is None or item.register not in result.layers:
            continue
        layer = result.layers[item.register]
        # Layout again now that the relations exist, so the child tabs show their records.
        form_config.apply_layout(layer, form_spec.build(BY_TABLE[item.register], []), project)
        if item.editable:
            result.guards.append(VersionGuard(layer))
            if message_bar is not None:
                result.reporters.append(CommitReporter(layer, message_bar))
    result.save_orders = _save_orders(result, message_bar)
    _configure_snapping(project, [result.layers[i.qualified] for i in plan if i.geometry and i.schema != "published"])
    return result


def _add_relations(project: QgsProject, loaded: Workspace) -> None:
    manager = project.relationManager()
    for table, child_layer in loaded.layers.items():
        if table.startswith("published.") or table not in BY_TABLE:
            continue
        spec = form_spec.relation_of(BY_TABLE[table])
        if spec is None or spec.parent_table not in loaded.layers:
            continue
        relation = QgsRelation()
        relation.setId(spec.id)
        relation.setName(spec.name)
        relation.setReferencingLayer(child_layer.id())
        relation.setReferencedLayer(loaded.layers[spec.parent_table].id())
        relation.addFieldPair(spec.child_field, "id")
        relation.setStrength(QgsRelation.Association)
        if relation.isValid():
            manager.addRelation(relation)


def _save_orders(loaded: Workspace, message_bar) -> list[SaveOrder]:
    """Parents saved before their children, children with their parents (see save_order)."""
    orders = []
    for table, layer in loaded.layers.items():
        register = BY_TABLE.get(table)
        if register is None or not register.children or layer.readOnly():
            continue
        children = [loaded.layers[c] for c in register.children if c in loaded.layers]
        children = [c for c in children if not c.readOnly()]
        if children:
            orders.append(SaveOrder(layer, children, message_bar))
    return orders


def _configure_snapping(project: QgsProject, layers: list[QgsVectorLayer]) -> None:
    """Snap to vertices and segments of the department's layers and the reference layers."""
    config = QgsSnappingConfig(project)
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.AdvancedConfiguration)
    config.setIntersectionSnapping(True)
    for layer in layers:
        settings = QgsSnappingConfig.IndividualLayerSettings(
            True,
            QgsSnappingConfig.VertexFlag | QgsSnappingConfig.SegmentFlag,
            SNAP_TOLERANCE_PX,
            QgsTolerance.Pixels,
            0.0,
            0.0,
        )
        config.setIndividualLayerSettings(layer, settings)
    project.setSnappingConfig(config)
    project.setTopologicalEditing(True)


class LoadWorkspaceTask(QgsTask):
    """Creates the workspace's layers in the background; finished() adds them on the main thread."""

    def __init__(self, connection: Connection, department: str, department_title: str, can_edit: bool, on_done):
        super().__init__(tr("Opening the workspace: {title}").format(title=department_title), QgsTask.CanCancel)
        self.connection = connection
        self.department = department
        self.plan = workspace.plan(department, department_title, can_edit)
        self.on_done = on_done  # callable(plan, layers or None, error message or None)
        self.layers: list[QgsVectorLayer] = []
        self.error: str | None = None

    def run(self) -> bool:
        try:
            self.layers = create_layers(self.connection, self.plan, self.setProgress)
        except WorkspaceLoadError as error:
            self.error = str(error)
            return False
        main_thread = QgsApplication.instance().thread()
        for layer in self.layers:
            layer.moveToThread(main_thread)
        return not self.isCanceled()

    def finished(self, result: bool) -> None:
        if result:
            self.on_done(self.plan, self.layers, None)
        else:
            self.on_done(self.plan, None, self.error or tr("Opening the workspace was cancelled"))
