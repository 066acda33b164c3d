"""«Друк» and «Витяг (PDF)» in a real browser: the current view printed by
GetPrint, and the extract of a clicked parcel, read as a person would.
"""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

from . import data
from .conftest import SCREENSHOTS
from .pages import click_map_centre, lonlat, map_url, open_page, wait_for_map


def pdf_text(path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split()
    )


def keep_picture(pdf, name: str) -> None:
    """The printed page as an image under .run/screenshots (an artefact for the docs and reviews)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(SCREENSHOTS / name)], check=True)
    print("picture:", SCREENSHOTS / f"{name}.png")


def test_print_the_current_view_to_pdf(portal, page, tmp_path):
    open_page(page, map_url(portal, "property", lonlat(data.PARCEL_OFFSET), zoom=16))
    wait_for_map(page)
    page.click("#print-open")
    page.fill("#print-title", "Ділянки біля Київської")
    page.select_option("#print-template", "a4-portrait")
    with page.expect_request(lambda r: "REQUEST=GetPrint" in r.url) as request:
        with page.expect_download() as info:
            page.click("#print-submit")
    params = parse_qs(urlsplit(request.value.url).query)
    assert len(params["map0:EXTENT"][0].split(",")) == 4 and "#map=property" in params["PERMALINK"][0]
    assert "property_land_parcel" in params["map0:LAYERS"][0].split(","), params
    download = info.value
    assert download.suggested_filename == "property-a4-portrait.pdf"
    pdf = tmp_path / "print.pdf"
    download.save_as(pdf)
    text = pdf_text(pdf)
    assert "Ділянки біля Київської" in text and "Умовні позначення" in text and "Масштаб 1:" in text
    assert "Дані затверджено станом на:" in text
    page.locator("#print-status", has_text="Готово").wait_for()
    keep_picture(pdf, "print-a4")
    assert page.console.errors == []


def test_extract_of_a_clicked_parcel(portal, page, tmp_path):
    open_page(page, map_url(portal, "city", lonlat(data.PARCEL_OFFSET), zoom=18))
    wait_for_map(page)
    click_map_centre(page)
    card = page.locator("#popup .feature[data-layer=property_land_parcel]")
    card.wait_for()
    with page.expect_download() as info:
        card.locator("button.extract-button").click()
    pdf = tmp_path / "extract.pdf"
    info.value.save_as(pdf)
    text = pdf_text(pdf)
    assert f"Кадастровий номер: {data.PARCEL_CADASTRAL}" in text
    assert "Витяг: Земельні ділянки" in text and "Затверджено:" in text
    keep_picture(pdf, "print-extract")
    assert shutil.which("pdftoppm")
    assert page.console.errors == []
