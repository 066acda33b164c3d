"""Attack: empty the public tile cache from any database login.

PostgreSQL lets every role NOTIFY any channel. The tile-invalidation listener
takes the areas to remove from published.approval_log, which only an
approval writes: a forged notification removes nothing and the listener
carries on; a real approval still removes its area's tiles.
"""

from __future__ import annotations

import threading
import time

from conftest import CENTRE, wait_for
from factories import approve, call, insert, parcel

from zhytomyr_gis.publishing import tile_invalidation, tiles


def _tile_under(x: float, y: float, z: int = 18) -> tuple[int, int]:
    cx, cy = tile_invalidation.bbox_to_3857([x, y, x, y], 9836)[:2]
    span = 2 * tiles.WEB_MERCATOR_HALF / 2**z
    return int((cx + tiles.WEB_MERCATOR_HALF) // span), int((tiles.WEB_MERCATOR_HALF - cy) // span)


def _touch(root, project: str, col: int, row: int, z: int = 18):
    path = root / project / str(z) / str(col) / f"{row}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"png")
    return path


def test_a_forged_notification_removes_nothing_and_an_approval_still_does(db, tmp_path):
    cache = tmp_path / "cache"
    invalidator = tile_invalidation.Invalidator(cache, repeat_after_s=600)
    listener = threading.Thread(
        target=tile_invalidation.listen, args=(db.dsn("portal_reader"), invalidator), kwargs={"stop_after_s": 40}
    )
    listener.start()
    assert wait_for(lambda: invalidator.position is not None, seconds=20), "the listener started"

    x, y = CENTRE
    col, row = _tile_under(x, y)
    centre_tile = _touch(cache, "property", col, row)
    other_tile = _touch(cache, "city", col + 50, row)
    editor = db.connect("t_budget_editor")  # any login at all
    with editor.cursor() as cur:
        for payload in ("not json", '{"table": "published.property_land_parcel", "bbox": null}', "999999", ""):
            cur.execute("SELECT pg_notify('zhytomyr_gis_published', %s)", (payload,))
    time.sleep(3)
    assert centre_tile.exists() and other_tile.exists(), "a forged notification removed cached tiles"
    assert listener.is_alive()

    # A real approval of a parcel at the centre removes the tile there, and only there.
    parcels = db.connect("t_property_editor")
    record = insert(parcels, "property.land_parcel", parcel(geom=_square_at(x, y)))
    call(parcels, "submit", "property.land_parcel", [record])
    approve(db.connect("t_property_verifier"), "property.land_parcel", [record])
    assert wait_for(lambda: not centre_tile.exists(), seconds=20), "the approval's area was not removed"
    assert other_tile.exists()
    listener.join()


def _square_at(x: float, y: float, size: float = 10) -> str:
    return f"MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y})))"
