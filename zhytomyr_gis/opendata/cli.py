"""``python -m zhytomyr_gis opendata COMMAND``: the open data on the server.

    build OUT       write a complete set of files into the folder OUT
    publish ROOT    build and make it ROOT/current in one rename (what nginx serves)
    listen ROOT     publish, then publish again after approvals (LISTEN, debounced)
    ckan URL        create or update the datasets on a CKAN portal (ckanapi)

The database is read as ``portal_reader`` through the server's pg_service
entry (``--service``, default zhytomyr_gis_portal), or through ``--db`` (any
libpq string whose login may ``SET ROLE portal_reader``).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from ..publishing import catalog
from . import settings as settings_module
from .datasets import BY_ID
from .extract import ExtractError
from .release import ReleaseError


def _dsn(args) -> str:
    return args.db or f"service={args.service}"


def _only(args) -> set[str] | None:
    if not args.only:
        return None
    unknown = set(args.only) - set(BY_ID)
    if unknown:
        raise SystemExit(f"error: unknown dataset(s) {', '.join(sorted(unknown))}; known: {', '.join(BY_ID)}")
    return set(args.only)


def cmd_build(args, settings) -> int:
    from . import release  # noqa: PLC0415

    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        print(f"error: {out} is not empty (build writes a new folder; publish replaces a served one)", file=sys.stderr)
        return 1
    if out.exists():
        out.rmdir()
    index = release.build(_dsn(args), out, settings, log=print)
    print(f"open data: {len(index['datasets'])} datasets in {out}")
    return 0


def cmd_publish(args, settings) -> int:
    from . import release  # noqa: PLC0415

    folder = release.publish(_dsn(args), Path(args.root), settings, only=_only(args), log=print)
    print(f"open data published: {Path(args.root) / 'current'} -> {folder}")
    return 0


def cmd_listen(args, settings) -> int:
    from . import listener  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        listener.run(_dsn(args), Path(args.root), settings)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_ckan(args, settings) -> int:
    from . import ckan  # noqa: PLC0415

    api_key = os.environ.get("CKAN_API_KEY")
    if not api_key:
        print("error: set CKAN_API_KEY to the API token of a CKAN user of the organisation", file=sys.stderr)
        return 1
    index = ckan.read_index(Path(args.root))
    done = ckan.upload(args.url, api_key, args.organisation, index, settings, log=print)
    print(f"CKAN {args.url}: {len(done)} datasets created or updated")
    return 0


def add_parser(sub) -> None:
    """The ``opendata`` sub-command of ``python -m zhytomyr_gis``."""
    _configure(
        sub.add_parser(
            "opendata",
            help="open data files from the published registers",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m zhytomyr_gis.opendata``: the same commands without the database tools'
    imports (the listener runs from an environment that has only what open data needs)."""
    parser = argparse.ArgumentParser(
        prog="python -m zhytomyr_gis.opendata",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _configure(parser)
    return run(parser.parse_args(argv))


def _configure(parser) -> None:
    parser.add_argument("--service", default=catalog.SERVICE, help="pg_service entry of the public role")
    parser.add_argument("--db", help="libpq connection string instead of --service")
    parser.add_argument("--settings", help="JSON file of open data settings (publisher, base_url, debounce_s ...)")
    parser.add_argument("--base-url", help="the site's public address (overrides base_url of the settings)")
    commands = parser.add_subparsers(dest="opendata_command", required=True)
    build = commands.add_parser("build", help="write every dataset into a new folder")
    build.add_argument("out")
    build.set_defaults(opendata=cmd_build)
    publish = commands.add_parser("publish", help="build and switch ROOT/current atomically")
    publish.add_argument("root")
    publish.add_argument("--only", nargs="+", metavar="DATASET", help="rebuild only these datasets")
    publish.set_defaults(opendata=cmd_publish)
    listen = commands.add_parser("listen", help="publish after every approval (debounced)")
    listen.add_argument("root")
    listen.set_defaults(opendata=cmd_listen)
    upload = commands.add_parser("ckan", help="create or update the datasets on a CKAN portal")
    upload.add_argument("url", help="the CKAN portal, e.g. https://data.gov.ua")
    upload.add_argument("--organisation", required=True, help="the CKAN organisation's name (owner_org)")
    upload.add_argument("--root", required=True, help="the published open data folder (ROOT of publish)")
    upload.set_defaults(opendata=cmd_ckan)
    parser.set_defaults(func=run)


def run(args) -> int:
    from .ckan import CkanError  # noqa: PLC0415

    try:
        settings = settings_module.load(Path(args.settings) if args.settings else None)
        if args.base_url:
            settings = settings_module.parse({"base_url": args.base_url}, base=settings)
        return args.opendata(args, settings)
    except (settings_module.SettingsError, ExtractError, ReleaseError, CkanError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
