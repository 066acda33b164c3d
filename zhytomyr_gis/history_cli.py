"""``python -m zhytomyr_gis history verify|head``: the integrity of the history.

    history head [--out FILE]      the last link of the hash chain (position and
                                   hash); --out appends it, with the time, to FILE
                                   and writes FILE.json for the geoportal
    history verify [--head P:HASH] walk the chain; with a head exported earlier,
                                   also check that the chain still passes through it;
                                   exit 1 and one line per broken link when it does not hold

Run as the database owner (the cluster's superuser) or a GIS administrator.
The exported heads are the evidence that matters: keep them where the
database's administrators cannot change them (another machine, a printout,
the geoportal's page that the public and archives copy).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg2


def head(conn) -> tuple[int, str, dt.datetime] | None:
    with conn.cursor() as cur:
        cur.execute("SELECT link_position, hash, chained_at FROM history.chain_head()")
        return cur.fetchone()


def verify(conn, expected: tuple[int, str] | None = None) -> list[tuple]:
    """The broken links (position, source, row id, problem); empty when the chain holds."""
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM history.verify_chain(%s, %s)", expected or (None, None))
        return cur.fetchall()


def parse_head(text: str) -> tuple[int, str]:
    position, _, digest = text.partition(":")
    if not position.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest.lower()):
        raise ValueError(f"--head must be POSITION:SHA256 (64 hex digits), e.g. 1234:ab12…; got {text!r}")
    return int(position), digest.lower()


def cmd_head(args, dsn: str) -> int:
    with psycopg2.connect(dsn) as conn:
        last = head(conn)
    if last is None:
        print("the history is empty: no chain yet")
        return 0
    position, digest, at = last
    line = f"{position}:{digest}"
    print(f"{line}  (chained {at.isoformat()})")
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        exported = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with out.open("a", encoding="utf-8") as log:
            log.write(f"{exported} {line}\n")
        document = {"position": position, "hash": digest, "chained_at": at.isoformat(), "exported_at": exported}
        part = out.with_name(out.name + ".json.part")
        part.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        part.replace(out.with_name(out.name + ".json"))
    return 0


def cmd_verify(args, dsn: str) -> int:
    try:
        expected = parse_head(args.head) if args.head else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with psycopg2.connect(dsn) as conn:
        problems = verify(conn, expected)
        last = head(conn)
    for position, source, row_id, problem in problems:
        where = f"link {position}" if position is not None else "outside the chain"
        what = f"{source} {row_id}" if source else ""
        print(f"{where}: {what}: {problem}".replace(":  :", ":"))
    if problems:
        print(f"the history's chain does not hold: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    through = f", passes through {expected[0]}" if expected else ""
    print(f"the history's chain holds: {last[0] if last else 0} links{through}")
    return 0


def add_parser(sub, dsn_of: Callable) -> None:
    history = sub.add_parser("history", help="verify the history's hash chain or export its head")
    actions = history.add_subparsers(dest="history_command", required=True)
    h = actions.add_parser("head", help="print (and export) the last link of the chain")
    h.add_argument("--out", help="append the head to this file and write FILE.json for the geoportal")
    h.set_defaults(func=lambda args: cmd_head(args, dsn_of(args)))
    v = actions.add_parser("verify", help="walk the chain; exit 1 when it does not hold")
    v.add_argument("--head", help="a head exported earlier, POSITION:SHA256")
    v.set_defaults(func=lambda args: cmd_verify(args, dsn_of(args)))
