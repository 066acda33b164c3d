"""Any register from a file the city already keeps: GeoPackage, Shapefile
(with its .cpg and .prj), CSV with WKT or X/Y columns (read with GDAL/OGR)
and XLSX (read with openpyxl, which keeps the cells as typed: dates stay
dates, codes keep their leading zeros).

A field mapping, saved as YAML or JSON and reused, says which column of the
file fills which field of the register and how the file's values map to
the classifier's codes::

    register: property.land_parcel
    key: cadastral_number          # finds an existing record
    layer: parcels                 # GeoPackage with several layers
    sheet: Ділянки                 # XLSX
    crs: EPSG:9836                 # when the file does not say (CSV, XLSX)
    geometry: {wkt: WKT}           # or {x: X, y: Y} for points
    encoding: cp1251               # a Shapefile without .cpg
    fields:
      cadastral_number: KADNUM
      area_ha: AREA
      land_use_code: {column: PURPOSE, codes: {"житлова садиба": "02.01"}}
      ownership: {value: communal}

Rows are entered as drafts by the importing editor in one transaction and
submitted for review in one batch; the database's own rules decide which
rows are refused (a dry run asks it, then rolls back).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import yaml
from osgeo import ogr, osr

from zhytomyr_gis.db_rules import read_required
from zhytomyr_gis.errors import DatabaseRefusal
from zhytomyr_gis.registers import REGISTERS, WORKFLOW_COLUMNS, Register

from . import evidence
from .drafts import CHUNK, DraftBatch, Row, RowRefused
from .evidence import ImportEvidence, sha256_of
from .settings import ImportSettings

ogr.UseExceptions()
osr.UseExceptions()

NOT_WRITABLE = {"id", "registry_id"}
# The registers a department edits (the reference data is the GIS administrator's).
EDITABLE_REGISTERS = [r for r in REGISTERS if r.department != "admin"]
_PERSONAL_NUMBER = re.compile(r"\b\d{10}\b")


class MappingError(ValueError):
    def __init__(self, message_uk: str, message_en: str):
        super().__init__(message_uk)
        self.message_uk = message_uk
        self.message_en = message_en


@dataclass
class FieldRule:
    field: str
    column: str | None = None
    value: object = None
    codes: dict | None = None
    widget: str = "text"  # the register field's widget: how a file's value is read


@dataclass
class Mapping:
    register: Register
    key: str
    fields: list[FieldRule]
    layer: str | None = None
    sheet: str | None = None
    crs: str | None = None
    geometry: dict | None = None
    encoding: str | None = None

    @property
    def columns(self) -> set[str]:
        cols = {r.column for r in self.fields if r.column}
        cols |= set((self.geometry or {}).values())
        return cols


def load_mapping(path: str | Path, table: str) -> Mapping:
    """Reads and checks a mapping file against the register's declaration."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingError(
            f"Не вдається прочитати відповідність полів {path.name}: {error}",
            f"Cannot read the field mapping {path.name}: {error}",
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("fields"), dict):
        raise MappingError(
            f"Відповідність полів {path.name} має містити розділ «fields: поле реєстру: колонка файлу»",
            f"The mapping {path.name} needs a 'fields' section (register field: file column)",
        )
    register = next((r for r in REGISTERS if r.table == table), None)
    if register is None:
        raise MappingError(
            f"Реєстру «{table}» немає; відомі: {', '.join(r.table for r in REGISTERS)}",
            f'No register "{table}"',
        )
    if document.get("register") not in (None, table):
        raise MappingError(
            f"Відповідність полів складено для реєстру «{document['register']}», а не «{table}»",
            f"The mapping is for {document['register']}, not {table}",
        )
    unknown = set(document) - {"register", "key", "layer", "sheet", "crs", "geometry", "encoding", "fields"}
    if unknown:
        raise MappingError(
            f"Невідомі розділи відповідності полів: {', '.join(sorted(unknown))}",
            f"Unknown sections in the mapping: {', '.join(sorted(unknown))}",
        )
    declared = {f.name: f for f in register.fields}
    rules = []
    for name, spec in document["fields"].items():
        if name not in declared or name in NOT_WRITABLE or declared[name].widget == "readonly":
            writable = [f for f in declared if f not in NOT_WRITABLE and declared[f].widget != "readonly"]
            raise MappingError(
                f"У реєстрі «{register.title_uk}» немає поля «{name}», яке можна заповнити;"
                f" поля: {', '.join(writable)}",
                f'The register {table} has no writable field "{name}"',
            )
        if isinstance(spec, str):
            rules.append(FieldRule(name, column=spec, widget=declared[name].widget))
        elif isinstance(spec, dict) and ("column" in spec) != ("value" in spec):
            codes = spec.get("codes")
            if codes is not None and not isinstance(codes, dict):
                raise MappingError(
                    f"Поле «{name}»: «codes» має бути переліком «значення у файлі: код класифікатора»",
                    f'Field "{name}": codes must map file values to classifier codes',
                )
            if codes is not None and declared[name].classifier is None:
                raise MappingError(
                    f"Поле «{name}» не є класифікатором, «codes» для нього не потрібні",
                    f'Field "{name}" is not a classifier field',
                )
            rules.append(
                FieldRule(
                    name,
                    column=spec.get("column"),
                    value=spec.get("value"),
                    codes={str(k).strip(): str(v) for k, v in codes.items()} if codes else None,
                    widget=declared[name].widget,
                )
            )
        else:
            raise MappingError(
                f"Поле «{name}»: вкажіть назву колонки або {{column: …}} чи {{value: …}}",
                f'Field "{name}": give a column name, or {{column: …}} or {{value: …}}',
            )
    mapped = {r.field for r in rules}
    key = document.get("key")
    if key not in mapped:
        raise MappingError(
            "Вкажіть «key:» — поле, за яким шукати наявний запис (напр. cadastral_number), і зіставте його з колонкою",
            "Give 'key:', the mapped field that identifies an existing record",
        )
    geometry = document.get("geometry")
    if geometry is not None and not (
        isinstance(geometry, dict) and (set(geometry) == {"wkt"} or set(geometry) == {"x", "y"})
    ):
        raise MappingError(
            "«geometry:» має бути {wkt: КОЛОНКА} або {x: КОЛОНКА, y: КОЛОНКА}",
            "geometry must be {wkt: COLUMN} or {x: COLUMN, y: COLUMN}",
        )
    return Mapping(
        register,
        key,
        rules,
        layer=document.get("layer"),
        sheet=document.get("sheet"),
        crs=document.get("crs"),
        geometry=geometry,
        encoding=document.get("encoding"),
    )


# ---------------------------------------------------------------- reading
@dataclass
class SourceRow:
    number: int  # 1-based row number as a person sees it (XLSX/CSV: the header is row 1)
    values: dict
    geometry: ogr.Geometry | None


def read_rows(path: Path, mapping: Mapping) -> tuple[list[str], Iterator[SourceRow]]:
    """(the file's columns, its rows)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, mapping)
    return _ogr_rows(path, mapping)


def _ogr_rows(path: Path, mapping: Mapping):
    options = []
    if mapping.encoding and path.suffix.lower() == ".shp":
        options.append(f"ENCODING={mapping.encoding}")
    try:
        source = gdal_open(path, options)
    except RuntimeError as error:
        raise MappingError(
            f"Файл {path.name} не вдається відкрити: {error}", f"Cannot open {path.name}: {error}"
        ) from error
    layer = source.GetLayerByName(mapping.layer) if mapping.layer else source.GetLayer(0)
    if layer is None:
        names = [source.GetLayer(i).GetName() for i in range(source.GetLayerCount())]
        raise MappingError(
            f"У файлі {path.name} немає шару «{mapping.layer}»; шари: {', '.join(names)}",
            f"{path.name} has no layer {mapping.layer}",
        )
    definition = layer.GetLayerDefn()
    columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    layer_srs = layer.GetSpatialRef()
    transform = _transform(layer_srs, mapping.crs, path)

    # Only the columns the mapping reads, by position (a look-up by name
    # costs more than reading the value).
    wanted = [(i, c) for i, c in enumerate(columns) if c in mapping.columns]

    def rows():
        header = 1 if path.suffix.lower() == ".csv" else 0
        for n, feature in enumerate(layer, start=1):
            values = {c: feature.GetField(i) for i, c in wanted}
            geometry = feature.GetGeometryRef()
            geometry = geometry.Clone() if geometry is not None else _geometry_from(values, mapping)
            if geometry is not None and transform is not None:
                geometry.Transform(transform)
            yield SourceRow(n + header, values, geometry)
        source.FlushCache()

    return columns, rows()


def gdal_open(path: Path, options: list[str]):
    from osgeo import gdal

    gdal.UseExceptions()
    return gdal.OpenEx(str(path), gdal.OF_VECTOR, open_options=options)


def _xlsx_rows(path: Path, mapping: Mapping):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise MappingError(
            f"Файл {path.name} не є книгою Excel (XLSX): {error}", f"{path.name} is not an XLSX workbook: {error}"
        ) from error
    if mapping.sheet and mapping.sheet not in book.sheetnames:
        raise MappingError(
            f"У книзі {path.name} немає аркуша «{mapping.sheet}»; аркуші: {', '.join(book.sheetnames)}",
            f"{path.name} has no sheet {mapping.sheet}",
        )
    sheet = book[mapping.sheet] if mapping.sheet else book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, None) or ()
    columns = [str(c).strip() if c is not None else "" for c in header]
    transform = _transform(None, mapping.crs, path)

    def rows():
        for n, cells_of_row in enumerate(cells, start=2):
            if all(c is None or c == "" for c in cells_of_row):
                continue
            values = dict(zip(columns, cells_of_row, strict=False))
            geometry = _geometry_from(values, mapping)
            if geometry is not None and transform is not None:
                geometry.Transform(transform)
            yield SourceRow(n, values, geometry)
        book.close()

    return columns, rows()


def _transform(layer_srs, crs: str | None, path: Path):
    target = osr.SpatialReference()
    target.ImportFromEPSG(9836)
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    source = None
    if crs:
        source = osr.SpatialReference()
        try:
            source.SetFromUserInput(crs)
        except RuntimeError as error:
            raise MappingError(f"Система координат «{crs}» невідома", f'Unknown coordinate system "{crs}"') from error
    elif layer_srs is not None:
        source = layer_srs.Clone()
    if source is None:
        return None  # no system given: the file is taken to be in EPSG:9836
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(source, target)


def _geometry_from(values: dict, mapping: Mapping) -> ogr.Geometry | None:
    spec = mapping.geometry
    if not spec:
        return None
    if "wkt" in spec:
        text = values.get(spec["wkt"])
        if not text:
            return None
        try:
            return ogr.CreateGeometryFromWkt(str(text))
        except RuntimeError:
            return _BadGeometry(str(text)[:40])
    x, y = _float(values.get(spec["x"])), _float(values.get(spec["y"]))
    if x is None or y is None:
        return None
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(x, y)
    return point


class _BadGeometry:
    """A geometry cell that is not WKT (reported on its row)."""

    def __init__(self, text: str):
        self.text = text

    def Transform(self, _t):  # noqa: N802 - the OGR name
        return None


def _float(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


# --------------------------------------------------------------- the import
@dataclass
class RowReport:
    number: int
    key: str
    outcome: str  # ok | refused
    action: str | None = None
    record_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    wkb: bytes | None = None  # where the row is, for the report layer of refused rows


@dataclass
class RegisterReport:
    table: str
    path: Path
    sha256: str = ""
    dry_run: bool = True
    rows: list[RowReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    imported: bool = False
    submitted: int = 0
    evidence_id: int | None = None  # history.import_file of the import

    @property
    def refused_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.outcome == "refused"]

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.refused_rows)

    def counts(self) -> dict:
        out = {"rows": len(self.rows), "refused": len(self.refused_rows)}
        for action in ("insert", "update", "unchanged"):
            out[action] = sum(r.action == action for r in self.rows)
        return out

    def as_dict(self) -> dict:
        return {
            "register": self.table,
            "file": self.path.name,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "outcome": "refused" if self.refused else "ok",
            "imported": self.imported,
            "submitted": self.submitted,
            "counts": self.counts(),
            "errors": self.errors,
            "refused_rows": [
                {"row": r.number, "key": r.key, "reasons": [_masked(m) for m in r.reasons]} for r in self.refused_rows
            ],
        }

    def print_text(self) -> None:
        c = self.counts()
        print(f"{self.path.name} → {self.table}: рядків {c['rows']}")
        for error in self.errors:
            print(f"  ! {error}")
        for r in self.refused_rows:
            print(f"  ! рядок {r.number} ({r.key}): {'; '.join(_masked(m) for m in r.reasons)}")
        if self.imported:
            verdict = f"внесено як чернетки й подано на перевірку: {self.submitted}"
        elif self.refused:
            verdict = "файл не прийнято, нічого не змінено"
        else:
            verdict = "перевірка без змін (--dry-run)"
        print(
            f"  нових {c['insert']}, змінених {c['update']}, без змін {c['unchanged']}, відмовлено {c['refused']}"
            f" — {verdict}"
        )


def _masked(message: str) -> str:
    """A refusal may quote the value it refused; ten digits may be a person's tax number."""
    return _PERSONAL_NUMBER.sub("**********", message)


def check_required(mapping: Mapping, required: frozenset[str]) -> None:
    """Refuses a mapping that leaves a column the database requires (NOT NULL,
    db_rules.read_required) without a source: every row would be refused."""
    mapped = {r.field for r in mapping.fields}
    missing = [
        f.label_uk
        for f in mapping.register.fields
        if f.name in required and f.name not in mapped | NOT_WRITABLE | set(WORKFLOW_COLUMNS)
    ]
    if missing:
        raise MappingError(
            f"Не вказано колонки для обов'язкових полів: {', '.join(missing)}",
            f"Required fields are not mapped: {', '.join(missing)}",
        )


def import_register(
    table: str,
    path: str | Path,
    mapping_path: str | Path,
    conn,
    settings: ImportSettings,
    dry_run: bool = True,
    progress=None,
) -> RegisterReport:
    path = Path(path)
    mapping = load_mapping(mapping_path, table)
    report = RegisterReport(table, path, dry_run=dry_run)
    if not path.is_file():
        raise MappingError(f"Файлу {path} немає", f"No file {path}")
    try:
        required = read_required(conn, table)
    except psycopg2.Error as error:
        conn.rollback()
        report.errors.append(DatabaseRefusal.from_error(error).message_uk)
        return report
    check_required(mapping, required)
    report.sha256 = sha256_of(path)
    columns, rows = read_rows(path, mapping)
    absent = sorted(mapping.columns - set(columns))
    if absent:
        raise MappingError(
            f"У файлі {path.name} немає колонок: {', '.join(absent)}; є: {', '.join(columns)}",
            f"{path.name} lacks the columns {', '.join(absent)}",
        )
    try:
        codes = _classifier_codes(conn, mapping)
        batch = DraftBatch(conn, table, mapping.key, settings.geometry_equal_tolerance_m)
        # The file is the evidence of every change that follows in this transaction.
        report.evidence_id = evidence.record(
            conn, table, ImportEvidence.of_file(path, report.sha256, coordinate_system=mapping.crs)
        )
    except (psycopg2.Error, RowRefused) as error:
        conn.rollback()
        report.errors.append(getattr(error, "message_uk", None) or DatabaseRefusal.from_error(error).message_uk)
        return report
    geometry_type = mapping.register.geometry
    pending: list[tuple[RowReport, Row]] = []
    for source in rows:
        row_report, row = _row(source, mapping, codes, geometry_type)
        report.rows.append(row_report)
        if row is not None:
            pending.append((row_report, row))
        if len(pending) >= CHUNK:
            _flush(batch, pending)
        if progress is not None:
            progress(len(report.rows))
    _flush(batch, pending)
    if report.refused:
        conn.rollback()
        return report
    try:
        report.submitted = batch.submit(f"Імпорт реєстру з файлу {path.name}")
    except psycopg2.Error as error:
        conn.rollback()
        report.errors.append(DatabaseRefusal.from_error(error).message_uk)
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


def _classifier_codes(conn, mapping: Mapping) -> dict[str, set[str]]:
    """The codes of every classifier a mapped field uses; a mapping that names
    a code the classifier lacks is refused before any row is read."""
    out = {}
    with conn.cursor() as cur:
        for rule in mapping.fields:
            classifier = mapping.register.field(rule.field).classifier
            if classifier is None:
                continue
            cur.execute(f"SELECT code FROM ref.{classifier}")
            out[rule.field] = {c for (c,) in cur.fetchall()}
            wanted = set((rule.codes or {}).values()) | ({str(rule.value)} if rule.value is not None else set())
            wrong = sorted(wanted - out[rule.field])
            if wrong:
                raise MappingError(
                    f"Поле «{rule.field}»: кодів {', '.join(wrong)} немає в класифікаторі {classifier}",
                    f"Field {rule.field}: codes {', '.join(wrong)} are not in {classifier}",
                )
    return out


_MULTI = {"MultiPolygon": ogr.wkbMultiPolygon, "MultiLineString": ogr.wkbMultiLineString, "Point": ogr.wkbPoint}


def _row(source: SourceRow, mapping: Mapping, codes: dict, geometry_type: str | None):
    values = {}
    reasons = []
    for rule in mapping.fields:
        if rule.column is None:
            value = rule.value
        else:
            value = source.values.get(rule.column)
            if isinstance(value, str):
                value = value.strip() or None
            if rule.codes is not None and value is not None:
                mapped = rule.codes.get(str(value).strip())
                if mapped is None and str(value) not in codes.get(rule.field, set()):
                    reasons.append(
                        f"«{value}» у колонці «{rule.column}» немає ні у відповідності кодів, ні в класифікаторі"
                    )
                value = mapped or value
        if isinstance(value, float) and rule.widget == "text":
            value = f"{value:g}"
        if isinstance(value, str) and rule.widget in ("decimal", "integer"):
            value = value.replace(",", ".").replace(" ", "")
        if isinstance(value, dt.datetime):
            value = value.date()
        values[rule.field] = value
    key = str(values.get(mapping.key) or "")
    wkb = None
    if geometry_type is not None:
        geometry = source.geometry
        if isinstance(geometry, _BadGeometry):
            reasons.append(f"Геометрія «{geometry.text}…» не є WKT")
        elif geometry is None:
            reasons.append("Рядок не має геометрії")
        else:
            wanted = _MULTI[geometry_type]
            if geometry_type.startswith("Multi") and geometry.GetGeometryType() != wanted:
                geometry = ogr.ForceTo(geometry, wanted)
            wkb = bytes(geometry.ExportToWkb(ogr.wkbNDR))
    report = RowReport(source.number, key, "refused" if reasons else "ok", reasons=reasons, wkb=wkb)
    if reasons:
        return report, None
    determined = tuple(v for v in values if v != mapping.key)
    return report, Row(key, values, determined, wkb, tag=report)


def _flush(batch: DraftBatch, pending: list) -> None:
    if not pending:
        return
    for (row_report, _), outcome in zip(pending, batch.write([row for _, row in pending]), strict=True):
        row_report.action, row_report.record_id = outcome.action, outcome.record_id
        if outcome.refusal is not None:
            row_report.outcome = "refused"
            row_report.reasons.append(outcome.refusal.message_uk)
    pending.clear()
