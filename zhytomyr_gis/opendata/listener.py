"""Regenerates the open data after approvals.

Every approval's publication is a row of ``published.approval_log`` (which
only the database's ``workflow.publish()`` writes), and its commit sends
``NOTIFY zhytomyr_gis_published`` (the channel the tile cache listens on
too). A notification only wakes the listener (any role may send one): it
reads the log rows it has not seen, marks the datasets that read their
tables and publishes them
once approvals stop for ``debounce_s`` seconds, but never later than
``max_delay_s`` after the first one waiting, so a steady stream of
approvals still reaches the files. With the defaults (10 s and 40 s) and a
build of a few seconds, an approval is in the files within a minute.

At start, and after every reconnection (notifications may have been missed
while nobody listened), everything is published again. A failed build is
logged and tried again after ``RETRY_S``; the served files stay as they were.

    python -m zhytomyr_gis opendata listen ROOT
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from ..publishing import approval_channel
from ..publishing.approval_channel import CHANNEL
from . import release
from .datasets import BY_ID, datasets_of_table
from .extract import ExtractError
from .settings import Settings

STANDBY_RETRY_S = 30.0  # connected to a standby by mistake: how often to try the address again
RETRY_S = 30.0

log = logging.getLogger("zhytomyr_gis.opendata")


class Debouncer:
    """Which datasets wait for a build, and when it is due."""

    def __init__(self, debounce_s: float, max_delay_s: float):
        self.debounce_s = debounce_s
        self.max_delay_s = max_delay_s
        self.pending: set[str] = set()
        self._first = self._last = 0.0
        self._not_before = 0.0

    def add(self, dataset_ids: set[str], now: float) -> None:
        if not dataset_ids:
            return
        if not self.pending:
            self._first = now
        self.pending |= dataset_ids
        self._last = now

    def retry(self, dataset_ids: set[str], at: float) -> None:
        """A build failed: try these again, not before ``at``."""
        self.add(dataset_ids, at)
        self._not_before = at

    def due_at(self) -> float | None:
        if not self.pending:
            return None
        return max(self._not_before, min(self._last + self.debounce_s, self._first + self.max_delay_s))

    def take(self) -> set[str]:
        taken, self.pending = self.pending, set()
        return taken


def approvals_after(conn, position: int) -> tuple[int, set[str]]:
    """The approval log's newest id and the datasets its rows after ``position`` change."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT coalesce(max(id), %s), coalesce(array_agg(DISTINCT table_name), '{}')"
            " FROM published.approval_log WHERE id > %s",
            (position, position),
        )
        latest, tables = cur.fetchone()
    return latest, {d.id for table in tables for d in datasets_of_table(table)}


def latest_approval(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM published.approval_log")
        return cur.fetchone()[0]


def _publish(dsn: str, root: Path, settings: Settings, only: set[str] | None) -> bool:
    started = time.monotonic()
    try:
        folder = release.publish(dsn, root, settings, only=only, log=log.info)
    except (ExtractError, release.ReleaseError) as exc:
        log.error("open data not published: %s", exc)
        return False
    what = "everything" if only is None else ", ".join(sorted(only))
    log.info("published %s as %s in %.1f s", what, folder.name, time.monotonic() - started)
    return True


def run(dsn: str, root: Path, settings: Settings, stop_after_s: float | None = None) -> None:
    """LISTEN and publish until stopped (reconnects when the database goes away)."""
    ends = None if stop_after_s is None else time.monotonic() + stop_after_s
    debouncer = Debouncer(settings.debounce_s, settings.max_delay_s)

    def session(conn, standby: bool) -> None:
        if standby:
            # The open data are published from the primary (docs/operations.md): a standby passes on no approval.
            log.error("connected to a hot standby, which announces no approvals: connect to the primary")
            time.sleep(STANDBY_RETRY_S)
            return
        log.info("listening on %s", CHANNEL)
        position = latest_approval(conn)
        # Whatever was approved while nobody listened: publish everything.
        if not _publish(dsn, root, settings, None):
            debouncer.retry(set(BY_ID), time.monotonic() + RETRY_S)
        while ends is None or time.monotonic() < ends:
            due = debouncer.due_at()
            wait = 5.0 if due is None else max(0.0, min(due - time.monotonic(), 5.0))
            payloads = approval_channel.notifications(conn, wait)
            if payloads:
                latest, changed = approvals_after(conn, position)
                if latest == position:
                    log.warning("notification without a new approval (%r): nothing to publish", payloads[:3])
                position = latest
                debouncer.add(changed, time.monotonic())
            due = debouncer.due_at()
            if due is not None and due <= time.monotonic():
                only = debouncer.take()
                if not _publish(dsn, root, settings, only):
                    debouncer.retry(only, time.monotonic() + RETRY_S)

    approval_channel.listen_for_approvals(dsn, session, application_name="zhytomyr_gis_opendata_listener", ends=ends)
