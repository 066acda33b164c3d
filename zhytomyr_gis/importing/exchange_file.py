"""The Ukrainian cadastral exchange file (обмінний файл, root element
``UkrainianCadastralExchangeFile``), read as real files are written.

Source of the format: Вимоги до змісту, структури і технічних характеристик
електронного документа (обмінного файлу), додаток до Порядку ведення
Державного земельного кадастру (постанова КМУ № 1051 від 17.10.2012, ред.
від 27.02.2018), and before it the Вимоги of наказ Держкомзему № 573 від
02.11.2009 (format versions 0.x). Real files say versions 0.4, 0.7, 1.0,
2.0 in no time order, come in UTF-8 with or without BOM or in
windows-1251 (declared or not), with or without a namespace, with CRLF;
the old layout keeps ``<KOATUU>`` apart from a two-digit zone, the new one
writes ``1810100000:01`` in ``CadastralZoneNumber``; purpose may be a code
followed by its text.

The file is read as a stream (lxml iterparse): every element is dropped as
soon as it has been read, so memory holds only the points and polylines of
the metric part (compactly) and one parcel at a time.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .coordinate_systems import CoordinateSystemError, DeclaredSystem, ResolvedSystem, resolve
from .findings import ERROR, WARNING, Finding, refuses
from .settings import ImportSettings

ROOT = "UkrainianCadastralExchangeFile"
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in json.loads(Path(__file__).with_name("exchange_elements.json").read_text(encoding="utf-8"))[
        "children"
    ].items()
}

# Roots of other XML files people send instead of an exchange file.
OTHER_FILES = (
    (re.compile(r"valuation|monetary|ngo|normativ", re.I), "файл нормативної грошової оцінки",
     "a normative monetary valuation file"),
    (re.compile(r"featurecollection", re.I), "файл GML", "a GML file"),
    (re.compile(r"^kml$", re.I), "файл KML", "a KML file"),
)  # fmt: skip


class NotAnExchangeFile(Exception):
    """The file is not a cadastral exchange file at all (or cannot be read)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message_uk)
        self.finding = finding


@dataclass
class Party:
    """An owner, lessee or beneficiary: a legal entity (public) or a private person
    (personal data: name and РНОКПП never leave non-public columns)."""

    legal_entity: bool
    name: str
    code: str | None  # ЄДРПОУ of an entity, РНОКПП of a person

    def public_dict(self) -> dict:
        if self.legal_entity:
            return {"kind": "legal_entity", "name": self.name, "edrpou": self.code}
        return {"kind": "private_person"}


@dataclass
class Surveyor:
    company: str = ""
    edrpou: str | None = None
    engineer: str = ""  # the certified engineer who made the file (a professional role)
    certificate: str = ""

    def __str__(self) -> str:
        text = self.company or "—"
        if self.edrpou:
            text += f" (ЄДРПОУ {self.edrpou})"
        if self.engineer:
            text += f", інженер-землевпорядник {self.engineer}"
        if self.certificate:
            text += f", сертифікат № {self.certificate}"
        return text


@dataclass
class Land:
    code: str
    area_ha: float | None


@dataclass
class Lease:
    lessees: list[Party]
    area_ha: float | None
    starts: str | None
    expires: str | None
    registration: str
    decision: str
    sublease: bool = False


@dataclass
class Restriction:
    code: str
    name: str
    expires: str | None


Ring = list[tuple[float, float]]  # (X northing, Y easting) as in the file


@dataclass
class ExchangeParcel:
    line: int
    koatuu: str = ""
    zone: str = ""
    quarter: str = ""
    parcel_id: str = ""
    declared_area: float | None = None  # in the file's unit
    area_unit: str = "га"
    area_error: float | None = None  # stated error of the area, in the same unit
    purpose_code: str | None = None
    purpose_text: str = ""
    category: str = ""
    ownership_code: str = ""
    description: str = ""
    address: str = ""
    proprietors: list[Party] = field(default_factory=list)
    lands: list[Land] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)
    # Geometry in the file's coordinates: one (exterior, holes) per outer boundary.
    polygons: list[tuple[Ring, list[Ring]]] = field(default_factory=list)
    boundaries: list[tuple[list[tuple[int, int | None, int | None, int]], bool]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    wkt_9836: str | None = None
    area_9836_m2: float | None = None
    _figures: tuple[float | None, int] | None = None  # (area, vertices) kept by compact()

    def compact(self) -> None:
        """Drop the geometry, keep its figures (memory stays flat over a long file)."""
        self._figures = (self.computed_area_m2, self.vertex_count)
        self.polygons, self.boundaries, self.wkt_9836 = [], [], None

    @property
    def cadastral_number(self) -> str:
        return f"{self.koatuu}:{self.zone}:{self.quarter}:{self.parcel_id}"

    @property
    def declared_area_ha(self) -> float | None:
        if self.declared_area is None:
            return None
        return self.declared_area * _to_ha(self.area_unit)

    @property
    def computed_area_m2(self) -> float | None:
        """Area of the coordinates as the file gives them (what the surveyor computed)."""
        if self._figures is not None:
            return self._figures[0]
        if not self.polygons:
            return None
        return sum(ring_area(ext) - sum(ring_area(h) for h in holes) for ext, holes in self.polygons)

    @property
    def vertex_count(self) -> int:
        if self._figures is not None:
            return self._figures[1]
        return sum(len(ext) - 1 + sum(len(h) - 1 for h in holes) for ext, holes in self.polygons)

    @property
    def refused(self) -> bool:
        return refuses(self.findings)

    @property
    def path(self) -> str:
        return f"ParcelInfo {self.cadastral_number}"

    def refuse(self, code: str, message_uk: str, message_en: str, severity: str = ERROR, line: int | None = None):
        self.findings.append(Finding(code, message_uk, message_en, self.path, line or self.line, severity))


@dataclass
class ExchangeFileInfo:
    path: Path
    encoding: str = ""
    namespace: str = ""
    format_version: str = ""
    file_date: str = ""
    file_guid: str = ""
    software: str = ""
    declared_system: DeclaredSystem | None = None
    system: ResolvedSystem | None = None
    surveyor: Surveyor = field(default_factory=Surveyor)
    findings: list[Finding] = field(default_factory=list)
    points: int = 0
    polylines: int = 0

    @property
    def refused(self) -> bool:
        return refuses(self.findings)


def _to_ha(unit: str) -> float:
    u = unit.strip().lower().replace(" ", "").replace(".", "")
    if u in ("м2", "m2", "кв.м", "квм", "м²", "sqm"):
        return 0.0001
    return 1.0  # га / ha (the format's default)


def ring_area(ring: Ring) -> float:
    """Planar area of a closed ring (shoelace), always positive."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


# ------------------------------------------------------------------ encoding
_DECLARATION = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-]+)["']""")


def detect_encoding(path: Path) -> tuple[str | None, str, bool]:
    """(override for the parser or None, the encoding to report, whether the
    declaration was wrong).

    A BOM or a declared encoding other than UTF-8 is left to the parser; a
    file that declares UTF-8 or nothing is UTF-8 if it decodes as such,
    otherwise windows-1251 (what Ukrainian desktop software of the 2000s
    wrote, often under a UTF-8 declaration)."""
    with open(path, "rb") as f:
        head = f.read(4096)
        if head.startswith(codecs.BOM_UTF8):
            return None, "utf-8 (BOM)", False
        m = _DECLARATION.search(head.split(b"?>", 1)[0] + b"?>") if head.lstrip().startswith(b"<?xml") else None
        declared = m.group(1).decode("ascii").lower() if m else ""
        if declared and declared.replace("-", "").replace("_", "") not in ("utf8",):
            return None, declared, False
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "windows-1251", "windows-1251", bool(declared)
    return None, declared or "utf-8", False


# ------------------------------------------------------------------- points
class PointStore:
    """UIDP -> (X, Y), compact: eight bytes a coordinate, and a dictionary
    only when the numbers are not 1, 2, 3… in order."""

    def __init__(self):
        self.x = array("d")
        self.y = array("d")
        self.line = array("l")
        self.index: dict[int, int] | None = None

    def add(self, uidp: int, x: float, y: float, line: int) -> None:
        n = len(self.x)
        if self.index is None and uidp != n + 1:
            self.index = {i + 1: i for i in range(n)}
        if self.index is not None:
            self.index[uidp] = n
        self.x.append(x)
        self.y.append(y)
        self.line.append(line or 0)

    def get(self, uidp: int) -> tuple[float, float] | None:
        i = (uidp - 1 if 0 < uidp <= len(self.x) else None) if self.index is None else self.index.get(uidp)
        return None if i is None else (self.x[i], self.y[i])

    def __len__(self) -> int:
        return len(self.x)


class PolylineStore:
    """ULID -> the UIDPs of its points, in one flat array."""

    def __init__(self):
        self.flat = array("l")
        self.where: dict[int, tuple[int, int]] = {}

    def add(self, ulid: int, uidps: list[int]) -> None:
        self.where[ulid] = (len(self.flat), len(uidps))
        self.flat.extend(uidps)

    def get(self, ulid: int) -> list[int] | None:
        w = self.where.get(ulid)
        return None if w is None else list(self.flat[w[0] : w[0] + w[1]])

    def __len__(self) -> int:
        return len(self.where)


# ------------------------------------------------------------------- reader
def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(el, *path: str) -> str:
    """Text of the first descendant along local names (namespaces ignored)."""
    node = el
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None)
        if node is None:
            return ""
    return (node.text or "").strip()


def _child(el, name: str):
    return next((c for c in el if _local(c.tag) == name), None)


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".").replace(" ", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_PURPOSE = re.compile(r"^\s*(\d{1,2})\s*[.,]\s*(\d{1,2})(?!\d)")


def purpose_code(text: str) -> str | None:
    """ "02.01", "2.1" or "02.01 Для будівництва…" -> "02.01"; None if no code."""
    m = _PURPOSE.match(text or "")
    return f"{int(m.group(1)):02d}.{int(m.group(2)):02d}" if m else None


_CAPTURED = {"ParcelInfo", "Point", "PL", "InfoLandWork", "ServiceInfo", "CoordinateSystem"}


class ExchangeFileReader:
    """Reads one file: ``info`` is filled as the stream goes (service part,
    surveyor and coordinate system come before the parcels); ``parcels()``
    yields each parcel with its geometry and findings."""

    def __init__(self, path: str | Path, settings: ImportSettings):
        self.path = Path(path)
        self.settings = settings
        self.info = ExchangeFileInfo(self.path)
        self.points = PointStore()
        self.polylines = PolylineStore()
        self._zero_points: set[int] = set()

    # -- the stream
    def parcels(self) -> Iterator[ExchangeParcel]:
        override, self.info.encoding, wrong = detect_encoding(self.path)
        if wrong:
            self.info.findings.append(
                Finding(
                    "wrong_encoding",
                    "Файл оголошує кодування UTF-8, але записаний у windows-1251; прочитано як windows-1251",
                    "The file declares UTF-8 but is written in windows-1251; read as windows-1251",
                    severity=WARNING,
                )
            )
        try:
            yield from self._stream(override)
        except etree.XMLSyntaxError as error:
            raise NotAnExchangeFile(
                Finding(
                    "not_xml",
                    f"Файл {self.path.name} не є правильним XML: {error}",
                    f"{self.path.name} is not well-formed XML: {error}",
                    line=getattr(error, "lineno", None),
                )
            ) from error

    def _stream(self, encoding: str | None) -> Iterator[ExchangeParcel]:
        context = etree.iterparse(
            str(self.path), events=("start", "end"), encoding=encoding, huge_tree=True, remove_comments=True
        )
        stack: list[str] = []
        captured = 0
        zone_koatuu = zone = quarter = ""
        pending: list = []  # parcels read before the metric part (out-of-order files)
        metric_done = False
        for event, el in context:
            name = _local(el.tag)
            if event == "start":
                if not stack:
                    self._check_root(el, name)
                else:
                    self._check_allowed(stack[-1], name, el, stack)
                stack.append(name)
                if name in _CAPTURED:
                    captured += 1
                continue
            # end
            stack.pop()
            parent = stack[-1] if stack else ""
            if name in _CAPTURED:
                captured -= 1
            if name == "ServiceInfo":
                self.info.format_version = _text(el, "FormatVersion")
                self.info.file_date = _text(el, "FileID", "FileDate")
                self.info.file_guid = _text(el, "FileID", "FileGUID")
                self.info.software = " ".join(filter(None, (_text(el, "Software"), _text(el, "SoftwareVersion"))))
            elif name == "InfoLandWork":
                self.info.surveyor = _surveyor(el)
            elif name == "CoordinateSystem" and parent == "MetricInfo" and captured == 0:
                self._declare_system(el)
            elif name == "Point" and parent == "PointInfo":
                self._point(el)
            elif name == "PL" and parent == "Polyline":
                self._polyline(el)
            elif name == "MetricInfo" and parent == "InfoPart":
                metric_done = True
                self._resolve_system()
                for parcel in pending:
                    yield self._finish(parcel)
                pending.clear()
            elif name == "KOATUU" and parent == "CadastralZoneInfo":
                zone_koatuu = (el.text or "").strip()
            elif name == "CadastralZoneNumber" and not captured:
                text = (el.text or "").strip()
                if ":" in text:
                    zone_koatuu, zone = text.split(":", 1)
                else:
                    zone = text
            elif name == "CadastralQuarterNumber" and not captured:
                quarter = (el.text or "").strip()
            elif name == "ParcelInfo":
                parcel = _parcel(el, zone_koatuu.strip(), zone.strip(), quarter, self.settings)
                if metric_done:
                    yield self._finish(parcel)
                else:
                    pending.append(parcel)
            if not captured:
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
        if not metric_done:
            self.info.findings.append(
                Finding(
                    "no_metric_info",
                    "У файлі немає метричної інформації (InfoPart/MetricInfo): координат точок і ліній",
                    "The file has no metric part (InfoPart/MetricInfo)",
                    "InfoPart",
                )
            )
            self._resolve_system()
            for parcel in pending:
                yield self._finish(parcel)

    # -- checks of the structure
    def _check_root(self, el, name: str) -> None:
        if name != ROOT:
            for pattern, what_uk, what_en in OTHER_FILES:
                if pattern.search(name):
                    raise NotAnExchangeFile(
                        Finding(
                            "not_exchange_file",
                            f"{self.path.name} — це {what_uk}, а не обмінний файл кадастру"
                            f" (кореневий елемент «{name}»)",
                            f"{self.path.name} is {what_en}, not a cadastral exchange file (root element {name})",
                            line=el.sourceline,
                        )
                    )
            raise NotAnExchangeFile(
                Finding(
                    "not_exchange_file",
                    f"{self.path.name} не є обмінним файлом кадастру: кореневий елемент «{name}»,"
                    f" а має бути «{ROOT}»",
                    f"{self.path.name} is not a cadastral exchange file: root element {name}, expected {ROOT}",
                    line=el.sourceline,
                )
            )
        self.info.namespace = etree.QName(el.tag).namespace or ""

    def _check_allowed(self, parent: str, name: str, el, stack: list[str]) -> None:
        allowed = ALLOWED_CHILDREN.get(parent)
        if allowed is None or name in allowed:
            return
        path = "/".join(stack[-3:] + [name])
        self.info.findings.append(
            Finding(
                "unknown_element",
                f"Елемент «{name}» не передбачений форматом обмінного файлу в «{parent}»; його пропущено",
                f"Element {name} is not allowed by the exchange format inside {parent}; skipped",
                path,
                el.sourceline,
                WARNING,
            )
        )

    # -- metric part
    def _point(self, el) -> None:
        uidp = _number(_text(el, "UIDP"))
        x, y = _number(_text(el, "X")), _number(_text(el, "Y"))
        if uidp is None or x is None or y is None:
            self.info.findings.append(
                Finding(
                    "bad_point",
                    "Точка без номера (UIDP) або з нечисловими координатами X/Y",
                    "A point without UIDP or with non-numeric X/Y",
                    "MetricInfo/PointInfo/Point",
                    el.sourceline,
                )
            )
            return
        if x == 0 and y == 0:
            self._zero_points.add(int(uidp))
        self.points.add(int(uidp), x, y, el.sourceline)

    def _polyline(self, el) -> None:
        ulid = _number(_text(el, "ULID"))
        points = _child(el, "Points")
        uidps = [int(v) for p in (_children(points, "P") if points is not None else []) if (v := _number(p.text or ""))]
        if ulid is None or len(uidps) < 2:
            self.info.findings.append(
                Finding(
                    "bad_polyline",
                    "Лінія без номера (ULID) або з менш ніж двома точками",
                    "A polyline without ULID or with fewer than two points",
                    "MetricInfo/Polyline/PL",
                    el.sourceline,
                )
            )
            return
        self.polylines.add(int(ulid), uidps)

    def _declare_system(self, el) -> None:
        kind = next((c for c in el if isinstance(c.tag, str)), None)
        if kind is None:
            return
        name = _local(kind.tag)
        detail = ""
        if name == "SC63":
            district = next((c for c in kind if isinstance(c.tag, str)), None)
            detail = _local(district.tag) if district is not None else ""
        elif name == "Local":
            detail = (kind.text or "").strip()
        self.info.declared_system = DeclaredSystem(name, detail)

    def _resolve_system(self) -> None:
        info = self.info
        self.info.points, self.info.polylines = len(self.points), len(self.polylines)
        if info.declared_system is None:
            info.findings.append(
                Finding(
                    "no_coordinate_system",
                    "Файл не вказує систему координат (InfoPart/MetricInfo/CoordinateSystem)",
                    "The file names no coordinate system",
                    "InfoPart/MetricInfo",
                )
            )
            return
        sample = next((self.points.y[i] for i in range(len(self.points)) if self.points.y[i] != 0), None)
        try:
            info.system = resolve(info.declared_system, sample, self.settings.local_system_when_unnamed)
        except CoordinateSystemError as error:
            info.findings.append(
                Finding("coordinate_system", error.message_uk, error.message_en, "InfoPart/MetricInfo/CoordinateSystem")
            )
            return
        if info.declared_system.kind == "Local" and not re.search(r"\d{2}", info.declared_system.detail):
            info.findings.append(
                Finding(
                    "local_system_unnamed",
                    f"Місцеву систему координат не названо; прийнято МСК-{self.settings.local_system_when_unnamed}",
                    f"The local system is not named; LCS-{self.settings.local_system_when_unnamed} assumed",
                    "InfoPart/MetricInfo/CoordinateSystem",
                    severity=WARNING,
                )
            )
        if not info.system.confirmed:
            info.findings.append(
                Finding(
                    "unconfirmed_system",
                    f"Параметри системи «{info.system.name}» не підтверджені офіційним документом;"
                    " перевірте положення ділянок на карті",
                    f"The parameters of {info.system.name} have no official source; check the parcels' position",
                    "InfoPart/MetricInfo/CoordinateSystem",
                    severity=WARNING,
                )
            )

    # -- one parcel: rings from the referenced lines, checks, EPSG:9836
    def _finish(self, parcel: ExchangeParcel) -> ExchangeParcel:
        for lines, interior in parcel.boundaries:
            ring = self._ring(parcel, lines)
            if ring is None:
                continue
            if interior:
                if not parcel.polygons:
                    parcel.refuse(
                        "hole_without_exterior", "Внутрішній контур без зовнішнього", "A hole without an exterior"
                    )
                    continue
                parcel.polygons[-1][1].append(ring)
            else:
                parcel.polygons.append((ring, []))
        if not parcel.polygons and not parcel.refused:
            parcel.refuse(
                "no_boundary",
                "Ділянка не має зовнішньої межі (ParcelMetricInfo/Externals/Boundary)",
                "The parcel has no outer boundary",
            )
        self._check_area(parcel)
        system = self.info.system
        if system is not None and parcel.polygons and not parcel.refused:
            t = system.transformer()
            polys = []
            area = 0.0
            for ext, holes in parcel.polygons:
                rings = []
                for k, ring in enumerate([ext, *holes]):
                    xs, ys = t.transform([p[1] for p in ring], [p[0] for p in ring])
                    pts = list(zip(xs, ys, strict=False))
                    a = ring_area(pts)
                    area += a if k == 0 else -a
                    rings.append("(" + ",".join(f"{x:.4f} {y:.4f}" for x, y in pts) + ")")
                polys.append("(" + ",".join(rings) + ")")
            parcel.wkt_9836 = "MULTIPOLYGON(" + ",".join(polys) + ")"
            parcel.area_9836_m2 = area
            if system.geographic:
                self._compare_area(parcel, area)
        return parcel

    def _ring(self, parcel: ExchangeParcel, lines: list[tuple[int, int | None, int | None, int]]) -> Ring | None:
        """Chains the boundary's lines into a closed ring: each line runs FP -> TP
        when the file says so; a line shared with a neighbour may be written the
        other way round and is reversed; lines may come in any order."""
        pieces = []
        for ulid, fp, tp, line in lines:
            uidps = self.polylines.get(ulid)
            if uidps is None:
                parcel.refuse(
                    "missing_polyline",
                    f"Межа посилається на лінію ULID={ulid}, якої немає в MetricInfo/Polyline",
                    f"The boundary refers to polyline ULID={ulid}, which MetricInfo/Polyline lacks",
                    line=line,
                )
                return None
            if fp is not None and tp is not None:
                if uidps[0] == tp and uidps[-1] == fp:
                    uidps = uidps[::-1]
                elif not (uidps[0] == fp and uidps[-1] == tp):
                    parcel.refuse(
                        "broken_polyline",
                        f"Лінія ULID={ulid} не з'єднує точки FP={fp} і TP={tp}, як вказано в межі",
                        f"Polyline ULID={ulid} does not run between FP={fp} and TP={tp}",
                        line=line,
                    )
                    return None
            pieces.append((ulid, uidps, line))
        chain = list(pieces[0][1]) if pieces else []
        rest = pieces[1:]
        while rest:
            for i, (_ulid, uidps, _line) in enumerate(rest):
                if uidps[0] == chain[-1]:
                    chain.extend(uidps[1:])
                elif uidps[-1] == chain[-1]:
                    chain.extend(uidps[-2::-1])
                elif len(chain) == len(pieces[0][1]) and uidps[0] == chain[0]:
                    chain = chain[::-1] + uidps[1:]  # the first line itself was written backwards
                elif len(chain) == len(pieces[0][1]) and uidps[-1] == chain[0]:
                    chain = chain[::-1] + uidps[-2::-1]
                else:
                    continue
                del rest[i]
                break
            else:
                ulid, _uidps, line = rest[0]
                parcel.refuse(
                    "broken_polyline",
                    f"Лінія ULID={ulid} не приєднується до решти межі (розрив контуру)",
                    f"Polyline ULID={ulid} does not join the rest of the boundary (a gap in the ring)",
                    line=line,
                )
                return None
        ring: Ring = []
        for uidp in chain:
            point = self.points.get(uidp)
            if point is None:
                parcel.refuse(
                    "missing_point",
                    f"Лінія межі посилається на точку UIDP={uidp}, якої немає в MetricInfo/PointInfo",
                    f"A boundary line refers to point UIDP={uidp}, which MetricInfo/PointInfo lacks",
                )
                return None
            if uidp in self._zero_points:
                parcel.refuse(
                    "zero_coordinates",
                    f"Точка UIDP={uidp} має нульові координати (X = 0, Y = 0)",
                    f"Point UIDP={uidp} has all-zero coordinates",
                )
                return None
            ring.append(point)
        if len(ring) < 4 or ring[0] != ring[-1]:
            parcel.refuse(
                "unclosed_ring",
                f"Контур межі не замкнений: він починається в точці UIDP={chain[0]}, а закінчується в UIDP={chain[-1]}"
                if chain
                else "Контур межі порожній",
                f"The boundary ring is not closed (starts at UIDP={chain[0] if chain else '-'},"
                f" ends at UIDP={chain[-1] if chain else '-'})",
                line=lines[0][3] if lines else None,
            )
            return None
        return ring

    def _check_area(self, parcel: ExchangeParcel) -> None:
        if parcel.declared_area is None:
            parcel.refuse(
                "no_area",
                "Не вказано площу ділянки (ParcelMetricInfo/Area/Size)",
                "The parcel's area is not given (ParcelMetricInfo/Area/Size)",
            )
            return
        system = self.info.system
        if parcel.refused or not parcel.polygons or system is None or system.geographic:
            return
        self._compare_area(parcel, parcel.computed_area_m2)

    def _compare_area(self, parcel: ExchangeParcel, computed_m2: float) -> None:
        declared_m2 = parcel.declared_area_ha * 10000
        if parcel.area_error is not None:
            tolerance = parcel.area_error * _to_ha(parcel.area_unit) * 10000
            basis_uk, basis_en = "похибка, вказана у файлі", "the error stated in the file"
        else:
            tolerance = self.settings.area_tolerance(declared_m2)
            basis_uk, basis_en = "допуск за налаштуваннями міста", "the city's default tolerance"
        if abs(declared_m2 - computed_m2) > tolerance + 1e-6:
            parcel.refuse(
                "area_mismatch",
                f"Площа ділянки {parcel.declared_area_ha:.4f} га не збігається з площею за координатами"
                f" {computed_m2 / 10000:.4f} га (різниця {abs(declared_m2 - computed_m2):.1f} м², {basis_uk}"
                f" {tolerance:.1f} м²)",
                f"Declared area {parcel.declared_area_ha:.4f} ha differs from the area of the coordinates"
                f" {computed_m2 / 10000:.4f} ha by {abs(declared_m2 - computed_m2):.1f} m²"
                f" ({basis_en}: {tolerance:.1f} m²)",
            )


def _full_name(el) -> str:
    if el is None:
        return ""
    return " ".join(filter(None, (_text(el, "LastName"), _text(el, "FirstName"), _text(el, "MiddleName"))))


def _party(el) -> Party | None:
    """A NaturalPerson or LegalEntity element, or an element holding one."""
    if el is None:
        return None
    name = _local(el.tag)
    if name not in ("NaturalPerson", "LegalEntity"):
        inner = next((c for c in el.iter() if _local(c.tag) in ("NaturalPerson", "LegalEntity")), None)
        if inner is None:
            return None
        el, name = inner, _local(inner.tag)
    if name == "LegalEntity":
        return Party(True, _text(el, "Name"), _text(el, "EDRPOU") or None)
    return Party(False, _full_name(_child(el, "FullName")), _text(el, "TaxNumber") or None)


def _surveyor(el) -> Surveyor:
    executor = _child(el, "Executor")
    if executor is None:
        executor = next((c for c in el.iter() if _local(c.tag) in ("Executor", "CadastralEngineer")), el)
    person = next((c for c in executor.iter() if _local(c.tag) in ("ExecutorName", "CadastralEngineerName")), None)
    certificate = next((c for c in executor.iter() if _local(c.tag) == "QualificationNumber"), None)
    return Surveyor(
        company=_text(executor, "CompanyName"),
        edrpou=_text(executor, "EDRPOU") or None,
        engineer=_full_name(person),
        certificate=(certificate.text or "").strip() if certificate is not None else "",
    )


def parse_date(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _boundaries(externals) -> list[tuple[list[tuple[int, int | None, int | None, int]], bool]]:
    """(lines, interior?) of every Boundary under an Externals element; holes
    are in Externals/Internals (and, in some files, beside Externals)."""
    out = []
    if externals is None:
        return out
    for boundary in _children(externals, "Boundary"):
        out.append((_lines(boundary), False))
    internals = _child(externals, "Internals")
    for boundary in _children(internals, "Boundary") if internals is not None else []:
        out.append((_lines(boundary), True))
    return out


def _lines(boundary) -> list[tuple[int, int | None, int | None, int]]:
    lines = _child(boundary, "Lines")
    out = []
    for line in _children(lines, "Line") if lines is not None else []:
        ulid = _number(_text(line, "ULID"))
        fp, tp = _number(_text(line, "FP")), _number(_text(line, "TP"))
        if ulid is not None:
            out.append((int(ulid), None if fp is None else int(fp), None if tp is None else int(tp), line.sourceline))
    return out


def _parcel(el, koatuu: str, zone: str, quarter: str, settings: ImportSettings) -> ExchangeParcel:
    metric = _child(el, "ParcelMetricInfo")
    parcel = ExchangeParcel(line=el.sourceline or 0, koatuu=koatuu, zone=zone.zfill(2), quarter=quarter.zfill(3))
    if metric is not None:
        parcel.parcel_id = _text(metric, "ParcelID").zfill(4)
        parcel.description = _text(metric, "Description")
        area = _child(metric, "Area")
        if area is not None:
            parcel.declared_area = _number(_text(area, "Size"))
            parcel.area_unit = _text(area, "MeasurementUnit") or "га"
        parcel.area_error = _number(_text(metric, "Error")) if _text(metric, "Error") else None
        externals = _child(metric, "Externals")
        parcel.boundaries = _boundaries(externals)
        beside = _child(metric, "Internals")  # older files put the holes beside Externals
        for boundary in _children(beside, "Boundary") if beside is not None else []:
            parcel.boundaries.append((_lines(boundary), True))
    if not re.fullmatch(r"\d{10}:\d{2}:\d{3}:\d{4}", parcel.cadastral_number):
        parcel.refuse(
            "cadastral_number",
            f"Кадастровий номер «{parcel.cadastral_number}» неповний або неправильний: потрібні КОАТУУ (10 цифр),"
            " зона (2), квартал (3) і номер ділянки (4)",
            f'Cadastral number "{parcel.cadastral_number}" is incomplete or malformed',
        )
    purpose = _child(el, "CategoryPurposeInfo")
    if purpose is not None:
        raw = _text(purpose, "Purpose")
        parcel.purpose_code = purpose_code(raw)
        parcel.purpose_text = raw
        parcel.category = _text(purpose, "Category")
    if parcel.purpose_code is None:
        parcel.refuse(
            "no_purpose",
            f"Не вказано код цільового призначення (CategoryPurposeInfo/Purpose: «{parcel.purpose_text}»)",
            "No land-use purpose code (CategoryPurposeInfo/Purpose)",
        )
    parcel.ownership_code = _text(el, "OwnershipInfo", "Code")
    location = _child(el, "ParcelLocationInfo")
    address = _child(location, "ParcelAddress") if location is not None else None
    if address is not None:
        street = " ".join(filter(None, (_text(address, "StreetType"), _text(address, "StreetName"))))
        parcel.address = ", ".join(filter(None, (street, _text(address, "Building"))))
    proprietors = _child(el, "Proprietors")
    for info in _children(proprietors, "ProprietorInfo") if proprietors is not None else []:
        party = _party(_child(info, "Authentication"))
        if party is not None:
            parcel.proprietors.append(party)
    lands = _child(el, "LandsParcel")
    for land in _children(lands, "LandParcelInfo") if lands is not None else []:
        area = next((c for c in land.iter() if _local(c.tag) == "Size"), None)
        parcel.lands.append(Land(_text(land, "LandCode"), _number(area.text or "") if area is not None else None))
    leases = _child(el, "Leases")
    for lease in _children(leases, "LeaseInfo") if leases is not None else []:
        parcel.leases.append(_lease(lease, sublease=False))
    subleases = _child(el, "Subleases")
    for sub in _children(subleases, "SubleaseInfo") if subleases is not None else []:
        parcel.leases.append(_lease(sub, sublease=True))
    restrictions = _child(el, "Restrictions")
    for r in _children(restrictions, "RestrictionInfo") if restrictions is not None else []:
        term = _child(r, "RestrictionTerm")
        expires = parse_date(_text(term, "Time", "ExpirationDate")) if term is not None else None
        parcel.restrictions.append(Restriction(_text(r, "RestrictionCode"), _text(r, "RestrictionName"), expires))
    return parcel


def _lease(el, sublease: bool) -> Lease:
    agreement = _child(el, "LeaseAgreement") if not sublease else el
    holder = _child(agreement, "Subleasees" if sublease else "Leasees") if agreement is not None else None
    parties = [
        p
        for c in (holder if holder is not None else [])
        if isinstance(c.tag, str)
        for p in [_party(c)]
        if p is not None
    ]
    term = _child(agreement, "SubleaseTerm" if sublease else "LeaseTerm") if agreement is not None else None
    decision = _child(el, "ExecutivePowerDecision")
    decision_text = ""
    if decision is not None:
        decision_text = _text(decision, "ApprovalDocumentName")
        if _text(decision, "ApprovalDocumentNumber"):
            decision_text += f" № {_text(decision, 'ApprovalDocumentNumber')}"
        if _text(decision, "ApprovalDate"):
            decision_text += f" від {_text(decision, 'ApprovalDate')}"
    registration = ""
    if agreement is not None and _text(agreement, "RegistrationNumber"):
        registration = f"№ {_text(agreement, 'RegistrationNumber')}"
        if _text(agreement, "RegistrationDate"):
            registration += f" від {_text(agreement, 'RegistrationDate')}"
    return Lease(
        lessees=parties,
        area_ha=_number(_text(agreement, "Area")) if agreement is not None else None,
        starts=parse_date(_text(term, "StartDate")) if term is not None else None,
        expires=parse_date(_text(term, "ExpirationDate")) if term is not None else None,
        registration=registration,
        decision=decision_text.strip(),
        sublease=sublease,
    )
