"""Real clients read the services: GDAL's WMS, WFS and OGC API drivers, and QGIS's providers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from . import images
from .views import ARTEFACTS


def _gdal(*args: str) -> str:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_gdal_wfs_driver_reads_parcels(public_server):
    out = _gdal("ogrinfo", "-ro", "-so", f"WFS:{public_server.ows('property')}", "property_land_parcel")
    assert "Feature Count: 12" in out
    assert "cadastral_number: String" in out
    assert "user_person_name" not in out


def test_gdal_ogc_api_driver_reads_budget_projects(public_server):
    out = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{public_server.ows('budget')}/wfs3", "budget_project")
    assert "Feature Count: 6" in out


def test_gdal_wms_driver_draws_the_city(public_server):
    out = _gdal("gdalinfo", f"WMS:{public_server.ows('city')}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities")
    assert "SUBDATASET_" in out and "LAYERS=city" in out
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTEFACTS / "gdal_wms_city.png"
    _gdal(
        "gdal_translate",
        "-q",
        "-of",
        "PNG",
        "-outsize",
        "256",
        "256",
        "-projwin",
        "3189171.7",
        "6491450.5",
        "3191171.7",
        "6489450.5",
        "-projwin_srs",
        "EPSG:3857",
        f"WMS:{public_server.ows('city')}?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=city&SRS=EPSG:3857"
        "&BBOX=-20037508.34,-20037508.34,20037508.34,20037508.34&FORMAT=image/png",
        str(target),
    )
    assert images.non_blank_share(target.read_bytes()) > 0.01


def test_qgis_wms_wfs_and_ogc_api_providers(public_server):
    script = Path(__file__).with_name("qgis_clients.py")
    result = subprocess.run(
        [sys.executable, str(script), public_server.base_url],
        capture_output=True,
        text=True,
        timeout=180,
        env=public_server.env(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["wms_valid"], out
    assert out["wms_drawn_samples"] > 20, out
    assert out["wfs_valid"] and out["wfs_count"] == 12, out
    assert "cadastral_number" in out["wfs_fields"] and "user_person_name" not in out["wfs_fields"]
    assert out["oapif_valid"] and out["oapif_count"] == 6, out
