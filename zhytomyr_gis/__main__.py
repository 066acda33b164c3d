"""Command line of the city database: ``python -m zhytomyr_gis COMMAND``.

    setup   create the database if missing and apply pending migrations
    demo    load the generated demo dataset through the workflow (idempotent)
    status  counts per register and workflow state
    import  cadastral exchange files and register files, as drafts submitted
            for review by the importing editor (``import --help``)
    history verify the history's hash chain, export its head (``history --help``)
    backup  dump the database, its roles and a manifest of every table into a folder
    restore restore such a folder into a new database and prove it equal to the manifest
    pitr base|prepare   base backup and recovery to a moment (WAL archiving, docs/operations.md)
    opendata build|publish|listen|ckan   open data from the published registers

Connections are made as the cluster's superuser over its unix socket
(the private instance's ``.run/pg/socket``), or with ``--dsn``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import psycopg2

from . import backup, classifiers, history_cli, migrate
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


def cmd_backup(args) -> int:
    backup.backup(_dsn(args, args.dbname), Path(args.out))
    return 0


def cmd_restore(args) -> int:
    differences = backup.restore(_dsn(args, "postgres"), Path(args.folder), args.target_dbname)
    for difference in differences:
        print(f"differs: {difference}", file=sys.stderr)
    if differences:
        print(f"error: the restored database differs from the backup in {len(differences)} place(s)", file=sys.stderr)
        return 1
    print("restored: every table, sequence, role and the history chain are as the backup's manifest says")
    return 0


def cmd_pitr_base(args) -> int:
    backup.base_backup(_dsn(args, "postgres"), Path(args.out))
    return 0


def cmd_pitr_prepare(args) -> int:
    try:
        target = dt.datetime.fromisoformat(args.target_time)
    except ValueError:
        print(f"error: --target-time {args.target_time!r} is not an ISO time such as 2024-05-01T10:15:00+03:00",
              file=sys.stderr)  # fmt: skip
        return 2
    backup.prepare_recovery(Path(args.base), Path(args.data_dir), Path(args.wal_archive), target)
    return 0


def _add_backup_parsers(sub) -> None:
    b = sub.add_parser("backup", help="pg_dump + roles + manifest of every table into a new folder under OUT")
    b.add_argument("out", help="folder that receives <database>-<UTC time>/")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup folder into a new database and compare it with its manifest")
    r.add_argument("folder", help="a folder written by backup")
    r.add_argument("--target-dbname", help="name of the new database (default: the backed-up database's name)")
    r.set_defaults(func=cmd_restore)
    pitr = sub.add_parser("pitr", help="point-in-time recovery: base backup, recovery to a moment")
    actions = pitr.add_subparsers(dest="pitr_command", required=True)
    base = actions.add_parser("base", help="pg_basebackup of the cluster into a new folder under OUT")
    base.add_argument("out")
    base.set_defaults(func=cmd_pitr_base)
    prepare = actions.add_parser("prepare", help="a data folder that recovers up to a moment when started")
    prepare.add_argument("base", help="a folder written by pitr base")
    prepare.add_argument("data_dir", help="new, empty data folder of the recovered cluster")
    prepare.add_argument("--wal-archive", required=True, help="the folder archive_command copies WAL into")
    prepare.add_argument("--target-time", required=True, help="ISO time with zone: recover what committed until then")
    prepare.set_defaults(func=cmd_pitr_prepare)


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
    _add_backup_parsers(sub)
    from .opendata import cli as opendata_cli  # noqa: PLC0415 - keeps the other commands' imports light

    opendata_cli.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except psycopg2.OperationalError as exc:
        print(f"error: cannot connect to the database: {str(exc).strip()}", file=sys.stderr)
        return 2
    except backup.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
