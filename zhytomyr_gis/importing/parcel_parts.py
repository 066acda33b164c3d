"""The parts of a land parcel an exchange file states: the lands (угіддя)
inside it, its leases and subleases, the restrictions of its use
(registers of their own, sql/changelogs/0421_parcel_parts.sql), brought in
line with the file for each imported parcel.

A file states the whole current set of a parcel's parts. Parts it states
that the register lacks are added as drafts; parts the register has that the
file no longer states are deleted (a published one becomes a deletion
request, reviewed like any change); equal parts are left alone, so the same
file twice changes nothing. Parts have no key of their own in the file: they
are compared by what the file states of them (the city's own kind of a
restriction is not in the file and is set only on a new part).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg2
import psycopg2.extras

from zhytomyr_gis.errors import DatabaseRefusal

from .drafts import RowRefused
from .exchange_file import ExchangeParcel, Lease, Party
from .findings import WARNING, Finding
from .settings import ImportSettings

LAND, LEASE, RESTRICTION = "property.parcel_land", "property.parcel_lease", "property.parcel_restriction"
PART_TABLES = (LAND, LEASE, RESTRICTION)
LINK = "parcel_id"
# What the file states of each part, compared with the register's records.
STATED = {
    LAND: ("land_code", "area_ha"),
    LEASE: (
        "sublease",
        "lessee_edrpou",
        "lessee_name",
        "lessee_person_name",
        "lessee_person_rnokpp",
        "area_ha",
        "starts_on",
        "expires_on",
        "registration",
        "decision",
    ),
    RESTRICTION: ("cadastre_code", "name_uk", "expires_on"),
}
# Written on a new part only: the city's own classification.
ADDED = {LAND: (), LEASE: (), RESTRICTION: ("kind",)}


@dataclass(frozen=True)
class Part:
    table: str
    stated: tuple  # values of STATED[table], normalised
    added: tuple = field(default=(), compare=False)  # values of ADDED[table]

    def value(self, column: str):
        return dict(zip(STATED[self.table] + ADDED[self.table], self.stated + self.added, strict=True))[column]


def _normal(value):
    """One form for the file's and the database's values: numbers rounded to
    the register's four decimals, dates as dates, blank text as nothing."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal | float | int):
        return round(float(value), 4)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    return text or None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _lessee(party: Party | None) -> tuple:
    """(edrpou, company name, person's name, person's РНОКПП): a private person only in the last two."""
    if party is None:
        return (None, None, None, None)
    if party.legal_entity:
        return (party.code, party.name, None, None)
    return (None, None, party.name, party.code)


def _lease_parts(lease: Lease) -> list[Part]:
    return [
        Part(
            LEASE,
            tuple(
                _normal(v)
                for v in (
                    lease.sublease,
                    *_lessee(party),
                    lease.area_ha,
                    _date(lease.starts),
                    _date(lease.expires),
                    lease.registration,
                    lease.decision,
                )
            ),
        )
        for party in (lease.lessees or [None])
    ]


def parts_of(parcel: ExchangeParcel, settings: ImportSettings) -> tuple[list[Part], list[Finding]]:
    """The parts the file states of a parcel, and warnings about what could not be classified or kept."""
    parts: list[Part] = []
    findings: list[Finding] = []
    for land in parcel.lands:
        if not land.code:
            findings.append(
                Finding(
                    "land_without_code",
                    "Угіддя без коду (LandParcelInfo/LandCode) пропущено",
                    "A land without LandCode was skipped",
                    parcel.path,
                    parcel.line,
                    WARNING,
                )
            )
            continue
        parts.append(Part(LAND, (_normal(land.code), _normal(land.area_ha))))
    for lease in parcel.leases:
        parts += _lease_parts(lease)
    for restriction in parcel.restrictions:
        name = _normal(restriction.name) or _normal(restriction.code)
        if name is None:
            findings.append(
                Finding(
                    "restriction_without_name",
                    "Обмеження без коду й назви (RestrictionInfo) пропущено",
                    "A restriction without code and name was skipped",
                    parcel.path,
                    parcel.line,
                    WARNING,
                )
            )
            continue
        kind = settings.restriction_kind(restriction.code, name)
        if kind is None:
            findings.append(
                Finding(
                    "restriction_kind",
                    f"Обмеження «{restriction.code} {name}» не зіставлено з видом обмеження міста"
                    " (налаштування restriction_kinds): вид не заповнено, код і назву з файлу збережено",
                    f'Restriction "{restriction.code} {name}" matches no kind of the city\'s classifier'
                    " (setting restriction_kinds): kept with its code and name, without a kind",
                    parcel.path,
                    parcel.line,
                    WARNING,
                )
            )
        parts.append(
            Part(
                RESTRICTION,
                (_normal(restriction.code), name, _normal(_date(restriction.expires))),
                (kind,),
            )
        )
    return parts, findings


@dataclass
class PartsChange:
    added: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class PartsWriter:
    """Brings the parts of parcels in line with a file, a chunk of parcels at
    a time, in the importing editor's transaction; ``ids`` are the part
    records to submit for review with the parcels."""

    conn: object
    ids: dict[str, list[int]] = field(default_factory=lambda: {t: [] for t in PART_TABLES})
    _savepoints: int = 0
    _refusal: RowRefused | None = None

    def sync(
        self, wanted: dict[int, list[Part]], refuse_change: dict[int, RowRefused]
    ) -> dict[int, PartsChange | RowRefused]:
        """``wanted``: parcel id -> the parts the file states. A parcel in
        ``refuse_change`` may keep its parts but not change them."""
        existing = self._existing(list(wanted))
        result: dict[int, PartsChange | RowRefused] = {}
        plan: dict[int, tuple[list[Part], list]] = {}
        for parcel_id, parts in wanted.items():
            remaining = list(existing.get(parcel_id, []))
            add = []
            for part in parts:
                match = next((i for i, (_id, have) in enumerate(remaining) if have == part), None)
                if match is None:
                    add.append(part)
                else:
                    del remaining[match]
            change = PartsChange(len(add), len(remaining))
            result[parcel_id] = change
            if change.changed and parcel_id in refuse_change:
                result[parcel_id] = refuse_change[parcel_id]
            elif change.changed:
                plan[parcel_id] = (add, remaining)
        # All the chunk's changes at once; if the database refuses any, parcel
        # by parcel to tell which and why.
        if plan and not self._write(plan):
            for parcel_id, change in plan.items():
                if not self._write({parcel_id: change}):
                    result[parcel_id] = self._refusal
        return result

    def submit(self, note: str) -> int:
        count = 0
        with self.conn.cursor() as cur:
            for table, ids in self.ids.items():
                if ids:
                    cur.execute("SELECT workflow.submit(%s, %s::bigint[], %s)", (table, ids, note))
                    count += cur.fetchone()[0]
        return count

    # ------------------------------------------------------------ internals
    def _existing(self, parcel_ids: list[int]) -> dict[int, list[tuple[tuple[str, int], Part]]]:
        found: dict[int, list[tuple[tuple[str, int], Part]]] = {}
        if not parcel_ids:
            return found
        with self.conn.cursor() as cur:
            for table in PART_TABLES:
                cur.execute(
                    f"SELECT id, {LINK}, {', '.join(STATED[table])} FROM {table}"
                    f" WHERE {LINK} = ANY (%s) AND NOT deleted ORDER BY id",
                    (parcel_ids,),
                )
                for record_id, parcel_id, *values in cur.fetchall():
                    found.setdefault(parcel_id, []).append(
                        ((table, record_id), Part(table, tuple(_normal(v) for v in values)))
                    )
        return found

    def _write(self, plan: dict[int, tuple[list[Part], list]]) -> bool:
        """Adds and deletes the parts of the planned parcels under a savepoint
        (new parts in one statement per register); on a refusal (a part under
        review, a rule of the register) leaves them as they were, keeps the
        reason in ``_refusal`` and returns False."""
        self._savepoints += 1
        savepoint = f"import_parts_{self._savepoints}"
        written: dict[str, list[int]] = {t: [] for t in PART_TABLES}
        with self.conn.cursor() as cur:
            cur.execute(f"SAVEPOINT {savepoint}")
            try:
                for _add, remove in plan.values():
                    for (table, record_id), _part in remove:
                        cur.execute(f"DELETE FROM {table} WHERE id = %s RETURNING id", (record_id,))
                        if cur.fetchone() is None:
                            # A published part is not removed: it became a deletion request.
                            written[table].append(record_id)
                for table in PART_TABLES:
                    rows = [
                        (parcel_id, *part.stated, *part.added)
                        for parcel_id, (add, _remove) in plan.items()
                        for part in add
                        if part.table == table
                    ]
                    if rows:
                        columns = (LINK, *STATED[table], *ADDED[table])
                        ids = psycopg2.extras.execute_values(
                            cur,
                            f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s RETURNING id",
                            rows,
                            page_size=len(rows),
                            fetch=True,
                        )
                        written[table] += [i for (i,) in ids]
            except psycopg2.Error as error:
                cur.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                refusal = DatabaseRefusal.from_error(error)
                self._refusal = RowRefused(refusal.message_uk, refusal.message_en, refusal.rule)
                return False
            cur.execute(f"RELEASE SAVEPOINT {savepoint}")
        for table in PART_TABLES:
            self.ids[table] += written[table]
        return True
