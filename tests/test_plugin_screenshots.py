"""Screenshots for the Ukrainian guide, made in real QGIS desktop under Xvfb:
the advertising department's workspace with "My changes", a structure's
form on its first tab and on its permits, a refused save in the message
bar, and the connection dialog. They land in build/screenshots/; with
ZGIS_UPDATE_DOC_IMAGES=1 they also replace docs/uk/img/ (kept small).
The test checks that they show what the guide says they show, in Ukrainian."""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path

import qgis_desktop
import screenshot_scene
from plugin_env import MASTER_PASSWORD, PASSWORD, auth_manager, service_file, styled_db  # noqa: F401

from zhytomyr_gis import pgservice

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "build" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "uk" / "img"
MAX_DOC_IMAGE_BYTES = 300_000
SERVICE = "zhytomyr_gis"
IMAGES = [
    "workspace.png",
    "form_structure.png",
    "form_structure_permits.png",
    "form_refused.png",
    "message_refused.png",
    "connection.png",
]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def names(tree) -> list[str]:
    found = []
    for node in tree:
        if isinstance(node, dict):
            found += [node["group"], *names(node["children"])]
        else:
            found.append(node)
    return found


def test_screenshots_of_the_workspace_and_a_form_in_ukrainian(styled_db, tmp_path):
    screenshot_scene.ensure_clerk(styled_db, PASSWORD)
    # The service named as on a clerk's computer (the file is the test's own).
    pgservice.write(
        SERVICE, "127.0.0.1", styled_db.cluster.port, styled_db.name, path=Path(os.environ["PGSERVICEFILE"])
    )
    scene = screenshot_scene.build(styled_db)
    qgis_desktop.profile_with_plugin(tmp_path)
    shots = tmp_path / "shots"
    shots.mkdir()
    result = qgis_desktop.run(
        "screenshots.py",
        tmp_path,
        env={
            "PGSERVICEFILE": os.environ["PGSERVICEFILE"],
            "ZGIS_SERVICE": SERVICE,
            "ZGIS_SCREENSHOTS": str(shots),
            "ZGIS_SCREENSHOT_USER": screenshot_scene.CLERK,
            "ZGIS_PASSWORD": PASSWORD,
            "ZGIS_MASTER_PASSWORD": MASTER_PASSWORD,
            "ZGIS_SCREENSHOT_EXTENT": ",".join(str(v) for v in scene["extent"]),
            "ZGIS_SCREENSHOT_FEATURED": scene["featured"],
        },
    )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in IMAGES:
        shutil.copy(shots / name, OUTPUT / name)

    # QGIS itself speaks Ukrainian, and so does the plugin.
    assert {"&Редагувати", "&Шар", "&Плагіни"} <= set(result["menus"]), result["menus"]
    layers = names(result["layer_tree"])
    assert {"Реєстри: Відділ зовнішньої реклами", "Довідкові шари", "Рекламні засоби", "Вулиці"} <= set(layers), layers
    assert any("Робочий простір відкрито" in m for m in result["messages"]), result["messages"]
    # My changes: the clerk's submitted, rejected (with the reviewer's reason) and draft structures.
    states = [row[2] for row in result["my_changes"]]
    assert {"на перевірці", "відхилено", "чернетка"} <= set(states), result["my_changes"]
    rejected = next(row for row in result["my_changes"] if row[2] == "відхилено")
    assert scene["rejection"] in rejected[4]
    assert result["canvas_colours"] >= 6, "the map looks empty"
    # The structure's form: Ukrainian tabs, the permits tab lists its two permits.
    assert result["form_tabs"][-2:] == ["Дозволи на розміщення реклами", "Стан і історія"], result["form_tabs"]
    assert result["permit_rows"] == 2
    # A refused save names the record and the rule.
    # The form keeps a wrong permit number out, and says why.
    assert result["form_refused_ok_enabled"] is False
    assert "за нумерацією дозволів міста" in result["form_refused_tooltip"], result["form_refused_tooltip"]
    assert result["refused_saved"] is False
    refusal = " ".join(result["refusal"])
    assert "«РД-24-157» (Рекламний засіб «РК-00003»)" in refusal and "нумерації дозволів міста" in refusal, refusal
    assert "Підключено" in result["connection_status"], result["connection_status"]

    for name in IMAGES:
        width, height = png_size(OUTPUT / name)
        assert width >= 300 and height >= 40, (name, width, height)
        assert (OUTPUT / name).stat().st_size <= MAX_DOC_IMAGE_BYTES, (name, (OUTPUT / name).stat().st_size)
    if os.environ.get("ZGIS_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        for name in IMAGES:
            shutil.copy(OUTPUT / name, DOC_IMAGES / name)
