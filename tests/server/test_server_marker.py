"""The invariant of the public side: only what a verifier approved is ever served.

A marker value is planted in a draft change, a submitted change, a
rejected change and a new draft record of published parcels. No response
of any service, in any format, may contain it, and nothing the public sees
may change. Then the submitted change is approved: the marker appears in
every service, and how long that takes is measured (freshness).
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import psycopg2
import pytest
from conftest import CENTRE
from factories import approve

from . import images
from .seed import PROBES
from .views import ARTEFACTS, getfeatureinfo, getmap

MARKER = "MARKER-7f3a"
TABLE = "property.land_parcel"
FRESHNESS_LIMIT_S = 5.0
# Published parcels 1, 2, 3 lie in a row, 120 m apart (see seed.py).
PROBE_P, PROBE_Q, PROBE_R = ((PROBES[TABLE][0] + 120 * n, PROBES[TABLE][1]) for n in range(3))
PROBE_NEW = (PROBES[TABLE][0], PROBES[TABLE][1] + 360)


def _square_ewkt(dx: float, dy: float, size: float = 100) -> str:
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    return f"SRID=9836;MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"


def responses(server, parcel_ids: list[int]) -> dict[str, bytes]:
    """One response of every service and format that could show a parcel."""
    s = server
    out: dict[str, bytes] = {}

    def get(name: str, project: str, path: str = "", **params) -> None:
        response = s.get(project, path, **params)
        assert response.status_code == 200, (name, response.status_code, response.text[:300])
        out[name] = response.content

    for project in ("property", "city"):
        get(f"{project} WMS capabilities 1.3.0", project, SERVICE="WMS", VERSION="1.3.0", REQUEST="GetCapabilities")
        get(f"{project} WMS capabilities 1.1.1", project, SERVICE="WMS", VERSION="1.1.1", REQUEST="GetCapabilities")
        get(f"{project} GetMap 3857", project, **getmap(project, "EPSG:3857"))
        get(f"{project} GetMap 9836", project, **getmap(project, "EPSG:9836"))
        for fmt in ("text/html", "application/json", "text/xml", "application/vnd.ogc.gml", "text/plain"):
            for label, probe in (("P", PROBE_P), ("Q", PROBE_Q), ("R", PROBE_R), ("new", PROBE_NEW)):
                get(
                    f"{project} GetFeatureInfo {fmt} {label}",
                    project,
                    **getfeatureinfo("property_land_parcel", *probe, fmt),
                )
        get(
            f"{project} legend",
            project,
            SERVICE="WMS",
            VERSION="1.3.0",
            REQUEST="GetLegendGraphic",
            LAYER="property_land_parcel",
            FORMAT="image/png",
        )
        get(f"{project} WFS capabilities", project, SERVICE="WFS", VERSION="1.1.0", REQUEST="GetCapabilities")
        get(
            f"{project} WFS describe",
            project,
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="DescribeFeatureType",
            TYPENAME="property_land_parcel",
        )
        get(
            f"{project} WFS GML",
            project,
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
        )
        get(
            f"{project} WFS GeoJSON",
            project,
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
            OUTPUTFORMAT="application/vnd.geo+json",
        )
        get(
            f"{project} WFS GeoJSON filtered",
            project,
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
            OUTPUTFORMAT="application/vnd.geo+json",
            EXP_FILTER=f"\"note\" LIKE '%{MARKER}%' OR \"address_text\" LIKE '%{MARKER}%'",
        )
        get(f"{project} OGC API collections", project, "/wfs3/collections.json")
        get(f"{project} OGC API items", project, "/wfs3/collections/property_land_parcel/items.json?limit=100")
        get(f"{project} OGC API items html", project, "/wfs3/collections/property_land_parcel/items.html?limit=100")
        for pid in parcel_ids:
            get(f"{project} OGC API item {pid}", project, f"/wfs3/collections/property_land_parcel/items/{pid}.json")
        get(f"{project} WMTS capabilities", project, SERVICE="WMTS", REQUEST="GetCapabilities")
        get(
            f"{project} WMTS tile",
            project,
            SERVICE="WMTS",
            VERSION="1.0.0",
            REQUEST="GetTile",
            LAYER="property_land_parcel",
            STYLE="default",
            TILEMATRIXSET="EPSG:3857",
            TILEMATRIX="16",
            TILEROW="22153",
            TILECOL="37984",
            FORMAT="image/png",
        )
    return out


def _drop_timestamps(value):
    if isinstance(value, dict):
        return {k: _drop_timestamps(v) for k, v in value.items() if k != "timeStamp"}
    if isinstance(value, list):
        return [_drop_timestamps(v) for v in value]
    return value


def normalised(body: bytes):
    """What a response says, without what varies between identical answers
    (from one worker to another): the OGC API's response time stamp, the order
    of XML attributes and the prefixes of XML namespaces."""
    if body.startswith(b"\x89PNG"):
        return images.load(body).tobytes()
    try:
        return json.dumps(_drop_timestamps(json.loads(body)), sort_keys=True)
    except ValueError:
        pass
    try:
        return _xml_content(ET.fromstring(body))
    except ET.ParseError:
        return body


def _xml_content(element: ET.Element) -> tuple:
    """An XML element as data: namespaces by URI (not prefix), attributes unordered."""
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(_xml_content(child) for child in element),
    )


def _containing(found: dict[str, bytes], text: str) -> list[str]:
    return [name for name, body in found.items() if text.encode() in body or text in body.decode("utf-8", "replace")]


def _connect(server, user: str):
    conn = psycopg2.connect(server.dsn(user))
    conn.autocommit = True
    return conn


def _update(conn, record_id: int, **values) -> None:
    with conn.cursor() as cur:
        cur.execute(f"SELECT version FROM {TABLE} WHERE id = %s", (record_id,))
        version = cur.fetchone()[0]
        sets = ", ".join(f"{c} = %s" for c in values)
        cur.execute(
            f"UPDATE {TABLE} SET {sets}, version = %s WHERE id = %s", [*values.values(), version + 1, record_id]
        )


@pytest.fixture(scope="module")
def planted(public_server):
    """The unapproved changes, made as the property department works."""
    p, q, r = public_server.seeded.ids[TABLE][:3]
    baseline = responses(public_server, [p, q, r])
    editor = _connect(public_server, "t_property_editor")
    verifier = _connect(public_server, "t_property_verifier")
    try:
        # P: a draft change (attributes and geometry).
        _update(
            editor,
            p,
            note=f"{MARKER}-draft",
            address_text=f"{MARKER}-draft",
            geom=_square_ewkt(PROBE_P[0] - 20, PROBE_P[1] + 10),
        )
        # Q: a change submitted for review.
        _update(editor, q, note=f"{MARKER}-submitted")
        with editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, q))
        # R: a change submitted and rejected.
        _update(editor, r, note=f"{MARKER}-rejected", lease_status="free")
        with editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, r))
        with verifier.cursor() as cur:
            cur.execute("SELECT workflow.reject(%s, %s::bigint, %s)", (TABLE, r, "Примітка не відповідає рішенню"))
        # A new record, still a draft.
        with editor.cursor() as cur:
            cur.execute(
                f"INSERT INTO {TABLE} (cadastral_number, area_ha, land_use_code, ownership, lease_status, note,"
                " address_text, geom) VALUES ('1810100000:01:001:0099', 1, '03.15', 'communal', 'free', %s, %s,"
                " ST_GeomFromEWKT(%s)) RETURNING id",
                (f"{MARKER}-new", f"{MARKER}-new", _square_ewkt(PROBE_NEW[0] - 50, PROBE_NEW[1] - 50)),
            )
            new_id = cur.fetchone()[0]
        with editor.cursor() as cur:
            cur.execute(f"SELECT id, status FROM {TABLE} WHERE id = ANY(%s) ORDER BY id", ([p, q, r, new_id],))
            states = dict(cur.fetchall())
        assert [states[p], states[q], states[r], states[new_id]] == ["draft", "submitted", "rejected", "draft"]
        yield {"ids": (p, q, r, new_id), "baseline": baseline, "verifier": verifier}
    finally:
        editor.close()
        verifier.close()


def test_unapproved_changes_appear_in_no_response_of_any_service(public_server, planted):
    p, q, r, new_id = planted["ids"]
    now = responses(public_server, [p, q, r])
    assert len(now) > 70
    assert _containing(now, MARKER) == []
    # Nothing the public sees has changed, byte for byte (maps, tiles and documents).
    changed = [name for name in planted["baseline"] if normalised(planted["baseline"][name]) != normalised(now[name])]
    assert changed == []
    # The draft's unpublished record has no public address at all.
    item = public_server.get("property", f"/wfs3/collections/property_land_parcel/items/{new_id}.json")
    assert item.status_code == 404 and MARKER not in item.text


def test_approved_change_appears_everywhere_within_seconds(public_server, planted):
    p, q, r, new_id = planted["ids"]
    marker = f"{MARKER}-submitted"
    checks = {
        "WMS GetFeatureInfo": lambda: public_server.get(
            "property", **getfeatureinfo("property_land_parcel", *PROBE_Q, "application/json")
        ).text,
        "WFS GeoJSON": lambda: public_server.get(
            "property",
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
            OUTPUTFORMAT="application/vnd.geo+json",
            FEATUREID=f"property_land_parcel.{q}",
        ).text,
        "OGC API item": lambda: public_server.get(
            "property", f"/wfs3/collections/property_land_parcel/items/{q}.json"
        ).text,
        "city WFS GML": lambda: public_server.get(
            "city",
            SERVICE="WFS",
            VERSION="1.1.0",
            REQUEST="GetFeature",
            TYPENAME="property_land_parcel",
            FEATUREID=f"property_land_parcel.{q}",
        ).text,
    }
    approve(planted["verifier"], TABLE, [q])
    approved_at = time.monotonic()
    freshness: dict[str, float] = {}
    pending = dict(checks)
    while pending and time.monotonic() - approved_at < 30:
        for name, fetch in list(pending.items()):
            if marker in fetch():
                freshness[name] = round(time.monotonic() - approved_at, 3)
                del pending[name]
        time.sleep(0.02)
    assert not pending, f"not visible after 30 s: {list(pending)}"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "freshness.json").write_text(json.dumps(freshness, indent=2))
    print(f"\nfreshness (approval to visibility, seconds): {freshness}")
    assert max(freshness.values()) < FRESHNESS_LIMIT_S, freshness
    # Still nothing of the draft, the rejected change or the new draft.
    now = responses(public_server, [p, q, r])
    visible = _containing(now, MARKER)
    assert visible and all(marker.encode() in now[name] or marker in now[name].decode() for name in visible)
    assert _containing(now, f"{MARKER}-draft") == []
    assert _containing(now, f"{MARKER}-rejected") == []
    assert _containing(now, f"{MARKER}-new") == []
    # The map is unchanged: the approved change touched no drawn attribute.
    assert (
        images.load(now["property GetMap 3857"]).tolist()
        == images.load(planted["baseline"]["property GetMap 3857"]).tolist()
    )
