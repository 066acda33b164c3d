"""A small generated city for the open data tests, with changes that must
never reach a file: canary values in a draft, a submitted, a rejected change
and in the unapproved edit of a published record.

The city is the demo's small size, loaded through the real workflow (it has
records in every state and private persons in the personal columns).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import psycopg2
from conftest import TEMPLATE
from factories import approve
from register_rows import EDITOR, VERIFIER, parcel

from zhytomyr_gis.demo import loader
from zhytomyr_gis.registers import REGISTERS

CANARY = "КАНАРКА-" + uuid.uuid4().hex[:8].upper()


@dataclass
class OpenDataCity:
    cluster: object
    dbname: str
    canaries: dict[str, str] = field(default_factory=dict)  # state -> value in address_text
    personal_values: set[str] = field(default_factory=set)
    edited_parcel: tuple[int, str] = (0, "")  # (id, cadastral number) of the published parcel edited to draft

    def dsn(self, user: str) -> str:
        return self.cluster.user_dsn(user, self.dbname)

    @property
    def superuser_dsn(self) -> str:
        return self.cluster.superuser_dsn(self.dbname)


def _conn(dsn: str):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


def insert_parcel(conn, address: str, at=(0, 0)) -> tuple[int, str]:
    # Zone 99 is not used by the demo generator: the numbers cannot collide.
    number = f"1810100000:99:{uuid.uuid4().int % 1000:03d}:{uuid.uuid4().int % 10000:04d}"
    row = parcel(at=at, address_text=address, cadastral_number=number)
    cols = list(row)
    values = ", ".join("ST_GeomFromText(%s, 9836)" if c == "geom" else "%s" for c in cols)
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO property.land_parcel ({', '.join(cols)}) VALUES ({values}) RETURNING id",
            [row[c] for c in cols],
        )
        return cur.fetchone()[0], row["cadastral_number"]


def workflow(conn, function: str, record_id: int, *args) -> None:
    if function == "approve":  # in the version the verifier sees
        approve(conn, "property.land_parcel", [record_id], *args)
        return
    with conn.cursor() as cur:
        extra = "".join(", %s" for _ in args)
        cur.execute(f"SELECT workflow.{function}('property.land_parcel', %s::bigint{extra})", (record_id, *args))


def create(cluster, name: str | None = None) -> OpenDataCity:
    dbname = name or f"zgis_opendata_{uuid.uuid4().hex[:8]}"
    cluster.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    cluster.execute(f"CREATE DATABASE {dbname} TEMPLATE {TEMPLATE}")
    city = OpenDataCity(cluster, dbname)
    loader.load(city.superuser_dsn, size="small", log=lambda _m: None)
    # The canaries are about publishing, not about the verification's rules
    # (their squares may overlap generated parcels).
    cluster.execute("UPDATE verification.rule SET enabled = false", dbname)
    editor = _conn(city.dsn(EDITOR["property"]))
    verifier = _conn(city.dsn(VERIFIER["property"]))
    try:
        draft, _ = insert_parcel(editor, f"{CANARY}-чернетка", at=(-2900, -2900))
        submitted, _ = insert_parcel(editor, f"{CANARY}-на-перевірці", at=(-2850, -2900))
        workflow(editor, "submit", submitted, "на перевірку")
        rejected, _ = insert_parcel(editor, f"{CANARY}-відхилено", at=(-2800, -2900))
        workflow(editor, "submit", rejected, "на перевірку")
        workflow(verifier, "reject", rejected, "неправильна адреса")
        edited, cadastral = insert_parcel(editor, "вул. Затверджена, 1", at=(-2750, -2900))
        workflow(editor, "submit", edited, "нова ділянка")
        workflow(verifier, "approve", edited, "перевірено")
        with editor.cursor() as cur:
            cur.execute(
                "UPDATE property.land_parcel SET address_text = %s, version = version + 1 WHERE id = %s",
                (f"{CANARY}-правка", edited),
            )
        city.canaries = {
            "draft": f"{CANARY}-чернетка",
            "submitted": f"{CANARY}-на-перевірці",
            "rejected": f"{CANARY}-відхилено",
            "edited": f"{CANARY}-правка",
        }
        city.edited_parcel = (edited, cadastral)
        del draft
    finally:
        editor.close()
        verifier.close()
    city.personal_values = personal_values(city.superuser_dsn)
    return city


def personal_values(superuser_dsn: str) -> set[str]:
    """Every value of a personal column in the working tables (what must never be published)."""
    values: set[str] = set()
    conn = _conn(superuser_dsn)
    try:
        with conn.cursor() as cur:
            for register in REGISTERS:
                for f in register.fields:
                    if f.personal:
                        cur.execute(f"SELECT DISTINCT {f.name}::text FROM {register.table} WHERE {f.name} IS NOT NULL")
                        values |= {v for (v,) in cur.fetchall() if len(v) >= 6}
    finally:
        conn.close()
    return values


def drop(city: OpenDataCity) -> None:
    city.cluster.execute(f"DROP DATABASE IF EXISTS {city.dbname} WITH (FORCE)")


def text_of(path: Path) -> str:
    """What a file says, as a reader's program would see the text.

    XLSX cells are read with openpyxl (the XML escapes non-ASCII text as
    character references, so its bytes would hide any value); GeoPackage
    stores text as UTF-8 in SQLite pages, readable as bytes.
    """
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return "\n".join(
                "\t".join("" if v is None else str(v) for v in row)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        finally:
            book.close()
    return path.read_bytes().decode("utf-8", "replace")
