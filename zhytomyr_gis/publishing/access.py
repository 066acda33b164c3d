"""Access decisions of the public services, as plain functions.

The database role ``portal_reader`` is the first line: it can read the
``published`` schema and nothing else. These rules are the second line,
applied inside QGIS Server by the ``zhytomyr_access`` server plugin: the
public side is read-only, serves only tables of the published schema, only
their declared public attributes, and opens only the project its address
names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from .catalog import PUBLISHED_SCHEMA, all_published_tables

# Columns the publishing function adds to every published table.
PUBLICATION_COLUMNS = ("published_at", "published_version")

# GetPrint (print layouts, zhytomyr_gis/publishing/layouts.py): what a
# request may ask for. 300 dpi is print quality; an A3 page at 300 dpi is
# 4961 x 3508 px, as much as one worker should draw.
MAX_PRINT_DPI = 300
PRINT_FORMATS = frozenset({"pdf", "application/pdf", "png", "image/png"})
MAX_PERMALINK_LENGTH = 2000
MAX_PRINT_TEXT_LENGTH = 200

# Requests that would change data or open another project.
WRITE_REQUESTS = frozenset({"transaction", "lockfeature", "getfeaturewithlock"})
READ_METHODS = frozenset({"GET", "HEAD"})


class Refusal(Exception):
    """A request the public side does not serve; ``code`` is the OGC exception code."""

    def __init__(self, code: str, message: str, status: int = 403):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def check_request(parameters: Mapping[str, str], path: str = "", method: str = "GET", body: bytes = b"") -> None:
    """Raise Refusal for a request the public services must not serve.

    ``parameters`` are the request's parameters (names in any case, values
    decoded), ``body`` the body of a POST.
    """
    names = {k.upper(): v for k, v in parameters.items()}
    if names.get("MAP"):
        raise Refusal(
            "OperationNotSupported",
            "The MAP parameter is not accepted: every project has its own address /ows/<id>",
        )
    request = (names.get("REQUEST") or "").strip().lower()
    if request in WRITE_REQUESTS or (body and _WRITE_BODY_RE.search(body)):
        raise Refusal("OperationNotSupported", "The public services are read-only: WFS-T is not offered")
    if "/wfs3" in path and method.upper() not in READ_METHODS:
        raise Refusal("OperationNotSupported", "OGC API Features is read-only here", status=405)
    check_external_references(names, body)
    if request == "getprint":
        check_print(names)


def check_print(names: Mapping[str, str]) -> None:
    """Refuse a GetPrint that would draw more than a worker should, or in a format we do not offer."""
    dpi_text = (names.get("DPI") or "150").strip()
    try:
        dpi = float(dpi_text)
    except ValueError:
        raise Refusal("InvalidParameterValue", f"DPI must be a number, not {dpi_text!r}", status=400) from None
    if not 10 <= dpi <= MAX_PRINT_DPI:
        raise Refusal(
            "InvalidParameterValue", f"DPI {dpi_text} is outside 10-{MAX_PRINT_DPI} (print quality is 300)", status=400
        )
    fmt = (names.get("FORMAT") or "pdf").strip().lower()
    if fmt not in PRINT_FORMATS:
        raise Refusal("InvalidFormat", f"GetPrint answers PDF or PNG, not {fmt!r}", status=400)
    permalink = names.get("PERMALINK") or ""
    if permalink and (len(permalink) > MAX_PERMALINK_LENGTH or not permalink.startswith(("http://", "https://"))):
        raise Refusal("InvalidParameterValue", "PERMALINK must be an http(s) address of the geoportal", status=400)
    for name, value in names.items():
        if name.endswith((":WIDTH", ":HEIGHT")) or name in ("WIDTH", "HEIGHT"):
            raise Refusal("InvalidParameterValue", f"{name}: the page size comes from the template", status=400)
        if name == "TITLE" and len(value) > MAX_PRINT_TEXT_LENGTH:
            raise Refusal("InvalidParameterValue", f"TITLE: at most {MAX_PRINT_TEXT_LENGTH} characters", status=400)


# ------------------------------------------------- requests for other servers
# QGIS Server fetches what some parameters name: an SLD document (SLD=, also
# file://), external WMS layers (LAYERS=EXTERNAL_WMS:x with x:url=...), and the
# href of external graphics or entities inside inline XML (SLD_BODY,
# HIGHLIGHT_SYMBOL, a POST body). The public server fetches nothing a request
# names: every such request is refused before any service runs, with one
# answer whatever the address (so the answer tells nothing about which files
# or hosts exist).
EXTERNAL_REFUSAL = (
    "The public services read nothing from addresses or files named in a request "
    "(SLD, external graphics, EXTERNAL_WMS layers are not accepted)"
)
_URL_PARAMETERS = frozenset({"SLD", "WMTS_URL"})
_INLINE_XML_PARAMETERS = ("SLD_BODY", "HIGHLIGHT_SYMBOL", "FILTER")
_LAYER_PARAMETERS = ("LAYERS", "LAYER", "QUERY_LAYERS", "TYPENAME", "TYPENAMES")
# A reference to something outside the request: an XLink or any other href
# (SLD OnlineResource, ExternalGraphic, XInclude), an XML entity or DTD
# (which can name files). Namespace URIs are names, never fetched.
_EXTERNAL_XML_RE = re.compile(
    rb"(?i)(\bhref\s*=|<\s*(?:[\w.-]+:)?(?:OnlineResource|ExternalGraphic|include)\b|<!\s*(?:ENTITY|DOCTYPE))"
)
_WRITE_BODY_RE = re.compile(rb"(?i)<\s*(?:[\w.-]+:)?(?:Transaction|LockFeature|GetFeatureWithLock)\b")


def check_external_references(names: Mapping[str, str], body: bytes = b"") -> None:
    """Refuse parameters (upper-cased names) and bodies that make the server fetch something."""
    refused = None
    for name, value in names.items():
        if not value:
            continue
        if name in _URL_PARAMETERS or name.endswith(":URL") or name.startswith("EXTERNAL_WMS"):
            refused = name
        elif name in _LAYER_PARAMETERS and "EXTERNAL_WMS:" in value.upper():
            refused = name
        elif name in _INLINE_XML_PARAMETERS and _EXTERNAL_XML_RE.search(value.encode()):
            refused = name
        if refused:
            break
    if refused is None and body and _EXTERNAL_XML_RE.search(body):
        refused = "the request body"
    if refused is not None:
        raise Refusal("OperationNotSupported", f"{EXTERNAL_REFUSAL}: {refused}")


# ------------------------------------------------- expressions of the public
# Parameters whose value QGIS evaluates as an expression (EXP_FILTER in QGIS
# expression syntax; FILTER as OGC Filter Encoding XML, whose <Function>
# elements become expression functions).
EXPRESSION_PARAMETERS = ("EXP_FILTER",)
OGC_FILTER_PARAMETERS = ("FILTER",)
# Function groups of QGIS expressions that only compute with the values
# given (the groups as QGIS 3.22-3.34 name them). Every other group can read
# what the public must not see: the server's environment and variables
# (General: env, var, eval), files (Files and Paths), other layers or their
# sources (Map Layers, Aggregates, Record and Attributes, Rasters), the
# project (Layout, Processing, Form).
SAFE_FUNCTION_GROUPS = frozenset(
    {
        "Arrays",
        "Color",
        "Conditionals",
        "Conversions",
        "Date and Time",
        "Fuzzy Matching",
        "GeometryGroup",
        "Maps",
        "Math",
        "Operators",
        "String",
    }
)
# Inside the safe groups, functions that read beyond the feature at hand:
# other layers (overlay_*), a file's EXIF tags, the project's colours.
UNSAFE_FUNCTIONS = frozenset({"exif_geotag", "project_color", "exif"})
UNSAFE_FUNCTION_PREFIXES = ("overlay_",)
# Functions of the feature at hand that are safe though their group is not.
SAFE_FUNCTIONS = frozenset({"$id", "attribute", "attributes", "$currentfeature"})
EXPRESSION_REFUSAL = (
    "Expressions from the public may not read the server's environment, variables, files or other layers"
)


def check_expression(functions: Mapping[str, Iterable[str]], variables: Iterable[str], parameter: str) -> None:
    """Refuse an expression that calls a function outside the safe groups or reads a variable.

    ``functions`` maps each function the expression calls to the groups QGIS
    files it under (none when QGIS does not know it); ``variables`` are the
    ``@variables`` it reads.
    """
    variables = sorted(variables)
    if variables:
        raise Refusal("InvalidParameterValue", f"{EXPRESSION_REFUSAL}: {parameter} reads @{variables[0]}", status=400)
    for name, groups in sorted(functions.items()):
        lower = name.lower()
        if lower in SAFE_FUNCTIONS:
            continue
        if (
            lower in UNSAFE_FUNCTIONS
            or lower.startswith(UNSAFE_FUNCTION_PREFIXES)
            or not set(groups) & SAFE_FUNCTION_GROUPS
            or set(groups) - SAFE_FUNCTION_GROUPS - {"deprecated"}
        ):
            raise Refusal("InvalidParameterValue", f"{EXPRESSION_REFUSAL}: {parameter} calls {name}()", status=400)


_FUNCTION_ELEMENT_RE = re.compile(r"<\s*(?:[\w.-]+:)?Function\b[^>]*\bname\s*=\s*[\"']([^\"']*)[\"']", re.I)


def ogc_filter_functions(text: str) -> list[str]:
    """Names of the functions an OGC Filter Encoding document calls (``<ogc:Function name="...">``)."""
    return _FUNCTION_ELEMENT_RE.findall(text)


# The answers depend only on the declarations, so each is computed once per
# worker (QGIS Server asks for every layer of every request).
@functools.cache
def source_table(schema: str, table: str) -> str | None:
    """schema.table when it is a table the public side may read, else None."""
    key = f"{schema}.{table}"
    if schema != PUBLISHED_SCHEMA or key not in all_published_tables():
        return None
    return key


@functools.cache
def public_attributes(published_table: str) -> tuple[str, ...]:
    """Attributes the public may see of a published table: the declared public fields and the publication stamp."""
    register = all_published_tables().get(published_table)
    if register is None:
        return ()
    return tuple(f.name for f in register.public_fields) + PUBLICATION_COLUMNS


def authorized_attributes(published_table: str, attributes: Iterable[str]) -> list[str]:
    """The subset of ``attributes`` the public may see, in their order."""
    allowed = _public_attribute_set(published_table)
    return [a for a in attributes if a in allowed]


@functools.cache
def _public_attribute_set(published_table: str) -> frozenset[str]:
    return frozenset(public_attributes(published_table))
