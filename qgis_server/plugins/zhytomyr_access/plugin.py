"""Registers the access filters with QGIS Server.

The decisions live in ``zhytomyr_gis.publishing.access`` (plain Python,
tested without a server); this module only adapts them to the QGIS Server
filter interfaces. Both filters are registered with explicit priorities
and say so in the server log.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from qgis.core import Qgis, QgsDataSourceUri, QgsMessageLog
from qgis.server import QgsAccessControlFilter, QgsServerFilter

from zhytomyr_gis.publishing import access

LOG_TAG = "zhytomyr_access"


def _log(message: str, level=Qgis.Info) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, level)


def _published_table(layer) -> str | None:
    """schema.table of a layer when it reads a table the public may see."""
    if layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    if uri.sql():  # a subset string would be a way around the published table
        return None
    return access.source_table(uri.schema(), uri.table())


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
        _log("registered: request guard (priority 10), published-only access control (priority 100)")
