"""Screenshots of the guide's chapter on importing (docs/uk/import.md), made in
real QGIS desktop under Xvfb: «Імпорт обмінного файлу» after a dry run, the
refused parcel on the map, and a parcel's history naming the file it was
imported from. They land in build/screenshots/; with ZGIS_UPDATE_DOC_IMAGES=1
they also replace docs/uk/img/. The test checks that they show what the
chapter says they show, in Ukrainian."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import qgis_desktop
import screenshot_scene
from conftest import CENTRE
from exchange_files import ExchangeFile, neighbours
from factories import approve
from plugin_env import MASTER_PASSWORD, PASSWORD, auth_manager, service_file, styled_db  # noqa: F401
from test_plugin_screenshots import MAX_DOC_IMAGE_BYTES, png_size

from zhytomyr_gis import pgservice
from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.cadastral import import_file

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "build" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "uk" / "img"
SERVICE = "zhytomyr_gis"
CLERK = "property_editor_demo"
IMAGES = ["import_dialog.png", "import_refused.png", "import_history.png"]
# East of the scene's blocks: the parcels of the two files and some of the city around them.
X, Y = CENTRE
EXTENT = (X + 380, Y - 60, X + 1080, Y + 300)


def test_screenshots_of_the_import_in_ukrainian(styled_db, tmp_path):  # noqa: F811 - a fixture
    screenshot_scene.ensure_clerk(styled_db, PASSWORD)  # the scene's advertising clerk
    screenshot_scene.ensure_clerk(styled_db, PASSWORD, CLERK, "property_editor")
    pgservice.write(
        SERVICE, "127.0.0.1", styled_db.cluster.port, styled_db.name, path=Path(os.environ["PGSERVICEFILE"])
    )
    screenshot_scene.build(styled_db)
    # A surveyor's file imported and approved earlier, and a new one to check: one of its
    # parcels has a purpose code the classifier lacks.
    settings = import_settings.load()
    earlier = ExchangeFile(neighbours("009", count=3, dx=700, dy=60), surveyor="ТОВ «Житомирземпроект»")
    report = import_file(
        earlier.write(tmp_path / "Київська_квартал_9.xml"), settings,
        conn=styled_db.connect(CLERK, autocommit=False), dry_run=False,
    )  # fmt: skip
    assert report.imported, report.as_dict()
    imported = [p.record_id for p in report.parcels]
    approve(styled_db.connect("t_property_verifier"), "property.land_parcel", imported)
    checked = neighbours("010", count=3, dx=700, dy=140)
    checked[1].purpose = "99.99"
    checked_path = ExchangeFile(checked, version="1.0", file_date="2024-06-03").write(tmp_path / "Поділ_2024.xml")

    qgis_desktop.profile_with_plugin(tmp_path)
    shots = tmp_path / "shots"
    shots.mkdir()
    result = qgis_desktop.run(
        "import_screenshots.py",
        tmp_path,
        env={
            "PGSERVICEFILE": os.environ["PGSERVICEFILE"],
            "ZGIS_SERVICE": SERVICE,
            "ZGIS_SCREENSHOTS": str(shots),
            "ZGIS_SCREENSHOT_USER": CLERK,
            "ZGIS_PASSWORD": PASSWORD,
            "ZGIS_MASTER_PASSWORD": MASTER_PASSWORD,
            "ZGIS_SCREENSHOT_EXTENT": ",".join(str(v) for v in EXTENT),
            "ZGIS_CHECKED_FILE": str(checked_path),
            "ZGIS_IMPORTED_RECORD": str(imported[0]),
        },
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "import_result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in IMAGES:
        shutil.copy(shots / name, OUTPUT / name)

    # The dialog, its log and the report layer speak Ukrainian and name the refused parcel and why.
    assert "Імпорт обмінного файлу" in result["dialog_title"], result["dialog_title"]
    assert "Код цільового призначення 99.99 відсутній у класифікаторі КВЦПЗ бази" in result["log"], result["log"]
    assert result["refused_layer"] == "Відхилені ділянки"
    assert result["refused"] == [
        ["1810100000:01:010:0002", "Код цільового призначення 99.99 відсутній у класифікаторі КВЦПЗ бази"]
    ]
    # The history names the file of the imported changes, with its hash on hover.
    assert result["history_headers"][-1] == "Імпортовано з файлу", result["history_headers"]
    assert [row[3] for row in result["history"]] == ["створено", "подано на перевірку", "затверджено"]
    assert result["history"][0][-1].startswith("Київська_квартал_9.xml, від 15.03.2024, виконавець: ТОВ")
    assert result["history"][2][-1] == ""  # the approval is the verifier's, not the file's
    assert f"SHA-256: {report.sha256}" in result["history_tooltip"]

    for name in IMAGES:
        width, height = png_size(OUTPUT / name)
        assert width >= 300 and height >= 150, (name, width, height)
        assert (OUTPUT / name).stat().st_size <= MAX_DOC_IMAGE_BYTES, (name, (OUTPUT / name).stat().st_size)
    if os.environ.get("ZGIS_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        for name in IMAGES:
            shutil.copy(OUTPUT / name, DOC_IMAGES / name)
