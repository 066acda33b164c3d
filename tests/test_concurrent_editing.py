"""Many editors and verifiers on the same records at once: nothing lost.

Three editors and three verifiers (one person in both roles) work on six
published parcels for a few seconds (tests/concurrent_edits.py). Every
refusal is one a concurrent workflow expects (edit conflict ZG001, a state
changed meanwhile ZG002, four eyes ZG003) and reads in Ukrainian; every
committed transaction has its history event; no version of a record was
written twice (no lost update); the rows, the published copies and the
history's chain agree. The long run is in make reliability
(tests/reliability/test_concurrent_editing_long.py).
"""

from __future__ import annotations

import concurrent_edits


def test_concurrent_editors_and_verifiers_lose_nothing(db):
    ids = concurrent_edits.seed(db, records=6)
    with db.connect().cursor() as cur:
        cur.execute("SELECT max(id) FROM history.event")
        since = cur.fetchone()[0]
    out = concurrent_edits.run(db, ids, seconds=6)
    assert out.unexpected == [], out.unexpected[:5]
    figures = concurrent_edits.check(db, ids, out, since)
    print(figures)
    assert figures.get("updates", 0) >= 20 and figures.get("approves", 0) >= 5, figures
    assert figures.get("refused ZG001 (conflict)", 0) > 0, f"no edit conflict arose: {figures}"
    assert "ZG003" in out.messages and "чотирьох очей" in out.messages["ZG003"], out.messages
