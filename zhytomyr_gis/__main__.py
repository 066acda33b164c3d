"""Command line of the city database: ``python -m zhytomyr_gis COMMAND``.

    setup   create the database if missing and apply pending migrations
    demo    load the generated demo dataset through the workflow (idempotent)
    status  counts per register and workflow state
    import  cadastral exchange files and register files, as drafts submitted
            for review by the importing editor (``import --help``)
    history verify the history's hash chain, export its head (``history --help``)
    opendata build|publish|listen|ckan   open data from the published registers

Connections are made as the cluster's superuser over its unix socket
(the private instance's ``.run/pg/socket``), or with ``--dsn``.
"""

from __future__ import annotations

import argparse
import sys
import time

import psycopg2

from . import classifiers, history_cli, migrate
from .importing import cli as import_cli

DEFAULT_DB = "zhytomyr_gis"


def _dsn(args, dbname: str) -> str:
    if args.dsn:
        return args.dsn
    return f"host={args.socket_dir} port={args.port} user=postgres dbname={dbname}"


def cmd_setup(args) -> int:
    conn = psycopg2.connect(_dsn(args, "postgres") if not args.dsn else args.dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.dbname,))
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{args.dbname}"')
            print(f"created database {args.dbname}")
    conn.close()
    conn = psycopg2.connect(_dsn(args, args.dbname))
    try:
        ran = migrate.migrate(conn)
    # ValueError: an applied changelog was edited (migrate.pending); nothing was run.
    except (migrate.MigrationError, classifiers.ClassifierFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(f"database {args.dbname}: {len(ran)} migration(s) applied, schema up to date")
    return 0


def cmd_demo(args) -> int:
    from .demo import loader

    started = time.monotonic()
    try:
        loader.load(_dsn(args, args.dbname), size=args.size, log=print)
    except loader.DemoLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"demo ready in {time.monotonic() - started:.1f} s")
    return 0


def cmd_status(args) -> int:
    conn = psycopg2.connect(_dsn(args, args.dbname))
    with conn.cursor() as cur:
        cur.execute("SELECT table_name, published_table FROM workflow.register ORDER BY table_name")
        registers = cur.fetchall()
        print(f"{'register':34} {'draft':>7} {'subm.':>7} {'verif.':>7} {'rej.':>7} {'public':>7}")
        for table, published in registers:
            cur.execute(
                f"SELECT count(*) FILTER (WHERE status = 'draft'), count(*) FILTER (WHERE status = 'submitted'),"
                f" count(*) FILTER (WHERE status = 'verified'), count(*) FILTER (WHERE status = 'rejected'),"
                f" (SELECT count(*) FROM {published}) FROM {table}"
            )
            print(f"{table:34} " + " ".join(f"{n:7d}" for n in cur.fetchone()))
    conn.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zhytomyr_gis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--socket-dir", default=".run/pg/socket", help="unix socket folder of the cluster")
    parser.add_argument("--port", type=int, default=55432)
    parser.add_argument("--dbname", default=DEFAULT_DB)
    parser.add_argument("--dsn", help="libpq connection string of a superuser (overrides socket/port)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create the database and apply migrations").set_defaults(func=cmd_setup)
    demo = sub.add_parser("demo", help="load the demo dataset through the workflow")
    demo.add_argument("--size", choices=["small", "city", "large"], default="city")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("status", help="records per register and state").set_defaults(func=cmd_status)
    import_cli.add_parser(sub)
    history_cli.add_parser(sub, lambda args: _dsn(args, args.dbname))
    from .opendata import cli as opendata_cli  # noqa: PLC0415 - keeps the other commands' imports light

    opendata_cli.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except psycopg2.OperationalError as exc:
        print(f"error: cannot connect to the database: {str(exc).strip()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
