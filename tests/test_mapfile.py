"""The MapServer mapfiles of the benchmark: the same projects, colours and scales as the QGIS projects."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from zhytomyr_gis.publishing import catalog, mapfile, styling
from zhytomyr_gis.publishing.styling import ClassifierItem

MAPSERV = "/usr/lib/cgi-bin/mapserv"
ROOT = Path(__file__).resolve().parents[1]


def _classifiers() -> dict[str, list[ClassifierItem]]:
    """Classifier lists with the codes the catalog colours (energy classes carry their colour as group)."""
    lists: dict[str, list[ClassifierItem]] = {}
    for project in catalog.PROJECTS:
        for layer in project.layers:
            spec = layer.categories
            if spec is None:
                continue
            if spec.colour_from_group:
                energy = {"A": "#1a9850", "D": "#fee08b", "G": "#d73027"}
                items = [ClassifierItem(code, code, code, colour) for code, colour in energy.items()]
            elif spec.colours:
                items = [ClassifierItem(code, code, code, None) for code in spec.colours]
            else:
                items = [ClassifierItem(f"{g}-{n}", g, g, g) for g in spec.group_colours for n in range(1, 3)]
            lists[spec.classifier] = items
    return lists


def test_mapfile_draws_the_catalog_colours_and_scales(tmp_path):
    classifiers = _classifiers()
    text = mapfile.render_mapfile(
        catalog.project("city"),
        classifiers,
        online_resource="http://127.0.0.1/mapserver/city?",
        font_set=tmp_path / "f",
    )
    for code, colour in catalog.LEASE_COLOURS.items():
        assert f'EXPRESSION "{code}"' in text
        assert f"COLOR {' '.join(map(str, styling.rgb(colour)))} OPACITY 60" in text
    # Scale limits as in the QGIS projects: parcels from 1:25 000, their labels from 1:2 000.
    parcels = text.split('NAME "property_land_parcel"')[1].split("\n  LAYER")[0]
    assert "MAXSCALEDENOM 25000" in parcels and "LABELMAXSCALEDENOM 2000" in parcels
    assert 'TEXT "[street_type] [name_uk]"' in text
    # Drawing order: the first catalog layer (addresses) is drawn last, on top.
    assert text.index('NAME "ref_city_boundary"') < text.index('NAME "ref_address"')


def test_group_shades_are_the_ones_qt_would_make():
    # Values computed by QColor in the projects' builder before the colour code moved here.
    assert styling.shade("#ffe5c6", 1, 2) == "#ffdcb3"
    assert styling.shade("#f2c94c", 0, 1) == "#f2c94c"


@pytest.mark.skipif(not os.path.exists(MAPSERV), reason="MapServer is installed by tools/install-deps.sh")
def test_mapserver_reads_every_generated_mapfile(tmp_path):
    written = mapfile.write_mapfiles(tmp_path, _classifiers())
    config = tmp_path / "mapserver.conf"
    config.write_text(f'CONFIG\n  ENV\n    MS_MAP_PATTERN "^{tmp_path}/"\n  END\nEND\n')
    for path in written:
        result = subprocess.run(
            [MAPSERV],
            env={
                "MAPSERVER_CONFIG_FILE": str(config),
                "MS_MAPFILE": str(path),
                "REQUEST_METHOD": "GET",
                "QUERY_STRING": "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "<WMS_Capabilities" in result.stdout, f"{path.name}: {result.stdout[-500:]}"
        project_id = path.stem
        for layer in catalog.project(project_id).layers:
            assert f"<Name>{layer.name}</Name>" in result.stdout


def test_mapserver_writes_png_at_the_zlib_level_of_qgis_server(tmp_path):
    # The peer is compared on equal terms: its PNGs at QGIS Server's level
    # (the production environment's ZGIS_PNG_ZLIB_LEVEL) unless told otherwise.
    env_file = (ROOT / "qgis_server" / "qgis-server.env.in").read_text()
    production = int(next(line for line in env_file.splitlines() if line.startswith("ZGIS_PNG_ZLIB_LEVEL="))[20:])
    assert mapfile.PNG_ZLIB_LEVEL == production
    spec = catalog.project("city")
    args = {"online_resource": "http://127.0.0.1/mapserver/city?", "font_set": tmp_path / "f"}
    default = mapfile.render_mapfile(spec, _classifiers(), **args)
    assert default.count(f"FORMATOPTION 'COMPRESSION={production}'") == 2  # 32-bit and 8-bit PNG
    assert mapfile.render_mapfile(spec, _classifiers(), png_zlib_level=6, **args).count("'COMPRESSION=6'") == 2
    with pytest.raises(ValueError, match="0-9"):
        mapfile.render_mapfile(spec, _classifiers(), png_zlib_level=12, **args)
