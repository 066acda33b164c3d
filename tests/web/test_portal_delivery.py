"""How nginx sends the geoportal's files: the compressed copies made by the
build (scripts, strings) and by the deployment (pages, config.json and each
map's part of it) are the files themselves, compressed; a page's copy
carries its start view's data."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest
import requests


def _raw(portal, path: str, encoding: str) -> tuple[dict, bytes]:
    """Headers and body of the answer to a browser that takes ``encoding``, the body as sent."""
    response = requests.get(portal.url(path), headers={"Accept-Encoding": encoding}, stream=True, timeout=30)
    assert response.status_code == 200, path
    return response.headers, response.raw.read(decode_content=False)


def _viewer_script(portal) -> str:
    html = requests.get(portal.url("/map.html"), timeout=30).text
    return re.search(r'<script type="module" src="(/assets/viewer-[^"]+\.js)"', html).group(1)


DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_scripts_strings_and_config_are_sent_as_their_compressed_copies(portal, encoding):
    for path in (_viewer_script(portal), "/i18n/uk.json", "/config.json", "/config/city.json"):
        headers, body = _raw(portal, path, encoding)
        assert headers.get("Content-Encoding") == encoding, path
        # nginx's own compression would be chunked; a copy is sent with its length.
        assert int(headers["Content-Length"]) == len(body), path
        served = DECOMPRESS[encoding](body)
        assert served == (portal.run_dir / "portal" / path.lstrip("/")).read_bytes(), path
        assert len(body) < len(served) / 2, path
    assert json.loads(DECOMPRESS[encoding](_raw(portal, "/config.json", encoding)[1]))["maps"]


@pytest.mark.parametrize("path", ["/map.html", "/embed", "/"])
def test_a_compressed_page_carries_its_start_view_data(portal, path):
    headers, body = _raw(portal, path, "br")
    assert headers.get("Content-Encoding") == "br"
    html = brotli.decompress(body).decode()
    boot = re.search(r'<script id="zgis-boot" type="application/json">(.*?)</script>', html).group(1)
    assert json.loads(boot)["maps"]["city"]["start"], "the page was compressed before the deployment wrote its data"


def test_a_browser_without_compression_gets_the_files_as_they_are(portal):
    response = requests.get(portal.url("/config.json"), headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in response.headers
    assert response.content == (portal.run_dir / "portal" / "config.json").read_bytes()
