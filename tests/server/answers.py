"""What a client checks in an answer of the public services: a clean refusal."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import requests

TRACEBACK_SIGNS = ("Traceback", 'File "/', "Internal Server Error", "Segmentation", "psycopg2", "PGRES", "ERROR:  ")
QGIS_SERVER_HEADER = "QGIS FCGI server"


def exception_text(response: requests.Response, status: int) -> str:
    """The message of a client error (an OGC exception report, or OGC API's JSON errors).

    Fails unless the status is ``status`` (a 4xx), the body is a well-formed
    error document of the content type it declares, and nothing in it looks
    like a stack trace, SQL or a path of the server.
    """
    assert 400 <= status < 500
    assert response.status_code == status, (response.status_code, response.text[:500])
    for sign in TRACEBACK_SIGNS:
        assert sign not in response.text, response.text[:1000]
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type:
        errors = json.loads(response.content)
        assert isinstance(errors, list) and errors and all("code" in e for e in errors), response.text[:300]
        return " ".join(f"{e['code']}: {e.get('description', '')}" for e in errors)
    assert "xml" in content_type, content_type
    root = ET.fromstring(response.content)
    assert root.tag.endswith("ServiceExceptionReport") or root.tag.endswith("ExceptionReport"), response.text[:300]
    exceptions = [e for e in root.iter() if e.tag.endswith("ServiceException") or e.tag.endswith("Exception")]
    assert exceptions, response.text[:300]
    return " ".join(f"{e.get('code') or e.get('exceptionCode')}: {''.join(e.itertext()).strip()}" for e in exceptions)


def answered_by_nginx(response: requests.Response) -> bool:
    """True when nginx answered itself: the request never reached QGIS Server."""
    return QGIS_SERVER_HEADER not in response.headers.get("Server", "")
