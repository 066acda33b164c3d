"""A deterministic, plausible and clearly generated Zhytomyr.

``generate(size)`` returns every register's rows as plain dicts, ready for
the loader: keys are the table's editable columns, plus generator-local keys
that start with an underscore (``_key``, the row's key within its table;
``_street_key``, ``_district_key``... references to parent rows, which the
loader turns into database ids; ``_state``, the workflow state the loader
leaves the record in). Geometry is WKT in EPSG:9836 (x = easting,
y = northing, metres). Stdlib only: no database, no GEOS, no Qt.

How the city is made (all in a local frame in metres around the real
centre, x=311371.6 y=5569271.9):

- the city is a smooth irregular oval of 61 km² (a polar radius with a
  few random harmonics, 200 vertices), the same for every size; the
  hromada's boundary (ref.city_boundary) adds to it the land up to the
  village of Вереси, 12 km north-east (50.338 N 28.759 E), as one outline;
- the two districts split the city along a SW-NE line through the centre:
  Богунський north-west, Корольовський south-east;
- the Teteriv crosses the south and east as a sinuous polyline; blocks keep
  55 m away from it (the 50 m riparian strip is a restriction zone);
- a street grid rotated by 12° (streets 20 m wide) makes the blocks; a
  block is kept when its corners are inside the boundary. Each block is
  cut into two rows of parcels facing the two long-side streets; every
  third grid line is an artery with a real name, the rest of the grid is
  cut into streets of a few blocks named "Проєктна N";
- zoning and functional zones tile the hromada: a 600 m grid (rotated like
  the streets) clipped by its boundary, zone codes by distance from the
  centre and by place (centre, river, railway station, industrial east;
  outside the city the village's houses and the forests around it).

Every code is a code of the classifier files (sql/classifiers): КВЦПЗ
codes of the classification in force, the zone types of ДБН Б.1.1-22:2017,
restriction kinds of the land cadastre, the hromada's KATOTTG and КОАТУУ.

Sizes: ``small`` is the same city (boundary, districts, zoning, the river)
but with blocks, parcels and everything on them only within 800 m of the
centre, for fast tests; ``city`` covers the whole city (~40,000 parcels);
``large`` subdivides the same boundary into smaller blocks and narrower
parcels (~3× the parcels and buildings of ``city``).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from zhytomyr_gis import classifiers
from zhytomyr_gis.demo import names
from zhytomyr_gis.demo.geometry import (
    Frame,
    HalfPlane,
    Point,
    Ring,
    clip,
    distance_to_ring,
    point_in_ring,
    polyline_distance,
    ray_to_ring,
    ring_area,
    segment_distance,
)
from zhytomyr_gis.validators import is_valid_edrpou, is_valid_rnokpp

SEED = 1804  # the same for every size: the boundary and the zoning never change
CENTRE = (311371.6, 5569271.9)  # EPSG:9836, x = easting, y = northing
SRID = 9836
CITY_AREA_M2 = 61.0e6
GRID_ANGLE_DEG = 12.0
STREET_WIDTH = 20.0
ZONE_CELL = 600.0
RIVER_STRIP = 50.0
HISTORIC_RADIUS = 600.0
AD_SPACING = 30.0  # m between advertising structures (verification setting advertising_min_distance_m)
# The day the generated registers describe ("today" for permits and projects).
REFERENCE_DATE = date(2025, 11, 1)
CONSUMPTION_YEARS = tuple(range(2019, 2026))
COUNCIL_EDRPOU = "04053625"
RIVER_X0 = -7000.0  # the river is sampled every RIVER_STEP metres of x from here to -RIVER_X0
RIVER_STEP = 25.0
# The village of Вереси (50.338 N 28.759 E), metres east and north of the centre.
VILLAGE = (7183.6, 9286.1)
VILLAGE_RADIUS = 1200.0  # its houses (zone Ж-1)
# The sewage treatment plant in the industrial east (grid frame): its sanitary zone, its zone ІН-1.
TREATMENT_PLANT = (3300.0, -900.0)
# The hromada's land beyond the city: an ellipse along the road to the village,
# from the centre to 1.8 km past it, 2 km wide on either side.
HROMADA_LOBE_BEYOND = 1800.0
HROMADA_LOBE_HALF_WIDTH = 2000.0
ZONE_CELLS_CITY = range(-10, 11)  # the grid cells over the city (in both directions)


@dataclass(frozen=True)
class SizeConfig:
    name: str
    block_u: float  # block width across the parcel rows (metres)
    block_v: float  # block length along the rows
    parcels_per_row: dict[str, int]  # by zone group: how many parcels a row of a block holds
    cover_radius: float | None  # only blocks within this distance of the centre (None: the whole city)
    energy_buildings: int
    budget_projects: int
    ad_structures: int
    sites: int


SIZES: dict[str, SizeConfig] = {
    "small": SizeConfig(
        name="small",
        block_u=120,
        block_v=180,
        parcels_per_row={"Ж-1": 8, "Ж-2": 6, "Ж-3": 5, "Ж-4": 4, "Г": 5, "В": 2, "other": 1},
        cover_radius=800.0,
        energy_buildings=12,
        budget_projects=16,
        ad_structures=40,
        sites=6,
    ),
    "city": SizeConfig(
        name="city",
        block_u=120,
        block_v=180,
        parcels_per_row={"Ж-1": 21, "Ж-2": 17, "Ж-3": 4, "Ж-4": 3, "Г": 4, "В": 2, "other": 1},
        cover_radius=None,
        energy_buildings=400,
        budget_projects=500,
        ad_structures=3000,
        sites=40,
    ),
    "large": SizeConfig(
        name="large",
        block_u=80,
        block_v=120,
        parcels_per_row={"Ж-1": 23, "Ж-2": 19, "Ж-3": 10, "Ж-4": 8, "Г": 10, "В": 6, "other": 4},
        cover_radius=None,
        energy_buildings=400,
        budget_projects=500,
        ad_structures=3000,
        sites=40,
    ),
}
# Institutions of the energy register that are legal entities of their own (the
# rest are kept by their department): at most this many per building use.
OWN_CODE_INSTITUTIONS = {
    "school": 15,
    "kindergarten": 15,
    "hospital": 5,
    "polyclinic": 4,
    "culture": 3,
    "sport": 3,
    "social": 2,
}


# ------------------------------------------------------------------- dataset
@dataclass
class TableData:
    """Rows of one table and how the loader finds them again and links them."""

    name: str  # schema.table
    natural_key: tuple[str, ...]  # columns unique in the table, to get the ids back after COPY
    parents: dict[str, tuple[str, str]]  # "_street_key" -> ("street_id", "ref.street")
    rows: list[dict] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [c for c in self.rows[0] if not c.startswith("_")] if self.rows else []


# In the order the loader enters them (parents first).
TABLE_SPECS: tuple[tuple[str, tuple[str, ...], dict[str, tuple[str, str]]], ...] = (
    ("ref.city_boundary", ("katottg",), {}),
    ("ref.district", ("name_uk",), {}),
    ("ref.street", ("street_type", "name_uk"), {}),
    (
        "ref.address",
        ("street_id", "house_number"),
        {"_street_key": ("street_id", "ref.street"), "_district_key": ("district_id", "ref.district")},
    ),
    ("ref.organisation", ("edrpou",), {}),
    ("planning.zoning_zone", ("zone_index",), {}),
    ("planning.functional_zone", ("name_uk",), {}),
    ("planning.restriction_zone", ("name_uk",), {}),
    ("property.land_parcel", ("cadastral_number",), {"_district_key": ("district_id", "ref.district")}),
    (
        "property.property_object",
        ("balance_holder_edrpou", "inventory_number"),
        {"_address_key": ("address_id", "ref.address")},
    ),
    ("investment.site", ("site_code",), {}),
    ("advertising.structure", ("structure_code",), {}),
    ("advertising.permit", ("permit_number",), {"_structure_key": ("structure_id", "advertising.structure")}),
    ("energy.building", ("name_uk",), {}),
    ("energy.consumption", ("building_id", "year"), {"_building_key": ("building_id", "energy.building")}),
    ("energy.measure", ("building_id", "measure_type", "year"), {"_building_key": ("building_id", "energy.building")}),
    ("budget.project", ("title_uk", "budget_year"), {"_district_key": ("district_id", "ref.district")}),
    ("budget.payment", ("document",), {"_project_key": ("project_id", "budget.project")}),
)


class Dataset(dict[str, TableData]):
    """Table name ("ref.street", "property.land_parcel"...) -> its rows, in loading order."""

    def __init__(self, size: str, seed: int):
        super().__init__()
        self.size = size
        self.seed = seed
        for name, key, parents in TABLE_SPECS:
            self[name] = TableData(name, key, parents)

    def counts(self) -> dict[str, int]:
        return {name: len(t.rows) for name, t in self.items()}


# ------------------------------------------------------------- identifiers
def make_edrpou(rng: random.Random, taken: set[str], lo: int = 2000000, hi: int = 4499999) -> str:
    """A new valid ЄДРПОУ whose first 7 digits are drawn from [lo, hi]."""
    while True:
        prefix = f"{rng.randint(lo, hi):07d}"
        for d in range(10):
            code = prefix + str(d)
            if is_valid_edrpou(code):
                break
        else:
            continue
        if code not in taken:
            taken.add(code)
            return code


def make_rnokpp(rng: random.Random, female: bool) -> str:
    """A valid РНОКПП: days from 31.12.1899 to the birth date, a serial whose last digit
    tells the sex (even for women), and the check digit."""
    while True:
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 18000))
        days = (born - date(1899, 12, 31)).days
        sex = rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
        body = f"{days:05d}{rng.randint(0, 999):03d}{sex}"
        for check in "0123456789":
            if is_valid_rnokpp(body + check):
                return body + check


def make_passport(rng: random.Random) -> str:
    """A made-up passport: a booklet (two letters, six digits) or an ID card (nine digits)."""
    if rng.random() < 0.5:
        return "".join(rng.choice("АВЕКМНОРСТ") for _ in range(2)) + f"{rng.randint(0, 999999):06d}"
    return f"{rng.randint(0, 999999999):09d}"


# Workflow state the loader leaves each record in: ~2 % draft, ~1 % submitted,
# ~0.5 % rejected, ~1 % verified and then edited again (a new draft), the rest
# verified. Spread evenly: within every 200 consecutive rows exactly 4, 2, 1
# and 2 such rows, at scattered positions.
def workflow_state(index: int, salt: int) -> str:
    slot = (index * 73 + salt * 37) % 200
    if slot < 4:
        return "draft"
    if slot < 6:
        return "submitted"
    if slot < 7:
        return "rejected"
    if slot < 9:
        return "edited"
    return "verified"


# ------------------------------------------------------------ zoning rules
@dataclass(frozen=True)
class ZoneRule:
    permitted_uses: str
    conditional_uses: str | None
    max_height_m: float
    max_coverage_pct: float
    functional_zone: str  # code of ref.cl_functional_zone


ZONE_RULES: dict[str, ZoneRule] = {
    "Г-1": ZoneRule(
        "адміністративні, ділові, торговельні та культурні заклади загальноміського значення; готелі; "
        "заклади громадського харчування; багатоквартирні житлові будинки з вбудованими приміщеннями",
        "культові споруди; підземні паркінги",
        27.0,
        60.0,
        "public",
    ),
    "Г-2": ZoneRule(
        "громадські будівлі районного значення: торгівля, побутове обслуговування, офіси, поліклініки",
        "автосервіс без фарбувальних робіт; АЗС",
        21.0,
        50.0,
        "public",
    ),
    "Г-3": ZoneRule(
        "заклади освіти та охорони здоров'я, спортивні споруди при них", "гуртожитки", 18.0, 40.0, "public"
    ),
    "Ж-1": ZoneRule(
        "садибні житлові будинки до 3 поверхів з присадибними ділянками; господарські будівлі",
        "магазини до 150 м²; дошкільні заклади",
        12.0,
        40.0,
        "residential_low",
    ),
    "Ж-2": ZoneRule(
        "садибні та блоковані житлові будинки до 4 поверхів",
        "магазини та кафе до 300 м²; аптеки",
        14.0,
        45.0,
        "residential_low",
    ),
    "Ж-3": ZoneRule(
        "багатоквартирні житлові будинки до 9 поверхів; вбудовані заклади обслуговування; дошкільні заклади",
        "гаражі-стоянки; офіси до 500 м²",
        30.0,
        50.0,
        "residential_multi",
    ),
    "Ж-4": ZoneRule(
        "багатоквартирні житлові будинки понад 9 поверхів; заклади освіти та обслуговування мікрорайону",
        "підземні та багаторівневі паркінги",
        75.0,
        40.0,
        "residential_multi",
    ),
    "Р-1": ZoneRule("природоохоронні території; пішохідні та велосипедні доріжки", None, 6.0, 2.0, "landscape"),
    "Р-2": ZoneRule(
        "парки, спортивні майданчики, атракціони, пляжі, об'єкти відпочинку",
        "кафе та пункти прокату сезонні",
        9.0,
        10.0,
        "recreational",
    ),
    "Р-3": ZoneRule(
        "сквери, бульвари, озеленені території загального користування",
        "громадські вбиральні, павільйони",
        6.0,
        5.0,
        "recreational",
    ),
    "В-2": ZoneRule(
        "виробничі підприємства III класу шкідливості; склади; інженерні споруди",
        "адміністративно-побутові будівлі",
        30.0,
        60.0,
        "industrial",
    ),
    "В-3": ZoneRule(
        "виробничі підприємства IV–V класу шкідливості; логістичні центри; склади",
        "торговельні об'єкти; автосервіс",
        24.0,
        65.0,
        "industrial",
    ),
    "КС-1": ZoneRule(
        "комунально-складські об'єкти, бази, депо, склади",
        "автозаправні станції",
        18.0,
        60.0,
        "communal",
    ),
    "ІН-1": ZoneRule(
        "очисні споруди, котельні, насосні та трансформаторні підстанції, інженерні мережі",
        "адміністративно-побутові будівлі підприємств",
        18.0,
        50.0,
        "communal",
    ),
    "Р-4": ZoneRule("ліси та лісопарки; лісові дороги", "об'єкти лісового господарства", 6.0, 2.0, "landscape"),
    "ТР-2": ZoneRule(
        "споруди залізничного та автомобільного транспорту, вокзали, стоянки",
        "готелі; торговельні об'єкти при вокзалах",
        24.0,
        50.0,
        "transport",
    ),
    "С-1": ZoneRule("кладовища; об'єкти спеціального призначення", "культові споруди", 12.0, 15.0, "communal"),
}

FUNCTIONAL_LABELS = {
    "residential_low": "Житлова садибна забудова",
    "residential_multi": "Житлова багатоквартирна забудова",
    "public": "Громадська забудова",
    "industrial": "Виробнича територія",
    "communal": "Комунально-складська територія",
    "transport": "Територія транспортної інфраструктури",
    "recreational": "Рекреаційна територія",
    "landscape": "Ландшафтно-рекреаційна територія",
    "water": "Водні поверхні",
}

ZONING_DECISION = ("Рішення Житомирської міської ради від 24.06.2021 № 187", date(2021, 6, 24))
ZONING_AMENDMENT = ("Рішення Житомирської міської ради від 14.12.2023 № 1124", date(2023, 12, 14))


# ------------------------------------------------------------------ layout
@dataclass
class Block:
    i: int
    j: int
    u0: float
    u1: float
    v0: float
    v1: float
    centre: Point
    zone_code: str
    district: str  # key of ref.district
    kind: str = "regular"  # regular | institution | site | council | square
    cadastral_zone: int = 0
    quarter: int = 0


@dataclass
class Parcel:
    block: Block
    row: int  # 0 faces the street at u0, 1 the street at u1
    index: int  # within the block, from 1
    u0: float
    u1: float
    v0: float
    v1: float
    # Corners of the parcels of the other row on the middle edge: they become vertices of this
    # parcel too, so that neighbours share every vertex and never overlap after rounding.
    joints: list[float] = field(default_factory=list)
    cadastral_number: str = ""
    address_key: str | None = None
    address_text: str = ""
    address_en: str = ""
    object_row: dict | None = None
    land_use: str = ""
    ownership: str = ""
    holder: str | None = None  # balance holder ЄДРПОУ


@dataclass
class Street:
    key: str
    name: names.StreetName
    lines: list[list[Point]]
    arterial: bool = False
    # (line kind, line index, block index along the line) covered by this street
    cells: list[tuple[str, int, int]] = field(default_factory=list)


class City:
    """The shape of the generated city: boundary, river, grid, blocks, zoning cells, streets."""

    def __init__(self, cfg: SizeConfig, seed: int = SEED):
        self.cfg = cfg
        self.seed = seed
        self.frame = Frame(*CENTRE)
        self.boundary = self._make_boundary(random.Random(seed))
        self.hromada = self._make_hromada(self.boundary)
        self.river = self._make_river(random.Random(seed + 1))
        a = math.radians(GRID_ANGLE_DEG)
        self.cos, self.sin = math.cos(a), math.sin(a)
        self.pu = cfg.block_u + STREET_WIDTH
        self.pv = cfg.block_v + STREET_WIDTH
        # District line through the centre, SW to NE; its normal points north-west.
        d = math.radians(35.0)
        self.district_normal = (-math.sin(d), math.cos(d))
        self.station = (-2300.0, 250.0)  # the railway station, west of the centre
        self.zone_cells = self._assign_zones(random.Random(seed + 2))
        self.blocks = self._make_blocks()
        self.streets: list[Street] = []
        self.u_line_street: dict[tuple[int, int], Street] = {}  # (line i, block j) -> street
        self.v_line_street: dict[tuple[int, int], Street] = {}  # (line j, block i) -> street
        self._make_streets(random.Random(seed + 3))

    # -- frame
    def local(self, u: float, v: float) -> Point:
        return (u * self.cos - v * self.sin, u * self.sin + v * self.cos)

    def grid(self, p: Point) -> tuple[float, float]:
        return (p[0] * self.cos + p[1] * self.sin, -p[0] * self.sin + p[1] * self.cos)

    def rect(self, u0: float, u1: float, v0: float, v1: float) -> Ring:
        return [self.local(u0, v0), self.local(u1, v0), self.local(u1, v1), self.local(u0, v1)]

    def grid_cell(self, u0: float, u1: float, v0: float, v1: float) -> list[HalfPlane]:
        """The half-planes u >= u0, u <= u1, v >= v0, v <= v1 (for clipping)."""
        c, s = self.cos, self.sin
        return [(c, s, u0), (-c, -s, -u1), (-s, c, v0), (s, -c, -v1)]

    def inside(self, p: Point) -> bool:
        return point_in_ring(p, self.boundary)

    def in_hromada(self, p: Point) -> bool:
        return point_in_ring(p, self.hromada)

    def district_of(self, p: Point) -> str:
        nx, ny = self.district_normal
        return "bohunskyi" if nx * p[0] + ny * p[1] >= 0 else "korolovskyi"

    def river_distance(self, p: Point) -> float:
        segments = self._river_segments(p[0] - 400, p[0] + 400)
        return min((segment_distance(p, a, b) for a, b in segments), default=math.inf)  # beyond its ends: far

    def _river_segments(self, x0: float, x1: float):
        # The river is a function of x sampled every RIVER_STEP metres from RIVER_X0.
        lo = max(0, int((x0 - RIVER_X0) // RIVER_STEP) - 1)
        hi = min(len(self.river) - 1, int((x1 - RIVER_X0) // RIVER_STEP) + 2)
        return [(self.river[k], self.river[k + 1]) for k in range(lo, hi)]

    # -- boundary and river
    @staticmethod
    def _make_boundary(rng: random.Random) -> Ring:
        amplitudes = (
            (2, 0.10),
            (3, 0.06),
            (4, 0.04),
            (5, 0.025),
            (6, 0.02),
            (7, 0.015),
            (9, 0.01),
            (11, 0.007),
            (14, 0.005),
            (19, 0.003),
        )
        harmonics = [(k, amp, rng.uniform(0, 2 * math.pi)) for k, amp in amplitudes]
        pts = []
        n = 200
        for j in range(n):
            t = 2 * math.pi * j / n
            f = 1 + sum(amp * math.cos(k * t + ph) for k, amp, ph in harmonics)
            pts.append((f * math.cos(t), f * math.sin(t)))
        scale = math.sqrt(CITY_AREA_M2 / ring_area(pts))
        # Vertices on whole millimetres of EPSG:9836, so that the WKT says exactly this ring.
        return [
            (round(CENTRE[0] + x * scale, 3) - CENTRE[0], round(CENTRE[1] + y * scale, 3) - CENTRE[1]) for x, y in pts
        ]

    @staticmethod
    def _make_hromada(city: Ring) -> Ring:
        """The city and the land up to the village, one outline around the centre.

        Both the city's oval and the ellipse to the village are star-shaped
        around the centre, so at every angle the outline is the farther of the
        two: the city's own vertices where the city is farther (so that the
        city lies exactly inside), points of the ellipse where it is.
        """
        vx, vy = VILLAGE
        length = math.hypot(vx, vy)
        ux, uy = vx / length, vy / length  # along the road
        a = (length + HROMADA_LOBE_BEYOND) / 2  # semi-axis along it; the centre is the ellipse's vertex
        b = HROMADA_LOBE_HALF_WIDTH

        def lobe(dx: float, dy: float) -> float:
            # (r du - a)² / a² + (r dw)² / b² = 1 has the roots 0 and 2 du / a / q.
            du, dw = dx * ux + dy * uy, -dx * uy + dy * ux
            q = (du / a) ** 2 + (dw / b) ** 2
            return max(0.0, 2 * du / a / q)

        outline = []
        for x, y in city:
            d = math.hypot(x, y)
            if d >= lobe(x / d, y / d):
                outline.append((math.atan2(y, x), (x, y)))
        n = 360
        for j in range(n):
            t = 2 * math.pi * j / n - math.pi
            dx, dy = math.cos(t), math.sin(t)
            r = lobe(dx, dy)
            if r > ray_to_ring(city, dx, dy):
                point = (round(CENTRE[0] + dx * r, 3) - CENTRE[0], round(CENTRE[1] + dy * r, 3) - CENTRE[1])
                outline.append((t, point))
        return [p for _t, p in sorted(outline)]

    @staticmethod
    def _make_river(rng: random.Random) -> list[Point]:
        ph1, ph2 = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
        pts = []
        x = RIVER_X0
        while x <= -RIVER_X0:
            y = (
                -1500
                + 0.12 * x
                + 260 * math.sin(2 * math.pi * x / 4200 + ph1)
                + 90 * math.sin(2 * math.pi * x / 900 + ph2)
            )
            pts.append((x, y))
            x += RIVER_STEP
        return pts

    def river_strip(self) -> Ring:
        """The 50 m riparian strip on both banks, as far as it lies inside the boundary."""
        left, right, ok = [], [], []
        r = self.river
        for k in range(len(r)):
            a, b = r[max(k - 1, 0)], r[min(k + 1, len(r) - 1)]
            tx, ty = b[0] - a[0], b[1] - a[1]
            norm = math.hypot(tx, ty)
            nx, ny = -ty / norm * RIVER_STRIP, tx / norm * RIVER_STRIP
            lp, rp = (r[k][0] + nx, r[k][1] + ny), (r[k][0] - nx, r[k][1] - ny)
            left.append(lp)
            right.append(rp)
            ok.append(self.inside(lp) and self.inside(rp))
        best, start = (0, 0), None
        for k, flag in enumerate([*ok, False]):
            if flag and start is None:
                start = k
            elif not flag and start is not None:
                if k - start > best[1] - best[0]:
                    best = (start, k)
                start = None
        a, b = best[0] + 1, best[1] - 1  # one vertex of margin at each end
        return right[a:b] + left[a:b][::-1]

    # -- zoning cells
    def zone_cell_ranges(self) -> tuple[range, range]:
        """The grid cells (a, b) that cover the hromada."""
        us, vs = zip(*(self.grid(p) for p in self.hromada), strict=True)
        return (
            range(round(min(us) / ZONE_CELL), round(max(us) / ZONE_CELL) + 1),
            range(round(min(vs) / ZONE_CELL), round(max(vs) / ZONE_CELL) + 1),
        )

    def _assign_zones(self, rng: random.Random) -> dict[tuple[int, int], str]:
        zones = {}
        for a in ZONE_CELLS_CITY:
            for b in ZONE_CELLS_CITY:
                p = self.local(a * ZONE_CELL, b * ZONE_CELL)
                zones[(a, b)] = self._zone_at(p, rng.random())
        # The rest of the hromada, from a stream of its own (the city's cells stay as they were).
        beyond = random.Random(self.seed + 7)
        a_range, b_range = self.zone_cell_ranges()
        for a in a_range:
            for b in b_range:
                if (a, b) not in zones:
                    zones[(a, b)] = self._zone_at(self.local(a * ZONE_CELL, b * ZONE_CELL), beyond.random())
        return zones

    def _zone_at(self, p: Point, r: float) -> str:
        x, y = p
        d = math.hypot(x, y)
        if not self.inside(p) and distance_to_ring(p, self.boundary) > ZONE_CELL:
            # Beyond the city: the village's houses, the forests around it.
            return "Ж-1" if math.hypot(x - VILLAGE[0], y - VILLAGE[1]) < VILLAGE_RADIUS else "Р-4"
        if d < 800:
            return "Г-1"
        river = self.river_distance(p)
        if river < 220:
            return "Р-3" if r < 0.6 else "Р-2"
        if river < 420:
            return "Р-2" if r < 0.5 else "Ж-2"
        if math.hypot(x - self.station[0], y - self.station[1]) < 650:
            return "ТР-2"
        plant = self.local(*TREATMENT_PLANT)
        if math.hypot(x - plant[0], y - plant[1]) < 450:
            return "ІН-1"
        if x > 1900 and -400 < y < 1600:
            return "В-2" if r < 0.45 else ("В-3" if r < 0.85 else "КС-1")
        if d < 1700:
            return "Ж-3" if r < 0.4 else ("Ж-4" if r < 0.8 else "Г-2")
        if d < 2700:
            return "Ж-3" if r < 0.3 else ("Ж-4" if r < 0.45 else ("Г-3" if r < 0.55 else "Ж-2"))
        return (
            "Ж-1"
            if r < 0.55
            else "Ж-2"
            if r < 0.82
            else "Р-1"
            if r < 0.9
            else "КС-1"
            if r < 0.95
            else "С-1"
            if r < 0.97
            else "Г-2"
        )

    def zone_of(self, p: Point) -> tuple[int, int]:
        u, v = self.grid(p)
        return (round(u / ZONE_CELL), round(v / ZONE_CELL))

    def cell_pieces(self, a0: int, a1: int, b: int) -> list[Ring]:
        """The hromada clipped by the grid cells a0..a1 of row b (one rectangle)."""
        h = ZONE_CELL / 2
        return clip(
            self.hromada, self.grid_cell(a0 * ZONE_CELL - h, a1 * ZONE_CELL + h, b * ZONE_CELL - h, b * ZONE_CELL + h)
        )

    def with_cell_corners(self, ring: Ring, b: int) -> Ring:
        """The ring with a vertex at every cell corner along the two lines of row b.

        A zone of several cells meets the zones of the next row at their own
        cell corners; with the same vertices on both sides the shared edge
        rounds to the same millimetres, and no sliver opens between them.
        """
        h = ZONE_CELL / 2
        lines = (b * ZONE_CELL - h, b * ZONE_CELL + h)
        out: Ring = []
        for k, p in enumerate(ring):
            out.append(p)
            q = ring[(k + 1) % len(ring)]
            (up, vp), (uq, vq) = self.grid(p), self.grid(q)
            line = next((v for v in lines if abs(vp - v) < 1e-6 and abs(vq - v) < 1e-6), None)
            if line is None:
                continue
            lo, hi = sorted((up, uq))
            corners = [c * ZONE_CELL + h for c in range(math.floor(lo / ZONE_CELL) - 1, math.ceil(hi / ZONE_CELL) + 1)]
            inner = [u for u in corners if lo + 1e-6 < u < hi - 1e-6]
            out.extend(self.local(u, line) for u in (inner if up < uq else reversed(inner)))
        return out

    # -- blocks
    def _make_blocks(self) -> list[Block]:
        cfg = self.cfg
        half_u, half_v = self.pu / 2, self.pv / 2
        reach = 6000
        blocks = []
        for i in range(-int(reach / self.pu), int(reach / self.pu) + 1):
            for j in range(-int(reach / self.pv), int(reach / self.pv) + 1):
                uc, vc = i * self.pu, j * self.pv
                centre = self.local(uc, vc)
                if math.hypot(*centre) > reach:
                    continue
                # Up to the street centrelines: the streets around the block are inside too.
                outer = self.rect(uc - half_u, uc + half_u, vc - half_v, vc + half_v)
                if not all(self.inside(p) for p in outer):
                    continue
                u0, u1 = uc - half_u + STREET_WIDTH / 2, uc + half_u - STREET_WIDTH / 2
                v0, v1 = vc - half_v + STREET_WIDTH / 2, vc + half_v - STREET_WIDTH / 2
                corners = self.rect(u0, u1, v0, v1)
                if cfg.cover_radius is not None and any(math.hypot(*p) > cfg.cover_radius for p in corners):
                    continue
                if self._near_river(corners):
                    continue
                zone = self.zone_cells[self.zone_of(centre)]
                blocks.append(Block(i, j, u0, u1, v0, v1, centre, zone, self.district_of(centre)))
        # Cadastral zones: 2 km squares of the local frame; quarters numbered within each.
        per_zone: dict[int, int] = {}
        for blk in blocks:
            zx = min(max(math.floor(blk.centre[0] / 2000) + 3, 0), 5)
            zy = min(max(math.floor(blk.centre[1] / 2000) + 3, 0), 5)
            blk.cadastral_zone = zx * 6 + zy + 1
            per_zone[blk.cadastral_zone] = per_zone.get(blk.cadastral_zone, 0) + 1
            blk.quarter = per_zone[blk.cadastral_zone]
        return blocks

    def _near_river(self, corners: Ring) -> bool:
        xs = [p[0] for p in corners]
        segs = self._river_segments(min(xs) - 100, max(xs) + 100)
        if not segs:
            return False
        sub = [segs[0][0], *(b for _a, b in segs)]
        limit = RIVER_STRIP + 5
        if min(segment_distance(corners[0], a, b) for a, b in segs) > limit + 400:
            return False
        return any(polyline_distance(corners[k - 1], corners[k], sub) <= limit for k in range(4))

    # -- streets
    def _make_streets(self, rng: random.Random) -> None:
        at = {(b.i, b.j): b for b in self.blocks}
        self.blocks_at = at
        council = at.get((0, 0))
        square = at.get((0, 1)) or at.get((-1, 0)) or at.get((0, -1))
        if council is not None:
            council.kind = "council"
        if square is not None:
            square.kind = "square"
        # U-line i runs along v between block columns i-1 and i; V-line j along u between rows j-1 and j.
        lines: dict[tuple[str, int], set[int]] = defaultdict(set)
        for i, j in at:
            lines[("U", i)].add(j)
            lines[("U", i + 1)].add(j)
            lines[("V", j)].add(i)
            lines[("V", j + 1)].add(i)

        arterials = []  # (distance from the centre, kind, index, runs)
        minor = []  # (distance, kind, index, run)
        for (kind, idx), positions in lines.items():
            runs = _contiguous(sorted(positions))
            pitch = self.pu if kind == "U" else self.pv
            if idx % 3 == 0:
                arterials.append((abs(idx - 0.5) * pitch, kind, idx, runs))
                continue
            for run in runs:
                for part in _split_run(run, rng):
                    mid = self._line_point(kind, idx, (part[0] + part[-1]) / 2)
                    minor.append((math.hypot(*mid), kind, idx, part))
        arterials.sort(key=lambda a: (a[0], a[1], a[2]))
        minor.sort(key=lambda m: (m[0], m[1], m[2], m[3][0]))

        generated: list[tuple[float, int, Street]] = []  # streets without a real name, numbered later
        for n, (dist, kind, idx, runs) in enumerate(arterials):
            street = Street(
                "",
                names.MAIN_STREETS[n] if n < len(names.MAIN_STREETS) else None,
                [self._segment(kind, idx, run) for run in runs],
                arterial=True,
            )
            street.cells = [(kind, idx, p) for run in runs for p in run]
            if street.name is None:
                generated.append((dist, 0, street))
            self.streets.append(street)
        central = list(names.CENTRAL_STREETS)
        for dist, kind, idx, run in minor:
            street = Street("", None, [self._segment(kind, idx, run)])
            street.cells = [(kind, idx, p) for p in run]
            if central and dist < 1500 and len(run) >= 2:
                street.name = central.pop(0)
            else:
                generated.append((dist, 1 if len(run) <= 2 else 0, street))
            self.streets.append(street)
        numbers = [0, 0]
        for _dist, lane, street in sorted(generated, key=lambda g: g[0]):
            numbers[lane] += 1
            street.name = (names.generated_lane if lane else names.generated_street)(numbers[lane])
        for blk, name in ((council, names.KOROLOVA_SQUARE), (square, names.SOBORNYI_SQUARE)):
            if blk is not None:
                ring = self.rect(
                    blk.u0 - STREET_WIDTH / 2,
                    blk.u1 + STREET_WIDTH / 2,
                    blk.v0 - STREET_WIDTH / 2,
                    blk.v1 + STREET_WIDTH / 2,
                )
                self.streets.append(Street("", name, [[*ring, ring[0]]]))
        for street in self.streets:
            street.key = f"{street.name.street_type}:{street.name.name_uk}"
            for kind, idx, p in street.cells:
                if kind == "U":
                    self.u_line_street[(idx, p)] = street
                else:
                    self.v_line_street[(idx, p)] = street

    def _line_point(self, kind: str, idx: int, pos: float) -> Point:
        """The point of grid line (kind, idx) at block position pos (the middle of block pos)."""
        if kind == "U":
            return self.local((idx - 0.5) * self.pu, pos * self.pv)
        return self.local(pos * self.pu, (idx - 0.5) * self.pv)

    def _segment(self, kind: str, idx: int, run: list[int]) -> list[Point]:
        if kind == "U":
            u = (idx - 0.5) * self.pu
            return [self.local(u, (run[0] - 0.5) * self.pv), self.local(u, (run[-1] + 0.5) * self.pv)]
        v = (idx - 0.5) * self.pv
        return [self.local((run[0] - 0.5) * self.pu, v), self.local((run[-1] + 0.5) * self.pu, v)]


def _contiguous(values: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for v in values:
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs


def _split_run(run: list[int], rng: random.Random) -> list[list[int]]:
    """Cut a stretch of a minor grid line into streets of 3 to 6 blocks."""
    parts = []
    k = 0
    while k < len(run):
        n = rng.randint(3, 6)
        if len(run) - (k + n) < 3:
            n = len(run) - k  # a short rest joins this street
        parts.append(run[k : k + n])
        k += n
    return parts


# ------------------------------------------------------------ the registers
# Roles of the council bodies and enterprises, in the order of names.MUNICIPAL_BODIES / STATE_BODIES.
MUNICIPAL_ROLES = (
    "council",
    "education",
    "health",
    "culture",
    "capital",
    "housing",
    "social",
    "sport",
    "vodokanal",
    "heating",
    "transport",
    "green",
    "housing_enterprise",
    "bti",
    "roads",
)
STATE_ROLES = ("geocadastre", "oblast")
# Who keeps a municipal building when the institution itself is not a legal entity.
INSTITUTION_PARENT = {
    "school": "education",
    "kindergarten": "education",
    "hospital": "health",
    "polyclinic": "health",
    "administrative": "council",
    "culture": "culture",
    "sport": "sport",
    "social": "social",
}
# Share of the energy register's buildings per use.
BUILDING_USE_SHARE = {
    "school": 0.15,
    "kindergarten": 0.275,
    "hospital": 0.05,
    "polyclinic": 0.075,
    "administrative": 0.15,
    "culture": 0.125,
    "sport": 0.0875,
    "social": 0.0875,
}
BUILDING_USE_LAND = {
    "school": "03.02",
    "kindergarten": "03.02",
    "hospital": "03.03",
    "polyclinic": "03.03",
    "administrative": "03.01",
    "culture": "03.05",
    "sport": "07.02",
    "social": "03.03",
}
BUILDING_USE_PROPERTY = {
    "school": "education",
    "kindergarten": "education",
    "hospital": "health",
    "polyclinic": "health",
    "administrative": "administrative",
    "culture": "culture",
    "sport": "sport",
    "social": "health",
}


def _money(x: float) -> float:
    return round(x, 2)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _fmt_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


class _Generator:
    def __init__(self, size: str, seed: int):
        self.cfg = SIZES[size]
        self.seed = seed
        self.city = City(self.cfg, seed)
        self.frame = self.city.frame
        self.ds = Dataset(size, seed)
        self.taken_edrpou: set[str] = {COUNCIL_EDRPOU}
        self.org: dict[str, dict] = {}  # role -> organisation row
        self.institution_org: dict[tuple[str, int], dict] = {}
        self.contractors: list[dict] = []
        self.advertisers: list[dict] = []
        self.tenants: list[tuple[str, str]] = []  # (ЄДРПОУ, name) of companies outside the register
        self.permit_seq: dict[int, int] = defaultdict(int)
        self.tender_seq = 100000
        self.payment_seq = 0

    def rows(self, table: str) -> list[dict]:
        return self.ds[table].rows

    def run(self) -> Dataset:
        self.make_organisations(random.Random(self.seed + 10))
        self.make_boundary_and_districts()
        self.make_streets()
        self.make_planning()
        self.make_parcels(random.Random(self.seed + 20))
        self.make_sites(random.Random(self.seed + 30))
        self.make_advertising(random.Random(self.seed + 40))
        self.make_energy(random.Random(self.seed + 50))
        self.make_budget(random.Random(self.seed + 60))
        self.assign_states()
        return self.ds

    # -- people and companies
    @staticmethod
    def person(rng: random.Random) -> tuple[str, bool]:
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST if female else names.MALE_FIRST)
        patronymic = rng.choice(names.PATRONYMICS)[1 if female else 0]
        return f"{rng.choice(names.SURNAMES)} {first} {patronymic}", female

    def phone(self, rng: random.Random) -> str:
        return f"+380 412 {rng.randint(40, 55)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"

    def _org(
        self,
        rng: random.Random,
        edrpou: str | None,
        name_uk: str,
        short: str | None,
        name_en: str,
        org_type: str,
        email: str,
    ) -> dict:
        row = {
            "_key": "",
            "edrpou": edrpou or make_edrpou(rng, self.taken_edrpou, 2000000, 4499999),
            "name_uk": name_uk,
            "name_en": name_en,
            "short_name_uk": short,
            "org_type": org_type,
            "address_text": None,
            "email": email,
            "phone": self.phone(rng),
            "head_name": self.person(rng)[0],
        }
        row["_key"] = row["edrpou"]
        self.rows("ref.organisation").append(row)
        return row

    def make_organisations(self, rng: random.Random) -> None:
        cfg = self.cfg
        for role, (name_uk, short, name_en, org_type) in zip(MUNICIPAL_ROLES, names.MUNICIPAL_BODIES, strict=True):
            slug = role.replace("_", "-")
            self.org[role] = self._org(
                rng,
                COUNCIL_EDRPOU if role == "council" else None,
                name_uk,
                short,
                name_en,
                org_type,
                f"{slug}@rada.zhytomyr.example",
            )
        for role, (name_uk, short, name_en, org_type) in zip(STATE_ROLES, names.STATE_BODIES, strict=True):
            self.org[role] = self._org(rng, None, name_uk, short, name_en, org_type, f"{role}@gov.zhytomyr.example")
        for use, (nominative, _genitive, english) in names.INSTITUTION_PATTERNS.items():
            # Administrative buildings belong to the council itself.
            for n in range(1, min(self.building_counts()[use], OWN_CODE_INSTITUTIONS.get(use, 0)) + 1):
                self.institution_org[(use, n)] = self._org(
                    rng,
                    None,
                    nominative.format(n=n),
                    names.INSTITUTION_SHORT[use].format(n=n),
                    english.format(n=n),
                    names.INSTITUTION_ORG_TYPE[use],
                    names.INSTITUTION_EMAIL[use].format(n=n),
                )
        combos = [(r, t) for r in names.COMPANY_ROOTS for t in names.CONTRACTOR_TRADES]
        rng.shuffle(combos)
        for root, trade in combos[: max(8, cfg.budget_projects // 20)]:
            self.contractors.append(self._company(rng, f"{root}-{trade}", register=True))
        combos = [(r, t) for r in names.COMPANY_ROOTS for t in names.ADVERTISER_TRADES]
        rng.shuffle(combos)
        for root, trade in combos[: max(5, cfg.ad_structures // 215)]:
            self.advertisers.append(self._company(rng, f"{root} {trade}", register=True))
        combos = [(r, t) for r in names.COMPANY_ROOTS for t in names.TENANT_TRADES]
        rng.shuffle(combos)
        for root, trade in combos[:150]:
            row = self._company(rng, f"{root}-{trade}", register=False)
            self.tenants.append((row["edrpou"], row["name_uk"]))
        # Addresses of the organisations: the council at its seat, the rest on the main streets.
        for row in self.rows("ref.organisation"):
            if row["edrpou"] == COUNCIL_EDRPOU:
                row["address_text"] = (
                    f"{names.KOROLOVA_SQUARE.short_uk}, {names.COUNCIL_HOUSE_NUMBER}, м. Житомир, 10014"
                )
            else:
                street = rng.choice(names.MAIN_STREETS[:12])
                row["address_text"] = (
                    f"{street.short_uk}, {rng.randint(1, 120)}, м. Житомир, {rng.randint(10001, 10031)}"
                )

    def _company(self, rng: random.Random, brand: str, register: bool) -> dict:
        name_uk = f"ТОВ «{brand}»"
        name_en = f'LLC "{names.transliterate(brand)}"'
        slug = names.transliterate(brand).lower().replace(" ", "-")
        if not register:
            return {"edrpou": make_edrpou(rng, self.taken_edrpou, 3000000, 4599999), "name_uk": name_uk}
        return self._org(
            rng,
            make_edrpou(rng, self.taken_edrpou, 3000000, 4599999),
            name_uk,
            name_uk,
            name_en,
            "company",
            f"office@{slug}.example",
        )

    def building_counts(self) -> dict[str, int]:
        total = self.cfg.energy_buildings
        counts = {use: max(1, round(total * share)) for use, share in BUILDING_USE_SHARE.items()}
        counts["kindergarten"] += total - sum(counts.values())
        return counts

    # -- reference data
    def make_boundary_and_districts(self) -> None:
        city = self.city
        self.rows("ref.city_boundary").append(
            {
                "_key": "hromada",
                "name_uk": f"{names.HROMADA_UK} (згенерована межа)",
                "name_en": f"{names.HROMADA_EN} (generated boundary)",
                "katottg": names.HROMADA_KATOTTG,
                "decision": f"Демонстраційні дані: межа громади (м. Житомир і с. {names.VILLAGE_UK}) згенерована,"
                " не є офіційною",
                "geom": self.frame.multipolygon([city.hromada]),
            }
        )
        nx, ny = city.district_normal
        for key, district, hp in (
            ("bohunskyi", names.DISTRICTS[0], (nx, ny, 0.0)),
            ("korolovskyi", names.DISTRICTS[1], (-nx, -ny, 0.0)),
        ):
            self.rows("ref.district").append(
                {
                    "_key": key,
                    "name_uk": district.name_uk,
                    "name_en": district.name_en,
                    "katottg": district.katottg,
                    "geom": self.frame.multipolygon(clip(city.boundary, [hp])),
                }
            )

    def make_streets(self) -> None:
        for street in self.city.streets:
            self.rows("ref.street").append(
                {
                    "_key": street.key,
                    "name_uk": street.name.name_uk,
                    "name_en": _street_en(street.name),
                    "street_type": street.name.street_type,
                    "former_name": None,
                    "geom": self.frame.multilinestring(street.lines),
                }
            )

    # -- planning
    def make_planning(self) -> None:
        city = self.city
        per_code: dict[str, int] = defaultdict(int)
        rng = random.Random(self.seed + 5)
        a_range, b_range = city.zone_cell_ranges()
        for b in b_range:
            for a in a_range:
                code = city.zone_cells[(a, b)]
                pieces = city.cell_pieces(a, a, b)
                if not pieces:
                    continue
                per_code[code] += 1
                rule = ZONE_RULES[code]
                centre = city.local(a * ZONE_CELL, b * ZONE_CELL)
                restrictions = []
                if math.hypot(*centre) < HISTORIC_RADIUS + ZONE_CELL / 2:
                    restrictions.append(
                        "історичний ареал: будівництво погоджується з органом охорони культурної спадщини"
                    )
                if city.river_distance(centre) < ZONE_CELL / 2 + RIVER_STRIP:
                    restrictions.append("прибережна захисна смуга р. Тетерів (50 м)")
                decision, decided = ZONING_AMENDMENT if rng.random() < 0.15 else ZONING_DECISION
                self.rows("planning.zoning_zone").append(
                    {
                        "_key": f"{code}/{per_code[code]}",
                        "zone_code": code,
                        "zone_index": f"{code}/{per_code[code]}",
                        "permitted_uses": rule.permitted_uses,
                        "conditional_uses": rule.conditional_uses,
                        "restrictions": "; ".join(restrictions) or None,
                        "max_height_m": rule.max_height_m,
                        "max_coverage_pct": rule.max_coverage_pct,
                        "advertising_allowed": _advertising_allowed(code),
                        "council_decision": decision,
                        "decision_date": decided,
                        "geom": self.frame.multipolygon(pieces),
                    }
                )
        # Functional zones: the same grid, neighbouring cells of a row with the same type merged.
        per_type: dict[str, int] = defaultdict(int)
        for b in b_range:
            a = a_range.start
            while a < a_range.stop:
                ftype = ZONE_RULES[city.zone_cells[(a, b)]].functional_zone
                end = a
                while end + 1 < a_range.stop and ZONE_RULES[city.zone_cells[(end + 1, b)]].functional_zone == ftype:
                    end += 1
                pieces = [city.with_cell_corners(p, b) for p in city.cell_pieces(a, end, b)]
                if pieces:
                    per_type[ftype] += 1
                    name = f"{FUNCTIONAL_LABELS[ftype]}, ділянка {per_type[ftype]}"
                    self.rows("planning.functional_zone").append(
                        {
                            "_key": name,
                            "zone_type": ftype,
                            "name_uk": name,
                            "area_ha": round(sum(ring_area(p) for p in pieces) / 10000, 4),
                            "plan_decision": "Генеральний план м. Житомира, затверджений рішенням міської ради",
                            "geom": self.frame.multipolygon(pieces),
                        }
                    )
                a = end + 1
        # Restriction zones: the riparian strip, the historic area, a sanitary zone.
        circle = [
            (HISTORIC_RADIUS * math.cos(2 * math.pi * k / 72), HISTORIC_RADIUS * math.sin(2 * math.pi * k / 72))
            for k in range(72)
        ]
        plant = city.local(*TREATMENT_PLANT)
        sanitary = [
            (plant[0] + 300 * math.cos(2 * math.pi * k / 48), plant[1] + 300 * math.sin(2 * math.pi * k / 48))
            for k in range(48)
        ]
        zones = [
            (
                "05.02",
                f"Прибережна захисна смуга р. {names.RIVER_UK}",
                "Водний кодекс України, ст. 88 (ширина 50 м для малих річок)",
                False,
                city.river_strip(),
            ),
            (
                "01.02",
                "Історичний ареал м. Житомира",
                "Постанова КМУ від 26.07.2001 № 878 (Список історичних населених місць України)",
                True,
                circle,
            ),
        ]
        if all(city.inside(p) for p in sanitary):
            zones.append(
                (
                    "03.01",
                    "Санітарно-захисна зона очисних споруд КП «Житомирводоканал»",
                    "ДСП 173-96, додаток 4",
                    False,
                    sanitary,
                )
            )
        # The red lines of the longest named artery: the street's right of way, 30 m wide.
        artery = max(
            (s for s in city.streets if s.arterial and s.lines),
            key=lambda s: (max(math.dist(line[0], line[-1]) for line in s.lines), s.key),
            default=None,
        )
        if artery is not None:
            line = max(artery.lines, key=lambda ln: math.dist(ln[0], ln[-1]))
            (ax, ay), (bx, by) = line[0], line[-1]
            length = math.dist((ax, ay), (bx, by))
            ex, ey = (bx - ax) / length * 30, (by - ay) / length * 30  # short of the ends, inside the city
            ax, ay, bx, by = ax + ex, ay + ey, bx - ex, by - ey
            nx, ny = -ey / 2, ex / 2  # 15 m to either side
            zones.append(
                (
                    "06.01.1",
                    f"Червоні лінії: {artery.name.full_uk}",
                    "Детальний план території (червоні лінії вулиць), ДБН Б.2.2-12:2019",
                    False,
                    [(ax + nx, ay + ny), (ax - nx, ay - ny), (bx - nx, by - ny), (bx + nx, by + ny)],
                )
            )
        for kind, name, basis, forbidden, ring in zones:
            self.rows("planning.restriction_zone").append(
                {
                    "_key": name,
                    "kind": kind,
                    "name_uk": name,
                    "legal_basis": basis,
                    "advertising_forbidden": forbidden,
                    "geom": self.frame.multipolygon([ring]),
                }
            )

    # -- land parcels, addresses, buildings
    def _choose_special_blocks(self, rng: random.Random) -> None:
        cfg = self.cfg
        regular = [b for b in self.city.blocks if b.kind == "regular"]
        order = sorted(regular, key=lambda _b: rng.random())
        n_inst = math.ceil(cfg.energy_buildings / 4)
        for blk in [b for b in order if b.zone_code[0] in "ЖГ"][:n_inst]:
            blk.kind = "institution"
        self.site_kinds: dict[tuple[int, int], str] = {}
        wanted = [("brownfield", round(cfg.sites * 0.4)), ("greenfield", round(cfg.sites * 0.4))]
        wanted.append(("building", cfg.sites - sum(n for _k, n in wanted)))
        fits = {
            "brownfield": lambda b: b.zone_code in ("В-2", "В-3", "КС-1"),
            "greenfield": lambda b: b.zone_code in ("Ж-1", "Ж-2", "КС-1") and math.hypot(*b.centre) > 2500,
            "building": lambda b: b.zone_code in ("Г-1", "Г-2", "Ж-3"),
        }
        missing = 0
        for kind, n in wanted:
            chosen = [b for b in order if b.kind == "regular" and fits[kind](b)][:n]
            for blk in chosen:
                blk.kind = "site"
                self.site_kinds[(blk.i, blk.j)] = kind
            missing += n - len(chosen)
        for blk in [b for b in order if b.kind == "regular"][:missing]:
            blk.kind = "site"
            self.site_kinds[(blk.i, blk.j)] = "building" if blk.zone_code[0] in "ГЖ" else "greenfield"

    def _split_block(self, blk: Block, rng: random.Random) -> list[Parcel]:
        if blk.kind in ("site", "council", "square"):
            return [Parcel(blk, 0, 1, blk.u0, blk.u1, blk.v0, blk.v1)]
        if blk.kind == "institution":
            k = 2
        else:
            group = blk.zone_code if blk.zone_code in self.cfg.parcels_per_row else blk.zone_code.split("-")[0]
            k = self.cfg.parcels_per_row.get(group, self.cfg.parcels_per_row["other"])
            if k >= 4:
                k += rng.randint(-1, 1)
        um = (blk.u0 + blk.u1) / 2
        parcels = []
        step = (blk.v1 - blk.v0) / k
        jitter = (0.2 if step >= 8 else 0.05) * step  # narrow plots vary less, so that a house still fits
        cuts = [
            [blk.v0] + [blk.v0 + step * m + rng.uniform(-jitter, jitter) for m in range(1, k)] + [blk.v1]
            for _row in range(2)
        ]
        for row, (a, b) in enumerate(((blk.u0, um), (um, blk.u1))):
            for m in range(k):
                v0, v1 = cuts[row][m], cuts[row][m + 1]
                joints = [v for v in cuts[1 - row][1:-1] if v0 < v < v1]
                parcels.append(Parcel(blk, row, row * k + m + 1, a, b, v0, v1, joints))
        return parcels

    def _parcel_ring(self, p: Parcel) -> Ring:
        local = self.city.local
        if p.row == 0:  # the middle edge is u = u1, walked from v0 to v1
            return [
                local(p.u0, p.v0),
                local(p.u1, p.v0),
                *(local(p.u1, v) for v in p.joints),
                local(p.u1, p.v1),
                local(p.u0, p.v1),
            ]
        # the middle edge is u = u0, walked from v1 back to v0
        return [
            local(p.u0, p.v0),
            local(p.u1, p.v0),
            local(p.u1, p.v1),
            local(p.u0, p.v1),
            *(local(p.u0, v) for v in reversed(p.joints)),
        ]

    def _address_point(self, p: Parcel) -> Point:
        vm = (p.v0 + p.v1) / 2
        return self.city.local(p.u1 - 2, vm) if p.row == 1 else self.city.local(p.u0 + 2, vm)

    def _facing_street(self, p: Parcel) -> Street:
        blk = p.block
        if blk.kind in ("council", "square"):
            name = names.KOROLOVA_SQUARE if blk.kind == "council" else names.SOBORNYI_SQUARE
            return next(s for s in self.city.streets if s.name == name)
        return self.city.u_line_street[(blk.i + p.row, blk.j)]

    def _make_addresses(self, parcels: list[Parcel], rng: random.Random) -> None:
        by_street: dict[str, list[Parcel]] = defaultdict(list)
        streets: dict[str, Street] = {}
        for p in parcels:
            street = self._facing_street(p)
            streets[street.key] = street
            by_street[street.key].append(p)
        for key, facing in by_street.items():
            street = streets[key]
            last = {0: 0, 1: 0}  # last number on the odd (row 0) and even (row 1) side
            lettered = {0: False, 1: False}
            for p in sorted(facing, key=lambda q: ((q.v0 + q.v1) / 2, q.row)):
                if p.block.kind == "council":
                    number = names.COUNCIL_HOUSE_NUMBER
                elif p.block.kind == "square":
                    number = "1"
                elif last[p.row] and not lettered[p.row] and rng.random() < 0.02:
                    # a plot split later keeps its neighbour's number with a letter, written both ways
                    number = f"{last[p.row]}-а" if last[p.row] % 4 == 0 else f"{last[p.row]}А"
                    lettered[p.row] = True
                else:
                    last[p.row] = last[p.row] + 2 if last[p.row] else (1 if p.row == 0 else 2)
                    lettered[p.row] = False
                    number = str(last[p.row])
                point = self._address_point(p)
                p.address_key = f"{key}:{number}"
                p.address_text = f"{street.name.short_uk}, {number}"
                p.address_en = f"{_street_en(street.name)}, {names.transliterate(number)}"
                self.rows("ref.address").append(
                    {
                        "_key": p.address_key,
                        "_street_key": key,
                        "_district_key": self.city.district_of(point),
                        "street_id": None,
                        "house_number": number,
                        "postcode": _postcode(point),
                        "district_id": None,
                        "geom": self.frame.point(point),
                    }
                )

    def registration_number(self, share: float) -> str | None:
        """A made-up registration number of the State Register of Real Rights (РНОНМ) for the given
        share of objects (the others were never registered there); drawn from a stream of its own."""
        if self.registry_rng.random() >= share:
            return None
        while True:
            number = str(self.registry_rng.randint(10**11, 10**13 - 1))
            if number not in self.registry_numbers:
                self.registry_numbers.add(number)
                return number

    def make_parcels(self, rng: random.Random) -> None:
        self.registry_rng = random.Random(self.seed + 21)
        self.registry_numbers: set[str] = set()
        self._choose_special_blocks(rng)
        parcels: list[Parcel] = []
        for blk in self.city.blocks:
            parcels.extend(self._split_block(blk, rng))
        self._make_addresses(parcels, rng)
        self.parcels = parcels
        self.institution_parcels: list[tuple[Parcel, dict, Ring]] = []
        self.apartment_objects: list[tuple[str, str, Point]] = []  # address, English address, centroid
        self.green_parcels: list[Parcel] = []
        self.site_parcels: list[Parcel] = []
        uses = [(use, n) for use, count in self.building_counts().items() for n in range(1, count + 1)]
        rng.shuffle(uses)
        self.inventory: dict[str, int] = defaultdict(int)
        for p in parcels:
            blk = p.block
            koatuu = KOATUU_OF_DISTRICT[blk.district]
            p.cadastral_number = f"{koatuu}:{blk.cadastral_zone:02d}:{blk.quarter:03d}:{p.index:04d}"
            building_use = uses.pop() if blk.kind == "institution" and uses else None
            row = self._parcel_row(p, building_use, rng)
            self.rows("property.land_parcel").append(row)
            if blk.kind == "site":
                self.site_parcels.append(p)
            if p.land_use == "07.08":
                self.green_parcels.append(p)
            obj = self._object_row(p, row, building_use, rng)
            if obj is not None:
                p.object_row = obj
                self.rows("property.property_object").append(obj)

    def _parcel_row(self, p: Parcel, building_use: tuple[str, int] | None, rng: random.Random) -> dict:
        blk = p.block
        if building_use:
            land_use = BUILDING_USE_LAND[building_use[0]]
        elif blk.kind == "council":
            land_use = "03.01"
        elif blk.kind == "square":
            land_use = "12.13"  # a square: public land used as streets and squares
        elif blk.kind == "site":
            land_use = {
                "brownfield": "11.02",
                "greenfield": "03.15" if blk.zone_code[0] == "Г" else "02.07",
                "building": "03.15",
            }[self.site_kinds[(blk.i, blk.j)]]
            if self.site_kinds[(blk.i, blk.j)] == "greenfield" and blk.zone_code in ("КС-1", "ІН-1"):
                land_use = "11.04"
        else:
            land_use = _weighted(rng, LAND_USE_BY_ZONE[blk.zone_code])
        p.land_use = land_use
        public = land_use in PUBLIC_LAND_USES or blk.kind in ("institution", "council", "square", "site")
        r = rng.random()
        if blk.kind == "site":
            ownership = "state" if r < 0.15 else "communal"
        elif public:
            ownership = "state" if r < 0.12 and blk.kind == "regular" else "communal"
        else:
            ownership = "private" if r < 0.85 else ("communal" if r < 0.96 else "state")
        p.ownership = ownership
        user: tuple[str | None, str | None] = (None, None)
        person: tuple[str | None, str | None] = (None, None)
        lease_until = decision = None
        holder_row = None
        if ownership == "private":
            lease_status = "private"
            if land_use not in RESIDENTIAL_LAND_USES:
                user = rng.choice(self.tenants)
        elif ownership == "state":
            lease_status = "permanent_use"
            holder_row = self.org["geocadastre"]
            user = (self.org["oblast"]["edrpou"], self.org["oblast"]["name_uk"])
        else:
            if building_use:
                holder_row = self.institution_org.get(building_use) or self.org[INSTITUTION_PARENT[building_use[0]]]
            elif blk.kind == "council":
                holder_row = self.org["council"]
            else:
                holder_row = self.org[_weighted(rng, LAND_HOLDERS.get(land_use, (("council", 1),)))]
            if building_use or blk.kind == "council":
                lease_status = "permanent_use"
            elif blk.kind == "site":
                lease_status = "free"
            elif land_use in OPEN_LAND_USES:
                lease_status = "own_use"
            else:
                lease_status = _weighted(
                    rng, (("own_use", 30), ("permanent_use", 20), ("leased", 35), ("free", 10), ("privatisation", 5))
                )
            if lease_status == "permanent_use":
                user = (holder_row["edrpou"], holder_row["name_uk"])
            elif lease_status == "leased":
                if rng.random() < 0.8:
                    user = rng.choice(self.tenants)
                else:
                    name, female = self.person(rng)
                    person = (name, make_rnokpp(rng, female))
                lease_until = date(rng.randint(2026, 2045), rng.randint(1, 12), rng.randint(1, 28))
                decision = _council_decision(rng, 2010, 2025)
        p.holder = holder_row["edrpou"] if holder_row else None
        return {
            "_key": p.cadastral_number,
            "_district_key": blk.district,
            "cadastral_number": p.cadastral_number,
            "area_ha": round((p.u1 - p.u0) * (p.v1 - p.v0) / 10000, 4),
            "land_use_code": land_use,
            "ownership": ownership,
            "lease_status": lease_status,
            "balance_holder_edrpou": p.holder,
            "user_edrpou": user[0],
            "user_name": user[1],
            "user_person_name": person[0],
            "user_person_rnokpp": person[1],
            "lease_until": lease_until,
            "lease_decision": decision,
            "address_text": p.address_text,
            "district_id": None,
            "note": None,
            "land_category": LAND_CATEGORY_OF_SECTION.get(land_use[:2]),
            "rnonm": self.registration_number(0.6 if ownership == "private" else 0.75),
            "geom": self.frame.multipolygon([self._parcel_ring(p)]),
        }

    def _footprint(self, p: Parcel, depth: float, width: float, setback: float) -> tuple[Ring, float, float] | None:
        """A building rectangle inside the parcel, set back from the street it faces."""
        row_depth, parcel_width = p.u1 - p.u0, p.v1 - p.v0
        depth = min(depth, row_depth - setback - 2)
        width = min(width, parcel_width - (2 if parcel_width >= 8 else 1))
        if depth < 3 or width < 3:
            return None
        vm = (p.v0 + p.v1) / 2
        if p.row == 1:
            u0, u1 = p.u1 - setback - depth, p.u1 - setback
        else:
            u0, u1 = p.u0 + setback, p.u0 + setback + depth
        return self.city.rect(u0, u1, vm - width / 2, vm + width / 2), width, depth

    def _object_row(
        self, p: Parcel, parcel_row: dict, building_use: tuple[str, int] | None, rng: random.Random
    ) -> dict | None:
        blk, land_use, w = p.block, p.land_use, p.v1 - p.v0
        name_uk = None
        object_type = "building"
        if building_use:
            use, n = building_use
            depth, width, floors_range = INSTITUTION_SIZES[use]
            shape = self._footprint(p, depth, width, rng.uniform(8, 15))
            floors = rng.randint(*floors_range)
            year = rng.randint(1955, 1995)
            use_code = BUILDING_USE_PROPERTY[use]
            name_uk = names.INSTITUTION_PATTERNS[use][0].format(n=n)
        elif blk.kind == "council":
            shape = self._footprint(p, 22, 90, 10)
            floors, year, use_code = 6, 1957, "administrative"
            name_uk = "Адміністративна будівля Житомирської міської ради"
        elif land_use in OPEN_LAND_USES or (blk.kind == "site" and self.site_kinds[(blk.i, blk.j)] == "greenfield"):
            return None
        else:
            spec = OBJECT_SPECS.get(land_use, OBJECT_SPECS["other"])
            if rng.random() > spec.share and blk.kind != "site":
                return None
            depth = rng.uniform(*spec.depth)
            width = w * rng.uniform(*spec.width_share) if spec.width_share[1] <= 1 else rng.uniform(*spec.width_share)
            shape = self._footprint(p, depth, width, rng.uniform(*spec.setback))
            floors = (
                rng.randint(*FLOORS_BY_ZONE.get(blk.zone_code, spec.floors))
                if land_use == "02.03"
                else rng.randint(*spec.floors)
            )
            lo, hi = YEARS_BY_ZONE.get(blk.zone_code, (1950, 2020))
            year = rng.randint(lo, hi)
            use_code = spec.use_code
            name_uk = rng.choice(spec.names)
            if land_use in ("11.04", "12.04", "14.02") and rng.random() < 0.4:
                object_type = "structure"
            elif blk.zone_code == "Г-1" and land_use in ("03.07", "03.08") and rng.random() < 0.5:
                object_type = "premises"
                name_uk = "Нежитлове приміщення"
        if shape is None:
            return None
        ring, width, depth = shape
        area = width * depth * floors
        if object_type == "premises":
            area = width * depth * rng.uniform(0.15, 0.5)
        lessee: tuple[str | None, str | None] = (None, None)
        lessee_person = lease_until = rent = None
        if p.ownership == "private":
            holder, lease_status = self.org["bti"]["edrpou"], "private"
        elif p.ownership == "state":
            holder, lease_status = self.org["oblast"]["edrpou"], "own_use"
        else:
            holder = p.holder
            if building_use or blk.kind == "council":
                lease_status = "own_use"
            elif blk.kind == "site":
                lease_status = "privatisation" if rng.random() < 0.5 else "free"
            else:
                lease_status = _weighted(rng, (("own_use", 40), ("leased", 35), ("free", 15), ("privatisation", 10)))
            if lease_status == "leased":
                if rng.random() < 0.85:
                    lessee = rng.choice(self.tenants)
                else:
                    lessee_person = self.person(rng)[0]
                lease_until = date(rng.randint(2026, 2035), rng.randint(1, 12), rng.randint(1, 28))
                rent = _money(min(area, 2000) * rng.uniform(40, 160))
        self.inventory[holder] += 1
        seq = self.inventory[holder]
        inventory = f"Б-{seq:06d}" if lease_status == "private" else f"1013{seq:06d}"
        row = {
            "_key": f"{holder}/{inventory}",
            "_address_key": p.address_key,
            "balance_holder_edrpou": holder,
            "inventory_number": inventory,
            "object_type": object_type,
            "name_uk": name_uk,
            "use_code": use_code,
            "total_area_m2": _money(area),
            "floors": floors,
            "year_built": year,
            "lease_status": lease_status,
            "lessee_edrpou": lessee[0],
            "lessee_name": lessee[1],
            "lessee_person_name": lessee_person,
            "lease_until": lease_until,
            "monthly_rent_uah": rent,
            "address_id": None,
            "address_text": p.address_text,
            "parcel_cadastral_number": p.cadastral_number,
            "rnonm": self.registration_number(0.5),
            "geom": self.frame.multipolygon([ring]),
        }
        if building_use:
            self.institution_parcels.append((p, row, ring))
        elif land_use == "02.03" and object_type == "building":
            self.apartment_objects.append((p.address_text, p.address_en, _centroid(ring)))
        return row

    # -- workflow states
    def state(self, table: str, index: int) -> str:
        if table.startswith("ref."):
            return "verified"  # reference data the registers point to stays approved
        return workflow_state(index, TABLE_SALT[table])

    def assign_states(self) -> None:
        for table, data in self.ds.items():
            for index, row in enumerate(data.rows):
                row["_state"] = self.state(table, index)

    # -- investment sites
    def make_sites(self, rng: random.Random) -> None:
        for n, p in enumerate(self.site_parcels, start=1):
            blk = p.block
            kind = self.site_kinds[(blk.i, blk.j)]
            area_ha = round((p.u1 - p.u0) * (p.v1 - p.v0) / 10000, 4)
            building_area = p.object_row["total_area_m2"] if p.object_row else None
            if kind == "brownfield":
                name_uk, name_en = "Колишній виробничий майданчик", "Former industrial site"
                offer = _weighted(rng, (("sale", 4), ("lease", 3), ("industrial_park", 3)))
                power, price = rng.randint(200, 2000), area_ha * rng.uniform(0.8e6, 2.5e6)
            elif kind == "greenfield":
                if blk.zone_code.split("-")[0] in ("КС", "ІН", "В"):
                    name_uk, name_en = "Земельна ділянка для виробництва та складування", "Land plot for industry"
                else:
                    name_uk, name_en = "Земельна ділянка для житлової забудови", "Land plot for housing"
                offer = _weighted(rng, (("lease", 5), ("sale", 3), ("ppp", 2)))
                power, price = rng.randint(50, 500), area_ha * rng.uniform(1.2e6, 3.5e6)
            else:
                name_uk, name_en = "Нежитлова будівля", "Non-residential building"
                offer = _weighted(rng, (("sale", 6), ("lease", 4)))
                power, price = rng.randint(30, 150), (building_area or 500) * rng.uniform(8000, 18000)
            utilities = {"brownfield": 0.8, "greenfield": 0.35, "building": 0.95}[kind]
            terms_uk, terms_en = OFFER_TERMS[offer]
            self.rows("investment.site").append(
                {
                    "_key": f"ІНВ-{n:03d}",
                    "site_code": f"ІНВ-{n:03d}",
                    "name_uk": f"{name_uk}, {p.address_text}",
                    "name_en": f"{name_en}, {p.address_en}",
                    "site_type": kind,
                    "offer_type": offer,
                    "area_ha": area_ha,
                    "building_area_m2": building_area if kind != "greenfield" else None,
                    "zone_code": blk.zone_code,
                    "cadastral_number": p.cadastral_number,
                    "ownership": p.ownership,
                    "electricity_kw": float(power),
                    "has_water": rng.random() < utilities,
                    "has_sewage": rng.random() < utilities,
                    "has_gas": rng.random() < utilities,
                    "has_heating": kind == "building" and rng.random() < 0.8,
                    "road_access": True,
                    "rail_access": kind == "brownfield" and rng.random() < 0.3,
                    "price_uah": _money(round(price, -3)),
                    "terms_uk": terms_uk,
                    "terms_en": terms_en,
                    "contact_department": "Відділ інвестицій Житомирської міської ради",
                    "contact_email": "invest@zt-rada.gov.ua",
                    "contact_phone": "+380 412 48-12-00",
                    "geom": self.frame.multipolygon([self._parcel_ring(p)]),
                }
            )

    # -- outdoor advertising
    def make_advertising(self, rng: random.Random) -> None:
        self.contact_rng = random.Random(self.seed + 41)  # contacts and passports: a stream of their own
        city = self.city
        candidates: list[tuple[Point, float, Street, str]] = []  # point, weight, street, cross street
        slot = 0
        for street in [s for s in city.streets if s.arterial]:
            for kind, idx, pos in sorted(street.cells, key=lambda c: c[2]):
                pitch = city.pv if kind == "U" else city.pu
                t = 20.0
                while t < pitch - 15:
                    slot += 1
                    side = 1 if slot % 2 else -1
                    offset = side * rng.uniform(5, 10)
                    along = (pos - 0.5) * pitch + t
                    if kind == "U":
                        point = city.local((idx - 0.5) * city.pu + offset, along)
                        cross = city.v_line_street.get((pos + (1 if t > pitch / 2 else 0), idx))
                    else:
                        point = city.local(along, (idx - 0.5) * city.pv + offset)
                        cross = city.u_line_street.get((pos + (1 if t > pitch / 2 else 0), idx))
                    # Not where the zoning plan or the historic area forbids advertising
                    # (the verification rules refuse to approve it there).
                    forbidden = math.hypot(*point) < HISTORIC_RADIUS + 5 or not _advertising_allowed(
                        city.zone_cells.get(city.zone_of(point), "")
                    )
                    weight = 0.0 if forbidden else 1.0
                    candidates.append((point, weight, street, cross.name.short_uk if cross else ""))
                    t += 40.0
        share = min(1.0, self.cfg.ad_structures / max(1.0, sum(c[1] for c in candidates)))
        taken: dict[tuple[int, int], list[Point]] = defaultdict(list)
        n = 0
        for point, weight, street, cross in candidates:
            if rng.random() >= share * weight or not city.inside(point):
                continue
            cell = (int(point[0] // AD_SPACING), int(point[1] // AD_SPACING))
            near = [q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in taken[(cell[0] + dx, cell[1] + dy)]]
            if any(math.hypot(point[0] - q[0], point[1] - q[1]) <= AD_SPACING for q in near):
                continue
            taken[cell].append(point)
            n += 1
            self._structure(rng, n, point, street, cross)

    def _structure(self, rng: random.Random, n: int, point: Point, street: Street, cross: str) -> None:
        historic = math.hypot(*point) < HISTORIC_RADIUS
        if historic:
            stype = _weighted(rng, (("citylight", 6), ("pillar", 3), ("wall", 1)))
        else:
            stype = _weighted(
                rng,
                (
                    ("billboard", 45),
                    ("citylight", 25),
                    ("backlight", 10),
                    ("led_screen", 5),
                    ("pillar", 7),
                    ("wall", 5),
                    ("roof", 3),
                ),
            )
        width, height, faces = STRUCTURE_SIZES[stype]
        faces = faces if isinstance(faces, int) else rng.choice(faces)
        owner = rng.choice(self.advertisers)
        sole_trader = rng.random() < 0.1
        code = f"РК-{n:05d}"
        row = {
            "_key": code,
            "structure_code": code,
            "structure_type": stype,
            "width_m": width,
            "height_m": height,
            "faces": faces,
            "illuminated": stype in ("citylight", "backlight", "led_screen") or rng.random() < 0.35,
            "address_text": f"{street.name.short_uk}, біля перехрестя з {cross}" if cross else street.name.short_uk,
            "owner_edrpou": None if sole_trader else owner["edrpou"],
            "owner_name": None if sole_trader else owner["name_uk"],
            "geom": self.frame.point(point),
        }
        table = self.rows("advertising.structure")
        state = self.state("advertising.structure", len(table))
        table.append(row)
        if state == "verified":
            self._permits(rng, row, width * height * faces, historic, sole_trader)

    def _permits(self, rng: random.Random, structure: dict, area: float, central: bool, sole_trader: bool) -> None:
        """The permits of one structure: mostly one valid, some expired or annulled, some reissued chains."""
        today = REFERENCE_DATE
        latest_start = today - timedelta(days=10)
        earliest_valid = _add_years(today, -5) + timedelta(days=30)  # a valid permit issued later is still valid

        def recent() -> date:
            return earliest_valid + timedelta(days=rng.randint(0, (latest_start - earliest_valid).days))

        def day_in(y0: int, y1: int) -> date:
            return date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))

        r = rng.random()
        if r < 0.60:
            chain = [("valid", recent())]
        elif r < 0.70:
            chain = [("expired", day_in(2015, 2019))]
        elif r < 0.75:
            chain = [("annulled", day_in(2019, 2024))]
        elif r < 0.97:
            chain = [("reissued", day_in(2015, 2019))]
            if rng.random() < 0.3:
                chain.append(("reissued", chain[-1][1] + timedelta(days=rng.randint(200, 700))))
            chain.append(("valid", max(chain[-1][1] + timedelta(days=rng.randint(300, 1400)), recent())))
        else:
            return  # a structure without a permit: a case for the inspectors
        distributor = self._distributor(rng, structure, sole_trader)
        previous = None
        for k, (state, issued) in enumerate(chain):
            # Valid for at most five years.
            valid_to = _add_years(issued, 5 if state in ("valid", "reissued") else rng.randint(1, 5)) - timedelta(
                days=1
            )
            if state == "reissued":
                valid_to = max(min(valid_to, chain[k + 1][1] - timedelta(days=1)), issued)
            if k > 0 and rng.random() < 0.4:
                distributor = self._distributor(rng, structure, rng.random() < 0.1)
            self.permit_seq[issued.year] += 1
            number = f"РД-{issued.year}-{self.permit_seq[issued.year]:04d}"
            decided = issued - timedelta(days=rng.randint(0, 10))
            decision = f"Рішення виконавчого комітету від {_fmt_date(decided)} № {rng.randint(100, 1800)}"
            self.rows("advertising.permit").append(
                {
                    "_key": number,
                    "_structure_key": structure["_key"],
                    "structure_id": None,
                    "permit_number": number,
                    **distributor,
                    "decision_number": decision,
                    "issued_on": issued,
                    "valid_from": issued,
                    "valid_to": valid_to,
                    "permit_state": state,
                    "replaces_permit": previous,
                    "fee_uah_month": _money(area * (140 if central else 70) * rng.uniform(0.8, 1.2)),
                }
            )
            previous = number

    def _distributor(self, rng: random.Random, structure: dict, sole_trader: bool) -> dict:
        """The distributor of a permit and the contact of the marking on the structure (КМУ № 2067).

        A sole trader's contact is personal; a few sole traders refused the tax
        number and are identified by the passport (Податковий кодекс, п. 63.6).
        """
        contact = self.contact_rng
        if sole_trader:
            name, female = self.person(rng)
            rnokpp = make_rnokpp(rng, female)
            refused = contact.random() < 0.08
            return {
                "distributor_edrpou": None,
                "distributor_name": "фізична особа-підприємець",
                "distributor_person_name": name,
                "distributor_rnokpp": None if refused else rnokpp,
                "distributor_passport": make_passport(contact) if refused else None,
                "distributor_contact": None,
                "distributor_person_contact": f"+380 {contact.choice((67, 50, 63, 97))} {contact.randint(100, 999)}"
                f"-{contact.randint(10, 99)}-{contact.randint(10, 99)}",
            }
        if structure["owner_edrpou"] and rng.random() < 0.9:
            edrpou, name = structure["owner_edrpou"], structure["owner_name"]
        else:
            company = rng.choice(self.advertisers)
            edrpou, name = company["edrpou"], company["name_uk"]
        return {
            "distributor_edrpou": edrpou,
            "distributor_name": name,
            "distributor_person_name": None,
            "distributor_rnokpp": None,
            "distributor_passport": None,
            "distributor_contact": self.phone(contact),
            "distributor_person_contact": None,
        }

    # -- energy efficiency of municipal buildings
    def make_energy(self, rng: random.Random) -> None:
        buildings = self.rows("energy.building")
        self.energy_sites: list[tuple[str, int, Point, str]] = []  # use, number, centroid, address
        cert_seq = 0
        certifier = random.Random(self.seed + 51)  # what the certificates say beyond the estimate
        for p, obj, ring in self.institution_parcels:
            use, n = _institution_of(obj["name_uk"])
            year_built, floors = obj["year_built"], obj["floors"]
            heated = round(obj["total_area_m2"] * 0.85, 1)
            index = len(buildings)
            state = self.state("energy.building", index)
            measures = self._plan_measures(rng, use, heated) if state == "verified" else []
            base = rng.uniform(220, 320) if year_built < 1970 else rng.uniform(170, 280)
            certificate = rng.random() < 0.7
            specific = energy_class = number = cert_date = assessor = None
            if certificate:
                cert_year = rng.randint(2019, 2025)
                cert_date = date(cert_year, rng.randint(1, 12), rng.randint(1, 28))
                factor = 1.0
                for m in measures:
                    if m["year"] < cert_year:
                        factor *= 1 - MEASURE_EFFECT[m["measure_type"]][1] * m["expected_saving_pct"] / 100
                specific = round(base * factor, 1)
                energy_class = certified_class(specific, certifier)
                cert_seq += 1
                number = f"ЕС-{cert_year}-{cert_seq:05d}"
                assessor = self.person(certifier)[0]
            key = obj["name_uk"]
            buildings.append(
                {
                    "_key": key,
                    "name_uk": obj["name_uk"],
                    "name_en": names.INSTITUTION_PATTERNS[use][2].format(n=n),
                    "building_use": use,
                    "balance_holder_edrpou": obj["balance_holder_edrpou"],
                    "address_text": p.address_text,
                    "heated_area_m2": heated,
                    "year_built": year_built,
                    "floors": floors,
                    "energy_class": energy_class,
                    "certificate_number": number,
                    "certificate_date": cert_date,
                    "certificate_assessor": assessor,
                    "specific_energy_kwh_m2": specific,
                    "geom": obj["geom"],
                }
            )
            self.energy_sites.append((use, n, _centroid(ring), p.address_text))
            if state == "verified":
                for m in measures:
                    self.rows("energy.measure").append(
                        {
                            "_key": f"{key}:{m['measure_type']}:{m['year']}",
                            "_building_key": key,
                            "building_id": None,
                            **m,
                        }
                    )
                self._consumption(rng, key, heated, base, measures)

    def _plan_measures(self, rng: random.Random, use: str, heated: float) -> list[dict]:
        count = _weighted(rng, ((0, 15), (1, 30), (2, 35), (3, 20)))
        types = rng.sample(sorted(MEASURE_EFFECT), count)
        measures = []
        for mtype in types:
            year = rng.randint(2016, 2025)
            rate, saving = MEASURE_COST[mtype]
            cost = rate * heated if rate < 10000 else rate * rng.uniform(0.7, 1.5)
            cost *= rng.uniform(0.85, 1.2)
            expected = round(rng.uniform(*saving), 1)
            actual = None
            if year <= 2024:
                actual = round(max(-100.0, min(100.0, expected + rng.uniform(-6, 4))), 1)
                if rng.random() < 0.05:
                    actual = round(-rng.uniform(1, 5), 1)  # worse than before: worth a look
            yearly_bill = heated * 180  # UAH a year for heat and electricity of such a building
            measures.append(
                {
                    "measure_type": mtype,
                    "year": year,
                    "cost_uah": _money(cost),
                    "funding_source": rng.choice(names.FUNDING_SOURCES),
                    "expected_saving_pct": expected,
                    "actual_saving_pct": actual,
                    "expected_saving_uah": _money(yearly_bill * expected / 100),
                    "actual_saving_uah": _money(yearly_bill * actual / 100) if actual is not None else None,
                }
            )
        return sorted(measures, key=lambda m: (m["year"], m["measure_type"]))

    def _consumption(self, rng: random.Random, key: str, heated: float, specific: float, measures: list[dict]) -> None:
        gas_boiler = rng.random() < 0.2
        jump_year = rng.choice(CONSUMPTION_YEARS[1:]) if rng.random() < 0.06 else None
        for year in CONSUMPTION_YEARS:
            heat_factor = elec_factor = YEAR_FACTOR[year] * rng.uniform(0.95, 1.05)
            for m in measures:
                if m["year"] < year:
                    kind = MEASURE_EFFECT[m["measure_type"]][0]
                    effect = 1 - (m["actual_saving_pct"] or m["expected_saving_pct"]) / 100
                    if kind == "heat":
                        heat_factor *= effect
                    else:
                        elec_factor *= effect
            heat_kwh = specific * 0.8 * heated * heat_factor
            electricity = heated * rng.uniform(22, 35) * elec_factor
            water = heated * rng.uniform(0.4, 1.0) * YEAR_FACTOR[year]
            if year == jump_year:  # a leak, a meter replaced, a new wing: a jump worth checking
                heat_kwh *= rng.uniform(1.5, 2.0)
                water *= rng.uniform(1.5, 2.5)
            heat_gcal = None if gas_boiler else round(heat_kwh / 1163, 2)
            gas = round(heat_kwh / 8.6) if gas_boiler else None
            tariff = TARIFFS[year]
            cost = (heat_gcal or 0) * tariff[0] + electricity * tariff[1] + (gas or 0) * tariff[2] + water * tariff[3]
            self.rows("energy.consumption").append(
                {
                    "_key": f"{key}:{year}",
                    "_building_key": key,
                    "building_id": None,
                    "year": year,
                    "heat_gcal": heat_gcal,
                    "electricity_kwh": round(electricity),
                    "gas_m3": gas,
                    "water_m3": round(water),
                    "cost_uah": _money(cost),
                }
            )

    # -- budget on the map
    def make_budget(self, rng: random.Random) -> None:
        city = self.city
        streets = [s for s in city.streets if s.lines and s.name.street_type != "майдан"]
        arterials = [s for s in streets if s.arterial] or streets
        by_use: dict[str, list[tuple[str, int, Point, str]]] = defaultdict(list)
        for site in self.energy_sites:
            by_use[site[0]].append(site)
        titles: set[tuple[str, int]] = set()
        sectors = (
            ("education", 35),
            ("roads", 20),
            ("health", 10),
            ("housing", 12),
            ("parks", 10),
            ("culture", 6),
            ("transport", 4),
            ("safety", 3),
        )
        projects = self.rows("budget.project")
        self.budget_rng = random.Random(self.seed + 61)  # funds and tender stages: a stream of their own
        for _ in range(self.cfg.budget_projects - 1):
            sector = _weighted(rng, sectors)
            spec = self._project_place(rng, sector, by_use, streets, arterials)
            if spec is None:
                spec = self._project_place(rng, "roads", by_use, streets, arterials)
            sector, (title_uk, title_en, kekv, kpkvk, low, high), obj_name, point, address = spec
            year = rng.randint(2021, 2026)
            base_title = title_uk
            k = 1
            while (title_uk, year) in titles:
                k += 1
                title_uk = f"{base_title} ({ROMAN[k]} черга)"
            titles.add((title_uk, year))
            planned = _money(round(rng.uniform(low, high), -3))
            status = _weighted(rng, PROJECT_STATUS_BY_YEAR[year])
            row = self._project_row(
                rng, title_uk, title_en, obj_name, sector, year, kpkvk, kekv, planned, status, point, address
            )
            state = self.state("budget.project", len(projects))
            projects.append(row)
            if state == "verified" and row["actual_uah"]:
                self._payments(rng, row)
        # The village's street: the registers cover the whole hromada.
        village = VILLAGE
        row = self._project_row(
            rng,
            f"Капітальний ремонт дорожнього покриття вулиці Центральної в с. {names.VILLAGE_UK}",
            "Capital repair of the road surface, Tsentralna street, Veresy",
            f"вулиця Центральна, с. {names.VILLAGE_UK}",
            "roads",
            2025,
            "1217461",
            "3132",
            4_800_000.0,
            "completed",
            village,
            f"с. {names.VILLAGE_UK}, вул. Центральна",
        )
        row["_district_key"] = None  # not in a district of the city
        projects.append(row)

    def _project_place(self, rng, sector, by_use, streets, arterials):
        """Template, object, point and address of a project of the sector (None if nothing fits)."""

        def institution(uses):
            sites = [s for u in uses for s in by_use.get(u, [])]
            if not sites:
                return None
            return rng.choice(sites)

        if sector in ("education", "health", "culture", "safety"):
            uses = {
                "education": ("school", "kindergarten"),
                "health": ("hospital", "polyclinic", "social"),
                "culture": ("culture", "sport"),
                "safety": ("school", "kindergarten"),
            }[sector]
            site = institution(uses)
            if site is None:
                return None
            use, n, point, address = site
            template = rng.choice(PROJECT_TEMPLATES[sector])
            genitive = _institution_genitive(use, n)
            kpkvk = KPKVK_BY_USE[use] if sector != "culture" or use == "culture" else "1115031"
            title_uk = template[0].format(obj=genitive)
            title_en = template[1].format(obj=names.INSTITUTION_PATTERNS[use][2].format(n=n))
            return (
                sector,
                (title_uk, title_en, template[2], kpkvk, template[3], template[4]),
                names.INSTITUTION_PATTERNS[use][0].format(n=n),
                point,
                address,
            )
        if sector == "housing":
            if not self.apartment_objects:
                return None
            address, address_en, point = rng.choice(self.apartment_objects)
            template = rng.choice(PROJECT_TEMPLATES["housing"])
            kekv, low, high, kpkvk = template[2:]
            return (
                sector,
                (template[0].format(obj=address), template[1].format(obj=address_en), kekv, kpkvk, low, high),
                f"житловий будинок, {address}",
                point,
                address,
            )
        pool = arterials if sector == "transport" else streets
        street = rng.choice(pool)
        line = rng.choice(street.lines)
        k = rng.randrange(len(line) - 1)
        a, b = line[k], line[k + 1]
        t = rng.uniform(0.2, 0.8)
        point = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        if sector == "parks" and self.green_parcels and rng.random() < 0.5:
            park = rng.choice(self.green_parcels)
            point = self.city.local((park.u0 + park.u1) / 2, (park.v0 + park.v1) / 2)
        template = rng.choice(PROJECT_TEMPLATES[sector])
        other = rng.choice(streets)
        title_uk = template[0].format(obj=street.name.short_uk, other=other.name.short_uk)
        title_en = template[1].format(obj=_street_en(street.name), other=_street_en(other.name))
        kekv, low, high, kpkvk = template[2:]
        return sector, (title_uk, title_en, kekv, kpkvk, low, high), street.name.full_uk, point, street.name.short_uk

    def _project_row(
        self, rng, title_uk, title_en, obj_name, sector, year, kpkvk, kekv, planned, status, point, address
    ) -> dict:
        today = REFERENCE_DATE
        tender_id = contractor = None
        start = end = None
        actual = None
        if status != "planned" and not (status == "cancelled" and rng.random() < 0.5):
            last = min(date(year, 10, 31), today - timedelta(days=30))
            first = date(year, 1, 15)
            tendered = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
            self.tender_seq += rng.randint(1, 4000)
            tender_id = f"UA-{tendered.isoformat()}-{self.tender_seq % 1000000:06d}-a"
            if planned > 20e6 and self.budget_rng.random() < 0.3:
                tender_id += ".2"  # a competitive dialogue: the contract comes from its second stage
        if status in ("in_progress", "completed", "suspended"):
            contractor = rng.choice(self.contractors)
            start = date.fromisoformat(tender_id[3:13]) + timedelta(days=rng.randint(30, 60))
            end = start + timedelta(days=rng.randint(60, 240))
            if status == "completed":
                end = min(end, today - timedelta(days=5))
                start = min(start, end)
                over = rng.random() < 0.06
                actual = planned * (rng.uniform(1.01, 1.12) if over else rng.uniform(0.85, 1.0))
            elif status == "in_progress":
                start = min(start, today - timedelta(days=10))
                end = max(end, today + timedelta(days=30))
                actual = planned * rng.uniform(0.1, 0.7)
            else:
                start = min(start, today - timedelta(days=60))
                end = max(end, start + timedelta(days=90))
                actual = planned * rng.uniform(0.1, 0.5)
        elif status == "planned":
            start = date(year, rng.randint(3, 6), 1) if year > today.year else None
            end = date(year, 12, 15) if start else None
        return {
            "_key": f"{title_uk}:{year}",
            "_district_key": self.city.district_of(point),
            "title_uk": title_uk,
            "title_en": title_en,
            "object_name": obj_name,
            "sector": sector,
            "budget_year": year,
            "fund": _weighted(self.budget_rng, (("development", 85), ("special", 10), ("general", 5))),
            "kpkvk": kpkvk,
            "kfkvk": FUNCTION_OF_PROGRAMME[kpkvk[3:]],
            "kekv": kekv,
            "planned_uah": planned,
            "actual_uah": _money(actual) if actual is not None else None,
            "contractor_edrpou": contractor["edrpou"] if contractor else None,
            "contractor_name": contractor["name_uk"] if contractor else None,
            "tender_id": tender_id,
            "project_status": status,
            "start_date": start,
            "end_date": end,
            "district_id": None,
            "address_text": address,
            "geom": self.frame.point(point),
        }

    def _payments(self, rng: random.Random, project: dict) -> None:
        total = round(project["actual_uah"] * 100)  # in kopiykas, so that the parts add up exactly
        n = min(rng.randint(1, 5), max(1, total // 100_000))
        weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
        parts = [int(total * w / sum(weights)) for w in weights]
        parts[-1] = total - sum(parts[:-1])
        first = project["start_date"]
        last = min(project["end_date"], REFERENCE_DATE - timedelta(days=1))
        days = sorted(rng.randint(0, max(0, (last - first).days)) for _ in range(n))
        for k, (part, day) in enumerate(zip(parts, days, strict=True)):
            paid = first + timedelta(days=day)
            self.payment_seq += 1
            document = f"Платіжна інструкція № {self.payment_seq} від {_fmt_date(paid)}"
            if k == 0 and n > 1:
                purpose = "Попередня оплата (аванс) згідно з договором підряду"
            else:
                purpose = f"Оплата за виконані роботи згідно з актом КБ-2в № {k + 1}"
            self.rows("budget.payment").append(
                {
                    "_key": document,
                    "_project_key": project["_key"],
                    "project_id": None,
                    "paid_on": paid,
                    "amount_uah": part / 100,
                    "document": document,
                    "purpose": purpose,
                }
            )


# ------------------------------------------------------- tables and helpers
# The functional code (КФКВК) of a programme (ТПКВКМБ), as the programme classifier gives it.
FUNCTION_OF_PROGRAMME = {c.code: c.group_code for c in classifiers.get("tpkvkmb").codes}
# The category of land of a КВЦПЗ section (the land category classifier lists its sections).
LAND_CATEGORY_OF_SECTION = {
    section: c.code for c in classifiers.get("land_category").codes for section in (c.group_code or "").split()
}
# The first part of a parcel's cadastral number: the КОАТУУ of its district.
KOATUU_OF_DISTRICT = {"bohunskyi": names.DISTRICTS[0].koatuu, "korolovskyi": names.DISTRICTS[1].koatuu}
LAND_USE_BY_ZONE: dict[str, tuple[tuple[str, float], ...]] = {
    "Ж-1": (("02.01", 90), ("02.05", 5), ("03.07", 3), ("02.07", 2)),
    "Ж-2": (("02.01", 75), ("02.07", 10), ("02.05", 5), ("03.07", 10)),
    "Ж-3": (("02.03", 75), ("03.07", 10), ("03.15", 5), ("02.05", 10)),
    "Ж-4": (("02.03", 85), ("03.07", 10), ("07.02", 5)),
    "Г-1": (("03.07", 25), ("03.08", 20), ("03.01", 10), ("03.15", 15), ("02.03", 20), ("03.05", 10)),
    "Г-2": (("03.07", 40), ("03.10", 15), ("03.15", 20), ("02.03", 25)),
    "Г-3": (("03.02", 50), ("03.03", 50)),
    "Р-1": (("07.01", 40), ("07.08", 60)),
    "Р-2": (("07.02", 30), ("07.01", 30), ("07.08", 40)),
    "Р-3": (("07.08", 70), ("07.01", 30)),
    "Р-4": (("07.06", 60), ("07.01", 40)),
    "В-2": (("11.02", 70), ("11.04", 20), ("12.04", 10)),
    "В-3": (("11.02", 70), ("11.04", 20), ("12.04", 10)),
    "КС-1": (("11.04", 50), ("12.04", 30), ("14.02", 20)),
    "ІН-1": (("11.04", 60), ("14.02", 40)),
    "ТР-2": (("12.04", 60), ("12.11", 40)),
    "С-1": (("07.09", 100),),
}
PUBLIC_LAND_USES = {"12.13", "07.08", "07.09", "03.01", "03.02", "03.03", "03.05", "07.01", "07.02", "11.04", "14.02"}
# Public land without buildings: streets and squares, green areas, cemeteries.
OPEN_LAND_USES = ("12.13", "07.08", "07.09")
RESIDENTIAL_LAND_USES = {"02.01", "02.03", "02.05", "02.07"}
# Balance holders of communal land, by land use (roles of MUNICIPAL_ROLES, weighted).
LAND_HOLDERS: dict[str, tuple[tuple[str, float], ...]] = {
    "12.13": (("roads", 1),),
    "07.08": (("green", 1),),
    "07.09": (("green", 1),),
    "07.01": (("green", 1),),
    "07.02": (("sport", 1),),
    "03.01": (("council", 1),),
    "03.02": (("education", 1),),
    "03.03": (("health", 1),),
    "03.05": (("culture", 1),),
    "02.03": (("housing_enterprise", 1),),
    "11.04": (("vodokanal", 1), ("heating", 1)),
    "14.02": (("heating", 1),),
    "12.04": (("transport", 1), ("roads", 1)),
    "12.11": (("roads", 1),),
}
# Energy-register buildings: (depth, width, floors range) of the footprint, metres.
INSTITUTION_SIZES: dict[str, tuple[float, float, tuple[int, int]]] = {
    "school": (17, 60, (3, 4)),
    "kindergarten": (14, 42, (2, 2)),
    "hospital": (18, 64, (4, 5)),
    "polyclinic": (14, 32, (2, 3)),
    "administrative": (14, 36, (3, 5)),
    "culture": (16, 26, (1, 3)),
    "sport": (24, 36, (1, 2)),
    "social": (14, 30, (2, 3)),
}


@dataclass(frozen=True)
class ObjectSpec:
    share: float  # of parcels with this land use that have a building
    depth: tuple[float, float]
    width_share: tuple[float, float]  # of the parcel width (<= 1) or metres
    setback: tuple[float, float]
    floors: tuple[int, int]
    use_code: str
    names: tuple[str, ...]


OBJECT_SPECS: dict[str, ObjectSpec] = {
    "02.01": ObjectSpec(0.76, (8, 12), (7, 12), (3, 6), (1, 2), "residential", ("Житловий будинок",)),
    "02.07": ObjectSpec(0.7, (8, 14), (8, 14), (3, 6), (1, 3), "residential", ("Житловий будинок",)),
    "02.03": ObjectSpec(
        0.95, (12, 15), (0.6, 0.85), (4, 8), (5, 5), "residential", ("Багатоквартирний житловий будинок",)
    ),
    "02.05": ObjectSpec(0.9, (6, 7), (0.7, 0.9), (2, 3), (1, 1), "garage", ("Гаражі",)),
    "03.01": ObjectSpec(0.95, (12, 18), (0.5, 0.8), (4, 10), (2, 4), "administrative", ("Адміністративна будівля",)),
    "03.02": ObjectSpec(0.95, (14, 18), (0.5, 0.8), (6, 12), (2, 3), "education", ("Навчальний корпус",)),
    "03.03": ObjectSpec(0.95, (14, 18), (0.5, 0.8), (6, 12), (2, 4), "health", ("Лікувальний корпус",)),
    "03.05": ObjectSpec(0.9, (14, 20), (0.5, 0.8), (4, 8), (1, 3), "culture", ("Будинок культури", "Бібліотека")),
    "03.07": ObjectSpec(0.9, (12, 22), (0.5, 0.85), (3, 8), (1, 3), "retail", ("Магазин", "Торговельний центр")),
    "03.08": ObjectSpec(0.9, (12, 18), (0.5, 0.8), (3, 8), (2, 4), "retail", ("Кафе", "Готель", "Ресторан")),
    "03.10": ObjectSpec(0.9, (15, 25), (0.5, 0.85), (4, 10), (1, 2), "retail", ("Ринок", "Торговельний павільйон")),
    "03.15": ObjectSpec(0.85, (12, 20), (0.5, 0.8), (4, 10), (1, 3), "administrative", ("Нежитлова будівля",)),
    "07.01": ObjectSpec(0.3, (8, 12), (8, 15), (5, 15), (1, 1), "culture", ("Павільйон", "Альтанка")),
    "07.02": ObjectSpec(0.6, (20, 30), (0.5, 0.7), (6, 12), (1, 2), "sport", ("Спортивний комплекс",)),
    "11.02": ObjectSpec(0.9, (15, 35), (0.5, 0.85), (5, 12), (1, 3), "industrial", ("Виробничий корпус", "Склад")),
    "11.04": ObjectSpec(
        0.85,
        (10, 20),
        (0.4, 0.7),
        (5, 12),
        (1, 2),
        "utility",
        ("Котельня", "Насосна станція", "Трансформаторна підстанція"),
    ),
    "12.04": ObjectSpec(0.85, (12, 30), (0.5, 0.85), (5, 12), (1, 2), "garage", ("Автобаза", "Депо")),
    "12.11": ObjectSpec(0.85, (10, 15), (0.4, 0.6), (6, 12), (1, 1), "retail", ("Станція техобслуговування",)),
    "14.02": ObjectSpec(0.9, (8, 14), (0.4, 0.6), (6, 12), (1, 1), "utility", ("Трансформаторна підстанція",)),
    "other": ObjectSpec(0.8, (10, 16), (0.5, 0.8), (4, 8), (1, 2), "administrative", ("Нежитлова будівля",)),
}
FLOORS_BY_ZONE = {"Ж-3": (3, 5), "Ж-4": (9, 16), "Г-1": (3, 6), "Г-2": (4, 9)}
YEARS_BY_ZONE = {
    "Г-1": (1880, 1975),
    "Г-2": (1955, 2015),
    "Ж-3": (1955, 1990),
    "Ж-4": (1970, 2022),
    "Ж-1": (1935, 2024),
    "Ж-2": (1950, 2024),
    "В-2": (1950, 1990),
    "В-3": (1955, 2010),
}


# Energy classes by specific energy use (kWh/m² a year, from the certificate):
# A < 50 <= B < 90 <= C < 150 <= D < 190 <= E < 230 <= F < 280 <= G.
ENERGY_CLASS_LIMITS = (("A", 50), ("B", 90), ("C", 150), ("D", 190), ("E", 230), ("F", 280))


def _advertising_allowed(zone_code: str) -> bool:
    """Outdoor advertising in a zoning-plan zone (planning.zoning_zone.advertising_allowed)."""
    return zone_code not in ("Р-1", "Р-4", "Ж-1")


def energy_class_of(specific_kwh_m2: float) -> str:
    """The class by the indicative bands (the estimate verification.energy_class_of() makes)."""
    for energy_class, limit in ENERGY_CLASS_LIMITS:
        if specific_kwh_m2 < limit:
            return energy_class
    return "G"


CLASSES = "ABCDEFG"


def certified_class(specific_kwh_m2: float, rng: random.Random) -> str:
    """The class a certificate states. The law's limits depend on the building's purpose, floors
    and temperature zone (наказ Мінрегіону № 169), not on one scale: for about one building in
    five the certificate's class is a neighbour of the indicative bands' estimate."""
    k = CLASSES.index(energy_class_of(specific_kwh_m2))
    r = rng.random()
    if r < 0.1 and k > 0:
        return CLASSES[k - 1]
    if r < 0.2 and k < len(CLASSES) - 1:
        return CLASSES[k + 1]
    return CLASSES[k]


# Measures: what they save, and the share of the certificate's specific energy that is.
MEASURE_EFFECT = {
    "facade_insulation": ("heat", 1.0),
    "roof_insulation": ("heat", 1.0),
    "windows": ("heat", 1.0),
    "itp": ("heat", 1.0),
    "boiler": ("heat", 1.0),
    "heat_pump": ("heat", 1.0),
    "metering": ("heat", 1.0),
    "led": ("electricity", 0.2),
    "solar_pv": ("electricity", 0.2),
}
# Cost (UAH per m² heated, or a lump sum when >= 10,000) and the expected saving range (%).
MEASURE_COST = {
    "facade_insulation": (1100, (20, 30)),
    "roof_insulation": (420, (8, 12)),
    "windows": (560, (10, 15)),
    "itp": (450_000, (10, 20)),
    "boiler": (1_200_000, (10, 15)),
    "heat_pump": (2_500_000, (30, 40)),
    "led": (120, (40, 60)),
    "solar_pv": (900_000, (20, 30)),
    "metering": (60_000, (3, 7)),
}
# Use compared with 2019: lockdown in 2020, the war from 2022.
YEAR_FACTOR = {2019: 1.0, 2020: 0.88, 2021: 1.0, 2022: 0.82, 2023: 0.9, 2024: 0.95, 2025: 0.93}
# Tariffs for budget institutions: heat UAH/Gcal, electricity UAH/kWh, gas UAH/m³, water UAH/m³.
TARIFFS = {
    2019: (1650, 2.9, 7.5, 28),
    2020: (1600, 2.8, 6.0, 30),
    2021: (1900, 3.5, 16.0, 33),
    2022: (2600, 6.0, 18.0, 40),
    2023: (3300, 7.0, 16.4, 48),
    2024: (3400, 9.0, 16.0, 55),
    2025: (3500, 9.3, 16.5, 60),
}


def _institution_of(name_uk: str) -> tuple[str, int]:
    """(building use, number) back from an institution's name."""
    for use, (nominative, _gen, _en) in names.INSTITUTION_PATTERNS.items():
        head, _, tail = nominative.partition("{n}")
        if name_uk.startswith(head) and name_uk.endswith(tail):
            return use, int(name_uk[len(head) : len(name_uk) - len(tail)])
    raise ValueError(name_uk)


# Budget projects: (title, English title, КЕКВ, КПКВК, planned from, planned to); {obj} is
# the institution (genitive), the street or the address, {other} a second street.
PROJECT_TEMPLATES: dict[str, tuple[tuple, ...]] = {
    "education": (
        ("Капітальний ремонт покрівлі {obj}", "Capital repair of the roof, {obj}", "3132", 0.4e6, 3e6),
        ("Капітальний ремонт харчоблоку {obj}", "Capital repair of the kitchen, {obj}", "3132", 0.3e6, 2e6),
        ("Капітальний ремонт спортивної зали {obj}", "Capital repair of the gym, {obj}", "3132", 0.5e6, 4e6),
        ("Капітальний ремонт системи опалення {obj}", "Capital repair of the heating, {obj}", "3132", 0.3e6, 2.5e6),
        ("Термомодернізація будівлі {obj}", "Thermal modernisation, {obj}", "3142", 3e6, 14e6),
        ("Придбання обладнання для харчоблоку {obj}", "Kitchen equipment, {obj}", "3110", 0.1e6, 1.2e6),
    ),
    "safety": (("Облаштування найпростішого укриття {obj}", "Civil defence shelter, {obj}", "3132", 0.5e6, 5e6),),
    "health": (
        (
            "Капітальний ремонт приймального відділення {obj}",
            "Capital repair of the admissions ward, {obj}",
            "3132",
            1e6,
            12e6,
        ),
        ("Придбання медичного обладнання для {obj}", "Medical equipment, {obj}", "3110", 0.5e6, 20e6),
        ("Термомодернізація будівлі {obj}", "Thermal modernisation, {obj}", "3142", 3e6, 18e6),
    ),
    "culture": (
        ("Капітальний ремонт приміщень {obj}", "Capital repair of the premises, {obj}", "3132", 0.3e6, 4e6),
        (
            "Реконструкція спортивного майданчика {obj}",
            "Reconstruction of the sports ground, {obj}",
            "3142",
            0.5e6,
            6e6,
        ),
    ),
    "roads": (
        (
            "Капітальний ремонт дорожнього покриття по {obj}",
            "Capital repair of the road surface, {obj}",
            "3132",
            2e6,
            40e6,
            "1217461",
        ),
        (
            "Капітальний ремонт тротуарів по {obj}",
            "Capital repair of the pavements, {obj}",
            "3132",
            0.5e6,
            6e6,
            "1217461",
        ),
        (
            "Реконструкція перехрестя {obj} та {other}",
            "Reconstruction of the junction of {obj} and {other}",
            "3142",
            3e6,
            25e6,
            "1217461",
        ),
        ("Будівництво велосипедної доріжки по {obj}", "Cycle lane, {obj}", "3122", 1e6, 10e6, "1217461"),
    ),
    "housing": (
        (
            "Капітальний ремонт покрівлі житлового будинку по {obj}",
            "Capital repair of the roof of the block of flats, {obj}",
            "3210",
            0.2e6,
            2.5e6,
            "1216011",
        ),
        (
            "Капітальний ремонт ліфтів у житловому будинку по {obj}",
            "Capital repair of the lifts, {obj}",
            "3210",
            0.3e6,
            3e6,
            "1216015",
        ),
        (
            "Капітальний ремонт внутрішньобудинкових мереж по {obj}",
            "Capital repair of the building services, {obj}",
            "3210",
            0.2e6,
            2e6,
            "1216011",
        ),
    ),
    "parks": (
        ("Реконструкція скверу по {obj}", "Reconstruction of the public garden, {obj}", "3142", 1e6, 8e6, "1216030"),
        ("Облаштування дитячого майданчика по {obj}", "Playground, {obj}", "3132", 0.3e6, 1.5e6, "1216030"),
        (
            "Капітальний ремонт зовнішнього освітлення по {obj}",
            "Capital repair of the street lighting, {obj}",
            "3132",
            0.4e6,
            4e6,
            "1216030",
        ),
    ),
    "transport": (
        (
            "Капітальний ремонт контактної мережі тролейбуса по {obj}",
            "Capital repair of the trolleybus overhead line, {obj}",
            "3210",
            1e6,
            15e6,
            "1217426",
        ),
        (
            "Капітальний ремонт трамвайної колії по {obj}",
            "Capital repair of the tram track, {obj}",
            "3210",
            5e6,
            30e6,
            "1217426",
        ),
    ),
}
# КПКВК by the kind of institution a project is for.
KPKVK_BY_USE = {
    "school": "0611021",
    "kindergarten": "0611010",
    "hospital": "0712010",
    "polyclinic": "0712111",
    "social": "0813104",
    "culture": "1014030",
    "sport": "1115031",
    "administrative": "0210150",
}
PROJECT_STATUS_BY_YEAR = {
    2021: (("completed", 85), ("suspended", 5), ("cancelled", 10)),
    2022: (("completed", 70), ("suspended", 15), ("cancelled", 15)),
    2023: (("completed", 85), ("suspended", 5), ("cancelled", 10)),
    2024: (("completed", 75), ("in_progress", 15), ("cancelled", 10)),
    2025: (("in_progress", 45), ("completed", 30), ("tender", 20), ("planned", 5)),
    2026: (("planned", 100),),
}
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _institution_genitive(use: str, n: int) -> str:
    """The institution in the genitive, as in "Капітальний ремонт покрівлі ЗДО № 12"."""
    if use == "kindergarten":
        return names.INSTITUTION_SHORT[use].format(n=n)
    return names.INSTITUTION_PATTERNS[use][1].format(n=n)


TABLE_SALT = {name: n for n, (name, _key, _parents) in enumerate(TABLE_SPECS)}
OFFER_TERMS = {
    "sale": (
        "Продаж на електронному аукціоні (Prozorro.Продажі); стартова ціна визначена незалежною оцінкою",
        "Sale at an electronic auction (Prozorro.Sale); the starting price is set by an independent valuation",
    ),
    "lease": (
        "Оренда строком до 49 років на електронному аукціоні; можлива зміна цільового призначення",
        "Lease for up to 49 years at an electronic auction; the land use may be changed",
    ),
    "ppp": (
        "Державно-приватне партнерство (концесія) строком до 25 років",
        "Public-private partnership (concession) for up to 25 years",
    ),
    "industrial_park": (
        "Розміщення в індустріальному парку: пільги зі сплати ввізного мита на обладнання",
        "Placement in an industrial park: import duty exemption for equipment",
    ),
}
# Advertising structures: width, height (metres) and faces (or the choices of faces).
STRUCTURE_SIZES: dict[str, tuple[float, float, int | tuple[int, ...]]] = {
    "billboard": (6.0, 3.0, (1, 2)),
    "citylight": (1.2, 1.8, 2),
    "backlight": (4.0, 3.0, (1, 2)),
    "led_screen": (6.0, 3.0, (1, 2)),
    "pillar": (1.4, 2.5, 3),
    "wall": (6.0, 4.0, 1),
    "roof": (12.0, 3.0, (1, 2)),
}


def _weighted(rng: random.Random, options) -> str:
    total = sum(w for _v, w in options)
    r = rng.random() * total
    for value, weight in options:
        r -= weight
        if r < 0:
            return value
    return options[-1][0]


def _postcode(p: Point) -> str:
    """Postcodes 10001-10031 by sector and ring around the centre; the centre is 10014."""
    d = math.hypot(*p)
    if d < 700:
        return "10014"
    sector = int((math.atan2(p[1], p[0]) + math.pi) / (2 * math.pi) * 10) % 10
    ring = min(int(d / 1500), 2)
    return str(10001 + ring * 10 + sector)


def _council_decision(rng: random.Random, first_year: int, last_year: int) -> str:
    d = date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))
    return f"Рішення Житомирської міської ради від {_fmt_date(d)} № {rng.randint(100, 1500)}"


def _street_en(street: names.StreetName) -> str:
    return f"{street.name_en} {names.STREET_TYPE_EN[street.street_type]}"


def _centroid(ring: Ring) -> Point:
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def generate(size: str = "city", seed: int = SEED) -> Dataset:
    """The generated city of the given size ("small", "city" or "large"); the same every time."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: choose one of {', '.join(SIZES)}")
    return _Generator(size, seed).run()
