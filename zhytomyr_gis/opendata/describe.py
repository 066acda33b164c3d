"""What describes a dataset: its passport, a Table Schema per table and a
Data Package descriptor (Frictionless Data specifications, written with the
``frictionless`` library so the descriptors are what its validator expects).

The passport has the elements of a dataset passport of the Положення про
набори даних (постанова КМУ від 21.10.2015 № 835, its section on the dataset passport: identifier, title,
description, basis, responsible person and e-mail, dates of first
publication and last change, update frequency, keywords, formats, links to
the data and the structure) plus the publisher's ЄДРПОУ and the licence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .datasets import LEGAL_BASIS, Dataset, Resource
from .formats import MEDIA_TYPES, TABLE_FORMATS, files_of, format_of, kind_label
from .settings import Settings

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
UPDATE_FREQUENCY_UK = "відразу після внесення змін"
UPDATE_FREQUENCY_EN = "immediately after a change is approved"
GENERATED_NOTE = (
    "Увага: демонстраційні дані, згенеровані програмно; вони не описують реальні об'єкти. / "
    "Generated demonstration data; it does not describe real objects."
)


def schema_name(resource: Resource) -> str:
    return f"{resource.name}.schema.json"


def table_schema(resource: Resource) -> dict:
    """The Table Schema of one table (field names, types, Ukrainian titles, constraints)."""
    from frictionless import Schema  # noqa: PLC0415 - only the builder needs it

    fields = []
    for c in resource.columns:
        constraints: dict = {}
        if c.required:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.pattern:
            constraints["pattern"] = c.pattern
        if c.enum:
            constraints["enum"] = list(c.enum)
        field = {"name": c.name, "type": c.type, "title": c.title, "description": c.description}
        if c.type == "boolean":
            field["trueValues"] = ["true"]
            field["falseValues"] = ["false"]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    descriptor = {"fields": fields, "missingValues": [""]}
    if any(c.name == "id" and c.unique for c in resource.columns):
        descriptor["primaryKey"] = ["id"]
    # Through frictionless: a descriptor it would refuse fails here, not in a user's hands.
    return Schema.from_descriptor(descriptor).to_descriptor()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_package(dataset: Dataset, folder: Path, settings: Settings, modified: dt.datetime) -> dict:
    """The Data Package descriptor of a dataset whose files are in ``folder``."""
    from frictionless import Package  # noqa: PLC0415

    resources = []
    for resource in dataset.resources:
        for file_name in files_of(resource):
            fmt = format_of(file_name)
            path = folder / file_name
            entry = {
                "name": file_name.replace(".", "-").lower(),
                "title": f"{resource.title} ({kind_label(file_name)})",
                "description": resource.description,
                "path": file_name,
                "format": fmt,
                "mediatype": MEDIA_TYPES[fmt],
            }
            if fmt != "json":  # frictionless counts no bytes of a JSON table, so it could not check them
                entry.update({"bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}"})
            if fmt in TABLE_FORMATS:
                entry.update(
                    {
                        "profile": "tabular-data-resource",
                        "schema": schema_name(resource),
                        **({"encoding": "utf-8"} if fmt in ("csv", "json") else {}),
                        **({"dialect": {"sheet": resource.name[:31]}} if fmt == "xlsx" else {}),
                    }
                )
            else:
                entry["profile"] = "data-resource"
            resources.append(entry)
    descriptor = {
        "profile": "data-package",
        "name": dataset.id,
        "title": dataset.title,
        "description": dataset.description + (f"\n\n{GENERATED_NOTE}" if settings.generated_data else ""),
        "homepage": f"{settings.opendata_url}/{dataset.id}/",
        "version": modified.strftime("%Y%m%d.%H%M%S"),
        "created": modified.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "keywords": list(dataset.keywords),
        "licenses": [LICENSE],
        "contributors": [
            {"title": settings.publisher_name, "role": "publisher", "email": settings.contact_email},
        ],
        "sources": [{"title": f"{settings.publisher_name}: {dataset.list_item}"}],
        "resources": resources,
    }
    # Checked by frictionless's metadata model (names, profiles, licences).
    Package.from_descriptor(descriptor, basepath=str(folder))
    return descriptor


def passport(
    dataset: Dataset, settings: Settings, modified: dt.datetime, first_published: dt.datetime, built: dt.datetime
) -> list[dict]:
    """The dataset passport: (key, Ukrainian element name, value) in the order of the Положення."""
    base = f"{settings.opendata_url}/{dataset.id}"
    files = [f for r in dataset.resources for f in files_of(r)]
    elements = [
        ("identifier", "Ідентифікаційний номер набору даних", f"{settings.publisher_edrpou}-{dataset.id}"),
        ("title", "Найменування набору даних", dataset.title),
        (
            "description",
            "Стислий опис змісту набору даних",
            dataset.description + (f" {GENERATED_NOTE}" if settings.generated_data else ""),
        ),
        ("basis", "Підстава та призначення збору інформації", f"{LEGAL_BASIS}: «{dataset.list_item}»"),
        ("publisher", "Розпорядник інформації", settings.publisher_name),
        ("publisher_edrpou", "Код ЄДРПОУ розпорядника", settings.publisher_edrpou),
        ("contact", "Відповідальна особа", settings.contact_name),
        ("contact_email", "Адреса електронної пошти відповідальної особи", settings.contact_email),
        ("first_published", "Дата і час першого оприлюднення", first_published.isoformat(timespec="seconds")),
        ("modified", "Дата і час внесення останніх змін", modified.isoformat(timespec="seconds")),
        ("actual_on", "Дата актуальності даних", built.isoformat(timespec="seconds")),
        ("frequency", "Частота оновлення", UPDATE_FREQUENCY_UK),
        ("keywords", "Ключові слова", ", ".join(dataset.keywords)),
        ("formats", "Формат набору даних", ", ".join(sorted({format_of(f).upper() for f in files}))),
        ("data", "Посилання на набір даних", [f"{base}/{f}" for f in files]),
        ("structure", "Структура набору даних", dataset.structure),
        ("schemas", "Посилання на структуру (Table Schema)", [f"{base}/{schema_name(r)}" for r in dataset.resources]),
        ("license", "Ліцензія", f"{LICENSE['title']} ({LICENSE['path']})"),
        ("language", "Мова", "українська"),
    ]
    return [{"key": k, "label": label, "value": v} for k, label, v in elements]
