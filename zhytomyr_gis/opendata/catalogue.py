"""The catalogue of all datasets, in the two forms CKAN harvests.

- ``catalog.jsonld``: DCAT-AP 2 as JSON-LD (a ``dcat:Catalog`` of
  ``dcat:Dataset`` with ``dcat:Distribution``), read by CKAN's ckanext-dcat
  harvester (``dcat_rdf_harvester``, format ``json-ld``).
- ``data.json``: the Project Open Data metadata schema v1.1, read by
  ckanext-datajson; updates come with approvals, so its frequency is
  ``irregular``.

Both come from the same per-dataset entries that ``release`` writes.
"""

from __future__ import annotations

from .describe import LICENSE
from .formats import MEDIA_TYPES, format_of
from .settings import Settings

# EU vocabularies (DCAT-AP): continuously updated, Ukrainian, file types.
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"
LANGUAGE_URI = "http://publications.europa.eu/resource/authority/language/UKR"
FILE_TYPE_URI = {
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
    "xlsx": "http://publications.europa.eu/resource/authority/file-type/XLSX",
    "geojson": "http://publications.europa.eu/resource/authority/file-type/GEOJSON",
    "gpkg": "http://publications.europa.eu/resource/authority/file-type/GPKG",
}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
}


def _publisher(settings: Settings) -> dict:
    return {
        "@id": f"{settings.opendata_url}/#publisher",
        "@type": "foaf:Agent",
        "foaf:name": settings.publisher_name,
        "dct:identifier": settings.publisher_edrpou,
    }


def dcat_catalog(entries: list[dict], settings: Settings) -> dict:
    """DCAT-AP JSON-LD of the datasets (``entries`` as ``release`` lists them)."""
    datasets = []
    for e in entries:
        base = f"{settings.opendata_url}/{e['id']}"
        distributions = []
        for f in e["files"]:
            fmt = format_of(f["name"])
            distributions.append(
                {
                    "@id": f"{base}/{f['name']}",
                    "@type": "dcat:Distribution",
                    "dct:title": f["title"],
                    "dcat:accessURL": {"@id": f"{base}/"},
                    "dcat:downloadURL": {"@id": f"{base}/{f['name']}"},
                    "dct:format": {"@id": FILE_TYPE_URI[fmt]},
                    "dcat:mediaType": MEDIA_TYPES[fmt],
                    "dcat:byteSize": {"@value": str(f["bytes"]), "@type": "xsd:decimal"},
                    "dct:license": {"@id": LICENSE["path"]},
                    "dct:modified": {"@value": e["modified"], "@type": "xsd:dateTime"},
                    **({"dct:conformsTo": {"@id": f"{base}/{f['schema']}"}} if f.get("schema") else {}),
                }
            )
        datasets.append(
            {
                "@id": f"{base}/",
                "@type": "dcat:Dataset",
                "dct:identifier": e["identifier"],
                "dct:title": [{"@value": e["title"], "@language": "uk"}, {"@value": e["title_en"], "@language": "en"}],
                "dct:description": [
                    {"@value": e["description"], "@language": "uk"},
                    {"@value": e["description_en"], "@language": "en"},
                ],
                "dcat:keyword": [{"@value": k, "@language": "uk"} for k in e["keywords"]],
                "dct:publisher": {"@id": f"{settings.opendata_url}/#publisher"},
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": settings.contact_name,
                    "vcard:hasEmail": {"@id": f"mailto:{settings.contact_email}"},
                },
                "dct:issued": {"@value": e["first_published"], "@type": "xsd:dateTime"},
                "dct:modified": {"@value": e["modified"], "@type": "xsd:dateTime"},
                "dct:accrualPeriodicity": {"@id": FREQUENCY_URI},
                "dct:language": {"@id": LANGUAGE_URI},
                "dct:license": {"@id": LICENSE["path"]},
                "dct:source": e["list_item"],
                "dct:conformsTo": [{"@id": f"{base}/datapackage.json"}],
                "dcat:landingPage": {"@id": f"{settings.base_url.rstrip('/')}/opendata.html#{e['id']}"},
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": CONTEXT,
        "@graph": [
            _publisher(settings),
            {
                "@id": f"{settings.opendata_url}/catalog.jsonld",
                "@type": "dcat:Catalog",
                "dct:title": [
                    {"@value": f"Відкриті дані: {settings.publisher_name}", "@language": "uk"},
                    {"@value": f"Open data: {settings.publisher_name_en}", "@language": "en"},
                ],
                "dct:description": {
                    "@value": "Набори відкритих даних геоінформаційної системи міста, лише затверджені дані.",
                    "@language": "uk",
                },
                "dct:publisher": {"@id": f"{settings.opendata_url}/#publisher"},
                "dct:license": {"@id": LICENSE["path"]},
                "dct:language": {"@id": LANGUAGE_URI},
                "dct:modified": {
                    "@value": max((e["modified"] for e in entries), default=""),
                    "@type": "xsd:dateTime",
                },
                "foaf:homepage": {"@id": f"{settings.base_url.rstrip('/')}/opendata.html"},
                "dcat:dataset": [{"@id": d["@id"]} for d in datasets],
            },
            *datasets,
        ],
    }


def data_json(entries: list[dict], settings: Settings) -> dict:
    """Project Open Data v1.1 catalogue of the datasets."""
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": e["identifier"],
                "title": e["title"],
                "description": e["description"],
                "keyword": list(e["keywords"]),
                "modified": e["modified"],
                "issued": e["first_published"],
                "publisher": {"@type": "org:Organization", "name": settings.publisher_name},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": settings.contact_name,
                    "hasEmail": f"mailto:{settings.contact_email}",
                },
                "accessLevel": "public",
                "license": LICENSE["path"],
                "accrualPeriodicity": "irregular",
                "language": ["uk"],
                "landingPage": f"{settings.base_url.rstrip('/')}/opendata.html#{e['id']}",
                "describedBy": f"{settings.opendata_url}/{e['id']}/datapackage.json",
                "describedByType": "application/json",
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f["title"],
                        "downloadURL": f"{settings.opendata_url}/{e['id']}/{f['name']}",
                        "mediaType": MEDIA_TYPES[format_of(f["name"])],
                        "format": format_of(f["name"]).upper(),
                        **(
                            {"conformsTo": f"{settings.opendata_url}/{e['id']}/{f['schema']}"}
                            if f.get("schema")
                            else {}
                        ),
                    }
                    for f in e["files"]
                ],
            }
            for e in entries
        ],
    }
