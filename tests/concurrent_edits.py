"""Editors and verifiers working on the same records at once (psycopg2, threads).

Each editor reads a record, changes it stating the version it read, and now
and then submits or withdraws; each verifier approves or rejects what is
submitted, stating the versions it looked at; one person who both edits and
verifies tries to approve too (four eyes). Every transaction that commits
is noted with its transaction id and what it did; every refusal with its
SQLSTATE and the message a user would read (zhytomyr_gis.errors).

``check()`` then proves, from the database alone, that nothing was lost:
each committed transaction has its history event (matched by transaction
id), the versions of each record follow one another with no gap and no
repeat (two edits of one version would be a lost update), the working rows
hold the last committed value, the published copies the last approved one,
and the history's hash chain holds.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg2
from factories import approve, insert, parcel

from zhytomyr_gis import errors

TABLE = "property.land_parcel"
EDITORS = ("t_property_editor", "t_property_editor2", "t_property_both")
VERIFIERS = ("t_property_verifier", "t_property_verifier2", "t_property_both")
# The refusals a concurrent workflow may meet: an edit conflict, a state that
# changed under the user, four eyes; a deadlock or serialisation failure the
# server resolves by refusing one transaction.
EXPECTED_REFUSALS = {"ZG001", "ZG002", "ZG003", "40P01", "40001"}
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")


@dataclass
class Outcome:
    commits: list[tuple[int, str, str, int, int | None]] = field(default_factory=list)  # xid, user, action, id, version
    refusals: Counter = field(default_factory=Counter)  # (sqlstate, kind)
    messages: dict[str, str] = field(default_factory=dict)  # sqlstate -> a Ukrainian message seen
    unexpected: list[str] = field(default_factory=list)
    values: dict[int, float] = field(default_factory=dict)  # id -> last committed area_ha
    lock = threading.Lock()

    def committed(self, xid: int, user: str, action: str, record_id: int, version: int | None) -> None:
        with self.lock:
            self.commits.append((xid, user, action, record_id, version))

    def refused(self, error: psycopg2.Error) -> None:
        problem = errors.explain_psycopg(error)
        with self.lock:
            self.refusals[(error.pgcode, problem.kind)] += 1
            if error.pgcode not in EXPECTED_REFUSALS or not CYRILLIC.search(str(problem)):
                self.unexpected.append(f"{error.pgcode}: {problem}")
            self.messages.setdefault(error.pgcode, str(problem))


def seed(db, records: int) -> list[int]:
    editor, verifier = db.connect("t_property_editor", autocommit=False), db.connect("t_property_verifier", False)
    with editor, editor.cursor() as cur:
        ids = [insert(editor, TABLE, parcel()) for _ in range(records)]
        cur.execute("SELECT workflow.submit(%s, %s::bigint[])", (TABLE, ids))
    with verifier:
        approve(verifier, TABLE, ids)
    return ids


def _xid(cur) -> int:
    cur.execute("SELECT pg_current_xact_id()::text::bigint")
    return cur.fetchone()[0]


def _editor(db, user: str, ids: list[int], ends: float, rng: random.Random, out: Outcome) -> None:
    conn = db.connect(user, autocommit=False)
    with conn.cursor() as cur:
        cur.execute("SET statement_timeout = '20s'")
    conn.commit()
    while time.monotonic() < ends:
        record_id = rng.choice(ids)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(f"SELECT version, status FROM {TABLE} WHERE id = %s", (record_id,))
                version, status = cur.fetchone()
                roll = rng.random()
                if status == "submitted" and roll < 0.3:
                    cur.execute("SELECT workflow.withdraw(%s, %s::bigint)", (TABLE, record_id))
                    action, new_version = "withdraw", None
                elif status in ("draft", "rejected") and roll < 0.35:
                    cur.execute("SELECT workflow.submit(%s, %s::bigint)", (TABLE, record_id))
                    action, new_version = "submit", None
                else:
                    time.sleep(rng.random() * 0.005)  # the time a person looks at the form
                    value = round(rng.uniform(0.01, 9.99), 4)
                    cur.execute(
                        f"UPDATE {TABLE} SET area_ha = %s, version = %s WHERE id = %s",
                        (value, version + 1, record_id),
                    )
                    action, new_version = "update", version + 1
                xid = _xid(cur)
            out.committed(xid, user, action, record_id, new_version)
        except psycopg2.Error as error:
            conn.rollback()
            out.refused(error)
    conn.close()


def _verifier(db, user: str, ids: list[int], ends: float, rng: random.Random, out: Outcome) -> None:
    conn = db.connect(user, autocommit=False)
    with conn.cursor() as cur:
        cur.execute("SET statement_timeout = '20s'")
    conn.commit()
    while time.monotonic() < ends:
        try:
            with conn, conn.cursor() as cur:
                cur.execute(f"SELECT id, version FROM {TABLE} WHERE id = ANY(%s) AND status = 'submitted'", (ids,))
                submitted = cur.fetchall()
            if not submitted:
                time.sleep(0.005)
                continue
            chosen = rng.sample(submitted, k=min(len(submitted), rng.randint(1, 3)))
            time.sleep(rng.random() * 0.005)  # the review
            with conn, conn.cursor() as cur:
                chosen_ids, versions = [c[0] for c in chosen], [c[1] for c in chosen]
                if rng.random() < 0.8:
                    cur.execute(
                        "SELECT workflow.approve(%s, %s::bigint[], %s, %s::int[])", (TABLE, chosen_ids, None, versions)
                    )
                    action = "approve"
                else:
                    cur.execute(
                        "SELECT workflow.reject(%s, %s::bigint[], %s, %s::int[])",
                        (TABLE, chosen_ids, "Площа не збігається з документом", versions),
                    )
                    action = "reject"
                xid = _xid(cur)
            for record_id, version in chosen:
                out.committed(xid, user, action, record_id, version)
        except psycopg2.Error as error:
            conn.rollback()
            out.refused(error)
    conn.close()


def run(db, ids: list[int], seconds: float, seed_value: int = 16, editors=EDITORS, verifiers=VERIFIERS) -> Outcome:
    """Every editor and verifier at once for ``seconds`` (a user named twice works in two
    sessions); returns what committed and what was refused."""
    out = Outcome()
    ends = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_editor, args=(db, user, ids, ends, random.Random(seed_value + n), out))
        for n, user in enumerate(editors)
    ] + [
        threading.Thread(target=_verifier, args=(db, user, ids, ends, random.Random(seed_value + 100 + n), out))
        for n, user in enumerate(verifiers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"threads still waiting {seconds + 60} s after the end: {hung}"
    return out


def check(db, ids: list[int], out: Outcome, since_event: int) -> dict[str, int]:
    """Prove nothing was lost; returns the figures."""
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT transaction_id::text::bigint, actor, action, record_id, version FROM history.event"
            " WHERE table_name = %s AND id > %s ORDER BY id",
            (TABLE, since_event),
        )
        events = cur.fetchall()
        by_xid: dict[int, list[tuple]] = {}
        for xid, actor, action, record_id, version in events:
            by_xid.setdefault(xid, []).append((actor, action, record_id, version))
        for xid, user, action, record_id, _version in out.commits:
            found = [e for e in by_xid.get(xid, []) if e[1] == action and e[2] == record_id]
            assert found, f"committed {action} of {record_id} by {user} (transaction {xid}) has no history event"
            assert all(e[0] == user for e in found), f"transaction {xid}: history names {found[0][0]}, not {user}"
        committed_xids = {c[0] for c in out.commits}
        strays = [x for x in by_xid if x not in committed_xids]
        assert not strays, f"history events of transactions nobody committed: {strays[:5]}"

        for record_id in ids:
            cur.execute(
                "SELECT version FROM history.event WHERE table_name = %s AND record_id = %s AND action = 'update'"
                " ORDER BY id",
                (TABLE, record_id),
            )
            versions = [v for (v,) in cur.fetchall()]
            assert versions == list(
                range(2, 2 + len(versions))
            ), f"record {record_id}: edit versions {versions} (a repeat or a gap is a lost or a phantom update)"
            cur.execute(f"SELECT version, area_ha::float8 FROM {TABLE} WHERE id = %s", (record_id,))
            version, area = cur.fetchone()
            assert version == (versions[-1] if versions else 1)
            cur.execute(
                "SELECT (new_values->>'area_ha')::float8 FROM history.event WHERE table_name = %s AND record_id = %s"
                " AND new_values ? 'area_ha' ORDER BY id DESC LIMIT 1",
                (TABLE, record_id),
            )
            assert cur.fetchone()[0] == area, f"record {record_id}: the row is not its last committed change"
            cur.execute(
                "SELECT (coalesce(new_values, old_values)->>'area_ha')::float8, version FROM history.event"
                " WHERE table_name = %s AND record_id = %s AND action = 'approve' ORDER BY id DESC LIMIT 1",
                (TABLE, record_id),
            )
            approved = cur.fetchone()
            cur.execute("SELECT area_ha::float8 FROM published.property_land_parcel WHERE id = %s", (record_id,))
            published = cur.fetchone()
            if approved and approved[0] is not None:
                assert (
                    published and published[0] == approved[0]
                ), f"record {record_id}: published {published}, last approved {approved}"
        cur.execute("SELECT count(*) FROM history.verify_chain(NULL, NULL)")
        assert cur.fetchone()[0] == 0, "the history's chain does not hold"
    actions = Counter(c[2] for c in out.commits)
    return {
        "transactions committed": len({c[0] for c in out.commits}),
        **{f"{a}s": n for a, n in sorted(actions.items())},
        "refused": sum(out.refusals.values()),
        **{f"refused {code} ({kind})": n for (code, kind), n in sorted(out.refusals.items())},
        "history events": len(events),
    }
