"""Attacks on the public server, each tried against the real stack of tests/server
(the ``public_server`` fixture, tests/conftest.py): nginx + QGIS Server with
the zhytomyr_access plugin, over the small city published through the workflow.
"""

from __future__ import annotations

import psycopg2
import pytest
from conftest import CENTRE
from factories import approve

from zhytomyr_gis.registers import register

TABLE = "investment.site"
LAYER = "investment_site"
PROJECT = "investment"
# Where the hostile record lies (metres from the centre; no seeded record there).
SPOT = (500.0, 500.0)
SIZE = 80.0
TEXT_WIDGETS = ("text", "multiline")


def payload(field: str) -> str:
    """Script in two forms; either would set the window flag and open a dialog if it ran."""
    return (
        f"{field}<img src=x onerror=\"window.zgisXss='{field}';alert(1)\">"
        f"<script>window.zgisXss='{field}';alert(2)</script>"
    )


def _valid_site() -> dict:
    x, y = CENTRE[0] + SPOT[0], CENTRE[1] + SPOT[1]
    return {
        "site_code": "ІНВ-099",
        "name_uk": "Майданчик",
        "name_en": "Site",
        "site_type": "greenfield",
        "offer_type": "lease",
        "area_ha": 0.64,
        "ownership": "communal",
        "geom": f"SRID=9836;MULTIPOLYGON((({x} {y},{x + SIZE} {y},{x + SIZE} {y + SIZE},{x} {y + SIZE},{x} {y})))",
    }


def _insert(cur, row: dict) -> int:
    cols = list(row)
    cur.execute(
        f"INSERT INTO {TABLE} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) RETURNING id",
        [row[c] for c in cols],
    )
    return cur.fetchone()[0]


@pytest.fixture(scope="package")
def hostile_site(public_server):
    """An investment site with script in every text field the rules let through, approved
    through the workflow; removed again through the workflow afterwards.

    Yields (id, the fields that carry script).
    """
    editor = psycopg2.connect(public_server.dsn("t_investment_editor"))
    verifier = psycopg2.connect(public_server.dsn("t_investment_verifier"))
    row = _valid_site()
    carried = []
    for field in register(TABLE).public_fields:
        if field.widget in TEXT_WIDGETS:
            row[field.name] = payload(field.name)
            carried.append(field.name)
    try:
        # A field whose rule refuses markup (a code, an e-mail...) keeps a valid value.
        while True:
            try:
                with editor, editor.cursor() as cur:
                    site_id = _insert(cur, row)
                break
            except psycopg2.errors.CheckViolation as exc:
                refused = next(f for f in carried if f in (exc.diag.constraint_name or "") or f in str(exc))
                row[refused] = _valid_site().get(refused)
                if row[refused] is None:
                    del row[refused]
                carried.remove(refused)
        with editor, editor.cursor() as cur:
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (TABLE, [site_id]))
        with verifier:
            approve(verifier, TABLE, [site_id])
        yield site_id, carried
        with editor, editor.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", (site_id,))
            cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (TABLE, [site_id]))
        with verifier:
            approve(verifier, TABLE, [site_id])
    finally:
        editor.close()
        verifier.close()
