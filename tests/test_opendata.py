"""Open data built from a real database: every file validates against its
Table Schema (frictionless), nothing unapproved or personal reaches a file,
the descriptors and the catalogue say what a harvester needs.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import frictionless
import openpyxl
import pytest
from conftest import ROOT
from opendata_city import create, drop, text_of
from osgeo import ogr

from zhytomyr_gis.opendata import ckan, release
from zhytomyr_gis.opendata.datasets import DATASETS, PERMIT_STATUS
from zhytomyr_gis.opendata.formats import files_of
from zhytomyr_gis.opendata.settings import Settings, SettingsError, parse
from zhytomyr_gis.registers import REGISTERS

ogr.UseExceptions()
SETTINGS = Settings(base_url="https://gis.zt-rada.gov.ua")


@pytest.fixture(scope="module")
def city(pg_cluster):
    city = create(pg_cluster)
    try:
        yield city
    finally:
        drop(city)


@pytest.fixture(scope="module")
def built(city, tmp_path_factory):
    """The open data as the command line builds it, reading as portal_reader."""
    out = tmp_path_factory.mktemp("opendata") / "release"
    settings_file = out.parent / "settings.json"
    settings_file.write_text(json.dumps({"base_url": SETTINGS.base_url}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "opendata", "--db", city.dsn("portal_reader"),
         "--settings", str(settings_file), "build", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_every_dataset_and_file_is_there(built):
    index = json.loads((built / "index.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in index["datasets"]] == [d.id for d in DATASETS]
    for dataset in DATASETS:
        for resource in dataset.resources:
            for name in files_of(resource):
                assert (built / dataset.id / name).stat().st_size > 0, name
            assert (built / dataset.id / f"{resource.name}.schema.json").is_file()
        assert (built / dataset.id / "datapackage.json").is_file()
        assert (built / dataset.id / "passport.json").is_file()
    # The generated city has records in every table.
    assert all(n > 0 for d in index["datasets"] for n in d["records"].values()), index["datasets"]


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.id)
def test_every_table_file_validates_against_its_schema(built, dataset):
    folder = built / dataset.id
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:20]
    # The package's tabular resources are the CSV, JSON and XLSX of every table;
    # the geometries' attributes are checked against the same schema.
    validated = {task.place for task in report.tasks if task.type == "table"}
    for resource in dataset.resources:
        assert {f"{resource.name}.csv", f"{resource.name}.json", f"{resource.name}.xlsx"} <= validated
        if not resource.spatial:
            continue
        schema = frictionless.Schema.from_descriptor(
            json.loads((folder / f"{resource.name}.schema.json").read_text(encoding="utf-8"))
        )
        for suffix in ("wgs84.geojson", "epsg9836.geojson", "wgs84.gpkg", "epsg9836.gpkg"):
            rows = _ogr_rows(folder / f"{resource.name}.{suffix}", [f.name for f in schema.fields])
            result = frictionless.validate(frictionless.Resource(data=rows, schema=schema))
            assert result.valid, (suffix, result.flatten(["rowNumber", "fieldName", "type", "note"])[:10])


def _ogr_rows(path: Path, names: list[str]) -> list[list]:
    source = ogr.Open(str(path))
    layer = source.GetLayer(0)
    defn = layer.GetLayerDefn()
    assert [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())] == names
    rows = [names]
    for feature in layer:
        values = []
        for i in range(defn.GetFieldCount()):
            if feature.IsFieldNull(i):
                values.append(None)
            elif defn.GetFieldDefn(i).GetType() == ogr.OFTDate:
                y, m, d, *_ = feature.GetFieldAsDateTime(i)
                values.append(f"{y:04d}-{m:02d}-{d:02d}")
            elif defn.GetFieldDefn(i).GetSubType() == ogr.OFSTBoolean:
                values.append(bool(feature.GetField(i)))
            else:
                values.append(feature.GetField(i))
        rows.append(values)
    return rows


def test_coordinates_are_in_wgs84_and_in_the_local_system(built):
    """The same parcel in both systems: longitude/latitude around Zhytomyr, and metres of LCS-18."""
    folder = built / "municipal-land"
    wgs_source = ogr.Open(str(folder / "parcels.wgs84.gpkg"))  # kept: a layer dies with its source
    local_source = ogr.Open(str(folder / "parcels.epsg9836.gpkg"))
    wgs, local = wgs_source.GetLayer(0), local_source.GetLayer(0)
    assert wgs.GetSpatialRef().GetAuthorityCode(None) == "4326"
    assert local.GetSpatialRef().GetAuthorityCode(None) == "9836"
    lon0, lon1, lat0, lat1 = wgs.GetExtent()
    assert 28.4 < lon0 < lon1 < 28.9 and 50.1 < lat0 < lat1 < 50.4
    x0, x1, y0, y1 = local.GetExtent()  # easting first in the file, as GIS software reads it
    assert 290_000 < x0 < x1 < 335_000 and 5_550_000 < y0 < y1 < 5_590_000
    geojson = json.loads((folder / "parcels.wgs84.geojson").read_text(encoding="utf-8"))
    position = geojson["features"][0]["geometry"]["coordinates"]
    while isinstance(position[0], list):
        position = position[0]
    lon, lat = position
    assert 28.4 < lon < 28.9 and 50.1 < lat < 50.4
    local_json = json.loads((folder / "parcels.epsg9836.geojson").read_text(encoding="utf-8"))
    assert "9836" in local_json["crs"]["properties"]["name"]
    # The CSV gives a point inside each parcel for people without GIS software.
    with open(folder / "parcels.csv", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert 50.1 < float(first["latitude"]) < 50.4 and 28.4 < float(first["longitude"]) < 28.9


def test_recommended_structures_are_followed(built):
    """Field names, order and code lists of the data.gov.ua recommendations."""
    with open(built / "municipal-property" / "buildings.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames[:10] == [
            "id", "title", "ownerName", "ownerId", "balanceHolderName", "balanceHolderId",
            "userName", "userId", "address", "area",
        ]  # fmt: skip
        rows = list(reader)
    # The object id is the balance holder's ЄДРПОУ and the inventory number.
    assert all(r["id"] == f"{r['balanceHolderId']}-{r['inventoryNumber']}" for r in rows)
    assert {r["ownerId"] for r in rows} == {"04053625"}
    with open(built / "advertising-permits" / "permits.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames[:9] == [
            "id", "issuedDate", "authorityName", "authorityId", "distributorName", "distributorId",
            "status", "validFrom", "validThrough",
        ]  # fmt: skip
        statuses = {r["status"] for r in reader}
    assert statuses <= set(PERMIT_STATUS.values()) and "Чинний" in statuses
    with open(built / "municipal-land" / "parcels.csv", encoding="utf-8") as f:
        parcels = list(csv.DictReader(f))
    assert parcels[0]["kvcpzClassDescription"]  # the classifier's label next to the code


def test_only_municipal_parcels_are_in_the_land_dataset(city, built):
    import psycopg2

    conn = psycopg2.connect(city.dsn("portal_reader"))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT cadastral_number, ownership FROM published.property_land_parcel")
            published = dict(cur.fetchall())
    finally:
        conn.close()
    with open(built / "municipal-land" / "parcels.csv", encoding="utf-8") as f:
        numbers = {r["id"] for r in csv.DictReader(f)}
    assert numbers == {n for n, o in published.items() if o == "communal"}
    assert any(o != "communal" for o in published.values())  # the filter had something to leave out


def test_no_unapproved_value_reaches_any_file(city, built):
    """The canary: values of a draft, a submitted, a rejected change and of an unapproved edit."""
    texts = {p: text_of(p) for p in all_files(built)}
    for state, value in city.canaries.items():
        found = [str(p.relative_to(built)) for p, text in texts.items() if value in text]
        assert not found, f"the {state} change's value is in {found}"
    # The edited record is still published with its approved content.
    edited_id, cadastral = city.edited_parcel
    # (and the search sees the text of every format: the approved address is found in each).
    for name in files_of(next(r for d in DATASETS if d.id == "municipal-land" for r in d.resources)):
        text = texts[built / "municipal-land" / name]
        assert cadastral in text and "вул. Затверджена, 1" in text, name


def test_no_personal_data_reaches_any_file(city, built):
    assert len(city.personal_values) > 20  # the generated city has private persons to leave out
    personal_names = {f.name for r in REGISTERS for f in r.fields if f.personal}
    for path in all_files(built):
        text = text_of(path)
        leaked = [v for v in city.personal_values if v in text]
        assert not leaked, f"{path.relative_to(built)} holds personal data: {leaked[:3]}"
        if path.name.endswith(".schema.json"):
            fields = {f["name"] for f in json.loads(text)["fields"]}
            assert not fields & personal_names


def test_xlsx_has_the_data_and_the_field_descriptions_in_ukrainian(built):
    book = openpyxl.load_workbook(built / "budget-projects" / "projects.xlsx", read_only=True)
    assert book.sheetnames == ["projects", "Опис полів"]
    header = next(book["projects"].iter_rows(values_only=True))
    assert header[:3] == ("id", "title", "titleEn")
    described = {row[0]: row[1] for row in book["Опис полів"].iter_rows(min_row=3, values_only=True)}
    assert described["tenderId"] == "Ідентифікатор закупівлі ProZorro"


def test_passport_and_data_package_describe_the_dataset(city, built):
    import psycopg2

    folder = built / "advertising-permits"
    passport = {e["key"]: e for e in json.loads((folder / "passport.json").read_text(encoding="utf-8"))}
    assert passport["publisher_edrpou"]["value"] == "04053625"
    assert passport["license"]["value"].startswith("Creative Commons Attribution 4.0")
    assert "№ 835" in passport["basis"]["value"]
    assert passport["modified"]["label"] == "Дата і час внесення останніх змін"
    base = "https://gis.zt-rada.gov.ua/opendata/advertising-permits/"
    assert all(u.startswith(base) for u in passport["data"]["value"])
    # Last change = the last approval of the dataset's tables.
    conn = psycopg2.connect(city.dsn("portal_reader"))
    with conn.cursor() as cur:
        cur.execute(
            "SELECT greatest((SELECT max(published_at) FROM published.advertising_permit),"
            " (SELECT max(published_at) FROM published.advertising_structure))"
        )
        last = cur.fetchone()[0]
    conn.close()
    assert passport["modified"]["value"] == last.isoformat(timespec="seconds")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["format"] for r in package["resources"]} == {"csv", "json", "xlsx", "geojson", "gpkg"}


def test_catalogue_lists_every_dataset_for_harvesters(built):
    catalog = json.loads((built / "catalog.jsonld").read_text(encoding="utf-8"))
    graph = catalog["@graph"]
    datasets = [n for n in graph if n.get("@type") == "dcat:Dataset"]
    assert len(datasets) == len(DATASETS)
    (cat,) = [n for n in graph if n.get("@type") == "dcat:Catalog"]
    assert {d["@id"] for d in cat["dcat:dataset"]} == {d["@id"] for d in datasets}
    for d in datasets:
        urls = [x["dcat:downloadURL"]["@id"] for x in d["dcat:distribution"]]
        assert urls and all(u.startswith("https://gis.zt-rada.gov.ua/opendata/") for u in urls)
        for url in urls:  # every address names a file of the release
            assert (built / url.removeprefix("https://gis.zt-rada.gov.ua/opendata/")).is_file(), url
    pod = json.loads((built / "data.json").read_text(encoding="utf-8"))
    assert len(pod["dataset"]) == len(DATASETS)
    for d in pod["dataset"]:
        assert {"title", "description", "keyword", "modified", "publisher", "contactPoint", "identifier",
                "accessLevel", "distribution"} <= set(d)  # fmt: skip


def test_ckan_package_dicts_meet_ckan_validation(built):
    index = ckan.read_index(built)
    packages = [ckan.package_dict(entry, "zhytomyr-rada", SETTINGS) for entry in index["datasets"]]
    for package in packages:
        assert ckan.problems(package) == [], package["name"]
    assert ckan.problems({**packages[0], "name": "Муніципальна Власність"})  # CKAN names are ASCII slugs
    assert ckan.problems({**packages[0], "tags": [{"name": "x"}]})  # tags of 2..100 characters


def test_bad_settings_are_refused_with_the_key_named():
    with pytest.raises(SettingsError, match="publisher_edrpou"):
        parse({"publisher_edrpou": "04053626"})  # the council's code with a wrong check digit
    with pytest.raises(SettingsError, match="debounce_s"):
        parse({"debounce_s": "soon"})
    with pytest.raises(SettingsError, match="unknown setting"):
        parse({"publisher": "x"})


def test_a_login_that_cannot_act_as_the_public_role_is_refused(city, tmp_path):
    """The open data never reads through a department's role."""
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis", "opendata", "--db", city.dsn("t_property_editor"), "build",
         str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "portal_reader" in result.stderr and "Traceback" not in result.stderr


def test_publish_switches_the_served_release_in_one_rename(city, tmp_path):
    root = tmp_path / "opendata"
    first = release.publish(city.dsn("portal_reader"), root, SETTINGS)
    assert (root / "current").resolve() == first
    second = release.publish(city.dsn("portal_reader"), root, SETTINGS, only={"budget-projects"})
    assert (root / "current").resolve() == second and first.is_dir()  # the previous one is kept for downloads
    # Unchanged datasets keep their files (same inode, so the same ETag and Last-Modified).
    a, b = first / "municipal-land" / "parcels.csv", second / "municipal-land" / "parcels.csv"
    assert a.stat().st_ino == b.stat().st_ino
    # Nothing half-written is left behind.
    assert not list((root / "releases").glob(".*.tmp"))


def test_ckan_upload_says_clearly_when_the_portal_cannot_be_reached(built):
    """No CKAN server here: the command must fail with a sentence, not a traceback."""
    import os

    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis.opendata", "ckan", "http://127.0.0.1:9", "--organisation",
         "zhytomyr-rada", "--root", str(built)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "CKAN_API_KEY": "test-token"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "cannot reach http://127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr
    without_key = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis.opendata", "ckan", "http://127.0.0.1:9", "--organisation", "x",
         "--root", str(built)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items() if k != "CKAN_API_KEY"},
    )  # fmt: skip
    assert without_key.returncode == 1 and "CKAN_API_KEY" in without_key.stderr
