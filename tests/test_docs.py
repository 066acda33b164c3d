"""The Ukrainian guide shows the screenshots the tests make, keeps them small,
names every public service and explains every error title the plugin shows."""

from __future__ import annotations

import re
from pathlib import Path

from test_plugin_review import DOC_IMAGE as REVIEW_IMAGE
from test_plugin_screenshots import IMAGES, MAX_DOC_IMAGE_BYTES

from zhytomyr_gis import errors
from zhytomyr_gis.publishing import catalog, docs

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "uk" / "guide.md"


def test_guide_images_are_the_screenshots_and_small():
    text = GUIDE.read_text(encoding="utf-8")
    referenced = re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", text)
    assert sorted(Path(r).name for r in referenced) == sorted([*IMAGES, REVIEW_IMAGE.name])
    for image in referenced:
        path = GUIDE.parent / image
        assert path.exists(), f"{image}: run the screenshot test with ZGIS_UPDATE_DOC_IMAGES=1"
        assert path.stat().st_size <= MAX_DOC_IMAGE_BYTES, image


def test_guide_names_every_public_service():
    text = GUIDE.read_text(encoding="utf-8")
    assert "http://127.0.0.1:8080/ows/<назва>" in text and "/wfs3" in text
    for service in (p.id for p in catalog.PROJECTS):
        assert f"| `{service}` |" in text, service


def test_guide_explains_every_error_title():
    text = GUIDE.read_text(encoding="utf-8")
    missing = [title for title in errors.TITLES.values() if title not in text]
    assert not missing, missing


def test_the_lists_of_the_maps_are_written_from_the_catalog():
    assert docs.outdated() == [], "run: python -m zhytomyr_gis.publishing docs"
