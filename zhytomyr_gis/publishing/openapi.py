"""The OpenAPI document of OGC API Features, made to tell the truth.

QGIS Server 3.22 serves ``/ows/<id>/wfs3/api`` as an OpenAPI 3.0 document
that is not valid OpenAPI (a ``trs`` keyword inside a schema, path
parameters ``featureId`` undeclared on PUT/PATCH/DELETE, duplicate
operation ids), advertises writes the public side refuses, allows
``limit`` up to 10000 while the server caps it, names a server address
under which its paths do not exist (``.../wfs3/`` + ``/wfs3/...``), and
describes collections and errors otherwise than it serves them. The
``zhytomyr_access`` server plugin passes the document through
``public_document`` before it leaves the server.

The schemas follow OGC 17-069r3, OGC API - Features - Part 1: Core 1.0
(2019-10-14), requirement classes "Core" and "GeoJSON"; errors are
described as QGIS Server and nginx here send them (a list of
``{code, description}``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

READ_METHODS = ("get",)
# The longest feature id the public side accepts (nginx refuses longer ones
# before they reach QGIS Server: ids are integers here).
FEATURE_ID_MAX_LENGTH = 64

_INSTANT = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])(T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ)?"
DATETIME_PATTERN = rf"^({_INSTANT}|{_INSTANT}/({_INSTANT}|\.\.)|\.\./{_INSTANT})$"

_LINK = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "hreflang": {"type": "string"},
        "title": {"type": "string"},
        "length": {"type": "integer"},
    },
}
_LINKS = {"type": "array", "items": {"$ref": "#/components/schemas/link"}}
# OGC 17-069r3, 7.14.1 (extent of a collection).
_EXTENT = {
    "type": "object",
    "properties": {
        "spatial": {
            "type": "object",
            "properties": {
                "bbox": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                },
                "crs": {"type": "string"},
            },
        },
        "temporal": {
            "type": "object",
            "properties": {
                "interval": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 2,
                        # OGC 17-069r3 asks for RFC 3339; QGIS Server 3.22 writes the
                        # instants of a date field without a time zone: described as served.
                        "items": {
                            "type": "string",
                            "nullable": True,
                            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$",
                            "description": "ISO 8601 date and time; without a time zone: local time (Kyiv)",
                        },
                    },
                },
                "trs": {"type": "string"},
            },
        },
    },
}
# OGC 17-069r3, 7.14 (a collection): "id" and "links" are required.
_COLLECTION = {
    "type": "object",
    "required": ["id", "links"],
    "properties": {
        "id": {"type": "string", "description": "identifier of the collection, used in its paths"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "links": _LINKS,
        "extent": {"$ref": "#/components/schemas/extent"},
        "itemType": {"type": "string"},
        "crs": {"type": "array", "items": {"type": "string"}},
    },
}
_EXCEPTION = {
    "type": "array",
    "description": "What went wrong (QGIS Server's error format)",
    "items": {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    },
}


def _operation_id(path: str, method: str, taken: set[str], given: str | None) -> str:
    base = given or (method + "".join(part.strip("{}").title() for part in path.split("/") if part))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


_VALID_VALUES_RE = re.compile(r"Valid values: ((?:'[^']*'(?:, )?)+)")


def _properties_parameter(parameter: Mapping[str, Any]) -> Mapping[str, Any]:
    """``properties`` takes a list of the collection's field names, which QGIS lists only in prose: an enum."""
    if parameter.get("name") != "properties":
        return parameter
    found = _VALID_VALUES_RE.search(str(parameter.get("description", "")))
    if not found:
        return parameter
    names = re.findall(r"'([^']*)'", found.group(1))
    return {
        **parameter,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": names}},
    }


def _unique_parameters(parameters: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One parameter of a name: QGIS names property filters by field alias, and two fields may share one."""
    seen: set[tuple[str, str]] = set()
    out = []
    for parameter in parameters:
        key = (parameter.get("$ref", ""), parameter.get("name", ""), parameter.get("in", ""))
        if not key[0]:
            key = ("", str(parameter.get("name")), str(parameter.get("in")))
        if key in seen:
            continue
        seen.add(key)
        out.append(_properties_parameter(parameter))
    return out


def _schemas(schemas: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(schemas))
    out["link"] = copy.deepcopy(_LINK)
    out["extent"] = copy.deepcopy(_EXTENT)
    out["collectionInfo"] = copy.deepcopy(_COLLECTION)
    out["exception"] = copy.deepcopy(_EXCEPTION)
    if "content" in out:  # /collections
        out["content"] = {
            "type": "object",
            "required": ["collections", "links"],
            "properties": {
                "links": _LINKS,
                "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collectionInfo"}},
            },
        }
    return out


def _limit_parameter(parameter: Mapping[str, Any], max_limit: int) -> dict[str, Any]:
    out = copy.deepcopy(dict(parameter))
    schema = out.setdefault("schema", {"type": "integer"})
    schema["maximum"] = max_limit
    schema["minimum"] = 1
    schema["default"] = min(int(schema.get("default", 10)), max_limit)
    out["description"] = (
        "The most items in the response document (one page; follow the `next` link for more). "
        f"Minimum = 1. Maximum = {max_limit}. Default = {schema['default']}."
    )
    return out


def _server_url(servers: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The address the paths (``/wfs3/...``) hang under: QGIS 3.22 names ``.../wfs3/`` itself."""
    out = []
    for server in servers:
        url = str(server.get("url", "")).rstrip("/")
        if url.endswith("/wfs3"):
            url = url[: -len("/wfs3")]
        out.append({**server, "url": url})
    return out


def public_document(document: Mapping[str, Any], *, max_limit: int) -> dict[str, Any]:
    """The OpenAPI document of the read-only public OGC API Features (a new dict)."""
    doc = copy.deepcopy(dict(document))
    doc["servers"] = _server_url(doc.get("servers", []))
    components = doc.setdefault("components", {})
    components["schemas"] = _schemas(components.get("schemas", {}))
    parameters = components.setdefault("parameters", {})
    if "limit" in parameters:
        parameters["limit"] = _limit_parameter(parameters["limit"], max_limit)
    parameters["featureId"] = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": "Identifier of a feature of the collection (its integer id)",
        "schema": {"type": "string", "minLength": 1, "maxLength": FEATURE_ID_MAX_LENGTH},
    }
    if "datetime" in parameters:
        # QGIS refuses an empty or free-text datetime: RFC 3339 instants or intervals (OGC 17-069r3, 7.15.4).
        parameters["datetime"] = {**parameters["datetime"], "schema": {"type": "string", "pattern": DATETIME_PATTERN}}
    taken: set[str] = set()
    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        kept = {key: value for key, value in item.items() if key not in {"post", "put", "patch", "delete", "options"}}
        for method in READ_METHODS:
            operation = kept.get(method)
            if operation is None:
                continue
            operation["operationId"] = _operation_id(path, method, taken, operation.get("operationId"))
            operation["parameters"] = _unique_parameters(operation.get("parameters", []))
            operation["tags"] = [t for t in operation.get("tags", []) if t not in {"edit", "insert", "delete"}]
            if "{featureId}" in path and not any(
                p.get("$ref", "").endswith("/featureId") or p.get("name") == "featureId"
                for p in operation.get("parameters", [])
            ):
                operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/featureId"})
            responses = operation.setdefault("responses", {})
            error = {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}},
            }
            responses.setdefault("400", {"description": "A parameter is not valid", **copy.deepcopy(error)})
            if "{" in path or "/collections/" in path:
                responses.setdefault("404", {"description": "No such collection or feature", **copy.deepcopy(error)})
        if any(m in kept for m in READ_METHODS):
            paths[path] = kept
    doc["paths"] = paths
    return doc
