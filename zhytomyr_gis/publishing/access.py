"""Access decisions of the public services, as plain functions.

The database role ``portal_reader`` is the first line: it can read the
``published`` schema and nothing else. These rules are the second line,
applied inside QGIS Server by the ``zhytomyr_access`` server plugin: the
public side is read-only, serves only tables of the published schema, only
their declared public attributes, and opens only the project its address
names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .catalog import PUBLISHED_SCHEMA, all_published_tables

# Columns the publishing function adds to every published table.
PUBLICATION_COLUMNS = ("published_at", "published_version")

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


def source_table(schema: str, table: str) -> str | None:
    """schema.table when it is a table the public side may read, else None."""
    key = f"{schema}.{table}"
    if schema != PUBLISHED_SCHEMA or key not in all_published_tables():
        return None
    return key


def public_attributes(published_table: str) -> tuple[str, ...]:
    """Attributes the public may see of a published table: the declared public fields and the publication stamp."""
    register = all_published_tables().get(published_table)
    if register is None:
        return ()
    return tuple(f.name for f in register.public_fields) + PUBLICATION_COLUMNS


def authorized_attributes(published_table: str, attributes: Iterable[str]) -> list[str]:
    """The subset of ``attributes`` the public may see, in their order."""
    allowed = set(public_attributes(published_table))
    return [a for a in attributes if a in allowed]
