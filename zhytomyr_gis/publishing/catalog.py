"""The published projects, declared once.

Every project lists its layers by register table; titles, field aliases
and the public fields come from ``zhytomyr_gis.registers``. The builder
turns this declaration into the ``projects/<id>.qgs`` files, the checker
and the server plugin read it to know what may be published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..registers import REGISTERS, Register, register

SERVICE = "zhytomyr_gis_portal"  # pg_service entry of the public role
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
PUBLISHED_SCHEMA = "published"

# WMS output CRS list (docs/architecture.md, "Coordinates"): the city's local system first.
WMS_CRS = ("EPSG:9836", "EPSG:3857", "EPSG:4326", "EPSG:5561")

CONTACT = {
    "organization": "Житомирська міська рада (Zhytomyr City Council)",
    "person": "Відділ геоінформаційних систем / GIS office",
    "position": "Адміністратор ГІС / GIS administrator",
    "mail": "gis@zt-rada.gov.ua",
    "phone": "+380 412 48 12 00",
    "online_resource": "https://zt-rada.gov.ua",
}
ACCESS_CONSTRAINTS = (
    "Відкриті дані: вільне використання з посиланням на Житомирську міську раду (CC BY 4.0). "
    "Дані є довідковими і не замінюють офіційних документів. / "
    "Open data: free use with attribution to Zhytomyr City Council (CC BY 4.0). "
    "For reference only; not a substitute for official documents."
)
FEES = "немає / none"
ATTRIBUTION = "© Житомирська міська рада / Zhytomyr City Council"
COMMON_KEYWORDS = ("Житомир", "Zhytomyr", "ГІС", "GIS", "відкриті дані", "open data")
DEMO_NOTE = (
    "Увага: демонстраційні дані, згенеровані програмно; вони не описують реальні об'єкти. / "
    "Note: generated demonstration data; it does not describe real objects."
)

# Printed maps (zhytomyr_gis/publishing/layouts.py): the GetPrint templates of
# every project, and the layers printed as one-object extracts with the field
# that names the object.
PRINT_TEMPLATES = ("a4-portrait", "a4-landscape", "a3-portrait", "a3-landscape")
PRINT_PAPERS = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}  # ISO 216, millimetres
PRINT_MARGIN = 10.0
PRINT_TITLE_HEIGHT = 14.0
PRINT_FOOTER_HEIGHT = 30.0
PRINT_SIDE_LEGEND = 55.0  # landscape: legend beside the map
PRINT_BOTTOM_LEGEND = 45.0  # portrait: legend under the map


def print_page_size(template: str) -> tuple[float, float]:
    paper, orientation = template.split("-")
    short, long_ = PRINT_PAPERS[paper]
    return (short, long_) if orientation == "portrait" else (long_, short)


def print_map_size(template: str) -> tuple[float, float]:
    """Width and height (mm) of the map on a template's page. QGIS Server reshapes the map
    to the extent a GetPrint asks for, so the geoportal asks for an extent of this shape."""
    width, height = print_page_size(template)
    landscape = template.endswith("landscape")
    map_w = width - 2 * PRINT_MARGIN - (PRINT_SIDE_LEGEND if landscape else 0)
    map_h = height - 2 * PRINT_MARGIN - PRINT_TITLE_HEIGHT - PRINT_FOOTER_HEIGHT
    return map_w, map_h - (0 if landscape else PRINT_BOTTOM_LEGEND)


PRINT_EXTRACTS = {
    "property_land_parcel": "cadastral_number",
    "property_property_object": "registry_id",
    "advertising_structure": "structure_code",
    "investment_site": "site_code",
}

# Projects trust the layer metadata stored in them (extent, geometry type,
# key) instead of asking PostGIS when a worker reads a project; see
# bench/README.md for what it changed.
TRUST_LAYER_METADATA = False


@dataclass(frozen=True)
class Drawing:
    """How the projects draw their layers. The defaults are the production
    choices; ``make bench`` measures the alternatives (bench/README.md, "Tuning")."""

    labels: bool = True  # False only as a benchmark diagnostic, never published
    # Polygon labels: "horizontal" (QGIS searches the polygon for room) or
    # "centroid" (over the centroid, when it fits).
    polygon_label_placement: str = "horizontal"
    # Label positions the labelling engine tries: QGIS's defaults.
    line_candidates_per_cm: float = 5.0
    polygon_candidates_per_cm2: float = 2.5
    # Corners of the white halo around labels: "bevel" looks the same as
    # QGIS's "round" at 0.8 mm and is stroked faster.
    halo_join: str = "bevel"
    # Ends of line symbols (streets): "square" looks the same as "round" at
    # 0.4 mm and QGIS strokes it faster (full maps -13 % CPU in make bench).
    line_cap: str = "square"


DRAWING = Drawing()

# The extent of the hromada (the city and the land up to the village of
# Вереси) in EPSG:9836 (x = easting, y = northing): the WMS extent and the
# initial view of every project.
CITY_EXTENT = (300500.0, 5560000.0, 322500.0, 5581000.0)


@dataclass(frozen=True)
class Categories:
    """Categorized symbology by a classifier field.

    ``colours`` maps a category code to a colour; ``group_colours`` maps a
    classifier group to a base colour (members get lighter shades in
    classifier order); ``colour_from_group`` takes the colour from the
    classifier's group_code itself (energy classes).
    """

    field: str
    classifier: str  # list name in published.classifier (cl_ prefix dropped)
    colours: dict[str, str] = field(default_factory=dict)
    group_colours: dict[str, str] = field(default_factory=dict)
    colour_from_group: bool = False


@dataclass(frozen=True)
class Layer:
    table: str  # register table, schema.table
    abstract_uk: str
    abstract_en: str
    fill: str = "#bdbdbd"  # single symbol colour (fill, line or marker)
    outline: str = "#4d4d4d"
    fill_opacity: float = 0.6  # of the fill colour; outlines stay opaque
    line_width: float = 0.3  # mm
    marker_size: float = 3.0  # mm
    categories: Categories | None = None
    label: str | None = None  # QGIS expression
    label_max_scale: float = 0  # labels drawn when the scale denominator is below this (0: always)
    min_scale: float = 0  # layer hidden when zoomed out beyond 1:min_scale (0: no limit)
    wfs_precision: int = 2  # decimals of coordinates in WFS (cm in EPSG:9836)
    shown_at_start: bool = True  # on when the geoportal opens the map (and in the cached tiles)

    @property
    def register(self) -> Register:
        return register(self.table)

    @property
    def name(self) -> str:
        """Short name: the layer's name in WMS, WFS and OGC API."""
        return self.register.published_table.split(".", 1)[1]

    @property
    def published_table(self) -> str:
        return self.register.published_table


@dataclass(frozen=True)
class Project:
    id: str
    title_uk: str
    title_en: str
    abstract_uk: str
    abstract_en: str
    keywords: tuple[str, ...]
    layers: tuple[Layer, ...]  # drawing order: first is on top
    # Non-spatial published tables served through WFS and OGC API Features
    # only (no map image): the details the map's features link to.
    tables: tuple[Layer, ...] = ()


# --------------------------------------------------------------- context layers
BOUNDARY = Layer(
    "ref.city_boundary",
    "Межа міста Житомира, встановлена рішенням міської ради.",
    "The boundary of the city of Zhytomyr as set by the city council.",
    fill="#000000",
    fill_opacity=0.0,
    outline="#7b3294",
    line_width=0.8,
)
DISTRICTS = Layer(
    "ref.district",
    "Адміністративні райони міста: Богунський і Корольовський.",
    "The city's administrative districts: Bohunskyi and Korolovskyi.",
    fill="#000000",
    fill_opacity=0.0,
    outline="#9e6ab8",
    line_width=0.5,
    label='"name_uk"',
)
STREETS = Layer(
    "ref.street",
    "Вулиці, провулки, проспекти та майдани міста за адресним реєстром.",
    "Streets, lanes, avenues and squares of the city from the address register.",
    fill="#8c8c8c",
    line_width=0.4,
    label='"street_type" || \' \' || "name_uk"',
    label_max_scale=15000,
)
ADDRESSES = Layer(
    "ref.address",
    "Адресні точки: номери будинків за адресним реєстром.",
    "Address points: house numbers from the address register.",
    fill="#5a5a5a",
    marker_size=1.2,
    label='"house_number"',
    label_max_scale=3000,
    min_scale=5000,
    shown_at_start=False,
)

LEASE_COLOURS = {
    "own_use": "#80b1d3",
    "leased": "#fdb462",
    "permanent_use": "#bebada",
    "free": "#33a02c",
    "privatisation": "#fb8072",
    "private": "#d9d9d9",
}
PARCELS = Layer(
    "property.land_parcel",
    "Земельні ділянки комунальної власності та ділянки, надані в користування: кадастровий номер, "
    "площа, цільове призначення (КВЦПЗ), стан використання. Персональні дані не публікуються.",
    "Municipal land parcels and parcels granted for use: cadastral number, area, land use (KVTsPZ), "
    "use status. Personal data is never published.",
    categories=Categories("lease_status", "lease_status", colours=LEASE_COLOURS),
    outline="#6b6b6b",
    line_width=0.15,
    label='"cadastral_number"',
    label_max_scale=2000,
    min_scale=25000,
)
PROPERTY_OBJECTS = Layer(
    "property.property_object",
    "Будівлі, споруди та нежитлові приміщення комунальної власності: балансоутримувач, площа, "
    "використання, стан оренди.",
    "Municipal buildings, structures and non-residential premises: balance holder, area, use, lease status.",
    categories=Categories("lease_status", "lease_status", colours=LEASE_COLOURS),
    outline="#333333",
    fill_opacity=0.85,
    line_width=0.25,
    label='"name_uk"',
    label_max_scale=4000,
    min_scale=25000,
)
INVESTMENT_SITES = Layer(
    "investment.site",
    "Інвестиційні пропозиції міста: вільні ділянки (грінфілд), колишні промислові майданчики "
    "(браунфілд), будівлі; площа, інженерні мережі, умови та контакти.",
    "The city's investment offers: greenfield and brownfield sites and buildings; area, utilities, "
    "terms and contact.",
    categories=Categories(
        "site_type", "site_type", colours={"greenfield": "#4daf4a", "brownfield": "#a65628", "building": "#377eb8"}
    ),
    fill_opacity=0.55,
    outline="#1a1a1a",
    line_width=0.5,
    label='"site_code"',
    label_max_scale=30000,
)
FUNCTIONAL_ZONES = Layer(
    "planning.functional_zone",
    "Функціональні зони генерального плану міста (житлова, громадська, виробнича, рекреаційна та ін.).",
    "Functional zones of the city's general plan (residential, public, industrial, recreational, ...).",
    categories=Categories(
        "zone_type",
        "functional_zone",
        group_colours={
            "residential": "#f2c94c",
            "public": "#e15759",
            "industrial": "#8e6bb8",
            "transport": "#9e9e9e",
            "recreational": "#59a14f",
            "water": "#4e79a7",
        },
    ),
    fill_opacity=0.7,
    outline="#5a5a5a",
    line_width=0.2,
)
ZONING_ZONES = Layer(
    "planning.zoning_zone",
    "Територіальні зони плану зонування (ДБН Б.1.1-22): код та індекс зони, переважні та супутні "
    "види використання, граничні параметри забудови, рішення міської ради.",
    "Zoning plan zones (DBN B.1.1-22): zone code and index, permitted and conditional uses, "
    "development limits, council decision.",
    categories=Categories(
        "zone_code",
        "zone_code",
        group_colours={
            "Ж": "#f2c94c",
            "Г": "#e15759",
            "Р": "#59a14f",
            "В": "#8e6bb8",
            "КС": "#b07aa1",
            "ІН": "#76b7b2",
            "К": "#ff9da7",
            "ТР": "#9e9e9e",
            "С": "#4d4d4d",
        },
    ),
    fill_opacity=0.65,
    outline="#404040",
    line_width=0.25,
    label='"zone_index"',
    label_max_scale=20000,
)
RESTRICTION_ZONES = Layer(
    "planning.restriction_zone",
    "Зони обмежень використання території за переліком обмежень Державного земельного кадастру: охоронні "
    "зони пам'яток, прибережні захисні смуги, санітарно-захисні зони, охоронні зони мереж, червоні лінії.",
    "Land-use restriction zones by the State Land Cadastre's list of restrictions: monument protection, "
    "riparian strips, sanitary and utility protection zones, red lines.",
    categories=Categories(
        "kind",
        "restriction_kind",
        colours={
            "01.02": "#a6761d",
            "05.01": "#a6cee3",
            "05.02": "#1f78b4",
            "03.01": "#e31a1c",
            "01.08": "#ff7f00",
            "01.05": "#fdbf6f",
            "06.01.1": "#e7298a",
        },
    ),
    fill_opacity=0.25,
    line_width=0.6,
)
ADVERTISING_STRUCTURES = Layer(
    "advertising.structure",
    "Рекламні засоби міста з обліковими номерами: тип, розмір, кількість сторін, адреса, власник.",
    "The city's outdoor advertising structures: type, size, faces, address, owner.",
    categories=Categories(
        "structure_type",
        "structure_type",
        colours={
            "billboard": "#e41a1c",
            "citylight": "#377eb8",
            "backlight": "#4daf4a",
            "led_screen": "#984ea3",
            "pillar": "#ff7f00",
            "wall": "#a65628",
            "roof": "#f781bf",
        },
    ),
    marker_size=2.6,
    outline="#ffffff",
    label='"structure_code"',
    label_max_scale=5000,
)
ENERGY_BUILDINGS = Layer(
    "energy.building",
    "Бюджетні будівлі міста (школи, садочки, лікарні, адмінбудівлі) за класом енергетичної "
    "ефективності A–G, з питомим енергоспоживанням.",
    "Municipal buildings (schools, kindergartens, hospitals, offices) by energy performance class A–G, "
    "with specific energy use.",
    categories=Categories("energy_class", "energy_class", colour_from_group=True),
    fill_opacity=0.9,
    outline="#333333",
    line_width=0.3,
    label='"name_uk"',
    label_max_scale=5000,
)
BUDGET_PROJECTS = Layer(
    "budget.project",
    "«Бюджет на карті»: капітальні проєкти бюджету розвитку — об'єкт, рік, коди КПКВКМБ і КЕКВ, "
    "заплановані та використані кошти, підрядник, закупівля ProZorro, стан.",
    "Budget on the map: capital projects of the development budget — object, year, programme and "
    "economic codes, planned and spent amounts, contractor, ProZorro tender, status.",
    categories=Categories(
        "project_status",
        "project_status",
        colours={
            "planned": "#74add1",
            "tender": "#fdae61",
            "in_progress": "#f46d43",
            "completed": "#1a9850",
            "suspended": "#878787",
            "cancelled": "#4d4d4d",
        },
    ),
    marker_size=3.4,
    outline="#ffffff",
    label='"title_uk"',
    label_max_scale=4000,
)

# ------------------------------------------------------- non-spatial tables
ADVERTISING_PERMITS = Layer(
    "advertising.permit",
    "Дозволи на розміщення зовнішньої реклами: номер, розповсюджувач (юрособа), рішення виконкому, "
    "строк дії та стан дозволу. Пов'язані з рекламними засобами за полем structure_id.",
    "Outdoor advertising permits: number, distributor (company), executive committee decision, validity "
    "and state. Linked to the advertising structures by structure_id.",
)
ENERGY_CONSUMPTION = Layer(
    "energy.consumption",
    "Річне споживання енергоресурсів бюджетними будівлями: теплова енергія, електроенергія, газ, вода "
    "та їх вартість. Пов'язане з будівлями за полем building_id.",
    "Yearly energy and water consumption of municipal buildings and its cost. Linked to the buildings by "
    "building_id.",
)
ENERGY_MEASURES = Layer(
    "energy.measure",
    "Енергоефективні заходи в бюджетних будівлях: вид, рік, вартість, очікувана та фактична економія.",
    "Energy efficiency measures in municipal buildings: type, year, cost, expected and actual saving.",
)

PROJECTS: tuple[Project, ...] = (
    Project(
        "city",
        "Житомир: карта міста",
        "Zhytomyr: city map",
        "Оглядова карта Житомира: межа міста, райони, вулиці, адреси, земельні ділянки та комунальні "
        "будівлі. Основа для всіх тематичних карт геопорталу.",
        "Overview map of Zhytomyr: city boundary, districts, streets, addresses, land parcels and municipal "
        "buildings. The base of every thematic map of the geoportal.",
        ("карта міста", "city map", "адреси", "addresses", "вулиці", "streets"),
        (ADDRESSES, PROPERTY_OBJECTS, PARCELS, STREETS, DISTRICTS, BOUNDARY),
    ),
    Project(
        "property",
        "Комунальне майно",
        "Municipal property",
        "Реєстр комунального майна Житомира: земельні ділянки, будівлі та приміщення, їх "
        "балансоутримувачі, використання та оренда.",
        "The municipal property register of Zhytomyr: land parcels, buildings and premises, their balance "
        "holders, use and lease.",
        ("комунальне майно", "municipal property", "земельні ділянки", "land parcels", "оренда", "lease"),
        (PROPERTY_OBJECTS, PARCELS, STREETS, BOUNDARY),
    ),
    Project(
        "investment",
        "Інвестиційна карта",
        "Investment map",
        "Інвестиційні об'єкти, які місто пропонує інвесторам: площа, зонування, інженерні мережі, умови та контакти.",
        "Investment sites the city offers to investors: area, zoning, utilities, terms and contact.",
        ("інвестиції", "investment", "грінфілд", "greenfield", "браунфілд", "brownfield"),
        (INVESTMENT_SITES, STREETS, BOUNDARY),
    ),
    Project(
        "general_plan",
        "Генеральний план: функціональні зони",
        "General plan: functional zones",
        "Функціональне зонування території міста за генеральним планом Житомира.",
        "Functional zoning of the city's territory according to the general plan of Zhytomyr.",
        ("генеральний план", "general plan", "функціональні зони", "functional zones", "містобудування", "planning"),
        (FUNCTIONAL_ZONES, STREETS, BOUNDARY),
    ),
    Project(
        "zoning",
        "План зонування території",
        "Zoning plan",
        "План зонування Житомира: територіальні зони з переважними видами використання та граничними "
        "параметрами забудови, зони обмежень.",
        "The zoning plan of Zhytomyr: zones with permitted uses and development limits, restriction zones.",
        ("зонінг", "zoning", "план зонування", "zoning plan", "обмеження", "restrictions"),
        (RESTRICTION_ZONES, ZONING_ZONES, STREETS, BOUNDARY),
    ),
    Project(
        "advertising",
        "Зовнішня реклама",
        "Outdoor advertising",
        "Реєстр рекламних засобів Житомира: розташування, тип і розмір конструкцій.",
        "The register of outdoor advertising structures in Zhytomyr: location, type and size.",
        ("зовнішня реклама", "outdoor advertising", "дозволи", "permits", "білборди", "billboards"),
        (ADVERTISING_STRUCTURES, STREETS, BOUNDARY),
        tables=(ADVERTISING_PERMITS,),
    ),
    Project(
        "energy",
        "Енергоефективність бюджетних будівель",
        "Energy efficiency of municipal buildings",
        "Класи енергетичної ефективності шкіл, садочків, лікарень та інших бюджетних будівель міста.",
        "Energy performance classes of the city's schools, kindergartens, hospitals and other municipal buildings.",
        ("енергоефективність", "energy efficiency", "енергосертифікат", "energy certificate", "енергоменеджмент"),
        (ENERGY_BUILDINGS, STREETS, BOUNDARY),
        tables=(ENERGY_CONSUMPTION, ENERGY_MEASURES),
    ),
    Project(
        "budget",
        "Бюджет на карті",
        "Budget on the map",
        "Капітальні проєкти бюджету розвитку Житомира на карті: що, де, за скільки і хто виконує.",
        "Capital projects of Zhytomyr's development budget on the map: what, where, for how much and by whom.",
        ("бюджет", "budget", "прозорість", "transparency", "ProZorro", "капітальні видатки", "capital expenditure"),
        (BUDGET_PROJECTS, DISTRICTS, BOUNDARY),
    ),
)

BY_ID = {p.id: p for p in PROJECTS}

# The base map of every view of the geoportal: these layers of the city
# project, drawn under another project's layers where it lacks them.
BASE_MAP_PROJECT = "city"
BASE_MAP_LAYERS = ("ref_street", "ref_district", "ref_city_boundary")


def base_layers_under(spec: Project) -> tuple[Layer, ...]:
    """The city's base layers drawn under ``spec``'s own (top first; none under the city itself)."""
    if spec.id == BASE_MAP_PROJECT:
        return ()
    own = {layer.name for layer in spec.layers}
    city = {layer.name: layer for layer in BY_ID[BASE_MAP_PROJECT].layers}
    return tuple(city[name] for name in BASE_MAP_LAYERS if name not in own)


def start_view(spec: Project) -> tuple[Layer, ...]:
    """Every layer of the map as the geoportal opens it, top first: the
    project's layers shown at start, then the base layers under them."""
    return (*(layer for layer in spec.layers if layer.shown_at_start), *base_layers_under(spec))


def project(project_id: str) -> Project:
    try:
        return BY_ID[project_id]
    except KeyError:
        raise KeyError(f"no project {project_id}; known: {', '.join(BY_ID)}") from None


def all_published_tables() -> dict[str, Register]:
    """Every register's published table (what the public side may read at all)."""
    return {r.published_table: r for r in REGISTERS}
