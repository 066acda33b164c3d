"""MapServer mapfiles for the published projects, from the same declaration.

The benchmark compares QGIS Server with MapServer 8 serving the same
tables with the same drawing: this module writes one mapfile per project
of ``catalog`` with the colours of ``styling`` (the ones the QGIS projects
use), the same scale limits, labels and output formats. MapServer is a
peer to measure against, never part of the public set-up.

Scale limits agree because both servers compute scales at the OGC pixel of
0.28 mm: the mapfile sets RESOLUTION/DEFRESOLUTION to 90.71 dpi, so symbol
sizes given here in pixels are the millimetres of the catalog / 0.28.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import catalog, styling
from .catalog import Layer, Project
from .styling import ClassifierItem

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LABEL_COLOUR = "#202020"
LABEL_BUFFER_MM = 0.8
POINT_OUTLINE_MM = 0.3
LAYER_TYPES = {"MultiPolygon": "POLYGON", "MultiLineString": "LINE", "Point": "POINT"}
# The zlib level of the PNGs: QGIS Server's (ZGIS_PNG_ZLIB_LEVEL in
# qgis_server/qgis-server.env.in). MapServer's PNG writer, like QGIS
# Server's with the encoder defaults, writes rows unfiltered; without
# COMPRESSION it would use zlib's default level 6.
PNG_ZLIB_LEVEL = 1

# What the mapfiles cannot make the same as the QGIS projects (the
# benchmark prints these beside every comparison).
DIFFERENCES_FROM_QGIS = (
    "label placement: QGIS's labelling engine (candidate positions, collisions across all layers) against "
    "MapServer's label cache; polygon labels searched inside the polygon (QGIS) against at its centre, "
    "whole labels only (MapServer POSITION CC PARTIALS FALSE); point labels around the point at 1 mm "
    "(QGIS) against POSITION AUTO",
    "label size: MapServer's text at 0.9x QGIS's points (the same label widths, matched by eye)",
    "rasterisers: Qt's raster engine (QGIS) against AGG (MapServer), both antialiased",
)


def _q(text: str) -> str:
    """A mapfile string literal (double quotes inside become single ones)."""
    return '"' + text.replace("\\", "/").replace('"', "'").replace("\n", " ") + '"'


def _colour(hex_colour: str) -> str:
    return " ".join(str(c) for c in styling.rgb(hex_colour))


def _px(mm: float) -> str:
    return f"{styling.mm_to_px(mm):.2f}"


def _label_text(expression: str) -> str:
    return "".join(f"[{value}]" if kind == "field" else value for kind, value in styling.label_fields(expression))


def _styles(layer: Layer, geometry: str, colour: str) -> Iterator[str]:
    if geometry == "Point":
        yield (
            f"STYLE SYMBOL 'circle' SIZE {_px(layer.marker_size)} COLOR {_colour(colour)}"
            f" OUTLINECOLOR {_colour(layer.outline)} WIDTH {_px(POINT_OUTLINE_MM)} END"
        )
    elif geometry == "MultiLineString":
        cap = catalog.DRAWING.line_cap.upper()  # the ends QGIS draws
        yield f"STYLE COLOR {_colour(colour)} WIDTH {_px(layer.line_width)} LINECAP {cap} END"
    else:
        if layer.fill_opacity > 0:
            yield f"STYLE COLOR {_colour(colour)} OPACITY {round(layer.fill_opacity * 100)} END"
        yield f"STYLE OUTLINECOLOR {_colour(layer.outline)} WIDTH {_px(layer.line_width)} END"


def _label(layer: Layer, geometry: str) -> list[str]:
    if not layer.label:
        return []
    size_pt = 7.5 if geometry == "MultiLineString" else 8
    placement = {
        "MultiLineString": ["ANGLE FOLLOW"],
        "Point": ["POSITION AUTO", "OFFSET 0 -6"],
    }.get(geometry, ["POSITION CC", "PARTIALS FALSE"])
    return [
        "LABEL",
        f"  TEXT {_q(_label_text(layer.label))}",
        "  FONT 'dejavu'",
        # MapServer draws a size-N font visibly larger than QGIS draws N points
        # at the OGC pixel: 0.9 matched the two by eye (label widths equal).
        f"  SIZE {size_pt * 0.9:.1f}",
        f"  COLOR {_colour(LABEL_COLOUR)}",
        "  OUTLINECOLOR 255 255 255",
        f"  OUTLINEWIDTH {round(styling.mm_to_px(LABEL_BUFFER_MM))}",
        *(f"  {p}" for p in placement),
        "END",
    ]


def _classes(layer: Layer, geometry: str, classifiers: dict[str, list[ClassifierItem]]) -> list[str]:
    spec = layer.categories
    if spec is None:
        entries = [(None, layer.register.title_uk, layer.fill)]
    else:
        items = classifiers.get(spec.classifier)
        if not items:
            raise ValueError(f"classifier {spec.classifier} (for {layer.table}.{spec.field}) is empty or unknown")
        colours = styling.category_colours(spec, items)
        entries = [(i.code, i.label_uk, colours[i.code]) for i in items]
    lines: list[str] = []
    for code, title, colour in entries:
        lines.append("CLASS")
        lines.append(f"  NAME {_q(title)}")
        if code is not None:
            lines.append(f"  EXPRESSION {_q(code)}")
        lines.extend(f"  {s}" for s in _styles(layer, geometry, colour))
        lines.extend(f"  {s}" for s in _label(layer, geometry))
        lines.append("END")
    return lines


def _layer(layer: Layer, classifiers: dict[str, list[ClassifierItem]], service: str) -> list[str]:
    reg = layer.register
    geometry = reg.geometry or ""
    if geometry not in LAYER_TYPES:
        raise ValueError(f"{layer.table}: no map layer for geometry {geometry!r}")
    xmin, ymin, xmax, ymax = catalog.CITY_EXTENT
    lines = [
        "LAYER",
        f"  NAME {_q(layer.name)}",
        f"  TYPE {LAYER_TYPES[geometry]}",
        "  STATUS ON",
        "  CONNECTIONTYPE POSTGIS",
        f"  CONNECTION {_q('service=' + service)}",
        # Keep the database connection between requests (otherwise
        # MapServer connects to PostgreSQL for every map it draws).
        '  PROCESSING "CLOSE_CONNECTION=DEFER"',
        f"  DATA {_q(f'geom FROM {layer.published_table} USING UNIQUE id USING SRID=9836')}",
        f"  EXTENT {xmin} {ymin} {xmax} {ymax}",
        '  PROJECTION "EPSG:9836" END',
        "  TEMPLATE 'ttt'",  # queryable (WFS, feature info)
    ]
    if layer.min_scale:
        lines.append(f"  MAXSCALEDENOM {layer.min_scale}")
    if layer.label and layer.label_max_scale:
        lines.append(f"  LABELMAXSCALEDENOM {layer.label_max_scale}")
    if layer.categories:
        lines.append(f"  CLASSITEM {_q(layer.categories.field)}")
    lines += [
        "  METADATA",
        f"    'ows_title' {_q(f'{reg.title_uk} / {reg.title_en}')}",
        f"    'ows_abstract' {_q(layer.abstract_en)}",
        "    'gml_include_items' 'all'",
        "    'gml_featureid' 'id'",
        "    'gml_types' 'auto'",
        # Without a BBOX, MapServer's WFS would filter by the layer extent
        # reprojected to the output CRS and silently drop features.
        "    'wfs_use_default_extent_for_getfeature' 'false'",
        "    'wfs_getfeature_formatlist' 'geojson'",
        "  END",
    ]
    lines += [f"  {line}" for line in _classes(layer, geometry, classifiers)]
    lines.append("END")
    return lines


def render_mapfile(
    spec: Project,
    classifiers: dict[str, list[ClassifierItem]],
    *,
    online_resource: str,
    font_set: Path,
    service: str = catalog.SERVICE,
    png_zlib_level: int = PNG_ZLIB_LEVEL,
) -> str:
    """The mapfile text of one declared project, its PNGs written at ``png_zlib_level``."""
    if not 0 <= png_zlib_level <= 9:
        raise ValueError(f"a zlib level is 0-9, not {png_zlib_level}")
    xmin, ymin, xmax, ymax = catalog.CITY_EXTENT
    srs = " ".join(catalog.WMS_CRS)
    head = [
        "# Generated by zhytomyr_gis.publishing.mapfile from catalog.py: do not edit.",
        "MAP",
        f"  NAME {_q(spec.id)}",
        f"  EXTENT {xmin} {ymin} {xmax} {ymax}",
        "  SIZE 1024 768",
        "  MAXSIZE 4096",
        "  UNITS METERS",
        f"  RESOLUTION {styling.OGC_DPI:.4f}",
        f"  DEFRESOLUTION {styling.OGC_DPI:.4f}",
        "  IMAGECOLOR 255 255 255",
        "  IMAGETYPE 'png'",
        f"  FONTSET {_q(str(font_set))}",
        '  PROJECTION "EPSG:9836" END',
        "  SYMBOL NAME 'circle' TYPE ELLIPSE FILLED TRUE POINTS 1 1 END END",
        # The image formats QGIS Server offers for GetMap: 32-bit PNG with
        # transparency and 8-bit (palette) PNG, at the same zlib level.
        "  OUTPUTFORMAT NAME 'png' DRIVER 'AGG/PNG' MIMETYPE 'image/png' IMAGEMODE RGBA",
        f"    TRANSPARENT ON EXTENSION 'png' FORMATOPTION 'COMPRESSION={png_zlib_level}' END",
        "  OUTPUTFORMAT NAME 'png8' DRIVER 'AGG/PNG8' MIMETYPE 'image/png; mode=8bit' IMAGEMODE RGBA",
        "    TRANSPARENT ON EXTENSION 'png' FORMATOPTION 'QUANTIZE_FORCE=on' FORMATOPTION 'QUANTIZE_COLORS=256'",
        f"    FORMATOPTION 'COMPRESSION={png_zlib_level}' END",
        "  OUTPUTFORMAT NAME 'jpeg' DRIVER 'AGG/JPEG' MIMETYPE 'image/jpeg' IMAGEMODE RGB EXTENSION 'jpg'",
        "    FORMATOPTION 'QUALITY=90' END",
        "  OUTPUTFORMAT NAME 'geojson' DRIVER 'OGR/GEOJSON' MIMETYPE 'application/json; subtype=geojson'",
        "    FORMATOPTION 'STORAGE=stream' FORMATOPTION 'FORM=SIMPLE' FORMATOPTION 'LCO:COORDINATE_PRECISION=6' END",
        "  WEB",
        "    METADATA",
        f"      'ows_title' {_q(f'{spec.title_uk} / {spec.title_en}')}",
        f"      'ows_onlineresource' {_q(online_resource)}",
        f"      'ows_srs' {_q(srs)}",
        "      'ows_enable_request' '*'",
        "      'ows_encoding' 'UTF-8'",
        f"      'wms_rootlayer_name' {_q(spec.id)}",
        "      'wms_getmap_formatlist' 'image/png,image/png; mode=8bit,image/jpeg'",
        "      'wfs_getfeature_formatlist' 'geojson'",
        f"      'oga_onlineresource' {_q(online_resource.rstrip('?') + '/ogcapi')}",
        "    END",
        "  END",
    ]
    body: list[str] = []
    for layer in reversed(spec.layers):  # MapServer draws the first layer at the bottom
        body += [f"  {line}" for line in _layer(layer, classifiers, service)]
    return "\n".join([*head, *body, "END", ""])


def write_mapfiles(
    out_dir: Path,
    classifiers: dict[str, list[ClassifierItem]],
    *,
    base_url: str = catalog.DEFAULT_BASE_URL,
    service: str = catalog.SERVICE,
    png_zlib_level: int = PNG_ZLIB_LEVEL,
) -> list[Path]:
    """``<out_dir>/<id>.map`` for every project, and the font set they use."""
    out_dir.mkdir(parents=True, exist_ok=True)
    font_set = out_dir / "fonts.txt"
    font_set.write_text(f"dejavu {FONT_FILE}\n", encoding="utf-8")
    written = []
    for spec in catalog.PROJECTS:
        path = out_dir / f"{spec.id}.map"
        text = render_mapfile(
            spec,
            classifiers,
            online_resource=f"{base_url.rstrip('/')}/mapserver/{spec.id}?",
            font_set=font_set,
            service=service,
            png_zlib_level=png_zlib_level,
        )
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
