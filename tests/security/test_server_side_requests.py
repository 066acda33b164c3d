"""Attack 3: the public server must fetch nothing a request names.

QGIS Server 3.22 fetches an SLD named by ``SLD=`` (also ``file://``: 200 for
a file that exists, 400 for one that does not, an oracle), external WMS
layers (``LAYERS=EXTERNAL_WMS:x&x:url=...``) and the external graphics of
inline SLD. Each is refused before any service runs, with the same answer
whatever the address. A listener on a loopback port proves nothing came.
"""

from __future__ import annotations

import socket
import threading

import pytest
import requests
from server.answers import exception_text
from server.views import getmap

SLD_WITH_GRAPHIC = (
    '<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"><NamedLayer><Name>ref_street</Name><UserStyle><FeatureTypeStyle>'
    '<Rule><PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type="simple" '
    'xlink:href="{url}"/><Format>image/png</Format></ExternalGraphic></Graphic></PointSymbolizer></Rule>'
    "</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"
)
SLD_WITH_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{url}">]>'
    '<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld"><NamedLayer><Name>&e;</Name>'
    "</NamedLayer></StyledLayerDescriptor>"
)


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connections: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    connections.append(conn.recv(1024))
                except OSError:
                    connections.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


def _attacks(url: str) -> dict[str, dict[str, str]]:
    gm = getmap("city", "EPSG:3857", layers="ref_street")
    return {
        "SLD=http": {**gm, "SLD": f"{url}/style.sld"},
        "SLD=file existing": {**gm, "SLD": "file:///etc/hostname"},
        "SLD=file missing": {**gm, "SLD": "file:///nonexistent/secret"},
        "SLD_BODY external graphic": {**gm, "SLD_BODY": SLD_WITH_GRAPHIC.format(url=f"{url}/g.png")},
        "SLD_BODY entity": {**gm, "SLD_BODY": SLD_WITH_ENTITY.format(url="file:///etc/passwd")},
        "EXTERNAL_WMS": {
            **gm,
            "LAYERS": "EXTERNAL_WMS:ext",
            "ext:url": f"{url}/wms",
            "ext:layers": "a",
            "ext:format": "image/png",
            "ext:crs": "EPSG:3857",
        },
        "name:url alone": {**gm, "ref_street:url": f"{url}/wms"},
        "HIGHLIGHT_SYMBOL external graphic": {
            **gm,
            "HIGHLIGHT_GEOM": "POINT(3190171.7 6490450.5)",
            "HIGHLIGHT_SYMBOL": SLD_WITH_GRAPHIC.format(url=f"{url}/h.png"),
        },
    }


ATTACKS = list(_attacks("http://x"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_named_in_a_request_is_fetched(public_server, listener, attack):
    url, connections = listener
    params = _attacks(url)[attack]
    response = public_server.get("city", **params)
    message = exception_text(response, 403)
    assert "read nothing from addresses or files" in message, message
    post = requests.post(public_server.ows("city"), data=params, timeout=60)  # the same in a form body
    assert "read nothing from addresses or files" in exception_text(post, 403)
    assert connections == []


def test_refusal_is_the_same_whether_a_file_exists_or_not(public_server):
    answers = [
        public_server.get("city", **{**getmap("city", "EPSG:3857"), "SLD": f"file://{path}"})
        for path in ("/etc/hostname", "/nonexistent/secret", "/etc/passwd")
    ]
    assert len({(a.status_code, a.content) for a in answers}) == 1
    assert answers[0].status_code == 403


def test_inline_sld_without_references_is_still_a_style(public_server):
    """SLD_BODY itself is not refused: only what it would fetch."""
    sld = (
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se">'
        "<NamedLayer><se:Name>ref_street</se:Name><UserStyle><se:FeatureTypeStyle><se:Rule><se:LineSymbolizer>"
        '<se:Stroke><se:SvgParameter name="stroke">#ff0000</se:SvgParameter></se:Stroke></se:LineSymbolizer>'
        "</se:Rule></se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>"
    )
    response = public_server.get("city", **{**getmap("city", "EPSG:3857", layers="ref_street"), "SLD_BODY": sld})
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png", response.text[:300]
