"""Publishing rules without a server: access decisions and the project checker."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from zhytomyr_gis.publishing import access, catalog
from zhytomyr_gis.publishing.checker import check_file
from zhytomyr_gis.registers import REGISTERS

PROJECTS = sorted((ROOT / "projects").glob("*.qgs"))


@pytest.mark.parametrize(
    "params, path, method",
    [
        ({"MAP": "/etc/passwd"}, "/ows/city", "GET"),
        ({"map": "x.qgs", "SERVICE": "WMS"}, "/ows/city", "GET"),
        ({"SERVICE": "WFS", "REQUEST": "Transaction"}, "/ows/property", "POST"),
        ({"service": "wfs", "request": "transaction"}, "/ows/property", "GET"),
        ({"SERVICE": "WFS", "REQUEST": "LockFeature"}, "/ows/property", "GET"),
        ({}, "/ows/property/wfs3/collections/property_land_parcel/items", "POST"),
        ({}, "/ows/property/wfs3/collections/property_land_parcel/items/1", "DELETE"),
    ],
)
def test_writes_and_map_are_refused(params, path, method):
    with pytest.raises(access.Refusal):
        access.check_request(params, path, method)


def test_reads_pass():
    access.check_request({"SERVICE": "WMS", "REQUEST": "GetMap", "MAP_RESOLUTION": "96"}, "/ows/city", "GET")
    access.check_request({}, "/ows/city/wfs3/collections.json", "GET")


def test_public_attributes_never_include_personal_or_workflow_columns():
    for register in REGISTERS:
        allowed = set(access.public_attributes(register.published_table))
        assert not allowed & {f.name for f in register.fields if f.personal}
        assert not allowed & {"status", "created_by", "updated_by", "status_note", "deleted"}
        assert {"id", "published_at", "published_version"} <= allowed
    assert access.authorized_attributes(
        "published.property_land_parcel", ["id", "user_person_name", "cadastral_number", "status"]
    ) == ["id", "cadastral_number"]
    assert access.authorized_attributes("property.land_parcel", ["id"]) == []
    assert access.source_table("property", "land_parcel") is None
    assert access.source_table("published", "property_land_parcel") == "published.property_land_parcel"


# The maps the city's web site and other systems link to by id: they stay.
CONTRACT_IDS = ["city", "property", "investment", "general_plan", "zoning", "advertising", "energy", "budget"]


def test_catalog_keeps_the_published_ids_and_every_project_is_built():
    ids = [p.id for p in catalog.PROJECTS]
    assert [i for i in ids if i in CONTRACT_IDS] == CONTRACT_IDS
    assert [p.stem for p in PROJECTS] == sorted(p.id for p in catalog.PROJECTS)


@pytest.mark.parametrize("path", PROJECTS, ids=lambda p: p.stem)
def test_committed_projects_pass_the_checker(path):
    assert check_file(path) == []
    text = path.read_text(encoding="utf-8")
    assert "http://127.0.0.1:8080/ows/" + path.stem in text  # service URLs keep the demo's port


BAD_EDITS = {
    "credential": lambda t: t.replace(
        "service='zhytomyr_gis_portal'", "dbname='zhytomyr_gis' host=127.0.0.1 port=55432 user='postgres' password='x'"
    ),
    "outside_published": lambda t: t.replace(
        'table="published"."property_land_parcel"', 'table="property"."land_parcel"'
    ),
    "no_title": lambda t: t.replace("<title>Земельні ділянки / Land parcels</title>", "<title></title>"),
    "no_abstract": lambda t: re.sub(
        r"<abstract>Земельні ділянки комунальної[^<]*</abstract>", "<abstract></abstract>", t
    ),
    "writable": lambda t: re.sub(
        r'<Update type="QStringList"\s*/>',
        '<Update type="QStringList"><value>published_property_land_parcel</value></Update>',
        t,
    ),
}


@pytest.mark.parametrize("rule", list(BAD_EDITS))
def test_checker_refuses_bad_projects(tmp_path, rule):
    good = (ROOT / "projects" / "property.qgs").read_text(encoding="utf-8")
    bad = BAD_EDITS[rule](good)
    assert bad != good, f"the edit for {rule} changed nothing"
    path = tmp_path / "property.qgs"
    path.write_text(bad, encoding="utf-8")
    rules = {p.rule for p in check_file(path)}
    assert rule in rules, rules


def test_check_command_refuses_an_invalid_layer(tmp_path):
    """With no reachable database behind the service, every layer is invalid: the command says so and fails."""
    project = tmp_path / "city.qgs"
    project.write_text((ROOT / "projects" / "city.qgs").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pg_service.conf").write_text("[zhytomyr_gis_portal]\nhost=127.0.0.1\nport=1\ndbname=none\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "PGSERVICEFILE": str(tmp_path / "pg_service.conf"),
        "PGCONNECT_TIMEOUT": "2",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis.publishing", "check", str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[invalid_layer]" in result.stdout and "1 refused: city.qgs" in result.stdout
    assert "Traceback" not in result.stderr
