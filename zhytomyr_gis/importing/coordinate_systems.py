"""The coordinate system an exchange file declares, turned into a transformation
to EPSG:9836 (UCS-2000 / LCS-18 Zhytomyr), where the registers keep geometry.

The file names a system (``<SC63><X/></SC63>``, ``<USC2000/>``,
``<Local>МСК-18</Local>``…) but not its zone: Gauss-Krüger and СК-63
eastings carry the zone number in front (Y = 3 300 000 + … is zone 3), so the
zone is read from the first point's easting. The parameters and their
sources are in ``coordinate_systems.json`` next to this module.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyproj
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import TransverseMercatorConversion
from pyproj.database import query_crs_info

TARGET_EPSG = 9836
DATA = Path(__file__).with_name("coordinate_systems.json")


class CoordinateSystemError(ValueError):
    """The file's coordinate system cannot be turned into EPSG:9836."""

    def __init__(self, message_uk: str, message_en: str):
        super().__init__(message_uk)
        self.message_uk = message_uk
        self.message_en = message_en


@dataclass(frozen=True)
class DeclaredSystem:
    """What the file says: ``kind`` is SC42, SC42_3, SC63, USC2000, Local or WGS84;
    ``detail`` the СК-63 district (X, C, P, T) or the text of <Local>."""

    kind: str
    detail: str = ""

    @property
    def label(self) -> str:
        if self.kind == "SC63":
            return f"SC63 {self.detail}".strip()
        if self.kind == "Local":
            return f"Local {self.detail}".strip()
        return self.kind


@dataclass(frozen=True)
class ResolvedSystem:
    declared: DeclaredSystem
    crs: pyproj.CRS
    name: str  # e.g. "Pulkovo 1942 / CS63 zone X3"
    zone: int | None
    confirmed: bool  # False: parameters without an official source (see the JSON)
    geographic: bool
    source: str

    @property
    def code(self) -> str:
        """EPSG:nnnn, or the name for a system without an EPSG code."""
        auth = self.crs.to_authority()
        return f"{auth[0]}:{auth[1]}" if auth else self.name

    def transformer(self) -> pyproj.Transformer:
        return _transformer(self.crs.to_wkt())

    def to_target(self, northing: float, easting: float) -> tuple[float, float]:
        """(easting, northing) in EPSG:9836 of a point given as the file gives it: X the
        northing (or latitude), Y the easting (or longitude)."""
        return self.transformer().transform(easting, northing)


@functools.cache
def _transformer(wkt: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(wkt), pyproj.CRS.from_epsg(TARGET_EPSG), always_xy=True)


@functools.lru_cache(maxsize=1)
def catalogue() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def _epsg_by_name(name: str) -> int | None:
    """EPSG code of a CRS by its exact name (``startswith`` for the LCS names,
    which go on with the region: "UCS-2000 / LCS-18 Zhytomyr")."""
    for info in query_crs_info(auth_name="EPSG"):
        if info.name == name or (name.endswith(" ") and info.name.startswith(name)):
            return int(info.code)
    return None


def zone_of(easting: float) -> int:
    """The zone number Gauss-Krüger and СК-63 eastings carry in front of 6 digits."""
    return int(abs(easting) // 1_000_000)


_LOCAL_CODE = re.compile(r"(\d{2})")


def resolve(declared: DeclaredSystem, sample_easting: float | None, local_when_unnamed: str = "18") -> ResolvedSystem:
    """The CRS of a declared system, its zone read from an easting of the file."""
    systems = catalogue()["systems"]
    kind = declared.kind
    if kind == "WGS84":
        entry = systems["WGS84"]
        return ResolvedSystem(declared, pyproj.CRS.from_epsg(4326), "WGS 84", None, True, True, entry["source"])
    if kind == "Local":
        text = declared.detail or ""
        m = _LOCAL_CODE.search(text)
        code = m.group(1) if m else local_when_unnamed
        epsg = _epsg_by_name(f"UCS-2000 / LCS-{code} ")
        if epsg is None:
            raise CoordinateSystemError(
                f"Місцева система координат «{text}» невідома: очікується МСК-NN з кодом області (напр. МСК-18)",
                f'Unknown local coordinate system "{text}": expected LCS-NN with a region code (e.g. МСК-18)',
            )
        crs = pyproj.CRS.from_epsg(epsg)
        return ResolvedSystem(declared, crs, crs.name, int(code), True, False, systems["Local"]["source"])
    if sample_easting is None:
        raise CoordinateSystemError("У файлі немає жодної точки", "The file has no points")
    zone = zone_of(sample_easting)
    key = f"SC63_{declared.detail}" if kind == "SC63" else kind
    entry = systems.get(key)
    if entry is None:
        raise CoordinateSystemError(
            f"Система координат «{declared.label}» не передбачена форматом обмінного файлу",
            f'Coordinate system "{declared.label}" is not one the exchange format allows',
        )
    if "zones" in entry:
        proj = entry["zones"].get(str(zone))
        if proj is None:
            raise _no_zone(declared, zone, sample_easting)
        crs = _projected_from(proj, entry["base"], f"{entry['name_uk']}, зона {zone}")
        return ResolvedSystem(declared, crs, crs.name, zone, bool(entry.get("confirmed", True)), False, entry["source"])
    epsg = _epsg_by_name(entry["epsg_name"].format(zone=zone))
    if epsg is None:
        raise _no_zone(declared, zone, sample_easting)
    crs = pyproj.CRS.from_epsg(epsg)
    return ResolvedSystem(declared, crs, crs.name, zone, True, False, entry["source"])


def _no_zone(declared: DeclaredSystem, zone: int, easting: float) -> CoordinateSystemError:
    return CoordinateSystemError(
        f"Система координат «{declared.label}»: зони {zone} немає (координата Y = {easting:.2f}"
        " має починатися з номера зони)",
        f'Coordinate system "{declared.label}" has no zone {zone} (Y = {easting:.2f} must start with the zone number)',
    )


def _projected_from(proj: str, base: str, name: str) -> pyproj.CRS:
    """A transverse Mercator CRS on a named geodetic base (so that PROJ applies
    the EPSG datum shift of the base, not a ballpark one)."""
    params = dict(p.lstrip("+").split("=", 1) for p in proj.split() if "=" in p)
    conversion = TransverseMercatorConversion(
        latitude_natural_origin=float(params.get("lat_0", 0)),
        longitude_natural_origin=float(params["lon_0"]),
        false_easting=float(params.get("x_0", 0)),
        false_northing=float(params.get("y_0", 0)),
        scale_factor_natural_origin=float(params.get("k", 1)),
    )
    return pyproj.CRS(ProjectedCRS(conversion=conversion, geodetic_crs=pyproj.CRS(base), name=name).to_wkt())


def crs_for_export(kind: str, detail: str = "", zone: int | None = None) -> ResolvedSystem:
    """The system an export writes in (the inverse direction uses the same definitions)."""
    sample = None if zone is None else zone * 1_000_000 + 500_000
    return resolve(DeclaredSystem(kind, detail), sample)
