"""Exchange files the tests write themselves, modelled on the published format
(Вимоги до обмінного файлу, КМУ № 1051; XSD of format version 0.7) and on
how real files differ from it: versions, encodings, namespaces, the old
layout, shared boundary lines written once and used backwards by the
neighbour.

Written with plain string templates, independently of the project's own
exporter, so that the reader is tested against files it did not write.
Geometry is given in EPSG:9836 and written in the file's system with pyproj.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyproj
from conftest import CENTRE

# The systems a test file may be written in: (CoordinateSystem XML, EPSG code).
SYSTEMS = {
    "MSK-18": ("<Local>МСК-18</Local>", 9836),
    "SC63-X3": ("<SC63><X/></SC63>", 7827),
    "USC2000-GK5": ("<USC2000/>", 5563),
    "SC42-GK5": ("<SC42/>", 28405),
}


@dataclass
class Parcel:
    number: str  # ZZ:QQQ:PPPP
    rings: list[list[tuple[float, float]]]  # EPSG:9836 (easting, northing); first exterior, then holes
    purpose: str = "02.01"
    ownership: str = "200"
    declared_area_ha: float | None = None  # None: computed from the file's coordinates, as software does
    area_error: float | None = None
    extra_xml: str = ""  # more children of ParcelInfo (leases, restrictions, odd elements)
    description: str = ""


def rectangle(dx: float, dy: float, width: float, height: float) -> list[tuple[float, float]]:
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    return [(x, y), (x, y + height), (x + width, y + height), (x + width, y), (x, y)]


@dataclass
class ExchangeFile:
    parcels: list[Parcel]
    system: str = "MSK-18"
    version: str = "2.0"
    koatuu: str = "1810100000"
    old_layout: bool = False  # <KOATUU> apart from a two-digit zone
    namespace: str | None = None
    crlf: bool = False
    share_lines: bool = True  # a boundary edge common to two parcels is one polyline
    surveyor: str = "ТОВ «Житомирземпроект»"
    file_date: str = "2024-03-15"  # ServiceInfo/FileID/FileDate
    extra_metric_xml: str = ""
    # parcel number -> what to break: "missing" (a line not in the file), "fptp" (FP/TP not the line's
    # ends), "gap" (a side left out), "open" (the closing side left out), "zero" (a point at 0, 0)
    break_line: dict = field(default_factory=dict)

    def xml(self) -> str:
        header, epsg = SYSTEMS[self.system]
        to_file = pyproj.Transformer.from_crs(9836, epsg, always_xy=True)
        points: dict[tuple[float, float], int] = {}
        point_xml: list[str] = []
        lines: dict[tuple[int, int], int] = {}
        line_xml: list[str] = []

        def uidp(easting: float, northing: float) -> int:
            key = (round(easting, 3), round(northing, 3))
            if key not in points:
                points[key] = len(points) + 1
                e, n = to_file.transform(easting, northing)
                point_xml.append(
                    f"<Point><UIDP>{points[key]}</UIDP><PN>{points[key]}</PN><DeterminationMethod><GPS/>"
                    f"</DeterminationMethod><X>{n:.3f}</X><Y>{e:.3f}</Y><MX>0.05</MX><MY>0.05</MY></Point>"
                )
            return points[key]

        def line(a: int, b: int) -> tuple[int, int, int]:
            """ULID of the edge a-b and the (FP, TP) this boundary walks it in."""
            if self.share_lines and (b, a) in lines:
                return lines[(b, a)], a, b  # the neighbour's line, walked backwards
            ulid = len(lines) + 1
            lines[(a, b)] = ulid
            line_xml.append(f"<PL><ULID>{ulid}</ULID><Points><P>{a}</P><P>{b}</P></Points><Length>0</Length></PL>")
            return ulid, a, b

        parcels_xml = []
        for parcel in self.parcels:
            file_rings = []
            boundaries = []
            for k, ring in enumerate(parcel.rings):
                ids = [uidp(e, n) for e, n in ring]
                file_rings.append([to_file.transform(e, n) for e, n in ring])
                refs = []
                for a, b in zip(ids, ids[1:], strict=False):
                    ulid, fp, tp = line(a, b)
                    refs.append(f"<Line><ULID>{ulid}</ULID><FP>{fp}</FP><TP>{tp}</TP></Line>")
                broken = self.break_line.get(parcel.number)
                if k == 0 and broken == "missing":
                    refs[1] = "<Line><ULID>9999</ULID><FP>1</FP><TP>2</TP></Line>"
                if k == 0 and broken == "open":
                    refs = refs[:-1]  # the closing edge is left out
                if k == 0 and broken == "fptp":
                    refs[1] = re.sub(r"<FP>\d+</FP>", "<FP>999</FP>", refs[1])
                if k == 0 and broken == "gap":
                    refs = refs[:1] + refs[2:]
                boundaries.append("<Boundary><Lines>" + "".join(refs) + "</Lines><Closed>true</Closed></Boundary>")
            area_m2 = _area(file_rings[0]) - sum(_area(r) for r in file_rings[1:])
            declared = parcel.declared_area_ha if parcel.declared_area_ha is not None else round(area_m2 / 10000, 4)
            zone, quarter, number = parcel.number.split(":")
            holes = "<Internals>" + "".join(boundaries[1:]) + "</Internals>" if len(boundaries) > 1 else ""
            error = f"<Error>{parcel.area_error}</Error>" if parcel.area_error is not None else ""
            parcels_xml.append(
                (
                    zone,
                    quarter,
                    f"""<ParcelInfo>
<ParcelLocationInfo><Region>Житомирська</Region><Settlement>Житомир</Settlement><ParcelLocation><Urban/></ParcelLocation>
<ParcelAddress><StreetType>вулиця</StreetType><StreetName>Київська</StreetName><Building>{number.lstrip("0")}</Building></ParcelAddress></ParcelLocationInfo>
<CategoryPurposeInfo><Category>300</Category><Purpose>{parcel.purpose}</Purpose></CategoryPurposeInfo>
<OwnershipInfo><Code>{parcel.ownership}</Code></OwnershipInfo>
<ParcelMetricInfo><ParcelID>{number}</ParcelID><Description>{parcel.description}</Description>
<Area><MeasurementUnit>Га</MeasurementUnit><Size>{declared:.4f}</Size><DeterminationMethod><ExhangeFileCoordinates/></DeterminationMethod></Area>{error}
<Externals>{boundaries[0]}{holes}</Externals></ParcelMetricInfo>
<LandsParcel><LandParcelInfo><LandCode>002.02</LandCode><MetricInfo><Area><MeasurementUnit>Га</MeasurementUnit><Size>{declared:.4f}</Size></Area>
<Externals>{boundaries[0]}</Externals></MetricInfo></LandParcelInfo></LandsParcel>{parcel.extra_xml}
</ParcelInfo>""",
                )
            )
        if "zero" in self.break_line.values():
            point_xml[0] = re.sub(r"<X>.*</Y>", "<X>0</X><Y>0</Y>", point_xml[0])
        zones: dict[str, dict[str, list[str]]] = {}
        for zone, quarter, text in parcels_xml:
            zones.setdefault(zone, {}).setdefault(quarter, []).append(text)
        zone_xml = []
        for zone, quarters in zones.items():
            number = (
                f"<KOATUU>{self.koatuu}</KOATUU><CadastralZoneNumber>{zone}</CadastralZoneNumber>"
                if self.old_layout
                else f"<CadastralZoneNumber>{self.koatuu}:{zone}</CadastralZoneNumber>"
            )
            quarters_xml = "".join(
                f"<CadastralQuarterInfo><CadastralQuarterNumber>{q}</CadastralQuarterNumber><Parcels>{''.join(ps)}</Parcels></CadastralQuarterInfo>"
                for q, ps in quarters.items()
            )
            zone_xml.append(
                f"<CadastralZoneInfo>{number}<CadastralQuarters>{quarters_xml}</CadastralQuarters></CadastralZoneInfo>"
            )
        ns = f' xmlns="{self.namespace}"' if self.namespace else ""
        text = f"""<UkrainianCadastralExchangeFile{ns}>
<AdditionalPart>
<ServiceInfo><FileID><FileDate>{self.file_date}</FileDate><FileGUID>6F1A9A1E-2C1B-4E5A-9D55-0A7C3D1B2E4F</FileGUID></FileID>
<FormatVersion>{self.version}</FormatVersion><ReceiverName>Житомирська міська рада</ReceiverName>
<Software>Тест</Software><SoftwareVersion>1</SoftwareVersion></ServiceInfo>
<InfoLandWork><Executor><CompanyName>{self.surveyor}</CompanyName><EDRPOU>04053625</EDRPOU>
<Executor><ExecutorName><LastName>Коваленко</LastName><FirstName>Олена</FirstName></ExecutorName><ExecutorPosition>інженер-землевпорядник</ExecutorPosition>
<Qualification><QualificationNumber>12345</QualificationNumber><QualificationDate>2015-05-05</QualificationDate></Qualification>
<ContactInfo><Phone>+380412000000</Phone></ContactInfo></Executor></Executor></InfoLandWork>
</AdditionalPart>
<InfoPart>
<MetricInfo><CoordinateSystem>{header}</CoordinateSystem><HeightSystem><Baltic/></HeightSystem><MeasurementUnit><M/></MeasurementUnit>
<PointInfo>{"".join(point_xml)}</PointInfo>
<Polyline>{"".join(line_xml)}</Polyline>{self.extra_metric_xml}</MetricInfo>
{"".join(zone_xml)}
</InfoPart>
</UkrainianCadastralExchangeFile>
"""
        return text.replace("\n", "\r\n") if self.crlf else text

    def write(self, path: Path, encoding: str = "utf-8", bom: bool = False, declare: bool = True) -> Path:
        prolog = f'<?xml version="1.0" encoding="{encoding}"?>\n' if declare else ""
        data = (prolog + self.xml()).encode(encoding)
        path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
        return path


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2


def neighbours(quarter: str = "001", count: int = 3, dx: float = 0, dy: float = 0, **kw) -> list[Parcel]:
    """A row of 40 x 50 m parcels sharing their side boundaries (0.2000 ha each)."""
    return [Parcel(f"01:{quarter}:{i + 1:04d}", [rectangle(dx + 40 * i, dy, 40, 50)], **kw) for i in range(count)]
