"""When QGIS Server could not read the database, the answer must say so.

QGIS Server 3.22 draws a layer whose database connection failed as an empty
layer and lists no features for it, and answers 200: an empty map, an empty
feature list, which a tile cache would keep and a client would trust. The
PostGIS provider reports the failure only to the message log. The access
plugin (qgis_server/plugins/zhytomyr_access) watches that log while a
request runs and, when one of these messages appeared, replaces the answer
with 503 Service Unavailable and ``Retry-After`` (RFC 9110 15.6.4), which
MapProxy does not cache and clients retry.

After the database restarts, every connection QGIS keeps is stale: the
first query on each fails ("terminating connection due to administrator
command"), and QGIS retries some of those queries after a reset and not
others (a "Map rendering error", 500). Any such message counts: the answer
becomes a 503, and nginx passes the request once more to a worker
(``fastcgi_next_upstream ... http_500 http_503`` in qgis-fastcgi.conf.in),
whose connection has been reset by then. A notice ("there is no transaction
in progress") or a reset alone ("resetting bad connection.") is no failure.
"""

from __future__ import annotations

import json

RETRY_AFTER_S = 5
# PostGIS provider and libpq messages of QGIS 3.22 that mean the layer's data was not read.
FAILURE_MARKERS = (
    "Connection to database failed",
    "connection still bad after reset",
    "bad connection, not retrying",
    "cursor states lost",
    "server closed the connection unexpectedly",
    "terminating connection due to administrator command",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "no connection to the server",
    "Connection error:",
)
MESSAGE = (
    "The published data could not be read from the database just now: retry in a few seconds"
    " (Дані тимчасово недоступні: повторіть запит за кілька секунд)"
)


def is_database_failure(message: str) -> bool:
    return any(marker in message for marker in FAILURE_MARKERS)


def answer(path: str) -> tuple[str, bytes]:
    """Content type and body of the 503: OGC API's JSON errors under /wfs3, an OGC exception elsewhere."""
    if "/wfs3" in path:
        body = json.dumps([{"code": "Service unavailable", "description": MESSAGE}], ensure_ascii=False)
        return "application/json", body.encode()
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">'
        f'<ServiceException code="ServiceUnavailable">{MESSAGE}</ServiceException></ServiceExceptionReport>\n'
    )
    return "text/xml; charset=utf-8", xml.encode()
