"""An exchange file into the land parcel register (property.land_parcel):
read, checked against the hromada's approved boundary and the КВЦПЗ
classifier of the database, entered as drafts and submitted for review in
one batch by the importing editor; a file enters whole or not at all.

Without a database connection (a dry run on a desk) the file's own checks
run and the report says what could not be checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from osgeo import ogr

from zhytomyr_gis.errors import DatabaseRefusal

from .drafts import CHUNK, DraftBatch, Outcome, Row
from .exchange_file import ExchangeFileInfo, ExchangeFileReader, ExchangeParcel, NotAnExchangeFile, Surveyor
from .findings import ERROR, WARNING, Finding
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


def evidence_note(file_name: str, sha256: str, file_date: str, surveyor: Surveyor | str, what: str = "") -> str:
    """The evidence of an imported change, kept with the submission (the
    history shows it as the reason of the submit). The one place that says
    what is recorded about the source of an import."""
    parts = [f"Імпорт з файлу {file_name}", f"SHA-256 {sha256}"]
    if file_date:
        parts.append(f"дата файлу {file_date}")
    if str(surveyor):
        parts.append(f"виконавець: {surveyor}")
    if what:
        parts.append(what)
    return "; ".join(parts)


@dataclass
class ParcelReport:
    parcel: ExchangeParcel
    findings: list[Finding] = field(default_factory=list)
    action: str | None = None
    record_id: int | None = None

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
    submitted: int = 0

    @property
    def refused(self) -> bool:
        return any(f.severity == ERROR for f in self.findings) or any(p.refused for p in self.parcels)

    def counts(self) -> dict:
        out = {"parcels": len(self.parcels), "refused": sum(p.refused for p in self.parcels)}
        for action in ("insert", "update", "unchanged"):
            out[action] = sum(p.action == action for p in self.parcels)
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
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "parcels": [p.as_dict() for p in self.parcels],
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
    committed only when every parcel was accepted and it is not a dry run."""
    path = Path(path)
    report = FileReport(path, dry_run=dry_run or conn is None)
    if not path.is_file():
        report.findings.append(Finding("no_file", f"Файлу {path} немає", f"No file {path}"))
        return report
    report.sha256 = sha256_of(path)
    reader = ExchangeFileReader(path, settings)
    report.info = reader.info
    rules = batch = None
    if conn is not None:
        try:
            rules = DatabaseRules.read(conn)
            batch = DraftBatch(conn, TABLE, "cadastral_number", settings.geometry_equal_tolerance_m)
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
    pending: list[tuple[ParcelReport, Row]] = []
    try:
        for parcel in reader.parcels():
            entry = ParcelReport(parcel, list(parcel.findings))
            report.parcels.append(entry)
            if reader.info.refused:
                entry.findings.append(_file_refused(reader.info))
            if not entry.refused:
                _check(entry, settings, rules)
            if not entry.refused and batch is not None:
                row = _row(parcel, settings)
                if isinstance(row, Finding):
                    entry.findings.append(row)
                else:
                    pending.append((entry, row))
                    if len(pending) >= CHUNK:
                        _flush(batch, pending)
            if progress is not None:
                progress(len(report.parcels))
        if batch is not None:
            _flush(batch, pending)
    except NotAnExchangeFile as error:
        report.findings.append(error.finding)
    report.findings[0:0] = reader.info.findings
    if not report.parcels and not report.refused:
        report.findings.append(Finding("no_parcels", "У файлі немає жодної ділянки", "The file has no parcels"))
    if conn is None:
        return report
    if report.refused:
        conn.rollback()
        return report
    try:
        info = reader.info
        note = evidence_note(
            path.name, report.sha256, info.file_date, info.surveyor, f"версія формату {info.format_version}"
        )
        report.submitted = batch.submit(note)
    except psycopg2.Error as error:
        conn.rollback()
        refusal = DatabaseRefusal.from_error(error)
        report.findings.append(Finding("submit", refusal.message_uk, refusal.message_en))
        return report
    if dry_run:
        conn.rollback()
    else:
        conn.commit()
        report.imported = True
    return report


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
    """The description and the restrictions: the register keeps them as its note."""
    parts = [parcel.description] if parcel.description else []
    if parcel.restrictions:
        parts.append("Обмеження: " + "; ".join(f"{r.code} {r.name}".strip() for r in parcel.restrictions))
    return ". ".join(parts)


def _row(parcel: ExchangeParcel, settings: ImportSettings) -> Row | Finding:
    made = parcel_values(parcel, settings)
    if isinstance(made, Finding):
        return made
    values, determined = made
    wkb = bytes(ogr.CreateGeometryFromWkt(parcel.wkt_9836).ExportToWkb(ogr.wkbNDR))
    return Row(parcel.cadastral_number, values, determined, wkb, tag=parcel)


def _flush(batch: DraftBatch, pending: list[tuple[ParcelReport, Row]]) -> None:
    if not pending:
        return
    outcomes: list[Outcome] = batch.write([row for _entry, row in pending])
    for (entry, _), outcome in zip(pending, outcomes, strict=True):
        entry.action, entry.record_id = outcome.action, outcome.record_id
        if outcome.refusal is None:
            entry.parcel.compact()  # the report keeps the figures, not the geometry
        else:
            entry.findings.append(
                Finding(
                    outcome.refusal.rule or "database",
                    outcome.refusal.message_uk,
                    outcome.refusal.message_en,
                    entry.parcel.path,
                    entry.parcel.line,
                )
            )
    pending.clear()
