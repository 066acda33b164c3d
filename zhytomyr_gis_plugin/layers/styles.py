"""Builds every register's form and symbols and stores them as the layer's
default style in the database (QGIS's public.layer_styles), so that any QGIS
user who adds the layer gets the same form, with or without this plugin.

Stored directly by ``make styles`` (``python -m zhytomyr_gis_plugin.layers.styles
--dsn ...``, the database owner at installation); from the plugin a GIS
administrator *requests* the new styles, and they reach users when another
administrator approves (``workflow.request_configuration``,
sql/app/35_configuration.sql). It needs QGIS's core library only.
"""

from __future__ import annotations

import argparse
import json
import sys

import psycopg2
from qgis.core import QgsDataSourceUri, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtXml import QDomDocument

from zhytomyr_gis import db_rules, form_spec
from zhytomyr_gis.registers import REGISTERS, Register
from zhytomyr_gis.workspace import WORKSPACE_SRID
from zhytomyr_gis_plugin.layers import form_config, symbols

STYLE_NAME = "zhytomyr_gis"
STYLE_DESCRIPTION = "Форма та умовні знаки реєстру (Житомирська міська ГІС), створено з zhytomyr_gis/registers.py"


class StyleError(RuntimeError):
    pass


def register_layer(base: QgsDataSourceUri, register: Register) -> QgsVectorLayer:
    uri = QgsDataSourceUri(base.uri(False))
    uri.setDataSource(register.schema, register.name, "geom" if register.geometry else None, "", "id")
    if register.geometry:
        uri.setSrid(str(WORKSPACE_SRID))
        uri.setWkbType(QgsWkbTypes.parseType(register.geometry))
    layer = QgsVectorLayer(uri.uri(False), register.title_uk, "postgres")
    if not layer.isValid():
        raise StyleError(f"{register.table}: layer not valid ({layer.error().summary()})")
    return layer


def style_layer(
    layer: QgsVectorLayer, register: Register, rules: list[db_rules.ColumnRule], required: frozenset[str]
) -> None:
    spec = form_spec.build(register, rules, required)
    form_config.apply(layer, spec)
    renderer = symbols.status_renderer(layer, register.department)
    if renderer is not None:
        layer.setRenderer(renderer)


def styled_layers(base: QgsDataSourceUri, conn):
    """(register, layer with its form and symbols) of every register."""
    for register in REGISTERS:
        layer = register_layer(base, register)
        style_layer(
            layer,
            register,
            db_rules.read_rules(conn, register.table),
            db_rules.read_required(conn, register.table),
        )
        yield register, layer


def build_styles(dsn: str, log=print) -> int:
    """Build and store the default style of every register; returns how many were stored."""
    base = QgsDataSourceUri(dsn)
    conn = psycopg2.connect(dsn)
    try:
        count = 0
        for register, layer in styled_layers(base, conn):
            error = layer.saveStyleToDatabase(STYLE_NAME, STYLE_DESCRIPTION, True, "")
            if error:
                raise StyleError(f"{register.table}: {error}")
            log(f"style stored: {register.table}")
            count += 1
        return count
    finally:
        conn.close()


def style_row(layer: QgsVectorLayer, register: Register, database: str) -> dict:
    """The row of public.layer_styles that makes ``layer``'s style the register's default,
    as QGIS finds it (database, schema, table, geometry column, name)."""
    qml = QDomDocument()
    layer.exportNamedStyle(qml)
    sld = QDomDocument()
    layer.exportSldStyle(sld, "")
    return {
        "f_table_catalog": database,
        "f_table_schema": register.schema,
        "f_table_name": register.name,
        "f_geometry_column": "geom" if register.geometry else None,
        "stylename": STYLE_NAME,
        "styleqml": qml.toString(),
        "stylesld": sld.toString(),
        "useasdefault": True,
        "description": STYLE_DESCRIPTION,
        "type": QgsWkbTypes.geometryDisplayString(layer.geometryType()) if register.geometry else None,
    }


def request_styles(conn, base: QgsDataSourceUri, reason: str, log=print) -> list[int]:
    """Request the default style of every register (a GIS administrator's
    change, applied when another administrator approves); returns the request ids."""
    with conn.cursor() as cur:
        cur.execute("SELECT current_database()")
        database = cur.fetchone()[0]
    requests = []
    for register, layer in styled_layers(base, conn):
        with conn, conn.cursor() as cur:
            cur.execute(
                "SELECT workflow.request_configuration('public.layer_styles', %s::jsonb, %s)",
                (json.dumps(style_row(layer, register, database)), reason),
            )
            requests.append(cur.fetchone()[0])
        log(f"style requested: {register.table} (request {requests[-1]})")
    return requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="libpq connection string of a role allowed to write layer_styles")
    args = parser.parse_args(argv)
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        count = build_styles(args.dsn)
    except (StyleError, psycopg2.Error) as error:
        print(f"styles: {error}", file=sys.stderr)
        return 1
    finally:
        app.exitQgis()
    print(f"{count} register styles stored in public.layer_styles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
