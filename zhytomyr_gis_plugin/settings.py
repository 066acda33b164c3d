"""Every setting of the plugin, in one place (QgsSettings, section Plugins).

No secret is ever stored here: the connection is a pg_service name and the
id of a QGIS authentication configuration; the password lives encrypted in
the QGIS authentication database.
"""

from __future__ import annotations

from qgis.core import QgsSettings

PREFIX = "zhytomyr_gis"

SERVICE = "service"  # pg_service entry naming the city database
AUTHCFG = "authcfg"  # QGIS authentication configuration id (basic auth)
DEPARTMENT = "department"  # department of the last opened workspace
LANGUAGE = "language"  # "uk" (default) or "en"
CONFIGURED = "configured"  # the first-run dialog was completed

DEFAULTS = {
    SERVICE: "zhytomyr_gis",
    AUTHCFG: "",
    DEPARTMENT: "",
    LANGUAGE: "uk",
    CONFIGURED: False,
}


def _key(name: str) -> str:
    if name not in DEFAULTS:
        raise KeyError(f"unknown setting {name}")
    return f"{PREFIX}/{name}"


def get(name: str):
    default = DEFAULTS[name]
    value = QgsSettings().value(_key(name), default, section=QgsSettings.Plugins)
    if isinstance(default, bool):
        return value in (True, "true", "1", 1)
    return value


def set(name: str, value) -> None:  # noqa: A001 - settings.set reads naturally
    QgsSettings().setValue(_key(name), value, section=QgsSettings.Plugins)
