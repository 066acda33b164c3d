"""The map viewer in a real browser: drawing, pop-ups, search, permalinks, phone layout."""

from __future__ import annotations

import pytest
import requests

from zhytomyr_gis.publishing import catalog

from . import data
from .conftest import ConsoleWatch, screenshot
from .pages import canvas_pixels, click_map_centre, distance_m, lonlat, map_url, open_page, view_state, wait_for_map


@pytest.mark.parametrize("map_id", [p.id for p in catalog.PROJECTS])
def test_every_map_draws_without_console_errors(portal, page, map_id):
    open_page(page, map_url(portal, map_id, lonlat((0, -100)), zoom=16))
    wait_for_map(page)
    pixels = canvas_pixels(page)
    # The test city's features lie within 600 m of the centre: a small part of the view (a few
    # points on the budget and advertising maps), in several colours; a blank map paints nothing.
    assert pixels["painted"] > pixels["total"] * 0.003, pixels
    assert pixels["colours"] >= 3, pixels
    spec = catalog.project(map_id)
    assert page.locator("#map-title").inner_text() == spec.title_uk
    assert page.locator("#layers input[type=checkbox][data-layer]").count() == len(spec.layers)
    assert page.console.errors == []


def test_clicking_a_parcel_opens_its_published_values(portal, page):
    open_page(page, map_url(portal, "city", lonlat(data.PARCEL_OFFSET), zoom=18))
    wait_for_map(page)
    click_map_centre(page)
    card = page.locator("#popup .feature[data-layer=property_land_parcel]")
    card.wait_for()
    rows = dict(zip(card.locator("th").all_inner_texts(), card.locator("td").all_inner_texts(), strict=True))
    assert card.locator("h3").inner_text() == data.PARCEL_CADASTRAL
    assert rows["Кадастровий номер"] == data.PARCEL_CADASTRAL
    assert rows["Адреса"] == "вул. Київська, 6"
    assert rows["Форма власності"] == "комунальна"
    assert rows["Площа, га"] == "0,64"
    # Context layers (district, boundary) stay out when a parcel is hit.
    assert page.locator("#popup .feature").count() == 1
    print("screenshot:", screenshot(page, "viewer-popup"))
    assert page.console.errors == []


def test_popup_in_english_translates_labels_and_classifier_values(portal, page):
    url = map_url(portal, "budget", lonlat(data.BUDGET_OFFSET), zoom=18).replace("/map.html#", "/map.html?lang=en#")
    open_page(page, url)
    wait_for_map(page)
    click_map_centre(page)
    card = page.locator("#popup .feature[data-layer=budget_project]")
    card.wait_for()
    rows = dict(zip(card.locator("th").all_inner_texts(), card.locator("td").all_inner_texts(), strict=True))
    assert rows["Title (uk)"] == data.BUDGET_TITLE
    assert rows["Status"] == "in progress"
    assert rows["Planned, UAH"] == "4,750,000 UAH"
    assert page.console.errors == []


@pytest.mark.parametrize(
    ("query", "offset"),
    [
        (f"{data.ADDRESS_STREET}, {data.ADDRESS_HOUSE}", data.ADDRESS_OFFSET),
        (f"вул. {data.ADDRESS_STREET.lower()} {data.ADDRESS_HOUSE}", data.ADDRESS_OFFSET),
        (data.PARCEL_CADASTRAL, data.PARCEL_OFFSET),
        (data.PERMIT_NUMBER, (-450, -40)),  # the permit's structure
    ],
)
def test_search_finds_and_zooms_there(portal, page, query, offset):
    open_page(page, map_url(portal, "city"))
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.wait_for_function("() => /zoom=1[7-9]/.test(location.hash)")
    state = view_state(page)
    assert distance_m(state["center"], lonlat(offset)) < 15, state
    assert page.console.errors == []


def test_search_says_when_nothing_is_found(portal, page):
    open_page(page, map_url(portal, "city"))
    page.fill("#search-input", "Неіснуюча, 999")
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results li.muted >> text=Нічого не знайдено")
    assert page.console.errors == []


def test_permalink_restores_layers_and_extent(portal, page, browser):
    centre = lonlat((-200, 100))
    open_page(page, map_url(portal, "city", centre, zoom=16.5, layers="ref_street,property_land_parcel"))
    wait_for_map(page)
    checked = page.locator("#layers input[data-layer]:checked").evaluate_all("els => els.map(e => e.dataset.layer)")
    assert checked == ["property_land_parcel", "ref_street"]
    state = view_state(page)
    assert state["layers"] == ["property_land_parcel", "ref_street"]
    assert distance_m(state["center"], centre) < 2 and state["zoom"] == pytest.approx(16.5)

    # Change the view as a user does; the address follows; a new visitor gets the same view.
    page.uncheck("#layer-ref_street")
    page.check("#layer-property_property_object")
    page.evaluate(
        "() => { const v = window.zgisViewer.view; v.setZoom(17.25); v.setCenter(v.getCenter().map(c => c + 150)); }"
    )
    page.wait_for_function("() => location.hash.includes('zoom=17.25')")
    link = page.url
    other = browser.new_context(viewport={"width": 1024, "height": 700}).new_page()
    open_page(other, link)
    restored = view_state(other)
    assert restored["layers"] == ["property_property_object", "property_land_parcel"]
    assert other.locator("#layers input[data-layer]:checked").count() == 2
    assert distance_m(restored["center"], view_state(page)["center"]) < 2
    assert restored["zoom"] == pytest.approx(17.25)
    centre_now = other.evaluate("window.zgisViewer.centerLonLat()")
    assert distance_m(tuple(centre_now), view_state(page)["center"]) < 2
    other.context.close()
    assert page.console.errors == []


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_phone_layout(portal, page):
    open_page(page, map_url(portal, "budget", lonlat((0, -300)), zoom=15))
    wait_for_map(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] == 390 and map_box["height"] > 500
    assert not page.locator("#panel").is_visible()
    page.click("#panel-toggle")
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel").bounding_box()["height"] < 844 * 0.6  # the map stays in view
    assert canvas_pixels(page)["painted"] > 0
    assert page.console.errors == []


def test_the_start_view_is_drawn_from_the_tile_cache_and_other_choices_by_wms(portal, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_page(page, map_url(portal, "property", lonlat(data.PARCEL_OFFSET), zoom=17))
    wait_for_map(page)
    # As opened: the project's layers over the city's base map come as cached tiles, no WMS map.
    assert page.evaluate("window.zgisViewer.fromCache()") is True
    assert any("/tiles/wmts/property/webmercator/17/" in url for url in requests), requests
    assert not [url for url in requests if "REQUEST=GetMap" in url]
    assert canvas_pixels(page)["painted"] > 0
    # Another choice of layers is not in the cache: QGIS Server draws it.
    requests.clear()
    page.evaluate("window.zgisViewer.setLayerVisible('property_land_parcel', false)")
    wait_for_map(page)
    assert page.evaluate("window.zgisViewer.fromCache()") is False
    getmaps = [url for url in requests if "REQUEST=GetMap" in url and "/ows/property" in url]
    assert getmaps and all("property_land_parcel" not in url for url in getmaps), getmaps
    # Back to the start view: tiles again; the base map switched off is a WMS view too.
    page.evaluate("window.zgisViewer.setLayerVisible('property_land_parcel', true)")
    assert page.evaluate("window.zgisViewer.fromCache()") is True
    page.evaluate("window.zgisViewer.setBaseVisible(false)")
    assert page.evaluate("window.zgisViewer.fromCache()") is False
    assert page.console.errors == []


def test_the_start_view_is_drawn_before_config_and_the_strings_arrive(portal, page):
    """The start view needs only the page's boot data and the cached tiles: the map is drawn
    completely while its configuration and the strings are held back, and when they come the rest of
    the viewer (layers, controls, the map's name) joins the same map, still drawn from the cache."""
    held = []
    page.route("**/config/property.json", lambda route: held.append(route))
    page.route("**/i18n/*.json", lambda route: held.append(route))
    page.goto(map_url(portal, "property", lonlat(data.PARCEL_OFFSET), zoom=17))
    page.wait_for_function("() => window.zgisViewer !== undefined")
    wait_for_map(page)
    assert canvas_pixels(page)["painted"] > 0
    assert len(held) == 2 and page.evaluate("document.body.dataset.ready") is None
    assert page.locator("#layers input[type=checkbox]").count() == 0
    for route in held:
        route.continue_()
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("window.zgisViewer.fromCache()") is True
    assert page.locator("#layers input[type=checkbox][data-layer]").count() == len(catalog.project("property").layers)
    assert page.get_attribute("#map", "aria-label").startswith("Карта")
    assert page.locator("#map .ol-zoom-in").get_attribute("title") == "Збільшити"
    wait_for_map(page)
    assert page.console.errors == []


def test_the_page_asks_for_the_start_view_tiles_itself(portal, page):
    """The boot script asks for the tiles the map will draw before the application has loaded:
    OpenLayers then asks for exactly those (each fetched once), and the strings are asked for by
    the page too, not after the scripts ran. The map's configuration (its part of config.json),
    which the start view does not need, is left to the application (not sharing a slow connection
    with the scripts and tiles), except when the map is not drawn from the cache."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_page(page, map_url(portal, "property", lonlat(data.PARCEL_OFFSET), zoom=16.6))
    wait_for_map(page)
    preloaded = page.evaluate("[...window.zgisStartImages.keys()].map((url) => new URL(url, location.href).href)")
    tiles = [url for url in requests if "/tiles/" in url]
    assert preloaded and all("/tiles/wmts/property/webmercator/17/" in url for url in preloaded), preloaded
    assert sorted(set(tiles)) == sorted(preloaded), (tiles, preloaded)
    assert len(tiles) == len(set(tiles))
    assert page.evaluate("window.zgisViewer.fromCache()") is True
    head = page.evaluate(
        "[...document.head.querySelectorAll('link[rel=preload], link[rel=modulepreload]')].map((l) => l.href)"
    )
    assert portal.url("/i18n/uk.json") in head
    assert portal.url("/config/property.json") not in head and portal.url("/config/property.json") in requests
    assert portal.url("/config.json") not in requests  # the whole configuration is not needed
    assert any("/assets/chunk-" in url for url in head)  # the chunks are not found only by parsing the entry
    assert page.console.errors == []
    # A view other than the start view is not cached: no tile is asked for ahead, the configuration is.
    other = page.context.new_page()
    open_page(other, map_url(portal, "property", lonlat(data.PARCEL_OFFSET), zoom=16, layers="ref_street"))
    assert other.evaluate("window.zgisStartImages === undefined") is True
    assert other.evaluate("window.zgisViewer.fromCache()") is False
    other_head = other.evaluate("[...document.head.querySelectorAll('link[rel=preload]')].map((l) => l.href)")
    assert portal.url("/config/property.json") in other_head


def test_every_page_links_the_accessibility_statement(portal, page):
    for url in (portal.url("/"), map_url(portal, "city")):
        open_page(page, url)
        link = page.locator("a[href='/accessibility.html']")
        assert link.count() == 1 and link.inner_text() == "Заява про доступність"
    link.click()
    page.wait_for_selector("body[data-ready=true]")
    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Заява про доступність"
    assert "ДСТУ EN 301 549:2022" in main.inner_text() and "WCAG 2.1" in main.inner_text()
    assert page.locator("h2", has_text="Що ще не відповідає вимогам").count() == 1
    assert page.locator("#statement-contact a[href='mailto:gis@zt-rada.gov.ua']").count() == 1
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=en] body[data-ready=true]")
    assert page.locator("h1").inner_text() == "Accessibility statement"
    assert page.locator("h2", has_text="What does not comply yet").count() == 1
    assert page.console.errors == []


def test_each_map_reads_only_its_part_of_the_configuration_and_an_unknown_map_says_so(portal, page):
    """A map's page reads config/<map>.json (that map, the maps search results come from, their
    classifiers), not the whole config.json; an address naming no published map opens the city
    map with a notice that says so, read from the whole configuration, without a failed request."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    open_page(page, map_url(portal, "energy"))
    assert portal.url("/config/energy.json") in asked and portal.url("/config.json") not in asked
    assert page.locator("#map-title").inner_text() == catalog.project("energy").title_uk
    # The thematic view finds its classifier in the map's part: a bar for each energy class.
    classes = requests.get(portal.url("/config/energy.json"), timeout=30).json()["classifiers"]["energy_class"]
    chart = page.wait_for_selector("#theme svg.chart", state="attached")
    assert classes and all(item["uk"] in chart.text_content() for item in classes.values())
    assert page.console.errors == []

    other = page.context.new_page()
    other.console = ConsoleWatch(other)
    other.goto(portal.url("/map.html#map=nope"))
    other.wait_for_selector("body[data-ready=true]")
    assert other.locator(".notice[role=status]").inner_text() == "Карти «nope» немає. Відкрито карту міста."
    assert other.locator("#map-title").inner_text() == catalog.project("city").title_uk
    assert other.console.errors == []
