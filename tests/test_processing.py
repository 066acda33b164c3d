"""The "Zhytomyr GIS" Processing algorithms run headless, as in a model or a
batch run, against a fixture register with known defects."""

from __future__ import annotations

import csv
import json
import os
import sys

import pytest
import register_rows as rows
from factories import call
from plugin_env import auth_manager, login, service_file, styled_db  # noqa: F401 - fixtures
from register_rows import add, force, publish, submit

from zhytomyr_gis.registers import REGISTERS

PLUGINS = "/usr/share/qgis/python/plugins"


@pytest.fixture(scope="module")
def processing_run():
    """processing.run with the provider registered (a QGIS application is
    made if the session has none)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if PLUGINS not in sys.path:
        sys.path.append(PLUGINS)
    from qgis.core import QgsApplication

    app, created = QgsApplication.instance(), False
    if app is None:
        app, created = QgsApplication([], False), True
        app.initQgis()
    import processing
    from processing.core.Processing import Processing

    from zhytomyr_gis_plugin.processing.provider import ZhytomyrGisProvider

    Processing.initialize()
    provider = ZhytomyrGisProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    yield processing.run
    QgsApplication.processingRegistry().removeProvider(provider)
    if created:
        app.exitQgis()


@pytest.fixture
def defects(db):
    """Parcels: a published pair that overlaps (2 findings once the whole
    register is checked), a submitted invalid one, a submitted clean one;
    an advertising permit marked valid that expired (a warning)."""
    a, b = publish(db, "property.land_parcel", rows.parcel((0, 0)), rows.parcel((100, 0)))
    force(db, "UPDATE property.land_parcel SET geom = ST_Translate(geom, -90, 0) WHERE id = %s", b)  # 10 m into a
    invalid = add(db, "property.land_parcel", rows.parcel((300, 0)))
    clean = add(db, "property.land_parcel", rows.parcel((400, 0)))
    x, y = rows.CENTRE
    force(
        db,
        "UPDATE property.land_parcel SET geom = ST_GeomFromText(%s, 9836) WHERE id = %s",
        f"MULTIPOLYGON((({x + 300} {y},{x + 320} {y + 20},{x + 320} {y},{x + 300} {y + 20},{x + 300} {y})))",
        invalid,
    )
    submit(db, "property.land_parcel", [invalid, clean])
    structure = add(db, "advertising.structure", rows.structure((500, 500)))
    add(db, "advertising.permit", rows.permit(structure, issued_on="2015-01-01", valid_from="2015-01-01",
                                              valid_to="2019-12-31"))  # fmt: skip
    return {"db": db, "overlapping": {a, b}, "invalid": invalid, "clean": clean}


PARCELS_OPTION = 1 + [r.table for r in REGISTERS].index("property.land_parcel")  # 0 is "all registers"


def test_check_register_gives_an_issues_layer(processing_run, defects):
    db = defects["db"]
    result = processing_run(
        "zhytomyr_gis:check_register",
        {"DATABASE": db.dsn("t_property_verifier"), "REGISTER": PARCELS_OPTION, "SCOPE": 0, "OUTPUT": "memory:"},
    )
    layer = result["OUTPUT"]
    issues = [(f["record_id"], f["rule_id"], f["severity"]) for f in layer.getFeatures()]
    assert sorted(issues) == sorted(
        [(i, "land_parcel_overlap", "error") for i in defects["overlapping"]]
        + [(defects["invalid"], "land_parcel_geometry_valid", "error")]
    )
    assert (result["ERRORS"], result["WARNINGS"]) == (3, 0)
    assert layer.crs().authid() == "EPSG:9836"
    overlap = next(f for f in layer.getFeatures() if f["rule_id"] == "land_parcel_overlap")
    assert overlap["message"].startswith("Земельна ділянка перекривається")
    assert overlap["record"].startswith("1810100000:") and overlap["register_title"] == "Земельні ділянки"
    point = overlap.geometry().asPoint()  # inside the 10 m overlap strip
    assert rows.CENTRE[0] + 10 <= point.x() <= rows.CENTRE[0] + 20


def test_check_only_the_submitted_records(processing_run, defects):
    db = defects["db"]
    result = processing_run(
        "zhytomyr_gis:check_register",
        {"DATABASE": db.dsn("t_property_verifier"), "REGISTER": PARCELS_OPTION, "SCOPE": 1, "OUTPUT": "memory:"},
    )
    assert [(f["record_id"], f["rule_id"]) for f in result["OUTPUT"].getFeatures()] == [
        (defects["invalid"], "land_parcel_geometry_valid")
    ]


def test_every_register_in_batch_sees_only_ones_own(processing_run, defects):
    db = defects["db"]
    result = processing_run(
        "zhytomyr_gis:check_register",
        {"DATABASE": db.dsn("t_advertising_verifier"), "REGISTER": 0, "SCOPE": 0, "OUTPUT": "memory:"},
    )
    assert [(f["register"], f["rule_id"], f["severity"]) for f in result["OUTPUT"].getFeatures()] == [
        ("advertising.permit", "permit_expired", "warning")
    ]
    assert result["OUTPUT"].getFeature(1).geometry().asPoint().x() == pytest.approx(rows.CENTRE[0] + 500)


def test_status_report(processing_run, defects, tmp_path):
    db = defects["db"]
    call(db.connect("t_property_verifier"), "reject", "property.land_parcel", [defects["clean"]], "Не та площа")
    result = processing_run(
        "zhytomyr_gis:status_report",
        {
            "DATABASE": db.dsn("t_property_verifier"),
            "WAITING_DAYS": 0,
            "OUTPUT": "memory:",
            "REPORT": str(tmp_path / "status.csv"),
        },
    )
    table = {f["register"]: f for f in result["OUTPUT"].getFeatures()}
    parcels = table["property.land_parcel"]
    assert (parcels["draft"], parcels["submitted"], parcels["verified"], parcels["rejected"]) == (0, 1, 2, 1)
    # every register of the verifier's department, empty ones too
    assert set(table) == {
        "property.land_parcel",
        "property.parcel_land",
        "property.parcel_lease",
        "property.parcel_restriction",
        "property.property_object",
    }
    assert (result["SUBMITTED"], result["WAITING"]) == (1, 1)
    with open(result["REPORT"], encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert "Чекають понад 0 дн." in lines[0] and len(lines) == 1 + 5  # a header and a line a register


def test_export_verification_report(processing_run, defects, tmp_path):
    db = defects["db"]
    result = processing_run(
        "zhytomyr_gis:export_verification_report",
        {
            "DATABASE": db.dsn("t_property_verifier"),
            "REGISTER": PARCELS_OPTION,
            "RUN_CHECKS": True,
            "LANGUAGE": 1,
            "OUTPUT": str(tmp_path / "report.json"),
        },
    )
    assert result["ISSUES"] == 3
    document = json.loads(open(result["OUTPUT"], encoding="utf-8").read())
    assert document["title"] == "Verification report"
    assert sorted(r["rule_id"] for r in document["rows"]) == [
        "land_parcel_geometry_valid",
        "land_parcel_overlap",
        "land_parcel_overlap",
    ]


def test_the_plugins_own_connection_by_default(processing_run, defects, styled_db):  # noqa: F811 - a fixture
    """No DATABASE: the plugin's pg_service entry and the credentials in the QGIS authentication manager."""
    login("t_property_verifier")
    result = processing_run(
        "zhytomyr_gis:check_register", {"REGISTER": PARCELS_OPTION, "SCOPE": 2, "OUTPUT": "memory:"}
    )
    # the stored findings only (no new run): the invalid parcel, found when it was submitted
    assert [f["rule_id"] for f in result["OUTPUT"].getFeatures()] == ["land_parcel_geometry_valid"]


def test_bad_connection_is_a_clear_error(processing_run, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as failed:
        processing_run(
            "zhytomyr_gis:export_verification_report",
            {"DATABASE": "no such saved connection", "REGISTER": 0, "OUTPUT": str(tmp_path / "r.html")},
        )
    assert "no such saved connection" in str(failed.value)


def test_algorithms_speak_ukrainian(processing_run):
    from qgis.core import QgsApplication

    from zhytomyr_gis_plugin import i18n

    translator = i18n.install_translator("uk")
    assert translator is not None, "compile the translations first (make translations)"
    try:
        registry = QgsApplication.processingRegistry()
        assert registry.algorithmById("zhytomyr_gis:check_register").displayName() == "Перевірити реєстр"
        status = registry.createAlgorithmById("zhytomyr_gis:status_report")  # parameters made now
        assert status.parameterDefinition("WAITING_DAYS").description() == "Подання, що чекають довше ніж (днів)"
    finally:
        i18n.remove_translator(translator)


def test_the_databases_refusal_is_the_algorithms_error(processing_run, defects):
    """A verifier of another department asks to check parcels: the database refuses,
    Processing shows its Ukrainian message, no traceback."""
    from qgis.core import QgsProcessingException

    db = defects["db"]
    with pytest.raises(QgsProcessingException) as failed:
        processing_run(
            "zhytomyr_gis:check_register",
            {"DATABASE": db.dsn("t_advertising_verifier"), "REGISTER": PARCELS_OPTION, "SCOPE": 0, "OUTPUT": "memory:"},
        )
    assert str(failed.value).startswith("Перевіряти реєстр «Земельні ділянки» можуть лише працівники"), failed.value
