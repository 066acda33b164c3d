"""The thematic views: budget, energy efficiency, investment, advertising."""

from __future__ import annotations

from . import data
from .conftest import screenshot
from .pages import lonlat, map_url, open_page, wait_for_map


def open_theme(portal, page, map_id: str, centre=(0, -200), zoom: float = 15.3):
    open_page(page, map_url(portal, map_id, lonlat(centre), zoom=zoom, panel="theme"))
    page.wait_for_selector("#theme[data-ready=true]")
    assert page.locator("#theme").is_visible()


def svg_texts(locator) -> list[str]:
    return locator.evaluate_all("nodes => nodes.map(n => n.textContent)")


def table_rows(locator) -> list[list[str]]:
    return [row.locator("th, td").all_inner_texts() for row in locator.locator("tbody tr").all()]


def test_budget_on_the_map(portal, page):
    open_theme(portal, page, "budget")
    theme = page.locator("#theme")
    assert theme.locator("h2").inner_text() == "Бюджет на карті"
    # 6 projects of the shared city (2.5 M each) + 3 of the portal's (1.2 + 4.75 + 0.9 M).
    assert "Усього проєктів: 9" in theme.locator(".theme-summary").inner_text()
    assert "21 850 000 грн" in theme.locator(".theme-summary").inner_text().replace("\u00a0", " ")
    by_district, by_year = theme.locator("table.sums").all()
    assert [[c.replace("\u00a0", " ") for c in row[:3]] for row in table_rows(by_district)] == [
        ["Богунський", "6", "14 350 000"],
        ["Корольовський", "3", "7 500 000"],
    ]
    assert [[c.replace("\u00a0", " ") for c in row[:3]] for row in table_rows(by_year)] == [
        ["2023", "1", "1 200 000"],
        ["2024", "7", "19 750 000"],
        ["2025", "1", "900 000"],
    ]
    bars = theme.locator("svg.bar-chart").first.locator("g.bar")
    assert bars.count() == 6  # every status present in the data
    wait_for_map(page)
    print("screenshot:", screenshot(page, "budget"))

    # A click on a status shows only those projects on the map (a WMS FILTER).
    with page.expect_request(
        lambda r: "REQUEST=GetMap" in r.url and "FILTER=" in r.url and "/ows/budget" in r.url
    ) as req:
        theme.locator("g.bar[data-key=completed]").click()
    assert "project_status" in req.value.url and "completed" in req.value.url
    wait_for_map(page)
    assert page.console.errors == []


def test_energy_classes_and_consumption_trend(portal, page):
    open_theme(portal, page, "energy")
    theme = page.locator("#theme")
    labels = svg_texts(theme.locator("svg.bar-chart text.bar-label"))
    assert [label[0] for label in labels[:7]] == ["A", "B", "C", "D", "E", "F", "G"]
    values = svg_texts(theme.locator("svg.bar-chart text.bar-value"))
    assert values[:7] == ["1"] * 7
    # Class badges: the map's colour beside a letter readable whatever the colour (WCAG 1.4.3: 4.5:1).
    contrasts = theme.locator("table.buildings .class-badge").evaluate_all(
        """badges => badges.map((b) => {
            const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number);
            const lum = (c) => { const [r, g, bl] = rgb(c).map((v) => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * r + 0.7152 * g + 0.0722 * bl; };
            const style = getComputedStyle(b);
            const [hi, lo] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
            return [b.textContent, (hi + 0.05) / (lo + 0.05), style.borderLeftColor];
        })"""
    )
    assert sorted(letter for letter, _, _ in contrasts) == ["A", "B", "C", "D", "E", "F", "G"]
    assert all(ratio >= 4.5 for _, ratio, _ in contrasts), contrasts
    assert len({swatch for _, _, swatch in contrasts}) == 7  # each class in its own colour
    theme.locator("table.buildings button.open-row", has_text="Житомирський ліцей № 1").click()
    trend = theme.locator("section.trend")
    trend.locator("svg.line-chart").wait_for()
    rows = table_rows(trend.locator("table"))
    assert [row[0] for row in rows] == [str(y) for y in data.CONSUMPTION_YEARS]
    assert rows[0][1] == "820" and rows[-1][1] == "440"  # heat falls after the measures
    assert trend.locator("svg.line-chart polyline").count() == 3
    # A building without published consumption says so.
    theme.locator("table.buildings button.open-row", has_text="Житомирський ліцей № 2").click()
    trend.locator("text=дані про споживання не опубліковано").wait_for()
    assert page.console.errors == []


def test_energy_popup_offers_the_trend(portal, page):
    open_theme(portal, page, "energy", centre=(-435, -205), zoom=18)
    wait_for_map(page)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#popup .feature[data-layer=energy_building] button", has_text="Динаміка споживання").click()
    page.locator("#theme section.trend svg.line-chart").wait_for()
    assert "Житомирський ліцей № 1" in page.locator("#theme section.trend h3").inner_text()
    assert page.console.errors == []


def test_investment_sites_with_terms_and_contact(portal, page):
    open_theme(portal, page, "investment")
    cards = page.locator("#theme article.site")
    assert cards.count() == 3
    first = page.locator("#theme article.site[data-code='ІНВ-001']")
    text = first.inner_text()
    assert "Оренда на 49 років через аукціон" in text
    assert "Департамент економічного розвитку" in text
    assert first.locator(f"a[href='mailto:{data.INVESTMENT_CONTACT}']").count() == 1
    assert "грінфілд" in text.lower() or "greenfield" in text.lower()
    first.locator("button", has_text="На карті").click()
    page.wait_for_function("() => /zoom=1[5-9]/.test(location.hash)")
    assert page.console.errors == []


def test_advertising_structures_with_permit_validity(portal, page):
    open_theme(portal, page, "advertising")
    summary = page.locator("#theme .theme-summary").inner_text()
    assert summary == "Рекламних засобів: 7; чинних дозволів: 2, спливають за 90 днів: 2, недійсних: 3"
    table = page.locator("#theme table.permits")
    assert table.locator("tbody tr").count() == 7
    assert table.locator("tbody tr", has_text=data.PERMIT_NUMBER).locator(".state-valid").count() == 1
    page.select_option("#permit-filter", "soon")
    assert table.locator("tbody tr").count() == 2
    assert all("ще" in row for row in table.locator("tbody tr").all_inner_texts())
    page.select_option("#permit-filter", "invalid")
    assert table.locator("tbody tr").count() == 3
    assert page.console.errors == []


def test_thematic_geojson_is_compressed_and_limited_to_the_fields_shown(portal, page):
    answers = []
    page.on("response", lambda r: "TYPENAME=budget_project" in r.url and answers.append(r))
    open_theme(portal, page, "budget")
    answer = answers[0]
    assert "PROPERTYNAME=" in answer.url
    assert answer.headers.get("content-encoding") == "gzip"
    features = answer.json()["features"]
    assert len(features) == 9 and all(f["geometry"]["type"] == "Point" for f in features)
    fields = set(features[0]["properties"])
    assert {"title_uk", "planned_uah", "project_status", "budget_year"} <= fields
    assert not fields & {"contractor_name", "contractor_edrpou", "tender_id", "kpkvk"}, fields
    assert page.console.errors == []
