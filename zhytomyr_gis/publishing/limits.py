"""Well-formed requests and the limits of the public services, as plain functions.

QGIS Server 3.22 answers some malformed requests with a 500 (GetMap
without BBOX, a legend of absurd size or resolution), a 501 (an empty or
unknown REQUEST or VERSION) or an error with status 200 (an unknown
SERVICE), and serves any number of features a WFS request asks for. The
``zhytomyr_access`` server plugin applies these rules before any service
runs: a malformed request is refused with a 400 and an OGC exception that
says which parameter is wrong; a request asking for more than a limit is
refused, or, where the OGC standard lets the server return fewer (WFS
MAXFEATURES, WMS FEATURE_COUNT), clamped.

The limits are settings of the server (environment of the QGIS Server
workers, ``qgis_server/qgis-server.env.in``); ``Limits.from_environ`` reads
them with the defaults below.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from .access import Refusal

# Services and requests each project serves (WMS 1.3.0 and 1.1.1, WFS
# 1.1.0, WMTS 1.0.0; OGC API Features has its own paths). GetPrint prints
# the projects' layouts (access.check_print limits it).
REQUESTS = {
    "WMS": frozenset(
        {
            "getcapabilities",
            "getmap",
            "getfeatureinfo",
            "getlegendgraphic",
            "getlegendgraphics",
            "getstyle",
            "getstyles",
            "describelayer",
            "getprojectsettings",
            "getschemaextension",
            "getprint",
        }
    ),
    "WFS": frozenset({"getcapabilities", "describefeaturetype", "getfeature"}),
    "WMTS": frozenset({"getcapabilities", "gettile", "getfeatureinfo"}),
}
VERSIONS = {
    "WMS": frozenset({"1.3.0", "1.1.1"}),
    "WFS": frozenset({"1.1.0", "1.0.0"}),
    "WMTS": frozenset({"1.0.0"}),
}
# Legend sizes are in millimetres (SYMBOLWIDTH...) or pixels (WIDTH, HEIGHT).
LEGEND_MM_PARAMETERS = (
    "SYMBOLWIDTH",
    "SYMBOLHEIGHT",
    "BOXSPACE",
    "LAYERSPACE",
    "LAYERTITLESPACE",
    "SYMBOLSPACE",
    "ICONLABELSPACE",
)
LEGEND_FONT_PARAMETERS = ("LAYERFONTSIZE", "ITEMFONTSIZE")
MAX_LEGEND_MM = 100.0
_OWS_PATH_RE = re.compile(r"/ows/[^/]+/?")
MAX_FONT_SIZE = 72.0


@dataclass(frozen=True)
class Limits:
    """What one request may ask for; each a setting (environment variable in brackets)."""

    wfs_max_features: int = 5000  # features per WFS GetFeature (ZGIS_WFS_MAX_FEATURES)
    feature_info_max_features: int = 50  # features per GetFeatureInfo (ZGIS_FEATURE_INFO_MAX_FEATURES)
    legend_max_pixels: int = 2048  # width and height of a legend image (ZGIS_LEGEND_MAX_PIXELS)
    max_dpi: int = 600  # resolution of maps and legends (ZGIS_MAX_DPI)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        values = {}
        for f in fields(cls):
            key = f"ZGIS_{f.name.upper()}"
            if environ.get(key):
                try:
                    values[f.name] = int(environ[key])
                except ValueError:
                    raise ValueError(f"{key} must be a whole number, not {environ[key]!r}") from None
                if values[f.name] < 1:
                    raise ValueError(f"{key} must be at least 1, not {environ[key]!r}")
        return cls(**values)


def _bad(parameter: str, message: str) -> Refusal:
    return Refusal("InvalidParameterValue", f"{parameter}: {message}", status=400)


def _missing(parameter: str, message: str) -> Refusal:
    return Refusal("MissingParameterValue", f"{parameter}: {message}", status=400)


def _number(names: Mapping[str, str], parameter: str) -> float | None:
    value = names.get(parameter)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise _bad(parameter, f"{value[:40]!r} is not a number") from None
    if not math.isfinite(number):
        raise _bad(parameter, f"{value[:40]!r} is not a finite number")
    return number


def _within(names: Mapping[str, str], parameter: str, low: float, high: float, unit: str = "") -> None:
    number = _number(names, parameter)
    if number is not None and not low <= number <= high:
        raise _bad(parameter, f"must be between {low:g} and {high:g}{unit}, not {names[parameter][:40]}")


def _whole(names: Mapping[str, str], parameter: str, low: int) -> int | None:
    value = names.get(parameter)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise _bad(parameter, f"{value[:40]!r} is not a whole number") from None
    if number < low:
        raise _bad(parameter, f"must be at least {low}, not {number}")
    return number


def _dpi(names: Mapping[str, str], limits: Limits) -> None:
    _within(names, "DPI", 1, limits.max_dpi, " dpi")
    _within(names, "MAP_RESOLUTION", 1, limits.max_dpi, " dpi")
    for option in (names.get("FORMAT_OPTIONS") or "").split(";"):
        key, _, value = option.partition(":")
        if key.strip().lower() == "dpi":
            _within({"FORMAT_OPTIONS dpi": value.strip()}, "FORMAT_OPTIONS dpi", 1, limits.max_dpi, " dpi")


def _bbox(names: Mapping[str, str], required: bool) -> None:
    value = names.get("BBOX")
    if value is None or value.strip() == "":
        if required:
            raise _missing("BBOX", "the map's bounding box (minx,miny,maxx,maxy) is required")
        return
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise _bad("BBOX", f"{value[:80]!r} is not four numbers minx,miny,maxx,maxy") from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise _bad("BBOX", f"{value[:80]!r} is not four numbers minx,miny,maxx,maxy")
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise _bad("BBOX", "the minimum corner must come before the maximum corner")


def check_request(
    parameters: Mapping[str, str],
    path: str = "",
    limits: Limits | None = None,
    method: str = "GET",
    body: bytes = b"",
) -> dict[str, str]:
    """Refuse a malformed or oversized request (Refusal, status 400); else the parameters to set.

    Applies to the OGC web services at ``/ows/<id>`` (KVP parameters, names in
    any case). The APIs under other paths (OGC API Features at
    ``/ows/<id>/wfs3``, whose paths nginx checks; the landing page) are left
    to themselves. The returned mapping holds parameters
    to overwrite before the request runs: the WFS feature cap and the
    GetFeatureInfo feature cap.
    """
    limits = limits or Limits()
    if path and not _OWS_PATH_RE.fullmatch(path):
        return {}  # an API of its own (OGC API Features, the /catalog landing page)
    names = {k.upper(): v for k, v in parameters.items()}
    service = (names.get("SERVICE") or "").strip().upper()
    request = (names.get("REQUEST") or "").strip().lower()
    if not service:
        if method.upper() == "POST" and not request:
            check_post_body(body)  # an XML request body names its service; QGIS reads it
            return {}
        raise _missing("SERVICE", "name the service: WMS, WFS or WMTS")
    if service not in REQUESTS:
        raise _bad("SERVICE", f"{names['SERVICE'][:40]!r} is not served here; the services are WMS, WFS and WMTS")
    if not request:
        if method.upper() == "POST":
            return {}
        raise _missing("REQUEST", f"name the {service} request, e.g. GetCapabilities")
    if request not in REQUESTS[service]:
        raise Refusal(
            "OperationNotSupported",
            f"REQUEST: {names['REQUEST'][:40]!r} is not a {service} request served here",
            status=400,
        )
    version = names.get("VERSION")
    if version is not None and request != "getcapabilities" and version.strip() not in VERSIONS[service]:
        served = ", ".join(sorted(VERSIONS[service], reverse=True))
        raise _bad("VERSION", f"{version[:20]!r} is not a {service} version served here ({served})")
    rewrites: dict[str, str] = {}
    if service == "WMS" and request == "getmap":
        # OGC 06-042 (WMS 1.3.0, 2006-03-15), 7.3.2 table 8: BBOX is mandatory.
        _bbox(names, required=True)
        _dpi(names, limits)
    elif service == "WMS" and request == "getfeatureinfo":
        _bbox(names, required=False)
        _dpi(names, limits)
        count = _whole(names, "FEATURE_COUNT", 1)
        if count is not None and count > limits.feature_info_max_features:
            rewrites["FEATURE_COUNT"] = str(limits.feature_info_max_features)
    elif service == "WMS" and request in {"getlegendgraphic", "getlegendgraphics"}:
        for parameter in ("WIDTH", "HEIGHT"):
            _within(names, parameter, 1, limits.legend_max_pixels, " pixels")
        for parameter in LEGEND_MM_PARAMETERS:
            _within(names, parameter, 0, MAX_LEGEND_MM, " mm")
        for parameter in LEGEND_FONT_PARAMETERS:
            _within(names, parameter, 1, MAX_FONT_SIZE, " pt")
        _dpi(names, limits)
        if names.get("RULE"):  # the image of one entry: QGIS 3.22 needs its size (500 otherwise)
            for parameter in ("WIDTH", "HEIGHT"):
                if not names.get(parameter):
                    raise _missing(parameter, "the size in pixels of the legend entry that RULE names")
    elif service == "WFS" and request == "getfeature":
        _whole(names, "STARTINDEX", 0)
        asked = _whole(names, "MAXFEATURES", 1)
        # OGC 04-094 (WFS 1.1.0, 2005-05-03), GetFeature keyword-value
        # encoding: MAXFEATURES is a positive integer, the most features the
        # server should return; a missing or larger value gets the cap.
        if asked is None or asked > limits.wfs_max_features:
            rewrites["MAXFEATURES"] = str(limits.wfs_max_features)
    return rewrites


def check_legend_rule(rule: str, labels: Iterable[str] | None) -> None:
    """A GetLegendGraphic RULE must name an entry of the layer's legend (QGIS 3.22 answers 500 otherwise).

    ``labels`` are the legend's entries, None when the layer is unknown
    (QGIS Server then answers LayerNotDefined itself).
    """
    if labels is None:
        return
    labels = list(labels)
    if rule not in labels:
        shown = ", ".join(repr(label) for label in labels[:10] if label) or "none"
        raise _bad("RULE", f"the layer's legend has no entry {rule[:80]!r} (entries: {shown})")


def check_post_body(body: bytes) -> None:
    """A POST without SERVICE and REQUEST parameters must carry an OGC XML request."""
    text = body.strip()
    if not text:
        raise _missing("SERVICE", "name the service: WMS, WFS or WMTS (the request body is empty)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise _bad("request body", f"not well-formed XML ({exc})") from None
    request = root.tag.rsplit("}", 1)[-1].lower()
    service = (root.get("service") or "").upper()
    if service not in REQUESTS or request not in REQUESTS[service]:
        raise Refusal(
            "OperationNotSupported",
            f"request body: <{root.tag.rsplit('}', 1)[-1][:40]} service={service[:10]!r}> is not a request served here",
            status=400,
        )
