"""The concurrent editing check of tests/test_concurrent_editing.py, longer and
busier (make reliability): six editor sessions and four verifier sessions on
twenty parcels for two minutes. Nothing lost, every refusal expected and in
Ukrainian, the history complete and its chain holding."""

from __future__ import annotations

import concurrent_edits
from concurrent_edits import EDITORS, VERIFIERS

SECONDS = 120


def test_long_concurrent_editing_loses_nothing(db):
    ids = concurrent_edits.seed(db, records=20)
    with db.connect().cursor() as cur:
        cur.execute("SELECT max(id) FROM history.event")
        since = cur.fetchone()[0]
    out = concurrent_edits.run(db, ids, SECONDS, editors=EDITORS * 2, verifiers=VERIFIERS + VERIFIERS[:1])
    assert out.unexpected == [], out.unexpected[:5]
    figures = concurrent_edits.check(db, ids, out, since)
    print(figures)
    assert figures.get("updates", 0) >= 500 and figures.get("approves", 0) >= 100, figures
