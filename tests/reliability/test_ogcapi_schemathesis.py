"""Schemathesis over the OGC API Features of every project (``make reliability``).

Schemathesis (pinned in requirements-reliability.txt, in .venv-reliability)
reads each project's OpenAPI document and sends what it allows and what it
does not (examples, boundary values, random data, linked sequences), and
checks every answer: no server error, the status codes, content types,
headers and bodies the document declares, invalid data refused, no
undeclared method accepted. Each project must pass with no failure.

Left out, being about QGIS Server's leniency rather than errors or schema
violations: ``positive_data_acceptance`` (QGIS refuses some values the
document allows, such as an offset past the last feature: a 400) and
``negative_data_rejection`` (QGIS takes one value of a query parameter
given twice instead of refusing the request).
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT
from server.conftest import PROJECT_IDS

SCHEMATHESIS = ROOT / ".venv-reliability" / "bin" / "schemathesis"
REPORTS = ROOT / ".run" / "reliability"
MAX_EXAMPLES = 25  # per operation and phase: about a minute a project here
SEED = 20240601  # the same requests every run; change it to explore further


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_ogc_api_has_no_server_error_and_no_schema_violation(public_server, project_id):
    assert SCHEMATHESIS.exists(), "run tools/install-deps.sh reliability (make reliability does)"
    REPORTS.mkdir(parents=True, exist_ok=True)
    junit = REPORTS / f"schemathesis-{project_id}.xml"
    junit.unlink(missing_ok=True)
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            public_server.ows(project_id) + "/wfs3/api.json",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance,negative_data_rejection",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--workers",
            "2",
            "--request-timeout",
            "60",
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            str(junit),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPORTS,  # schemathesis keeps its example database in the working folder
    )
    (REPORTS / f"schemathesis-{project_id}.txt").write_text(result.stdout + result.stderr)
    summary = re.search(r"(\d+) generated", result.stdout)
    assert summary and int(summary.group(1)) > 0, result.stdout[-2000:]
    suite = ET.parse(junit).getroot()
    failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suite.iter("testsuite"))
    assert result.returncode == 0 and failures == 0, result.stdout[-6000:]
