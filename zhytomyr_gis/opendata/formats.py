"""The files of one table: CSV, JSON and XLSX for every table, GeoJSON and
GeoPackage (WGS 84 and EPSG:9836) for the spatial ones.

CSV is UTF-8 with a header of the field names (RFC 4180, comma, CRLF as
the csv module writes); JSON is an array of objects; XLSX (openpyxl) has
the data on the first sheet and the field descriptions in Ukrainian on a
second. GeoJSON in WGS 84 follows RFC 7946; the EPSG:9836 copies (UCS-2000
/ LCS-18 Zhytomyr, the land cadastre's system) are written by GDAL/OGR
with easting before northing, as GIS software reads them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from .datasets import Resource
from .extract import Table, plain

LOCAL_EPSG = 9836
# (file suffix, OGR driver, EPSG, layer creation options)
SPATIAL_FORMATS = (
    ("wgs84.geojson", "GeoJSON", 4326, ["RFC7946=YES", "WRITE_NAME=NO", "COORDINATE_PRECISION=7"]),
    ("epsg9836.geojson", "GeoJSON", LOCAL_EPSG, ["RFC7946=NO", "WRITE_NAME=NO", "COORDINATE_PRECISION=2"]),
    ("wgs84.gpkg", "GPKG", 4326, []),
    ("epsg9836.gpkg", "GPKG", LOCAL_EPSG, []),
)
TABLE_FORMATS = ("csv", "json", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
FIELD_SHEET = "Опис полів"
# How a file's kind is named to people (after the table's title).
KIND_LABELS = {
    "csv": "CSV",
    "json": "JSON",
    "xlsx": "XLSX (Excel)",
    "wgs84.geojson": "GeoJSON, WGS 84",
    "epsg9836.geojson": "GeoJSON, EPSG:9836",
    "wgs84.gpkg": "GeoPackage, WGS 84",
    "epsg9836.gpkg": "GeoPackage, EPSG:9836",
}


def kind_label(file_name: str) -> str:
    return KIND_LABELS[file_name.split(".", 1)[1]]


def format_of(file_name: str) -> str:
    return file_name.rsplit(".", 1)[1]


def files_of(resource: Resource) -> list[str]:
    """The data files a resource is published as (names inside its dataset folder)."""
    names = [f"{resource.name}.{ext}" for ext in TABLE_FORMATS]
    if resource.spatial:
        names += [f"{resource.name}.{suffix}" for suffix, *_ in SPATIAL_FORMATS]
    return names


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(table: Table, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.name for c in table.resource.columns])
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])


def write_json(table: Table, path: Path) -> None:
    names = [c.name for c in table.resource.columns]
    records = [dict(zip(names, (plain(v) for v in row), strict=True)) for row in table.rows]
    with open(path, "w", encoding="utf-8") as out:
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")


def write_xlsx(table: Table, path: Path, title: str) -> None:
    from openpyxl import Workbook  # noqa: PLC0415 - only the builder needs it
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.resource.name[:31])
    sheet.append([c.name for c in table.resource.columns])
    date_columns = {i for i, c in enumerate(table.resource.columns) if c.type == "date"}
    for row in table.rows:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, Decimal):
                value = plain(value)
            if i in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    fields = book.create_sheet(FIELD_SHEET)
    fields.append([title])
    fields.append(["Поле", "Назва", "Тип", "Опис"])
    for c in table.resource.columns:
        fields.append([c.name, c.title, c.type, c.description])
    book.save(path)


def _ogr_field_type(ogr, column_type: str):
    return {
        "string": (ogr.OFTString, ogr.OFSTNone),
        "integer": (ogr.OFTInteger64, ogr.OFSTNone),
        "number": (ogr.OFTReal, ogr.OFSTNone),
        "date": (ogr.OFTDate, ogr.OFSTNone),
        "boolean": (ogr.OFTInteger, ogr.OFSTBoolean),
    }[column_type]


def write_spatial(table: Table, path: Path, driver_name: str, epsg: int, options: list[str]) -> None:
    from osgeo import ogr, osr  # noqa: PLC0415 - GDAL from Debian (python3-gdal)

    ogr.UseExceptions()
    osr.UseExceptions()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    # x = easting / longitude, as GeoJSON (RFC 7946) and GIS files expect.
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    driver = ogr.GetDriverByName(driver_name)
    source = driver.CreateDataSource(str(path))
    try:
        layer = source.CreateLayer(table.resource.name, srs, ogr.wkbUnknown, options=options)
        for column in table.resource.columns:
            kind, subtype = _ogr_field_type(ogr, column.type)
            definition = ogr.FieldDefn(column.name, kind)
            definition.SetSubType(subtype)
            layer.CreateField(definition)
        wkbs = table.wkb_4326 if epsg == 4326 else table.wkb_9836
        layer_defn = layer.GetLayerDefn()
        layer.StartTransaction()
        for row, wkb in zip(table.rows, wkbs, strict=True):
            feature = ogr.Feature(layer_defn)
            for i, value in enumerate(row):
                if value is None:
                    feature.SetFieldNull(i)
                elif isinstance(value, bool):
                    feature.SetField(i, int(value))
                elif isinstance(value, dt.date):
                    feature.SetField(i, value.year, value.month, value.day, 0, 0, 0, 0)
                elif isinstance(value, Decimal):
                    feature.SetField(i, float(value))
                else:
                    feature.SetField(i, value)
            feature.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
            layer.CreateFeature(feature)
        layer.CommitTransaction()
    finally:
        source = None  # closes and flushes the file  # noqa: F841


def write_table(table: Table, folder: Path, title: str) -> list[str]:
    """Every file of one table into ``folder``; returns their names."""
    name = table.resource.name
    write_csv(table, folder / f"{name}.csv")
    write_json(table, folder / f"{name}.json")
    write_xlsx(table, folder / f"{name}.xlsx", title)
    if table.resource.spatial:
        for suffix, driver, epsg, options in SPATIAL_FORMATS:
            write_spatial(table, folder / f"{name}.{suffix}", driver, epsg, options)
    return files_of(table.resource)
