"""Optional upload of the catalogue to a CKAN portal (data.gov.ua runs CKAN).

Each dataset becomes a CKAN package of the organisation, its files CKAN
resources that link to the stable addresses ``/opendata/<dataset>/<file>``
(the files stay on the city's server; CKAN shows and harvests them).
``package_dict`` builds what CKAN's ``package_create`` takes; ``problems``
checks it against the rules of CKAN's default package schema
(ckan/logic/schema.py and ckan/logic/validators.py: ``name_validator``,
``tag_name_validator``, tag length, unique extras) before anything is sent.
The upload uses ``ckanapi`` (RemoteCKAN): ``package_show`` to find an
existing package, then ``package_update`` or ``package_create``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .describe import LICENSE
from .formats import MEDIA_TYPES, format_of
from .settings import Settings

# CKAN's name_validator: 2..100 characters, lowercase ASCII letters, digits, - and _.
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
# CKAN's tag_name_validator: letters (any script), digits, spaces, - _ .
TAG = re.compile(r"^[\w .-]+$", re.UNICODE)
MIN_TAG_LENGTH, MAX_TAG_LENGTH = 2, 100
CORE_FIELDS = {"name", "title", "notes", "owner_org", "license_id", "maintainer", "maintainer_email", "url",
               "version", "tags", "extras", "resources", "author", "author_email", "state", "private"}  # fmt: skip
CKAN_LICENSE_ID = "cc-by"  # CKAN's default licence list: Creative Commons Attribution


class CkanError(RuntimeError):
    """The package is not acceptable or the portal refused it; the message says why."""


def read_index(root: Path) -> dict:
    """The index of a release folder, or of ``root/current`` of a published one."""
    for folder in (root / "current", root):
        path = folder / "index.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise CkanError(f"{root} holds no open data release (run python -m zhytomyr_gis opendata publish first)")


def package_dict(entry: dict, organisation: str, settings: Settings) -> dict:
    """The CKAN package of one dataset entry of ``index.json``."""
    base = f"{settings.opendata_url}/{entry['id']}"
    return {
        "name": f"zhytomyr-{entry['id']}",
        "title": entry["title"],
        "notes": entry["description"],
        "owner_org": organisation,
        "license_id": CKAN_LICENSE_ID,
        "maintainer": settings.contact_name,
        "maintainer_email": settings.contact_email,
        "url": f"{settings.base_url.rstrip('/')}/opendata.html#{entry['id']}",
        "tags": [{"name": k} for k in entry["keywords"]],
        "extras": [
            {"key": "identifier", "value": entry["identifier"]},
            {"key": "publisher_edrpou", "value": settings.publisher_edrpou},
            {"key": "legal_basis", "value": entry["list_item"]},
            {"key": "structure", "value": entry["structure"]},
            {"key": "update_frequency", "value": "відразу після внесення змін"},
            {"key": "modified", "value": entry["modified"]},
            {"key": "license_url", "value": LICENSE["path"]},
        ],
        "resources": [
            {
                "name": f["title"],
                "url": f"{base}/{f['name']}",
                "format": format_of(f["name"]).upper(),
                "mimetype": MEDIA_TYPES[format_of(f["name"])],
                "size": f["bytes"],
                **({"schema_url": f"{base}/{f['schema']}"} if f.get("schema") else {}),
            }
            for f in entry["files"]
        ]
        + [{"name": "Data Package", "url": f"{base}/datapackage.json", "format": "JSON"}],
    }


def problems(package: dict) -> list[str]:
    """What CKAN's default package schema would refuse in ``package`` (empty: acceptable)."""
    found = []
    if not isinstance(package.get("name"), str) or not NAME.match(package["name"]):
        found.append(f"name {package.get('name')!r}: 2-100 lowercase ASCII letters, digits, '-' or '_'")
    if not package.get("owner_org"):
        found.append("owner_org: the organisation is required")
    for tag in package.get("tags", []):
        name = tag.get("name", "")
        if not MIN_TAG_LENGTH <= len(name) <= MAX_TAG_LENGTH:
            found.append(f"tag {name!r}: {MIN_TAG_LENGTH}-{MAX_TAG_LENGTH} characters")
        elif not TAG.match(name):
            found.append(f"tag {name!r}: letters, digits, spaces, '-', '_' and '.' only")
    keys = [e.get("key") for e in package.get("extras", [])]
    if len(keys) != len(set(keys)):
        found.append("extras: duplicate keys")
    if set(keys) & CORE_FIELDS:
        found.append(f"extras: {sorted(set(keys) & CORE_FIELDS)} are core fields")
    for resource in package.get("resources", []):
        if not str(resource.get("url", "")).startswith(("http://", "https://")):
            found.append(f"resource {resource.get('name')!r}: an http(s) url is required")
    return found


def upload(url: str, api_key: str, organisation: str, index: dict, settings: Settings, log=print) -> list[str]:
    """Create or update every dataset of ``index`` on the CKAN portal at ``url``."""
    import ckanapi  # noqa: PLC0415 - only this command needs it

    packages = [package_dict(e, organisation, settings) for e in index["datasets"]]
    for package in packages:
        bad = problems(package)
        if bad:
            raise CkanError(f"{package['name']}: " + "; ".join(bad))
    portal = ckanapi.RemoteCKAN(url, apikey=api_key, user_agent="zhytomyr-gis-opendata")
    done = []
    for package in packages:
        try:
            try:
                existing = portal.action.package_show(id=package["name"])
            except ckanapi.NotFound:
                portal.action.package_create(**package)
                log(f"{package['name']}: created")
            else:
                portal.action.package_update(id=existing["id"], **package)
                log(f"{package['name']}: updated")
        except ckanapi.ValidationError as exc:
            raise CkanError(f"{url} refused {package['name']}: {exc.error_dict}") from None
        except ckanapi.NotAuthorized:
            raise CkanError(f"{url}: the API token may not write to organisation {organisation}") from None
        except ckanapi.CKANAPIError as exc:
            raise CkanError(f"{url}: {exc}") from None
        except OSError as exc:  # connection refused, DNS, TLS
            raise CkanError(f"cannot reach {url}: {exc}") from None
        done.append(package["name"])
    return done
