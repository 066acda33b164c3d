"""Builds the open data files and publishes them atomically.

A release is a complete folder: one sub-folder per dataset (data files,
Table Schemas, ``datapackage.json``, ``passport.json``), the catalogue
(``catalog.jsonld``, ``data.json``) and ``index.json`` (what the portal's
«Відкриті дані» page lists). ``publish`` builds a release into a hidden
temporary folder, flushes every file to disk (fsync), renames the folder
into ``releases/`` and then swaps the symbolic link ``current`` to it with
one ``rename``: nginx serves ``current/``, so a download sees either the old
set or the new one, never a half-written file. The two previous releases
are kept for downloads still under way.

"Last change" of a dataset is the last approval among its published tables;
an approved deletion leaves no row to date it, so when a dataset's content
changed without a newer approval date the time of the build is used. The
data files carry that time as their modification time, which nginx sends
as ``Last-Modified`` (and in its ``ETag``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from . import catalogue, describe, extract, formats
from .datasets import DATASETS, Dataset
from .settings import Settings

INDEX = "index.json"
KEEP_PREVIOUS = 2


class ReleaseError(RuntimeError):
    """The files could not be written; the message says where and why."""


def _write_json(path: Path, document) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")


def _read_index(folder: Path | None) -> dict:
    if folder is None:
        return {}
    try:
        return {e["id"]: e for e in json.loads((folder / INDEX).read_text(encoding="utf-8"))["datasets"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _build_dataset(conn, dataset: Dataset, folder: Path, settings: Settings, previous: dict | None, now) -> dict:
    folder.mkdir(parents=True)
    digest = hashlib.sha256()
    records = {}
    for resource in dataset.resources:
        table = extract.read_resource(conn, resource, settings)
        formats.write_table(table, folder, f"{dataset.title}: {resource.title}")
        _write_json(folder / describe.schema_name(resource), describe.table_schema(resource))
        digest.update((folder / f"{resource.name}.csv").read_bytes())
        records[resource.name] = len(table.rows)
    digest_hex = digest.hexdigest()
    approved = extract.last_approval(conn, dataset) or now
    if previous and previous.get("digest") == digest_hex:
        modified = dt.datetime.fromisoformat(previous["modified"])
    elif previous and approved <= dt.datetime.fromisoformat(previous["modified"]):
        modified = now  # content changed with no newer approval date: an approved deletion
    else:
        modified = approved
    first_published = dt.datetime.fromisoformat(previous["first_published"]) if previous else now
    data_files = [f for r in dataset.resources for f in formats.files_of(r)]
    stamp = modified.timestamp()
    for name in data_files:
        os.utime(folder / name, (stamp, stamp))
    _write_json(folder / "datapackage.json", describe.data_package(dataset, folder, settings, modified))
    _write_json(folder / "passport.json", describe.passport(dataset, settings, modified, first_published, now))
    schema_of = {f: describe.schema_name(r) for r in dataset.resources for f in formats.files_of(r)}
    title_of = {f: r.title for r in dataset.resources for f in formats.files_of(r)}
    return {
        "id": dataset.id,
        "identifier": f"{settings.publisher_edrpou}-{dataset.id}",
        "title": dataset.title,
        "title_en": dataset.title_en,
        "description": dataset.description,
        "description_en": dataset.description_en,
        "list_item": dataset.list_item,
        "structure": dataset.structure,
        "keywords": list(dataset.keywords),
        "modified": _iso(modified),
        "first_published": _iso(first_published),
        "records": records,
        "digest": digest_hex,
        "files": [
            {
                "name": name,
                "title": f"{title_of[name]} ({formats.kind_label(name)})",
                "bytes": (folder / name).stat().st_size,
                **({"schema": schema_of[name]} if formats.format_of(name) in formats.TABLE_FORMATS else {}),
            }
            for name in data_files
        ],
        "schemas": [describe.schema_name(r) for r in dataset.resources],
    }


def _reuse_dataset(source: Path, target: Path) -> None:
    """The previous release's files of an unchanged dataset, as hard links (same mtime, same ETag)."""
    target.mkdir(parents=True)
    for entry in source.iterdir():
        os.link(entry, target / entry.name)


def build(
    dsn: str,
    out: Path,
    settings: Settings,
    only: set[str] | None = None,
    previous: Path | None = None,
    log=lambda _msg: None,
) -> dict:
    """Write a complete release into ``out`` (which must not exist).

    ``only``: the datasets to read again; the others are taken from the
    ``previous`` release when it has them. Returns the index document.
    """
    before = _read_index(previous)
    out.mkdir(parents=True)
    conn = extract.connect(dsn)
    try:
        now = extract.database_now(conn)
        entries = []
        for dataset in DATASETS:
            reuse = only is not None and dataset.id not in only and dataset.id in before
            if reuse and (previous / dataset.id).is_dir():
                _reuse_dataset(previous / dataset.id, out / dataset.id)
                entries.append(before[dataset.id])
                continue
            started = time.monotonic()
            entry = _build_dataset(conn, dataset, out / dataset.id, settings, before.get(dataset.id), now)
            entries.append(entry)
            log(f"{dataset.id}: {entry['records']} in {time.monotonic() - started:.1f} s")
    finally:
        conn.close()
    index = {
        "built": _iso(now),
        "publisher": {"name": settings.publisher_name, "edrpou": settings.publisher_edrpou},
        "license": describe.LICENSE,
        "generated_data": settings.generated_data,
        "catalogue": ["catalog.jsonld", "data.json"],
        "datasets": entries,
    }
    _write_json(out / "catalog.jsonld", catalogue.dcat_catalog(entries, settings))
    _write_json(out / "data.json", catalogue.data_json(entries, settings))
    _write_json(out / INDEX, index)
    return index


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current(root: Path) -> Path | None:
    """The release nginx serves now (``root/current``), if any."""
    link = root / "current"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def publish(dsn: str, root: Path, settings: Settings, only: set[str] | None = None, log=lambda _msg: None) -> Path:
    """Build a release and make it ``root/current`` in one rename; returns its folder."""
    releases = root / "releases"
    try:
        releases.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReleaseError(f"cannot create {releases}: {exc.strerror}") from None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    temporary = releases / f".{stamp}.tmp"
    final = releases / stamp
    try:
        build(dsn, temporary, settings, only=only, previous=current(root), log=log)
        _fsync_tree(temporary)
        os.rename(temporary, final)
        link = root / ".current.tmp"
        link.unlink(missing_ok=True)
        link.symlink_to(Path("releases") / stamp)
        os.replace(link, root / "current")
        fd = os.open(root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise ReleaseError(f"cannot write the open data into {root}: {exc}") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _prune(releases, keep=final)
    return final


def _prune(releases: Path, keep: Path) -> None:
    """Remove all but the newest releases (and temporary folders left by a crash)."""
    done = sorted((p for p in releases.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[: -(KEEP_PREVIOUS + 1)]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in releases.glob(".*.tmp"):
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
