"""Registers the access filters with QGIS Server.

The decisions live in ``zhytomyr_gis.publishing.access`` (plain Python,
tested without a server); this module only adapts them to the QGIS Server
filter interfaces. Both filters are registered with explicit priorities
and say so in the server log.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from qgis.core import Qgis, QgsDataSourceUri, QgsExpression, QgsMessageLog, QgsProject, qgsfunction
from qgis.server import QgsAccessControlFilter, QgsServerFilter

from zhytomyr_gis.publishing import access, layouts, print_qr

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


class RequestGuard(QgsServerFilter):
    """Refuses writes and a MAP parameter before any service runs.

    QGIS Server 3.22 offers plugins no way to answer early with an OGC
    exception of their choosing, so a refused request is neutralised
    (no MAP, an unknown service: nothing is read or written) and its
    response is replaced by the exception when the request completes.
    """

    def __init__(self, server_iface):
        super().__init__(server_iface)
        self._refusal: access.Refusal | None = None

    def requestReady(self):  # noqa: N802 - QGIS Server API
        handler = self.serverInterface().requestHandler()
        self._refusal = None
        _PRINT["permalink"] = handler.parameter("PERMALINK") or ""
        try:
            access.check_request(handler.parameterMap(), handler.path())
        except access.Refusal as refusal:
            _log(f"refused: {refusal.message}", Qgis.Warning)
            self._refusal = refusal
            handler.removeParameter("MAP")
            handler.setParameter("SERVICE", "REFUSED")
            handler.setParameter("REQUEST", "Refused")

    def responseComplete(self):  # noqa: N802 - QGIS Server API
        refusal, self._refusal = self._refusal, None
        handler = self.serverInterface().requestHandler()
        if refusal is None:
            _not_found_for_missing_items(handler)
            return
        handler.clear()
        handler.setStatusCode(refusal.status)
        handler.setResponseHeader("Content-Type", "text/xml; charset=utf-8")
        handler.appendBody(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">'
                f'<ServiceException code="{escape(refusal.code)}">{escape(refusal.message)}</ServiceException>'
                "</ServiceExceptionReport>\n"
            ).encode()
        )


def _not_found_for_missing_items(handler) -> None:
    """OGC API Features in QGIS 3.22 answers 500 for an item that does not exist: it is a 404."""
    if handler.statusCode() != 500 or "/wfs3/" not in handler.path():
        return
    body = bytes(handler.body())
    if b"Invalid feature" not in body:
        return
    handler.clear()
    handler.setStatusCode(404)
    handler.setResponseHeader("Content-Type", "application/json")
    handler.appendBody(b'[{"code":"Not found","description":"No published feature with this id"}]')


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
        self.guard = RequestGuard(server_iface)
        self.access_control = PublishedOnly(server_iface)
        server_iface.registerFilter(self.guard, 10)
        server_iface.registerAccessControl(self.access_control, 100)
        for function in (zgis_print_qr, zgis_last_approval):
            if QgsExpression.isFunctionName(function.name()):
                QgsExpression.unregisterFunction(function.name())
            QgsExpression.registerFunction(function)
        _log(
            "registered: request guard (priority 10), published-only access control (priority 100),"
            f" the print QR function {layouts.QR_FUNCTION}()"
        )
