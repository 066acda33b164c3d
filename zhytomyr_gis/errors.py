"""What the database says when it refuses something, in a form a user can read.

The workflow and the checks raise with a Ukrainian MESSAGE, an English
DETAIL, a hint and (for broken rules) the rule id as the constraint name;
SQLSTATE tells the kinds apart (see sql/0003_workflow.sql, sql/0300_verification.sql).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg2

# SQLSTATE codes of the city database
CONFLICT = "ZG001"
WRONG_STATE = "ZG002"
FOUR_EYES = "ZG003"
NOT_IN_DEPARTMENT = "ZG004"
BAD_ARGUMENT = "ZG005"
CHECK_ERRORS = "ZG006"
UNACKNOWLEDGED_WARNINGS = "ZG007"


@dataclass
class DatabaseRefusal(Exception):
    """The database refused an action; ``message_uk`` is for the user."""

    code: str | None
    message_uk: str
    message_en: str
    hint: str = ""
    rule: str | None = None

    def __str__(self) -> str:
        return self.message_uk

    def message(self, language: str = "uk") -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    @classmethod
    def from_error(cls, error: psycopg2.Error) -> DatabaseRefusal:
        diag = error.diag
        primary = (diag.message_primary or str(error)).strip()
        return cls(
            code=error.pgcode,
            message_uk=primary,
            message_en=(diag.message_detail or primary).strip(),
            hint=(diag.message_hint or "").strip(),
            rule=diag.constraint_name,
        )
