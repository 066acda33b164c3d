"""Filters of the review queue as the verifiers' dock offers them (register,
author, waiting time, errors), without Qt, over :class:`review.QueueItem`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .review import QueueItem


@dataclass(frozen=True)
class QueueFilter:
    table: str | None = None  # 'schema.table'; None: every register
    author: str | None = None  # the submitter's login; None: anyone
    older_than_days: float = 0  # waiting at least this long
    has_errors: bool | None = None  # True: with errors only; False: without; None: both

    def accepts(self, item: QueueItem, now: dt.datetime | None = None) -> bool:
        if self.table is not None and item.table != self.table:
            return False
        if self.author is not None and item.submitted_by != self.author:
            return False
        if self.older_than_days and item.days_waiting(now) < self.older_than_days:
            return False
        return self.has_errors is None or (item.errors > 0) == self.has_errors


def apply(items: Iterable[QueueItem], queue_filter: QueueFilter, now: dt.datetime | None = None) -> list[QueueItem]:
    return [item for item in items if queue_filter.accepts(item, now)]


def authors(items: Iterable[QueueItem]) -> list[str]:
    """The submitters present in the queue, for the author drop-down."""
    return sorted({item.submitted_by for item in items if item.submitted_by})


def registers(items: Iterable[QueueItem]) -> list[tuple[str, str]]:
    """(table, Ukrainian title) of the registers present in the queue."""
    return sorted({(item.table, item.register_title_uk) for item in items}, key=lambda pair: pair[1])
