"""``python -m zhytomyr_gis import …``: the import from the command line.

    import cadastral-xml FILE… [--dry-run] [--format json|text] [--dsn DSN]
    import register REGISTER FILE --mapping M [--dry-run] [--format json|text] [--dsn DSN]
    import export-xml FILE [--where SQL-free filters] --dsn DSN

``--dsn`` is the importing editor's own connection (``service=zhytomyr_gis``
or a libpq string): the records are theirs, and the database checks their
rights. A dry run without ``--dsn`` checks the files alone.

Exit status: 0 every file accepted, 1 something refused, 2 no connection
or a bad argument.
"""

from __future__ import annotations

import argparse
import json
import sys

import psycopg2

from . import settings as import_settings


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "import",
        help="import cadastral exchange files or register files (as drafts submitted for review)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="import_kind", required=True)

    def common(p):
        p.add_argument(
            "--dsn",
            default=argparse.SUPPRESS,
            help="the importing editor's connection (service=zhytomyr_gis or a libpq string)",
        )
        p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
        p.add_argument("--format", choices=["text", "json"], default="text")
        p.add_argument("--settings", help="import settings (JSON; default: the package's settings.json)")

    xml = kinds.add_parser("cadastral-xml", help="cadastral exchange files (XML) into property.land_parcel")
    xml.add_argument("files", nargs="+", metavar="FILE")
    common(xml)
    xml.set_defaults(func=cmd_cadastral_xml)

    reg = kinds.add_parser("register", help="a GeoPackage, Shapefile, CSV or XLSX into a register")
    reg.add_argument("register", metavar="REGISTER", help="schema.table, e.g. property.land_parcel")
    reg.add_argument("file", metavar="FILE")
    reg.add_argument("--mapping", required=True, help="the field mapping (YAML or JSON)")
    common(reg)
    reg.set_defaults(func=cmd_register)

    out = kinds.add_parser("export-xml", help="land parcels into a cadastral exchange file")
    out.add_argument("file", metavar="FILE")
    out.add_argument("--cadastral-number", action="append", default=[], help="only these parcels (repeatable)")
    out.add_argument("--status", choices=["published", "working"], default="published")
    out.add_argument("--dsn", default=argparse.SUPPRESS)
    out.set_defaults(func=cmd_export)


def _connect(args):
    dsn = getattr(args, "dsn", None)
    if not dsn:
        return None
    return psycopg2.connect(dsn, application_name="zhytomyr_gis import")


def _settings(args):
    try:
        return import_settings.load(getattr(args, "settings", None))
    except import_settings.SettingsError as error:
        print(f"помилка: {error.message_uk}", file=sys.stderr)
        return None


def cmd_cadastral_xml(args) -> int:
    from .cadastral import import_file

    settings = _settings(args)
    if settings is None:
        return 2
    if not getattr(args, "dsn", None) and not args.dry_run:
        print(
            "помилка: для імпорту потрібне з'єднання редактора (--dsn service=… або рядок libpq);"
            " без нього можлива лише перевірка (--dry-run)",
            file=sys.stderr,
        )
        return 2
    conn = _connect(args)
    reports = []
    try:
        for path in args.files:
            reports.append(import_file(path, settings, conn=conn, dry_run=args.dry_run))
    finally:
        if conn is not None:
            conn.close()
    if args.format == "json":
        json.dump([r.as_dict() for r in reports], sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        for report in reports:
            _print_text(report)
    return 1 if any(r.refused for r in reports) else 0


def _print_text(report) -> None:
    d = report.as_dict()
    system = d["coordinate_system"]
    print(
        f"{d['file']}: версія формату {d['format_version'] or '?'}, система координат"
        f" {system['declared'] or '?'} ({system['crs'] or '?'}), кодування {d['encoding'] or '?'}"
    )
    for f in d["findings"]:
        mark = "!" if f["severity"] == "error" else "·"
        where = f" [{f['path']}{', рядок ' + str(f['line']) if f['line'] else ''}]" if f["path"] or f["line"] else ""
        print(f"  {mark} {f['message']}{where}")
    for p in d["parcels"]:
        area = f"{p['declared_area_ha']:.4f} га" if p["declared_area_ha"] is not None else "? га"
        computed = f"{p['computed_area_m2']:.1f} м²" if p["computed_area_m2"] is not None else "? м²"
        action = {"insert": "нова", "update": "зміна", "unchanged": "без змін"}.get(p["action"], "")
        outcome = "відмовлено: " + p["reason"] if p["outcome"] == "refused" else ("прийнято " + action).strip()
        print(
            f"  {p['cadastral_number']}  {area} (за координатами {computed}), КВЦПЗ {p['purpose_code']},"
            f" вершин {p['vertex_count']}: {outcome}"
        )
    c = d["counts"]
    if report.imported:
        verdict = f"внесено як чернетки й подано на перевірку: {report.submitted}"
    elif report.refused:
        verdict = "файл не прийнято, нічого не змінено"
    elif report.dry_run:
        verdict = "перевірка без змін (--dry-run)"
    else:
        verdict = "нічого не змінено"
    print(
        f"  ділянок {c['parcels']}: нових {c['insert']}, змінених {c['update']}, без змін {c['unchanged']},"
        f" відмовлено {c['refused']}; угідь, оренди, обмежень додано {c['parts_added']},"
        f" вилучено {c['parts_removed']} — {verdict}"
    )


def cmd_register(args) -> int:
    from .register_files import MappingError, import_register

    settings = _settings(args)
    if settings is None:
        return 2
    if not getattr(args, "dsn", None):
        print(
            "помилка: потрібне з'єднання редактора (--dsn): правила реєстру перевіряє база даних",
            file=sys.stderr,
        )
        return 2
    conn = _connect(args)
    try:
        report = import_register(args.register, args.file, args.mapping, conn, settings, dry_run=args.dry_run)
    except MappingError as error:
        print(f"помилка: {error.message_uk}", file=sys.stderr)
        return 2
    finally:
        conn.close()
    if args.format == "json":
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        report.print_text()
    return 1 if report.refused else 0


def cmd_export(args) -> int:
    from .export import export_parcels

    conn = _connect(args)
    if conn is None:
        print("помилка: потрібне з'єднання (--dsn)", file=sys.stderr)
        return 2
    try:
        count = export_parcels(conn, args.file, args.cadastral_number or None, published=args.status == "published")
    finally:
        conn.close()
    print(f"{args.file}: ділянок {count}")
    return 0
