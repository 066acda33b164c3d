"""Land parcels of the register written to a cadastral exchange file (format
version 2.0 layout, coordinates in МСК-18 = EPSG:9836, X the northing), which
the import reads back to the same records.

What an exchange file cannot say (the city's own use status other than
leased or private, the balance holder, the district) is not written; on a
record that exists the import leaves such columns as they are.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from lxml import etree
from osgeo import ogr

from .parcel_parts import LAND, LEASE, LINK, PART_TABLES, RESTRICTION, STATED

FORMAT_VERSION = "2.0"
OWNERSHIP_CODES = {"private": "100", "communal": "200", "state": "300"}
_ADDRESS = re.compile(r"^(\S+) (.+), (\S+)$")


def export_parcels(conn, path: str | Path, numbers: list[str] | None = None, published: bool = True) -> int:
    """Writes the parcels (all, or those with the given cadastral numbers)
    with their lands, leases and restrictions, and returns how many.
    ``published``: the approved copies the public sees (no personal data);
    otherwise the working tables, as the department sees them."""
    table = "published.property_land_parcel" if published else "property.land_parcel"
    personal = "NULL, NULL" if published else "user_person_name, user_person_rnokpp"
    where = "WHERE cadastral_number = ANY(%s)" if numbers else ""
    with conn.cursor() as cur:
        cur.execute(
            f"""SELECT id, cadastral_number, area_ha, land_use_code, ownership, lease_status, user_edrpou, user_name,
                       {personal}, lease_until, lease_decision, address_text, note, ST_AsBinary(geom)
                  FROM {table} {where} ORDER BY cadastral_number""",
            (numbers,) if numbers else None,
        )
        rows = cur.fetchall()
        parts = _parts(cur, [r[0] for r in rows], published)
    conn.rollback()
    root = etree.Element("UkrainianCadastralExchangeFile")
    additional = etree.SubElement(root, "AdditionalPart")
    service = etree.SubElement(additional, "ServiceInfo")
    file_id = etree.SubElement(service, "FileID")
    _leaf(file_id, "FileDate", dt.date.today().isoformat())
    _leaf(file_id, "FileGUID", str(uuid.uuid4()).upper())
    _leaf(service, "FormatVersion", FORMAT_VERSION)
    _leaf(service, "ReceiverName", "Житомирська міська рада")
    _leaf(service, "Software", "Житомирська міська ГІС")
    _leaf(service, "SoftwareVersion", "1")
    info = etree.SubElement(root, "InfoPart")
    metric = etree.SubElement(info, "MetricInfo")
    system = etree.SubElement(metric, "CoordinateSystem")
    _leaf(system, "Local", "МСК-18")
    etree.SubElement(etree.SubElement(metric, "HeightSystem"), "Baltic")
    etree.SubElement(etree.SubElement(metric, "MeasurementUnit"), "M")
    point_info = etree.SubElement(metric, "PointInfo")
    polylines = etree.SubElement(metric, "Polyline")
    points: dict[tuple[float, float], int] = {}

    def uidp(easting: float, northing: float) -> int:
        key = (round(easting, 3), round(northing, 3))
        if key not in points:
            points[key] = len(points) + 1
            p = etree.SubElement(point_info, "Point")
            _leaf(p, "UIDP", str(points[key]))
            _leaf(p, "PN", str(points[key]))
            etree.SubElement(etree.SubElement(p, "DeterminationMethod"), "Digitization")
            _leaf(p, "X", f"{key[1]:.3f}")
            _leaf(p, "Y", f"{key[0]:.3f}")
        return points[key]

    def boundary(parent, ring) -> None:
        ids = [uidp(x, y) for x, y in ring]
        ulid = len(polylines) + 1
        pl = etree.SubElement(polylines, "PL")
        _leaf(pl, "ULID", str(ulid))
        pts = etree.SubElement(pl, "Points")
        for i in ids:
            _leaf(pts, "P", str(i))
        _leaf(pl, "Length", f"{_length(ring):.2f}")
        b = etree.SubElement(parent, "Boundary")
        line = etree.SubElement(etree.SubElement(b, "Lines"), "Line")
        _leaf(line, "ULID", str(ulid))
        _leaf(line, "FP", str(ids[0]))
        _leaf(line, "TP", str(ids[-1]))
        _leaf(b, "Closed", "true")

    zones: dict[str, etree._Element] = {}
    quarters: dict[tuple[str, str], etree._Element] = {}
    for row in rows:
        (record_id, number, area_ha, land_use, ownership, lease_status, user_edrpou, user_name, person_name,
         person_rnokpp, lease_until, lease_decision, address, note, wkb) = row  # fmt: skip
        own = parts.get(record_id, {})
        koatuu, zone, quarter, parcel_id = number.split(":")
        zone_key = f"{koatuu}:{zone}"
        if zone_key not in zones:
            z = etree.SubElement(info, "CadastralZoneInfo")
            _leaf(z, "CadastralZoneNumber", zone_key)
            zones[zone_key] = etree.SubElement(z, "CadastralQuarters")
        if (zone_key, quarter) not in quarters:
            q = etree.SubElement(zones[zone_key], "CadastralQuarterInfo")
            _leaf(q, "CadastralQuarterNumber", quarter)
            quarters[(zone_key, quarter)] = etree.SubElement(q, "Parcels")
        parcel = etree.SubElement(quarters[(zone_key, quarter)], "ParcelInfo")
        location = etree.SubElement(parcel, "ParcelLocationInfo")
        _leaf(location, "Region", "Житомирська")
        _leaf(location, "Settlement", "Житомир")
        etree.SubElement(etree.SubElement(location, "ParcelLocation"), "Urban")
        if address:
            m = _ADDRESS.match(address)
            street_type, street, building = m.groups() if m else ("", address, "")
            a = etree.SubElement(location, "ParcelAddress")
            _leaf(a, "StreetType", street_type)
            _leaf(a, "StreetName", street)
            _leaf(a, "Building", building)
        purpose = etree.SubElement(parcel, "CategoryPurposeInfo")
        _leaf(purpose, "Category", "")
        _leaf(purpose, "Purpose", land_use)
        _leaf(etree.SubElement(parcel, "OwnershipInfo"), "Code", OWNERSHIP_CODES[ownership])
        metric_info = etree.SubElement(parcel, "ParcelMetricInfo")
        _leaf(metric_info, "ParcelID", parcel_id)
        if note:
            _leaf(metric_info, "Description", note)
        area = etree.SubElement(metric_info, "Area")
        _leaf(area, "MeasurementUnit", "Га")
        _leaf(area, "Size", f"{area_ha:.4f}")
        externals = etree.SubElement(metric_info, "Externals")
        geometry = ogr.CreateGeometryFromWkb(bytes(wkb))
        internals = None
        for k in range(geometry.GetGeometryCount()):
            polygon = geometry.GetGeometryRef(k)
            for r in range(polygon.GetGeometryCount()):
                ring = polygon.GetGeometryRef(r).GetPoints()
                if r == 0:
                    boundary(externals, ring)
                else:
                    internals = internals if internals is not None else etree.SubElement(externals, "Internals")
                    boundary(internals, ring)
        lands = own.get(LAND, [])
        if lands:
            holder = etree.SubElement(parcel, "LandsParcel")
            for land in lands:
                info_el = etree.SubElement(holder, "LandParcelInfo")
                _leaf(info_el, "LandCode", land["land_code"])
                if land["area_ha"] is not None:
                    land_area = etree.SubElement(etree.SubElement(info_el, "MetricInfo"), "Area")
                    _leaf(land_area, "MeasurementUnit", "Га")
                    _leaf(land_area, "Size", f"{land['area_ha']:.4f}")
        user = _party(user_edrpou, user_name, person_name, person_rnokpp)
        leases = own.get(LEASE, [])
        if leases:
            _leases(parcel, leases)
        elif lease_status == "leased" and user is not None:
            lease = etree.SubElement(etree.SubElement(parcel, "Leases"), "LeaseInfo")
            if lease_decision:
                decision = etree.SubElement(lease, "ExecutivePowerDecision")
                _leaf(decision, "ApprovalDocumentName", lease_decision)
            agreement = etree.SubElement(lease, "LeaseAgreement")
            etree.SubElement(agreement, "Leasees").append(_wrap("Leasee", user))
            _leaf(agreement, "Area", f"{area_ha:.4f}")
            term = etree.SubElement(agreement, "LeaseTerm")
            if lease_until:
                _leaf(term, "ExpirationDate", lease_until.isoformat())
        if lease_status == "private" and ownership == "private" and user is not None:
            proprietor = etree.SubElement(etree.SubElement(parcel, "Proprietors"), "ProprietorInfo")
            proprietor.append(_wrap("Authentication", user))
        restrictions = own.get(RESTRICTION, [])
        if restrictions:
            holder = etree.SubElement(parcel, "Restrictions")
            for restriction in restrictions:
                info_el = etree.SubElement(holder, "RestrictionInfo")
                _leaf(info_el, "RestrictionCode", restriction["cadastre_code"] or "")
                _leaf(info_el, "RestrictionName", restriction["name_uk"])
                if restriction["expires_on"]:
                    term = etree.SubElement(etree.SubElement(info_el, "RestrictionTerm"), "Time")
                    _leaf(term, "ExpirationDate", restriction["expires_on"].isoformat())
    etree.ElementTree(root).write(str(path), encoding="utf-8", xml_declaration=True, pretty_print=True)
    return len(rows)


def _parts(cur, parcel_ids: list[int], published: bool) -> dict[int, dict[str, list[dict]]]:
    """The lands, leases and restrictions of the parcels, in the order they were entered."""
    found: dict[int, dict[str, list[dict]]] = {}
    for table in PART_TABLES:
        schema, name = table.split(".")
        source = f"published.{schema}_{name}" if published else table
        columns = list(STATED[table])
        if published and table == LEASE:
            # The public copy has no private persons' data.
            columns = [c if not c.startswith("lessee_person") else f"NULL AS {c}" for c in columns]
        cur.execute(
            f"SELECT {LINK}, {', '.join(columns)} FROM {source} WHERE {LINK} = ANY (%s)"
            + ("" if published else " AND NOT deleted")
            + " ORDER BY id",
            (parcel_ids,),
        )
        names = [d.name for d in cur.description][1:]
        for parcel_id, *values in cur.fetchall():
            found.setdefault(parcel_id, {}).setdefault(table, []).append(dict(zip(names, values, strict=True)))
    return found


_REGISTRATION = re.compile(r"^№ (.+?)(?: від (\d{4}-\d{2}-\d{2}))?$")


def _leases(parcel, leases: list[dict]) -> None:
    """Leases and subleases, one agreement per group of lessees that share its terms."""
    agreements: dict[tuple, list[dict]] = {}
    for lease in leases:
        terms = tuple(lease[c] for c in ("sublease", "area_ha", "starts_on", "expires_on", "registration", "decision"))
        agreements.setdefault(terms, []).append(lease)
    holders = {}
    for (sublease, area_ha, starts, expires, registration, decision), lessees in agreements.items():
        if sublease not in holders:
            holders[sublease] = etree.SubElement(parcel, "Subleases" if sublease else "Leases")
        info = etree.SubElement(holders[sublease], "SubleaseInfo" if sublease else "LeaseInfo")
        if decision and not sublease:
            _leaf(etree.SubElement(info, "ExecutivePowerDecision"), "ApprovalDocumentName", decision)
        agreement = info if sublease else etree.SubElement(info, "LeaseAgreement")
        parties = [p for lease in lessees if (p := _party(*_lessee_columns(lease))) is not None]
        if parties:
            holder = etree.SubElement(agreement, "Subleasees" if sublease else "Leasees")
            for party in parties:
                holder.append(_wrap("Subleasee" if sublease else "Leasee", party))
        if area_ha is not None:
            _leaf(agreement, "Area", f"{area_ha:.4f}")
        if starts or expires:
            term = etree.SubElement(agreement, "SubleaseTerm" if sublease else "LeaseTerm")
            if starts:
                _leaf(term, "StartDate", starts.isoformat())
            if expires:
                _leaf(term, "ExpirationDate", expires.isoformat())
        m = _REGISTRATION.match(registration or "")
        if m:
            _leaf(agreement, "RegistrationNumber", m.group(1))
            if m.group(2):
                _leaf(agreement, "RegistrationDate", m.group(2))


def _lessee_columns(lease: dict) -> tuple:
    return (lease["lessee_edrpou"], lease["lessee_name"], lease["lessee_person_name"], lease["lessee_person_rnokpp"])


def _leaf(parent, name: str, text: str):
    el = etree.SubElement(parent, name)
    el.text = text
    return el


def _party(edrpou, name, person_name, person_rnokpp):
    if edrpou or name:
        entity = etree.Element("LegalEntity")
        _leaf(entity, "Name", name or "")
        _leaf(entity, "EDRPOU", edrpou or "")
        return entity
    if person_name or person_rnokpp:
        person = etree.Element("NaturalPerson")
        full = etree.SubElement(person, "FullName")
        parts = (person_name or "").split(" ", 2) + ["", "", ""]
        for tag, part in zip(("LastName", "FirstName", "MiddleName"), parts, strict=False):
            if part:
                _leaf(full, tag, part)
        if person_rnokpp:
            _leaf(person, "TaxNumber", person_rnokpp)
        return person
    return None


def _wrap(name: str, party):
    el = etree.Element(name)
    el.append(party)
    return el


def _length(ring) -> float:
    return sum(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
