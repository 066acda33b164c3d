"""An exchange file into the land parcel register (property.land_parcel):
read, checked against the hromada's approved boundary and the КВЦПЗ
classifier of the database, entered as drafts and submitted for review in
one batch by the importing editor; a file enters whole or not at all.

Without a database connection (a dry run on a desk) the file's own checks
run and the report says what could not be checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from osgeo import ogr

from zhytomyr_gis.errors import DatabaseRefusal

from . import evidence
from .drafts import CHUNK, DraftBatch, Outcome, Row, RowRefused
from .evidence import ImportEvidence, LastImport, sha256_of
from .exchange_file import ExchangeFileInfo, ExchangeFileReader, ExchangeParcel, NotAnExchangeFile, parse_date
from .findings import ERROR, WARNING, Finding
from .parcel_parts import LINK, PART_TABLES, Part, PartsChange, PartsWriter, parts_of
from .settings import ImportSettings

ogr.UseExceptions()

TABLE = "property.land_parcel"
# Columns an exchange file states; the others (balance holder, district…)
# belong to the city's own records and are never touched by an import.
FILE_COLUMNS = (
    "area_ha",
    "land_use_code",
    "ownership",
    "lease_status",
    "user_edrpou",
    "user_name",
    "user_person_name",
    "user_person_rnokpp",
    "lease_until",
    "lease_decision",
    "address_text",
    "note",
)


def file_evidence(path: Path, sha256: str, info: ExchangeFileInfo) -> ImportEvidence:
    """What is recorded about an exchange file as the evidence of its changes."""
    declared, system = info.declared_system, info.system
    crs = " → ".join(x for x in (declared.label if declared else "", system.code if system else "") if x)
    stated = parse_date(info.file_date)
    return ImportEvidence.of_file(
        path,
        sha256,
        file_date=dt.date.fromisoformat(stated) if stated else None,
        format_version=info.format_version or None,
        coordinate_system=crs or None,
        surveyor=str(info.surveyor) if (info.surveyor.company or info.surveyor.engineer) else None,
        surveyor_edrpou=info.surveyor.edrpou,
    )


def submit_note(found: ImportEvidence) -> str:
    """The note of the submission: what the reviewer reads in the queue."""
    return f"Імпорт обмінного файлу {found.text()}"


@dataclass
class ParcelReport:
    parcel: ExchangeParcel
    findings: list[Finding] = field(default_factory=list)
    action: str | None = None
    record_id: int | None = None
    parts: PartsChange | None = None  # lands, leases, restrictions added and removed

    @property
    def refused(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def as_dict(self) -> dict:
        p = self.parcel
        reasons = [f for f in self.findings if f.severity == ERROR]
        return {
            "cadastral_number": p.cadastral_number,
            "declared_area_ha": p.declared_area_ha,
            "computed_area_m2": None if p.computed_area_m2 is None else round(p.computed_area_m2, 2),
            "area_epsg9836_m2": None if p.area_9836_m2 is None else round(p.area_9836_m2, 2),
            "purpose_code": p.purpose_code,
            "ownership_code": p.ownership_code or None,
            "vertex_count": p.vertex_count,
            "lands": [{"code": land.code, "area_ha": land.area_ha} for land in p.lands],
            "leases": [
                {
                    "sublease": lease.sublease,
                    "expires": lease.expires,
                    "lessees": [party.public_dict() for party in lease.lessees],
                }
                for lease in p.leases
            ],
            "restrictions": [{"code": r.code, "name": r.name, "expires": r.expires} for r in p.restrictions],
            "outcome": "refused" if self.refused else "ok",
            "reason": "; ".join(str(f) for f in reasons) or None,
            "findings": [f.as_dict() for f in self.findings],
            "action": self.action,
            "record_id": self.record_id,
            "parts_added": self.parts.added if self.parts else 0,
            "parts_removed": self.parts.removed if self.parts else 0,
        }


@dataclass
class FileReport:
    path: Path
    sha256: str = ""
    info: ExchangeFileInfo | None = None
    findings: list[Finding] = field(default_factory=list)
    parcels: list[ParcelReport] = field(default_factory=list)
    dry_run: bool = True
    checked_with_database: bool = False
    imported: bool = False
    submitted: int = 0  # records submitted for review: parcels and their parts
    evidence_id: int | None = None  # history.import_file of the import

    @property
    def refused(self) -> bool:
        return any(f.severity == ERROR for f in self.findings) or any(p.refused for p in self.parcels)

    def counts(self) -> dict:
        out = {"parcels": len(self.parcels), "refused": sum(p.refused for p in self.parcels)}
        for action in ("insert", "update", "unchanged"):
            out[action] = sum(p.action == action for p in self.parcels)
        out["parts_added"] = sum(p.parts.added for p in self.parcels if p.parts)
        out["parts_removed"] = sum(p.parts.removed for p in self.parcels if p.parts)
        return out

    def as_dict(self) -> dict:
        info = self.info
        system = info.system if info else None
        return {
            "file": self.path.name,
            "sha256": self.sha256,
            "format_version": info.format_version if info else None,
            "file_date": info.file_date if info else None,
            "encoding": info.encoding if info else None,
            "coordinate_system": {
                "declared": info.declared_system.label if info and info.declared_system else None,
                "crs": system.code if system else None,
                "name": system.name if system else None,
                "confirmed": system.confirmed if system else None,
            },
            "surveyor": {"company": info.surveyor.company, "edrpou": info.surveyor.edrpou} if info else None,
            "dry_run": self.dry_run,
            "checked_with_database": self.checked_with_database,
            "outcome": "refused" if self.refused else "ok",
            "imported": self.imported,
            "submitted": self.submitted,
            "evidence_id": self.evidence_id,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "parcels": [p.as_dict() for p in self.parcels],
        }


@dataclass
class DatabaseRules:
    """What the import checks against the database before the database's own rules."""

    land_use_codes: frozenset[str]
    boundary: ogr.Geometry | None  # the approved boundary, buffered by the tolerance
    boundary_tolerance_m: float

    @classmethod
    def read(cls, conn) -> DatabaseRules:
        with conn.cursor() as cur:
            cur.execute("SELECT code FROM ref.cl_land_use WHERE active")
            codes = frozenset(c for (c,) in cur.fetchall())
            cur.execute("SELECT value FROM verification.setting WHERE key = 'boundary_tolerance_m'")
            found = cur.fetchone()
            tolerance = float(found[0]) if found else 5.0
            cur.execute("SELECT ST_AsBinary(workflow.city_boundary())")
            wkb = cur.fetchone()[0]
        boundary = ogr.CreateGeometryFromWkb(bytes(wkb)).Buffer(tolerance) if wkb is not None else None
        return cls(codes, boundary, tolerance)


def import_file(
    path: str | Path,
    settings: ImportSettings,
    conn=None,
    dry_run: bool = True,
    progress=None,
) -> FileReport:
    """Read, check and (with a connection, unless a dry run) import one exchange
    file. ``conn`` is the importing editor's connection; the transaction is
    committed only when every parcel was accepted, something changed and it
    is not a dry run."""
    path = Path(path)
    report = FileReport(path, dry_run=dry_run or conn is None)
    if not path.is_file():
        report.findings.append(Finding("no_file", f"Файлу {path} немає", f"No file {path}"))
        return report
    report.sha256 = sha256_of(path)
    reader = ExchangeFileReader(path, settings)
    report.info = reader.info
    rules = writer = None
    if conn is not None:
        try:
            rules = DatabaseRules.read(conn)
            writer = _Writer(conn, DraftBatch(conn, TABLE, "cadastral_number", settings.geometry_equal_tolerance_m))
            report.checked_with_database = True
        except psycopg2.Error as error:
            conn.rollback()
            refusal = DatabaseRefusal.from_error(error)
            report.findings.append(Finding("database", refusal.message_uk, refusal.message_en))
            return report
    else:
        report.findings.append(
            Finding(
                "no_database",
                "Перевірку виконано без бази даних: межі громади, класифікатор КВЦПЗ і правила реєстру не перевірено",
                "Checked without the database: the hromada boundary, the КВЦПЗ classifier and the register's rules"
                " were not checked",
                severity=WARNING,
            )
        )
    pending: list[tuple[ParcelReport, Row, list[Part]]] = []
    try:
        for parcel in reader.parcels():
            entry = ParcelReport(parcel, list(parcel.findings))
            report.parcels.append(entry)
            if reader.info.refused:
                entry.findings.append(_file_refused(reader.info))
            if not entry.refused:
                _check(entry, settings, rules)
            if not entry.refused and writer is not None:
                row = _row(parcel, settings)
                if isinstance(row, Finding):
                    entry.findings.append(row)
                else:
                    parts, warnings = parts_of(parcel, settings)
                    entry.findings += warnings
                    pending.append((entry, row, parts))
                    if len(pending) >= CHUNK:
                        writer.flush(pending, path, report)
            if progress is not None:
                progress(len(report.parcels))
        if writer is not None:
            writer.flush(pending, path, report)
    except NotAnExchangeFile as error:
        report.findings.append(error.finding)
    except psycopg2.Error as error:
        conn.rollback()
        refusal = DatabaseRefusal.from_error(error)
        report.findings.append(Finding("database", refusal.message_uk, refusal.message_en))
        return report
    report.findings[0:0] = reader.info.findings
    if not report.parcels and not report.refused:
        report.findings.append(Finding("no_parcels", "У файлі немає жодної ділянки", "The file has no parcels"))
    if conn is None:
        return report
    if report.refused:
        conn.rollback()
        return report
    report.evidence_id = writer.evidence_id
    try:
        report.submitted = writer.submit()
    except psycopg2.Error as error:
        conn.rollback()
        refusal = DatabaseRefusal.from_error(error)
        report.findings.append(Finding("submit", refusal.message_uk, refusal.message_en))
        return report
    if dry_run or not report.submitted:
        # Nothing changed (the same file again): the file's evidence is not kept either.
        conn.rollback()
        report.evidence_id = None
        report.imported = not dry_run
    else:
        conn.commit()
        report.imported = True
    return report


@dataclass
class _Writer:
    """Enters the accepted parcels of a file and their parts, a chunk at a
    time, in the editor's transaction. Before the first write the file is
    registered as the evidence of the changes; a parcel already imported
    from a newer file may be kept but not changed."""

    conn: object
    batch: DraftBatch
    evidence: ImportEvidence | None = None
    evidence_id: int | None = None
    parts: PartsWriter | None = None

    def flush(self, pending: list[tuple[ParcelReport, Row, list[Part]]], path: Path, report: FileReport) -> None:
        if not pending:
            return
        if self.evidence_id is None:
            self.evidence = file_evidence(path, report.sha256, report.info)
            self.evidence_id = evidence.record(self.conn, TABLE, self.evidence)
            self.parts = PartsWriter(self.conn)
        last = evidence.last_dated_imports(
            self.conn, TABLE, "cadastral_number", [row.key for _e, row, _p in pending], _PARTS_OF_A_PARCEL
        )
        for _entry, row, _parts in pending:
            if row.key in last:
                row.change_refused = _older_file(self.evidence, last[row.key])
        outcomes: list[Outcome] = self.batch.write([row for _entry, row, _parts in pending])
        wanted: dict[int, list[Part]] = {}
        refuse_change: dict[int, RowRefused] = {}
        for (entry, row, parts), outcome in zip(pending, outcomes, strict=True):
            entry.action, entry.record_id = outcome.action, outcome.record_id
            if outcome.refusal is not None:
                entry.findings.append(_refusal(entry, outcome.refusal))
                continue
            wanted[outcome.record_id] = parts
            if row.change_refused is not None:
                refuse_change[outcome.record_id] = row.change_refused
        changes = self.parts.sync(wanted, refuse_change)
        for entry, _row, _parts in pending:
            change = changes.get(entry.record_id) if entry.action else None
            if isinstance(change, RowRefused):
                entry.findings.append(_refusal(entry, change))
            elif change is not None:
                entry.parts = change
            if not entry.refused:
                entry.parcel.compact()  # the report keeps the figures, not the geometry
        pending.clear()

    def submit(self) -> int:
        if self.evidence is None:
            return 0
        note = submit_note(self.evidence)
        return self.batch.submit(note) + self.parts.submit(note)


_PARTS_OF_A_PARCEL = tuple((table, LINK) for table in PART_TABLES)


def _older_file(importing: ImportEvidence, last: LastImport) -> RowRefused | None:
    """The refusal of a change from a file older than the last one the parcel was imported from."""
    if importing.file_date is None:
        return RowRefused(
            f"Файл не має дати (ServiceInfo/FileID/FileDate), а ділянку вже імпортовано з файлу «{last.file_name}»"
            f" від {last.file_date:%d.%m.%Y}: не можна встановити, що дані файлу новіші",
            f"The file has no FileDate and the parcel was imported from {last.file_name} of {last.file_date}:"
            " the file cannot be shown to be newer",
            "older_file",
        )
    if importing.file_date >= last.file_date:
        return None
    return RowRefused(
        f"Файл від {importing.file_date:%d.%m.%Y} старіший за файл «{last.file_name}» від {last.file_date:%d.%m.%Y},"
        " з якого ділянку вже імпортовано: старіші дані не замінюють новіших",
        f"The file of {importing.file_date} is older than {last.file_name} of {last.file_date}, from which the"
        " parcel was imported: older data does not replace newer",
        "older_file",
    )


def _refusal(entry: ParcelReport, refusal: RowRefused) -> Finding:
    return Finding(
        refusal.rule or "database", refusal.message_uk, refusal.message_en, entry.parcel.path, entry.parcel.line
    )


def _file_refused(info: ExchangeFileInfo) -> Finding:
    first = next(f for f in info.findings if f.severity == ERROR)
    return Finding("file_refused", f"Файл не прийнято: {first.message_uk}", f"The file is refused: {first.message_en}")


def _check(entry: ParcelReport, settings: ImportSettings, rules: DatabaseRules | None) -> None:
    parcel = entry.parcel
    if parcel.wkt_9836 is None:
        return
    geometry = ogr.CreateGeometryFromWkt(parcel.wkt_9836)
    if not geometry.IsValid():
        entry.findings.append(
            Finding(
                "invalid_geometry",
                "Межа ділянки недійсна: самоперетин, повторні вершини або дірка поза контуром",
                "The parcel's boundary is invalid (self-intersection, repeated vertices or a hole outside)",
                parcel.path,
                parcel.line,
            )
        )
        return
    if parcel.ownership_code and parcel.ownership_code not in settings.ownership_codes:
        entry.findings.append(
            Finding(
                "ownership",
                f"Невідомий код форми власності «{parcel.ownership_code}» (OwnershipInfo/Code: 100, 200 або 300)",
                f'Unknown ownership code "{parcel.ownership_code}"',
                parcel.path,
                parcel.line,
            )
        )
    if rules is None:
        return
    if parcel.purpose_code not in rules.land_use_codes:
        entry.findings.append(
            Finding(
                "purpose_not_in_classifier",
                f"Код цільового призначення {parcel.purpose_code} відсутній у класифікаторі КВЦПЗ бази",
                f"Purpose code {parcel.purpose_code} is not in the КВЦПЗ classifier (ref.cl_land_use)",
                parcel.path,
                parcel.line,
            )
        )
    if rules.boundary is not None and not rules.boundary.Contains(geometry):
        inside = rules.boundary.Intersects(geometry)
        entry.findings.append(
            Finding(
                "outside_hromada",
                "Ділянка виходить за межі громади" if inside else "Ділянка лежить поза межами громади",
                "The parcel crosses the hromada boundary" if inside else "The parcel lies outside the hromada",
                parcel.path,
                parcel.line,
            )
        )


def parcel_values(parcel: ExchangeParcel, settings: ImportSettings) -> tuple[dict, tuple[str, ...]] | Finding:
    """The register's columns from a parcel of the file, and which of them the file states."""
    values: dict = {
        "cadastral_number": parcel.cadastral_number,
        "area_ha": round(parcel.declared_area_ha, 4),
        "land_use_code": parcel.purpose_code,
    }
    determined = ["area_ha", "land_use_code"]
    ownership = settings.ownership_codes.get(parcel.ownership_code)
    if ownership is None:
        return Finding(
            "no_ownership",
            "Не вказано форму власності (OwnershipInfo/Code): нову ділянку не можна внести",
            "No form of ownership (OwnershipInfo/Code)",
            parcel.path,
            parcel.line,
        )
    values["ownership"] = ownership
    determined.append("ownership")
    lease = next((lease for lease in parcel.leases if not lease.sublease), None)
    user = lease.lessees[0] if lease and lease.lessees else None
    if lease is None and ownership == "private" and parcel.proprietors:
        user = parcel.proprietors[0]
    if lease is not None:
        values["lease_status"] = "leased"
        values["lease_until"] = lease.expires
        values["lease_decision"] = lease.decision or lease.registration or None
        determined += ["lease_status", "lease_until", "lease_decision"]
    elif ownership == "private":
        values["lease_status"] = "private"
        determined.append("lease_status")
    else:
        values["lease_status"] = settings.default_lease_status
    if user is not None:
        entity = user.legal_entity
        values["user_edrpou"] = user.code if entity else None
        values["user_name"] = user.name if entity else None
        # A private person's name and tax number: personal columns, never published.
        values["user_person_name"] = None if entity else user.name or None
        values["user_person_rnokpp"] = None if entity else user.code
        determined += ["user_edrpou", "user_name", "user_person_name", "user_person_rnokpp"]
    if parcel.address:
        values["address_text"] = parcel.address
        determined.append("address_text")
    note = parcel_note(parcel)
    if note:
        values["note"] = note
        determined.append("note")
    return values, tuple(determined)


def parcel_note(parcel: ExchangeParcel) -> str:
    """The description of the parcel: the register keeps it as its note
    (lands, leases and restrictions are registers of their own)."""
    return parcel.description


def _row(parcel: ExchangeParcel, settings: ImportSettings) -> Row | Finding:
    made = parcel_values(parcel, settings)
    if isinstance(made, Finding):
        return made
    values, determined = made
    wkb = bytes(ogr.CreateGeometryFromWkt(parcel.wkt_9836).ExportToWkb(ogr.wkbNDR))
    return Row(parcel.cadastral_number, values, determined, wkb, tag=parcel)
