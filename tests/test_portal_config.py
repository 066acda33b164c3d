"""The geoportal's config.json and settings, built from the publishing declaration (no server needed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from zhytomyr_gis.portal import config, settings
from zhytomyr_gis.publishing import catalog
from zhytomyr_gis.publishing.styling import ClassifierItem, shade

CLASSIFIERS = config.classifiers_from_items(
    {
        "project_status": [
            ClassifierItem("planned", "заплановано", "planned", None),
            ClassifierItem("completed", "завершено", "completed", None),
        ],
        "energy_class": [ClassifierItem("A", "A", "A", "#1a9850")],
        "zone_code": [ClassifierItem(code, code, code, "Ж") for code in ("Ж-1", "Ж-2", "Ж-3")],
    }
)


def build(**raw) -> dict:
    return config.build(settings.parse(raw), CLASSIFIERS)


def test_every_published_project_is_a_map_with_its_layers_and_tables():
    document = build()
    assert [m["id"] for m in document["maps"]] == [p.id for p in catalog.PROJECTS]
    for spec, map_ in zip(catalog.PROJECTS, document["maps"], strict=True):
        assert map_["title"] == {"uk": spec.title_uk, "en": spec.title_en}
        assert [layer["name"] for layer in map_["layers"]] == [layer.name for layer in spec.layers]
        assert [table["name"] for table in map_["tables"]] == [table.name for table in spec.tables]
        for layer in map_["layers"] + map_["tables"]:
            names = [f["name"] for f in layer["fields"]]
            assert layer["display"] in names
            register = catalog.register(layer["table"])
            personal = {f.name for f in register.fields if f.personal}
            assert not personal & set(names), f"{layer['name']} would show personal fields"


def test_search_and_themes_point_at_published_collections():
    document = build()
    served = {(m["id"], layer["name"]) for m in document["maps"] for layer in m["layers"] + m["tables"]}
    search = document["search"]
    for target in (
        search["address"]["streets"],
        search["address"]["addresses"],
        search["parcel"],
        search["permit"],
        search["permit"]["target"],
    ):
        assert (target["project"], target["collection"]) in served
    assert {m["theme"] for m in document["maps"] if m["theme"]} == {"budget", "energy", "investment", "advertising"}


def test_category_colours_follow_the_map_symbology():
    document = build()
    budget = next(m for m in document["maps"] if m["id"] == "budget")["layers"][0]
    assert budget["categories"]["colours"]["completed"] == "#1a9850"
    energy = next(m for m in document["maps"] if m["id"] == "energy")["layers"][0]
    assert energy["categories"]["colours"] == {"A": "#1a9850"}  # from the classifier's group colour


def test_start_layers_and_the_tile_cache_address():
    document = build()
    city = next(m for m in document["maps"] if m["id"] == "city")
    assert [layer["name"] for layer in city["layers"] if not layer["visible"]] == ["ref_address"]
    assert document["tiles"] is None  # without the cache every map is drawn by WMS
    cached = config.build(settings.parse({}), CLASSIFIERS, tile_cache=True)["tiles"]["url"]
    assert cached.replace("{map}", "city") == "/tiles/wmts/city/webmercator/{z}/{x}/{y}.png"


def test_city_view_is_around_zhytomyr():
    lon0, lat0, lon1, lat1 = build()["city"]["extent"]
    assert lon0 < 28.6578 < lon1 and lat0 < 50.2544 < lat1
    assert lon1 - lon0 < 0.5 and lat1 - lat0 < 0.3


def test_generated_data_label_and_external_base_map_are_settings():
    assert build()["generated_data"] is True
    assert build()["external_base_map"] is None
    document = build(
        generated_data=False,
        external_base_map={"url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "© Example"},
    )
    assert document["generated_data"] is False and document["data_note"] is None
    assert document["external_base_map"]["url"] == "https://tiles.example/{z}/{x}/{y}.png"


def test_committed_settings_are_the_safe_defaults():
    committed = settings.load(ROOT / "portal" / "settings.json")
    assert committed.frame_ancestors_header == "frame-ancestors 'self'"
    assert committed.external_base_map is None
    assert committed.generated_data is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"frame_ancestors": []}, "frame_ancestors"),
        ({"frame_ancestors": ["https://ok.example; script-src *"]}, "not a host source"),
        ({"frame_ancestors": ["'none'", "https://zt-rada.gov.ua"]}, "'none' cannot"),
        ({"external_base_map": {"url": "http://tiles.example/{z}/{x}/{y}.png", "attribution": "x"}}, "https://"),
        ({"external_base_map": {"url": "https://tiles.example/{z}/{x}/{y}.png"}}, "attribution"),
        ({"generated_data": "yes"}, "generated_data"),
        ({"frame_ancestor": ["'self'"]}, "unknown setting"),
    ],
)
def test_bad_settings_are_refused_with_the_key_named(raw, message):
    with pytest.raises(settings.SettingsError, match=message):
        settings.parse(raw)


def test_frame_ancestors_command_prints_the_directive(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"frame_ancestors": ["'self'", "https://zt-rada.gov.ua", "https://*.zt-rada.gov.ua"]}))
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis.portal", "frame-ancestors", "--settings", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "frame-ancestors 'self' https://zt-rada.gov.ua https://*.zt-rada.gov.ua"
    path.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "zhytomyr_gis.portal", "frame-ancestors", "--settings", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_every_ui_string_exists_in_both_languages():
    """One JSON per language with the same keys, and every key the pages use is in them."""
    import re

    strings = {
        lang: json.loads((ROOT / "portal" / "public" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
        for lang in ("uk", "en")
    }
    assert set(strings["uk"]) == set(strings["en"])
    used: set[str] = set()
    for path in (ROOT / "portal" / "src").rglob("*"):
        if path.suffix in (".js", ".html"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bt\('([a-z_.]+)'", text))
            used |= set(re.findall(r'data-i18n(?:-placeholder|-aria-label)?="([a-z_.]+)"', text))
    for prefix, names in (("theme.", config.THEMES.values()), ("search.kind.", ("address", "parcel", "permit"))):
        used |= {prefix + name for name in names}
    missing = sorted(used - set(strings["uk"]))
    assert not missing, f"UI strings used but not translated: {missing}"
    assert all(value.strip() for value in strings["uk"].values())


def test_each_map_names_the_base_layers_the_tile_cache_draws_under_it():
    maps = {m["id"]: m for m in build()["maps"]}
    for project in catalog.PROJECTS:
        assert maps[project.id]["base_layers"] == [layer.name for layer in catalog.base_layers_under(project)]
    assert maps["city"]["base_layers"] == [] and maps["property"]["base_layers"] == ["ref_district"]


def test_category_colours_are_the_maps_colours():
    """Legends and charts colour categories as the map draws them: members of a group in their own shades."""
    zoning = next(m for m in build()["maps"] if m["id"] == "zoning")
    layer = next(layer for layer in zoning["layers"] if layer["name"] == "planning_zoning_zone")
    colours = layer["categories"]["colours"]
    spec = next(layer for layer in catalog.project("zoning").layers if layer.name == "planning_zoning_zone").categories
    shades = [shade(spec.group_colours["Ж"], n, 3) for n in range(3)]
    assert [colours[c] for c in ("Ж-1", "Ж-2", "Ж-3")] == shades and len(set(shades)) == 3


def test_boot_data_names_each_maps_start_view_and_the_high_density_tiles():
    document = config.build(settings.parse({}), CLASSIFIERS, tile_cache=True)
    assert document["tiles"]["hidpi_url"] == "/tiles/wmts/{map}/webmercator_2x/{z}/{x}/{y}.png"
    boot = config.boot(document)
    assert boot["tiles"] == document["tiles"] and boot["extent"] == document["city"]["extent"]
    assert boot["external"] is None and boot["attribution"] == document["attribution"]
    assert set(boot["maps"]) == {p.id for p in catalog.PROJECTS}
    # The city map opens without its address points; the budget map has the city's streets under it.
    assert "ref_address" not in boot["maps"]["city"]["start"] and boot["maps"]["city"]["base"] is False
    assert boot["maps"]["budget"] == {"start": ["budget_project", "ref_district", "ref_city_boundary"], "base": True}
    assert config.boot(build())["tiles"] is None  # no cache, nothing to ask for ahead
    # An external base map is part of the start view: the page draws it with the first frame.
    external = {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© Example", "max_zoom": 18}
    with_external = config.build(settings.parse({"external_base_map": external}), CLASSIFIERS, tile_cache=True)
    assert config.boot(with_external)["external"] == external


def test_deployment_writes_the_boot_data_into_the_pages_safely(tmp_path: Path):
    from zhytomyr_gis.portal import pages

    (tmp_path / "map.html").write_text(f"<body>{pages.PLACEHOLDER}<script>boot()</script></body>", encoding="utf-8")
    (tmp_path / "other.html").write_text("<body>no placeholder</body>", encoding="utf-8")
    data = {"maps": {"city": {"start": ["a"]}}, "note": "</script><script>alert(1)</script> <!-- х"}
    assert pages.inline_boot(tmp_path, data) == [tmp_path / "map.html"]
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    element = html.split('<script id="zgis-boot" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(element) == data  # the JSON survives, and nothing closes the element early
    assert html.count("</script>") == 2
    assert (tmp_path / "other.html").read_text(encoding="utf-8") == "<body>no placeholder</body>"


def test_every_page_of_the_built_portal_carries_the_boot_placeholder():
    dist = ROOT / "portal" / "dist"
    if not (dist / "index.html").exists():
        pytest.fail("portal/dist is missing: run `make portal` (make test does)")
    from zhytomyr_gis.portal import pages

    link = '<link rel="preload" href="/config.json" as="fetch" crossorigin>'
    for name in ("index.html", "map.html", "embed.html", "accessibility.html"):
        html = (dist / name).read_text(encoding="utf-8")
        assert pages.PLACEHOLDER in html and "%HEAD%" not in html and "%BOOT%" not in html, name
        head = html.split("</head>", 1)[0]
        if name in ("map.html", "embed.html"):
            # The head script decides (its map's part of config.json, when the map is not drawn from the tiles).
            assert link not in html and "/config/" in head, name
        else:
            assert link in head, name


def _lists_named_in(path: Path) -> set[str]:
    """Classifier lists a script of the portal reads by name (classifierLabel/classifierItems(config, 'x'))."""
    return set(re.findall(r"classifier(?:Label|Items)\(config, '(\w+)'", path.read_text(encoding="utf-8")))


def test_each_map_has_its_part_of_the_configuration():
    """config/<map>.json: the map, the maps search results come from, every classifier list their
    fields name (and those the map's thematic view and the search read), and no other list."""
    document = build()
    named = _lists_of_fields(document["maps"])
    item = {"x": {"uk": "x", "en": "x", "group": None}}
    document["classifiers"] = {name: item for name in named | {"named_by_no_field"}}
    portal_src = ROOT / "portal" / "src"
    search_lists = _lists_named_in(portal_src / "lib" / "search.js")
    assert search_lists == {"street_type"}
    for map_ in document["maps"]:
        part = config.for_map(document, map_["id"])
        ids = [m["id"] for m in part["maps"]]
        assert map_["id"] in ids and "city" in ids and "advertising" in ids  # search: streets, parcels; permits
        assert part["maps"] == [m for m in document["maps"] if m["id"] in ids]  # the same entries, in order
        assert _lists_of_fields(part["maps"]) <= set(part["classifiers"])  # every pop-up's labels
        assert search_lists <= set(part["classifiers"])
        if map_["theme"]:
            assert _lists_named_in(portal_src / "themes" / f"{map_['theme']}.js") <= set(part["classifiers"])
        assert "named_by_no_field" not in part["classifiers"]
        assert {k: v for k, v in part.items() if k not in ("maps", "classifiers")} == {
            k: v for k, v in document.items() if k not in ("maps", "classifiers")
        }
    # The city map's part leaves out what only other maps show: the budget's КЕКВ, the energy classes.
    city = config.for_map(document, "city")["classifiers"]
    assert "kekv" not in city and "energy_class" not in city and "land_use" in city


def _lists_of_fields(maps: list[dict]) -> set[str]:
    """The classifier lists the fields of the maps' layers and tables name."""
    return {
        field["classifier"]
        for map_ in maps
        for layer in map_["layers"] + map_["tables"]
        for field in layer["fields"]
        if "classifier" in field
    }
