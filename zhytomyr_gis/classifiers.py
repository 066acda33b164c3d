"""The classifiers as the repository keeps them: one file of codes per list.

Every list a register column takes its codes from is a table ``ref.cl_<name>``
(code, label_uk, label_en, group_code, sort_order, active). Its codes live in
``sql/classifiers/<name>.csv`` and its source (the document, its number,
edition and date, or the city's own list) in ``sql/classifiers/<name>.toml``
next to it. The upgrade loads each file into its table after the changelogs
(``zhytomyr_gis/migrate.py``): new codes are added, changed labels updated,
and a code that a new edition of the file no longer has is deactivated
(``active = false``), never deleted, because records and their history refer
to it. ``ref.classifier_source`` records every file's source and checksum.

Stdlib only (csv, tomllib): the validators and the demo generator read the
same files, so the codes they accept are the ones the database has.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CLASSIFIER_DIR = Path(__file__).resolve().parent.parent / "sql" / "classifiers"
COLUMNS = ("code", "label_uk", "label_en", "group_code", "sort_order")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# What a file's source must say; "number", "edition" and "note" are optional.
REQUIRED_SOURCE = ("title_uk", "title_en", "document", "issued_by", "date", "citation")


class ClassifierFileError(ValueError):
    """A classifier file the upgrade refuses to load (named in the message)."""


@dataclass(frozen=True)
class Code:
    code: str
    label_uk: str
    label_en: str
    group_code: str | None
    sort_order: int


@dataclass(frozen=True)
class Source:
    title_uk: str
    title_en: str
    document: str  # the document that establishes the list
    issued_by: str
    date: str  # of the document, YYYY-MM-DD
    citation: str  # the source as the database's messages cite it, short
    number: str | None = None
    edition: str | None = None  # which edition (amendments) the file reproduces
    note: str | None = None  # what the file leaves out or could not verify


@dataclass(frozen=True)
class Classifier:
    name: str  # the table is ref.cl_<name>
    source: Source
    codes: tuple[Code, ...]
    checksum: str  # of the two files, as ref.classifier_source records it

    @property
    def table(self) -> str:
        return f"ref.cl_{self.name}"

    def code_set(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codes)

    def ordered(self) -> list[str]:
        """The codes in the classifier's order (sort_order, then code), as the database lists them."""
        return [c.code for c in sorted(self.codes, key=lambda c: (c.sort_order, c.code))]


def _read_codes(name: str, text: str) -> tuple[Code, ...]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ClassifierFileError(f"{name}.csv: the header must be {','.join(COLUMNS)}, not {reader.fieldnames}")
    codes = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        if not code or not (row["label_uk"] or "").strip() or not (row["label_en"] or "").strip():
            raise ClassifierFileError(f"{name}.csv, line {line}: code, label_uk and label_en are required")
        if code in seen:
            raise ClassifierFileError(f"{name}.csv, line {line}: code {code} appears twice")
        seen.add(code)
        try:
            order = int(row["sort_order"])
        except (TypeError, ValueError):
            raise ClassifierFileError(f"{name}.csv, line {line}: sort_order must be a whole number") from None
        codes.append(Code(code, row["label_uk"].strip(), row["label_en"].strip(), row["group_code"] or None, order))
    if not codes:
        raise ClassifierFileError(f"{name}.csv has no codes")
    return tuple(codes)


def _read_source(name: str, text: str) -> Source:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ClassifierFileError(f"{name}.toml: {error}") from None
    missing = [k for k in REQUIRED_SOURCE if not str(data.get(k, "")).strip()]
    if missing:
        raise ClassifierFileError(f"{name}.toml: the source must give {', '.join(missing)}")
    unknown = sorted(set(data) - set(Source.__dataclass_fields__))
    if unknown:
        raise ClassifierFileError(f"{name}.toml: unknown keys {', '.join(unknown)}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["date"])):
        raise ClassifierFileError(f"{name}.toml: date must be written YYYY-MM-DD")
    return Source(**{k: str(v).strip() for k, v in data.items()})


def read(directory: Path = CLASSIFIER_DIR) -> list[Classifier]:
    """Every classifier file of ``directory``, by name; refuses a file without its source."""
    found = []
    for csv_path in sorted(directory.glob("*.csv")):
        name = csv_path.stem
        if not _NAME.match(name):
            raise ClassifierFileError(f"{csv_path.name}: classifier files are named <name>.csv (a-z, 0-9, _)")
        toml_path = csv_path.with_suffix(".toml")
        if not toml_path.exists():
            raise ClassifierFileError(f"{csv_path.name} has no {toml_path.name} that names its source")
        csv_bytes, toml_bytes = csv_path.read_bytes(), toml_path.read_bytes()
        checksum = hashlib.sha256(csv_bytes + b"\0" + toml_bytes).hexdigest()
        found.append(
            Classifier(
                name,
                _read_source(name, toml_bytes.decode("utf-8")),
                _read_codes(name, csv_bytes.decode("utf-8")),
                checksum,
            )
        )
    orphans = sorted({p.stem for p in directory.glob("*.toml")} - {c.name for c in found})
    if orphans:
        raise ClassifierFileError(f"{', '.join(orphans)}.toml without a .csv of codes")
    return found


@cache
def by_name() -> dict[str, Classifier]:
    """The repository's classifiers (read once)."""
    return {c.name: c for c in read()}


def get(name: str) -> Classifier:
    try:
        return by_name()[name]
    except KeyError:
        raise KeyError(f"no classifier file sql/classifiers/{name}.csv") from None


def codes(name: str) -> frozenset[str]:
    """The codes of a classifier as the repository's file has them."""
    return get(name).code_set()
