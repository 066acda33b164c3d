"""Registers the access filters with QGIS Server.

The decisions live in ``zhytomyr_gis.publishing.access`` (plain Python,
tested without a server); this module only adapts them to the QGIS Server
filter interfaces. Both filters are registered with explicit priorities
and say so in the server log.
"""

from __future__ import annotations

import functools
import json
import os
import re
from xml.sax.saxutils import escape

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsDataSourceUri,
    QgsExpression,
    QgsMessageLog,
    QgsProject,
    qgsfunction,
)
from qgis.PyQt.QtCore import Qt
from qgis.server import QgsAccessControlFilter, QgsConfigCache, QgsServerFilter

from zhytomyr_gis.publishing import access, feature_info, layouts, limits, openapi, outage, print_qr

LOG_TAG = "zhytomyr_access"


def _log(message: str, level=Qgis.Info) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, level)


_TABLE_OF_SOURCE: dict[tuple[str, str], str | None] = {}


def _published_table(layer) -> str | None:
    """schema.table of a layer when it reads a table the public may see.

    QGIS Server asks this for every layer of every request: the answer for a
    data source is worked out once per worker and remembered.
    """
    key = (layer.providerType(), layer.source())
    try:
        return _TABLE_OF_SOURCE[key]
    except KeyError:
        pass
    table = None
    if key[0] == "postgres":
        uri = QgsDataSourceUri(key[1])
        if not uri.sql():  # a subset string would be a way around the published table
            table = access.source_table(uri.schema(), uri.table())
    _TABLE_OF_SOURCE[key] = table
    return table


# The geoportal view being printed (GetPrint's PERMALINK): a worker serves
# one request at a time, so the request guard keeps it here for the QR code.
_PRINT = {"permalink": ""}


@qgsfunction(args=0, group="Zhytomyr", register=False)
def zgis_print_qr(values, feature, parent):
    """The SVG of the QR code of the printed view (empty when the request names none)."""
    url = _PRINT["permalink"]
    if not url:
        return ""
    try:
        return str(print_qr.qr_svg(url))
    except Exception as exc:  # noqa: BLE001 - a map without its QR code is still a map
        _log(f"no QR code: {exc}", Qgis.Warning)
        return ""


# args="auto": QGIS 3.22 passes the context only to functions declared so.
@qgsfunction(args="auto", group="Zhytomyr", register=False)
def zgis_last_approval(feature, parent, context):
    """The latest publication time among the printed project's published layers."""
    latest = None
    project = QgsProject.instance()
    for layer_id in context.variable("layer_ids") or []:
        layer = project.mapLayer(layer_id)
        if layer is None or _published_table(layer) is None:
            continue
        index = layer.fields().indexOf("published_at")
        if index < 0:
            continue
        value = layer.maximumValue(index)
        if value is not None and (latest is None or value > latest):
            latest = value
    return latest


def _exception_body(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">'
        f'<ServiceException code="{escape(code)}">{escape(message)}</ServiceException>'
        "</ServiceExceptionReport>\n"
    ).encode()


@functools.cache
def _function_groups() -> dict[str, tuple[str, ...]]:
    """QGIS's expression functions (and their aliases) with the groups they are filed under."""
    groups: dict[str, tuple[str, ...]] = {}
    for function in QgsExpression.Functions():
        for name in (function.name(), *function.aliases()):
            groups[name.lower()] = tuple(function.groups())
    return groups


def _check_expressions(names: dict[str, str], body: bytes) -> None:
    """Refuse expressions of the public that read the environment, files or other layers."""
    known = _function_groups()
    for parameter in access.EXPRESSION_PARAMETERS:
        text = names.get(parameter)
        if not text:
            continue
        # One expression, or one per type name separated by ";". What cannot be
        # read here is refused: it is not evaluated unchecked.
        expressions = [QgsExpression(text)]
        if expressions[0].hasParserError():
            expressions = [QgsExpression(piece) for piece in text.split(";")]
        if any(e.hasParserError() for e in expressions):
            raise access.Refusal("InvalidParameterValue", f"{parameter}: not a valid expression", status=400)
        functions = {f for e in expressions for f in e.referencedFunctions()}
        variables = {v for e in expressions for v in e.referencedVariables()}
        access.check_expression({f: known.get(f.lower(), ()) for f in functions}, variables, parameter)
    texts = [(p, names[p]) for p in access.OGC_FILTER_PARAMETERS if names.get(p)]
    if body:
        texts.append(("the request body", body.decode("utf-8", "replace")))
    for parameter, text in texts:
        functions = access.ogc_filter_functions(text)
        access.check_expression({f: known.get(f.lower(), ()) for f in functions}, (), parameter)


class RequestGuard(QgsServerFilter):
    """Refuses writes, MAP, fetches of what a request names, unsafe expressions,
    malformed and oversized requests, before any service runs; mends the
    answers QGIS Server 3.22 gets wrong.

    QGIS Server 3.22 offers plugins no way to answer early with an OGC
    exception of their choosing, so a refused request is neutralised
    (no MAP, an unknown service: nothing is read, fetched or written) and its
    response is replaced by the exception when the request completes.
    """

    def __init__(self, server_iface, request_limits: limits.Limits, api_max_limit: int):
        super().__init__(server_iface)
        self._limits = request_limits
        self._api_max_limit = api_max_limit
        self._refusal: access.Refusal | None = None
        self._html_feature_info = False
        self._database_failed = False
        # Direct: the provider may log from a rendering thread, and a server has no event loop.
        QgsApplication.messageLog().messageReceived.connect(self._logged, Qt.DirectConnection)

    def _logged(self, message: str, tag: str, _level) -> None:
        if tag == "PostGIS" and outage.is_database_failure(message):
            self._database_failed = True

    def requestReady(self):  # noqa: N802 - QGIS Server API
        handler = self.serverInterface().requestHandler()
        self._refusal = None
        self._html_feature_info = False
        self._database_failed = False
        parameters = handler.parameterMap()
        path = handler.path()
        method = self.serverInterface().getEnv("REQUEST_METHOD") or "GET"
        body = bytes(handler.data() or b"") if method.upper() == "POST" else b""
        names = {k.upper(): v for k, v in parameters.items()}
        _PRINT["permalink"] = handler.parameter("PERMALINK") or ""
        try:
            access.check_request(parameters, path, method, body)
            _check_expressions(names, body)
            if names.get("RULE") and names.get("REQUEST", "").lower() in ("getlegendgraphic", "getlegendgraphics"):
                limits.check_legend_rule(names["RULE"], self._legend_labels(names.get("LAYER") or names.get("LAYERS")))
            rewrites = limits.check_request(parameters, path, self._limits, method, body)
        except access.Refusal as refusal:
            _log(f"refused: {refusal.message}", Qgis.Warning)
            self._refusal = refusal
            for name in parameters:
                handler.removeParameter(name)
            handler.setParameter("SERVICE", "REFUSED")
            handler.setParameter("REQUEST", "Refused")
            return
        for name, value in rewrites.items():
            handler.setParameter(name, value)
        if (
            names.get("REQUEST", "").lower() == "getfeatureinfo"
            and names.get("INFO_FORMAT", "").lower() in feature_info.HTML_FORMATS
        ):
            # QGIS writes values unescaped into its HTML: ask for XML, write the HTML here.
            self._html_feature_info = True
            handler.setParameter("INFO_FORMAT", feature_info.XML_FORMAT)

    def _legend_labels(self, layer_name: str | None) -> list[str] | None:
        """The entries of a layer's legend (None when the project has no such layer)."""
        project = QgsConfigCache.instance().project(self.serverInterface().configFilePath())
        if project is None or not layer_name:
            return None
        for layer in project.mapLayers().values():
            if layer_name in (layer.shortName(), layer.name()):
                renderer = layer.renderer() if hasattr(layer, "renderer") else None
                return [item.label() for item in renderer.legendSymbolItems()] if renderer else []
        return None

    def responseComplete(self):  # noqa: N802 - QGIS Server API
        refusal, self._refusal = self._refusal, None
        html_feature_info, self._html_feature_info = self._html_feature_info, False
        handler = self.serverInterface().requestHandler()
        if refusal is not None:
            _replace(handler, refusal.status, "text/xml; charset=utf-8", _exception_body(refusal.code, refusal.message))
            return
        if handler.headersSent():  # a long answer already on its way (WFS streams its features)
            if self._database_failed:
                # Too late for a 503: end the document with the exception, which leaves it
                # not well-formed, so no client takes it for a complete (empty) list.
                self._database_failed = False
                handler.appendBody(outage.answer(handler.path())[1])
                _log("the database could not be read after the answer had begun: ended it with an error", Qgis.Warning)
            return
        if self._database_failed:
            self._database_failed = False
            content_type, body = outage.answer(handler.path())
            _replace(handler, 503, content_type, body)
            handler.setResponseHeader("Retry-After", str(outage.RETRY_AFTER_S))
            _log("the database could not be read: answered 503", Qgis.Warning)
            return
        if html_feature_info and _status(handler) == 200:
            _feature_info_as_html(handler)
        _public_openapi_document(handler, self._api_max_limit)
        _not_found_for_missing_items(handler)
        _client_errors_as_client_errors(handler)


def _status(handler) -> int:
    """The status the answer will have (0 until a service sets one: QGIS then sends 200)."""
    return handler.statusCode() or 200


def _replace(handler, status: int, content_type: str, body: bytes) -> None:
    handler.clear()
    handler.setStatusCode(status)
    handler.setResponseHeader("Content-Type", content_type)
    handler.appendBody(body)


def _feature_info_as_html(handler) -> None:
    try:
        html = feature_info.html_from_xml(bytes(handler.body()))
    except ValueError as exc:  # an exception document: leave it as it is
        _log(f"feature info not converted to HTML: {exc}", Qgis.Info)
        return
    _replace(handler, 200, "text/html; charset=utf-8", html)


_OPENAPI_PATH_RE = re.compile(r"/wfs3/api(\.json|\.openapi3?)?$")


def _public_openapi_document(handler, max_limit: int) -> None:
    """QGIS Server 3.22's OpenAPI document is invalid and advertises writes: serve the public one."""
    if _status(handler) != 200 or not _OPENAPI_PATH_RE.search(handler.path()):
        return
    content_type = handler.responseHeader("Content-Type") or ""
    if "json" not in content_type:
        return
    try:
        document = json.loads(bytes(handler.body()))
    except ValueError:
        return
    rewritten = json.dumps(openapi.public_document(document, max_limit=max_limit), ensure_ascii=False)
    _replace(handler, 200, content_type, rewritten.encode())


NOT_FOUND_ITEM = b'[{"code":"Not found","description":"No published feature with this id"}]'
BBOX_OUTSIDE_CRS = (
    b'[{"code":"Bad request error","description":"bbox lies outside the area of its coordinate reference system"}]'
)


def _not_found_for_missing_items(handler) -> None:
    """OGC API Features in QGIS 3.22 answers 500 for the client's errors: an item that does
    not exist (404), a bbox that cannot be transformed (400)."""
    if handler.statusCode() != 500 or "/wfs3/" not in handler.path():
        return
    body = bytes(handler.body())
    if b"Invalid feature" in body:
        _replace(handler, 404, "application/json", NOT_FOUND_ITEM)
    elif b"BBOX CRS could not be transformed" in body:
        _replace(handler, 400, "application/json", BBOX_OUTSIDE_CRS)


LEGEND_TOO_LARGE = (
    "The legend would be larger than the server draws (4096 pixels): "
    "ask for smaller symbols, spacing, fonts or resolution"
)


def _client_errors_as_client_errors(handler) -> None:
    """Client errors that QGIS Server 3.22 sends as 500 or with status 200: 400.

    A legend whose size (symbols, spacing and resolution, each within the
    limits) adds up to more than the largest image: 500. An exception
    report with status 200: a request QGIS could not read.
    """
    if _status(handler) == 500 and b"Legend image is too large" in bytes(handler.body()[:400]):
        _replace(handler, 400, "text/xml; charset=utf-8", _exception_body("InvalidParameterValue", LEGEND_TOO_LARGE))
        return
    if _status(handler) != 200:
        return
    head = bytes(handler.body()[:400])
    if b"ExceptionReport" not in head and b"<ServerException" not in head:
        return
    body = bytes(handler.body())
    handler.setStatusCode(400)
    handler.clearBody()
    handler.appendBody(body)


class PublishedOnly(QgsAccessControlFilter):
    """Layers of the published schema only, read-only, public attributes only."""

    def layerPermissions(self, layer):  # noqa: N802 - QGIS Server API
        rights = QgsAccessControlFilter.LayerPermissions()
        rights.canRead = _published_table(layer) is not None
        rights.canInsert = rights.canUpdate = rights.canDelete = False
        if not rights.canRead:
            _log(f"layer {layer.name()} hidden: its source is not a published table", Qgis.Warning)
        return rights

    def authorizedLayerAttributes(self, layer, attributes):  # noqa: N802 - QGIS Server API
        table = _published_table(layer)
        return access.authorized_attributes(table, attributes) if table else []

    def allowToEdit(self, layer, feature):  # noqa: N802 - QGIS Server API
        return False

    def cacheKey(self):  # noqa: N802 - QGIS Server API
        return "public"  # one audience: every caller sees the same


class ZhytomyrAccessPlugin:
    def __init__(self, server_iface):
        # Read once, when the worker starts (FastCGI swaps the environment per request).
        request_limits = limits.Limits.from_environ(os.environ)
        api_max_limit = int(os.environ.get("QGIS_SERVER_API_WFS3_MAX_LIMIT") or 10000)
        self.guard = RequestGuard(server_iface, request_limits, api_max_limit)
        self.access_control = PublishedOnly(server_iface)
        server_iface.registerFilter(self.guard, 10)
        server_iface.registerAccessControl(self.access_control, 100)
        for function in (zgis_print_qr, zgis_last_approval):
            if QgsExpression.isFunctionName(function.name()):
                QgsExpression.unregisterFunction(function.name())
            QgsExpression.registerFunction(function)
        _log(
            "registered: request guard (priority 10), published-only access control (priority 100),"
            f" the print QR function {layouts.QR_FUNCTION}(); limits {request_limits}, OGC API limit {api_max_limit}"
        )
