"""WCAG 2.1 AA (ДСТУ EN 301 549:2022, clause 9) checked by axe-core on every page and state.

Every page (landing, viewer, every thematic view, the embedded map, the
accessibility statement) and the states a visitor reaches (search results,
an open pop-up, the embed dialog), in Ukrainian and English, on a desktop
and on a phone (390×844): no serious or critical violation.
"""

from __future__ import annotations

import pytest

from . import data
from .axe import audit, blocking, describe
from .pages import lonlat, map_url, open_page, wait_for_map

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _with_lang(url: str, lang: str) -> str:
    if lang == "uk":
        return url
    path, _, fragment = url.partition("#")
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    return path + (f"#{fragment}" if fragment else "")


def _landing(portal, page, lang):
    open_page(page, _with_lang(portal.url("/"), lang))


def _statement(portal, page, lang):
    open_page(page, _with_lang(portal.url("/accessibility.html"), lang))


def _opendata(portal, page, lang):
    open_page(page, _with_lang(portal.url("/opendata.html"), lang))


def _viewer(portal, page, lang):
    open_page(page, _with_lang(map_url(portal, "city", lonlat((0, -100)), zoom=16), lang))
    wait_for_map(page)


def _theme(map_id):
    def state(portal, page, lang):
        open_page(page, _with_lang(map_url(portal, map_id, lonlat((0, -200)), zoom=15.3, panel="theme"), lang))
        page.wait_for_selector("#theme[data-ready=true]")

    return state


def _embed(portal, page, lang):
    centre = lonlat(data.BUDGET_OFFSET)
    url = portal.url(f"/embed?map=budget&layers=budget_project&center={centre[0]:.6f},{centre[1]:.6f}&zoom=16")
    open_page(page, _with_lang(url, lang))
    wait_for_map(page)


def _search_results(portal, page, lang):
    _viewer(portal, page, lang)
    page.fill("#search-input", "1810100000:01:001:")  # twelve parcels of the test city
    page.press("#search-input", "Enter")
    page.wait_for_selector("#search-results .search-result")


def _popup(portal, page, lang):
    open_page(page, _with_lang(map_url(portal, "city", lonlat(data.PARCEL_OFFSET), zoom=18), lang))
    wait_for_map(page)
    page.focus("#map")
    page.keyboard.press("Enter")
    page.wait_for_selector("#popup .feature")


def _embed_dialog(portal, page, lang):
    _viewer(portal, page, lang)
    page.click("#embed-open")
    page.wait_for_selector("#embed-dialog[open]")


STATES = {
    "landing": _landing,
    "statement": _statement,
    "opendata": _opendata,
    "viewer": _viewer,
    "budget": _theme("budget"),
    "energy": _theme("energy"),
    "investment": _theme("investment"),
    "advertising": _theme("advertising"),
    "embed": _embed,
    "search-results": _search_results,
    "popup": _popup,
    "embed-dialog": _embed_dialog,
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("layout", ["desktop", "phone"])
def test_no_serious_or_critical_axe_violation(portal, browser, layout, lang, state):
    context = browser.new_context(viewport=DESKTOP if layout == "desktop" else PHONE, locale="uk-UA")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        STATES[state](portal, page, lang)
        assert page.locator("html").get_attribute("lang") == lang
        violations = audit(page)
        print(f"axe {layout} {lang} {state}: " + (", ".join(f"{v['id']}={len(v['nodes'])}" for v in violations) or "-"))
        assert not blocking(violations), describe(blocking(violations))
    finally:
        context.close()
