"""Database errors as a clerk should read them: in Ukrainian, saying what to do.

The database already words its own rules in Ukrainian (MESSAGE) with the rule
id as the constraint name and a SQLSTATE of its own (ZG001..ZG005, see
sql/app/30_workflow.sql; ZG006..ZG007 from the checks, sql/app/40_verification.sql).
PostgreSQL's built-in errors (uniqueness, missing reference, permission,
connection) come in English; they are translated here. Works from a psycopg2 error or from the text QGIS reports after a
failed commit, where only the message text survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhytomyr_gis.registers import REGISTERS

TITLES = {
    "conflict": "Конфлікт редагування",
    "wrong_state": "Дію не дозволено в поточному стані запису",
    "four_eyes": "Принцип чотирьох очей",
    "not_in_department": "Немає прав підрозділу",
    "bad_argument": "Неправильний запит",
    "check_errors": "Перевірка знайшла помилки",
    "unacknowledged": "Є непідтверджені попередження",
    "rule": "Порушено правило",
    "unique": "Значення вже є в реєстрі",
    "foreign_key": "Посилання на відсутній запис",
    "referenced": "На запис посилаються інші записи",
    "not_null": "Не заповнено обов'язкове поле",
    "permission": "Недостатньо прав",
    "server_down": "Сервер бази даних недоступний",
    "connection_lost": "З'єднання з базою даних перервано",
    "busy": "Запис одночасно змінює інший користувач",
    "wrong_password": "Неправильне ім'я користувача або пароль",
    "no_database": "Базу даних не знайдено",
    "no_service": "Підключення не налаштовано",
    "tls": "Захищене з'єднання не встановлено",
    "unknown": "Помилка бази даних",
}

_SQLSTATE_KINDS = {
    "ZG001": "conflict",
    "ZG002": "wrong_state",
    "ZG003": "four_eyes",
    "ZG004": "not_in_department",
    "ZG005": "bad_argument",
    "ZG006": "check_errors",
    "ZG007": "unacknowledged",
    "23514": "rule",
    "23505": "unique",
    "23503": "foreign_key",
    "23502": "not_null",
    "42501": "permission",
    "28P01": "wrong_password",
    "3D000": "no_database",
    # The server went away (restart, shutdown, network): the connection is lost.
    "57P01": "connection_lost",
    "57P02": "connection_lost",
    "57P03": "connection_lost",
    "08000": "connection_lost",
    "08003": "connection_lost",
    "08006": "connection_lost",
    # Concurrent transactions the server resolved by refusing this one.
    "40P01": "busy",
    "40001": "busy",
    "55P03": "busy",
}


# Kinds whose message the database words itself, in Ukrainian.
_OWN_KINDS = (
    "conflict",
    "wrong_state",
    "four_eyes",
    "not_in_department",
    "bad_argument",
    "check_errors",
    "unacknowledged",
    "rule",
)
# SQLSTATE codes of the city database
CONFLICT = "ZG001"
WRONG_STATE = "ZG002"
FOUR_EYES = "ZG003"
NOT_IN_DEPARTMENT = "ZG004"
BAD_ARGUMENT = "ZG005"
CHECK_ERRORS = "ZG006"
UNACKNOWLEDGED_WARNINGS = "ZG007"


@dataclass(frozen=True)
class Problem:
    kind: str
    message_uk: str  # a whole sentence for the message bar
    rule: str | None = None

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    def __str__(self) -> str:
        return f"{self.title}: {self.message_uk}"


def _label(labels: dict[str, str] | None, column: str) -> str:
    return (labels or {}).get(column, column)


def _from_english(kind: str, text: str, detail: str, labels: dict[str, str] | None) -> str:
    if kind == "unique":
        m = re.search(r"Key \((.+?)\)=\((.*?)\) already exists", detail or text)
        if m:
            columns = ", ".join(_label(labels, c.strip()) for c in m.group(1).split(","))
            return f"«{m.group(2)}» ({columns}) вже є в реєстрі; значення має бути унікальним."
        return "такий запис уже є в реєстрі; значення має бути унікальним."
    if kind == "referenced":
        # Deleting a record that others (a structure's permits...) still point to.
        m = re.search(r"Key \((.+?)\)=\((.*?)\) is still referenced from table \"?(\w+)\"?", detail or text)
        if m:
            titles = [r.title_uk for r in REGISTERS if r.name == m.group(3)]
            what = titles[0] if titles else m.group(3)
            return f"запис №{m.group(2)} має пов'язані записи («{what}»); спершу видаліть або перенесіть їх."
        return "запис має пов'язані записи; спершу видаліть або перенесіть їх."
    if kind == "foreign_key":
        m = re.search(r"Key \((.+?)\)=\((.*?)\) is not present", detail or text)
        if m:
            return f"{_label(labels, m.group(1))}: запису «{m.group(2)}» немає в довіднику."
        return "вибраного запису немає в довіднику."
    if kind == "not_null":
        m = re.search(r'column "(\w+)"', text)
        return f"заповніть поле «{_label(labels, m.group(1)) if m else '?'}»."
    if kind == "permission":
        m = re.search(r"permission denied for (?:table|relation|schema|function) (\S+)", text)
        what = f" до «{m.group(1)}»" if m else ""
        return f"ваша роль не має доступу{what}. Зверніться до адміністратора ГІС."
    if kind == "server_down":
        return "сервер не відповідає. Перевірте мережу або зверніться до адміністратора ГІС."
    if kind == "connection_lost":
        return (
            "сервер перезапускається або мережа перервалася. Незбережені зміни залишилися в шарі:"
            " збережіть їх ще раз за хвилину; якщо не вдасться, зверніться до адміністратора ГІС."
        )
    if kind == "busy":
        return "інший користувач саме змінює ці записи, тому дію не виконано. Повторіть її ще раз."
    if kind == "wrong_password":
        return "перевірте ім'я користувача та пароль у налаштуваннях підключення."
    if kind == "no_database":
        return "перевірте назву бази даних у налаштуваннях підключення."
    if kind == "tls":
        return (
            "сертифікат сервера не підтверджено (sslmode=verify-full): перевірте файл кореневого сертифіката"
            " (sslrootcert) і адресу сервера в налаштуваннях підключення або зверніться до адміністратора ГІС."
        )
    if kind == "no_service":
        m = re.search(r'service "?([^"\s]+)"? not found', text)
        name = f" «{m.group(1)}»" if m else ""
        return f"службу{name} не знайдено у файлі pg_service.conf. Налаштуйте підключення."
    return text.strip()


def explain(
    pgcode: str | None,
    message: str,
    detail: str | None = None,
    constraint: str | None = None,
    labels: dict[str, str] | None = None,
) -> Problem:
    """A Problem from the parts of a PostgreSQL error."""
    kind = _SQLSTATE_KINDS.get(pgcode or "") or _kind_from_text(message)
    if kind == "foreign_key" and "still referenced" in f"{message} {detail or ''}":
        kind = "referenced"
    message = message.strip()
    if kind in _OWN_KINDS:
        # The database's own rules: the message is already Ukrainian.
        return Problem(kind, message, rule=constraint)
    if kind == "unknown":
        return Problem(kind, message)
    return Problem(kind, _from_english(kind, message, detail or "", labels), rule=constraint)


def explain_psycopg(error: Exception, labels: dict[str, str] | None = None) -> Problem:
    """A Problem from a psycopg2 error (OperationalError on connect has no pgcode)."""
    diag = getattr(error, "diag", None)
    pgcode = getattr(error, "pgcode", None)
    message = (diag.message_primary if diag and diag.message_primary else None) or str(error)
    return explain(
        pgcode,
        message,
        detail=diag.message_detail if diag else None,
        constraint=diag.constraint_name if diag else None,
        labels=labels,
    )


_TEXT_KINDS = (
    ("Конфлікт редагування", "conflict"),
    ("Принцип чотирьох очей", "four_eyes"),
    ("перевірка знайшла помилки", "check_errors"),
    ("непідтверджені попередження", "unacknowledged"),
    ("подано на перевірку", "wrong_state"),
    ("не є редактором", "not_in_department"),
    ("не є перевіряльником", "not_in_department"),
    ("duplicate key value", "unique"),
    ("violates foreign key", "foreign_key"),
    ("violates not-null", "not_null"),
    ("permission denied", "permission"),
    ("password authentication failed", "wrong_password"),
    ("no password supplied", "wrong_password"),
    ("server closed the connection unexpectedly", "connection_lost"),
    ("terminating connection due to administrator command", "connection_lost"),
    ("the database system is shutting down", "connection_lost"),
    ("the database system is starting up", "connection_lost"),
    ("the database system is in recovery mode", "connection_lost"),
    ("no connection to the server", "connection_lost"),
    ("connection has been closed unexpectedly", "connection_lost"),
    ("deadlock detected", "busy"),
    ("could not serialize access", "busy"),
    ("Connection refused", "server_down"),
    ("could not connect to server", "server_down"),
    ("could not translate host name", "server_down"),
    ("timeout expired", "server_down"),
    ("certificate verify failed", "tls"),
    ("root certificate file", "tls"),
    ("server does not support SSL", "tls"),
    ("does not match host name", "tls"),
    ("does not exist", "no_database"),
    ("definition of service", "no_service"),
)


def _kind_from_text(text: str) -> str:
    for needle, kind in _TEXT_KINDS:
        if needle in text:
            return kind
    return "unknown"


# The server's message ("ERROR:  ...", two spaces) rather than QGIS's own summary line.
_ERROR_LINE = re.compile(r"ERROR:  (.+?)(?:\n\s*(?:DETAIL|HINT|CONTEXT|LINE \d+):|\Z)", re.S)
_DETAIL_LINE = re.compile(r"DETAIL:\s+(.+?)(?:\n\s*(?:HINT|CONTEXT):|\Z)", re.S)


def explain_qgis(errors: list[str] | str, labels: dict[str, str] | None = None) -> Problem:
    """A Problem from QgsVectorLayer.commitErrors() or a provider's error text.

    QGIS passes only the server's text ("PostGIS error while ...: ERROR:  <message>
    DETAIL: ..."), so the kind is told from the message; the database's own
    messages are Ukrainian and carry no English words to confuse it with.
    """
    text = "\n".join(errors) if isinstance(errors, list) else errors
    m = _ERROR_LINE.search(text)
    message = " ".join(m.group(1).split()) if m else " ".join(text.split())
    d = _DETAIL_LINE.search(text)
    detail = " ".join(d.group(1).split()) if d else None
    kind = _kind_from_text(message)
    if kind == "unknown" and m and _has_cyrillic(message):
        kind = "rule"  # a check_violation raised by ref.rule_violation()
    if kind == "unknown":
        return Problem("unknown", message)
    return explain(None, message, detail=detail, labels=labels) if kind != "rule" else Problem("rule", message)


def _has_cyrillic(text: str) -> bool:
    return re.search(r"[А-Яа-яІіЇїЄєҐґ]", text) is not None


@dataclass
class DatabaseRefusal(Exception):
    """The database refused an action (raised by zhytomyr_gis.review and
    .reports); ``message_uk`` is for the user, ``message_en`` for logs."""

    code: str | None
    message_uk: str
    message_en: str
    hint: str = ""
    rule: str | None = None

    def __str__(self) -> str:
        return self.message_uk

    def message(self, language: str = "uk") -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    @property
    def problem(self) -> Problem:
        kind = _SQLSTATE_KINDS.get(self.code or "", "unknown")
        return Problem(kind if kind in TITLES else "unknown", self.message_uk, rule=self.rule)

    @classmethod
    def from_error(cls, error: Exception) -> DatabaseRefusal:
        """From a psycopg2 error: the database's own words, PostgreSQL's
        built-in errors explained in Ukrainian (see explain())."""
        diag = getattr(error, "diag", None)
        primary = ((diag.message_primary if diag else None) or str(error)).strip()
        return cls(
            code=getattr(error, "pgcode", None),
            message_uk=explain_psycopg(error).message_uk,
            message_en=((diag.message_detail if diag else None) or primary).strip(),
            hint=((diag.message_hint if diag else None) or "").strip(),
            rule=diag.constraint_name if diag else None,
        )
