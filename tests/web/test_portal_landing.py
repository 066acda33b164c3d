"""The landing page in a real browser: maps, service addresses, the QGIS guide, the language switch."""

from __future__ import annotations

from zhytomyr_gis.publishing import catalog

from .conftest import screenshot
from .pages import open_page


def test_landing_lists_every_published_map_with_service_addresses(portal, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal.base_url)
    open_page(page, portal.url("/"))
    for project in catalog.PROJECTS:
        card = page.locator(f"#map-{project.id}")
        assert card.locator("h3").inner_text() == project.title_uk
        assert project.abstract_uk[:40] in card.inner_text()
        assert card.locator("a", has_text="Відкрити карту").get_attribute("href") == f"/map.html#map={project.id}"
        service = page.locator(f".service[data-map={project.id}]")
        addresses = [field.input_value() for field in service.locator("input.copy-value").all()]
        ows = f"{portal.base_url}/ows/{project.id}"
        assert addresses == [ows, ows, f"{ows}/wfs3"]
    assert page.locator(".qgis-guide li").count() == 5
    assert "Менеджер джерел даних" in page.locator(".qgis-guide").inner_text()
    assert "Демонстраційні дані" in page.locator("#demo-banner").inner_text()

    # The copy button puts the address on the clipboard.
    budget = page.locator(".service[data-map=budget]")
    budget.locator("button.copy-button").first.click()
    budget.locator("button.copy-button", has_text="Скопійовано").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{portal.base_url}/ows/budget"
    print("screenshot:", screenshot(page, "landing"))
    assert page.console.errors == []


def test_landing_switches_to_english_and_remembers_it(portal, page):
    open_page(page, portal.url("/"))
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=en] body[data-ready=true]")
    assert page.locator("#map-budget h3").inner_text() == "Budget on the map"
    assert "Demonstration data" in page.locator("#demo-banner").inner_text()
    assert page.locator("#lang-switch").inner_text() == "Українська"
    open_page(page, portal.url("/"))  # the choice is kept
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.console.errors == []


def test_static_files_and_headers(portal, page):
    for path, kind in (
        ("/favicon.ico", "image/"),
        ("/favicon.svg", "image/svg"),
        ("/i18n/uk.json", "application/json"),
    ):
        response = page.request.get(portal.url(path))
        assert response.status == 200 and response.headers["content-type"].startswith(kind), path
    landing = page.request.get(portal.url("/"))
    assert landing.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert page.request.get(portal.url("/no-such-page")).status == 404
    # The portal does not swallow the services.
    capabilities = page.request.get(portal.url("/ows/city?SERVICE=WMS&REQUEST=GetCapabilities"))
    assert capabilities.status == 200 and b"WMS_Capabilities" in capabilities.body()


def test_landing_shows_the_history_chains_exported_head(portal, page, pg_cluster):
    """The public copy of the history's fingerprint (docs/security.md): what a
    later rewrite of the history would no longer match."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    from .conftest import DBNAME

    out = portal.run_dir / "history-heads.log"
    exported = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhytomyr_gis",
            "--dsn",
            pg_cluster.superuser_dsn(DBNAME),
            "history",
            "head",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    position, digest = exported.stdout.split()[0].split(":")
    shutil.copy(portal.run_dir / "history-heads.log.json", portal.run_dir / "portal" / "history-head.json")
    try:
        open_page(page, portal.url("/"))
        shown = page.locator("#history-head")
        assert shown.is_visible() and digest in shown.inner_text() and f"ланка {position}" in shown.inner_text()
        assert page.console.errors == []
    finally:
        (portal.run_dir / "portal" / "history-head.json").unlink()
    open_page(page, portal.url("/"))  # not exported yet: nothing shown, no error
    assert not page.locator("#history-head").is_visible() and page.console.errors == []
