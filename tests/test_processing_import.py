"""The import and export algorithms run headless, as in a model or a batch run."""

from __future__ import annotations

import pytest
from exchange_files import ExchangeFile, Parcel, neighbours, rectangle
from test_import_register import MAPPING, write_xlsx
from test_processing import processing_run  # noqa: F401 - the fixture

EDITOR = "t_property_editor"


def test_import_an_exchange_file(processing_run, db, tmp_path):  # noqa: F811 - a fixture
    path = ExchangeFile(neighbours(count=3), system="USC2000-GK5").write(tmp_path / "a.xml")
    result = processing_run(
        "zhytomyr_gis:import_exchange_file",
        {"DATABASE": db.dsn(EDITOR), "FILE": str(path), "DRY_RUN": False, "OUTPUT": "memory:"},
    )
    assert (result["SUBMITTED"], result["REFUSED"]) == (6, 0)  # three parcels and the land of each
    assert result["OUTPUT"].featureCount() == 0
    with db.connect().cursor() as cur:
        cur.execute("SELECT count(*) FROM property.land_parcel WHERE status = 'submitted'")
        assert cur.fetchone()[0] == 3


def test_refused_parcels_come_back_as_a_layer(processing_run, db, tmp_path):  # noqa: F811 - a fixture
    parcels = neighbours(count=2)
    parcels.append(Parcel("01:001:0009", [rectangle(5000, 0, 40, 50)]))  # outside the city
    path = ExchangeFile(parcels).write(tmp_path / "b.xml")
    result = processing_run(
        "zhytomyr_gis:import_exchange_file",
        {"DATABASE": db.dsn(EDITOR), "FILE": str(path), "DRY_RUN": False, "OUTPUT": "memory:"},
    )
    assert (result["SUBMITTED"], result["REFUSED"]) == (0, 1)
    (feature,) = list(result["OUTPUT"].getFeatures())
    assert feature["record"] == "1810100000:01:001:0009"
    assert feature["reason"] == "Ділянка лежить поза межами громади"
    assert feature.geometry().area() == pytest.approx(2000, abs=0.1)
    assert result["OUTPUT"].crs().authid() == "EPSG:9836"


def test_import_a_register_file_and_export(processing_run, db, tmp_path):  # noqa: F811 - a fixture
    from zhytomyr_gis.importing.register_files import EDITABLE_REGISTERS

    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING + "geometry: {wkt: WKT}\n", encoding="utf-8")
    rows = write_xlsx(tmp_path / "r.xlsx")
    option = [r.table for r in EDITABLE_REGISTERS].index("property.land_parcel")
    result = processing_run(
        "zhytomyr_gis:import_register_file",
        {"DATABASE": db.dsn(EDITOR), "REGISTER": option, "FILE": str(rows), "MAPPING": str(mapping),
         "DRY_RUN": True, "OUTPUT": "memory:"},
    )  # fmt: skip
    assert (result["SUBMITTED"], result["REFUSED"]) == (0, 0)
    exported = processing_run(
        "zhytomyr_gis:export_exchange_file",
        {"DATABASE": db.dsn(EDITOR), "PUBLISHED": False, "OUTPUT": str(tmp_path / "e.xml")},
    )
    assert exported["PARCELS"] == 0  # a dry run left nothing


def test_algorithms_speak_ukrainian(processing_run):  # noqa: F811 - a fixture
    from qgis.core import QgsApplication

    from zhytomyr_gis_plugin import i18n

    translator = i18n.install_translator("uk")
    assert translator is not None, "compile the translations first (make translations)"
    try:
        registry = QgsApplication.processingRegistry()
        names = [registry.algorithmById(f"zhytomyr_gis:{a}").displayName()
                 for a in ("import_exchange_file", "import_register_file", "export_exchange_file")]  # fmt: skip
        assert names == ["Імпорт обмінного файлу", "Імпорт реєстру з файлу", "Експорт обмінного файлу"]
    finally:
        i18n.remove_translator(translator)
