"""The published copies key their rows by integer ids (workflow.attach_register, sql/app/50_registers.sql).

QGIS reads a bigint key through a per-layer map from key to feature id;
with an integer key the id is the feature id (make bench: WFS 14 % faster).
"""

from __future__ import annotations

import register_rows as rows
from register_rows import publish

from zhytomyr_gis.registers import register


def _key_types(cur) -> dict[str, str]:
    cur.execute(
        "SELECT r.published_table, format_type(a.atttypid, a.atttypmod) FROM workflow.register r"
        " JOIN pg_attribute a ON a.attrelid = r.published_table::regclass AND a.attname = 'id'"
    )
    return dict(cur.fetchall())


def test_every_published_copy_and_one_declared_later_has_an_integer_key(db):
    with db.connect() as conn, conn.cursor() as cur:
        types = _key_types(cur)
        assert len(types) >= 18 and set(types.values()) == {"integer"}, types
        cur.execute(
            "CREATE TABLE ref.test_landmark (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name_uk text NOT NULL)"
        )
        cur.execute("SELECT workflow.register_table('ref.test_landmark', 'admin', 'Орієнтири', 'Landmarks')")
        assert _key_types(cur)["published.ref_test_landmark"] == "integer"


def test_an_approved_record_reaches_the_integer_keyed_copy(db):
    table = "property.land_parcel"
    (record_id,) = publish(db, table, rows.parcel((0, 0)))
    with db.connect() as conn, conn.cursor() as cur:
        cur.execute(f"SELECT id, cadastral_number FROM {register(table).published_table} WHERE id = %s", (record_id,))
        published = cur.fetchone()
        cur.execute(f"SELECT cadastral_number FROM {table} WHERE id = %s", (record_id,))
        assert published == (record_id, cur.fetchone()[0])
