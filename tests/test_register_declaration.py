"""A register is one changelog and one declaration away (docs/architecture.md,
"Adding a register").

The test adds a register the way a release would: a changelog with the table,
its two rules (CHECK constraints raising Ukrainian messages) and its
declaration row, and the register's declaration for the forms. After the
upgrade the register has everything — workflow, history, published copy
without personal data, standard verification rules, privileges, a form — and a
record of it goes from a draft to the public copy.
"""

from __future__ import annotations

import psycopg2
import pytest
from conftest import CENTRE, upgrade_with_changelog
from factories import approve

from zhytomyr_gis import db_rules, form_spec
from zhytomyr_gis.registers import F, Register

CHANGELOG = """
CREATE TABLE energy.boiler_house (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk              text NOT NULL,
    operator_edrpou      text CONSTRAINT boiler_house_operator_edrpou_format CHECK (ref.check_edrpou(operator_edrpou)),
    operator_person_name text,
    capacity_mw          numeric(6, 2) NOT NULL CONSTRAINT boiler_house_capacity_range
                             CHECK (ref.check_range(capacity_mw, 0.01, 500, 'boiler_house_capacity_range',
                                                    'Потужність, МВт', 'Capacity, MW')),
    commissioned_on      date,
    geom                 geometry(Point, 9836) NOT NULL
);
CREATE INDEX boiler_house_geom_idx ON energy.boiler_house USING gist (geom);
INSERT INTO workflow.register (table_name, department, title_uk, title_en, personal_columns)
VALUES ('energy.boiler_house', 'energy', 'Котельні', 'Boiler houses', '{operator_person_name}');
"""

BOILER_HOUSES = Register(
    "energy.boiler_house",
    "energy",
    "Котельні",
    "Boiler houses",
    "Point",
    '"name_uk"',
    (
        F("id", "Ідентифікатор", "Id", "readonly"),
        F("name_uk", "Назва", "Name"),
        F("operator_edrpou", "Код ЄДРПОУ оператора", "Operator's EDRPOU"),
        F("operator_person_name", "Оператор — фізична особа", "Operator (a person)", personal=True),
        F("capacity_mw", "Потужність, МВт", "Capacity, MW", "decimal"),
        F("commissioned_on", "Введено в експлуатацію", "Commissioned", "date"),
    ),
)

X, Y = CENTRE
INSIDE = f"SRID=9836;POINT({X + 50} {Y + 50})"


@pytest.fixture
def declared(db, tmp_path):
    upgrade_with_changelog(db, tmp_path, "9001_boiler_house.sql", CHANGELOG)
    return db


def _one(conn, sql, *params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def test_the_upgrade_gives_the_declared_register_everything(declared):
    su = declared.connect()
    (triggers,) = _one(
        su,
        "SELECT array_agg(tgname::text ORDER BY tgname) FROM pg_trigger"
        " WHERE tgrelid = 'energy.boiler_house'::regclass",
    )
    assert triggers == [
        "a_before_delete",
        "a_before_insert",
        "a_before_update",
        "b_check_geometry",
        "z_history_delete",
        "z_history_insert",
        "z_history_update",
    ]
    published, columns = _one(
        su, "SELECT published_table, published_columns FROM workflow.register WHERE table_name = 'energy.boiler_house'"
    )
    assert published == "published.energy_boiler_house"
    assert columns == ["id", "name_uk", "operator_edrpou", "capacity_mw", "commissioned_on", "geom"]
    (key_type,) = _one(
        su,
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = 'published.energy_boiler_house'::regclass AND attname = 'id'",
    )
    assert key_type == "integer"
    (rules,) = _one(
        su, "SELECT array_agg(id ORDER BY id) FROM verification.rule WHERE register = 'energy.boiler_house'"
    )
    assert rules == [
        "boiler_house_edrpou_format",
        "boiler_house_geometry_inside_city",
        "boiler_house_geometry_not_empty",
        "boiler_house_geometry_valid",
    ]


def test_its_form_takes_the_databases_rules(declared):
    su = declared.connect()
    spec = form_spec.build(
        BOILER_HOUSES,
        db_rules.read_rules(su, BOILER_HOUSES.table),
        db_rules.read_required(su, BOILER_HOUSES.table),
    )
    capacity = spec.fields["capacity_mw"]
    assert (capacity.config["Min"], capacity.config["Max"], capacity.config["AllowNull"]) == (0.01, 500, False)
    assert "Потужність, МВт" in capacity.constraint_description
    assert "ЄДРПОУ" in spec.fields["operator_edrpou"].constraint_description


def test_a_record_goes_from_draft_to_the_public_with_its_history(declared):
    editor = declared.connect("t_energy_editor")
    with pytest.raises(psycopg2.errors.CheckViolation, match="Потужність, МВт"), editor.cursor() as cur:
        cur.execute(
            "INSERT INTO energy.boiler_house (name_uk, capacity_mw, geom) VALUES ('Котельня', 900, %s)", (INSIDE,)
        )
    with pytest.raises(psycopg2.errors.CheckViolation, match="ЄДРПОУ"), editor.cursor() as cur:
        cur.execute(
            "INSERT INTO energy.boiler_house (name_uk, operator_edrpou, capacity_mw, geom)"
            " VALUES ('Котельня', '12345670', 5, %s)",
            (INSIDE,),
        )
    with pytest.raises(psycopg2.errors.CheckViolation, match="поза межами території"), editor.cursor() as cur:
        cur.execute(
            "INSERT INTO energy.boiler_house (name_uk, capacity_mw, geom) VALUES ('Котельня', 5, %s)",
            (f"SRID=9836;POINT({X + 50000} {Y})",),
        )
    (record,) = _one(
        editor,
        "INSERT INTO energy.boiler_house (name_uk, operator_edrpou, operator_person_name, capacity_mw, geom)"
        " VALUES ('Котельня на Щорса', '04053625', 'Іваненко Іван', 12.5, %s) RETURNING id",
        INSIDE,
    )
    other = declared.connect("t_property_editor")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), other.cursor() as cur:
        cur.execute("UPDATE energy.boiler_house SET capacity_mw = 1, version = version + 1")

    _one(editor, "SELECT workflow.submit('energy.boiler_house', %s::bigint)", record)
    verifier = declared.connect("t_energy_verifier")
    approve(verifier, "energy.boiler_house", [record])

    public = declared.connect("portal_reader")
    row = _one(public, "SELECT * FROM published.energy_boiler_house WHERE id = %s", record)
    assert row is not None and "Котельня на Щорса" in row and "Іваненко Іван" not in row
    with public.cursor() as cur:
        cur.execute("SELECT * FROM published.energy_boiler_house LIMIT 0")
        assert "operator_person_name" not in [d.name for d in cur.description]
    with editor.cursor() as cur:
        cur.execute("SELECT action, actor FROM workflow.timeline('energy.boiler_house', %s) ORDER BY id", (record,))
        assert cur.fetchall() == [
            ("insert", "t_energy_editor"),
            ("submit", "t_energy_editor"),
            ("approve", "t_energy_verifier"),
        ]
