"""Builds the published QGIS projects from the declaration in ``catalog``.

Uses qgis.core only (no widgets), so it runs headless. Layers read the
``published`` schema through the pg_service entry ``zhytomyr_gis_portal``
(the public role; its password lives in a pgpass file, never in a project).
The written files are normalised (stable layer ids, no save date or user)
so that regenerating them gives reviewable diffs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsEditorWidgetSetup,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsProjectMetadata,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtGui import QColor, QFont

from . import catalog, layouts
from .catalog import Drawing, Layer, Project
from .styling import ClassifierItem, category_colours, read_classifiers

PROJECT_CRS = "EPSG:9836"


class BuildError(Exception):
    """A project could not be built (an invalid layer, a missing classifier...)."""


# ------------------------------------------------------------------ symbols
def _colour(hex_colour: str, opacity: float = 1.0) -> str:
    c = QColor(hex_colour)
    return f"{c.red()},{c.green()},{c.blue()},{round(opacity * 255)}"


def _symbol(layer: Layer, geometry: str, colour: str, drawing: Drawing):
    if geometry == "Point":
        return QgsMarkerSymbol.createSimple(
            {
                "name": "circle",
                "color": _colour(colour),
                "outline_color": _colour(layer.outline),
                "outline_width": "0.3",
                "size": str(layer.marker_size),
            }
        )
    if geometry == "MultiLineString":
        return QgsLineSymbol.createSimple(
            {"line_color": _colour(colour), "line_width": str(layer.line_width), "capstyle": drawing.line_cap}
        )
    return QgsFillSymbol.createSimple(
        {
            "color": _colour(colour, layer.fill_opacity),
            "style": "solid" if layer.fill_opacity > 0 else "no",
            "outline_color": _colour(layer.outline),
            "outline_width": str(layer.line_width),
        }
    )


def _renderer(layer: Layer, geometry: str, classifiers: dict[str, list[ClassifierItem]], drawing: Drawing):
    spec = layer.categories
    if spec is None:
        return QgsSingleSymbolRenderer(_symbol(layer, geometry, layer.fill, drawing))
    items = classifiers.get(spec.classifier)
    if not items:
        raise BuildError(f"classifier {spec.classifier} (for {layer.table}.{spec.field}) is empty or unknown")
    colours = category_colours(spec, items)
    categories = [
        QgsRendererCategory(i.code, _symbol(layer, geometry, colours[i.code], drawing), i.label_uk) for i in items
    ]
    return QgsCategorizedSymbolRenderer(spec.field, categories)


HALO_JOINS = {"bevel": Qt.BevelJoin, "round": Qt.RoundJoin, "miter": Qt.MiterJoin}


def _labeling(layer: Layer, geometry: str, drawing: Drawing) -> QgsVectorLayerSimpleLabeling:
    settings = QgsPalLayerSettings()
    settings.fieldName = layer.label
    settings.isExpression = True
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans"))
    text.setSize(8 if geometry != "MultiLineString" else 7.5)
    text.setColor(QColor("#202020"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))
    buffer.setJoinStyle(HALO_JOINS[drawing.halo_join])
    text.setBuffer(buffer)
    settings.setFormat(text)
    if geometry == "MultiLineString":
        settings.placement = QgsPalLayerSettings.Line
    elif geometry == "Point":
        settings.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
        settings.dist = 1
    else:
        # "horizontal" tries many positions inside the polygon ("Horizontal (slow)"
        # in QGIS); "centroid" tries the one over its centroid.
        settings.placement = (
            QgsPalLayerSettings.OverPoint
            if drawing.polygon_label_placement == "centroid"
            else QgsPalLayerSettings.Horizontal
        )
        settings.fitInPolygonOnly = True
    if layer.label_max_scale:
        settings.scaleVisibility = True
        settings.minimumScale = layer.label_max_scale  # most zoomed-out scale that still shows labels
        settings.maximumScale = 0
    return QgsVectorLayerSimpleLabeling(settings)


# ------------------------------------------------------------------- layers
def layer_uri(layer: Layer, service: str = catalog.SERVICE) -> str:
    reg = layer.register
    uri = QgsDataSourceUri()
    uri.setParam("service", service)
    schema, table = layer.published_table.split(".")
    uri.setDataSource(schema, table, "geom" if reg.geometry else None, "", "id")
    if reg.geometry:
        uri.setSrid("9836")
        uri.setWkbType(QgsWkbTypes.parseType(reg.geometry))
    uri.setUseEstimatedMetadata(False)
    uri.setParam("checkPrimaryKeyUnicity", "0")  # id is the primary key of every published table
    return uri.uri(False)


def _vector_layer(
    layer: Layer,
    classifiers: dict[str, list[ClassifierItem]],
    service: str,
    drawing: Drawing = catalog.DRAWING,
) -> QgsVectorLayer:
    reg = layer.register
    title = f"{reg.title_uk} / {reg.title_en}"
    # Created under its ASCII short name so that the generated id is
    # "<short name>_<uuid>" (made stable in _normalise); renamed after.
    vl = QgsVectorLayer(layer_uri(layer, service), layer.name, "postgres")
    if not vl.isValid():
        raise BuildError(
            f"layer {layer.published_table} is not valid through service {service} "
            "(is PGSERVICEFILE set and the database reachable?)"
        )
    vl.setName(reg.title_uk)
    vl.setShortName(layer.name)
    vl.setTitle(title)
    vl.setAbstract(f"{layer.abstract_uk}\n\n{layer.abstract_en}")
    vl.setKeywordList(", ".join((reg.title_uk, reg.title_en, *catalog.COMMON_KEYWORDS[:2])))
    vl.setAttribution(catalog.ATTRIBUTION)
    vl.setAttributionUrl(catalog.CONTACT["online_resource"])
    geometry = reg.geometry or ""
    if geometry:  # a non-spatial table has nothing to draw
        vl.setRenderer(_renderer(layer, geometry, classifiers, drawing))
    if geometry:
        # The extent written into the project is the city's, not that of the
        # rows of whatever database the project was built from: a build is
        # the same from the demo, the tests or the city's own data.
        vl.setExtent(QgsRectangle(*catalog.CITY_EXTENT))
    if layer.label and geometry and drawing.labels:
        vl.setLabeling(_labeling(layer, geometry, drawing))
        vl.setLabelsEnabled(True)
    if layer.min_scale:
        vl.setScaleBasedVisibility(True)
        vl.setMinimumScale(layer.min_scale)
        vl.setMaximumScale(0)
    # Ukrainian field names and classifier labels in feature info and forms.
    for f in reg.public_fields:
        idx = vl.fields().indexOf(f.name)
        if idx < 0:
            raise BuildError(f"{layer.published_table} lacks the public field {f.name} declared in registers.py")
        vl.setFieldAlias(idx, f.label_uk)
        if f.classifier:
            items = classifiers.get(f.classifier.removeprefix("cl_"), [])
            value_map = [{i.label_uk: i.code} for i in items]
            vl.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("ValueMap", {"map": value_map}))
    for name, label in (("published_at", "Опубліковано"), ("published_version", "Версія")):
        idx = vl.fields().indexOf(name)
        if idx >= 0:
            vl.setFieldAlias(idx, label)
    vl.setDisplayExpression(reg.display_expression)
    vl.setMapTipTemplate(f"<b>[% {reg.display_expression} %]</b>")
    vl.setReadOnly(True)
    return vl


# ------------------------------------------------------------------ project
def _write_service_properties(qp: QgsProject, spec: Project, base_url: str, layers: dict[str, QgsVectorLayer]) -> None:
    url = f"{base_url.rstrip('/')}/ows/{spec.id}"
    entries: dict[str, object] = {
        "WMSServiceCapabilities": True,
        "WMSServiceTitle": f"{spec.title_uk} / {spec.title_en}",
        "WMSServiceAbstract": f"{spec.abstract_uk}\n\n{spec.abstract_en}",
        "WMSKeywordList": [*catalog.COMMON_KEYWORDS, *spec.keywords],
        "WMSOnlineResource": url,
        "WMSContactOrganization": catalog.CONTACT["organization"],
        "WMSContactPerson": catalog.CONTACT["person"],
        "WMSContactPosition": catalog.CONTACT["position"],
        "WMSContactMail": catalog.CONTACT["mail"],
        "WMSContactPhone": catalog.CONTACT["phone"],
        "WMSFees": catalog.FEES,
        "WMSAccessConstraints": catalog.ACCESS_CONSTRAINTS,
        "WMSRootName": spec.id,
        "WMSUseLayerIDs": False,
        "WMSCrsList": list(catalog.WMS_CRS),
        "WMSExtent": [repr(v) for v in catalog.CITY_EXTENT],
        "WMSUrl": url,
        "WFSUrl": url,
        "WMTSUrl": url,
        "WCSUrl": url,
        "WMSFeatureInfoUseAttributeFormSettings": True,
        "WMSAddWktGeometry": False,
        "WMSPrecision": "6",
        "WMSMaxWidth": "4096",
        "WMSMaxHeight": "4096",
        "WMSImageQuality": 90,
        "WMSTileBuffer": 0,
        "WMSDefaultMapUnitsPerMm": 1.0,
        "WFSLayers": [layers[layer.name].id() for layer in (*spec.layers, *spec.tables)],
        "WFSTLayers/Update": [],
        "WFSTLayers/Insert": [],
        "WFSTLayers/Delete": [],
        "WCSLayers": [],
        "WMTSLayers/Project": True,
        "WMTSPngLayers/Project": True,
        "WMTSLayers/Layer": [layers[layer.name].id() for layer in spec.layers],
        "WMTSPngLayers/Layer": [layers[layer.name].id() for layer in spec.layers],
        "WMTSMinScale": 1000,
    }
    if spec.tables:  # non-spatial tables are served by WFS and OGC API Features only
        entries["WMSRestrictedLayers"] = [layers[table.name].name() for table in spec.tables]
    for key, value in entries.items():
        scope, _, path = key.partition("/")
        if isinstance(value, float):
            qp.writeEntryDouble(scope, f"/{path}" if path else "/", value)
        else:
            qp.writeEntry(scope, f"/{path}" if path else "/", value)
    for layer in (*spec.layers, *spec.tables):
        qp.writeEntry("WFSLayersPrecision", f"/{layers[layer.name].id()}", layer.wfs_precision)


def _metadata(spec: Project, data_note: str | None) -> QgsProjectMetadata:
    md = QgsProjectMetadata()
    md.setIdentifier(f"zhytomyr-gis-{spec.id}")
    md.setTitle(f"{spec.title_uk} / {spec.title_en}")
    abstract = f"{spec.abstract_uk}\n\n{spec.abstract_en}"
    md.setAbstract(f"{abstract}\n\n{data_note}" if data_note else abstract)
    md.setAuthor(catalog.CONTACT["organization"])
    md.setLanguage("uk")
    md.setKeywords({"gmd:topicCategory": ["planningCadastre", "location"], "keywords": list(spec.keywords)})
    md.setCreationDateTime(QDateTime.fromString("2024-01-01T00:00:00", "yyyy-MM-ddTHH:mm:ss"))
    return md


def build_project(
    spec: Project,
    path: Path,
    *,
    base_url: str = catalog.DEFAULT_BASE_URL,
    service: str = catalog.SERVICE,
    classifiers: dict[str, list[ClassifierItem]] | None = None,
    data_note: str | None = catalog.DEMO_NOTE,
    trust_layer_metadata: bool = catalog.TRUST_LAYER_METADATA,
    drawing: Drawing = catalog.DRAWING,
) -> Path:
    """Write ``path`` (a .qgs) for one declared project, drawn as ``drawing`` says."""
    if classifiers is None:
        classifiers = read_classifiers(service)
    qp = QgsProject()
    qp.setCrs(QgsCoordinateReferenceSystem(PROJECT_CRS))
    qp.setTitle(f"{spec.title_uk} / {spec.title_en}")
    qp.setTrustLayerMetadata(trust_layer_metadata)
    engine = qp.labelingEngineSettings()
    engine.setMaximumLineCandidatesPerCm(drawing.line_candidates_per_cm)
    engine.setMaximumPolygonCandidatesPerCmSquared(drawing.polygon_candidates_per_cm2)
    qp.setLabelingEngineSettings(engine)
    layers: dict[str, QgsVectorLayer] = {}
    for layer in (*spec.layers, *spec.tables):
        vl = _vector_layer(layer, classifiers, service, drawing)
        layers[layer.name] = vl
        qp.addMapLayer(vl)
    # Layer tree in declaration order (first on top).
    root = qp.layerTreeRoot()
    for n, layer in enumerate(spec.layers):
        node = root.findLayer(layers[layer.name].id())
        clone = node.clone()
        root.insertChildNode(n, clone)
        root.removeChildNode(node)
    abstract = f"{spec.abstract_uk}\n\n{spec.abstract_en}"
    _write_service_properties(qp, spec, base_url, layers)
    if data_note:
        qp.writeEntry("WMSServiceAbstract", "/", f"{abstract}\n\n{data_note}")
    qp.setMetadata(_metadata(spec, data_note))
    layouts.add_print_layouts(qp, spec, layers, data_note)
    extent = QgsRectangle(*catalog.CITY_EXTENT)
    qp.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, qp.crs()))
    qp.viewSettings().setPresetFullExtent(QgsReferencedRectangle(extent, qp.crs()))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not qp.write(str(path)):
        raise BuildError(f"cannot write {path}: {qp.error()}")
    # Stable ids must be longer than 10 characters: QGIS 3.22 replaces
    # shorter ones with random ids when it reads a project.
    _normalise(path, {vl.id(): f"published_{name}" for name, vl in layers.items()})
    path.with_name(path.name + "~").unlink(missing_ok=True)  # QGIS's backup of the previous version
    qp.clear()
    return path


def _normalise(path: Path, stable_ids: dict[str, str]) -> None:
    """Stable layer ids, and no save date/user: regenerating gives a clean diff."""
    text = path.read_text(encoding="utf-8")
    for generated, stable in stable_ids.items():
        text = text.replace(generated, stable)
    text = re.sub(r"Annotations_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}", "Annotations", text)
    text = re.sub(r' saveDateTime="[^"]*"', "", text)
    text = re.sub(r' saveUser="[^"]*"', "", text)
    text = re.sub(r' saveUserFull="[^"]*"', "", text)
    # Layout items get random UUIDs when made; the same UUID always stands
    # for the same item (a map named by its legend), so each is replaced by
    # one derived from the order it first appears in.
    seen: dict[str, str] = {}

    def stable_uuid(m: re.Match) -> str:
        if m.group(0) not in seen:
            seen[m.group(0)] = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{path.name}#{len(seen)}")) + "}"
        return seen[m.group(0)]

    text = re.sub(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}", stable_uuid, text)
    # Per-layer snapping settings come out in pointer order.
    text = re.sub(
        r"(<individual-layer-settings>\n)(.*?)(\s*</individual-layer-settings>)",
        lambda m: m.group(1) + "\n".join(sorted(m.group(2).splitlines())) + m.group(3),
        text,
        flags=re.S,
    )
    path.write_text(text, encoding="utf-8")


def build_all(
    out_dir: Path,
    *,
    base_url: str = catalog.DEFAULT_BASE_URL,
    service: str = catalog.SERVICE,
    data_note: str | None = catalog.DEMO_NOTE,
    only: list[str] | None = None,
    log: Callable[[str], None] = print,
    trust_layer_metadata: bool = catalog.TRUST_LAYER_METADATA,
    drawing: Drawing = catalog.DRAWING,
) -> list[Path]:
    classifiers = read_classifiers(service)
    written = []
    for spec in catalog.PROJECTS:
        if only and spec.id not in only:
            continue
        path = build_project(
            spec,
            out_dir / f"{spec.id}.qgs",
            base_url=base_url,
            service=service,
            classifiers=classifiers,
            data_note=data_note,
            trust_layer_metadata=trust_layer_metadata,
            drawing=drawing,
        )
        log(f"built {path} ({len(spec.layers)} layers, {len(spec.tables)} tables)")
        written.append(path)
    return written
