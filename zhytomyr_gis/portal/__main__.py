"""Command line of the geoportal: ``python -m zhytomyr_gis.portal COMMAND``.

config           write config.json for the web pages and config/<map>.json,
                 each map's part of it (reads the classifier labels through
                 the pg_service entry of the public role) and, with --pages,
                 the start view's data into the built pages
frame-ancestors  print the Content-Security-Policy frame-ancestors
                 directive of the settings (for the nginx configuration)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import settings as settings_module

DEFAULT_SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.json"


def cmd_config(args) -> int:
    import psycopg2  # noqa: PLC0415

    from . import config  # noqa: PLC0415
    from .compress import write_compressed_copies  # noqa: PLC0415

    try:
        settings = settings_module.load(Path(args.settings))
        classifiers = config.read_classifiers(args.service)
    except settings_module.SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except psycopg2.Error as exc:
        print(f"error: cannot read the classifiers through service {args.service}: {exc}", file=sys.stderr)
        return 1
    document = config.build(settings, classifiers, tile_cache=args.tile_cache)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_compressed_copies(out)
    # Each map's viewer reads only its own part (config.for_map), next to config.json.
    per_map = out.parent / "config"
    per_map.mkdir(exist_ok=True)
    for map_ in document["maps"]:
        path = per_map / f"{map_['id']}.json"
        path.write_text(json.dumps(config.for_map(document, map_["id"]), ensure_ascii=False) + "\n", encoding="utf-8")
        write_compressed_copies(path)
    print(f"portal: wrote {out} and {per_map}/<map>.json ({len(document['maps'])} maps)")
    if args.pages:
        from . import pages  # noqa: PLC0415

        changed = pages.inline_boot(Path(args.pages), config.boot(document))
        for page in Path(args.pages).glob("*.html"):
            write_compressed_copies(page)
        print(f"portal: start view data written into {len(changed)} pages of {args.pages}")
    return 0


def cmd_frame_ancestors(args) -> int:
    try:
        print(settings_module.load(Path(args.settings)).frame_ancestors_header)
    except settings_module.SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    from ..publishing.catalog import SERVICE  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="python -m zhytomyr_gis.portal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cfg = sub.add_parser("config", help="write the pages' config.json")
    cfg.add_argument("--out", required=True, help="path of config.json")
    cfg.add_argument(
        "--settings", default=str(DEFAULT_SETTINGS), help="portal settings (default: portal/settings.json)"
    )
    cfg.add_argument("--service", default=SERVICE, help=f"pg_service entry of the public role (default: {SERVICE})")
    cfg.add_argument(
        "--tile-cache", action="store_true", help="the tile cache is served at /tiles: draw start views from it"
    )
    cfg.add_argument("--pages", help="folder of the built pages to write the start view's data into")
    cfg.set_defaults(func=cmd_config)
    fa = sub.add_parser("frame-ancestors", help="print the CSP frame-ancestors directive")
    fa.add_argument("--settings", default=str(DEFAULT_SETTINGS))
    fa.set_defaults(func=cmd_frame_ancestors)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
