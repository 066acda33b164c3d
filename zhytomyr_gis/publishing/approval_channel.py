"""The channel on which approvals are announced, as the public side's services listen to it.

Every approval NOTIFYs ``zhytomyr_gis_published`` when it commits (its
payload is only a hint: the approval log, ``published.approval_log``, says
what was approved). The tile cache's listener (``tile_invalidation``), the
download cache (``download_cache``) and the open data listener
(``opendata.listener``) each keep one connection listening on it;
:func:`listen_for_approvals` is what they share: connect, retry while the
database is away, LISTEN, and connect again when the connection is lost. A
hot standby takes no LISTEN and passes on no NOTIFY: on one, a service reads
the approval log instead (``standby``). Pure Python; psycopg2 is imported
when a service listens.
"""

from __future__ import annotations

import json
import logging
import select
import time
from collections.abc import Callable
from pathlib import Path

CHANNEL = "zhytomyr_gis_published"
RECONNECT_DELAY_S = 2.0  # between attempts while the database is away

log = logging.getLogger(__name__)


def listen_for_approvals(
    dsn: str,
    session: Callable[[object, bool], None],
    *,
    application_name: str | None = None,
    ends: float | None = None,
    on_disconnected: Callable[[], None] = lambda: None,
) -> None:
    """Call ``session(conn, standby)`` with a connection listening on
    :data:`CHANNEL` (autocommit; ``standby``: a hot standby, which listens to
    nothing), and again with a new connection whenever the database goes away,
    until ``ends`` (a ``time.monotonic()`` instant; None: never). The session
    returns at ``ends``; a database error in it ends the connection.
    ``on_disconnected`` is called each time there is no connection (a
    service's status says so)."""
    import psycopg2  # noqa: PLC0415
    import psycopg2.extensions  # noqa: PLC0415

    names = {} if application_name is None else {"application_name": application_name}
    while ends is None or time.monotonic() < ends:
        try:
            conn = psycopg2.connect(dsn, **names)
        except psycopg2.OperationalError as exc:
            log.warning("cannot connect (%s); retrying", str(exc).strip())
            on_disconnected()
            time.sleep(RECONNECT_DELAY_S)
            continue
        try:
            conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_is_in_recovery()")
                (standby,) = cur.fetchone()
                if not standby:
                    cur.execute(f"LISTEN {CHANNEL}")
            session(conn, standby)
        except psycopg2.Error as exc:
            log.warning("connection lost (%s); reconnecting", str(exc).strip())
            on_disconnected()
            time.sleep(RECONNECT_DELAY_S)
        finally:
            conn.close()


def notifications(conn, timeout_s: float) -> list[str] | None:
    """The payloads of the notifications that came within ``timeout_s``
    seconds ([] when the connection had only something else to read), None
    when nothing came."""
    if select.select([conn], [], [], timeout_s) == ([], [], []):
        return None
    conn.poll()
    payloads = [n.payload for n in conn.notifies]
    del conn.notifies[:]
    return payloads


def write_status_file(path: Path | None, state: dict) -> None:
    """A service's state for the monitoring (``monitor.py`` reads it), replaced
    atomically; a full disk only logs: it must not stop the service."""
    if path is None:
        return
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.warning("cannot write the status file %s (%s)", path, exc)
