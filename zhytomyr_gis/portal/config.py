"""The portal's ``config.json``, generated from the publishing declaration.

The same declaration that builds the QGIS projects (``publishing.catalog``
and ``registers``) names the maps, their layers, descriptions, field labels
and what can be searched, so the pages never drift from what is served.
Classifier labels (codes to Ukrainian/English text) come from the published
classifier view, read as the public role.
"""

from __future__ import annotations

import re

from ..publishing import catalog, styling
from ..publishing.catalog import Layer, Project
from ..publishing.styling import ClassifierItem, category_colours
from .settings import Settings

# Thematic views of the viewer, by project id.
THEMES = {"budget": "budget", "energy": "energy", "investment": "investment", "advertising": "advertising"}
# Layers a pop-up shows only when no other feature is under the click.
CONTEXT_LAYERS = ("ref_city_boundary", "ref_district")
# Where nginx serves the tile cache's XYZ tiles of each map's start view,
# and the same tiles at twice the pixels for high-density screens.
TILE_URL = "/tiles/wmts/{map}/webmercator/{z}/{x}/{y}.png"
HIDPI_TILE_URL = "/tiles/wmts/{map}/webmercator_2x/{z}/{x}/{y}.png"
SOURCE_EPSG = 9836

Classifiers = dict[str, dict[str, dict[str, str | None]]]


def _text(uk: str, en: str) -> dict[str, str]:
    return {"uk": uk, "en": en}


def _display_field(expression: str) -> str:
    """The first field a register's display expression names (what a pop-up is titled by)."""
    found = re.findall(r'"(\w+)"', expression)
    return found[0] if found else "id"


def _categories(layer: Layer, classifiers: Classifiers) -> dict | None:
    """How the map colours a layer's categories: the colours of the projects (the charts use them too)."""
    spec = layer.categories
    if spec is None:
        return None
    items = [
        ClassifierItem(code, item["uk"], item["en"], item.get("group"))
        for code, item in classifiers.get(spec.classifier, {}).items()
    ]
    return {"field": spec.field, "classifier": spec.classifier, "colours": category_colours(spec, items)}


def _layer(layer: Layer, classifiers: Classifiers) -> dict:
    reg = layer.register
    return {
        "categories": _categories(layer, classifiers),
        "name": layer.name,
        "table": reg.table,
        "title": _text(reg.title_uk, reg.title_en),
        "abstract": _text(layer.abstract_uk, layer.abstract_en),
        "geometry": reg.geometry,
        "display": _display_field(reg.display_expression),
        "visible": layer.shown_at_start,
        "fields": [
            {
                "name": f.name,
                "label": _text(f.label_uk, f.label_en),
                "type": f.widget,
                **({"classifier": f.classifier.removeprefix("cl_")} if f.classifier else {}),
            }
            for f in reg.public_fields
        ],
    }


def _project(project: Project, classifiers: Classifiers) -> dict:
    return {
        "id": project.id,
        "title": _text(project.title_uk, project.title_en),
        "abstract": _text(project.abstract_uk, project.abstract_en),
        "keywords": list(project.keywords),
        "theme": THEMES.get(project.id),
        "layers": [_layer(layer, classifiers) for layer in project.layers],
        "tables": [_layer(table, classifiers) for table in project.tables],
        # The city's base layers drawn under this map (top first), as the tile cache draws them.
        "base_layers": [layer.name for layer in catalog.base_layers_under(project)],
    }


def _where(table: str) -> tuple[str, str]:
    """(project id, layer name) of the first project that serves a register table."""
    for project in catalog.PROJECTS:
        for layer in (*project.layers, *project.tables):
            if layer.table == table:
                return project.id, layer.name
    raise LookupError(f"no published project serves {table}")


def _search() -> dict:
    """Where the viewer's search looks: WFS/OGC API collections of the published projects."""
    street_project, streets = _where("ref.street")
    address_project, addresses = _where("ref.address")
    parcel_project, parcels = _where("property.land_parcel")
    permit_project, permits = _where("advertising.permit")
    structure_project, structures = _where("advertising.structure")
    return {
        "address": {
            "streets": {"project": street_project, "collection": streets, "name": "name_uk", "type": "street_type"},
            "addresses": {
                "project": address_project,
                "collection": addresses,
                "street": "street_id",
                "number": "house_number",
            },
        },
        "parcel": {"project": parcel_project, "collection": parcels, "field": "cadastral_number"},
        "permit": {
            "project": permit_project,
            "collection": permits,
            "field": "permit_number",
            "link": "structure_id",
            "target": {"project": structure_project, "collection": structures},
        },
    }


def city_view() -> dict:
    """The city's extent in longitude/latitude (the viewer's initial view)."""
    from pyproj import Transformer  # noqa: PLC0415 - only needed here

    to_wgs84 = Transformer.from_crs(f"EPSG:{SOURCE_EPSG}", "EPSG:4326", always_xy=True)
    xmin, ymin, xmax, ymax = catalog.CITY_EXTENT
    lon0, lat0, lon1, lat1 = to_wgs84.transform_bounds(xmin, ymin, xmax, ymax)
    return {"extent": [round(v, 6) for v in (lon0, lat0, lon1, lat1)]}


def build(settings: Settings, classifiers: Classifiers, tile_cache: bool = False) -> dict:
    """The whole config.json document. ``tile_cache``: the tile cache runs next
    to the server, so maps in their start view are drawn from cached tiles."""
    base = settings.external_base_map
    return {
        "generated_data": settings.generated_data,
        "data_note": catalog.DEMO_NOTE if settings.generated_data else None,
        "attribution": catalog.ATTRIBUTION,
        "contact": catalog.CONTACT,
        "access_constraints": catalog.ACCESS_CONSTRAINTS,
        "city": city_view(),
        "base_map": {"project": catalog.BASE_MAP_PROJECT},  # each map names its own base layers
        "tiles": {"url": TILE_URL, "hidpi_url": HIDPI_TILE_URL} if tile_cache else None,
        "context_layers": list(CONTEXT_LAYERS),
        "external_base_map": None
        if base is None
        else {"url": base.url, "attribution": base.attribution, "max_zoom": base.max_zoom},
        "maps": [_project(p, classifiers) for p in catalog.PROJECTS],
        "search": _search(),
        # Printing (GetPrint): the map templates and the layers with a one-object extract.
        "print": {
            "templates": [{"name": name, "map_mm": catalog.print_map_size(name)} for name in catalog.PRINT_TEMPLATES],
            "extracts": catalog.PRINT_EXTRACTS,
        },
        "classifiers": classifiers,
    }


def _search_projects(search: dict) -> set[str]:
    """The maps whose layers the search's results are (their pop-ups need the layers' fields)."""
    found, stack = set(), [search]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "project" in item:
                found.add(item["project"])
            stack.extend(item.values())
    return found


def for_map(document: dict, map_id: str) -> dict:
    """What the viewer of one map reads (``config/<id>.json``): ``document``
    (config.json) with only that map, the maps the search's results come
    from, and the classifier lists the fields of their layers and tables
    name. The whole config.json is four times larger, mostly other maps and
    classifiers, which a phone would download and read before it can build
    the viewer of one map."""
    wanted = {map_id} | _search_projects(document["search"])
    maps = [m for m in document["maps"] if m["id"] in wanted]
    lists = set()
    for map_ in maps:
        for layer in map_["layers"] + map_["tables"]:
            lists.update(f["classifier"] for f in layer["fields"] if "classifier" in f)
            if layer["categories"]:
                lists.add(layer["categories"]["classifier"])
    classifiers = {name: items for name, items in document["classifiers"].items() if name in lists}
    return {**document, "maps": maps, "classifiers": classifiers}


def classifiers_from_items(lists: dict[str, list[ClassifierItem]]) -> Classifiers:
    """{list: {code: {uk, en, group}}} from the classifier lists the projects are styled from."""
    return {
        name: {i.code: {"uk": i.label_uk, "en": i.label_en, "group": i.group_code} for i in items}
        for name, items in lists.items()
    }


def read_classifiers(service: str = catalog.SERVICE) -> Classifiers:
    """All public classifier lists, read as the public role through its pg_service entry."""
    return classifiers_from_items(styling.read_classifiers(service))


def boot(document: dict) -> dict:
    """What the pages need before their scripts run to ask for the first tiles
    at once (``portal/src/boot.js``) and to draw the start view before
    config.json and the strings have arrived (``portal/src/lib/map.js``): where
    the tiles are and their attribution, the external base map drawn under
    them, the city's extent and each map's start layers (a view is cached only
    as the map opens)."""
    return {
        "tiles": document["tiles"],
        "attribution": document["attribution"],
        "external": document["external_base_map"],
        "extent": document["city"]["extent"],
        "maps": {
            m["id"]: {
                "start": [layer["name"] for layer in m["layers"] if layer["visible"]],
                "base": bool(m["base_layers"]),
            }
            for m in document["maps"]
        },
    }
