"""Connection files of the public role: a pg_service entry and a pgpass line.

Projects name only ``service=zhytomyr_gis_portal``; where the database is
and the password live in these two files, next to the server's run folder,
never in a project. The password is generated once and kept.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .catalog import SERVICE

PORTAL_ROLE = "portal_reader"
# The monitoring's role (sql/app/75_monitoring.sql): it may call the functions
# of schema monitoring (aggregates) and nothing else.
MONITOR_ROLE = "zgis_monitor"
MONITOR_SERVICE = "zhytomyr_gis_monitor"


def pg_service_text(host: str, port: int, dbname: str, user: str = PORTAL_ROLE, service: str = SERVICE) -> str:
    return (
        "# The public side's connection (QGIS Server, project builder).\n"
        "# The password is in the pgpass file next to this one.\n"
        f"[{service}]\nhost={host}\nport={port}\ndbname={dbname}\nuser={user}\n"
        "sslmode=disable\napplication_name=zhytomyr_gis_portal\nconnect_timeout=5\n"
    )


def monitor_service_text(host: str, port: int, dbname: str) -> str:
    return (
        "\n# The monitoring's connection (python3 -m zhytomyr_gis.publishing.monitor).\n"
        f"[{MONITOR_SERVICE}]\nhost={host}\nport={port}\ndbname={dbname}\nuser={MONITOR_ROLE}\n"
        "sslmode=disable\napplication_name=zhytomyr_gis_monitor\nconnect_timeout=3\n"
    )


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def pgpass_line(host: str, port: int, dbname: str, user: str, password: str) -> str:
    return ":".join(_escape(str(v)) for v in (host, port, dbname, user, password)) + "\n"


def read_or_create_password(path: Path) -> str:
    """The role's password kept in ``path`` (mode 0600), generated on first use."""
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
        if password:
            return password
    password = secrets.token_urlsafe(24)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    return password


def write_connection_files(
    folder: Path,
    *,
    host: str,
    port: int,
    dbname: str,
    password: str,
    user: str = PORTAL_ROLE,
    monitor_password: str | None = None,
) -> tuple[Path, Path]:
    """Write ``folder/pg_service.conf`` and ``folder/pgpass`` (0600); returns both paths.

    With ``monitor_password`` they also hold the monitoring's entry.
    """
    folder.mkdir(parents=True, exist_ok=True)
    service_file = folder / "pg_service.conf"
    text = pg_service_text(host, port, dbname, user)
    if monitor_password is not None:
        text += monitor_service_text(host, port, dbname)
    service_file.write_text(text, encoding="utf-8")
    service_file.chmod(0o644)
    pgpass = folder / "pgpass"
    fd = os.open(pgpass, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(pgpass_line(host, port, dbname, user, password))
        if monitor_password is not None:
            f.write(pgpass_line(host, port, dbname, MONITOR_ROLE, monitor_password))
    os.chmod(pgpass, 0o600)
    return service_file, pgpass
