"""«Відкриті дані» in a real browser: every dataset the server published,
with its files, and a download that is the file the server serves.
"""

from __future__ import annotations

import csv
import io
import time

from zhytomyr_gis.opendata.datasets import DATASETS

from .conftest import screenshot
from .pages import open_page

FIRST_RELEASE_S = 180


def wait_for_release(page, portal) -> dict:
    deadline = time.monotonic() + FIRST_RELEASE_S
    while True:
        response = page.request.get(portal.url("/opendata/index.json"))
        if response.status == 200:
            return response.json()
        assert time.monotonic() < deadline, (portal.run_dir / "logs" / "opendata.log").read_text()[-3000:]
        time.sleep(1)


def test_open_data_page_lists_every_dataset_and_downloads_a_file(portal, page):
    index = wait_for_release(page, portal)
    open_page(page, portal.url("/opendata.html"))
    assert page.locator("h1").inner_text() == "Відкриті дані"
    cards = page.locator("article.dataset")
    assert cards.count() == len(DATASETS)
    for dataset in DATASETS:
        card = page.locator(f"article#{dataset.id}")
        assert card.locator("h2").inner_text() == dataset.title
        links = card.locator(".dataset-files a")
        expected = [f"/opendata/{dataset.id}/{name}" for r in dataset.resources for name in _files(r)]
        assert [a.get_attribute("href") for a in links.all()] == expected
    assert page.locator("a[href='/opendata/catalog.jsonld']").count() == 1
    # The last change shown is the dataset's, from the published index.
    land = next(d for d in index["datasets"] if d["id"] == "municipal-land")
    assert page.locator("#municipal-land time.modified").get_attribute("datetime") == land["modified"]

    # A download through the link is the CSV the server serves, with the recommended header.
    with page.expect_download() as download_info:
        page.locator("#municipal-land a[data-format=csv]").click()
    download = download_info.value
    assert download.suggested_filename == "parcels.csv"
    content = open(download.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == land["records"]["parcels"] and list(rows[0])[:2] == ["id", "ownerName"]
    print("screenshot:", screenshot(page, "opendata"))
    assert page.console.errors == []


def test_landing_page_links_to_open_data(portal, page):
    open_page(page, portal.url("/"))
    link = page.locator("a[href='/opendata.html']")
    assert link.inner_text() == "Відкриті дані"
    assert page.console.errors == []


def _files(resource) -> list[str]:
    from zhytomyr_gis.opendata.formats import files_of

    return files_of(resource)
