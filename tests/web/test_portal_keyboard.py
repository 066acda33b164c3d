"""Keyboard-only journeys (WCAG 2.1.1, 2.4.3, 4.1.3): no mouse, only the keys a visitor presses."""

from __future__ import annotations

from zhytomyr_gis.publishing import catalog

from . import data
from .pages import lonlat, map_url, open_page, wait_for_map

MAX_TABS = 80


def active(page) -> dict:
    """What has the focus: its id, tag, classes and text."""
    return page.evaluate(
        """() => { const a = document.activeElement;
                   return { id: a.id, tag: a.tagName.toLowerCase(), cls: a.getAttribute('class') || '',
                            text: (a.textContent || '').trim(), inPopup: !!a.closest('#popup') }; }"""
    )


def tab_to(page, matches, limit: int = MAX_TABS) -> dict:
    """Press Tab until the focused element matches (a keyboard user's only way forward)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if matches(now):
            return now
    raise AssertionError(f"Tab never reached the element; focus ends on {active(page)}")


def popup_rows(page) -> dict[str, str]:
    card = page.locator("#popup .feature").first
    return dict(zip(card.locator("th").all_inner_texts(), card.locator("td").all_inner_texts(), strict=True))


def test_find_an_address_and_open_its_information(portal, page):
    open_page(page, map_url(portal, "city"))
    tab_to(page, lambda a: a["id"] == "search-input")
    assert page.locator("#search-hint").is_visible()  # the examples show without hovering
    page.keyboard.type(f"{data.ADDRESS_STREET}, {data.ADDRESS_HOUSE}")
    page.keyboard.press("Enter")
    # One address found: announced, shown on the map, its information opened with the focus in it.
    page.wait_for_selector("#popup:not([hidden]) .feature[data-layer=ref_address]")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('Знайдено')")
    assert page.locator("#popup").get_attribute("role") == "dialog"
    assert active(page)["inPopup"], active(page)
    labelled = page.locator("#popup").get_attribute("aria-labelledby")
    assert page.locator(f"#{labelled}").inner_text() == page.locator("#popup .feature h3").first.inner_text()
    assert data.ADDRESS_HOUSE in popup_rows(page).values()
    # Esc closes it and gives the focus back to the search field.
    page.keyboard.press("Escape")
    assert page.locator("#popup").is_hidden()
    assert active(page)["id"] == "search-input"
    assert page.console.errors == []


def test_search_results_are_announced_and_reached_by_arrow_keys(portal, page):
    open_page(page, map_url(portal, "city"))
    tab_to(page, lambda a: a["id"] == "search-input")
    page.keyboard.type("1810100000:01:001:")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Знайдено: 12')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert active(page)["text"].startswith("1810100000:01:001:0002")
    page.keyboard.press("Enter")
    page.wait_for_selector("#popup:not([hidden]) .feature[data-layer=property_land_parcel]")
    assert popup_rows(page)["Кадастровий номер"] == "1810100000:01:001:0002"
    page.keyboard.press("Escape")
    assert active(page)["id"] == "search-input"
    # Nothing found is said too.
    page.fill("#search-input", "Неіснуюча, 999")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Нічого не знайдено')")
    assert page.console.errors == []


def test_enter_on_the_map_opens_the_information_of_its_centre(portal, page):
    open_page(page, map_url(portal, "city", lonlat(data.PARCEL_OFFSET), zoom=18))
    wait_for_map(page)
    assert page.locator("#map").get_attribute("aria-label") == f"Карта «{catalog.project('city').title_uk}»"
    # The skip link is the first stop; it leads to the map.
    assert tab_to(page, lambda a: a["tag"] == "a", limit=1)["cls"] == "skip-link"
    page.keyboard.press("Enter")
    assert active(page)["id"] == "map"
    page.keyboard.press("Enter")
    page.wait_for_selector("#popup:not([hidden]) .feature[data-layer=property_land_parcel]")
    assert popup_rows(page)["Кадастровий номер"] == data.PARCEL_CADASTRAL
    assert active(page)["inPopup"]
    page.keyboard.press("Escape")
    assert page.locator("#popup").is_hidden() and active(page)["id"] == "map"
    # The arrow keys move the map; Enter then asks about the new centre.
    before = page.evaluate("window.zgisViewer.centerLonLat()")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => window.zgisViewer.centerLonLat()[0] > {before[0]}")
    assert page.console.errors == []


def test_read_a_budget_project(portal, page):
    open_page(page, map_url(portal, "budget", lonlat((0, -200)), zoom=15.3, panel="theme"))
    page.wait_for_selector("#theme[data-ready=true]")
    # The status bars are buttons: Enter filters the map to that status.
    bar = tab_to(page, lambda a: "bar clickable" in a["cls"])
    with page.expect_request(lambda r: "REQUEST=GetMap" in r.url and "FILTER=" in r.url) as request:
        page.keyboard.press("Enter")
    assert "project_status" in request.value.url
    assert page.locator("#theme g.bar[aria-pressed=true]").count() == 1
    assert bar["text"]  # named by its visible label and value
    # The list of every project: sort by the planned sum, open the project by Enter.
    tab_to(page, lambda a: a["cls"] == "sort" and a["text"].startswith("Заплановано"))
    page.keyboard.press("Enter")
    header = page.locator("#theme table.projects th[data-key=planned]")
    assert header.get_attribute("aria-sort") == "ascending"
    planned = [
        int(v.replace("\u00a0", "").replace(" ", ""))
        for v in page.locator("#theme table.projects tbody td.numeric:nth-of-type(3)").all_inner_texts()
    ]
    assert planned == sorted(planned) and len(planned) == 9, planned
    page.wait_for_function("() => document.getElementById('status').textContent.includes('за зростанням')")
    opened = tab_to(page, lambda a: a["text"] == data.BUDGET_TITLE)
    assert "open-row" in opened["cls"]
    page.keyboard.press("Enter")
    page.wait_for_selector("#popup:not([hidden]) .feature[data-layer=budget_project]")
    rows = popup_rows(page)
    assert rows["Назва проєкту"] == data.BUDGET_TITLE
    assert rows["Заплановано, грн"].replace("\u00a0", " ") == "4 750 000 грн"
    assert rows["Бюджетний рік"] == "2024"  # a year, not "2 024"
    assert active(page)["inPopup"]
    page.keyboard.press("Escape")
    assert active(page)["text"] == data.BUDGET_TITLE
    assert page.console.errors == []
