"""Command line of publishing: ``python -m zhytomyr_gis.publishing COMMAND``.

build        write projects/<id>.qgs from the declaration (needs the
             database through the pg_service entry zhytomyr_gis_portal)
check        audit project files; exit 1 when any is refused
credentials  give portal_reader a password (generated once, kept in a
             0600 file) and write pg_service.conf + pgpass for the server
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import catalog

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


def cmd_credentials(args) -> int:
    import psycopg2  # noqa: PLC0415
    from psycopg2 import sql  # noqa: PLC0415

    from .credentials import PORTAL_ROLE, read_or_create_password, write_connection_files  # noqa: PLC0415

    folder = Path(args.folder)
    password = read_or_create_password(folder / "portal_reader.password")
    conn = psycopg2.connect(args.superuser_dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(sql.Identifier(PORTAL_ROLE)), (password,))
    conn.close()
    service_file, pgpass = write_connection_files(
        folder, host=args.host, port=args.port, dbname=args.dbname, password=password
    )
    print(f"portal_reader: password set; wrote {service_file} and {pgpass}")
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
    build.add_argument("--only", nargs="*", help="project ids to build (default: all)")
    build.set_defaults(func=cmd_build)
    check = sub.add_parser("check", help="audit project files before they are served")
    check.add_argument("projects", nargs="*", help=".qgs files (default: projects/*.qgs)")
    check.add_argument("--no-validity", dest="validity", action="store_false", help="skip opening the layers")
    check.set_defaults(func=cmd_check)
    cred = sub.add_parser("credentials", help="set portal_reader's password and write the connection files")
    cred.add_argument("folder", help="where pg_service.conf, pgpass and the kept password go")
    cred.add_argument("--superuser-dsn", required=True)
    cred.add_argument("--host", default="127.0.0.1")
    cred.add_argument("--port", type=int, default=55432)
    cred.add_argument("--dbname", default="zhytomyr_gis")
    cred.set_defaults(func=cmd_credentials)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
