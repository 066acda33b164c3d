"""The evidence of an import: the file a change came from.

The database keeps it (history.import_file, sql/app/35_import_evidence.sql):
an import registers its file before writing anything, and every history
event of that transaction carries the file. This module says what is
recorded about a file, registers it, and finds the latest dated file a
record was already imported from (an older file may not change it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

SOURCE_FORMATS = {".xml": "cadastral-xml", ".gpkg": "gpkg", ".shp": "shp", ".csv": "csv", ".xlsx": "xlsx"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ImportEvidence:
    """What is recorded about an imported file (no personal data: the
    surveyor is a company and its certified engineer, a professional role)."""

    file_name: str
    sha256: str
    source_format: str  # cadastral-xml | gpkg | shp | csv | xlsx | other
    file_date: dt.date | None = None  # the date the file states (FileDate)
    format_version: str | None = None
    coordinate_system: str | None = None
    surveyor: str | None = None
    surveyor_edrpou: str | None = None

    @classmethod
    def of_file(cls, path: Path, sha256: str, **kw) -> ImportEvidence:
        return cls(path.name, sha256, SOURCE_FORMATS.get(path.suffix.lower(), "other"), **kw)

    def text(self) -> str:
        """One line for the history and the review queue."""
        parts = [self.file_name]
        if self.file_date:
            parts.append(f"від {self.file_date:%d.%m.%Y}")
        if self.surveyor:
            parts.append(f"виконавець: {self.surveyor}")
        return ", ".join(parts)

    def details(self) -> str:
        """Everything recorded, line by line (the tooltip of the history)."""
        lines = [f"Файл: {self.file_name}", f"SHA-256: {self.sha256}"]
        if self.file_date:
            lines.append(f"Дата файлу: {self.file_date:%d.%m.%Y}")
        if self.format_version:
            lines.append(f"Версія формату: {self.format_version}")
        if self.coordinate_system:
            lines.append(f"Система координат: {self.coordinate_system}")
        if self.surveyor:
            lines.append(f"Виконавець робіт: {self.surveyor}")
        return "\n".join(lines)


def record(conn, table: str, evidence: ImportEvidence) -> int:
    """Registers the file in the importing editor's transaction (before any
    write): the changes that follow in it carry the file as their evidence."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT history.record_import_file(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                table,
                evidence.file_name,
                evidence.sha256,
                evidence.source_format,
                evidence.file_date,
                evidence.format_version,
                evidence.coordinate_system,
                evidence.surveyor,
                evidence.surveyor_edrpou,
            ),
        )
        return cur.fetchone()[0]


@dataclass(frozen=True)
class LastImport:
    file_name: str
    file_date: dt.date


def last_dated_imports(
    conn, table: str, key_column: str, keys: list[str], parts: tuple[tuple[str, str], ...] = ()
) -> dict[str, LastImport]:
    """For each existing record among ``keys``: the file with the latest
    FileDate it (or a record of ``parts``, given as (table, column linking to
    the record)) was imported from."""
    if not keys:
        return {}
    linked = ["SELECT e.import_file_id FROM history.event e WHERE e.table_name = %s AND e.record_id = t.id"]
    params: list = [table]
    for part, column in parts:
        linked.append(
            "SELECT e.import_file_id FROM history.event e"
            f" WHERE e.table_name = %s AND e.record_id IN (SELECT p.id FROM {part} p WHERE p.{column} = t.id)"
        )
        params.append(part)
    with conn.cursor() as cur:
        cur.execute(
            f"""SELECT t.{key_column}::text, f.file_name, f.file_date
                  FROM {table} t
                  CROSS JOIN LATERAL (
                      SELECT f.file_name, f.file_date FROM history.import_file f
                       WHERE f.file_date IS NOT NULL AND f.id IN ({" UNION ALL ".join(linked)})
                       ORDER BY f.file_date DESC, f.id DESC LIMIT 1) f
                 WHERE t.{key_column}::text = ANY (%s)""",
            [*params, keys],
        )
        return {key: LastImport(name, date) for key, name, date in cur.fetchall()}
