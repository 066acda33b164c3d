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


def check_request(parameters: Mapping[str, str], path: str = "", method: str = "GET") -> None:
    """Raise Refusal for a request the public services must not serve.

    ``parameters`` are the request's parameters (names in any case).
    """
    names = {k.upper(): v for k, v in parameters.items()}
    if names.get("MAP"):
        raise Refusal(
            "OperationNotSupported",
            "The MAP parameter is not accepted: every project has its own address /ows/<id>",
        )
    request = (names.get("REQUEST") or "").strip().lower()
    if request in WRITE_REQUESTS:
        raise Refusal("OperationNotSupported", "The public services are read-only: WFS-T is not offered")
    if "/wfs3" in path and method.upper() not in READ_METHODS:
        raise Refusal("OperationNotSupported", "OGC API Features is read-only here", status=405)
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
