"""The editor's side of the workflow, without Qt: submit, withdraw, my changes.

Talks to the database's workflow API (sql/app/30_workflow.sql) over any DB-API
connection (psycopg2). Every call is one transaction: the database does it
all or nothing, and a refusal comes back as a WorkflowError carrying the
Ukrainian explanation (zhytomyr_gis.errors.Problem), never half done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg2

from zhytomyr_gis import errors
from zhytomyr_gis.form_spec import display_field
from zhytomyr_gis.registers import REGISTERS, STATUS_LABELS, Register, register


class WorkflowError(Exception):
    def __init__(self, problem: errors.Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Department:
    code: str
    title_uk: str
    title_en: str
    can_edit: bool
    can_verify: bool


@dataclass(frozen=True)
class Change:
    """A record of mine that is not published as it stands."""

    table: str
    register_title: str
    record_id: int
    label: str
    status: str
    version: int
    updated_at: dt.datetime
    reviewer_note: str | None  # the verifier's reason when rejected
    reviewer: str | None

    @property
    def status_uk(self) -> str:
        return STATUS_LABELS[self.status][0]


class WorkflowClient:
    def __init__(self, conn):
        self.conn = conn

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            with self.conn, self.conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []
        except psycopg2.Error as error:
            raise WorkflowError(errors.explain_psycopg(error)) from error

    def my_departments(self) -> list[Department]:
        rows = self._run("SELECT department, title_uk, title_en, can_edit, can_verify FROM workflow.my_departments()")
        return [Department(*row) for row in rows]

    def submit(self, table: str, ids: Iterable[int], note: str | None = None) -> int:
        return self._run("SELECT workflow.submit(%s, %s::bigint[], %s)", (table, list(ids), note))[0][0]

    def withdraw(self, table: str, ids: Iterable[int]) -> int:
        return self._run("SELECT workflow.withdraw(%s, %s::bigint[])", (table, list(ids)))[0][0]

    def status_of(self, table: str, record_id: int) -> str:
        return self._run(f"SELECT status FROM {register(table).table} WHERE id = %s", (record_id,))[0][0]

    def my_changes(self, registers: Iterable[Register] | None = None) -> list[Change]:
        """My drafts, submissions and rejected changes, newest first.

        "Mine" is what I edited last: the history tells who made the
        record's latest content change, and that person answers for it
        (a verifier's decision changes updated_by, not the authorship).
        """
        if registers is None:
            editable = {d.code for d in self.my_departments() if d.can_edit}
            registers = [r for r in REGISTERS if r.department in editable]
        changes: list[Change] = []
        for reg in registers:
            label = display_field(reg)
            rows = self._run(
                f"""SELECT t.id, coalesce(t.{label}::text, '#' || t.id), t.status, t.version, t.updated_at,
                           t.status_note,
                           (SELECT e.actor FROM history.event e
                             WHERE e.table_name = %s AND e.record_id = t.id AND e.action = 'reject'
                             ORDER BY e.id DESC LIMIT 1)
                      FROM {reg.table} t
                     WHERE t.status IN ('draft', 'submitted', 'rejected')
                       AND (SELECT e.actor FROM history.event e
                             WHERE e.table_name = %s AND e.record_id = t.id
                               AND e.action IN ('insert', 'update', 'delete', 'restore')
                             ORDER BY e.id DESC LIMIT 1) = session_user
                     ORDER BY t.updated_at DESC""",
                (reg.table, reg.table),
            )
            for record_id, text, status, version, updated_at, note, reviewer in rows:
                rejected = status == "rejected"
                changes.append(
                    Change(
                        reg.table,
                        reg.title_uk,
                        record_id,
                        text,
                        status,
                        version,
                        updated_at,
                        note if rejected else None,
                        reviewer if rejected else None,
                    )
                )
        changes.sort(key=lambda c: c.updated_at, reverse=True)
        return changes

    def my_drafts(self) -> list[Change]:
        return [c for c in self.my_changes() if c.status == "draft"]

    def my_rejected(self) -> list[Change]:
        return [c for c in self.my_changes() if c.status == "rejected"]
