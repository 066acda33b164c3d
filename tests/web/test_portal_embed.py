"""The embeddable map: /embed renders the requested map and view; who may frame it is configured."""

from __future__ import annotations

import pytest

from . import data
from .conftest import screenshot
from .pages import canvas_pixels, distance_m, lonlat, open_page, wait_for_map


def embed_url(portal, centre, zoom=16.0, layers="budget_project", map_id="budget") -> str:
    return portal.url(f"/embed?map={map_id}&layers={layers}&center={centre[0]:.6f},{centre[1]:.6f}&zoom={zoom}")


def test_embed_renders_the_requested_map_and_extent(portal, page):
    page.set_viewport_size({"width": 600, "height": 400})
    centre = lonlat(data.BUDGET_OFFSET)
    response = page.goto(embed_url(portal, centre, zoom=16.5))
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    page.wait_for_selector("body[data-ready=true]")
    wait_for_map(page)
    assert page.evaluate("window.zgisViewer.visibleLayers()") == ["budget_project"]
    assert distance_m(tuple(page.evaluate("window.zgisViewer.centerLonLat()")), centre) < 2
    assert page.evaluate("window.zgisViewer.view.getZoom()") == pytest.approx(16.5)
    assert canvas_pixels(page)["painted"] > 0
    # Minimal chrome: no search, no panel; a link to the full viewer; the demo label.
    assert page.locator("#search, #panel").count() == 0
    assert page.locator("#embed-title").get_attribute("href").startswith("/map.html#map=budget&layers=budget_project")
    assert page.locator("#demo-banner").inner_text() == "Демонстраційні дані"
    print("screenshot:", screenshot(page, "embedded-map"))
    assert page.console.errors == []


def test_snippet_generator_makes_an_iframe_of_the_current_view(portal, page):
    open_page(page, portal.url("/map.html#map=budget&layers=budget_project&center=28.65,50.25&zoom=15"))
    page.click("#embed-open")
    page.fill("#embed-width", "640")
    code = page.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{portal.base_url}/embed?map=budget&amp;layers=budget_project&amp;center=')
    assert 'width="640" height="400"' in code
    frame = page.frame_locator("#embed-preview")
    frame.locator("body[data-ready=true]").wait_for()  # the same site may frame it
    assert page.console.errors == []


def test_other_sites_may_not_frame_the_map(portal, browser):
    """frame-ancestors 'self' (the default setting): a page elsewhere gets no map in its iframe."""
    context = browser.new_context()
    page = context.new_page()
    blocked = []
    page.on("console", lambda msg: "frame-ancestors" in msg.text and blocked.append(msg.text))
    other_site = portal.base_url.replace("127.0.0.1", "localhost")  # another origin, same server
    page.goto(other_site + "/")
    page.set_content(f'<iframe id="f" src="{embed_url(portal, lonlat((0, 0)))}" width="400" height="300"></iframe>')
    page.wait_for_timeout(1500)
    frame = page.frame_locator("#f")
    assert frame.locator("body[data-ready=true]").count() == 0
    assert blocked, "Chromium did not report the refused framing"
    context.close()
