"""Command line of publishing: ``python -m zhytomyr_gis.publishing COMMAND``.

build        write projects/<id>.qgs from the declaration (needs the
             database through the pg_service entry zhytomyr_gis_portal)
check        audit project files; exit 1 when any is refused
mapfiles     write MapServer mapfiles of the same projects (benchmark peer)
tiles-config write the tile cache's MapProxy configuration
credentials  give portal_reader (and zgis_monitor) a password (generated once, kept in a
             0600 file) and write pg_service.conf + pgpass for the server
docs         write the documentation's lists of the maps from the catalog
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from . import catalog
from .mapfile import PNG_ZLIB_LEVEL

# Qt writes XML attributes in hash order; a fixed seed makes regenerated
# projects byte-identical when nothing changed (clean diffs in review).
os.environ.setdefault("QT_HASH_SEED", "0")


def _qgis():
    """A headless QGIS application for the commands that need qgis.core."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication  # noqa: PLC0415

    app = QgsApplication([], False)
    app.initQgis()
    return app


def _drawing(args) -> catalog.Drawing:
    """The production drawing with the benchmark's overrides from the command line."""
    changes: dict[str, object] = {}
    if args.no_labels:
        changes["labels"] = False
    if args.polygon_labels:
        changes["polygon_label_placement"] = args.polygon_labels
    if args.label_candidates:
        changes["line_candidates_per_cm"], changes["polygon_candidates_per_cm2"] = args.label_candidates
    if args.halo_join:
        changes["halo_join"] = args.halo_join
    if args.line_cap:
        changes["line_cap"] = args.line_cap
    return dataclasses.replace(catalog.DRAWING, **changes)


def cmd_build(args) -> int:
    import psycopg2  # noqa: PLC0415

    from . import builder  # noqa: PLC0415 - imports qgis.core

    app = _qgis()
    try:
        builder.build_all(
            Path(args.out),
            base_url=args.base_url,
            data_note=None if args.no_demo_note else catalog.DEMO_NOTE,
            only=args.only,
            trust_layer_metadata=catalog.TRUST_LAYER_METADATA if args.trust_metadata is None else args.trust_metadata,
            drawing=_drawing(args),
        )
    except (builder.BuildError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except psycopg2.Error as exc:
        print(f"error: cannot read the database through service {catalog.SERVICE}: {exc}", file=sys.stderr)
        return 1
    finally:
        app.exitQgis()
    return 0


def cmd_mapfiles(args) -> int:
    import psycopg2  # noqa: PLC0415

    from .mapfile import write_mapfiles  # noqa: PLC0415
    from .styling import read_classifiers  # noqa: PLC0415

    try:
        written = write_mapfiles(
            Path(args.out), read_classifiers(), base_url=args.base_url, png_zlib_level=args.png_zlib_level
        )
    except psycopg2.Error as exc:
        print(f"error: cannot read the database through service {catalog.SERVICE}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} mapfile(s) to {args.out}")
    return 0


def cmd_tiles_config(args) -> int:
    from .tiles import write_config  # noqa: PLC0415

    try:
        write_config(Path(args.out), args.upstream, Path(args.cache_dir), Path(args.lock_dir))
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args) -> int:
    from .checker import check_projects  # noqa: PLC0415

    paths = [Path(p) for p in args.projects] or sorted(Path("projects").glob("*.qgs"))
    if not paths:
        print("error: no project files to check", file=sys.stderr)
        return 1
    app = _qgis() if args.validity else None
    try:
        problems = check_projects(paths, validity=args.validity)
    finally:
        if app:
            app.exitQgis()
    for problem in problems:
        print(problem)
    refused = sorted({p.project for p in problems})
    print(f"{len(paths)} project(s) checked, {len(refused)} refused" + (f": {', '.join(refused)}" if refused else ""))
    return 1 if problems else 0


def cmd_docs(args) -> int:
    from . import docs  # noqa: PLC0415

    if args.check:
        stale = docs.outdated()
        for name in stale:
            print(f"{name}: its list of the maps differs from the catalog (python -m zhytomyr_gis.publishing docs)")
        return 1 if stale else 0
    for name in docs.write():
        print(f"updated {name}")
    return 0


def cmd_credentials(args) -> int:
    import psycopg2  # noqa: PLC0415
    from psycopg2 import sql  # noqa: PLC0415

    from .credentials import (  # noqa: PLC0415
        MONITOR_ROLE,
        PORTAL_ROLE,
        read_or_create_password,
        write_connection_files,
    )

    folder = Path(args.folder)
    password = read_or_create_password(folder / "portal_reader.password")
    monitor_password = read_or_create_password(folder / "zgis_monitor.password")
    conn = psycopg2.connect(args.superuser_dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        for role, secret in ((PORTAL_ROLE, password), (MONITOR_ROLE, monitor_password)):
            cur.execute(sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(sql.Identifier(role)), (secret,))
    conn.close()
    service_file, pgpass = write_connection_files(
        folder, host=args.host, port=args.port, dbname=args.dbname, password=password, monitor_password=monitor_password
    )
    print(f"portal_reader, zgis_monitor: passwords set; wrote {service_file} and {pgpass}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zhytomyr_gis.publishing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the project files from the declaration")
    build.add_argument("--out", default="projects", help="folder of the .qgs files (default: projects)")
    build.add_argument("--base-url", default=catalog.DEFAULT_BASE_URL, help="public address of the server")
    build.add_argument("--no-demo-note", action="store_true", help="leave out the 'generated data' note")
    build.add_argument("--only", nargs="*", choices=list(catalog.BY_ID), help="project ids to build (default: all)")
    build.add_argument(
        "--trust-metadata",
        choices=("yes", "no"),
        help=f"trust the layer metadata in the projects (default: {'yes' if catalog.TRUST_LAYER_METADATA else 'no'})",
    )
    build.add_argument("--polygon-labels", choices=("horizontal", "centroid"), help="placement of polygon labels")
    build.add_argument(
        "--label-candidates",
        nargs=2,
        type=float,
        metavar=("PER_CM", "PER_CM2"),
        help="label positions tried a centimetre of line and a square centimetre of polygon",
    )
    build.add_argument("--halo-join", choices=("bevel", "round", "miter"), help="corners of the label halo")
    build.add_argument("--line-cap", choices=("round", "square", "flat"), help="ends of line symbols")
    build.add_argument("--no-labels", action="store_true", help="leave labels out (benchmark diagnostic only)")
    build.set_defaults(func=cmd_build)
    check = sub.add_parser("check", help="audit project files before they are served")
    check.add_argument("projects", nargs="*", help=".qgs files (default: projects/*.qgs)")
    check.add_argument("--no-validity", dest="validity", action="store_false", help="skip opening the layers")
    check.set_defaults(func=cmd_check)
    maps = sub.add_parser("mapfiles", help="write MapServer mapfiles of the projects (benchmark peer)")
    maps.add_argument("--out", required=True, help="folder of the .map files")
    maps.add_argument("--base-url", default=catalog.DEFAULT_BASE_URL, help="address of the server")
    maps.add_argument(
        "--png-zlib-level",
        type=int,
        choices=range(10),
        default=PNG_ZLIB_LEVEL,
        metavar="0-9",
        help="zlib level of the PNGs (default: QGIS Server's, %(default)s)",
    )
    maps.set_defaults(func=cmd_mapfiles)
    tiles = sub.add_parser("tiles-config", help="write the tile cache's MapProxy configuration")
    tiles.add_argument("--out", required=True, help="the configuration file to write")
    tiles.add_argument(
        "--upstream", required=True, help="where MapProxy reaches QGIS Server, e.g. http://127.0.0.1:8080"
    )
    tiles.add_argument("--cache-dir", required=True)
    tiles.add_argument("--lock-dir", required=True)
    tiles.set_defaults(func=cmd_tiles_config)
    cred = sub.add_parser("credentials", help="set portal_reader's password and write the connection files")
    cred.add_argument("folder", help="where pg_service.conf, pgpass and the kept password go")
    cred.add_argument("--superuser-dsn", required=True)
    cred.add_argument("--host", default="127.0.0.1")
    cred.add_argument("--port", type=int, default=55432)
    cred.add_argument("--dbname", default="zhytomyr_gis")
    cred.set_defaults(func=cmd_credentials)
    doc = sub.add_parser("docs", help="write the documentation's lists of the maps from the catalog")
    doc.add_argument("--check", action="store_true", help="only report files that are out of date (exit 1)")
    doc.set_defaults(func=cmd_docs)
    args = parser.parse_args(argv)
    if getattr(args, "trust_metadata", None) is not None:
        args.trust_metadata = args.trust_metadata == "yes"
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
