"""The pg_service entry that names the city database (no credentials in it).

A service entry holds where the database is (host, port, dbname); who
connects and with which password is kept by the QGIS authentication manager
(desktop) or a pgpass file (servers). Reading and writing the service file
is left to pgserviceparser, which knows libpq's lookup order
(PGSERVICEFILE, PGSYSCONFDIR, the platform default).
"""

from __future__ import annotations

from pathlib import Path

import pgserviceparser

DEFAULT_SERVICE = "zhytomyr_gis"
# Keys that must never be written to a service file by this project.
SECRET_KEYS = ("password", "passfile")


class ServiceError(ValueError):
    pass


def service_file() -> Path:
    return Path(pgserviceparser.conf_path())


def read(name: str = DEFAULT_SERVICE, path: Path | None = None) -> dict[str, str] | None:
    """The settings of a service, or None when the file or the entry is missing."""
    path = path or service_file()
    if not path.exists() or name not in pgserviceparser.service_names(path):
        return None
    return dict(pgserviceparser.service_config(name, path))


def write(
    name: str,
    host: str,
    port: int | str,
    dbname: str,
    sslmode: str | None = None,
    path: Path | None = None,
    sslrootcert: str | None = None,
) -> Path:
    """Create or replace a service entry with the location of the database only."""
    path = path or service_file()
    if not name or any(c in name for c in "[]\n"):
        raise ServiceError(f"Неприпустима назва служби: «{name}»")
    settings = {"host": host, "port": str(port), "dbname": dbname}
    if sslmode:
        settings["sslmode"] = sslmode
    if sslrootcert:  # the certificate authority that signed the server's (sslmode=verify-full)
        settings["sslrootcert"] = sslrootcert
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
    existing = read(name, path)
    if existing is not None:
        # Keep options set by an administrator (e.g. sslrootcert) but drop secrets.
        settings = {**{k: v for k, v in existing.items() if k not in SECRET_KEYS}, **settings}
    pgserviceparser.write_service(name, settings, path, create_if_not_found=True)
    return path


def has_secret(name: str = DEFAULT_SERVICE, path: Path | None = None) -> bool:
    """True when a service entry carries a password (the plugin warns about it)."""
    settings = read(name, path) or {}
    return any(k in settings for k in SECRET_KEYS)
