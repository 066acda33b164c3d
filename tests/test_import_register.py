"""Registers the city keeps as GeoPackages, spreadsheets, shapefiles and CSV
into a register through review, with a saved field mapping; the dry run asks
the database, which decides what is refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import openpyxl
import pytest
from conftest import CENTRE, ROOT
from factories import one
from osgeo import ogr, osr

from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.register_files import MappingError, import_register

SETTINGS = import_settings.load()
EDITOR = "t_property_editor"
TABLE = "property.land_parcel"

MAPPING = """register: property.land_parcel
key: cadastral_number
fields:
  cadastral_number: КАДНОМ
  area_ha: ПЛОЩА
  land_use_code: {column: ПРИЗНАЧ, codes: {"присадибна": "02.01", "торгівля": "03.07"}}
  ownership: {value: communal}
  lease_status: {column: СТАН, codes: {"оренда": "leased", "вільна": "free"}}
  user_edrpou: ЄДРПОУ
  lease_until: ДО
"""


def square_wkt(i: int, size: float = 20.0, srs=None) -> str:
    x, y = CENTRE[0] + 30 * (i % 50), CENTRE[1] - 1000 + 30 * (i // 50)
    return f"POLYGON(({x} {y},{x} {y + size},{x + size} {y + size},{x + size} {y},{x} {y}))"


ROWS = [
    # cadastral number, area, purpose, status, ЄДРПОУ, lease until
    ("1810100000:02:001:0001", "0,04", "присадибна", "вільна", None, None),
    ("1810100000:02:001:0002", 0.04, "торгівля", "оренда", "04053625", dt.datetime(2031, 5, 31)),
    ("1810100000:02:001:0003", 0.04, "02.01", "вільна", None, None),  # a code the classifier has, as is
]


def write_xlsx(path, rows=ROWS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ділянки"
    sheet.append(["КАДНОМ", "ПЛОЩА", "ПРИЗНАЧ", "СТАН", "ЄДРПОУ", "ДО", "WKT"])
    for i, row in enumerate(rows):
        sheet.append([*row, square_wkt(i)])
    book.save(path)
    return path


def write_gpkg(path, count: int, srs_epsg: int = 4326):
    """Parcels in WGS 84 (as a GeoPackage from another system might hold them)."""
    driver = ogr.GetDriverByName("GPKG")
    source = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(srs_epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_source = osr.SpatialReference()
    to_source.ImportFromEPSG(9836)
    to_source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(to_source, srs)
    layer = source.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name, kind in (("КАДНОМ", ogr.OFTString), ("ПЛОЩА", ogr.OFTReal), ("ПРИЗНАЧ", ogr.OFTString),
                       ("СТАН", ogr.OFTString), ("ЄДРПОУ", ogr.OFTString), ("ДО", ogr.OFTDate)):  # fmt: skip
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    for i in range(count):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("КАДНОМ", f"1810100000:03:{i // 10000:03d}:{i % 10000:04d}")
        feature.SetField("ПЛОЩА", 0.04)
        feature.SetField("ПРИЗНАЧ", "присадибна")
        feature.SetField("СТАН", "вільна")
        geometry = ogr.CreateGeometryFromWkt(square_wkt(i))
        geometry.Transform(transform)
        feature.SetGeometry(geometry)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    source = None
    return path


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "ділянки.yaml"
    path.write_text(MAPPING + "sheet: Ділянки\ngeometry: {wkt: WKT}\ncrs: EPSG:9836\n", encoding="utf-8")
    return path


def parcels(db):
    with db.connect().cursor() as cur:
        cur.execute(
            "SELECT cadastral_number, status, area_ha::float, land_use_code, lease_status, user_edrpou,"
            " lease_until::text, round(ST_Area(geom))::int FROM property.land_parcel ORDER BY 1"
        )
        return cur.fetchall()


def test_an_xlsx_register_through_review(db, tmp_path, mapping):
    report = import_register(TABLE, write_xlsx(tmp_path / "реєстр.xlsx"), mapping, db.connect(EDITOR, autocommit=False),
                             SETTINGS, dry_run=False)  # fmt: skip
    assert not report.refused, report.as_dict()
    assert report.counts() == {"rows": 3, "refused": 0, "insert": 3, "update": 0, "unchanged": 0}
    assert parcels(db) == [
        ("1810100000:02:001:0001", "submitted", 0.04, "02.01", "free", None, None, 400),
        ("1810100000:02:001:0002", "submitted", 0.04, "03.07", "leased", "04053625", "2031-05-31", 400),
        ("1810100000:02:001:0003", "submitted", 0.04, "02.01", "free", None, None, 400),
    ]
    submit = "SELECT reason, import_file_id FROM history.event WHERE action = 'submit' AND table_name = %s LIMIT 1"
    assert one(db.connect(), submit, TABLE) == ("Імпорт реєстру з файлу реєстр.xlsx", report.evidence_id)
    # the file is the evidence of the changes: name, hash, format, who imported it
    evidence = "SELECT file_name, sha256, source_format, file_date, imported_by FROM history.import_file WHERE id = %s"
    assert one(db.connect(), evidence, report.evidence_id) == ("реєстр.xlsx", report.sha256, "xlsx", None, EDITOR)
    again = import_register(TABLE, tmp_path / "реєстр.xlsx", mapping, db.connect(EDITOR, autocommit=False), SETTINGS,
                            dry_run=False)  # fmt: skip
    assert again.counts()["unchanged"] == 3 and again.submitted == 0


def test_the_dry_run_reports_every_refused_row_and_leaves_nothing(db, tmp_path, mapping):
    rows = list(ROWS) + [
        ("1810100000:02:001:0004", 0.04, "присадибна", "оренда", "04053626", None),  # wrong check digit
        ("1810100000:02:001:0005", 0.04, "склад", "вільна", None, None),  # a purpose the mapping does not know
        ("18101:02:001:0006", 0.04, "присадибна", "вільна", None, None),  # not a cadastral number
    ]
    report = import_register(TABLE, write_xlsx(tmp_path / "r.xlsx", rows), mapping,
                             db.connect(EDITOR, autocommit=False), SETTINGS, dry_run=True)  # fmt: skip
    refused = {r["row"]: r["reasons"] for r in report.as_dict()["refused_rows"]}
    assert sorted(refused) == [5, 6, 7]  # spreadsheet rows (the header is row 1)
    assert refused[5][0].startswith("Код ЄДРПОУ «04053626» недійсний")
    assert refused[6] == ["«склад» у колонці «ПРИЗНАЧ» немає ні у відповідності кодів, ні в класифікаторі"]
    assert refused[7][0].startswith("Кадастровий номер «18101:02:001:0006» має неправильний формат")
    assert parcels(db) == []


def test_a_geopackage_in_another_system(db, tmp_path):
    path = write_gpkg(tmp_path / "ділянки.gpkg", 120)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.replace("  user_edrpou: ЄДРПОУ\n  lease_until: ДО\n", "") + "layer: parcels\n",
                       encoding="utf-8")  # fmt: skip
    report = import_register(TABLE, path, mapping, db.connect(EDITOR, autocommit=False), SETTINGS, dry_run=False)
    assert not report.refused, report.as_dict()
    assert report.submitted == 120
    rows = parcels(db)
    assert len(rows) == 120 and {r[1] for r in rows} == {"submitted"} and {r[-1] for r in rows} == {400}
    x, y = one(
        db.connect(), "SELECT ST_XMin(geom), ST_YMin(geom) FROM property.land_parcel ORDER BY cadastral_number LIMIT 1"
    )
    assert abs(x - CENTRE[0]) < 0.01 and abs(y - (CENTRE[1] - 1000)) < 0.01


def test_csv_with_coordinates_and_a_shapefile(db, tmp_path):
    csv = tmp_path / "p.csv"
    lines = ["КАДНОМ;ПЛОЩА;ПРИЗНАЧ;СТАН;WKT"] + [
        f'1810100000:04:001:{i + 1:04d};0,04;присадибна;вільна;"{square_wkt(i)}"' for i in range(3)
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({
        "key": "cadastral_number", "geometry": {"wkt": "WKT"}, "crs": "EPSG:9836",
        "fields": {"cadastral_number": "КАДНОМ", "area_ha": "ПЛОЩА",
                   "land_use_code": {"column": "ПРИЗНАЧ", "codes": {"присадибна": "02.01"}},
                   "ownership": {"value": "communal"}, "lease_status": {"column": "СТАН", "codes": {"вільна": "free"}}},
    }, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    report = import_register(TABLE, csv, mapping, db.connect(EDITOR, autocommit=False), SETTINGS, dry_run=False)
    assert report.counts()["insert"] == 3, report.as_dict()
    # the same parcels as a Shapefile in windows-1251 with its .cpg and .prj: nothing changes
    shp = tmp_path / "p.shp"
    convert = ["ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=CP1251", "-a_srs", "EPSG:9836"]
    subprocess.run([*convert, "-oo", "SEPARATOR=SEMICOLON", "-oo", "GEOM_POSSIBLE_NAMES=WKT", str(shp), str(csv)],
                   check=True)  # fmt: skip
    assert (tmp_path / "p.cpg").exists() and (tmp_path / "p.prj").exists()
    again = import_register(TABLE, shp, mapping, db.connect(EDITOR, autocommit=False), SETTINGS, dry_run=False)
    assert again.counts()["unchanged"] == 3, again.as_dict()


@pytest.mark.parametrize(
    "text,message",
    [
        ("fields: {cadastral_number: K}\nkey: cadastral_number\n", "Не вказано колонки для обов'язкових полів"),
        (MAPPING + "  colour: C\n", "У реєстрі «Земельні ділянки» немає поля «colour»"),
        (MAPPING.replace("key: cadastral_number\n", ""), "Вкажіть «key:»"),
        (MAPPING.replace('"торгівля": "03.07"', '"торгівля": "99.99"'), "кодів 99.99 немає в класифікаторі"),
        (MAPPING.replace("КАДНОМ", "НОМЕР"), "У файлі r.xlsx немає колонок: НОМЕР"),
        ("fields: [1, 2]\n", "має містити розділ «fields"),
    ],
)
def test_a_bad_mapping_is_named(db, tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text + "geometry: {wkt: WKT}\n", encoding="utf-8")
    write_xlsx(tmp_path / "r.xlsx")
    with pytest.raises(MappingError) as refused:
        import_register(TABLE, tmp_path / "r.xlsx", path, db.connect(EDITOR, autocommit=False), SETTINGS)
    assert message in refused.value.message_uk


def test_command_line(db, tmp_path, mapping):
    write_xlsx(tmp_path / "r.xlsx")
    env = dict(os.environ, PROJ_DATA="/usr/share/proj")
    done = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "import", "register", TABLE, str(tmp_path / "r.xlsx"),
         "--mapping", str(mapping), "--dry-run", "--dsn", db.dsn(EDITOR)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "нових 3, змінених 0, без змін 0, відмовлено 0 — перевірка без змін (--dry-run)" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields: {cadastral_number: K}\nkey: cadastral_number\n", encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "import", "register", TABLE, str(tmp_path / "r.xlsx"),
         "--mapping", str(bad), "--dsn", db.dsn(EDITOR)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.startswith("помилка: Не вказано колонки для обов'язкових полів")
